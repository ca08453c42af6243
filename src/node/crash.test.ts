// kill -9 of the node in the middle of a burst of writes: after a restart on the same data directory, every
// write the node acknowledged is there (chain state, SQLite rows and document bytes alike), and writing goes on.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { spawnNode } from './test-helpers.js';
import { MasqueClient, sealForClaim, generateEncryptionKey, toBase64, fromBase64, sha256Hex } from '../sdk/index.js';

const dataDir = mkdtempSync(join(tmpdir(), 'masque-crash-'));
const issuer = privateKeyToAccount(generatePrivateKey());
const children: ChildProcess[] = [];

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  // Four blocks of history: the restart loads a pruned dump, so pruning is under the kill -9 guarantee too.
  return spawnNode(dataDir, { MASQUE_CHAIN_HISTORY_BLOCKS: '4', MASQUE_ISSUERS: JSON.stringify([{ name: 'kyc', signer: issuer.address, topics: [1] }]) }, children);
}

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(dataDir, { recursive: true, force: true });
});

it('every acknowledged write survives kill -9 during a burst', { timeout: 180_000 }, async () => {
  const first = await startChild();
  const client = new MasqueClient(first.url);
  const { issuers, chainId } = await client.rpc.node_info({});
  const issuerKey = generateEncryptionKey();

  type Ack = { wallet: `0x${string}`; account: ReturnType<typeof privateKeyToAccount>; identity: string; applicationId?: string; digest?: string; plaintext?: string };
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
      identity: r.identity as `0x${string}`, topic: 1, issuer: issuers.kyc as `0x${string}`,
      document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
    }, w);
    ack.applicationId = s.applicationId;
    ack.digest = s.documentHash;
    ack.plaintext = plaintext;
  });
  // Eight concurrent clients; the node is killed once a third of the identities are acknowledged.
  let next = 0;
  const runners = Array.from({ length: 8 }, async () => {
    while (next < N && !killed) {
      const job = work[next++]!;
      try { await job(); } catch { /* in flight when killed: not acknowledged, no promise made */ }
      if (!killed && acked.length >= N / 3) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  });
  await Promise.all(runners);
  assert.ok(killed);
  await new Promise<void>((r) => (first.child.exitCode !== null || first.child.signalCode !== null ? r() : first.child.once('exit', () => r())));
  assert.ok(acked.length >= N / 3, `acknowledged ${acked.length}`);

  const second = await startChild();
  const c2 = new MasqueClient(second.url);
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
  // The relayer's nonce is resynchronised: writing goes on after the restart.
  const w = privateKeyToAccount(generatePrivateKey());
  const r = await c2.write('id_createIdentity', { wallet: w.address }, w);
  assert.equal(r.created, true);
  second.child.kill('SIGTERM');
  await new Promise((res) => second.child.once('exit', res));
});
