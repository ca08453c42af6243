// Creating, importing and unlocking keys in the browser (loaded on demand: scrypt, ML-KEM-768, secp256k1). A key
// is the CLI's key file: a wallet key and an ML-KEM-768 seed in a passphrase box (scrypt + XChaCha20-Poly1305,
// src/crypto/passphrase-box.ts), so `masque keys new` files import as they are and exported files work in the CLI.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import { DEFAULT_SCRYPT, open, seal, type ScryptParams } from '../../../crypto/passphrase-box.js';
import { generateEncryptionKey, type EncryptionKey } from '../../../sdk/crypto.js';
import { keyRecords, type KeyFile, type KeyRecord } from './db.js';
import { session, type Session, type Signer } from './session.js';

/** The CLI's box purpose (src/wallet/keystore.ts): the same files serve both. */
const PURPOSE = 'masque/cli-key/v1';
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export class VaultError extends Error {
  override readonly name = 'VaultError';
  constructor(readonly field: string, message: string) { super(message); }
}

const b64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unb64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

export async function createKey(name: string, passphrase: string, opts: { privateKey?: Hex; scrypt?: ScryptParams } = {}): Promise<KeyRecord> {
  if (!NAME.test(name)) throw new VaultError('name', 'letters, digits, _ . - only (1-64)');
  if (passphrase.length < 8) throw new VaultError('passphrase', 'at least 8 characters');
  if (await keyRecords.get(name)) throw new VaultError('name', `a key named "${name}" exists in this browser`);
  const privateKey = opts.privateKey ?? generatePrivateKey();
  const enc = generateEncryptionKey();
  const secret = new TextEncoder().encode(JSON.stringify({ privateKey, kemSeed: b64(enc.secretKey) }));
  enc.secretKey.fill(0);
  const box = await seal(secret, passphrase, PURPOSE, opts.scrypt ?? DEFAULT_SCRYPT);
  secret.fill(0);
  const record: KeyRecord = { version: 1, name, address: privateKeyToAccount(privateKey).address, encryptionDid: enc.did, box, createdAt: Date.now(), source: 'created' };
  await keyRecords.add(record);
  return record;
}

/** Imports a `masque` CLI key file after proving the passphrase opens it and its public parts match. */
export async function importKeyFile(text: string, passphrase: string, rename?: string): Promise<KeyRecord> {
  let file: KeyFile;
  try {
    file = JSON.parse(text) as KeyFile;
  } catch {
    throw new VaultError('file', 'not a JSON key file');
  }
  if (file?.version !== 1 || typeof file.address !== 'string' || typeof file.encryptionDid !== 'string' || !file.box) throw new VaultError('file', 'not a masque key file (version 1)');
  const name = rename || file.name;
  if (!NAME.test(name)) throw new VaultError('name', 'letters, digits, _ . - only (1-64)');
  if (await keyRecords.get(name)) throw new VaultError('name', `a key named "${name}" exists in this browser`);
  const unlocked = await openFile(file, passphrase);
  unlocked.encryption.secretKey.fill(0);
  const record: KeyRecord = { version: 1, name, address: file.address, encryptionDid: file.encryptionDid, box: file.box, createdAt: Date.now(), source: 'imported' };
  await keyRecords.add(record);
  return record;
}

/**
 * The box's secret: the CLI's { privateKey, kemSeed } and, after a rotation in this browser, the retired ML-KEM seeds
 * (`retiredKemSeeds`, newest first) kept to open what was wrapped for them. The CLI reads the first two fields only,
 * so an exported file still works there with the current key.
 */
interface Secret { privateKey: Hex; kemSeed: string; retiredKemSeeds?: string[] }

async function openSecret(file: KeyFile, passphrase: string): Promise<Secret> {
  try {
    return JSON.parse(new TextDecoder().decode(await open(file.box, passphrase, PURPOSE))) as Secret;
  } catch (e) {
    throw new VaultError('passphrase', (e as Error).name === 'WrongPassphraseError' ? 'wrong passphrase' : (e as Error).message);
  }
}

async function openFile(file: KeyFile, passphrase: string) {
  const secret = await openSecret(file, passphrase);
  const account = privateKeyToAccount(secret.privateKey);
  const encryption = generateEncryptionKey(unb64(secret.kemSeed));
  if (account.address !== file.address || encryption.did !== file.encryptionDid) throw new VaultError('file', 'the key file is inconsistent (its public parts do not match its secret)');
  const retired = (secret.retiredKemSeeds ?? []).map((seed) => generateEncryptionKey(unb64(seed)));
  return { account, encryption, retired };
}

/**
 * Rotation, in the vault first: a new ML-KEM-768 key becomes the current one and the old one is kept as retired,
 * sealed again under the same passphrase before anything goes on chain (so the new key is never only in memory).
 * The unlocked session follows.
 */
export async function rotateEncryptionKey(name: string, passphrase: string): Promise<{ current: EncryptionKey; retired: EncryptionKey }> {
  const file = await keyRecords.get(name);
  if (!file) throw new VaultError('name', `no key "${name}" in this browser`);
  const secret = await openSecret(file, passphrase);
  const next = generateEncryptionKey();
  const updated: Secret = { privateKey: secret.privateKey, kemSeed: b64(next.secretKey), retiredKemSeeds: [secret.kemSeed, ...(secret.retiredKemSeeds ?? [])] };
  await reseal(file, updated, passphrase, next.did);
  const retired = generateEncryptionKey(unb64(secret.kemSeed));
  const s = session.get();
  if (s?.name === name) session.set({ ...s, encryption: next, retired: [retired, ...s.retired] });
  return { current: next, retired };
}

/** Drops a retired key from the vault (when nothing still needs it: every document re-wrapped for the current key). */
export async function forgetRetiredKey(name: string, passphrase: string, did: string): Promise<void> {
  const file = await keyRecords.get(name);
  if (!file) throw new VaultError('name', `no key "${name}" in this browser`);
  const secret = await openSecret(file, passphrase);
  const keep = (secret.retiredKemSeeds ?? []).filter((seed) => generateEncryptionKey(unb64(seed)).did !== did);
  await reseal(file, { ...secret, retiredKemSeeds: keep }, passphrase, file.encryptionDid);
  const s = session.get();
  if (s?.name === name) session.set({ ...s, retired: s.retired.filter((k) => k.did !== did) });
}

async function reseal(file: KeyRecord, secret: Secret, passphrase: string, encryptionDid: string): Promise<void> {
  const bytes = new TextEncoder().encode(JSON.stringify(secret));
  // The box's own scrypt cost is kept (a test's cheap key stays cheap, a real one stays expensive).
  const box = await seal(bytes, passphrase, PURPOSE, { N: file.box.kdf.N, r: file.box.kdf.r, p: file.box.kdf.p });
  bytes.fill(0);
  await keyRecords.put({ ...file, encryptionDid, box });
}

/** Unlocks a stored key into this tab's session; `injected` signs the secp256k1 part with a browser wallet instead. */
export async function unlock(name: string, passphrase: string, injected?: Signer): Promise<Session> {
  const file = await keyRecords.get(name);
  if (!file) throw new VaultError('name', `no key "${name}" in this browser`);
  const { account, encryption, retired } = await openFile(file, passphrase);
  const s: Session = {
    name, keyAddress: account.address as Address, encryption, retired,
    signer: injected ?? (account as unknown as Signer), via: injected ? 'injected' : 'vault',
  };
  session.set(s);
  return s;
}

/** The key file as the CLI stores it (still sealed). */
export async function exportKeyFile(name: string): Promise<string> {
  const r = await keyRecords.get(name);
  if (!r) throw new VaultError('name', `no key "${name}"`);
  const file: KeyFile = { version: 1, name: r.name, address: r.address, encryptionDid: r.encryptionDid, box: r.box };
  return JSON.stringify(file, null, 2);
}
