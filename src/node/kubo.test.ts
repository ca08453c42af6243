// The node with its documents in Kubo (config `blockstore: { type: "kubo", url }`), over HTTP: against the local
// stand-in Kubo RPC server always, against a real Kubo when MASQUE_KUBO_URL is set (skipped otherwise: Debian ships
// no Kubo binary). A bad or unreachable URL fails the start, naming it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { MasqueClient, fromBase64, generateEncryptionKey, openSealed, sealForClaim, toBase64 } from '../sdk/index.js';
import { fakeKubo } from '../storage/kubo-fake.js';
import { startNode } from './node.js';
import { ConfigError } from './config.js';
import { startTestNode, type TestNode } from './test-helpers.js';
import { PIN_AUDIT, auditPins, type PinAuditResult } from './pins.js';
import type { KuboBlockstore } from '../storage/index.js';

const PLAINTEXT = 'Passport\nNumber: K12345678\n';

/** Creates an identity, submits a KYC application with a sealed document and reads it back as the issuer. */
async function roundTrip(t: TestNode): Promise<{ cid: string }> {
  const client = new MasqueClient(t.node.url);
  const { chainId, issuers } = await client.rpc.node_info({});
  const holder = privateKeyToAccount(generatePrivateKey());
  const issuerKey = generateEncryptionKey();
  const { identity } = await client.write('id_createIdentity', { wallet: holder.address }, holder);
  const ref = { chainId, identity: identity as Address, topic: 1 };
  const sealed = await sealForClaim(new TextEncoder().encode(PLAINTEXT), ref, [issuerKey.did]);
  const sub = await client.write('id_submitKycApplication', {
    identity: identity as Address, topic: 1, issuer: issuers.kyc!.address as Address, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
  }, holder);
  assert.equal(sub.cid, sealed.cid);
  const app = await client.write('id_getKycApplication', { applicationId: sub.applicationId, includeDocument: true }, t.issuerSigner);
  const plain = await openSealed(fromBase64(app.ciphertext!), app.envelopes[0]!.envelope!, issuerKey, ref);
  assert.equal(new TextDecoder().decode(plain), PLAINTEXT);
  return { cid: sub.cid };
}

describe('node with a Kubo blockstore', () => {
  let kubo: Awaited<ReturnType<typeof fakeKubo>>;
  let t: TestNode;
  before(async () => {
    kubo = await fakeKubo();
    t = await startTestNode({ blockstore: { type: 'kubo', url: kubo.url } });
  });
  after(async () => {
    await t?.stop();
    await kubo?.close();
  });

  it('stores and serves documents through Kubo RPC (pinned), nothing under <dataDir>/blocks', async () => {
    const { cid } = await roundTrip(t);
    assert.ok(kubo.blocks.has(cid), 'the block is in Kubo');
    const put = kubo.requests.find((r) => r.path === '/api/v0/block/put')!;
    assert.equal(put.query.get('pin'), 'true');
    assert.ok(kubo.requests.some((r) => r.path === '/api/v0/block/get' && r.query.get('arg') === cid));
    const blocksDir = join(t.dataDir, 'blocks');
    assert.ok(!existsSync(blocksDir) || readdirSync(blocksDir, { recursive: true }).length === 0);
  });

  it('the pin audit (recurring job) pins again what lost its pin, counts what Kubo lost, and records the result', async () => {
    const { cid } = await roundTrip(t);
    const { cid: other } = await roundTrip(t);
    kubo.pins.delete(cid); // an operator's `ipfs pin rm`
    kubo.pins.delete(other);
    kubo.blocks.delete(other); // ... and then a `repo gc`
    const ctx = t.node.ctx;
    // The recurring audit ran at start (this hour's run); an operator's extra run goes through the same queue.
    assert.ok((await ctx.repos.jobs.list({ kind: PIN_AUDIT })).some((j) => j.key?.startsWith('every:')), 'scheduled hourly');
    const { id } = await ctx.jobs.enqueue(PIN_AUDIT, null);
    for (let i = 0; (await ctx.repos.jobs.get(id))!.status !== 'done'; i++) {
      assert.ok(i < 400, 'the audit job finished');
      await new Promise((r) => setTimeout(r, 25));
    }
    const result = await ctx.repos.meta.get<PinAuditResult>(PIN_AUDIT);
    assert.ok(result, 'the audit recorded its result');
    assert.ok(result.checked >= 3, `${result.checked} documents checked`);
    assert.deepEqual([result.repinned, result.missing], [1, 1]);
    assert.ok(kubo.pins.has(cid), 'pinned again');
    assert.ok(kubo.requests.some((r) => r.path === '/api/v0/pin/ls') && kubo.requests.some((r) => r.path === '/api/v0/pin/add'));
    // Nothing left to do: a direct second pass finds every present document pinned.
    const again = await auditPins(ctx.repos, ctx.blocks as KuboBlockstore);
    assert.deepEqual([again.repinned, again.missing], [0, 1]);
  });
});

describe('Kubo blockstore refusals at start', () => {
  it('an unreachable or non-Kubo URL fails the start naming blockstore.url, before the chain starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'masque-kubo-'));
    try {
      const t0 = Date.now();
      await assert.rejects(
        startNode({ overrides: { dataDir, port: 0, logLevel: 'silent', blockstore: { type: 'kubo', url: 'http://127.0.0.1:9' } }, env: {} }),
        /blockstore\.url: no Kubo RPC API at http:\/\/127\.0\.0\.1:9/,
      );
      assert.ok(Date.now() - t0 < 10_000);
      assert.ok(!existsSync(join(dataDir, 'chain', 'anvil.pid')), 'no anvil was started');
      // Something that answers HTTP but is not Kubo (here: a node's own JSON-RPC port would do; a 404 server too).
      const other = await fakeKubo();
      try {
        await assert.rejects(
          startNode({ overrides: { dataDir, port: 0, logLevel: 'silent', blockstore: { type: 'kubo', url: `${other.url}/nope` } }, env: {} }),
          /no Kubo RPC API .*HTTP 404/,
        );
      } finally {
        await other.close();
      }
      await assert.rejects(
        startNode({ overrides: { dataDir, port: 0, logLevel: 'silent', blockstore: { type: 'kubo', url: 'localhost:5001' } }, env: {} }),
        (e: Error) => e instanceof ConfigError && /blockstore\.url/.test(e.message),
      );
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('node with a real Kubo', () => {
  it('round-trips a document (skipped without MASQUE_KUBO_URL)', async (ctx) => {
    const url = process.env.MASQUE_KUBO_URL;
    if (!url) {
      ctx.skip('no MASQUE_KUBO_URL: Debian has no Kubo package; the wire format is exercised against the stand-in server above');
      return;
    }
    const t = await startTestNode({ blockstore: { type: 'kubo', url } });
    try {
      await roundTrip(t);
    } finally {
      await t.stop();
    }
  });
});
