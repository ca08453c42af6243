import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, type Hex } from 'viem';
import { sha256 } from '@noble/hashes/sha2.js';
import { mlKemDid } from '../did/key.js';
import { MemoryBlockstore } from '../storage/blockstore.js';
import {
  ContextMismatchError,
  DecryptionError,
  FormatError,
  IntegrityError,
  decodeEnvelope,
  documentCid,
  encodeEnvelope,
  envelopeRef,
  fetchAndOpenDocument,
  fetchDocument,
  generateRecipientKeyPair,
  openDocument,
  openEnvelope,
  rewrapKey,
  sealDocument,
  storeDocument,
  wrapKey,
  type ClaimContext,
  type EnvelopeContext,
  type KeyEnvelope,
} from './index.js';

const claim: ClaimContext = { chainId: 31337, identity: '0x5FbDB2315678afecb367f032d93F642f64180aa3', topic: 42n };
const plaintext = new TextEncoder().encode(JSON.stringify({ name: 'Ada Lovelace', passport: 'X1234567', born: '1815-12-10' }));
const subject = generateRecipientKeyPair();
const verifier = generateRecipientKeyPair();
const other = generateRecipientKeyPair();
const subjectDid = mlKemDid(subject.publicKey);
const verifierDid = mlKemDid(verifier.publicKey);

async function setup(cipher?: 'aes-256-gcm' | 'xchacha20-poly1305') {
  const sealed = await sealDocument(plaintext, claim, { cipher });
  const ctx: EnvelopeContext = { ...claim, documentHash: sealed.documentHash, cid: sealed.cid.toString(), recipient: subjectDid };
  const own = await wrapKey(sealed.key, ctx);
  return { sealed, ctx, own };
}

test('seal, store, fetch against the on-chain hash, unwrap and open: the whole path, both ciphers', async () => {
  for (const cipher of ['aes-256-gcm', 'xchacha20-poly1305'] as const) {
    const store = new MemoryBlockstore();
    const { sealed, ctx, own } = await setup(cipher);
    assert.equal(sealed.documentHash, bytesToHex(sha256(sealed.bytes)), 'documentHash is SHA-256 of the stored bytes');
    assert.equal(sealed.documentHash, bytesToHex(sealed.cid.multihash.digest), 'and the CID digest');
    assert.equal(sealed.cid.toString(), (await documentCid(sealed.bytes)).toString());
    assert.ok(!Buffer.from(sealed.bytes).includes(Buffer.from('Lovelace')), 'no plaintext in stored bytes');
    assert.ok(!new TextDecoder().decode(encodeEnvelope(own)).includes('Lovelace'));
    const cid = await storeDocument(store, sealed);
    const key = await openEnvelope(own, subject.secretKey, ctx);
    assert.deepEqual(await fetchAndOpenDocument(store, cid, sealed.documentHash, key, claim), plaintext);
  }
});

test('sealed document wire format: "MSQD", version 1, cipher id, nonce, ciphertext+tag', async () => {
  const { sealed } = await setup('aes-256-gcm');
  assert.deepEqual([...sealed.bytes.subarray(0, 6)], [0x4d, 0x53, 0x51, 0x44, 0x01, 0x01]);
  assert.equal(sealed.bytes.length, 6 + 12 + plaintext.length + 16);
  const x = await sealDocument(plaintext, claim, { cipher: 'xchacha20-poly1305' });
  assert.deepEqual([...x.bytes.subarray(4, 6)], [0x01, 0x02]);
  assert.equal(x.bytes.length, 6 + 24 + plaintext.length + 16);
});

test('fetching tampered or substituted bytes gives IntegrityError, never content', async () => {
  const store = new MemoryBlockstore();
  const { sealed } = await setup();
  const cid = await storeDocument(store, sealed);
  const tampered = sealed.bytes.slice();
  tampered[40] ^= 1;
  store.tamper(cid, tampered);
  await assert.rejects(fetchDocument(store, cid, sealed.documentHash), IntegrityError);
  // Intact block, but the chain says another document: also refused.
  const store2 = new MemoryBlockstore();
  await storeDocument(store2, sealed);
  const wrongHash = bytesToHex(sha256(new Uint8Array([1]))) as Hex;
  await assert.rejects(fetchDocument(store2, cid, wrongHash), IntegrityError);
  // A store that returns other bytes under this CID without itself checking:
  const lying = { get: async () => tampered };
  await assert.rejects(fetchDocument(lying, cid, sealed.documentHash), IntegrityError);
});

test('openDocument refuses an altered ciphertext, header, or another claim context', async () => {
  const { sealed } = await setup();
  const flip = (i: number) => {
    const b = sealed.bytes.slice();
    b[i] ^= 1;
    return b;
  };
  await assert.rejects(openDocument(flip(sealed.bytes.length - 1), sealed.key, claim), DecryptionError);
  await assert.rejects(openDocument(flip(10), sealed.key, claim), DecryptionError, 'nonce');
  await assert.rejects(openDocument(flip(0), sealed.key, claim), FormatError);
  await assert.rejects(openDocument(sealed.bytes, sealed.key, { ...claim, topic: 43n }), DecryptionError);
  await assert.rejects(openDocument(sealed.bytes, sealed.key, { ...claim, chainId: 1 }), DecryptionError);
  await assert.rejects(openDocument(sealed.bytes, sealed.key, { ...claim, identity: '0x0000000000000000000000000000000000000001' }), DecryptionError);
  await assert.rejects(openDocument(sealed.bytes, new Uint8Array(32), claim), DecryptionError);
  await assert.rejects(openDocument(sealed.bytes.subarray(0, 20), sealed.key, claim), FormatError);
});

test('a grant re-wraps for one verifier: it opens for that verifier only', async () => {
  const { sealed, ctx, own } = await setup();
  const grant = await rewrapKey(own, subject.secretKey, ctx, verifierDid);
  assert.equal(grant.context.recipient, verifierDid);
  const verifierCtx = { ...ctx, recipient: verifierDid };
  assert.deepEqual(await openEnvelope(grant, verifier.secretKey, verifierCtx), sealed.key);
  // Wrong recipient: another party's key, whatever it claims to be.
  await assert.rejects(openEnvelope(grant, other.secretKey, verifierCtx), ContextMismatchError);
  await assert.rejects(openEnvelope(grant, other.secretKey, { ...ctx, recipient: mlKemDid(other.publicKey) }), ContextMismatchError);
  // The verifier cannot open the subject's own envelope.
  await assert.rejects(openEnvelope(own, verifier.secretKey, verifierCtx), ContextMismatchError);
  // Editing the JSON recipient does not help: the HPKE info is rebuilt from the expected context.
  const relabelled: KeyEnvelope = { ...own, context: { ...own.context, recipient: verifierDid } };
  await assert.rejects(openEnvelope(relabelled, verifier.secretKey, verifierCtx), DecryptionError);
  // Revoking one grant (dropping its envelope) leaves the others untouched.
  const second = await rewrapKey(own, subject.secretKey, ctx, mlKemDid(other.publicKey));
  assert.notEqual(envelopeRef(second), envelopeRef(grant));
  assert.deepEqual(await openEnvelope(second, other.secretKey, { ...ctx, recipient: mlKemDid(other.publicKey) }), sealed.key);
});

test('an envelope cannot be replayed for another claim, document or chain', async () => {
  const { ctx, own } = await setup();
  const other = await sealDocument(plaintext, claim);
  const cases: [string, Partial<EnvelopeContext>][] = [
    ['topic', { topic: 7n }],
    ['identity', { identity: '0x0000000000000000000000000000000000000001' }],
    ['chainId', { chainId: 1 }],
    ['documentHash', { documentHash: other.documentHash }],
    ['cid', { cid: other.cid.toString() }],
  ];
  for (const [field, change] of cases) {
    const target = { ...ctx, ...change };
    // As presented: the stated context differs from the one asked for.
    await assert.rejects(openEnvelope(own, subject.secretKey, target), (e) => e instanceof ContextMismatchError && e.field === field);
    // With its JSON context rewritten to match: the HPKE info no longer matches, so it does not open.
    const forged = decodeEnvelope(
      encodeEnvelope(
        await (async () => {
          const w = await wrapKey(new Uint8Array(32), target);
          return { ...own, context: w.context };
        })(),
      ),
    );
    await assert.rejects(openEnvelope(forged, subject.secretKey, target), DecryptionError, field);
  }
});

test('tampered envelope fields are refused', async () => {
  const { ctx, own } = await setup();
  const b = (s: string, i: number) => {
    const bytes = Buffer.from(s, 'base64');
    bytes[i] ^= 1;
    return bytes.toString('base64').replace(/=+$/, '');
  };
  await assert.rejects(openEnvelope({ ...own, ct: b(own.ct, 0) }, subject.secretKey, ctx), DecryptionError);
  await assert.rejects(openEnvelope({ ...own, ct: b(own.ct, 47) }, subject.secretKey, ctx), DecryptionError, 'tag');
  await assert.rejects(openEnvelope({ ...own, enc: b(own.enc, 500) }, subject.secretKey, ctx), DecryptionError);
  await assert.rejects(openEnvelope({ ...own, suite: { ...own.suite, aead: 3 } }, subject.secretKey, ctx), DecryptionError);
  await assert.rejects(openEnvelope({ ...own, version: 2 } as never, subject.secretKey, ctx), FormatError);
  await assert.rejects(openEnvelope({ ...own, enc: own.enc.slice(4) }, subject.secretKey, ctx), FormatError);
  await assert.rejects(openEnvelope({ ...own, context: { ...own.context, identity: '0xnope' } }, subject.secretKey, ctx), FormatError);
  await assert.rejects(openEnvelope({ ...own, context: { ...own.context, recipient: 'did:key:zBad' } }, subject.secretKey, ctx), FormatError);
});

test('envelope wire format: canonical JSON, stable ref, strict decoding', async () => {
  const { own, ctx } = await setup();
  const bytes = encodeEnvelope(own);
  const text = new TextDecoder().decode(bytes);
  assert.match(text, /^\{"type":"masque\/key-envelope","version":1,"suite":\{"kem":65,"kdf":1,"aead":2\},"context":\{"chainId":31337,"identity":"0x5FbDB2315678afecb367f032d93F642f64180aa3","topic":"42","documentHash":"0x[0-9a-f]{64}","cid":"bafkrei[a-z2-7]+","recipient":"did:key:z[1-9A-HJ-NP-Za-km-z]+"\},"enc":"[A-Za-z0-9+/]+","ct":"[A-Za-z0-9+/]+"\}$/);
  assert.equal(Buffer.from(own.enc, 'base64').length, 1088);
  assert.equal(Buffer.from(own.ct, 'base64').length, 48);
  const back = decodeEnvelope(bytes);
  assert.deepEqual(back, own);
  assert.equal(envelopeRef(back), bytesToHex(sha256(bytes)));
  // Key order does not matter on input, but the canonical bytes (and the ref) are one.
  const shuffled = JSON.stringify({ ct: own.ct, enc: own.enc, context: own.context, suite: own.suite, version: 1, type: own.type });
  assert.equal(envelopeRef(decodeEnvelope(shuffled)), envelopeRef(own));
  assert.deepEqual(await openEnvelope(decodeEnvelope(shuffled), subject.secretKey, ctx), await openEnvelope(own, subject.secretKey, ctx));
  assert.throws(() => decodeEnvelope('{'), FormatError);
  assert.throws(() => decodeEnvelope(JSON.stringify({ ...own, context: { ...own.context, topic: 42 } })), FormatError);
  assert.throws(() => decodeEnvelope(JSON.stringify({ ...own, context: { ...own.context, topic: '042' } })), FormatError);
  assert.throws(() => decodeEnvelope(JSON.stringify({ ...own, enc: '!!!' })), FormatError);
  await assert.rejects(wrapKey(new Uint8Array(31), ctx), /32 bytes/);
  await assert.rejects(wrapKey(new Uint8Array(32), { ...ctx, recipient: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp' }), /mlkem-768-pub/);
});
