// Starts a local anvil node (from the @foundry-rs/anvil npm package) as a child process on a free loopback port.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export interface AnvilOptions {
  /** Chain id (anvil's default 31337). */
  chainId?: number;
  /** Mnemonic of the funded dev accounts (anvil's default "test test ... junk"). */
  mnemonic?: string;
  /** Seconds between blocks; omitted = a block per transaction (automine). */
  blockTime?: number;
  /** File to load the state from and dump it to on exit (anvil --state), for persistence across runs. */
  statePath?: string;
  /** Number of funded accounts (default 10). */
  accounts?: number;
  /** Block base fee; 0 makes gas accounting in tests exact. */
  baseFee?: bigint;
  /** Hard fork name (anvil's default when omitted). */
  hardfork?: string;
  /** Extra command-line arguments. */
  args?: string[];
  /** Milliseconds to wait for the node to answer (default 20 s). */
  timeoutMs?: number;
}

export interface Anvil {
  rpcUrl: `http://${string}`;
  port: number;
  chainId: number;
  /** Stops the node (waits for the process to exit, so a --state dump is complete). */
  stop(): Promise<void>;
}

/** Path of the anvil binary: $ANVIL_BIN, else the platform package that @foundry-rs/anvil installs. */
export function anvilBinary(): string {
  return foundryBinary('anvil', 'ANVIL_BIN');
}

/**
 * Path of a Foundry tool's binary (anvil, forge): `$<envVar>`, else the platform package its npm package installs
 * (`@foundry-rs/<tool>-<platform>-<arch>`, the binary in its `bin/`).
 */
export function foundryBinary(tool: 'anvil' | 'forge', envVar: string): string {
  const fromEnv = process.env[envVar];
  if (fromEnv) return fromEnv;
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  const pkg = `@foundry-rs/${tool}-${process.platform}-${arch}`;
  let dir: string;
  try {
    dir = dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`${tool} binary package ${pkg} is not installed (set ${envVar} to use another binary)`);
  }
  const bin = join(dir, 'bin', process.platform === 'win32' ? `${tool}.exe` : tool);
  if (!existsSync(bin)) throw new Error(`${tool} binary not found at ${bin}`);
  return bin;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: a plain kill is all we can do there.
  const killAll = () => { for (const c of live) c.kill('SIGKILL'); };
  process.on('exit', killAll);
  // A signal ends the process without 'exit' handlers: kill the nodes, then let the signal do its default.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      killAll();
      if (process.listenerCount(sig) === 0) process.kill(process.pid, sig);
    });
  }
}

/** One JSON-RPC call with plain fetch: for test/dev RPC methods viem has no typed action for. */
export async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Starts anvil on 127.0.0.1 with an OS-chosen port and resolves once it answers eth_chainId. */
export async function startAnvil(opts: AnvilOptions = {}): Promise<Anvil> {
  const chainId = opts.chainId ?? 31337;
  // --port 0 lets the OS pick a free port (no race between probing and binding); anvil prints the real one.
  const args = ['--host', '127.0.0.1', '--port', '0', '--chain-id', String(chainId)];
  if (opts.mnemonic) args.push('--mnemonic', opts.mnemonic);
  if (opts.blockTime !== undefined) args.push('--block-time', String(opts.blockTime));
  if (opts.statePath) args.push('--state', opts.statePath);
  if (opts.accounts !== undefined) args.push('--accounts', String(opts.accounts));
  if (opts.baseFee !== undefined) args.push('--block-base-fee-per-gas', opts.baseFee.toString());
  if (opts.hardfork) args.push('--hardfork', opts.hardfork);
  args.push(...(opts.args ?? []));

  const child = spawn(anvilBinary(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  installExitHook();
  const exited = new Promise<void>((res) => child.once('exit', () => { live.delete(child); res(); }));

  let log = '';
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => fail(new Error(`anvil did not start within ${opts.timeoutMs ?? 20000} ms:\n${log}`)), opts.timeoutMs ?? 20000);
    const onData = (chunk: Buffer) => {
      log += chunk.toString();
      const m = /Listening on [\d.]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolvePort(Number(m[1]));
      }
    };
    function fail(e: Error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(e);
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (c: Buffer) => { log += c.toString(); });
    child.once('exit', (code) => fail(new Error(`anvil exited with code ${code}:\n${log}`)));
    child.once('error', fail);
  });
  // Keep draining output so a full pipe never blocks the node.
  child.stdout?.resume();
  child.stderr?.resume();

  const rpcUrl = `http://127.0.0.1:${port}` as const;
  const deadline = Date.now() + (opts.timeoutMs ?? 20000);
  for (;;) {
    try {
      await rpc(rpcUrl, 'eth_chainId');
      break;
    } catch (e) {
      if (Date.now() > deadline) { child.kill('SIGKILL'); throw e; }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  // Without an unref the child's pipes would keep a test process alive after its last test.
  child.unref();
  (child.stdout as unknown as { unref?: () => void } | null)?.unref?.();
  (child.stderr as unknown as { unref?: () => void } | null)?.unref?.();

  return {
    rpcUrl,
    port,
    chainId,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      // SIGTERM lets anvil dump --state before exiting.
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** JSON-RPC helpers for test isolation and time travel. */
export const anvilRpc = {
  snapshot: (url: string) => rpc(url, 'evm_snapshot') as Promise<`0x${string}`>,
  revert: async (url: string, id: `0x${string}`) => {
    if ((await rpc(url, 'evm_revert', [id])) !== true) throw new Error(`evm_revert ${id} failed`);
  },
  increaseTime: (url: string, seconds: number) => rpc(url, 'evm_increaseTime', [seconds]),
  mine: (url: string, blocks = 1) => rpc(url, 'anvil_mine', [`0x${blocks.toString(16)}`]),
  setNextBlockTimestamp: (url: string, ts: number | bigint) => rpc(url, 'evm_setNextBlockTimestamp', [Number(ts)]),
  raw: rpc,
};
