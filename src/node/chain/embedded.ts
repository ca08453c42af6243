// The embedded chain: an anvil child process whose state lives in the data directory and is made durable after
// every acknowledged write (anvil_dumpState -> atomic file replace), so kill -9 of the node (and of anvil with
// it) at any moment loses no acknowledged write. Startup reloads the last dump with anvil_loadState.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { anvilBinary, rpc } from '../../chain/anvil.js';
import { writeFileDurable, type DataDir } from '../datadir.js';

export interface EmbeddedChain {
  rpcUrl: string;
  chainId: number;
  pid: number;
  /** Resolves once a state dump that started after this call is on disk. Concurrent callers share dumps. */
  persist(): Promise<void>;
  stop(): Promise<void>;
}


function isAnvil(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('anvil');
  } catch {
    return false;
  }
}

/**
 * An anvil left behind by a node that was killed (SIGKILL runs no exit hook) would hold stale state in memory;
 * the pid file lets the next start end exactly that process and nothing else.
 */
async function reapStale(pidFile: string): Promise<void> {
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  if (Number.isInteger(pid) && pid > 0 && isAnvil(pid)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
    for (let i = 0; i < 100 && isAnvil(pid); i++) await new Promise((r) => setTimeout(r, 20));
  }
  try { unlinkSync(pidFile); } catch { /* fine */ }
}

/**
 * Drops all but the newest `keep` blocks (and their transactions and receipts) from an `anvil_dumpState` dump
 * (hex of gzipped JSON), returning the JSON text anvil's `--load-state` reads. Accounts, code and storage (the state
 * every acknowledged write lives in) are kept whole, as are the head block and its hash, so the chain goes on from
 * the same head; only old history (blocks, receipts) is gone. anvil keeps every block header in memory and dumps
 * them all, so without this the dump (and the time to take it, which every write waits for) grows with the chain.
 * `keep` 0 keeps everything. Undefined when the dump is not what anvil writes (then it is loaded as it is).
 */
export function pruneStateDump(hex: string, keep: number): { json: string; blocks: number; kept: number } | undefined {
  try {
    const raw = Buffer.from(hex.replace(/^0x/, ''), 'hex');
    let text: string;
    try { text = gunzipSync(raw).toString('utf8'); } catch { text = raw.toString('utf8'); }
    const dump = JSON.parse(text) as { blocks?: { header: { number: string } }[]; transactions?: { block_number: string | number }[] };
    const blocks = dump.blocks;
    if (!Array.isArray(blocks) || !Array.isArray(dump.transactions)) return undefined;
    if (keep <= 0 || blocks.length <= keep) return { json: text, blocks: blocks.length, kept: blocks.length };
    const kept = [...blocks].sort((a, b) => Number(BigInt(a.header.number) - BigInt(b.header.number))).slice(-keep);
    const oldest = BigInt(kept[0]!.header.number);
    dump.blocks = kept;
    dump.transactions = dump.transactions.filter((t) => BigInt(t.block_number) >= oldest);
    return { json: JSON.stringify(dump), blocks: blocks.length, kept: kept.length };
  } catch {
    return undefined;
  }
}

const live = new Set<ChildProcess>();
let hooked = false;

export async function startEmbeddedChain(
  dir: DataDir, opts: { chainId: number; durable: boolean; historyBlocks?: number; log?: (m: string) => void },
): Promise<EmbeddedChain> {
  await reapStale(dir.anvilPid);
  const history = opts.historyBlocks ?? 0;
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(opts.chainId), '--accounts', '2'];
  // Transactions and receipts of older blocks are dropped from memory (and so from every dump) as the chain grows.
  if (history > 0) args.push('--transaction-block-keeper', String(history));
  // The last dump is handed to anvil as a file (--load-state), not through anvil_loadState: anvil refuses JSON-RPC
  // bodies above about 2 MiB ("Invalid request"), which an unpruned dump passes after roughly 2,500 transactions,
  // and the node could then not restart at all. The file is derived (the durable copy stays state.hex).
  let loadNote = '';
  let viaRpc: string | undefined;
  const loadFile = join(dirname(dir.chainState), 'load.json');
  try { unlinkSync(loadFile); } catch { /* none */ }
  if (existsSync(dir.chainState)) {
    const hex = readFileSync(dir.chainState, 'utf8').trim();
    if (hex.length > 2) {
      const pruned = pruneStateDump(hex, history);
      if (pruned) {
        writeFileSync(loadFile, pruned.json, { mode: 0o600 });
        args.push('--load-state', loadFile);
        loadNote = `chain state restored (${(hex.length / 2 / 1024).toFixed(0)} KiB dump, ${pruned.kept} of ${pruned.blocks} blocks of history loaded)`;
      } else {
        viaRpc = hex;
      }
    }
  }
  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  if (!hooked) {
    hooked = true;
    process.on('exit', () => { for (const c of live) c.kill('SIGKILL'); });
  }
  const exited = new Promise<void>((r) => child.once('exit', () => { live.delete(child); r(); }));
  let out = '';
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`anvil did not start:\n${out}`)); }, 30_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Listening on [\d.]+:(\d+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    child.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`anvil exited (${code}):\n${out}`)); });
    child.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
  // From here on the output is noise; drop it so the pipe never fills.
  child.stdout!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  writeFileDurable(dir.anvilPid, String(child.pid));
  const rpcUrl = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { await rpc(rpcUrl, 'eth_chainId'); break; } catch (e) { if (i > 200) throw e; await new Promise((r) => setTimeout(r, 50)); }
  }
  try { unlinkSync(loadFile); } catch { /* none */ }
  if (loadNote) opts.log?.(loadNote);
  if (viaRpc) {
    // Not a dump this code understands (another anvil version?): let anvil itself try.
    await rpc(rpcUrl, 'anvil_loadState', [viaRpc]);
    opts.log?.(`chain state restored through anvil_loadState (${(viaRpc.length / 2 / 1024).toFixed(0)} KiB)`);
  }

  const dumpOnce = async () => {
    const hex = (await rpc(rpcUrl, 'anvil_dumpState')) as string;
    writeFileDurable(dir.chainState, hex);
  };
  // Group commit: at most one dump runs; callers arriving meanwhile share the next one.
  let running: Promise<void> | undefined;
  let next: Promise<void> | undefined;
  const persist = (): Promise<void> => {
    if (!opts.durable) return Promise.resolve();
    if (!running) {
      running = dumpOnce().finally(() => { running = undefined; });
      return running;
    }
    if (!next) {
      next = running.catch(() => {}).then(() => {
        next = undefined;
        running = dumpOnce().finally(() => { running = undefined; });
        return running;
      });
    }
    return next;
  };

  return {
    rpcUrl,
    chainId: opts.chainId,
    pid: child.pid!,
    persist,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        try { await persist(); } catch { /* the last acknowledged dump is already on disk */ }
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      }
      try { unlinkSync(dir.anvilPid); } catch { /* fine */ }
    },
  };
}
