// Documents as the seed describes them, end to end over HTTP against one started node: the subject's encryption keys
// on its identity and in its wallet's DID document, the issuer's own document bound by its claim, a key rotation
// with the old verifier grant still valid, regulators reached through a fund administrator while the subject is
// offline, and the envelopes kept by CID in the blockstore.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicClient, createWalletClient, getAddress, http, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import {
  MasqueClient, delegateOnward, delegateRead, delegateToAdministrator, fromBase64, generateEncryptionKey, mlKemKeyId, openSealed, readRequest, rewrapFor, sealForClaim, signClaim, toBase64,
  type EncryptionKey, type UcanToken,
} from '../sdk/index.js';
import { identityAbi, identityBytecode } from '../chain/artifacts/Identity.js';
import { deployContract, MLKEM768_KEY_TYPE, write } from '../chain/identity.js';
import { connectClient, expectRpcRefusal as refused, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let kycIssuer: Address;
let amlIssuer: Address;
let identity: Address;
let walletDid: string;
const holder = privateKeyToAccount(generatePrivateKey());
const verifier = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
let holderKey = generateEncryptionKey();
const verifierKey = generateEncryptionKey();
const issuerKey = generateEncryptionKey();
const strangerKey = generateEncryptionKey();

const NAME = 'Quillon Vespertine-Arbuckle';
const AML_REPORT = `AML screening report\nSubject: ${NAME}\nLists: OFAC SDN, UN, EU: no match\n`;
const KYC_REPORT = `KYC report\nSubject: ${NAME}\nPassport verified, liveness passed, address verified\n`;

const now = () => Math.floor(Date.now() / 1000);
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const encode = (s: string) => new TextEncoder().encode(s);
const claimRef = (topic: number) => ({ chainId, identity, topic });
const nodeDid = () => `did:pkh:eip155:${chainId}:${t.node.ctx.relayerAddress}`;

async function claimSig(signer: PrivateKeyAccount, issuer: Address, topic: number, documentHash: Hex, issuedAt: number, expiresAt: number) {
  return (await signClaim(signer, { chainId, issuer, identity, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) })).signature;
}

/** What an issuer does to seal for a subject: the keyAgreement keys of the wallet's did:pkh document, as did:key. */
async function keyAgreementOf(did: string): Promise<string[]> {
  const doc = await client.rpc.id_resolveDid({ did }) as { verificationMethod: { id: string; publicKeyMultibase?: string }[]; keyAgreement?: string[] };
  return (doc.keyAgreement ?? []).map((ref) => `did:key:${doc.verificationMethod.find((m) => m.id === ref)!.publicKeyMultibase}`);
}

/** The AML issuer's own report for the subject, sealed for `recipients` and pushed with the claim that binds it. */
async function issueAmlReport(report: string, recipients: string[]) {
  const sealed = await sealForClaim(encode(report), claimRef(2), recipients);
  const issuedAt = now() - 5; const expiresAt = now() + 3600;
  const signature = await claimSig(t.amlSigner, amlIssuer, 2, sealed.documentHash, issuedAt, expiresAt);
  const params = {
    identity, topic: 2, issuer: amlIssuer, documentHash: sealed.documentHash, issuedAt, expiresAt, signature,
    document: { ciphertext: toBase64(sealed.bytes), mediaType: 'text/plain' }, envelopes: sealed.envelopes,
  };
  return { sealed, params };
}

const dlg = (to: PrivateKeyAccount, topic: number) => delegateRead(holder, { chainId, verifier: to.address, identity, topic, seconds: 600 });
const read = async (by: PrivateKeyAccount, topic: number, proofs: UcanToken[]) =>
  client.rpc.id_getClaimDocument(await readRequest(by, { chainId, holder: holder.address, identity, topic, proofs, audience: nodeDid() }));

/** The subject's own document of `topic`, opened with `key` from the envelope the node keeps for it. */
async function openOwn(topic: number, key: EncryptionKey): Promise<string> {
  const [doc] = await client.write('id_listClaimDocuments', { identity, topic, includeCiphertext: true }, holder);
  assert.ok(doc, `a document on topic ${topic}`);
  assert.equal(doc.documentStatus, 'included');
  const env = doc.envelopes.find((e) => e.recipient === key.did);
  assert.ok(env, 'an envelope for this key');
  return text(await openSealed(fromBase64(doc.ciphertext!), env.envelope, key, claimRef(topic)));
}

before(async () => {
  t = await startTestNode();
  ({ client, chainId, kycIssuer, amlIssuer } = await connectClient(t));
});
after(async () => { await t?.stop(); });

describe('DIDs: the wallet, its identity and its encryption keys', () => {
  it("id_createIdentity returns the wallet's DID and the identity's", async () => {
    const r = await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder);
    identity = r.identity as Address;
    walletDid = r.walletDid;
    assert.equal(r.walletDid, `did:pkh:eip155:${chainId}:${holder.address}`);
    assert.equal(r.did, `did:pkh:eip155:${chainId}:${identity}`);
    const doc = await client.rpc.id_resolveDid({ did: walletDid }) as { service?: { serviceEndpoint: string }[]; keyAgreement?: string[] };
    assert.deepEqual(doc.service?.map((s) => s.serviceEndpoint), [r.did]);
    assert.equal(doc.keyAgreement, undefined, 'no encryption key yet');
  });

  it('an encryption key added on chain (purpose 4) is the keyAgreement of the did:pkh document', async () => {
    await refused(client.write('id_addEncryptionKey', { identity, key: holderKey.did }, stranger), -32001, /management/);
    const e = await refused(client.write('id_addEncryptionKey', { identity, key: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }, holder), -32602);
    assert.equal(e.field, 'key');
    const r = await client.write('id_addEncryptionKey', { identity, key: holderKey.did }, holder);
    assert.equal(r.keyId, mlKemKeyId(holderKey.did));
    const got = await client.rpc.id_getIdentity({ identity });
    assert.deepEqual(got.encryptionKeys, [{ keyId: mlKemKeyId(holderKey.did), did: holderKey.did }]);
    assert.deepEqual(got.keys.find((k) => k.key === r.keyId)?.purposes, [4]);
    const doc = await client.rpc.id_resolveDid({ did: walletDid }) as { verificationMethod: { id: string; type: string; publicKeyMultibase?: string }[]; keyAgreement?: string[] };
    assert.equal(doc.keyAgreement?.length, 1);
    const method = doc.verificationMethod.find((m) => m.id === doc.keyAgreement![0]);
    assert.equal(method?.type, 'Multikey');
    assert.deepEqual(await keyAgreementOf(walletDid), [holderKey.did]);
    // The did:key itself names an ML-KEM-768 key (multicodec 0x120c, varint 8c 24).
    assert.ok(holderKey.did.startsWith('did:key:z'));
  });
});

describe("the issuer's own document", () => {
  it('id_issueClaim stores the sealed report by CID and the claim binds its hash; the subject opens it', async () => {
    const { sealed, params } = await issueAmlReport(AML_REPORT, await keyAgreementOf(walletDid));
    // Refused, naming the field: an envelope for a key that is not the subject's; none for the subject; a document
    // that is not the one the issuer signed; envelopes without the document.
    const foreign = await sealForClaim(encode(AML_REPORT), claimRef(2), [strangerKey.did]);
    assert.equal((await refused(client.rpc.id_issueClaim({ ...params, document: { ciphertext: toBase64(foreign.bytes) }, envelopes: foreign.envelopes, documentHash: foreign.documentHash }), -32602)).field, 'envelopes');
    const withStranger = await sealForClaim(encode(AML_REPORT), claimRef(2), [holderKey.did, strangerKey.did]);
    assert.equal((await refused(client.rpc.id_issueClaim({ ...params, document: { ciphertext: toBase64(withStranger.bytes) }, envelopes: withStranger.envelopes, documentHash: withStranger.documentHash }), -32602)).field, 'envelopes.1.recipient');
    const other = await sealForClaim(encode('another report'), claimRef(2), [holderKey.did]);
    assert.equal((await refused(client.rpc.id_issueClaim({ ...params, document: { ciphertext: toBase64(other.bytes) }, envelopes: other.envelopes }), -32602)).field, 'documentHash');
    assert.equal((await refused(client.rpc.id_issueClaim({ ...params, document: undefined } as never), -32602)).field, 'document');

    const r = await client.rpc.id_issueClaim(params);
    assert.equal(r.cid, sealed.cid);
    const claim = await client.rpc.id_getClaim({ identity, issuer: amlIssuer, topic: 2 });
    assert.equal(claim.documentHash, sealed.documentHash);
    assert.equal(claim.uri, `ipfs://${sealed.cid}`);
    assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 2 })).valid, true);
    assert.equal(await openOwn(2, holderKey), AML_REPORT);
    // The subject's documents are the subject's business.
    await refused(client.write('id_listClaimDocuments', { identity }, stranger), -32001);
  });

  it('the subject grants the report like any other document; id_listAccessGrants filters by topic', async () => {
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 2 }, holder);
    const mine = doc!.envelopes.find((e) => e.recipient === holderKey.did)!;
    await client.write('id_grantClaimAccess', { identity, topic: 2, verifier: verifier.address, verifierKey: verifierKey.did, envelope: await rewrapFor(mine.envelope, holderKey, verifierKey.did) }, holder);
    const got = await read(verifier, 2, [await dlg(verifier, 2)]);
    assert.equal(text(await openSealed(fromBase64(got.ciphertext), got.envelope, verifierKey, claimRef(2))), AML_REPORT);
    assert.deepEqual((await client.rpc.id_listAccessGrants({ identity, topic: 2 })).map((g) => [g.verifier, g.onChain]), [[verifier.address, true]]);
    // Checksummed whatever the case of the filter (the node stores addresses lower-case).
    assert.deepEqual((await client.rpc.id_listAccessGrants({ verifier: verifier.address.toLowerCase() as Address, topic: 2 })).map((g) => g.verifier), [verifier.address]);
    assert.deepEqual(await client.rpc.id_listAccessGrants({ identity, topic: 1 }), []);
  });

  it("the KYC approval takes the issuer's report: the claim binds it, not the applicant's upload", async () => {
    const upload = await sealForClaim(encode(`Passport scan of ${NAME}`), claimRef(1), [issuerKey.did, holderKey.did]);
    const app = await client.write('id_submitKycApplication', {
      identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(upload.bytes) }, envelopes: upload.envelopes,
    }, holder);
    const report = await sealForClaim(encode(KYC_REPORT), claimRef(1), await keyAgreementOf(walletDid));
    const issuedAt = now() - 5; const expiresAt = now() + 86400;
    const signature = await claimSig(t.issuerSigner, kycIssuer, 1, report.documentHash, issuedAt, expiresAt);
    const reportParam = { document: { ciphertext: toBase64(report.bytes), mediaType: 'text/plain' }, envelopes: report.envelopes };
    // A report sealed for a key that is not the subject's is refused before anything is decided.
    const foreign = await sealForClaim(encode(KYC_REPORT), claimRef(1), [strangerKey.did]);
    assert.equal((await refused(client.write('id_reviewKycApplication', {
      applicationId: app.applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature }, report: { document: { ciphertext: toBase64(foreign.bytes) }, envelopes: foreign.envelopes },
    }, t.issuerSigner), -32602)).field, 'report.envelopes');
    assert.equal((await client.write('id_getKycApplication', { applicationId: app.applicationId }, holder)).status, 'pending');
    const r = await client.write('id_reviewKycApplication', { applicationId: app.applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature }, report: reportParam }, t.issuerSigner);
    assert.equal(r.status, 'approved');
    const claim = await client.rpc.id_getClaim({ identity, issuer: kycIssuer, topic: 1 });
    assert.equal(claim.documentHash, report.documentHash);
    assert.equal(claim.uri, `ipfs://${report.cid}`);
    assert.notEqual(report.cid, app.cid);
    assert.equal(await openOwn(1, holderKey), KYC_REPORT);
  });
});

describe('key rotation', () => {
  const oldKey = holderKey;
  const newKey = generateEncryptionKey();

  it('a new purpose-4 key, every document re-wrapped client-side, the old key removed; the DID document follows', async () => {
    await client.write('id_addEncryptionKey', { identity, key: newKey.did }, holder);
    const docs = await client.write('id_listClaimDocuments', { identity }, holder);
    assert.deepEqual(docs.map((d) => d.topic).sort(), [1, 2]);
    const envelopes = await Promise.all(docs.map(async (d) => ({ topic: d.topic, envelope: await rewrapFor(d.envelopes.find((e) => e.recipient === oldKey.did)!.envelope, oldKey, newKey.did) })));
    // The node checks each envelope against the claim of its topic: one for the other topic's document is refused.
    await refused(client.write('id_rewrapDocuments', { identity, envelopes: [{ topic: 1, envelope: envelopes.find((e) => e.topic === 2)!.envelope }] }, holder), -32602, /claim/);
    // A recipient that is no key of the identity is refused.
    const toStranger = await rewrapFor(docs[0]!.envelopes.find((e) => e.recipient === oldKey.did)!.envelope, oldKey, strangerKey.did);
    assert.equal((await refused(client.write('id_rewrapDocuments', { identity, envelopes: [{ topic: docs[0]!.topic, envelope: toStranger }] }, holder), -32602)).field, 'envelopes.0.envelope.context.recipient');
    await refused(client.write('id_rewrapDocuments', { identity, envelopes }, stranger), -32001);
    const r = await client.write('id_rewrapDocuments', { identity, envelopes }, holder);
    assert.equal(r.stored.length, 2);
    await client.write('id_removeKey', { identity, key: mlKemKeyId(oldKey.did), purpose: 4 }, holder);
    assert.deepEqual(await keyAgreementOf(walletDid), [newKey.did]);
    assert.deepEqual((await client.rpc.id_getIdentity({ identity })).encryptionKeys.map((k) => k.did), [newKey.did]);
    assert.equal(await openOwn(1, newKey), KYC_REPORT);
    assert.equal(await openOwn(2, newKey), AML_REPORT);
    holderKey = newKey;
  });

  it('the verifier granted under the old key still reads, until revoked', async () => {
    const got = await read(verifier, 2, [await dlg(verifier, 2)]);
    assert.equal(text(await openSealed(fromBase64(got.ciphertext), got.envelope, verifierKey, claimRef(2))), AML_REPORT);
    await client.write('id_revokeClaimAccess', { identity, topic: 2, verifier: verifier.address }, holder);
    await refused(read(verifier, 2, [await dlg(verifier, 2)]), -32001, /grant/);
  });

  it('the old key opens nothing new: new documents are sealed for the current keys, and no envelope for the old key is taken', async () => {
    // Re-wrapping for the old key again is refused.
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 2 }, holder);
    const back = await rewrapFor(doc!.envelopes.find((e) => e.recipient === newKey.did)!.envelope, newKey, oldKey.did);
    await refused(client.write('id_rewrapDocuments', { identity, envelopes: [{ topic: 2, envelope: back }] }, holder), -32602, /current encryption key/);
    // An issuer sealing for the old key is refused; one sealing for the DID document's keys reaches the new key only.
    const stale = await issueAmlReport(`${AML_REPORT}renewed\n`, [oldKey.did]);
    await refused(client.rpc.id_issueClaim(stale.params), -32602, /current encryption key/);
    const fresh = await issueAmlReport(`${AML_REPORT}renewed\n`, await keyAgreementOf(walletDid));
    await client.rpc.id_issueClaim(fresh.params);
    assert.equal(await openOwn(2, newKey), `${AML_REPORT}renewed\n`);
    const [renewed] = await client.write('id_listClaimDocuments', { identity, topic: 2, includeCiphertext: true }, holder);
    assert.equal(renewed!.cid, fresh.sealed.cid);
    assert.ok(renewed!.envelopes.every((e) => e.recipient !== oldKey.did));
    for (const e of renewed!.envelopes) await assert.rejects(openSealed(fromBase64(renewed!.ciphertext!), e.envelope, { ...oldKey, did: e.recipient }, claimRef(2)));
  });
});

describe('the wrapped key: a hash on chain, the envelope in the blockstore by CID', () => {
  const v = privateKeyToAccount(generatePrivateKey());
  const vKey = generateEncryptionKey();
  let ref: string;

  it('gas: the grant with the envelope hash, against publishing the envelope (calldata, or stored as contract code)', async () => {
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 2 }, holder);
    const envelope = await rewrapFor(doc!.envelopes.find((e) => e.recipient === holderKey.did)!.envelope, holderKey, vKey.did);
    const g = await client.write('id_grantClaimAccess', { identity, topic: 2, verifier: v.address, verifierKey: vKey.did, envelope }, holder);
    const pc = createPublicClient({ transport: http(t.node.ctx.clients.chain.rpcUrls.default.http[0]) });
    ref = g.envelopeRef;
    const grantGas = (await pc.getTransactionReceipt({ hash: g.txHash as Hex })).gasUsed;
    // The least an envelope on chain can be: the ML-KEM-768 ciphertext (1,088 bytes) and the wrapped key (48 bytes).
    const parsed = JSON.parse(envelope) as { enc: string; ct: string };
    const raw = Buffer.concat([Buffer.from(parsed.enc, 'base64'), Buffer.from(parsed.ct, 'base64')]);
    assert.equal(raw.length, 1088 + 48);
    const from = t.node.ctx.relayerAddress;
    const calldataOnly = await pc.estimateGas({ account: from, to: v.address, data: `0x${raw.toString('hex')}` });
    // SSTORE2: a contract whose code is the envelope behind a STOP byte (code may not start with 0xef; the cheapest
    // storage a contract can read back).
    const code = Buffer.concat([Buffer.from([0]), raw]);
    const initcode = `0x61${code.length.toString(16).padStart(4, '0')}80600c6000396000f3${code.toString('hex')}` as Hex;
    const asCode = await pc.estimateGas({ account: from, data: initcode });
    console.log(`gas: grant with envelope hash ${grantGas} (whole relayed transaction); publishing the 1,136-byte envelope: ${calldataOnly} as bare calldata, ${asCode} stored as contract code (SSTORE2), on top of the grant`);
    assert.ok(calldataOnly > 21_000n + 1136n * 4n && asCode > 200n * 1136n, 'publishing costs at least its calldata, storing at least 200 gas a byte');
  });

  it('with the database rows gone, the grant still resolves: envelopeRef on chain -> CID -> blockstore', async () => {
    const db = t.node.ctx.repos.db as unknown as { deleteFrom(t: string): { where(c: string, op: string, v: string): { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> } } };
    assert.equal((await db.deleteFrom('envelopes').where('ref', '=', ref.toLowerCase()).executeTakeFirst()).numDeletedRows, 1n);
    const got = await read(v, 2, [await dlg(v, 2)]);
    assert.equal(text(await openSealed(fromBase64(got.ciphertext), got.envelope, vKey, claimRef(2))), `${AML_REPORT}renewed\n`);
  });

});

describe('an administrator whose identity this node never created: resolved from the chain', () => {
  const admin = privateKeyToAccount(generatePrivateKey());
  const adminKey = generateEncryptionKey();
  const regulator = privateKeyToAccount(generatePrivateKey());
  const regulatorKey = generateEncryptionKey();
  let adminIdentity: Address;

  it('the administrator deploys its identity and adds its encryption key itself, outside the node', async () => {
    const r = t.node.ctx.clients.publicClient;
    const rpcUrl = t.node.ctx.clients.chain.rpcUrls.default.http[0];
    await r.request({ method: 'anvil_setBalance' as never, params: [admin.address, '0x56bc75e2d63100000000'] as never });
    const w = createWalletClient({ account: admin, chain: t.node.ctx.clients.walletClient.chain, transport: http(rpcUrl) });
    adminIdentity = await deployContract(w, r, { abi: identityAbi, bytecode: identityBytecode }, [admin.address]);
    await write(w, r, { address: adminIdentity, abi: identityAbi, functionName: 'addKey', args: [mlKemKeyId(adminKey.did) as Hex, 4n, MLKEM768_KEY_TYPE] });
    assert.equal(await t.node.ctx.repos.identities.byWallet(admin.address), undefined, 'unknown to this node');
    // The wallet's DID document finds the identity on chain (its key's bytes are not here yet: no keyAgreement).
    const doc = await client.rpc.id_resolveDid({ did: `did:pkh:eip155:${chainId}:${admin.address}` }) as { service?: { serviceEndpoint: string }[] };
    assert.deepEqual(doc.service?.map((x) => x.serviceEndpoint), [`did:pkh:eip155:${chainId}:${adminIdentity}`]);
  });

  it("the investor's delegation is checked against the administrator's on-chain encryption keys", async () => {
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 1 }, holder);
    const mine = doc!.envelopes.find((e) => e.recipient === holderKey.did)!.envelope;
    const toStranger = await rewrapFor(mine, holderKey, strangerKey.did);
    const e = await refused(client.write('id_delegateClaimAccess', { identity, topic: 1, delegate: admin.address, delegateKey: strangerKey.did, envelope: toStranger }, holder), -32602);
    assert.equal(e.field, 'delegateKey');
    await client.write('id_delegateClaimAccess', { identity, topic: 1, delegate: admin.address, delegateKey: adminKey.did, envelope: await rewrapFor(mine, holderKey, adminKey.did) }, holder);
    // The key's bytes are now stored by CID: the administrator's DID document lists it as keyAgreement.
    assert.deepEqual(await keyAgreementOf(`did:pkh:eip155:${chainId}:${admin.address}`), [adminKey.did]);
  });

  it('the administrator grants a regulator on its own identity; the read resolves that identity from the chain', async () => {
    const root = await delegateToAdministrator(holder, { chainId, administrator: admin.address, identity, topics: [1], seconds: 3600 });
    const d = await client.write('id_getClaimDelegation', { identity, topic: 1 }, admin);
    const envelope = await rewrapFor(d.envelope, adminKey, regulatorKey.did);
    await client.write('id_grantDelegatedAccess', { identity, topic: 1, delegateIdentity: adminIdentity, regulator: regulator.address, regulatorKey: regulatorKey.did, envelope }, admin);
    // Nothing off chain names the administrator's identity any more: the node finds it from KeyAdded and keyHasPurpose.
    const db = t.node.ctx.repos.db as unknown as { deleteFrom(t: string): { where(c: string, op: string, v: string): { execute(): Promise<unknown> } } };
    await db.deleteFrom('delegated_grants').where('delegate', '=', admin.address.toLowerCase()).execute();
    const onward = await delegateOnward(admin, { chainId, holder: holder.address, regulator: regulator.address, identity, topic: 1, seconds: 600 });
    const got = await client.rpc.id_getClaimDocument(await readRequest(regulator, { chainId, holder: holder.address, identity, topic: 1, proofs: [root, onward], audience: nodeDid() }));
    assert.equal(text(await openSealed(fromBase64(got.ciphertext), got.envelope, regulatorKey, claimRef(1))), KYC_REPORT);
    await client.write('id_revokeClaimDelegation', { identity, topic: 1, delegate: admin.address }, holder);
  });
});

describe('regulators through a fund administrator', () => {
  const admin = privateKeyToAccount(generatePrivateKey());
  const adminKey = generateEncryptionKey();
  const regulator = privateKeyToAccount(generatePrivateKey());
  const regulatorKey = generateEncryptionKey();
  const otherRegulator = privateKeyToAccount(generatePrivateKey());
  let adminIdentity: Address;
  let root: UcanToken;
  const onward = (to: PrivateKeyAccount, topic = 1) => delegateOnward(admin, { chainId, holder: holder.address, regulator: to.address, identity, topic, seconds: 600 });
  const regulatorRead = async (by: PrivateKeyAccount, proofs: UcanToken[], topic = 1) =>
    client.rpc.id_getClaimDocument(await readRequest(by, { chainId, holder: holder.address, identity, topic, proofs, audience: nodeDid() }));
  const grantRegulator = async (topic = 1) => {
    // The administrator re-wraps the key it was delegated for the regulator, client-side; it never fetches the document.
    const d = await client.write('id_getClaimDelegation', { identity, topic }, admin);
    const envelope = await rewrapFor(d.envelope, adminKey, regulatorKey.did);
    return client.write('id_grantDelegatedAccess', { identity, topic, delegateIdentity: adminIdentity, regulator: regulator.address, regulatorKey: regulatorKey.did, envelope }, admin);
  };

  it('the investor delegates the KYC topic to its fund administrator, then goes offline', async () => {
    adminIdentity = (await client.write('id_createIdentity', { wallet: admin.address }, admin)).identity as Address;
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 1 }, holder);
    const envelope = await rewrapFor(doc!.envelopes.find((e) => e.recipient === holderKey.did)!.envelope, holderKey, adminKey.did);
    await refused(client.write('id_delegateClaimAccess', { identity, topic: 1, delegate: admin.address, delegateKey: adminKey.did, envelope }, stranger), -32001);
    await refused(client.write('id_delegateClaimAccess', { identity, topic: 1, delegate: admin.address, delegateKey: strangerKey.did, envelope }, holder), -32602, /recipient/);
    await client.write('id_delegateClaimAccess', { identity, topic: 1, delegate: admin.address, delegateKey: adminKey.did, envelope }, holder);
    root = await delegateToAdministrator(holder, { chainId, administrator: admin.address, identity, topics: [1], seconds: 3600 });
    // Offline: the investor's decryption key is gone from here on; only its administrator acts.
    holderKey.secretKey.fill(0);
  });

  it('the administrator grants a regulator, who reads and opens the KYC report; the administrator itself reads nothing', async () => {
    await refused(client.write('id_getClaimDelegation', { identity, topic: 1 }, stranger), -32001, /no delegation/);
    const r = await grantRegulator();
    assert.match(r.txHash, /^0x/);
    const doc = await regulatorRead(regulator, [root, await onward(regulator)]);
    assert.equal(text(await openSealed(fromBase64(doc.ciphertext), doc.envelope, regulatorKey, claimRef(1))), KYC_REPORT);
    // Layer 3: the regulator's envelope opens for nobody else.
    await assert.rejects(openSealed(fromBase64(doc.ciphertext), doc.envelope, strangerKey, claimRef(1)));
    // The administrator holds a read capability (it must, to re-delegate one) but no read grant: layer 2 refuses it.
    await refused(regulatorRead(admin, [root]), -32001, /grant/);
  });

  it('id_listAccessGrants shows the delegation and the delegated grant to the investor, the administrator and the regulator', async () => {
    const mine = await client.rpc.id_listAccessGrants({ identity, topic: 1 });
    assert.deepEqual(mine.map((g) => [g.kind, g.verifier, g.onChain, g.status]), [
      ['delegation', admin.address, true, 'active'],
      ['delegated', regulator.address, true, 'active'],
    ]);
    // Every address of a listing is EIP-55 checksummed, whatever the case of the filters asking for it.
    const addresses = (g: (typeof mine)[number]) => [g.identity, g.verifier, g.grantedBy, g.delegation?.delegate, g.delegation?.delegateIdentity].filter((a) => a !== null && a !== undefined);
    for (const a of mine.flatMap(addresses)) assert.equal(a, getAddress(a!));
    assert.deepEqual(await client.rpc.id_listAccessGrants({ identity: identity.toLowerCase() as Address, topic: 1 }), mine);
    assert.deepEqual(await client.rpc.id_listAccessGrants({ verifier: regulator.address.toLowerCase() as Address }), [mine[1]]);
    const delegated = mine[1]!;
    assert.equal(delegated.grantedBy, admin.address);
    assert.deepEqual(delegated.delegation, { delegate: admin.address, delegateIdentity: adminIdentity, status: 'active', onChain: true });
    assert.equal(delegated.verifierKey, regulatorKey.did);
    assert.equal(delegated.identity, identity);
    // The administrator: what it was delegated and what it granted under it, across its subjects.
    assert.deepEqual((await client.rpc.id_listAccessGrants({ delegate: admin.address })).map((g) => g.kind), ['delegation', 'delegated']);
    // The regulator finds what it was granted, and from whom, knowing nothing but its own address.
    const found = await client.rpc.id_listAccessGrants({ verifier: regulator.address });
    assert.deepEqual(found.map((g) => [g.kind, g.identity, g.topic, g.grantedBy]), [['delegated', identity, 1, admin.address]]);
    assert.deepEqual(await client.rpc.id_listAccessGrants({ verifier: otherRegulator.address }), []);
    assert.deepEqual(await client.rpc.id_listAccessGrants({ identity, topic: 2, delegate: admin.address }), []);
    // No filter at all is refused, naming the field.
    assert.equal((await refused(client.rpc.id_listAccessGrants({}), -32602)).field, 'identity');
  });

  it('everyone else is refused at some layer', async () => {
    // A regulator the administrator delegated to (UCAN) but never granted on chain.
    await refused(regulatorRead(otherRegulator, [root, await onward(otherRegulator)]), -32001, /grant/);
    // A topic the investor did not name: the UCAN policy refuses it, and so does the node for the on-chain grant.
    await refused(regulatorRead(regulator, [root, await onward(regulator, 2)], 2), -32001, /policy-violation/);
    await refused(grantRegulator(2), -32001, /no delegation/);
    // The administrator cannot record a grant on an identity it does not manage, nor a stranger on the administrator's.
    const d = await client.write('id_getClaimDelegation', { identity, topic: 1 }, admin);
    const envelope = await rewrapFor(d.envelope, adminKey, regulatorKey.did);
    await refused(client.write('id_grantDelegatedAccess', { identity, topic: 1, delegateIdentity: adminIdentity, regulator: regulator.address, regulatorKey: regulatorKey.did, envelope }, stranger), -32001);
    // The subject's own UCAN to the regulator does not stand in for the administrator's chain.
    await refused(regulatorRead(regulator, [await dlg(regulator, 1)]), -32001, /grant/);
  });

  it('the administrator revokes the regulator; re-granted, the investor withdrawing the delegation cuts it at once', async () => {
    await client.write('id_revokeDelegatedAccess', { identity, topic: 1, delegateIdentity: adminIdentity, regulator: regulator.address }, admin);
    await refused(regulatorRead(regulator, [root, await onward(regulator)]), -32001, /grant/);
    const [revoked] = await client.rpc.id_listAccessGrants({ verifier: regulator.address });
    assert.deepEqual([revoked!.status, revoked!.onChain, revoked!.revokedAt !== null], ['revoked', false, true]);
    await grantRegulator();
    await regulatorRead(regulator, [root, await onward(regulator)]);
    await client.write('id_revokeClaimDelegation', { identity, topic: 1, delegate: admin.address }, holder);
    await refused(regulatorRead(regulator, [root, await onward(regulator)]), -32001, /grant/);
    // The regulator's grant still stands on the administrator's identity, but the delegation under it is gone.
    const [cut] = await client.rpc.id_listAccessGrants({ verifier: regulator.address });
    assert.deepEqual([cut!.status, cut!.onChain, cut!.delegation], ['active', false, { delegate: admin.address, delegateIdentity: adminIdentity, status: 'revoked', onChain: false }]);
    await refused(grantRegulator(), -32001, /no delegation/);
  });
});

describe('privacy', () => {
  it('no personal data reached the chain (every transaction input and log)', async () => {
    const pc = createPublicClient({ transport: http(t.node.ctx.clients.chain.rpcUrls.default.http[0]) });
    const needles = [NAME, 'Vespertine', AML_REPORT, KYC_REPORT].flatMap((x) => [x.toLowerCase(), Buffer.from(x).toString('hex')]);
    const head = await pc.getBlockNumber();
    let txs = 0;
    for (let b = 0n; b <= head; b++) {
      for (const tx of (await pc.getBlock({ blockNumber: b, includeTransactions: true })).transactions) {
        txs++;
        for (const n of needles) assert.ok(!tx.input.toLowerCase().includes(n), `tx ${tx.hash} carries personal data`);
      }
    }
    const logs = await pc.getLogs({ fromBlock: 0n, toBlock: head });
    for (const l of logs) for (const n of needles) assert.ok(!(l.data + l.topics.join('')).toLowerCase().includes(n), 'a log carries personal data');
    assert.ok(txs > 20 && logs.length > 20, `scanned ${txs} transactions and ${logs.length} logs`);
  });
});
