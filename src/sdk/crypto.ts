// Client-side document encryption: a random 256-bit document key seals the bytes (XChaCha20-Poly1305), and the
// key is wrapped for each recipient's ML-KEM-768 key (KEM shared secret -> HKDF-SHA256 -> XChaCha20-Poly1305).
// The node stores only ciphertext and envelopes. Stand-in until src/documents (HPKE) lands; same roles.
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { mlKemDid, mlKemPublicKeyFromDid } from '../did/index.js';

export interface EncryptionKey { did: string; publicKey: Uint8Array; secretKey: Uint8Array }

export function generateEncryptionKey(seed?: Uint8Array): EncryptionKey {
  const { publicKey, secretKey } = ml_kem768.keygen(seed);
  return { did: mlKemDid(publicKey), publicKey, secretKey };
}

const INFO = new TextEncoder().encode('masque/document-key/v1');
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const unb64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

interface EnvelopeJson { v: 1; alg: 'ML-KEM-768+HKDF-SHA256+XChaCha20Poly1305'; recipient: string; kem: string; nonce: string; wrapped: string }

/** Wraps `documentKey` for the ML-KEM-768 key named by `recipientDid`; the recipient DID is bound as AAD. */
export function wrapKey(documentKey: Uint8Array, recipientDid: string): string {
  const { cipherText, sharedSecret } = ml_kem768.encapsulate(mlKemPublicKeyFromDid(recipientDid));
  const kek = hkdf(sha256, sharedSecret, cipherText, INFO, 32);
  const nonce = randomBytes(24);
  const wrapped = xchacha20poly1305(kek, nonce, new TextEncoder().encode(recipientDid)).encrypt(documentKey);
  const env: EnvelopeJson = { v: 1, alg: 'ML-KEM-768+HKDF-SHA256+XChaCha20Poly1305', recipient: recipientDid, kem: b64(cipherText), nonce: b64(nonce), wrapped: b64(wrapped) };
  return JSON.stringify(env);
}

export function unwrapKey(envelope: string, key: EncryptionKey): Uint8Array {
  const env = JSON.parse(envelope) as EnvelopeJson;
  if (env.recipient !== key.did) throw new Error('envelope is for another recipient');
  const kemCt = unb64(env.kem);
  const shared = ml_kem768.decapsulate(kemCt, key.secretKey);
  const kek = hkdf(sha256, shared, kemCt, INFO, 32);
  return xchacha20poly1305(kek, unb64(env.nonce), new TextEncoder().encode(env.recipient)).decrypt(unb64(env.wrapped));
}

/** Re-wraps the document key for another recipient (the holder, to grant a verifier). */
export function rewrap(envelope: string, key: EncryptionKey, recipientDid: string): string {
  return wrapKey(unwrapKey(envelope, key), recipientDid);
}

export interface SealedDocument { ciphertext: Uint8Array; envelopes: { recipient: string; envelope: string }[] }

export function encryptDocument(plaintext: Uint8Array, recipients: string[]): SealedDocument {
  const dek = randomBytes(32);
  const nonce = randomBytes(24);
  const ct = xchacha20poly1305(dek, nonce).encrypt(plaintext);
  const ciphertext = new Uint8Array(24 + ct.length);
  ciphertext.set(nonce);
  ciphertext.set(ct, 24);
  return { ciphertext, envelopes: recipients.map((r) => ({ recipient: r, envelope: wrapKey(dek, r) })) };
}

export function decryptDocument(ciphertext: Uint8Array, envelope: string, key: EncryptionKey): Uint8Array {
  const dek = unwrapKey(envelope, key);
  return xchacha20poly1305(dek, ciphertext.subarray(0, 24)).decrypt(ciphertext.subarray(24));
}

export { b64 as toBase64, unb64 as fromBase64 };
