// Encrypted local keystore (the CLI's keys, the screening operator's key): one file per key name, holding the wallet's secp256k1 key and an ML-KEM-768
// seed, sealed with the passphrase (scrypt + XChaCha20-Poly1305, src/crypto/passphrase-box.ts). The public parts
// (address, did:key) sit beside the box so `keys list` needs no passphrase.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { DEFAULT_SCRYPT, open, seal, type PassphraseBox, type ScryptParams } from '../crypto/passphrase-box.js';
import { generateEncryptionKey, type EncryptionKey } from '../sdk/crypto.js';
import { writeFileDurably as writeFileDurable } from '../storage/durable-file.js';

const PURPOSE = 'masque/cli-key/v1';

/** $MASQUE_SCRYPT_LOG_N lowers the cost of new keys (tests only: the box records its own parameters). */
export function scryptFromEnv(env: NodeJS.ProcessEnv): ScryptParams {
  const n = Number(env.MASQUE_SCRYPT_LOG_N);
  return Number.isInteger(n) && n >= 10 && n <= 20 ? { ...DEFAULT_SCRYPT, N: 2 ** n } : DEFAULT_SCRYPT;
}

export interface KeyFile { version: 1; name: string; address: string; encryptionDid: string; box: PassphraseBox }
export interface UnlockedKey {
  name: string; account: PrivateKeyAccount; encryption: EncryptionKey;
  /** Encryption keys this one replaced (`rotateEncryption`), newest first: kept to re-wrap what was sealed for them. */
  previousEncryption: EncryptionKey[];
}
interface Secret { privateKey: Hex; kemSeed: string; previousKemSeeds?: string[] }

export class Keystore {
  readonly dir: string;
  private readonly scrypt: ScryptParams;
  constructor(dir?: string, scrypt?: ScryptParams, env: NodeJS.ProcessEnv = process.env) {
    this.dir = dir ?? env.MASQUE_KEYSTORE ?? join(homedir(), '.masque', 'keys');
    this.scrypt = scrypt ?? scryptFromEnv(env);
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  private path(name: string): string {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) throw new Error(`bad key name "${name}" (letters, digits, _ . - only)`);
    return join(this.dir, `${name}.json`);
  }

  async create(name: string, passphrase: string, opts: { privateKey?: Hex } = {}): Promise<KeyFile> {
    const p = this.path(name);
    if (existsSync(p)) throw new Error(`key "${name}" exists already`);
    const privateKey = opts.privateKey ?? generatePrivateKey();
    const enc = generateEncryptionKey();
    const secret = new TextEncoder().encode(JSON.stringify({ privateKey, kemSeed: Buffer.from(enc.secretKey).toString('base64') }));
    const box = await seal(secret, passphrase, PURPOSE, this.scrypt);
    const file: KeyFile = { version: 1, name, address: privateKeyToAccount(privateKey).address, encryptionDid: enc.did, box };
    writeFileDurable(p, JSON.stringify(file, null, 2));
    return file;
  }

  read(name: string): KeyFile {
    const p = this.path(name);
    if (!existsSync(p)) throw new Error(`no key "${name}" in ${this.dir}`);
    return JSON.parse(readFileSync(p, 'utf8')) as KeyFile;
  }

  list(): KeyFile[] {
    return readdirSync(this.dir).filter((f) => f.endsWith('.json')).map((f) => this.read(f.slice(0, -5)));
  }

  async unlock(name: string, passphrase: string): Promise<UnlockedKey> {
    const file = this.read(name);
    const secret = JSON.parse(new TextDecoder().decode(await open(file.box, passphrase, PURPOSE))) as Secret;
    const kem = (seed: string) => generateEncryptionKey(new Uint8Array(Buffer.from(seed, 'base64')));
    const encryption = kem(secret.kemSeed);
    const account = privateKeyToAccount(secret.privateKey);
    if (account.address !== file.address || encryption.did !== file.encryptionDid) throw new Error(`key file "${name}" is inconsistent`);
    return { name, account, encryption, previousEncryption: (secret.previousKemSeeds ?? []).map(kem) };
  }

  /**
   * A new ML-KEM-768 key for `name` (the wallet key unchanged); the one it replaces is kept, encrypted, for re-wrapping
   * the documents sealed for it. Returns the key file as now written.
   */
  async rotateEncryption(name: string, passphrase: string): Promise<KeyFile> {
    const file = this.read(name);
    const secret = JSON.parse(new TextDecoder().decode(await open(file.box, passphrase, PURPOSE))) as Secret;
    const enc = generateEncryptionKey();
    const next: Secret = { privateKey: secret.privateKey, kemSeed: Buffer.from(enc.secretKey).toString('base64'), previousKemSeeds: [secret.kemSeed, ...(secret.previousKemSeeds ?? [])] };
    const box = await seal(new TextEncoder().encode(JSON.stringify(next)), passphrase, PURPOSE, this.scrypt);
    const rotated: KeyFile = { ...file, encryptionDid: enc.did, box };
    writeFileDurable(this.path(name), JSON.stringify(rotated, null, 2));
    return rotated;
  }
}
