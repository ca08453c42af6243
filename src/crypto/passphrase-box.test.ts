import { test } from 'node:test';
import assert from 'node:assert/strict';
import { seal, open, WrongPassphraseError } from './passphrase-box.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 }; // tests only: the default costs ~0.5 s per call

test('seal then open returns the plaintext; the box holds no plaintext', async () => {
  const secret = new TextEncoder().encode('the wallet seed, 32 bytes long..');
  const box = await seal(secret, 'correct horse', 'wallet', FAST);
  assert.deepEqual(await open(box, 'correct horse', 'wallet'), secret);
  assert.ok(!JSON.stringify(box).includes('wallet seed'));
});

test('wrong passphrase, altered ciphertext or swapped purpose are refused', async () => {
  const box = await seal(new Uint8Array([1, 2, 3]), 'pw', 'wallet', FAST);
  await assert.rejects(open(box, 'pW', 'wallet'), WrongPassphraseError);
  const bytes = Buffer.from(box.ciphertext, 'base64');
  bytes[0] ^= 1;
  await assert.rejects(open({ ...box, ciphertext: bytes.toString('base64').replace(/=+$/, '') }, 'pw', 'wallet'), WrongPassphraseError);
  await assert.rejects(open(box, 'pw', 'keystore'), /holds "wallet"/);
  await assert.rejects(open({ ...box, purpose: 'keystore' }, 'pw', 'keystore'), WrongPassphraseError, 'purpose is authenticated');
  await assert.rejects(seal(new Uint8Array(1), '', 'wallet', FAST), /passphrase/);
});

test('the default parameters are the strong ones', async () => {
  const box = await seal(new Uint8Array(1), 'pw', 'x');
  assert.equal(box.kdf.N, 2 ** 17);
  assert.deepEqual(await open(box, 'pw', 'x'), new Uint8Array(1));
});

test('a sealer re-seals without re-deriving, and unlock checks the passphrase', async () => {
  const { PassphraseSealer } = await import('./passphrase-box.js');
  const sealer = await PassphraseSealer.create('pw', 'wallet', FAST);
  const a = sealer.seal(new Uint8Array([1]));
  const b = sealer.seal(new Uint8Array([1]));
  assert.notEqual(a.nonce, b.nonce, 'fresh nonce per box');
  assert.equal(a.kdf.salt, b.kdf.salt);
  const { sealer: again, plaintext } = await PassphraseSealer.unlock(b, 'pw', 'wallet');
  assert.deepEqual(plaintext, new Uint8Array([1]));
  assert.deepEqual(again.open(sealer.seal(new Uint8Array([2]))), new Uint8Array([2]));
  await assert.rejects(PassphraseSealer.unlock(b, 'nope', 'wallet'), WrongPassphraseError);
});
