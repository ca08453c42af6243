import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { randomBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { base64 } from 'multiformats/bases/base64';

/**
 * Secrets at rest under a passphrase: scrypt derives a key, XChaCha20-Poly1305 seals the bytes.
 * The KDF parameters travel with the box so they can be raised later without breaking old files,
 * and `purpose` is bound as associated data so a box cannot be swapped for another kind of secret.
 */
export interface ScryptParams {
  readonly N: number;
  readonly r: number;
  readonly p: number;
}

/** ~0.5 s on this class of machine: costly for a guesser, tolerable once per unlock. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export interface PassphraseBox {
  readonly version: 1;
  readonly purpose: string;
  readonly kdf: { readonly name: 'scrypt'; readonly salt: string } & ScryptParams;
  readonly cipher: 'xchacha20poly1305';
  readonly nonce: string;
  readonly ciphertext: string;
}

export class WrongPassphraseError extends Error {
  override readonly name = 'WrongPassphraseError';
  constructor() {
    super('wrong passphrase, or the sealed data was altered');
  }
}

const enc = (b: Uint8Array) => base64.baseEncode(b);
const dec = (s: string) => base64.baseDecode(s);

async function deriveKey(passphrase: string, salt: Uint8Array, params: ScryptParams): Promise<Uint8Array> {
  if (typeof passphrase !== 'string' || passphrase.length === 0) throw new TypeError('passphrase must be a non-empty string');
  return scryptAsync(utf8ToBytes(passphrase.normalize('NFKC')), salt, { ...params, dkLen: 32, maxmem: 2 ** 30 });
}

export async function seal(
  plaintext: Uint8Array,
  passphrase: string,
  purpose: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<PassphraseBox> {
  const salt = randomBytes(16);
  const nonce = randomBytes(24);
  const key = await deriveKey(passphrase, salt, params);
  const ciphertext = xchacha20poly1305(key, nonce, utf8ToBytes(purpose)).encrypt(plaintext);
  key.fill(0);
  return { version: 1, purpose, kdf: { name: 'scrypt', salt: enc(salt), ...params }, cipher: 'xchacha20poly1305', nonce: enc(nonce), ciphertext: enc(ciphertext) };
}

export async function open(box: PassphraseBox, passphrase: string, purpose: string): Promise<Uint8Array> {
  if (box?.version !== 1 || box.cipher !== 'xchacha20poly1305' || box.kdf?.name !== 'scrypt') {
    throw new TypeError('unsupported passphrase box');
  }
  if (box.purpose !== purpose) throw new TypeError(`this box holds "${box.purpose}", not "${purpose}"`);
  const key = await deriveKey(passphrase, dec(box.kdf.salt), box.kdf);
  try {
    return xchacha20poly1305(key, dec(box.nonce), utf8ToBytes(purpose)).decrypt(dec(box.ciphertext));
  } catch {
    throw new WrongPassphraseError();
  } finally {
    key.fill(0);
  }
}
