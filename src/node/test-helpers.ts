import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { startNode, type RunningNode } from './node.js';
import type { NodeConfigInput } from './config.js';
import { MasqueClient, MasqueRpcError } from '../sdk/index.js';
import { suiteDatabase } from './db/test-engines.js';

export interface TestNode {
  node: RunningNode;
  dataDir: string;
  issuerSigner: PrivateKeyAccount;
  issuerPrivateKey: `0x${string}`;
  amlSigner: PrivateKeyAccount;
  /** Stops the node and starts it again on the same data directory (`node` is the new one); `extra` changes config. */
  restart(extra?: Partial<NodeConfigInput>): Promise<RunningNode>;
  stop(): Promise<void>;
}

/**
 * One node per test file: embedded anvil, a KYC issuer (topic 1) and an AML issuer (topic 2); SQLite, or a fresh
 * PostgreSQL database when the suite runs as its PostgreSQL twin (db/test-engines.ts).
 */
export async function startTestNode(extra: Partial<NodeConfigInput> = {}): Promise<TestNode> {
  const dataDir = mkdtempSync(join(tmpdir(), 'masque-node-test-'));
  const issuerPrivateKey = generatePrivateKey();
  const issuerSigner = privateKeyToAccount(issuerPrivateKey);
  const amlSigner = privateKeyToAccount(generatePrivateKey());
  const database = await suiteDatabase();
  const start = (more: Partial<NodeConfigInput>) => startNode({
    overrides: {
      dataDir, port: 0, logLevel: 'silent', ...(database ? { database } : {}),
      issuers: [
        { name: 'kyc', signer: issuerSigner.address, topics: [1] },
        { name: 'aml', signer: amlSigner.address, topics: [2] },
      ],
      ...extra,
      ...more,
    },
    env: {},
  });
  const t: TestNode = {
    node: await start({}), dataDir, issuerSigner, issuerPrivateKey, amlSigner,
    async restart(more = {}) {
      await t.node.stop();
      t.node = await start(more);
      return t.node;
    },
    async stop() {
      await t.node.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  assert.equal(t.node.ctx.repos.dialect, database ? 'postgres' : 'sqlite', 'the node runs on the suite\'s engine');
  return t;
}

/**
 * Starts `main.ts` as a child process (a test can then kill -9 it) with `env` on top of this process's; resolves
 * with its URL once it prints its `listening` line, rejects if it exits first. The child goes into `children` at
 * once, so the caller can kill it even when the start fails.
 */
export function spawnNode(dataDir: string, env: Record<string, string>, children: ChildProcess[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts'), '--data-dir', dataDir, '--port', '0'], {
    env: { ...process.env, MASQUE_LOG_LEVEL: 'silent', MASQUE_SCREENING: 'off', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      try {
        const m = JSON.parse(line) as { event?: string; url?: string };
        if (m.event === 'listening') resolve({ child, url: m.url! });
      } catch { /* not ours */ }
    });
    child.once('exit', (code) => reject(new Error(`node exited early (${code})`)));
  });
}

/** Asserts that `p` fails with a JSON-RPC error of `code` (and a message matching `re`); returns the error. */
export async function expectRpcRefusal(p: Promise<unknown>, code: number, re?: RegExp): Promise<MasqueRpcError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof MasqueRpcError, `expected an RPC error, got ${e}`);
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    return e;
  }
  assert.fail('expected a refusal');
}

/** A client of the test node and what most tests read first: the chain id and the two configured issuers. */
export async function connectClient(t: TestNode): Promise<{ client: MasqueClient; chainId: number; kycIssuer: `0x${string}`; amlIssuer: `0x${string}` }> {
  const client = new MasqueClient(t.node.url);
  const info = await client.rpc.node_info({});
  return { client, chainId: info.chainId, kycIssuer: info.issuers.kyc!.address as `0x${string}`, amlIssuer: info.issuers.aml!.address as `0x${string}` };
}

/** The file of a block in an FsBlockstore directory (sharded by CID). */
export function blockPath(root: string, cid: string): string {
  for (const shard of readdirSync(root)) {
    const p = join(root, shard, cid);
    try { if (statSync(p).isFile()) return p; } catch { /* next */ }
  }
  throw new Error(`block ${cid} not found`);
}

/** Polls `fn` every 200 ms until it returns something truthy (returned), failing after `timeoutMs`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
