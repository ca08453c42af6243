// End to end over HTTP against one started node: the onboarding story, every access-control refusal, bad params
// for every method, and a scan of the whole chain for personal data.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createPublicClient, http, parseEventLogs, toHex, type Address, type Hex } from 'viem';
import { MasqueClient, delegateRead, generateEncryptionKey, openSealed, readRequest, rewrapFor, sealForClaim, signClaim, toBase64, fromBase64, type UcanToken } from '../sdk/index.js';
import { claimTypedData, encodeClaimData, registryKey, walletKey } from '../chain/identity.js';
import { claimIssuerAbi } from '../chain/artifacts/ClaimIssuer.js';
import { identityAbi } from '../chain/artifacts/Identity.js';
import { api, type MethodName } from '../protocol/api.js';
import { requestTypedData } from '../protocol/request.js';
import { blockPath, expectRpcRefusal, startTestNode, type TestNode } from './test-helpers.js';
import { settlePendingRevocations } from './methods/access.js';
import { accessGrant } from './chain/reads.js';
import { UcanRepo } from './db/ucan.js';

const NAME = 'Zoe Quintessa Marlowe-Testperson';
const PLAINTEXT = `Passport\nName: ${NAME}\nNumber: X99887766\nBorn: 1990-02-03\n`;

let t: TestNode;
let client: MasqueClient;
let chainId: number;
const holder = privateKeyToAccount(generatePrivateKey());
const verifier = privateKeyToAccount(generatePrivateKey());
const otherVerifier = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const holderKey = generateEncryptionKey();
const issuerKey = generateEncryptionKey();
const verifierKey = generateEncryptionKey();
const otherVerifierKey = generateEncryptionKey();
let identity: Address;
let kycIssuer: Address;
let amlIssuer: Address;
let applicationId: string;

const refused = expectRpcRefusal;

async function claimSig(signer: PrivateKeyAccount, issuer: Address, id: Address, topic: number, documentHash: Hex, issuedAt: number, expiresAt: number) {
  return (await signClaim(signer, { chainId, issuer, identity: id, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) })).signature;
}

const now = () => Math.floor(Date.now() / 1000);
const claimRef = (topic = 1) => ({ chainId, identity, topic });
const dlg = (to: PrivateKeyAccount, topic = 1, seconds = 600, from: PrivateKeyAccount = holder) =>
  delegateRead(from, { chainId, verifier: to.address, identity, topic, seconds });
const nodeDid = () => `did:pkh:eip155:${chainId}:${t.node.ctx.relayerAddress}`;
const req = (by: PrivateKeyAccount, proofs: UcanToken[], topic = 1) => readRequest(by, { chainId, holder: holder.address, identity, topic, proofs, audience: nodeDid() });
function allFiles(root: string): string[] {
  return readdirSync(root, { recursive: true }).map(String).map((f) => join(root, f)).filter((f) => statSync(f).isFile());
}

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
  const info = await client.rpc.node_info({});
  chainId = info.chainId;
  kycIssuer = info.issuers.kyc!.address as Address;
  amlIssuer = info.issuers.aml!.address as Address;
});
after(async () => { await t?.stop(); });

describe('JSON-RPC surface', () => {
  it('rpc.discover lists every method with schemas', async () => {
    const doc = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'rpc.discover' })) as { result: { openrpc: string; methods: { name: string; params: unknown[] }[] } };
    const names = doc.result.methods.map((m) => m.name).sort();
    assert.deepEqual(names, Object.keys(api).sort());
    assert.ok(doc.result.openrpc.startsWith('1.'));
  });

  it('malformed JSON -> -32700, unknown method -> -32601, invalid request -> -32600', async () => {
    const res = await fetch(t.node.url, { method: 'POST', body: '{"jsonrpc":"2.0",' });
    assert.equal(((await res.json()) as { error: { code: number } }).error.code, -32700);
    await refused(client.call('id_nope' as MethodName, {} as never), -32601);
    const bad = (await client.raw({ jsonrpc: '1.0', id: 1, method: 'x' })) as { error: { code: number } };
    assert.equal(bad.error.code, -32600);
    const empty = (await client.raw([])) as { error: { code: number } };
    assert.equal(empty.error.code, -32600);
  });

  it('batches mix node methods, pass-through and errors; notifications get no answer', async () => {
    const res = (await client.raw([
      { jsonrpc: '2.0', id: 'a', method: 'eth_chainId' },
      { jsonrpc: '2.0', id: 'b', method: 'net_version' },
      { jsonrpc: '2.0', id: 'c', method: 'web3_clientVersion' },
      { jsonrpc: '2.0', id: 'd', method: 'node_info', params: {} },
      { jsonrpc: '2.0', id: 'e', method: 'id_verifyClaim', params: { identity: 'nope', topic: 1 } },
      { jsonrpc: '2.0', method: 'node_info', params: {} },
    ])) as { id: string; result?: unknown; error?: { code: number } }[];
    assert.equal(res.length, 5);
    const byId = Object.fromEntries(res.map((r) => [r.id, r]));
    assert.equal(byId.a!.result, toHex(chainId));
    assert.equal(byId.b!.result, String(chainId));
    assert.match(String(byId.c!.result), /anvil/i);
    assert.equal(byId.e!.error!.code, -32602);
    const onlyNotification = await fetch(t.node.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', method: 'node_info' }) });
    assert.equal(onlyNotification.status, 204);
  });

  it('oversized bodies are refused', async () => {
    const res = await fetch(t.node.url, { method: 'POST', body: 'x'.repeat(17 * 1024 * 1024) }).catch((e) => e as Error);
    if (res instanceof Response) assert.equal(res.status, 413);
  });

  it('bad params for every method name the field (-32602)', async () => {
    for (const name of Object.keys(api) as MethodName[]) {
      const shape = api[name].params.shape as Record<string, unknown>;
      const keys = Object.keys(shape);
      // An unknown field is refused by every method; a wrongly typed first field too.
      const e1 = await refused(client.call(name, { bogusField: 1 } as never), -32602);
      assert.ok(e1.field, `${name}: no field named`);
      if (keys.length) {
        const e2 = await refused(client.call(name, { [keys[0]!]: { not: 'valid' } } as never), -32602);
        assert.ok(e2.field, `${name}: no field named for ${keys[0]}`);
      }
    }
  });
});

describe('onboarding story', () => {
  it('creates the identity (holder-signed, node-relayed) and is idempotent', async () => {
    const r = await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder);
    identity = r.identity as Address;
    assert.equal(r.created, true);
    const again = await client.write('id_createIdentity', { wallet: holder.address }, holder);
    assert.equal(again.identity, identity);
    assert.equal(again.created, false);
    const got = await client.rpc.id_getIdentity({ wallet: holder.address });
    assert.equal(got.identity, identity);
    assert.equal(got.registered, true);
    assert.equal(got.verified, false);
  });

  it('refuses a write signed by someone else, and a replayed authorization', async () => {
    const signed = await client.sign('id_createIdentity', { wallet: holder.address }, stranger);
    await refused(client.call('id_createIdentity', signed), -32001);
    const ok = await client.sign('id_addKey', { identity, key: stranger.address, purpose: 2 }, holder);
    await client.call('id_addKey', ok);
    await refused(client.call('id_addKey', ok), -32001, /replay/);
    await refused(client.write('id_addKey', { identity, key: stranger.address, purpose: 3 }, stranger), -32001, /management/);
    await client.write('id_removeKey', { identity, key: stranger.address, purpose: 2 }, holder);
    const keys = (await client.rpc.id_getIdentity({ identity })).keys;
    assert.ok(keys.every((k) => !(k.purposes.includes(2))));
  });

  it('submits a KYC application with a document encrypted to the issuer', async () => {
    const sealed = await sealForClaim(new TextEncoder().encode(PLAINTEXT), claimRef(), [issuerKey.did, holderKey.did]);
    const r = await client.write('id_submitKycApplication', {
      identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes), mediaType: 'text/plain' }, envelopes: sealed.envelopes,
    }, holder);
    assert.equal(r.cid, sealed.cid);
    assert.equal(r.documentHash, sealed.documentHash);
    assert.equal(r.status, 'pending');
    applicationId = r.applicationId;
    await refused(client.rpc.id_getKycApplication({ applicationId, includeDocument: true } as never), -32602, /auth/);
    await refused(client.write('id_getKycApplication', { applicationId, includeDocument: true }, stranger), -32001);
    // The metadata too: applicant or reviewing issuer only, by signed request.
    await refused(client.rpc.id_getKycApplication({ applicationId } as never), -32602, /auth/);
    await refused(client.write('id_getKycApplication', { applicationId }, stranger), -32001);
    assert.equal((await client.write('id_getKycApplication', { applicationId }, holder)).status, 'pending');
    const app = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, t.issuerSigner);
    assert.equal(app.status, 'pending');
    assert.equal(app.history.length, 1);
    const env = app.envelopes.find((e) => e.recipient === issuerKey.did)!;
    const plain = new TextDecoder().decode(await openSealed(fromBase64(app.ciphertext!), env.envelope!, issuerKey, claimRef()));
    assert.equal(plain, PLAINTEXT);
  });

  it('only the issuer trusted for the topic can review', async () => {
    const app = await client.write('id_getKycApplication', { applicationId }, holder);
    const sig = await claimSig(t.amlSigner, amlIssuer, identity, 1, app.documentHash as Hex, now() - 10, now() + 3600);
    await refused(client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt: now() - 10, expiresAt: now() + 3600, signature: sig } }, t.amlSigner), -32001);
    await refused(client.write('id_reviewKycApplication', { applicationId, decision: 'reject', reason: 'no' }, stranger), -32001);
  });

  it('approval issues the claim on chain with document hash and CID bound', async () => {
    const app = await client.write('id_getKycApplication', { applicationId }, holder);
    const issuedAt = now() - 10; const expiresAt = now() + 3600;
    const signature = await claimSig(t.issuerSigner, kycIssuer, identity, 1, app.documentHash as Hex, issuedAt, expiresAt);
    const r = await client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature } }, t.issuerSigner);
    assert.equal(r.status, 'approved');
    const after_ = await client.write('id_getKycApplication', { applicationId }, t.issuerSigner);
    assert.deepEqual(after_.history.map((h) => h.status), ['pending', 'approved']);
    const claim = await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 });
    assert.equal(claim.documentHash, app.documentHash);
    assert.equal(claim.uri, `ipfs://${app.cid}`);
    const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
    assert.equal(v.valid, true);
    assert.equal((await client.rpc.id_getIdentity({ identity })).verified, true);
    await refused(client.write('id_reviewKycApplication', { applicationId, decision: 'reject', reason: 'late' }, t.issuerSigner), -32003);
  });

  it('a rejection records the reason and history', async () => {
    const sealed = await sealForClaim(new TextEncoder().encode('blurry scan'), claimRef(), [issuerKey.did]);
    const sub = await client.write('id_submitKycApplication', { identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, holder);
    // An envelope bound to another document is refused, naming the field.
    const other = await sealForClaim(new TextEncoder().encode('x'), claimRef(), [issuerKey.did]);
    const e = await refused(client.write('id_submitKycApplication', { identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: other.envelopes }, holder), -32602);
    assert.match(e.field!, /^envelopes\.0\.envelope\.context\./);
    const r = await client.write('id_reviewKycApplication', { applicationId: sub.applicationId, decision: 'reject', reason: 'document unreadable' }, t.issuerSigner);
    assert.equal(r.status, 'rejected');
    const app = await client.write('id_getKycApplication', { applicationId: sub.applicationId }, t.issuerSigner);
    assert.equal(app.reason, 'document unreadable');
    assert.deepEqual(app.history.map((h) => h.status), ['pending', 'rejected']);
  });

  it('grants one verifier, who fetches and decrypts the document', async () => {
    const app = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, holder);
    const mine = app.envelopes.find((e) => e.recipient === holderKey.did)!;
    const envelope = await rewrapFor(mine.envelope!, holderKey, verifierKey.did);
    // An envelope for another recipient than the named verifier key is refused.
    await refused(client.write('id_grantClaimAccess', { identity, topic: 1, verifier: verifier.address, verifierKey: otherVerifierKey.did, envelope }, holder), -32602, /recipient/);
    await client.write('id_grantClaimAccess', { identity, topic: 1, verifier: verifier.address, verifierKey: verifierKey.did, envelope }, holder);
    const doc = await client.rpc.id_getClaimDocument(await req(verifier, [await dlg(verifier)]));
    assert.equal(new TextDecoder().decode(await openSealed(fromBase64(doc.ciphertext), doc.envelope, verifierKey, claimRef())), PLAINTEXT);
    // Layer three: nobody else can open that envelope.
    await assert.rejects(openSealed(fromBase64(doc.ciphertext), doc.envelope, otherVerifierKey, claimRef()));
    const grants = await client.rpc.id_listAccessGrants({ identity });
    assert.equal(grants.length, 1);
    assert.equal(grants[0]!.onChain, true);
  });

  it('refuses: no UCAN, garbage, wrong topic, expired, forged issuer, stolen delegation, no on-chain grant', async () => {
    const good = await req(verifier, [await dlg(verifier)]);
    await refused(client.call('id_getClaimDocument', { identity, topic: 1, verifier: verifier.address } as never), -32602);
    await refused(client.rpc.id_getClaimDocument({ ...good, invocation: 'AAAA', proofs: [] }), -32001, /malformed/);
    await refused(client.rpc.id_getClaimDocument({ ...good, proofs: [] }), -32001, /missing-proof/);
    // The invocation must be addressed to this node (node_info.did): none, or another node, is refused.
    assert.equal((await client.rpc.node_info({})).did, nodeDid());
    const d1 = await dlg(verifier);
    await refused(client.rpc.id_getClaimDocument(await readRequest(verifier, { chainId, holder: holder.address, identity, topic: 1, proofs: [d1] })), -32001, /wrong-audience/);
    await refused(client.rpc.id_getClaimDocument(await readRequest(verifier, { chainId, holder: holder.address, identity, topic: 1, proofs: [d1], audience: `did:pkh:eip155:${chainId}:${stranger.address}` })), -32001, /wrong-audience/);
    // A delegation for topic 2 does not open topic 1 (the invocation is for 1, the policy says 2).
    await refused(client.rpc.id_getClaimDocument(await req(verifier, [await dlg(verifier, 2)])), -32001, /policy-violation/);
    // An invocation for topic 2 presented for topic 1.
    const forTopic2 = await req(verifier, [await dlg(verifier, 2)], 2);
    await refused(client.rpc.id_getClaimDocument({ ...forTopic2, topic: 1 }), -32001, /wrong-topic/);
    const expired = await delegateRead(holder, { chainId, verifier: verifier.address, identity, topic: 1, seconds: 10, now: now() - 3600 });
    await refused(client.rpc.id_getClaimDocument(await req(verifier, [expired])), -32001, /expired/);
    // Root delegation issued by a wallet that is not the identity's holder, claiming the holder as subject.
    const { delegateDocumentRead, eip191Signer } = await import('../ucan/index.js');
    const forgedRoot = await delegateDocumentRead({
      issuer: eip191Signer(stranger, chainId), audience: `did:pkh:eip155:${chainId}:${verifier.address}`, subject: `did:pkh:eip155:${chainId}:${holder.address}`,
      identity, topic: 1n, expiration: now() + 600,
    });
    await refused(client.rpc.id_getClaimDocument(await req(verifier, [forgedRoot])), -32001, /broken-chain|signature/);
    // The stranger delegating as its own subject is not a controller of this identity.
    const strangerAsSubject = await readRequest(verifier, { chainId, holder: stranger.address, identity, topic: 1, proofs: [await dlg(verifier, 1, 600, stranger)], audience: nodeDid() });
    await refused(client.rpc.id_getClaimDocument(strangerAsSubject), -32001, /wrong-subject/);
    // A delegation stolen and invoked by someone else (who claims to be the verifier or itself).
    const stolen = await req(otherVerifier, [await dlg(verifier)]);
    await refused(client.rpc.id_getClaimDocument(stolen), -32001, /broken-chain/);
    await refused(client.rpc.id_getClaimDocument({ ...stolen, verifier: verifier.address }), -32001, /wrong-verifier/);
    // A valid UCAN but no on-chain grant for that verifier.
    await refused(client.rpc.id_getClaimDocument(await req(otherVerifier, [await dlg(otherVerifier)])), -32001, /grant/);
  });

  it('a tampered document gives an integrity error, never the content', async () => {
    const app = await client.write('id_getKycApplication', { applicationId }, holder);
    const path = blockPath(join(t.dataDir, 'blocks'), app.cid);
    const original = readFileSync(path);
    const bad = Buffer.from(original); bad[bad.length - 1] ^= 1;
    writeFileSync(path, bad);
    const cap = await req(verifier, [await dlg(verifier)]);
    const e = await refused(client.rpc.id_getClaimDocument(cap), -32005, /integrity/);
    assert.ok(!JSON.stringify(e.data ?? '').includes(bad.toString('base64').slice(0, 20)));
    writeFileSync(path, original);
    // Invocations are single-use: the refused read spent `cap` (its capability held), so a fresh one reads.
    await refused(client.rpc.id_getClaimDocument(cap), -32001, /replayed/);
    await client.rpc.id_getClaimDocument(await req(verifier, [await dlg(verifier)]));
  });

  it('renewal replaces the claim and revokes the old one in one transaction; a failed renewal leaves the old claim', async () => {
    const before_ = await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 });
    const pc = t.node.ctx.clients.publicClient;
    const revoked = (sig: Hex) => pc.readContract({ address: kycIssuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [sig] });
    // The relayer's transactions mined since block `from`, but the risk loop's score writes: that loop rescores the
    // identity on its own clock (every 2 s, later under load) and may land one in this window, which counting the
    // relayer's nonce took for a transaction of the renewal (the flaky failure under load).
    const relayerTxsSince = async (from: bigint) => {
      const txs: Hex[] = [];
      for (let b = from + 1n; b <= (await pc.getBlockNumber({ cacheTime: 0 })); b++) {
        for (const tx of (await pc.getBlock({ blockNumber: b, includeTransactions: true })).transactions) {
          if (tx.from.toLowerCase() !== t.node.ctx.relayerAddress.toLowerCase()) continue;
          if (tx.to?.toLowerCase() === t.node.ctx.deployment.riskScoreRegistry.toLowerCase()) continue;
          txs.push(tx.hash);
        }
      }
      return txs;
    };
    // A renewal the chain refuses (signed by a key that is no signer of the issuer) reverts whole: nothing changed.
    const blockBefore = await pc.getBlockNumber({ cacheTime: 0 });
    const forgedAt = { issuedAt: now() - 5, expiresAt: now() + 7200 };
    const forged = await claimSig(stranger, kycIssuer, identity, 1, before_.documentHash as Hex, forgedAt.issuedAt, forgedAt.expiresAt);
    await refused(client.rpc.id_renewClaim({ identity, topic: 1, issuer: kycIssuer, documentHash: before_.documentHash as Hex, ...forgedAt, signature: forged }), -32004);
    assert.deepEqual(await relayerTxsSince(blockBefore), [], 'no transaction sent');
    assert.equal((await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 })).signature, before_.signature);
    assert.equal(await revoked(before_.signature as Hex), false);
    assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);

    const issuedAt = now() - 5; const expiresAt = now() + 7200;
    const signature = await claimSig(t.issuerSigner, kycIssuer, identity, 1, before_.documentHash as Hex, issuedAt, expiresAt);
    const r = await client.rpc.id_renewClaim({ identity, topic: 1, issuer: kycIssuer, documentHash: before_.documentHash as Hex, issuedAt, expiresAt, signature });
    // One transaction, sent by the relayer to the issuer contract: the old claim revoked, the new one in its place.
    const receipt = await pc.getTransactionReceipt({ hash: r.txHash as Hex });
    assert.equal(receipt.to?.toLowerCase(), kycIssuer.toLowerCase());
    assert.deepEqual(await relayerTxsSince(blockBefore), [r.txHash], 'one transaction, the renewal');
    const events = parseEventLogs({ abi: [...claimIssuerAbi, ...identityAbi], logs: receipt.logs }).map((l) => l.eventName);
    for (const e of ['ClaimRevoked', 'ClaimDigestRevoked', 'ClaimChanged', 'ClaimRenewed']) assert.ok(events.includes(e as never), `${e} in ${events}`);
    assert.equal(await revoked(before_.signature as Hex), true);
    assert.equal(await revoked(signature), false);
    const after_ = await client.rpc.id_getClaim({ identity, claimId: r.claimId as Hex });
    assert.equal(after_.expiresAt, expiresAt);
    assert.equal(after_.uri, before_.uri);
    assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
    // The old claim cannot come back: re-adding its signature fails on chain.
    await refused(client.rpc.id_issueClaim({ identity, topic: 1, issuer: kycIssuer, documentHash: before_.documentHash as Hex, issuedAt: before_.issuedAt, expiresAt: before_.expiresAt, signature: before_.signature as Hex }), -32004);
  });

  it('revoking the grant affects that verifier only', async () => {
    const app = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, holder);
    const mine = app.envelopes.find((e) => e.recipient === holderKey.did)!;
    await client.write('id_grantClaimAccess', { identity, topic: 1, verifier: otherVerifier.address, verifierKey: otherVerifierKey.did, envelope: await rewrapFor(mine.envelope!, holderKey, otherVerifierKey.did) }, holder);
    const used = await dlg(verifier);
    await client.rpc.id_getClaimDocument(await req(verifier, [used]));
    const ucan = t.node.ctx.repos.ucan;
    const seen = await ucan.seen(identity, 1, verifier.address);
    assert.ok(seen.length >= 1);
    const unchanged = async () => {
      for (const c of seen) assert.equal(await ucan.isRevoked(c), false, 'capability untouched');
      assert.equal((await t.node.ctx.repos.grants.list(identity)).find((g) => g.verifier === verifier.address.toLowerCase())?.status, 'active');
      await client.rpc.id_getClaimDocument(await req(verifier, [used]));
    };
    // Refused calls change nothing, on chain or off: an execution signed for another call ...
    const other = await client.sign('id_revokeClaimAccess', { identity, topic: 1, verifier: otherVerifier.address }, holder);
    const mismatched = await client.sign('id_revokeClaimAccess', { identity, topic: 1, verifier: verifier.address, execution: other.execution }, holder);
    await refused(client.call('id_revokeClaimAccess', mismatched), -32001, /execution/);
    await unchanged();
    // ... an expired one, one by a stranger ...
    await refused(client.write('id_revokeClaimAccess', { identity, topic: 1, verifier: verifier.address }, holder, { deadline: now() - 1 }), -32001);
    await refused(client.write('id_revokeClaimAccess', { identity, topic: 1, verifier: verifier.address, delegations: seen }, stranger), -32001, /management/);
    await unchanged();
    // ... and one the contract refuses (no grant for that verifier), even when it names the delegations to revoke.
    const e = await refused(client.write('id_revokeClaimAccess', { identity, topic: 1, verifier: stranger.address, delegations: seen }, holder), -32004);
    assert.equal((e.data as { error?: string }).error, 'GrantNotFound');
    await unchanged();
    const r = await client.write('id_revokeClaimAccess', { identity, topic: 1, verifier: verifier.address }, holder);
    for (const c of seen) assert.equal(await ucan.isRevoked(c), true);
    assert.ok(r.revokedDelegations >= 1);
    // The delegation the verifier used is revoked (UCAN layer) ...
    await refused(client.rpc.id_getClaimDocument(await req(verifier, [used])), -32001, /revoked/);
    // ... and a fresh one still meets the on-chain refusal.
    await refused(client.rpc.id_getClaimDocument(await req(verifier, [await dlg(verifier)])), -32001, /grant/);
    const doc = await client.rpc.id_getClaimDocument(await req(otherVerifier, [await dlg(otherVerifier)]));
    assert.equal(new TextDecoder().decode(await openSealed(fromBase64(doc.ciphertext), doc.envelope, otherVerifierKey, claimRef())), PLAINTEXT);
    const grants = await client.rpc.id_listAccessGrants({ identity });
    assert.deepEqual(grants.map((g) => [g.verifier, g.status, g.onChain]).sort(), [
      [otherVerifier.address, 'active', true], [verifier.address, 'revoked', false],
    ].sort());
  });

  it('an expired claim neither verifies nor opens its document', async () => {
    const c = await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 });
    const renew = async (issuedAt: number, expiresAt: number) => client.rpc.id_renewClaim({
      identity, topic: 1, issuer: kycIssuer, documentHash: c.documentHash as Hex, issuedAt, expiresAt,
      signature: await claimSig(t.issuerSigner, kycIssuer, identity, 1, c.documentHash as Hex, issuedAt, expiresAt),
    });
    await renew(now() - 5, now() + 2);
    await new Promise((r) => setTimeout(r, 3200));
    const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
    assert.deepEqual([v.valid, v.state], [false, 'expired']);
    await refused(client.rpc.id_getClaimDocument(await req(otherVerifier, [await dlg(otherVerifier)])), -32001, /expired/);
    await renew(now() - 5, now() + 3600);
    assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
  });

  it('a claim from an untrusted (forged) issuer never verifies', async () => {
    const deployer = privateKeyToAccount(generatePrivateKey());
    // The AML issuer is trusted for AML only: the identity's claim registry (the node's TrustedIssuersRegistry) does not
    // let it push a KYC claim at all, so nothing lands and nothing verifies.
    const sig = await claimSig(t.amlSigner, amlIssuer, identity, 1, `0x${'11'.repeat(32)}`, now() - 5, now() + 600);
    await refused(client.rpc.id_issueClaim({ identity, topic: 1, issuer: amlIssuer, documentHash: `0x${'11'.repeat(32)}`, issuedAt: now() - 5, expiresAt: now() + 600, signature: sig }), -32003, /claim registry/);
    const v = await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: amlIssuer });
    assert.deepEqual([v.valid, v.state], [false, 'none']);
    // A claim signed by a key that is not a signer of the issuer is refused on chain.
    const bogus = await claimSig(deployer, kycIssuer, identity, 1, `0x${'22'.repeat(32)}`, now() - 5, now() + 600);
    await refused(client.rpc.id_issueClaim({ identity, topic: 1, issuer: kycIssuer, documentHash: `0x${'22'.repeat(32)}`, issuedAt: now() - 5, expiresAt: now() + 600, signature: bogus }), -32004);
  });

  it('the validity policy refuses issuance, renewal and onboarding outside it, naming the field, sending nothing', async () => {
    const sent = t.node.ctx.relayer.sent;
    const dh = `0x${'33'.repeat(32)}` as Hex;
    const over = now() + 31 * 86400;
    const sig = await claimSig(t.amlSigner, amlIssuer, identity, 2, dh, now() - 5, over);
    const e1 = await refused(client.rpc.id_issueClaim({ identity, topic: 2, issuer: amlIssuer, documentHash: dh, issuedAt: now() - 5, expiresAt: over, signature: sig }), -32602, /AML\) claims may be valid at most 30 days/);
    assert.equal(e1.field, 'expiresAt');
    await refused(client.rpc.id_issueClaim({ identity, topic: 2, issuer: amlIssuer, documentHash: dh, issuedAt: now() - 5, expiresAt: 0, signature: sig }), -32602, /must expire/);
    await refused(client.rpc.id_renewClaim({ identity, topic: 1, issuer: kycIssuer, documentHash: dh, issuedAt: now() - 5, expiresAt: now() + 400 * 86400, signature: sig }), -32602, /KYC\) claims may be valid at most 365\.3 days/);
    const investor = privateKeyToAccount(generatePrivateKey());
    const e2 = await refused(client.write('token_onboardInvestor', { wallet: investor.address, country: 250, claims: [{ topic: 1, issuer: kycIssuer, documentHash: dh, issuedAt: now() - 5, expiresAt: 0, signature: sig }] }, investor), -32602);
    assert.equal(e2.field, 'claims.0.expiresAt');
    assert.equal(t.node.ctx.relayer.sent, sent, 'nothing was sent');
  });

  it('revocation by the issuer makes the claim invalid', async () => {
    const c = await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 });
    await refused(client.write('id_revokeClaim', { identity, claimId: c.claimId as Hex }, stranger), -32001);
    // The node holds no key at the issuer: without the issuer's execution signature it cannot revoke anything.
    const pc = t.node.ctx.clients.publicClient;
    const atIssuer = (who: Address, purpose: bigint) => pc.readContract({ address: kycIssuer, abi: claimIssuerAbi, functionName: 'keyHasPurpose', args: [walletKey(who), purpose] });
    for (const purpose of [1n, 2n, 3n]) assert.equal(await atIssuer(t.node.ctx.relayerAddress, purpose), false);
    assert.equal(await atIssuer(t.issuerSigner.address, 1n), true);
    const bare = { identity, claimId: c.claimId as Hex };
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const sig = await t.issuerSigner.signTypedData(requestTypedData(chainId, 'id_revokeClaim', bare, nonce, now() + 600));
    await refused(client.call('id_revokeClaim', { ...bare, auth: { signer: t.issuerSigner.address, nonce, deadline: now() + 600, signature: sig } }), -32003, /no management key/);
    await refused(client.write('id_revokeClaim', { ...bare, issuer: amlIssuer }, t.issuerSigner), -32602, /issuer/);
    await client.write('id_revokeClaim', { identity, claimId: c.claimId as Hex }, t.issuerSigner);
    const v = await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: kycIssuer });
    assert.deepEqual([v.valid, v.state], [false, 'revoked']);
  });

  it('a revocation cut between its transaction and SQLite is finished on the next start; one that never landed is dropped', async () => {
    const { ctx } = t.node;
    const ucan = ctx.repos.ucan;
    const seen = await ucan.seen(identity, 1, otherVerifier.address);
    assert.ok(seen.length >= 1);
    const grantStatus = async () => (await ctx.repos.grants.get(identity, 1, otherVerifier.address))?.status;
    // An intent whose transaction never went out: settling asks the chain, finds the grant, drops the intent.
    const { grantedAt } = await accessGrant(ctx.clients.publicClient, identity as Address, otherVerifier.address, 1);
    await ctx.repos.grants.beginRevocation(identity, 1, otherVerifier.address, seen, grantedAt);
    assert.equal(await settlePendingRevocations(ctx), 1);
    assert.equal((await ctx.repos.grants.pendingRevocations()).length, 0);
    assert.equal(await grantStatus(), 'active');
    for (const c of seen) assert.equal(await ucan.isRevoked(c), false);
    // The database step fails after the transaction landed (as if the node died there): the intent survives it ...
    // (patched on the prototype: the step runs on repositories bound to its own database transaction)
    const revoke = UcanRepo.prototype.revoke;
    UcanRepo.prototype.revoke = () => Promise.reject(new Error('disk I/O error'));
    try {
      await refused(client.write('id_revokeClaimAccess', { identity, topic: 1, verifier: otherVerifier.address }, holder), -32603);
    } finally {
      UcanRepo.prototype.revoke = revoke;
    }
    assert.equal(await t.node.ctx.clients.publicClient.readContract({ address: identity as Address, abi: identityAbi, functionName: 'canAccess', args: [otherVerifier.address, 1n] }), false);
    assert.equal(await grantStatus(), 'active');
    assert.deepEqual((await ctx.repos.grants.pendingRevocations()).map((r) => [r.verifier, r.cids]), [[otherVerifier.address.toLowerCase(), seen]]);
    // ... and the next start finishes it: capabilities revoked and the grant row with them.
    assert.equal(await settlePendingRevocations(ctx), 1);
    for (const c of seen) assert.equal(await ucan.isRevoked(c), true);
    assert.equal(await grantStatus(), 'revoked');
    assert.equal((await ctx.repos.grants.pendingRevocations()).length, 0);
  });

  it('resolves did:pkh from chain state and did:key', async () => {
    const doc = await client.rpc.id_resolveDid({ did: `did:pkh:eip155:${chainId}:${holder.address}` }) as { id: string; service?: { serviceEndpoint: string }[] };
    assert.equal(doc.id, `did:pkh:eip155:${chainId}:${holder.address}`);
    assert.ok(doc.service?.some((s) => s.serviceEndpoint.endsWith(identity)));
    const k = await client.rpc.id_resolveDid({ did: verifierKey.did }) as { keyAgreement: string[] };
    assert.equal(k.keyAgreement.length, 1);
    await refused(client.rpc.id_resolveDid({ did: 'did:key:zQ3notakey' }), -32602);
  });

  it('onboards an investor in one call and dry-runs transfers with reason codes', async () => {
    const investor = privateKeyToAccount(generatePrivateKey());
    const { identity: predicted } = await client.rpc.token_predictInvestorIdentity({ wallet: investor.address });
    const issuedAt = now() - 5; const expiresAt = now() + 3600;
    const documentHash = `0x${'33'.repeat(32)}` as Hex;
    const signature = await claimSig(t.issuerSigner, kycIssuer, predicted as Address, 1, documentHash, issuedAt, expiresAt);
    const r = await client.write('token_onboardInvestor', { wallet: investor.address, country: 250, claims: [{ topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature }] }, investor);
    assert.equal(r.identity, predicted);
    const v = await client.rpc.id_verifyClaim({ identity: predicted as Address, topic: 1 });
    assert.equal(v.valid, true);
    const dry = await client.rpc.token_canTransfer({ from: investor.address, to: holder.address, amount: '1' });
    assert.equal(dry.ok, false);
    assert.ok(dry.code > 0);
    assert.equal(typeof dry.name, 'string');
  });

  it('the node is no manager of the identities it creates: key changes go through the subject\'s executeSigned signature', async () => {
    const r = t.node.ctx.clients.publicClient;
    const relayer = t.node.ctx.relayerAddress;
    const has = (who: Address, purpose: bigint) => r.readContract({ address: identity, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(who), purpose] });
    assert.equal(await has(relayer, 1n), false);
    assert.equal(await has(relayer, 2n), false);
    assert.equal(await has(relayer, 3n), false);
    // Nor do the issuers' contracts hold keys: the node's TrustedIssuersRegistry is the identity's claim registry
    // (purpose 5), so the issuers it trusts push (and renew) their claims, whenever they were trusted.
    assert.equal(await has(kycIssuer, 3n), false);
    const tir = (await client.rpc.node_info({})).contracts.trustedIssuersRegistry as Address;
    assert.equal(await r.readContract({ address: identity, abi: identityAbi, functionName: 'keyHasPurpose', args: [registryKey(tir), 5n] }), true);
    const keys = (await client.rpc.id_getIdentity({ identity })).keys;
    assert.deepEqual(keys.filter((k) => k.purposes.includes(1)).map((k) => k.key), [walletKey(holder.address)]);
    // Without the subject's execution signature the node cannot change the identity.
    const bare = { identity, key: stranger.address, purpose: 2 };
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const deadline = now() + 600;
    const sig = await holder.signTypedData(requestTypedData(chainId, 'id_addKey', bare, nonce, deadline));
    await refused(client.call('id_addKey', { ...bare, auth: { signer: holder.address, nonce, deadline, signature: sig } }), -32003, /no management key/);
    // An execution signed by the holder for another call is refused before any gas is spent.
    const a = await client.sign('id_addKey', { identity, key: stranger.address, purpose: 2 }, holder);
    const b = await client.sign('id_addKey', { identity, key: verifier.address, purpose: 2, execution: a.execution }, holder);
    await refused(client.call('id_addKey', b), -32001, /execution/);
    // An execution by someone else than the authorizing manager is refused too.
    const c = await client.sign('id_addKey', { identity, key: stranger.address, purpose: 2 }, stranger);
    const d = await client.sign('id_addKey', { identity, key: stranger.address, purpose: 2, execution: c.execution }, holder);
    await refused(client.call('id_addKey', d), -32001, /execution/);
    await client.call('id_addKey', a);
    assert.equal(await has(stranger.address, 2n), true);
    await client.write('id_removeKey', { identity, key: stranger.address, purpose: 2 }, holder);
    assert.equal(await has(stranger.address, 2n), false);
  });

  it('the relayer key can neither add nor remove a claim on an identity the node created', async () => {
    const r = t.node.ctx.clients.publicClient;
    const relayer = t.node.ctx.relayerAddress;
    const fresh = privateKeyToAccount(generatePrivateKey());
    const { identity: id } = await client.write('id_createIdentity', { wallet: fresh.address }, fresh);
    const issuedAt = now() - 5; const expiresAt = now() + 3600;
    const documentHash = `0x${'55'.repeat(32)}` as Hex;
    const signature = await claimSig(t.issuerSigner, kycIssuer, id as Address, 1, documentHash, issuedAt, expiresAt);
    const args = [1n, 1n, kycIssuer, signature, encodeClaimData({ documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) }), ''] as const;
    // Even with a claim its issuer really signed, the relayer's own key is refused by the identity.
    await assert.rejects(r.simulateContract({ account: relayer, address: id as Address, abi: identityAbi, functionName: 'addClaim', args }), /NotClaimKey/);
    // Through the node the same claim lands, pushed by the issuer's contract (the transaction goes to the issuer).
    const issued = await client.rpc.id_issueClaim({ identity: id as Address, topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature });
    assert.equal((await r.getTransactionReceipt({ hash: issued.txHash as Hex })).to?.toLowerCase(), kycIssuer.toLowerCase());
    assert.equal((await client.rpc.id_verifyClaim({ identity: id as Address, topic: 1 })).valid, true);
    await assert.rejects(r.simulateContract({ account: relayer, address: id as Address, abi: identityAbi, functionName: 'removeClaim', args: [issued.claimId as Hex] }), /NotClaimKey/);
    const keys = (await client.rpc.id_getIdentity({ identity: id as Address })).keys;
    assert.ok(!keys.some((k) => k.key === walletKey(relayer)), 'the relayer holds no key of any purpose');
  });

  it('identities created by token_onboardInvestor are managed through the node too', async () => {
    const investor = privateKeyToAccount(generatePrivateKey());
    const { identity: predicted } = await client.rpc.token_predictInvestorIdentity({ wallet: investor.address, salt: `0x${'01'.repeat(32)}` });
    const issuedAt = now() - 5; const expiresAt = now() + 3600;
    const documentHash = `0x${'44'.repeat(32)}` as Hex;
    const signature = await claimSig(t.issuerSigner, kycIssuer, predicted as Address, 1, documentHash, issuedAt, expiresAt);
    await client.write('token_onboardInvestor', { wallet: investor.address, country: 250, salt: `0x${'01'.repeat(32)}`, claims: [{ topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature }] }, investor);
    const id = predicted as Address;
    const r = t.node.ctx.clients.publicClient;
    const has = (who: Address, purpose: bigint) => r.readContract({ address: id, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(who), purpose] });
    assert.equal(await has(t.node.ctx.relayerAddress, 1n), false);
    const second = privateKeyToAccount(generatePrivateKey());
    await client.write('id_addKey', { identity: id, key: second.address, purpose: 1 }, investor);
    assert.equal(await has(second.address, 1n), true);
    // The new manager acts through the node as well, and removes the first one.
    await client.write('id_removeKey', { identity: id, key: investor.address, purpose: 1 }, second);
    assert.equal(await has(investor.address, 1n), false);
    await refused(client.write('id_addKey', { identity: id, key: investor.address, purpose: 1 }, investor), -32001, /management/);
    // A chain revert inside executeSigned surfaces with its own error name.
    const e = await refused(client.write('id_removeKey', { identity: id, key: second.address, purpose: 1 }, second), -32004);
    assert.equal((e.data as { error?: string }).error, 'LastManagementKey');
    // Onboarding leaves the wallet's management key and the registry's TrustedIssuersRegistry as claim registry (no
    // key for the node, none for the issuers): the trusted issuer renews at once, in one atomic renewClaim.
    assert.equal(await has(t.node.ctx.relayerAddress, 3n), false);
    assert.equal(await has(kycIssuer, 3n), false);
    const at = now() - 2; const until = now() + 7200;
    await client.rpc.id_renewClaim({ identity: id, topic: 1, issuer: kycIssuer, documentHash, issuedAt: at, expiresAt: until, signature: await claimSig(t.issuerSigner, kycIssuer, id, 1, documentHash, at, until) });
    assert.equal(await r.readContract({ address: kycIssuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [signature] }), true);
    assert.equal((await client.rpc.id_verifyClaim({ identity: id, topic: 1 })).valid, true);
  });

  it('no personal data reached the chain (every tx input and log scanned)', async () => {
    const pc = createPublicClient({ transport: http(t.node.ctx.clients.chain.rpcUrls.default.http[0]) });
    const head = await pc.getBlockNumber();
    const needles = [NAME, 'X99887766', PLAINTEXT].flatMap((s) => [s.toLowerCase(), Buffer.from(s).toString('hex')]);
    const needlesShort = [Buffer.from('Marlowe').toString('hex'), 'marlowe'];
    let txs = 0; let logs = 0;
    for (let b = 0n; b <= head; b++) {
      const block = await pc.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        txs++;
        const input = tx.input.toLowerCase();
        for (const n of [...needles, ...needlesShort]) assert.ok(!input.includes(n), `tx ${tx.hash} contains personal data`);
      }
    }
    const all = await pc.getLogs({ fromBlock: 0n, toBlock: head });
    for (const l of all) {
      logs++;
      const blob = (l.data + l.topics.join('')).toLowerCase();
      for (const n of [...needles, ...needlesShort]) assert.ok(!blob.includes(n), `log in ${l.transactionHash} contains personal data`);
    }
    assert.ok(txs > 20 && logs > 20, `scanned ${txs} txs and ${logs} logs`);
    // The node's own store holds only ciphertext too.
    for (const f of allFiles(join(t.dataDir, 'blocks'))) assert.ok(!readFileSync(f).includes(Buffer.from('Marlowe')));
  });
});
