import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { gcm } from '@noble/ciphers/webcrypto.js';
import { randomBytes } from '@noble/hashes/utils.js';
import type { Hex } from 'viem';
import type { CID } from 'multiformats/cid';
import { concatBytes } from '../crypto/bytes.js';
import { claimContextBytes, type ClaimContext } from './context.js';
import { DecryptionError, FormatError } from './errors.js';
import { documentCid, documentHash } from './hashes.js';

/**
 * A sealed document: what the blockstore holds, byte for byte.
 *
 *   offset 0   4 bytes   magic "MSQD"
 *          4   1 byte    format version, 0x01
 *          5   1 byte    cipher: 0x01 AES-256-GCM (12-byte nonce), 0x02 XChaCha20-Poly1305 (24-byte nonce)
 *          6   n bytes   nonce
 *        6+n   rest      AEAD ciphertext || 16-byte tag
 *
 * AAD = the 6 header bytes || claimContextBytes(chainId, identity, topic), so a document cannot be
 * presented as another claim's document, nor its header edited (e.g. cipher swapped) unnoticed.
 * The key is fresh per document (32 random bytes), so a random nonce never repeats under a key.
 */
export type DocumentCipher = 'aes-256-gcm' | 'xchacha20-poly1305';

const MAGIC = [0x4d, 0x53, 0x51, 0x44]; // "MSQD"
const VERSION = 0x01;
const CIPHERS: Record<DocumentCipher, { id: number; nonce: number }> = {
  'aes-256-gcm': { id: 0x01, nonce: 12 },
  'xchacha20-poly1305': { id: 0x02, nonce: 24 },
};
const TAG_BYTES = 16;
const HEADER_BYTES = 6;
export const DOCUMENT_KEY_BYTES = 32;

export interface SealedDocument {
  /** The bytes to store. */
  readonly bytes: Uint8Array;
  /** The fresh document key: wrap it into envelopes, then drop it. */
  readonly key: Uint8Array;
  /** SHA-256(bytes), the CID digest: the claim's on-chain document hash. */
  readonly documentHash: Hex;
  readonly cid: CID;
}

async function aead(cipher: DocumentCipher, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array) {
  return cipher === 'aes-256-gcm' ? gcm(key, nonce, aad) : xchacha20poly1305(key, nonce, aad);
}

export async function sealDocument(
  plaintext: Uint8Array,
  context: ClaimContext,
  options: { cipher?: DocumentCipher } = {},
): Promise<SealedDocument> {
  const cipher = options.cipher ?? 'aes-256-gcm';
  const spec = CIPHERS[cipher];
  if (!spec) throw new TypeError(`unsupported cipher: ${cipher}`);
  const key = randomBytes(DOCUMENT_KEY_BYTES);
  const nonce = randomBytes(spec.nonce);
  const header = new Uint8Array([...MAGIC, VERSION, spec.id]);
  const sealed = await (await aead(cipher, key, nonce, concatBytes(header, claimContextBytes(context)))).encrypt(plaintext);
  const bytes = new Uint8Array(HEADER_BYTES + nonce.length + sealed.length);
  bytes.set(header, 0);
  bytes.set(nonce, HEADER_BYTES);
  bytes.set(sealed, HEADER_BYTES + nonce.length);
  return { bytes, key, documentHash: documentHash(bytes), cid: await documentCid(bytes) };
}

export function documentCipherOf(bytes: Uint8Array): DocumentCipher {
  if (bytes.length < HEADER_BYTES || MAGIC.some((b, i) => bytes[i] !== b)) throw new FormatError('not a sealed Masque document');
  if (bytes[4] !== VERSION) throw new FormatError(`unsupported document version ${bytes[4]}`);
  const cipher = (Object.keys(CIPHERS) as DocumentCipher[]).find((c) => CIPHERS[c].id === bytes[5]);
  if (!cipher) throw new FormatError(`unsupported document cipher 0x${bytes[5].toString(16)}`);
  if (bytes.length < HEADER_BYTES + CIPHERS[cipher].nonce + TAG_BYTES) throw new FormatError('sealed document truncated');
  return cipher;
}

/**
 * Decrypts stored bytes with the document key. Callers that fetched the bytes must first check them
 * against the on-chain hash (`fetchDocument` does); this only answers whether the key opens them.
 */
export async function openDocument(bytes: Uint8Array, key: Uint8Array, context: ClaimContext): Promise<Uint8Array> {
  const cipher = documentCipherOf(bytes);
  if (key.length !== DOCUMENT_KEY_BYTES) throw new TypeError('document key must be 32 bytes');
  const n = CIPHERS[cipher].nonce;
  const aad = concatBytes(bytes.subarray(0, HEADER_BYTES), claimContextBytes(context));
  try {
    return await (await aead(cipher, key, bytes.subarray(HEADER_BYTES, HEADER_BYTES + n), aad)).decrypt(bytes.subarray(HEADER_BYTES + n));
  } catch {
    throw new DecryptionError('document');
  }
}
