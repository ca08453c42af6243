import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Aes256Gcm, CipherSuite, HkdfSha256 } from '@hpke/core';
import { MlKem768 } from '@hpke/ml-kem';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import {
  AEAD_AES_256_GCM,
  AEAD_CHACHA20_POLY1305,
  generateRecipientKeyPair,
  openBase,
  sealBase,
} from './hpke.js';

// The independent implementation: @hpke/core (RFC 9180, tested there against the RFC's vectors) with
// @hpke/ml-kem (KEM 0x0041 of the HPKE ML-KEM draft, on the `mlkem` package rather than noble).
const suite = new CipherSuite({ kem: new MlKem768(), kdf: new HkdfSha256(), aead: new Aes256Gcm() });
const ab = (u: Uint8Array) => u.slice().buffer;

test('the HPKE suite ids are RFC 9180 / HPKE PQ draft values', () => {
  assert.equal(suite.kem.id, 0x0041);
  assert.equal(suite.kdf.id, 0x0001);
  assert.equal(suite.aead.id, 0x0002);
});

test('same 64-byte seed gives the same ML-KEM-768 public key in noble and @hpke/ml-kem', async () => {
  const seed = new Uint8Array(64).map((_, i) => i);
  const ours = generateRecipientKeyPair(seed);
  const theirs = await suite.kem.deriveKeyPair(ab(seed));
  assert.deepEqual(new Uint8Array(await suite.kem.serializePublicKey(theirs.publicKey)), ours.publicKey);
  assert.deepEqual(new Uint8Array(await suite.kem.serializePrivateKey(theirs.privateKey)), seed);
});

test('our SealBase opens with @hpke/core, and @hpke/core Seal opens with our OpenBase', async () => {
  const { publicKey, secretKey } = generateRecipientKeyPair();
  const info = utf8ToBytes('masque test info');
  const aad = utf8ToBytes('aad');
  const pt = utf8ToBytes('32-byte document key goes here!!');

  const { enc, ct } = await sealBase(publicKey, info, aad, pt, AEAD_AES_256_GCM);
  const recipientKey = await suite.kem.importKey('raw', ab(secretKey), false);
  const opened = await suite.open({ recipientKey, enc: ab(enc), info: ab(info) }, ab(ct), ab(aad));
  assert.deepEqual(new Uint8Array(opened), pt);

  const recipientPublicKey = await suite.kem.importKey('raw', ab(publicKey), true);
  const theirs = await suite.seal({ recipientPublicKey, info: ab(info) }, ab(pt), ab(aad));
  assert.deepEqual(await openBase(secretKey, new Uint8Array(theirs.enc), info, aad, new Uint8Array(theirs.ct)), pt);

  // Binding: another info or aad fails on both sides.
  await assert.rejects(openBase(secretKey, new Uint8Array(theirs.enc), utf8ToBytes('other'), aad, new Uint8Array(theirs.ct)));
  await assert.rejects(suite.open({ recipientKey, enc: ab(enc), info: ab(info) }, ab(ct), ab(utf8ToBytes('AAD'))));
});

test('ChaCha20-Poly1305 suite round-trips; a wrong key, enc or ciphertext is refused', async () => {
  const alice = generateRecipientKeyPair();
  const mallory = generateRecipientKeyPair();
  const info = utf8ToBytes('i');
  const pt = new Uint8Array(32).fill(1);
  const { enc, ct } = await sealBase(alice.publicKey, info, new Uint8Array(0), pt, AEAD_CHACHA20_POLY1305);
  assert.deepEqual(await openBase(alice.secretKey, enc, info, new Uint8Array(0), ct, AEAD_CHACHA20_POLY1305), pt);
  await assert.rejects(openBase(alice.secretKey, enc, info, new Uint8Array(0), ct, AEAD_AES_256_GCM), 'suite is bound');
  await assert.rejects(openBase(mallory.secretKey, enc, info, new Uint8Array(0), ct, AEAD_CHACHA20_POLY1305));
  const enc2 = enc.slice();
  enc2[10] ^= 1;
  await assert.rejects(openBase(alice.secretKey, enc2, info, new Uint8Array(0), ct, AEAD_CHACHA20_POLY1305));
  const ct2 = ct.slice();
  ct2[0] ^= 1;
  await assert.rejects(openBase(alice.secretKey, enc, info, new Uint8Array(0), ct2, AEAD_CHACHA20_POLY1305));
  await assert.rejects(sealBase(alice.publicKey.subarray(1), info, new Uint8Array(0), pt), /1184/);
  await assert.rejects(sealBase(alice.publicKey, info, new Uint8Array(0), pt, 0x0001 as never), /unsupported HPKE AEAD/);
});

test('key schedule matches RFC 9180 A.1.1 (base mode; KEM 0x0020, HKDF-SHA256, AES-128-GCM)', async () => {
  const { gcm } = await import('@noble/ciphers/aes.js');
  const { hexToBytes, bytesToHex } = await import('@noble/hashes/utils.js');
  const { keyScheduleFor } = await import('./hpke.js');
  // The schedule is KEM-independent given the shared secret, so the RFC's own vector checks ours.
  const sharedSecret = hexToBytes('fe0e18c9f024ce43799ae393c7e8fe8fce9d218875e8227b0187c04e7d2ea1fc');
  const info = hexToBytes('4f6465206f6e2061204772656369616e2055726e'); // "Ode on a Grecian Urn"
  const { key, baseNonce } = keyScheduleFor({ kem: 0x0020, aead: 0x0001, nk: 16 }, sharedSecret, info);
  assert.equal(bytesToHex(key), '4531685d41d65f03dc48f6b8302c05b0');
  assert.equal(bytesToHex(baseNonce), '56d890e5accaaf011cff4b7d');
  // Sequence 0 encryption of the vector.
  const ct = gcm(key, baseNonce, hexToBytes('436f756e742d30')).encrypt(hexToBytes('4265617574792069732074727574682c20747275746820626561757479'));
  assert.equal(bytesToHex(ct), 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a');
});
