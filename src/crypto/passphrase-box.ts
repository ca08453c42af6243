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

/**
 * A passphrase-derived key kept in memory for one unlocked session, so that re-sealing (every save of
 * a wallet) costs a cipher call, not another scrypt run. Each box gets a fresh nonce; the salt and KDF
 * parameters stay those of the session.
 */
export class PassphraseSealer {
  private constructor(
    private readonly key: Uint8Array,
    private readonly salt: Uint8Array,
    private readonly params: ScryptParams,
    readonly purpose: string,
  ) {}

  static async create(passphrase: string, purpose: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<PassphraseSealer> {
    const salt = randomBytes(16);
    return new PassphraseSealer(await deriveKey(passphrase, salt, params), salt, params, purpose);
  }

  /** Derives the key of an existing box; the passphrase is checked by opening the box. */
  static async unlock(box: PassphraseBox, passphrase: string, purpose: string): Promise<{ sealer: PassphraseSealer; plaintext: Uint8Array }> {
    if (box?.version !== 1 || box.cipher !== 'xchacha20poly1305' || box.kdf?.name !== 'scrypt') {
      throw new TypeError('unsupported passphrase box');
    }
    if (box.purpose !== purpose) throw new TypeError(`this box holds "${box.purpose}", not "${purpose}"`);
    const salt = dec(box.kdf.salt);
    const params = { N: box.kdf.N, r: box.kdf.r, p: box.kdf.p };
    const sealer = new PassphraseSealer(await deriveKey(passphrase, salt, params), salt, params, purpose);
    return { sealer, plaintext: sealer.open(box) };
  }

  seal(plaintext: Uint8Array): PassphraseBox {
    const nonce = randomBytes(24);
    const ciphertext = xchacha20poly1305(this.key, nonce, utf8ToBytes(this.purpose)).encrypt(plaintext);
    return { version: 1, purpose: this.purpose, kdf: { name: 'scrypt', salt: enc(this.salt), ...this.params }, cipher: 'xchacha20poly1305', nonce: enc(nonce), ciphertext: enc(ciphertext) };
  }

  open(box: PassphraseBox): Uint8Array {
    if (box.purpose !== this.purpose) throw new TypeError(`this box holds "${box.purpose}", not "${this.purpose}"`);
    try {
      return xchacha20poly1305(this.key, dec(box.nonce), utf8ToBytes(this.purpose)).decrypt(dec(box.ciphertext));
    } catch {
      throw new WrongPassphraseError();
    }
  }

  /** Forgets the key. */
  destroy(): void {
    this.key.fill(0);
  }
}

/** One-shot sealing: derive, seal, forget. */
export async function seal(plaintext: Uint8Array, passphrase: string, purpose: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<PassphraseBox> {
  const sealer = await PassphraseSealer.create(passphrase, purpose, params);
  try {
    return sealer.seal(plaintext);
  } finally {
    sealer.destroy();
  }
}

export async function open(box: PassphraseBox, passphrase: string, purpose: string): Promise<Uint8Array> {
  const { sealer, plaintext } = await PassphraseSealer.unlock(box, passphrase, purpose);
  sealer.destroy();
  return plaintext;
}
