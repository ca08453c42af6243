// The KYC review queue over HTTP: id_listKycApplications (issuer's queue and applicant's own, every filter) and
// id_assignKycApplication (to the issuer's reviewers only), with every refusal and bad params naming the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { generateEncryptionKey, type MasqueClient, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import { connectClient, expectRpcRefusal, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let kycIssuer: Address;
let amlIssuer: Address;
const alice = privateKeyToAccount(generatePrivateKey());
const bob = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const issuerKey = generateEncryptionKey();
const ids: Record<string, Address> = {};
const apps: string[] = [];

async function submit(who: typeof alice, topic: number, issuer: Address): Promise<string> {
  const identity = ids[who.address]!;
  const sealed = await sealForClaim(new TextEncoder().encode(`document of ${who.address} for topic ${topic}`), { chainId, identity, topic }, [issuerKey.did]);
  const r = await client.write('id_submitKycApplication', { identity, topic, issuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, who);
  return r.applicationId;
}

describe('KYC review queue', () => {
  before(async () => {
    t = await startTestNode();
    ({ client, chainId, kycIssuer, amlIssuer } = await connectClient(t));
    for (const w of [alice, bob]) ids[w.address] = (await client.write('id_createIdentity', { wallet: w.address }, w)).identity as Address;
    apps.push(await submit(alice, 1, kycIssuer));
    apps.push(await submit(bob, 1, kycIssuer));
    apps.push(await submit(bob, 2, amlIssuer));
  });
  after(() => t?.stop());

  it("lists the issuer's queue oldest first, with filters by status, topic and age", async () => {
    const all = await client.write('id_listKycApplications', { issuer: kycIssuer }, t.issuerSigner);
    assert.equal(all.total, 2);
    assert.deepEqual(all.applications.map((a) => a.id), apps.slice(0, 2));
    assert.equal(all.applications[0]!.assignee, null);
    assert.equal((all.applications[0] as Record<string, unknown>).history, undefined, 'a listing carries no history');
    const aml = await client.write('id_listKycApplications', { issuer: amlIssuer, topic: 2 }, t.amlSigner);
    assert.deepEqual(aml.applications.map((a) => a.id), [apps[2]]);
    assert.equal((await client.write('id_listKycApplications', { issuer: kycIssuer, topic: 2 }, t.issuerSigner)).total, 0);
    assert.equal((await client.write('id_listKycApplications', { issuer: kycIssuer, status: 'approved' }, t.issuerSigner)).total, 0);
    const now = Math.floor(Date.now() / 1000);
    assert.equal((await client.write('id_listKycApplications', { issuer: kycIssuer, createdBefore: now - 3600 }, t.issuerSigner)).total, 0, 'none older than an hour');
    assert.equal((await client.write('id_listKycApplications', { issuer: kycIssuer, createdAfter: now - 3600 }, t.issuerSigner)).total, 2);
    const page = await client.write('id_listKycApplications', { issuer: kycIssuer, limit: 1, offset: 1 }, t.issuerSigner);
    assert.equal(page.total, 2);
    assert.deepEqual(page.applications.map((a) => a.id), [apps[1]]);
  });

  it("an applicant lists its own applications, across issuers, and nobody else's", async () => {
    const own = await client.write('id_listKycApplications', { identity: ids[bob.address]! }, bob);
    assert.deepEqual(own.applications.map((a) => a.id).sort(), [apps[1], apps[2]].sort());
    await expectRpcRefusal(client.write('id_listKycApplications', { identity: ids[bob.address]! }, alice), -32001, /management key/);
    await expectRpcRefusal(client.write('id_listKycApplications', { issuer: kycIssuer }, alice), -32001, /claim-signer or management key/);
    await expectRpcRefusal(client.write('id_listKycApplications', { issuer: kycIssuer }, t.amlSigner), -32001);
    await expectRpcRefusal(client.write('id_listKycApplications', { issuer: kycIssuer }, stranger), -32001);
  });

  it("assigns to the issuer's reviewers only, releases, and filters by assignee", async () => {
    const r = await client.write('id_assignKycApplication', { applicationId: apps[0]!, assignee: t.issuerSigner.address }, t.issuerSigner);
    assert.equal(r.assignee, t.issuerSigner.address.toLowerCase());
    assert.equal(r.assignedBy, t.issuerSigner.address.toLowerCase());
    assert.ok(r.assignedAt! > Date.now() - 60_000);
    const mine = await client.write('id_listKycApplications', { issuer: kycIssuer, assignee: t.issuerSigner.address }, t.issuerSigner);
    assert.deepEqual(mine.applications.map((a) => a.id), [apps[0]]);
    const open = await client.write('id_listKycApplications', { issuer: kycIssuer, assignee: 'unassigned' }, t.issuerSigner);
    assert.deepEqual(open.applications.map((a) => a.id), [apps[1]]);
    // Not a reviewer of this issuer: the AML issuer's signer, a stranger.
    const e = await expectRpcRefusal(client.write('id_assignKycApplication', { applicationId: apps[1]!, assignee: t.amlSigner.address }, t.issuerSigner), -32602, /no claim-signer or management key/);
    assert.equal(e.field, 'assignee');
    await expectRpcRefusal(client.write('id_assignKycApplication', { applicationId: apps[1]!, assignee: t.issuerSigner.address }, stranger), -32001);
    const notBob = await expectRpcRefusal(client.write('id_assignKycApplication', { applicationId: apps[1]!, assignee: t.issuerSigner.address }, bob), -32001, /signer of its issuer/);
    // An unknown id gets the very same refusal: no key learns which application ids exist.
    const unknown = await expectRpcRefusal(client.write('id_assignKycApplication', { applicationId: '00000000-0000-4000-8000-000000000000', assignee: null }, t.issuerSigner), -32001);
    assert.deepEqual([unknown.message, unknown.data], [notBob.message, notBob.data]);
    const released = await client.write('id_assignKycApplication', { applicationId: apps[0]!, assignee: null }, t.issuerSigner);
    assert.equal(released.assignee, null);
    assert.equal((await client.write('id_listKycApplications', { issuer: kycIssuer, assignee: 'unassigned' }, t.issuerSigner)).total, 2);
  });

  it('a decided application is no longer assignable, and the status filter finds it', async () => {
    const now = Math.floor(Date.now() / 1000);
    await client.write('id_reviewKycApplication', { applicationId: apps[1]!, decision: 'reject', reason: 'document unreadable' }, t.issuerSigner);
    await expectRpcRefusal(client.write('id_assignKycApplication', { applicationId: apps[1]!, assignee: t.issuerSigner.address }, t.issuerSigner), -32003, /already rejected/);
    const rejected = await client.write('id_listKycApplications', { issuer: kycIssuer, status: 'rejected' }, t.issuerSigner);
    assert.deepEqual(rejected.applications.map((a) => [a.id, a.reason]), [[apps[1], 'document unreadable']]);
    const app = await client.write('id_getKycApplication', { applicationId: apps[0]! }, t.issuerSigner);
    const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity: app.identity as Address, topic: 1n, documentHash: app.documentHash as `0x${string}`, issuedAt: BigInt(now - 60), expiresAt: BigInt(now + 86400) });
    await client.write('id_reviewKycApplication', { applicationId: apps[0]!, decision: 'approve', claim: { issuedAt: now - 60, expiresAt: now + 86400, signature } }, t.issuerSigner);
    const approved = await client.write('id_listKycApplications', { issuer: kycIssuer, status: 'approved' }, t.issuerSigner);
    assert.equal(approved.applications[0]!.claimId?.length, 66);
  });

  it('bad params name the field', async () => {
    const both = await client.sign('id_listKycApplications', { issuer: kycIssuer, identity: ids[bob.address]! }, bob);
    assert.equal((await expectRpcRefusal(client.call('id_listKycApplications', both), -32602)).field, 'issuer');
    const neither = await client.sign('id_listKycApplications', {}, bob);
    assert.equal((await expectRpcRefusal(client.call('id_listKycApplications', neither), -32602)).field, 'issuer');
    for (const [params, field] of [
      [{ issuer: kycIssuer, status: 'open' }, 'status'],
      [{ issuer: kycIssuer, limit: 0 }, 'limit'],
      [{ issuer: kycIssuer, limit: 1000 }, 'limit'],
      [{ issuer: kycIssuer, assignee: 'someone' }, 'assignee'],
      [{ issuer: kycIssuer, createdAfter: -1 }, 'createdAfter'],
    ] as const) {
      const signed = await client.sign('id_listKycApplications', params as never, t.issuerSigner);
      assert.equal((await expectRpcRefusal(client.call('id_listKycApplications', signed), -32602)).field, field);
    }
    const ordered = await client.sign('id_listKycApplications', { issuer: kycIssuer, createdAfter: 2000, createdBefore: 1000 }, t.issuerSigner);
    assert.equal((await expectRpcRefusal(client.call('id_listKycApplications', ordered), -32602)).field, 'createdBefore');
    for (const [params, field] of [
      [{ applicationId: 'nope', assignee: null }, 'applicationId'],
      [{ applicationId: apps[0]!, assignee: '0x12' }, 'assignee'],
    ] as const) {
      const signed = await client.sign('id_assignKycApplication', params as never, t.issuerSigner);
      assert.equal((await expectRpcRefusal(client.call('id_assignKycApplication', signed), -32602)).field, field);
    }
    await expectRpcRefusal(client.call('id_listKycApplications', { issuer: kycIssuer } as never), -32602);
  });
});
