import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyToAccount } from 'viem/accounts';
import * as Envelope from 'iso-ucan/envelope';
import { verify as isoEip191Verify } from 'iso-signatures/verifiers/eip191.js';
import * as dagCbor from '@ipld/dag-cbor';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { bytesToBigintBE, bigintToBytesBE } from '../crypto/bytes.js';
import { mlKemDid } from '../did/key.js';
import {
  DOCUMENT_READ,
  MemoryRevocationStore,
  checkDocumentAccess,
  commandCovers,
  decodeToken,
  delegateDocumentRead,
  ed25519Signer,
  eip191Signer,
  invokeDocumentRead,
  tokenCid,
  type DocumentAccessContext,
  type DocumentAccessRefusal,
  type InvocationStore,
  type UcanSigner,
  type UcanToken,
} from './index.js';

/** Spent invocations in memory (the node keeps them in its database: db/ucan-invocations.ts). */
class MemoryInvocationStore implements InvocationStore {
  readonly #spent = new Set<string>();

  spend(invocation: { issuer: string; nonce: Uint8Array }): boolean {
    const key = `${invocation.issuer} ${bytesToHex(invocation.nonce)}`;
    if (this.#spent.has(key)) return false;
    this.#spent.add(key);
    return true;
  }
}

const CHAIN = 31337;
const NOW = 1_800_000_000;
const HOUR = 3600;
const I = '0x5FbDB2315678afecb367f032d93F642f64180aa3' as const; // identity contract
const J = '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512' as const;
// Anvil's well-known dev keys: test principals only.
const alice = eip191Signer(privateKeyToAccount('0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80'), CHAIN); // subject wallet
const bob = eip191Signer(privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'), CHAIN); // verifier
const mallory = eip191Signer(privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a'), CHAIN);
const carol = ed25519Signer(new Uint8Array(32).fill(3)); // verifier's staff key, did:key Ed25519
const dave = ed25519Signer(new Uint8Array(32).fill(4));

const ctxFor = (verifier: UcanSigner, over: Partial<DocumentAccessContext> = {}): DocumentAccessContext => ({
  identity: I,
  topic: 42n,
  verifier: verifier.did,
  now: NOW,
  revocations: new MemoryRevocationStore(),
  ...over,
});

const root = (o: Partial<Parameters<typeof delegateDocumentRead>[0]> = {}) =>
  delegateDocumentRead({ issuer: alice, audience: bob.did, subject: alice.did, identity: I, topic: 42n, expiration: NOW + HOUR, ...o });

const invoke = (issuer: UcanSigner, proofs: UcanToken[], o: Partial<Parameters<typeof invokeDocumentRead>[0]> = {}) =>
  invokeDocumentRead({ issuer, subject: alice.did, identity: I, topic: 42n, proofs, expiration: NOW + 60, ...o });

const request = (inv: UcanToken, proofs: UcanToken[]) => ({ invocation: inv.bytes, proofs: proofs.map((p) => p.bytes) });

async function expectRefusal(reason: DocumentAccessRefusal, inv: UcanToken, proofs: UcanToken[], ctx: DocumentAccessContext) {
  const r = await checkDocumentAccess(request(inv, proofs), ctx);
  assert.equal(r.ok, false, `expected refusal ${reason}`);
  if (!r.ok) assert.equal(r.reason, reason, r.detail);
}

test('a subject delegates read of one identity and topic; the verifier invokes it', async () => {
  const d = await root();
  const inv = await invoke(bob, [d]);
  const r = await checkDocumentAccess(request(inv, [d]), ctxFor(bob));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  if (r.ok) {
    assert.equal(r.subject, alice.did);
    assert.deepEqual(r.chain, [d.cid]);
    assert.equal(r.invocation, inv.cid);
  }
  assert.equal(d.cid, (await tokenCid(d.bytes)).toString());
  assert.ok(d.cid.startsWith('bafyrei'), 'dag-cbor sha2-256 CIDv1');
  const decoded = await decodeToken(d.bytes, 'dlg');
  assert.equal(decoded.alg, 'EIP191');
  assert.deepEqual(decoded.payload.pol, [['==', '.identity', I], ['==', '.topic', '42']]);
  // did:pkh compared canonically: a lowercase spelling of the verifier is the same principal.
  assert.ok((await checkDocumentAccess(request(inv, [d]), ctxFor(bob, { verifier: bob.did.toLowerCase() }))).ok);
  // The subject itself needs no proof.
  assert.ok((await checkDocumentAccess(request(await invoke(alice, []), []), ctxFor(alice))).ok);
  // Known controllers, and audience binding.
  const bound = await invoke(bob, [d], { audience: dave.did });
  assert.ok((await checkDocumentAccess(request(bound, [d]), ctxFor(bob, { audience: dave.did, subjects: [alice.did] }))).ok);
});

test('chains attenuate: a delegate can narrow but never widen topic or identity', async () => {
  const anyTopic = await root({ topic: undefined }); // alice -> bob: identity I, any topic
  const narrow = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, topic: 42n, expiration: NOW + HOUR });
  assert.ok((await checkDocumentAccess(request(await invoke(carol, [anyTopic, narrow]), [anyTopic, narrow]), ctxFor(carol))).ok);
  await expectRefusal('policy-violation', await invoke(carol, [anyTopic, narrow], { topic: 43n }), [anyTopic, narrow], ctxFor(carol, { topic: 43n }));

  const only42 = await root(); // alice -> bob: identity I, topic 42
  const wider = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, expiration: NOW + HOUR }); // no policy
  const otherTopic = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, identity: I, topic: 43n, expiration: NOW + HOUR });
  const otherIdentity = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, identity: J, expiration: NOW + HOUR });
  await expectRefusal('policy-violation', await invoke(carol, [only42, wider], { topic: 43n }), [only42, wider], ctxFor(carol, { topic: 43n }));
  await expectRefusal('policy-violation', await invoke(carol, [only42, otherTopic], { topic: 43n }), [only42, otherTopic], ctxFor(carol, { topic: 43n }));
  await expectRefusal('policy-violation', await invoke(carol, [only42, otherIdentity], { identity: J }), [only42, otherIdentity], ctxFor(carol, { identity: J }));
  // Within the original scope the wider link grants nothing extra but still works.
  assert.ok((await checkDocumentAccess(request(await invoke(carol, [only42, wider]), [only42, wider]), ctxFor(carol))).ok);
});

test('commands attenuate segment-wise: "/masque/doc" does not cover "/masque/document/read"', async () => {
  assert.ok(commandCovers('/', DOCUMENT_READ));
  assert.ok(commandCovers('/masque/document', DOCUMENT_READ));
  assert.ok(!commandCovers('/masque/doc', DOCUMENT_READ));
  assert.ok(!commandCovers('/masque/document/read/one', DOCUMENT_READ));
  const broad = await root({ command: '/masque/document' });
  assert.ok((await checkDocumentAccess(request(await invoke(bob, [broad]), [broad]), ctxFor(bob))).ok);
  const prefixOnly = await root({ command: '/masque/doc' });
  await expectRefusal('broken-chain', await invoke(bob, [prefixOnly]), [prefixOnly], ctxFor(bob));
  const other = await root({ command: '/masque/document/write' });
  await expectRefusal('broken-chain', await invoke(bob, [other]), [other], ctxFor(bob));
});

test('expired and not-yet-valid delegations and invocations are refused', async () => {
  const d = await root();
  await expectRefusal('expired', await invoke(bob, [d]), [d], ctxFor(bob, { now: NOW + 2 * HOUR }));
  const old = await root({ expiration: NOW - 1 });
  await expectRefusal('expired', await invoke(bob, [old]), [old], ctxFor(bob));
  await expectRefusal('expired', await invoke(bob, [d], { expiration: NOW }), [d], ctxFor(bob));
  const later = await root({ notBefore: NOW + 10 });
  await expectRefusal('not-yet-valid', await invoke(bob, [later]), [later], ctxFor(bob));
  assert.ok((await checkDocumentAccess(request(await invoke(bob, [later]), [later]), ctxFor(bob, { now: NOW + 10 }))).ok);
});

test('a revoked delegation stops its chains only', async () => {
  const toBob = await root();
  const toDave = await root({ audience: dave.did });
  const revocations = new MemoryRevocationStore();
  const bobInv = await invoke(bob, [toBob]);
  assert.ok((await checkDocumentAccess(request(bobInv, [toBob]), ctxFor(bob, { revocations }))).ok);
  revocations.revoke(toBob.cid, NOW);
  await expectRefusal('revoked', bobInv, [toBob], ctxFor(bob, { revocations }));
  // A re-delegation downstream of the revoked link dies with it.
  const bobToCarol = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, topic: 42n, expiration: NOW + HOUR });
  await expectRefusal('revoked', await invoke(carol, [toBob, bobToCarol]), [toBob, bobToCarol], ctxFor(carol, { revocations }));
  // Dave's grant is untouched.
  assert.ok((await checkDocumentAccess(request(await invoke(dave, [toDave]), [toDave]), ctxFor(dave, { revocations }))).ok);
  assert.equal(revocations.revokedAt(toBob.cid), NOW);
});

test('forged did:pkh: a signature whose recovered address is not the DID address is refused', async () => {
  // Mallory signs as alice: the DID says alice, the key is mallory's.
  const forger: UcanSigner = { ...mallory, did: alice.did, toString: () => alice.did, sign: mallory.sign };
  const forged = await delegateDocumentRead({ issuer: forger, audience: bob.did, subject: alice.did, identity: I, topic: 42n, expiration: NOW + HOUR });
  const decoded = await decodeToken(forged.bytes, 'dlg');
  // iso-signatures' EIP-191 verifier accepts it (it never compares addresses); ours does not.
  assert.equal(await isoEip191Verify({ signature: decoded.signature, message: decoded.signed, did: undefined as never }), true);
  await expectRefusal('bad-signature', await invoke(bob, [forged]), [forged], ctxFor(bob));
  // Mallory invoking under bob's name.
  const d = await root();
  const asBob: UcanSigner = { ...mallory, did: bob.did, toString: () => bob.did, sign: mallory.sign };
  await expectRefusal('bad-signature', await invoke(asBob, [d]), [d], ctxFor(bob));
});

test('a malleated (high-s) twin of a delegation, which would dodge revocation by CID, is refused', async () => {
  const d = await root();
  const [sig, payload] = dagCbor.decode(d.bytes) as [Uint8Array, unknown];
  const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
  const twin = sig.slice();
  twin.set(bigintToBytesBE(n - bytesToBigintBE(sig.subarray(32, 64)), 32), 32);
  twin[64] = sig[64] === 27 ? 28 : 27;
  const bytes = dagCbor.encode([twin, payload]);
  const malleated = { cid: (await tokenCid(bytes)).toString(), bytes };
  assert.notEqual(malleated.cid, d.cid);
  const revocations = new MemoryRevocationStore();
  revocations.revoke(d.cid);
  await expectRefusal('bad-signature', await invoke(bob, [malleated]), [malleated], ctxFor(bob, { revocations }));
});

test('a malleated Ed25519 signature (s + L) is refused', async () => {
  const d = await root({ audience: carol.did });
  const inv = await invoke(carol, [d]);
  const [sig, payload] = dagCbor.decode(inv.bytes) as [Uint8Array, unknown];
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const s = bytesToBigintBE(sig.slice(32).reverse()) + L; // little-endian scalar
  const twin = sig.slice();
  twin.set(bigintToBytesBE(s, 32).reverse(), 32);
  const bytes = dagCbor.encode([twin, payload]);
  await expectRefusal('bad-signature', { cid: '', bytes }, [d], ctxFor(carol));
});

test('the request must match the invocation: verifier, identity, topic, audience, subject, command', async () => {
  const d = await root();
  const inv = await invoke(bob, [d]);
  await expectRefusal('wrong-verifier', inv, [d], ctxFor(carol));
  await expectRefusal('wrong-identity', inv, [d], ctxFor(bob, { identity: J }));
  await expectRefusal('wrong-topic', inv, [d], ctxFor(bob, { topic: 43n }));
  await expectRefusal('wrong-audience', inv, [d], ctxFor(bob, { audience: dave.did }));
  await expectRefusal('wrong-subject', inv, [d], ctxFor(bob, { subjects: [mallory.did] }));
  const payload = { iss: bob.did, sub: alice.did, cmd: '/masque/document/write', args: { identity: I, topic: '42' }, nonce: new Uint8Array(12), exp: NOW + 60, prf: [] };
  const { signature, signaturePayload } = await Envelope.sign({ spec: 'inv', signer: bob as never, payload: payload as never });
  const bytes = Envelope.encode({ signature, signaturePayload });
  await expectRefusal('wrong-command', { cid: '', bytes }, [], ctxFor(bob));
});

test('broken chains: missing proof, misaligned principals, root not from the subject', async () => {
  const d = await root();
  await expectRefusal('missing-proof', await invoke(bob, [d]), [], ctxFor(bob));
  await expectRefusal('broken-chain', await invoke(bob, []), [], ctxFor(bob));
  // alice -> dave, presented by carol.
  const toDave = await root({ audience: dave.did });
  await expectRefusal('broken-chain', await invoke(carol, [toDave]), [toDave], ctxFor(carol));
  // bob makes up a "root" for alice's subject.
  const selfMade = await delegateDocumentRead({ issuer: bob, audience: carol.did, subject: alice.did, identity: I, topic: 42n, expiration: NOW + HOUR });
  await expectRefusal('broken-chain', await invoke(carol, [selfMade]), [selfMade], ctxFor(carol));
  // A delegation for another subject.
  const malloryRoot = await delegateDocumentRead({ issuer: mallory, audience: bob.did, subject: mallory.did, identity: I, topic: 42n, expiration: NOW + HOUR });
  await expectRefusal('broken-chain', await invoke(bob, [malloryRoot]), [malloryRoot], ctxFor(bob));
});

test('malformed tokens and principals that cannot sign are refused', async () => {
  const d = await root();
  const inv = await invoke(bob, [d]);
  await expectRefusal('malformed', { cid: '', bytes: new Uint8Array([1, 2, 3]) }, [], ctxFor(bob));
  await expectRefusal('malformed', inv, [{ cid: '', bytes: inv.bytes }], ctxFor(bob)); // an invocation is not a delegation
  const kemDid = mlKemDid(ml_kem768.keygen(new Uint8Array(64)).publicKey);
  const kemSigner: UcanSigner = { ...carol, did: kemDid, toString: () => kemDid, sign: carol.sign };
  const fromKem = await invoke(kemSigner, [], { subject: kemDid });
  await expectRefusal('unsupported-principal', fromKem, [], ctxFor(kemSigner, { verifier: kemDid }));
  // An Ed25519 did:key verifier works end to end.
  const toCarol = await root({ audience: carol.did });
  assert.ok((await checkDocumentAccess(request(await invoke(carol, [toCarol]), [toCarol]), ctxFor(carol))).ok);
  // ...and a wrong Ed25519 signature is caught.
  const asCarol: UcanSigner = { ...dave, did: carol.did, toString: () => carol.did, sign: dave.sign };
  await expectRefusal('bad-signature', await invoke(asCarol, [toCarol]), [toCarol], ctxFor(carol));
});

test('an invocation is single-use: spent once everything holds, replayed after; a refused one spends nothing', async () => {
  const d = await root();
  const invocations = new MemoryInvocationStore();
  const inv = await invoke(bob, [d]);
  // Refused before it is spent (wrong topic asked): still good afterwards.
  await expectRefusal('wrong-topic', inv, [d], ctxFor(bob, { invocations, topic: 7n }));
  assert.ok((await checkDocumentAccess(request(inv, [d]), ctxFor(bob, { invocations }))).ok);
  await expectRefusal('replayed', inv, [d], ctxFor(bob, { invocations }));
  // Another invocation (its own nonce) of the same delegation is fine, once.
  const again = await invoke(bob, [d]);
  assert.ok((await checkDocumentAccess(request(again, [d]), ctxFor(bob, { invocations }))).ok);
  // Of concurrent presentations of one invocation, exactly one passes.
  const raced = await invoke(bob, [d]);
  const results = await Promise.all(Array.from({ length: 5 }, () => checkDocumentAccess(request(raced, [d]), ctxFor(bob, { invocations }))));
  assert.equal(results.filter((r) => r.ok).length, 1);
  assert.deepEqual(results.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.reason)), Array(4).fill('replayed'));
});

test('an invocation valid longer than maxInvocationLifetime is refused; delegations keep their own expiry', async () => {
  const tenYears = 10 * 365 * 24 * HOUR;
  const d = await root({ expiration: NOW + tenYears });
  await expectRefusal('too-long-lived', await invoke(bob, [d], { expiration: NOW + tenYears }), [d], ctxFor(bob, { maxInvocationLifetime: 300 }));
  await expectRefusal('too-long-lived', await invoke(bob, [d], { expiration: NOW + 301 }), [d], ctxFor(bob, { maxInvocationLifetime: 300 }));
  const r = await checkDocumentAccess(request(await invoke(bob, [d], { expiration: NOW + 300 }), [d]), ctxFor(bob, { maxInvocationLifetime: 300 }));
  assert.ok(r.ok, r.ok ? '' : r.detail);
  // The refusal says what is accepted.
  const long = await checkDocumentAccess(request(await invoke(bob, [d], { expiration: NOW + 3600 }), [d]), ctxFor(bob, { maxInvocationLifetime: 300 }));
  assert.ok(!long.ok && /at most 300 s/.test(long.detail));
});
