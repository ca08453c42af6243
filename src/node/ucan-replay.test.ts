// Document-read invocations are single-use (durably: a replay is refused after a restart) and valid for minutes at
// most (configurable); delegations keep their own expiry.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MasqueClient, delegateRead, generateEncryptionKey, readRequest, rewrapFor, sealForClaim, signClaim, toBase64, type UcanToken } from '../sdk/index.js';
import { loadConfig } from './config.js';
import { expectRpcRefusal, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let identity: Address;
let proofs: UcanToken[];
const holder = privateKeyToAccount(generatePrivateKey());
const verifier = privateKeyToAccount(generatePrivateKey());

const read = (seconds?: number) => readRequest(verifier, {
  chainId, holder: holder.address, identity, topic: 1, proofs, audience: `did:pkh:eip155:${chainId}:${t.node.ctx.relayerAddress}`, ...(seconds ? { seconds } : {}),
});
const refusedAs = async (p: Promise<unknown>, reason: string, re?: RegExp) => {
  const e = await expectRpcRefusal(p, -32001, re);
  assert.deepEqual(e.data, { layer: 'ucan', reason });
};

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
  chainId = t.node.ctx.chainId;
  const kycIssuer = t.node.ctx.deployment.issuers.kyc as Address;
  const holderKey = generateEncryptionKey();
  const issuerKey = generateEncryptionKey();
  const verifierKey = generateEncryptionKey();
  identity = (await client.write('id_createIdentity', { wallet: holder.address }, holder)).identity as Address;
  const sealed = await sealForClaim(new TextEncoder().encode('passport'), { chainId, identity, topic: 1 }, [issuerKey.did, holderKey.did]);
  const { applicationId } = await client.write('id_submitKycApplication', {
    identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
  }, holder);
  const now = Number((await t.node.ctx.clients.publicClient.getBlock()).timestamp);
  const window = { issuedAt: now - 5, expiresAt: now + 30 * 86400 };
  const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity, topic: 1n, documentHash: sealed.documentHash as Hex, issuedAt: BigInt(window.issuedAt), expiresAt: BigInt(window.expiresAt) });
  await client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { ...window, signature } }, t.issuerSigner);
  const envelope = await rewrapFor(sealed.envelopes[1]!.envelope, holderKey, verifierKey.did);
  await client.write('id_grantClaimAccess', { identity, topic: 1, verifier: verifier.address, verifierKey: verifierKey.did, envelope }, holder);
  // A ten-year delegation: delegations keep their own expiry, only invocations are capped.
  proofs = [await delegateRead(holder, { chainId, verifier: verifier.address, identity, topic: 1, seconds: 10 * 365 * 86400 })];
});
after(async () => { await t?.stop(); });

describe('document-read invocations', () => {
  it('are single-use: a replay is refused, by this node and after its restart', async () => {
    const first = await read();
    assert.ok((await client.rpc.id_getClaimDocument(first)).ciphertext);
    await refusedAs(client.rpc.id_getClaimDocument(first), 'replayed', /already used/);
    const second = await read();
    await client.rpc.id_getClaimDocument(second);
    assert.equal(await t.node.ctx.repos.ucanInvocations.count(), 2);
    await t.restart();
    client = new MasqueClient(t.node.url);
    for (const used of [first, second]) await refusedAs(client.rpc.id_getClaimDocument(used), 'replayed');
    assert.ok((await client.rpc.id_getClaimDocument(await read())).ciphertext, 'a fresh invocation still works');
  });

  it('of two concurrent presentations of one invocation, one is served', async () => {
    const inv = await read();
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => client.rpc.id_getClaimDocument(inv)));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
  });

  it('valid for ten years is refused with the limit named; the limit is configurable', async () => {
    await refusedAs(client.rpc.id_getClaimDocument(await read(10 * 365 * 86400)), 'too-long-lived', /at most 300 s/);
    await refusedAs(client.rpc.id_getClaimDocument(await read(301 + 5)), 'too-long-lived');
    await client.rpc.id_getClaimDocument(await read(290));
    await t.restart({ maxInvocationLifetime: 30 });
    client = new MasqueClient(t.node.url);
    await refusedAs(client.rpc.id_getClaimDocument(await read(60)), 'too-long-lived', /at most 30 s/);
    await client.rpc.id_getClaimDocument(await read(20));
    assert.equal(loadConfig({ overrides: { dataDir: t.dataDir }, env: { MASQUE_MAX_INVOCATION_LIFETIME: '120' } }).maxInvocationLifetime, 120);
    assert.throws(() => loadConfig({ overrides: { dataDir: t.dataDir }, env: { MASQUE_MAX_INVOCATION_LIFETIME: '0' } }), /maxInvocationLifetime/);
  });
});
