import { readFileSync, existsSync } from 'node:fs';
import { randomBytes, bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { keyScalar, privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import type { AffinePoint } from '../crypto/babyjub.js';
import { PassphraseSealer, DEFAULT_SCRYPT, type PassphraseBox, type ScryptParams } from '../crypto/passphrase-box.js';
import { Claim } from '../claims/index.js';
import type { Proof } from '../smt/index.js';
import {
  Identity, MemoryIdentityStore, Network, verifyIssuedClaim, verifyNotRevoked, stringifyWithBigints, parseWithBigints,
  type IdentityRoots, type IssuedClaim, type RevocationStatus, type StateTransition,
} from '../identity/index.js';
import { writeFileDurably } from '../storage/durable-file.js';

const PURPOSE = 'masque-wallet';

/** A claim the holder received, with what proves it was issued. */
export interface HeldClaim {
  readonly claim: Claim;
  readonly issuerId: string;
  readonly issuerState: bigint;
  readonly issuerRoots: IdentityRoots;
  readonly proof: Proof;
  readonly receivedAt: number;
}

type KeyOp = { readonly add: number } | { readonly remove: number };

/** The decrypted wallet content: everything is sealed together, since claims are personal data too. */
interface WalletContent {
  readonly version: 1;
  readonly seed: string;
  readonly network: Network;
  /** Seed indexes of the genesis keys; the identity is replayed from them and `keyOps`. */
  readonly genesisKeys: readonly number[];
  readonly keyOps: readonly KeyOp[];
  readonly claims: readonly (Omit<HeldClaim, 'claim'> & { readonly claim: readonly bigint[] })[];
}

export class WalletError extends Error {
  override readonly name = 'WalletError';
}

export interface CreateWalletOptions {
  readonly network?: Network;
  /** Restore from a backed-up seed instead of a fresh one. */
  readonly seed?: Uint8Array;
  /** KDF cost; the default is the strong one. */
  readonly scrypt?: ScryptParams;
}

/**
 * A holder's wallet on disk: its Baby Jubjub keys (derived from one seed), its identity, the claims it
 * received and their proofs. The file holds one passphrase box; nothing is ever written unencrypted.
 */
export class Wallet {
  private constructor(
    private readonly path: string,
    private readonly sealer: PassphraseSealer,
    private content: WalletContent,
    readonly identity: Identity,
  ) {}

  static async create(path: string, passphrase: string, options: CreateWalletOptions = {}): Promise<Wallet> {
    if (existsSync(path)) throw new WalletError(`a wallet already exists at ${path}`);
    const seed = options.seed ?? randomBytes(32);
    const content: WalletContent = {
      version: 1, seed: bytesToHex(seed), network: options.network ?? Network.Test, genesisKeys: [0], keyOps: [], claims: [],
    };
    const sealer = await PassphraseSealer.create(passphrase, PURPOSE, options.scrypt ?? DEFAULT_SCRYPT);
    const wallet = new Wallet(path, sealer, content, replayIdentity(content));
    wallet.save();
    return wallet;
  }

  static async open(path: string, passphrase: string): Promise<Wallet> {
    if (!existsSync(path)) throw new WalletError(`no wallet at ${path}`);
    const box = JSON.parse(readFileSync(path, 'utf8')) as PassphraseBox;
    const { sealer, plaintext } = await PassphraseSealer.unlock(box, passphrase, PURPOSE);
    const content = parseWithBigints<WalletContent>(new TextDecoder().decode(plaintext));
    if (content.version !== 1) throw new WalletError(`unsupported wallet version ${content.version}`);
    return new Wallet(path, sealer, content, replayIdentity(content));
  }

  get id() {
    return this.identity.id;
  }

  get network(): Network {
    return this.content.network;
  }

  /** The keys of the genesis authentication tree, slot by slot: a holder proves ownership with them (src/zk). */
  genesisPublicKeys(): AffinePoint[] {
    return this.content.genesisKeys.map((index) => this.publicKey(index));
  }

  /** Seed index of the key in genesis slot `slot`. */
  genesisKeyIndex(slot = 0): number {
    const index = this.content.genesisKeys[slot];
    if (index === undefined) throw new WalletError(`slot: no genesis key in slot ${slot}`);
    return index;
  }

  publicKey(index = 0): AffinePoint {
    return publicKey(this.privateKey(index));
  }

  /**
   * The secret scalar of key `index` of the seed (publicKey = scalar * Base8): a credential-query proof shows
   * knowledge of it (src/zk). It leaves the wallet only into the local prover.
   */
  authKeyScalar(index = 0): bigint {
    return keyScalar(this.privateKey(index));
  }

  /** Adds key `index` of the seed to the authentication tree; signed by a current key. */
  addKey(index: number): StateTransition {
    const transition = this.identity.addKey(signerFor(this.identity, this.content), publicKey(this.privateKey(index)));
    this.content = { ...this.content, keyOps: [...this.content.keyOps, { add: index }] };
    this.save();
    return transition;
  }

  removeKey(slot: number): StateTransition {
    const transition = this.identity.removeKey(signerFor(this.identity, this.content, slot), slot);
    this.content = { ...this.content, keyOps: [...this.content.keyOps, { remove: slot }] };
    this.save();
    return transition;
  }

  /** Seed indexes of every key this wallet ever used (genesis keys first, then added ones). */
  keyIndexes(): number[] {
    return [...this.content.genesisKeys, ...this.content.keyOps.flatMap((op) => ('add' in op ? [op.add] : []))];
  }

  /**
   * A key of this wallet in the authentication tree at `state` (default: the current one): its seed index, slot
   * and membership proof; undefined when none is (e.g. a state before the wallet's keys were added).
   */
  keyAt(state?: bigint): { index: number; slot: number; proof: Proof } | undefined {
    for (const index of this.keyIndexes()) {
      const found = this.identity.authKeyAt(this.publicKey(index), state === undefined ? {} : { state });
      if (found) return { index, ...found };
    }
    return undefined;
  }

  /**
   * One transition from `fromState` (the last published state) to the current state, signed by a key of this
   * wallet at `fromState`: what a key rotation publishes.
   */
  transitionFrom(fromState: bigint): StateTransition {
    const signer = this.keyAt(fromState);
    if (!signer) throw new WalletError('fromState: no key of this wallet authenticates at that state');
    return this.identity.transitionFrom(this.privateKey(signer.index), fromState);
  }

  /** Verifies a claim from an issuer (inclusion at the stated issuer state, subject is us) and keeps it. */
  receiveClaim(issued: Pick<IssuedClaim, 'claim' | 'issuerId' | 'issuerState' | 'issuerRoots' | 'proof'>): HeldClaim {
    if (issued.claim.subject !== this.id.bigint) throw new WalletError('claim: its subject is not this wallet\'s identity');
    if (!verifyIssuedClaim(issued)) throw new WalletError('claim: the inclusion proof does not verify against the issuer state');
    // Same index part (i0..i3) = same Hi: compared slot by slot, no Poseidon per held claim.
    const index = issued.claim.slots.slice(0, 4);
    if (this.content.claims.some((c) => c.issuerId === issued.issuerId && index.every((slot, i) => c.claim[i] === slot))) {
      throw new WalletError('claim: already held');
    }
    const held: HeldClaim = { ...issued, receivedAt: Date.now() };
    this.content = { ...this.content, claims: [...this.content.claims, { ...held, claim: [...issued.claim.slots] }] };
    this.save();
    return held;
  }

  claims(filter: { schemaHash?: bigint; issuerId?: string } = {}): HeldClaim[] {
    return this.content.claims
      .map((c) => ({ ...c, claim: Claim.fromSlots(c.claim) }))
      .filter((c) => (filter.schemaHash === undefined || c.claim.schemaHash === filter.schemaHash) && (filter.issuerId === undefined || c.issuerId === filter.issuerId));
  }

  /**
   * Shows that a held claim was issued by the issuer at `held.issuerState` and is not revoked at the
   * revocations root of `status` (a fresh status the issuer publishes).
   */
  showClaim(held: HeldClaim, status: Pick<RevocationStatus, 'issuerState' | 'issuerRoots' | 'proof'>): { issued: boolean; notRevoked: boolean } {
    return { issued: verifyIssuedClaim(held), notRevoked: verifyNotRevoked(held.claim, status) };
  }

  /** Private key `index` of the seed, for the prover (it never leaves the process). */
  privateKey(index = 0): Uint8Array {
    if (!Number.isInteger(index) || index < 0) throw new WalletError('index: a non-negative integer');
    return privateKeyFromSeed(hexToBytes(this.content.seed), index);
  }

  /** Writes the sealed wallet durably; called after every change. */
  save(): void {
    const plaintext = utf8ToBytes(stringifyWithBigints(this.content));
    writeFileDurably(this.path, JSON.stringify(this.sealer.seal(plaintext)));
  }

  lock(): void {
    this.sealer.destroy();
  }

}

/** The private key signing a key operation: the first current key, never the one being removed. */
function signerFor(identity: Identity, content: WalletContent, excludeSlot?: number): Uint8Array {
  const key = identity.keys.find((k) => k.slot !== excludeSlot)?.key;
  if (!key) throw new WalletError('slot: the last key cannot be removed');
  const seed = hexToBytes(content.seed);
  const indexes = [...content.genesisKeys, ...content.keyOps.flatMap((op) => ('add' in op ? [op.add] : []))];
  for (const i of indexes) {
    const candidate = privateKeyFromSeed(seed, i);
    const pub = publicKey(candidate);
    if (pub.x === key.x && pub.y === key.y) return candidate;
  }
  throw new WalletError('no private key of this wallet matches the authentication key');
}

/**
 * Rebuilds the holder identity from the genesis keys and the key operations. EdDSA here is
 * deterministic, so replaying yields the very same transitions and states as the first time.
 */
function replayIdentity(content: WalletContent): Identity {
  const seed = hexToBytes(content.seed);
  const genesisKeys = content.genesisKeys.map((i) => publicKey(privateKeyFromSeed(seed, i)));
  const identity = Identity.create(new MemoryIdentityStore(), { keys: genesisKeys, network: content.network });
  for (const op of content.keyOps) {
    if ('add' in op) identity.addKey(signerFor(identity, content), publicKey(privateKeyFromSeed(seed, op.add)));
    else identity.removeKey(signerFor(identity, content, op.remove), op.remove);
  }
  return identity;
}
