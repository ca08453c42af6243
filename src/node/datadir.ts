// Layout of the node's data directory, and the durable-file primitive everything on disk goes through.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface DataDir {
  root: string;
  /** SQLite database of off-chain state. */
  db: string;
  /** Encrypted document blocks. */
  blocks: string;
  /** Relayer key (generated when not configured). */
  relayerKey: string;
  /** Embedded chain: the latest acknowledged state and the pid of the running anvil. */
  chainState: string;
  anvilPid: string;
}

export function dataDirLayout(root: string): DataDir {
  const d: DataDir = {
    root,
    db: join(root, 'node.db'),
    blocks: join(root, 'blocks'),
    relayerKey: join(root, 'keys', 'relayer.key'),
    chainState: join(root, 'chain', 'state.hex'),
    anvilPid: join(root, 'chain', 'anvil.pid'),
  };
  for (const dir of [root, d.blocks, dirname(d.relayerKey), dirname(d.chainState)]) mkdirSync(dir, { recursive: true, mode: 0o700 });
  return d;
}

/** Every file the node writes goes through the shared durable write (temp, fsync, rename, fsync dir). */
export { writeFileDurably as writeFileDurable } from '../storage/durable-file.js';
