// kill -9 in the middle of a burst of writes: after a restart, every write the node acknowledged is there (chain
// state, database rows and document bytes alike), and writing goes on. Killed: the node on SQLite, the node on
// PostgreSQL, and the PostgreSQL server itself under a running node (its WAL is the guarantee then).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { spawnNode } from './test-helpers.js';
import { testPostgres } from './db/test-engines.js';
import { MasqueClient, sealForClaim, generateEncryptionKey, toBase64, fromBase64, sha256Hex } from '../sdk/index.js';

const dirs: string[] = [];
const issuer = privateKeyToAccount(generatePrivateKey());
const children: ChildProcess[] = [];

function startChild(dataDir: string, env: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string }> {
  // Four blocks of history: the restart loads a pruned dump, so pruning is under the kill -9 guarantee too.
  return spawnNode(dataDir, { MASQUE_CHAIN_HISTORY_BLOCKS: '4', MASQUE_ISSUERS: JSON.stringify([{ name: 'kyc', signer: issuer.address, topics: [1] }]), ...env }, children);
}

function newDataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'masque-crash-'));
  dirs.push(d);
  return d;
}

const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

type Ack = { wallet: `0x${string}`; account: ReturnType<typeof privateKeyToAccount>; identity: string; applicationId?: string; digest?: string };

/**
 * Eight concurrent clients create identities and submit KYC documents through `url`; `kill` runs once a third of
 * the identities are acknowledged, and the burst stops. Returns what was acknowledged.
 */
async function burst(url: string, kill: () => void | Promise<void>): Promise<Ack[]> {
  const client = new MasqueClient(url);
  const { issuers, chainId } = await client.rpc.node_info({});
  const issuerKey = generateEncryptionKey();
  const acked: Ack[] = [];
  let killed = false;
  const N = 40;
  const work = Array.from({ length: N }, (_, i) => async () => {
    const w = privateKeyToAccount(generatePrivateKey());
    const r = await client.write('id_createIdentity', { wallet: w.address }, w);
    const ack: Ack = { wallet: w.address, account: w, identity: r.identity };
    acked.push(ack);
    const plaintext = `document ${i} ${w.address}`;
    const sealed = await sealForClaim(new TextEncoder().encode(plaintext), { chainId, identity: r.identity as `0x${string}`, topic: 1 }, [issuerKey.did]);
    const s = await client.write('id_submitKycApplication', {
      identity: r.identity as `0x${string}`, topic: 1, issuer: issuers.kyc!.address as `0x${string}`,
      document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
    }, w);
    ack.applicationId = s.applicationId;
    ack.digest = s.documentHash;
  });
  let next = 0;
  const runners = Array.from({ length: 8 }, async () => {
    while (next < N && !killed) {
      const job = work[next++]!;
      try { await job(); } catch { /* in flight when killed: not acknowledged, no promise made */ }
      if (!killed && acked.length >= N / 3) {
        killed = true;
        await kill();
      }
    }
  });
  await Promise.all(runners);
  assert.ok(killed);
  assert.ok(acked.length >= N / 3, `acknowledged ${acked.length}`);
  return acked;
}

/** Every acknowledged identity, application and document is there; then a new write succeeds (nonce resynchronised). */
async function checkAcknowledged(url: string, acked: Ack[]): Promise<void> {
  const c2 = new MasqueClient(url);
  let apps = 0;
  for (const a of acked) {
    const got = await c2.rpc.id_getIdentity({ wallet: a.wallet });
    assert.equal(got.identity, a.identity, `identity of ${a.wallet} lost`);
    assert.ok(got.keys.length >= 2);
    if (a.applicationId) {
      apps++;
      const app = await c2.write('id_getKycApplication', { applicationId: a.applicationId, includeDocument: true }, a.account);
      assert.equal(app.status, 'pending');
      assert.equal(app.documentHash, a.digest);
      assert.equal(sha256Hex(fromBase64(app.ciphertext!)), a.digest, 'document bytes lost or torn');
    }
  }
  assert.ok(apps > 0, 'no application was acknowledged before the kill');
  const w = privateKeyToAccount(generatePrivateKey());
  const r = await c2.write('id_createIdentity', { wallet: w.address }, w);
  assert.equal(r.created, true);
}

async function killNodeMidBurst(env: Record<string, string>): Promise<void> {
  const dataDir = newDataDir();
  const first = await startChild(dataDir, env);
  const acked = await burst(first.url, () => { first.child.kill('SIGKILL'); });
  await exited(first.child);
  const second = await startChild(dataDir, env);
  await checkAcknowledged(second.url, acked);
  second.child.kill('SIGTERM');
  await exited(second.child);
}

describe('kill -9', () => {
  it('of the node on SQLite: every acknowledged write survives', { timeout: 180_000 }, () => killNodeMidBurst({}));

  it('of the node on PostgreSQL: every acknowledged write survives', { timeout: 180_000 }, async () => {
    const url = await (await testPostgres()).createDatabase(`crash_node_${process.pid}`);
    await killNodeMidBurst({ MASQUE_DATABASE_URL: url });
  });

  it('of the PostgreSQL server under a running node: after its restart every acknowledged write is there', { timeout: 180_000 }, async () => {
    const server = await testPostgres();
    const url = await server.createDatabase(`crash_server_${process.pid}`);
    const node = await startChild(newDataDir(), { MASQUE_DATABASE_URL: url });
    // The server dies mid-burst: requests fail (unacknowledged) until it is back from its WAL; the node stays up.
    const acked = await burst(node.url, () => server.kill9());
    await server.restart();
    await checkAcknowledged(node.url, acked);
    node.child.kill('SIGTERM');
    await exited(node.child);
  });
});
