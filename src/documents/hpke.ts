import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { extract, expand } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { chacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/webcrypto.js';
import { concatBytes } from '../crypto/bytes.js';

/**
 * HPKE (RFC 9180), base mode, single-shot Seal/Open, with the ML-KEM-768 KEM of the HPKE PQ draft
 * (draft-ietf-hpke-pq, KEM id 0x0041: Encap/Decap are ML-KEM's own, the shared secret is used as is),
 * HKDF-SHA256 (0x0001) and AES-256-GCM (0x0002) or ChaCha20-Poly1305 (0x0003).
 *
 * Only what a key envelope needs: one message per context (sequence number 0), no PSK, no auth mode,
 * no exporter. Interoperability is tested against the independent @hpke/core + @hpke/ml-kem.
 *
 * A recipient's private key is the 64-byte ML-KEM seed (d || z): the FIPS 203 seed form, also the
 * draft's SerializePrivateKey; the 2400-byte expanded key is derived from it when opening.
 */
export const KEM_ML_KEM_768 = 0x0041;
export const KDF_HKDF_SHA256 = 0x0001;
export const AEAD_AES_256_GCM = 0x0002;
export const AEAD_CHACHA20_POLY1305 = 0x0003;
export type HpkeAead = typeof AEAD_AES_256_GCM | typeof AEAD_CHACHA20_POLY1305;

export const ML_KEM_768_PUBLIC_KEY_BYTES = 1184;
export const ML_KEM_768_SEED_BYTES = 64;
export const ML_KEM_768_ENC_BYTES = 1088;
export const ML_KEM_768_EXPANDED_SECRET_BYTES = 2400;

const NK = 32; // both AEADs take 256-bit keys
const NN = 12;
const MODE_BASE = 0x00;
const HPKE_V1 = utf8ToBytes('HPKE-v1');

export interface RecipientKeyPair {
  /** ML-KEM-768 encapsulation key, 1184 bytes. */
  readonly publicKey: Uint8Array;
  /** 64-byte seed (d || z). Keep secret. */
  readonly secretKey: Uint8Array;
}

export function generateRecipientKeyPair(seed: Uint8Array = randomBytes(ML_KEM_768_SEED_BYTES)): RecipientKeyPair {
  if (seed.length !== ML_KEM_768_SEED_BYTES) throw new TypeError('ML-KEM-768 seed must be 64 bytes');
  const { publicKey } = ml_kem768.keygen(seed);
  return { publicKey, secretKey: Uint8Array.from(seed) };
}

function i2osp(n: number, length: number): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = length - 1, v = n; i >= 0; i--, v = Math.floor(v / 256)) out[i] = v & 0xff;
  return out;
}

/**
 * RFC 9180 §5.1 KeySchedule, base mode (empty psk and psk_id), for any suite with HKDF-SHA256.
 * General in the KEM and AEAD ids and Nk only so it can be checked against the RFC's own vectors.
 */
export function keyScheduleFor(
  suite: { kem: number; aead: number; nk: number },
  sharedSecret: Uint8Array,
  info: Uint8Array,
): { key: Uint8Array; baseNonce: Uint8Array } {
  const sid = concatBytes(utf8ToBytes('HPKE'), i2osp(suite.kem, 2), i2osp(KDF_HKDF_SHA256, 2), i2osp(suite.aead, 2));
  const labeledExtract = (salt: Uint8Array, label: string, ikm: Uint8Array) =>
    extract(sha256, concatBytes(HPKE_V1, sid, utf8ToBytes(label), ikm), salt);
  const labeledExpand = (prk: Uint8Array, label: string, ctx: Uint8Array, length: number) =>
    expand(sha256, prk, concatBytes(i2osp(length, 2), HPKE_V1, sid, utf8ToBytes(label), ctx), length);
  const empty = new Uint8Array(0);
  const pskIdHash = labeledExtract(empty, 'psk_id_hash', empty);
  const infoHash = labeledExtract(empty, 'info_hash', info);
  const context = concatBytes(new Uint8Array([MODE_BASE]), pskIdHash, infoHash);
  const secret = labeledExtract(sharedSecret, 'secret', empty);
  return { key: labeledExpand(secret, 'key', context, suite.nk), baseNonce: labeledExpand(secret, 'base_nonce', context, NN) };
}

export function keySchedule(aead: HpkeAead, sharedSecret: Uint8Array, info: Uint8Array): { key: Uint8Array; baseNonce: Uint8Array } {
  return keyScheduleFor({ kem: KEM_ML_KEM_768, aead, nk: NK }, sharedSecret, info);
}

async function aeadSeal(aead: HpkeAead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, pt: Uint8Array): Promise<Uint8Array> {
  return aead === AEAD_AES_256_GCM ? gcm(key, nonce, aad).encrypt(pt) : chacha20poly1305(key, nonce, aad).encrypt(pt);
}

async function aeadOpen(aead: HpkeAead, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, ct: Uint8Array): Promise<Uint8Array> {
  return aead === AEAD_AES_256_GCM ? gcm(key, nonce, aad).decrypt(ct) : chacha20poly1305(key, nonce, aad).decrypt(ct);
}

function checkAead(aead: number): asserts aead is HpkeAead {
  if (aead !== AEAD_AES_256_GCM && aead !== AEAD_CHACHA20_POLY1305) throw new TypeError(`unsupported HPKE AEAD id 0x${aead.toString(16)}`);
}

/** SealBase(pkR, info, aad, pt) -> (enc, ct). `encapsulationSeed` (32 bytes) is for deterministic tests only. */
export async function sealBase(
  recipientPublicKey: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  plaintext: Uint8Array,
  aead: HpkeAead = AEAD_AES_256_GCM,
  encapsulationSeed?: Uint8Array,
): Promise<{ enc: Uint8Array; ct: Uint8Array }> {
  checkAead(aead);
  if (recipientPublicKey.length !== ML_KEM_768_PUBLIC_KEY_BYTES) throw new TypeError('ML-KEM-768 public key must be 1184 bytes');
  // noble checks the FIPS 203 encapsulation-key modulus test here and throws on a malformed key.
  const { cipherText: enc, sharedSecret } = ml_kem768.encapsulate(recipientPublicKey, encapsulationSeed);
  const { key, baseNonce } = keySchedule(aead, sharedSecret, info);
  try {
    return { enc, ct: await aeadSeal(aead, key, baseNonce, aad, plaintext) };
  } finally {
    key.fill(0);
    sharedSecret.fill(0);
  }
}

/** The 2400-byte decapsulation key from the 64-byte seed; an already expanded key is copied. */
export function expandSecretKey(secretKey: Uint8Array): Uint8Array {
  if (secretKey.length === ML_KEM_768_SEED_BYTES) return ml_kem768.keygen(secretKey).secretKey;
  if (secretKey.length === ML_KEM_768_EXPANDED_SECRET_BYTES) return Uint8Array.from(secretKey);
  throw new TypeError('ML-KEM-768 secret key must be the 64-byte seed (or the 2400-byte expanded key)');
}

/** OpenBase(enc, skR, info, aad, ct) -> pt; throws when the AEAD tag does not verify. */
export async function openBase(
  recipientSecretKey: Uint8Array,
  enc: Uint8Array,
  info: Uint8Array,
  aad: Uint8Array,
  ciphertext: Uint8Array,
  aead: HpkeAead = AEAD_AES_256_GCM,
): Promise<Uint8Array> {
  checkAead(aead);
  if (enc.length !== ML_KEM_768_ENC_BYTES) throw new TypeError('ML-KEM-768 encapsulation must be 1088 bytes');
  const secretKey = expandSecretKey(recipientSecretKey);
  // ML-KEM decapsulation never fails: a wrong key or altered enc yields an unrelated (implicit
  // rejection) secret, so the AEAD tag below is what refuses it.
  const sharedSecret = ml_kem768.decapsulate(enc, secretKey);
  secretKey.fill(0);
  const { key, baseNonce } = keySchedule(aead, sharedSecret, info);
  try {
    return await aeadOpen(aead, key, baseNonce, aad, ciphertext);
  } finally {
    key.fill(0);
    sharedSecret.fill(0);
  }
}
