// Layout of the node's data directory, and the durable-file primitive everything on disk goes through.
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
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

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * Replaces `path` atomically and durably: write a temp file, fsync it, rename over, fsync the directory. After a
 * kill -9 at any instant the file holds either the old or the new content, never a mix.
 */
export function writeFileDurable(path: string, data: Uint8Array | string, mode = 0o600): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', mode);
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  fsyncDir(dirname(path));
}
