import { poseidon } from '../crypto/poseidon.js';
import { sign, verify, type PrivateKey, type Signature } from '../crypto/eddsa.js';
import type { AffinePoint } from '../crypto/babyjub.js';
import { MemoryStore, SparseMerkleTree, verifyProof, type Proof } from '../smt/index.js';
import { idFromGenesisState, parseId } from './id.js';

/** Tree depths and limits fixed by docs/protocol.md. */
export const AUTH_TREE_DEPTH = 4;
export const CLAIMS_TREE_DEPTH = 14;
export const REVOCATIONS_TREE_DEPTH = 14;
/** 5^4 slots in the authentication tree; a key's slot number is its tree key, so keys never collide. */
export const MAX_KEY_SLOTS = 5 ** AUTH_TREE_DEPTH;
/** Revocation nonces below 5^14 own a distinct path each in the revocations tree. */
export const REVOCATION_NONCE_SPACE = 5n ** BigInt(REVOCATIONS_TREE_DEPTH);

export interface IdentityRoots {
  readonly auth: bigint;
  readonly claims: bigint;
  readonly revocations: bigint;
}

export function identityState(roots: IdentityRoots): bigint {
  return poseidon([roots.auth, roots.claims, roots.revocations]);
}

/** The authentication-tree value of a key: H(Ax, Ay). */
export function authLeafValue(key: AffinePoint): bigint {
  return poseidon([key.x, key.y]);
}

/**
 * The genesis authentication tree of `keys`: slot i holds keys[i], as Identity.create lays them out. Inserted into
 * `tree` (an empty one, default: a fresh in-memory tree), which is returned.
 */
export function genesisAuthTree(
  keys: readonly AffinePoint[],
  tree: SparseMerkleTree = SparseMerkleTree.open(new MemoryStore(), { maxDepth: AUTH_TREE_DEPTH }),
): SparseMerkleTree {
  tree.batch(keys.map((k, slot) => ({ op: 'insert' as const, key: BigInt(slot), value: authLeafValue(k) })));
  return tree;
}

/**
 * A signed, self-contained record of one change of an identity's state. Anyone holding it can check it
 * (verifyStateTransition) without the identity's trees; a later issue publishes it on-chain with a proof.
 */
export interface StateTransition {
  /** The identity's ID (string form). */
  readonly id: string;
  readonly oldState: bigint;
  readonly newState: bigint;
  readonly oldRoots: IdentityRoots;
  readonly newRoots: IdentityRoots;
  readonly isOldStateGenesis: boolean;
  readonly signerSlot: number;
  readonly signerKey: AffinePoint;
  /** Membership of (signerSlot, H(signerKey)) in oldRoots.auth. */
  readonly authProof: Proof;
  /** EdDSA-Poseidon over H(oldState, newState). */
  readonly signature: Signature;
}

export function transitionMessage(oldState: bigint, newState: bigint): bigint {
  return poseidon([oldState, newState]);
}

export function signTransition(
  unsigned: Omit<StateTransition, 'signature'>,
  privateKey: PrivateKey,
): StateTransition {
  return { ...unsigned, signature: sign(privateKey, transitionMessage(unsigned.oldState, unsigned.newState)) };
}

/** Why a transition is invalid, or undefined when it is valid. */
export function checkStateTransition(t: StateTransition): string | undefined {
  if (identityState(t.oldRoots) !== t.oldState) return 'old roots do not hash to the old state';
  if (identityState(t.newRoots) !== t.newState) return 'new roots do not hash to the new state';
  if (t.oldState === t.newState) return 'the state did not change';
  if (!Number.isInteger(t.signerSlot) || t.signerSlot < 0 || t.signerSlot >= MAX_KEY_SLOTS) return 'signer slot out of range';
  if (!verifyProof(t.oldRoots.auth, BigInt(t.signerSlot), authLeafValue(t.signerKey), t.authProof, { maxDepth: AUTH_TREE_DEPTH })) {
    return 'the signer key is not in the old authentication tree';
  }
  if (!verify(transitionMessage(t.oldState, t.newState), t.signature, t.signerKey)) return 'bad signature';
  if (t.isOldStateGenesis) {
    let id;
    try {
      id = parseId(t.id);
    } catch {
      return 'malformed ID';
    }
    if (idFromGenesisState(t.oldState, id.network).bigint !== id.bigint) return 'the ID is not the genesis ID of the old state';
  }
  return undefined;
}

export function verifyStateTransition(t: StateTransition): boolean {
  return checkStateTransition(t) === undefined;
}
