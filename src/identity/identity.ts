import { randomBytes } from '@noble/hashes/utils.js';
import { publicKey, type PrivateKey } from '../crypto/eddsa.js';
import type { AffinePoint } from '../crypto/babyjub.js';
import { bytesToBigintLE } from '../crypto/bytes.js';
import { Claim, type ClaimInput } from '../claims/index.js';
import { SparseMerkleTree, verifyProof, type Proof, type AtRoot } from '../smt/index.js';
import { idFromGenesisState, parseId, Network, type Id } from './id.js';
import {
  AUTH_TREE_DEPTH, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, MAX_KEY_SLOTS, REVOCATION_NONCE_SPACE,
  authLeafValue, genesisAuthTree, identityState, signTransition, type IdentityRoots, type StateTransition,
} from './state.js';
import type { IdentityStore, IssuedClaimRecord } from './store.js';

export class IdentityError extends Error {
  override readonly name = 'IdentityError';
  constructor(
    readonly code: 'NOT_A_KEY' | 'KEY_EXISTS' | 'NO_SUCH_KEY' | 'LAST_KEY' | 'SLOTS_FULL' | 'CLAIM_EXISTS' | 'NO_SUCH_CLAIM' | 'ALREADY_REVOKED' | 'NOT_INITIALIZED' | 'ALREADY_INITIALIZED' | 'UNKNOWN_STATE',
    message: string,
  ) {
    super(message);
  }
}

/** What an issuer hands a holder: the claim, its inclusion proof and the issuer state it is proven against. */
export interface IssuedClaim {
  readonly claim: Claim;
  readonly issuerId: string;
  readonly issuerState: bigint;
  readonly issuerRoots: IdentityRoots;
  /** Membership of (Hi, Hv) in issuerRoots.claims. */
  readonly proof: Proof;
  readonly transition: StateTransition;
}

export interface RevocationStatus {
  readonly revoked: boolean;
  readonly issuerState: bigint;
  readonly issuerRoots: IdentityRoots;
  /** Membership (revoked) or non-membership (not revoked) of the nonce in issuerRoots.revocations. */
  readonly proof: Proof;
}

export interface CreateIdentityOptions {
  /** The first authentication keys (slots 0, 1, ...); at least one. */
  readonly keys: readonly AffinePoint[];
  readonly network?: Network;
}

/**
 * An iden3-style identity: authentication, issued-claims and revoked-claims trees whose roots hash to
 * the state. The first state fixes the ID. Every later change is one state transition, signed by a key
 * of the old authentication tree and returned to the caller for publication.
 */
export class Identity {
  readonly id: Id;
  private readonly authTree: SparseMerkleTree;
  private readonly claimsTree: SparseMerkleTree;
  private readonly revocationsTree: SparseMerkleTree;
  private keySlots: Map<number, AffinePoint>;

  private constructor(private readonly store: IdentityStore) {
    const record = store.loadRecord();
    if (!record) throw new IdentityError('NOT_INITIALIZED', 'the store holds no identity');
    this.id = parseId(record.id);
    this.keySlots = new Map(record.keys.map((k) => [k.slot, { x: k.x, y: k.y }]));
    this.authTree = SparseMerkleTree.open(store.auth, { maxDepth: AUTH_TREE_DEPTH });
    this.claimsTree = SparseMerkleTree.open(store.claims, { maxDepth: CLAIMS_TREE_DEPTH });
    this.revocationsTree = SparseMerkleTree.open(store.revocations, { maxDepth: REVOCATIONS_TREE_DEPTH });
  }

  /** Creates the genesis state in an empty store: keys in slots 0..n-1, empty claim trees. */
  static create(store: IdentityStore, options: CreateIdentityOptions): Identity {
    if (store.loadRecord()) throw new IdentityError('ALREADY_INITIALIZED', 'the store already holds an identity');
    const keys = options.keys;
    if (!Array.isArray(keys) || keys.length === 0) throw new IdentityError('NOT_A_KEY', 'keys: at least one key is needed');
    if (keys.length > MAX_KEY_SLOTS) throw new IdentityError('SLOTS_FULL', `keys: at most ${MAX_KEY_SLOTS}`);
    return store.atomically(() => {
      const auth = genesisAuthTree(keys, SparseMerkleTree.open(store.auth, { maxDepth: AUTH_TREE_DEPTH }));
      const claims = SparseMerkleTree.open(store.claims, { maxDepth: CLAIMS_TREE_DEPTH });
      const revocations = SparseMerkleTree.open(store.revocations, { maxDepth: REVOCATIONS_TREE_DEPTH });
      const genesisState = identityState({ auth: auth.root, claims: claims.root, revocations: revocations.root });
      const id = idFromGenesisState(genesisState, options.network ?? Network.Test);
      store.saveRecord({ id: id.string, genesisState, keys: keys.map((k, slot) => ({ slot, x: k.x, y: k.y })) });
      return new Identity(store);
    });
  }

  static open(store: IdentityStore): Identity {
    return new Identity(store);
  }

  get roots(): IdentityRoots {
    return { auth: this.authTree.root, claims: this.claimsTree.root, revocations: this.revocationsTree.root };
  }
  get state(): bigint {
    return identityState(this.roots);
  }
  get genesisState(): bigint {
    return this.store.loadRecord()!.genesisState;
  }
  /** True until the first state transition. */
  get isGenesis(): boolean {
    return this.state === this.genesisState;
  }
  get keys(): { slot: number; key: AffinePoint }[] {
    return [...this.keySlots].map(([slot, key]) => ({ slot, key }));
  }
  transitions(): StateTransition[] {
    return this.store.transitions();
  }

  addKey(signer: PrivateKey, key: AffinePoint): StateTransition {
    if ([...this.keySlots.values()].some((k) => k.x === key.x && k.y === key.y)) {
      throw new IdentityError('KEY_EXISTS', 'key: already an authentication key of this identity');
    }
    let slot = 0;
    while (this.keySlots.has(slot)) slot++;
    if (slot >= MAX_KEY_SLOTS) throw new IdentityError('SLOTS_FULL', 'the authentication tree is full');
    return this.transition(signer, () => {
      this.authTree.insert(BigInt(slot), authLeafValue(key));
      this.keySlots.set(slot, key);
      this.saveKeys();
    });
  }

  removeKey(signer: PrivateKey, slot: number): StateTransition {
    if (!this.keySlots.has(slot)) throw new IdentityError('NO_SUCH_KEY', `slot: no key in slot ${slot}`);
    if (this.keySlots.size === 1) throw new IdentityError('LAST_KEY', 'slot: the last key cannot be removed');
    return this.transition(signer, () => {
      this.authTree.delete(BigInt(slot));
      this.keySlots.delete(slot);
      this.saveKeys();
    });
  }

  /**
   * Issues a claim: draws an unused revocation nonce, inserts (Hi, Hv) in the claims tree and returns the
   * claim with its proof against the new state. Issuing the same index twice is an error, never an overwrite.
   */
  issueClaim(signer: PrivateKey, input: Omit<ClaimInput, 'revocationNonce'> & { revocationNonce?: bigint }): IssuedClaim {
    const claim = this.newClaim(input);
    const transition = this.transition(signer, () => this.insertClaim(claim));
    return this.issued(claim, transition);
  }

  /**
   * Renewal in one state transition: revokes `previous` and issues its next revision with `input` (new expiry,
   * possibly new values; same schema and subject), so no published state has both or neither.
   */
  renewClaim(
    signer: PrivateKey,
    previous: Claim,
    input: Omit<ClaimInput, 'revocationNonce' | 'revision'> & { revocationNonce?: bigint },
  ): IssuedClaim {
    const record = this.store.claimByIndex(previous.indexHash);
    if (!record || record.revocationNonce !== previous.revocationNonce) throw new IdentityError('NO_SUCH_CLAIM', 'previous: not a claim of this issuer');
    if (this.revocationsTree.has(previous.revocationNonce)) throw new IdentityError('ALREADY_REVOKED', 'previous: already revoked (renew the latest revision)');
    if (input.schema.hash !== previous.schemaHash || (input.subject ?? undefined) !== previous.subject) {
      throw new IdentityError('NO_SUCH_CLAIM', 'input: a renewal keeps the schema and the subject of the claim it replaces');
    }
    const claim = this.newClaim({ ...input, revision: previous.revision + 1 });
    const transition = this.transition(signer, () => {
      this.revokeNonce(previous.revocationNonce);
      this.insertClaim(claim);
    });
    return this.issued(claim, transition);
  }

  private newClaim(input: Omit<ClaimInput, 'revocationNonce'> & { revocationNonce?: bigint }): Claim {
    const claim = Claim.create({ ...input, revocationNonce: input.revocationNonce ?? this.freshNonce() });
    if (this.store.claimByIndex(claim.indexHash) || this.claimsTree.has(claim.indexHash)) {
      throw new IdentityError('CLAIM_EXISTS', 'claim: this issuer already issued a claim with the same index (schema, subject, index data, revision)');
    }
    if (this.store.claimByNonce(claim.revocationNonce)) {
      throw new IdentityError('CLAIM_EXISTS', 'revocationNonce: already used by another claim of this issuer');
    }
    return claim;
  }

  private insertClaim(claim: Claim): void {
    this.claimsTree.insert(claim.indexHash, claim.valueHash);
    this.store.putClaim({ indexHash: claim.indexHash, revocationNonce: claim.revocationNonce, slots: claim.slots, issuedAt: Date.now() });
  }

  private issued(claim: Claim, transition: StateTransition): IssuedClaim {
    return {
      claim,
      issuerId: this.id.string,
      issuerState: this.state,
      issuerRoots: this.roots,
      proof: this.claimsTree.prove(claim.indexHash),
      transition,
    };
  }

  /** Revokes by nonce: the nonce enters the revocations tree (value 0). */
  revokeClaim(signer: PrivateKey, revocationNonce: bigint): StateTransition {
    if (this.revocationsTree.has(revocationNonce)) throw new IdentityError('ALREADY_REVOKED', 'revocationNonce: already revoked');
    if (revocationNonce < 0n || revocationNonce >= REVOCATION_NONCE_SPACE) {
      throw new IdentityError('NO_SUCH_CLAIM', 'revocationNonce: outside the nonce space');
    }
    return this.transition(signer, () => this.revokeNonce(revocationNonce));
  }

  private revokeNonce(revocationNonce: bigint): void {
    this.revocationsTree.insert(revocationNonce, 0n);
    const record = this.store.claimByNonce(revocationNonce);
    if (record) this.store.putClaim({ ...record, revokedAt: Date.now() });
  }

  issuedClaim(indexHash: bigint): IssuedClaimRecord | undefined {
    return this.store.claimByIndex(indexHash);
  }

  /** A fresh inclusion proof of `claim` against the current (or an earlier) state. */
  proveClaim(claim: Claim, at: AtRoot = {}): Proof {
    return this.claimsTree.prove(claim.indexHash, at);
  }

  /** Revocation status of a nonce at the current state, or at an earlier state of this identity (`at.state`). */
  revocationStatus(revocationNonce: bigint, at: { readonly state?: bigint } = {}): RevocationStatus {
    const issuerRoots = at.state === undefined ? this.roots : this.rootsAt(at.state);
    const proof = this.revocationsTree.prove(revocationNonce, { root: issuerRoots.revocations });
    return { revoked: proof.existence, issuerState: identityState(issuerRoots), issuerRoots, proof };
  }

  /** The roots of a state this identity has been in (its genesis state or the result of a transition). */
  rootsAt(state: bigint): IdentityRoots {
    if (state === this.state) return this.roots;
    const log = this.store.transitions();
    if (log.length > 0 && log[0].oldState === state) return log[0].oldRoots;
    const entry = log.find((t) => t.newState === state);
    if (!entry) throw new IdentityError('UNKNOWN_STATE', 'state: never a state of this identity');
    return entry.newRoots;
  }

  /**
   * One signed transition from an earlier state (typically the last one published on-chain) straight to the
   * current state, skipping the local ones in between: an issuer that issued a batch of claims publishes them
   * with one proof. `signer` must be a key of the authentication tree at `fromState`.
   */
  transitionFrom(signer: PrivateKey, fromState: bigint): StateTransition {
    const oldRoots = this.rootsAt(fromState);
    const newRoots = this.roots;
    if (fromState === identityState(newRoots)) throw new IdentityError('UNKNOWN_STATE', 'fromState: already the current state');
    const signerKey = publicKey(signer);
    const found = this.authKeyAt(signerKey, { state: fromState });
    if (!found) throw new IdentityError('NOT_A_KEY', 'signer: not an authentication key at fromState');
    return signTransition({
      id: this.id.string, oldState: fromState, newState: identityState(newRoots), oldRoots, newRoots,
      isOldStateGenesis: fromState === this.genesisState, signerSlot: found.slot, signerKey, authProof: found.proof,
    }, signer);
  }

  /**
   * The slot of `key` in the authentication tree at `at.state` (default: the current state) with its membership
   * proof, or undefined when it is not a key there.
   */
  authKeyAt(key: AffinePoint, at: { readonly state?: bigint } = {}): { slot: number; proof: Proof } | undefined {
    const root = (at.state === undefined ? this.roots : this.rootsAt(at.state)).auth;
    const leaf = authLeafValue(key);
    for (let slot = 0; slot < MAX_KEY_SLOTS; slot++) {
      if (this.authTree.get(BigInt(slot), { root }) === leaf) return { slot, proof: this.authTree.prove(BigInt(slot), { root }) };
    }
    return undefined;
  }

  private freshNonce(): bigint {
    for (;;) {
      // 64 random bits reduced into [0, 5^14): the bias (~2^-31) is irrelevant for an identifier.
      const nonce = bytesToBigintLE(randomBytes(8)) % REVOCATION_NONCE_SPACE;
      if (!this.store.claimByNonce(nonce) && !this.revocationsTree.has(nonce)) return nonce;
    }
  }

  private saveKeys(): void {
    const record = this.store.loadRecord()!;
    this.store.saveRecord({ ...record, keys: [...this.keySlots].map(([slot, k]) => ({ slot, x: k.x, y: k.y })) });
  }

  /** Checks the signer before anything changes, applies `change`, then signs and logs the transition. */
  private transition(signer: PrivateKey, change: () => void): StateTransition {
    const signerKey = publicKey(signer);
    const signerSlot = [...this.keySlots].find(([, k]) => k.x === signerKey.x && k.y === signerKey.y)?.[0];
    if (signerSlot === undefined) throw new IdentityError('NOT_A_KEY', 'signer: not an authentication key of this identity');
    const oldRoots = this.roots;
    const oldState = identityState(oldRoots);
    const authProof = this.authTree.prove(BigInt(signerSlot));
    const isOldStateGenesis = !this.store.hasTransitions();
    const keysBefore = new Map(this.keySlots);
    try {
      return this.store.atomically(() => {
        change();
        const newRoots = this.roots;
        const transition = signTransition(
          { id: this.id.string, oldState, newState: identityState(newRoots), oldRoots, newRoots, isOldStateGenesis, signerSlot, signerKey, authProof },
          signer,
        );
        this.store.appendTransition(transition);
        return transition;
      });
    } catch (error) {
      // The store rolled back (or never wrote): follow it again.
      this.keySlots = keysBefore;
      for (const tree of [this.authTree, this.claimsTree, this.revocationsTree]) tree.refresh();
      throw error;
    }
  }
}

/**
 * Holder-side check that `issued.claim` is in the issuer's claims tree at `issued.issuerState`
 * (the roots hash to that state and the inclusion proof verifies against the claims root).
 */
export function verifyIssuedClaim(issued: Pick<IssuedClaim, 'claim' | 'issuerState' | 'issuerRoots' | 'proof'>): boolean {
  return (
    identityState(issued.issuerRoots) === issued.issuerState &&
    verifyProof(issued.issuerRoots.claims, issued.claim.indexHash, issued.claim.valueHash, issued.proof, { maxDepth: CLAIMS_TREE_DEPTH })
  );
}

/** Holder-side check that the claim's nonce is absent from the issuer's revocations tree at that state. */
export function verifyNotRevoked(claim: Claim, status: Pick<RevocationStatus, 'issuerState' | 'issuerRoots' | 'proof'>): boolean {
  return (
    identityState(status.issuerRoots) === status.issuerState &&
    status.proof.existence === false &&
    verifyProof(status.issuerRoots.revocations, claim.revocationNonce, undefined, status.proof, { maxDepth: REVOCATIONS_TREE_DEPTH })
  );
}
