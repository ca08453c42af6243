/**
 * The holder-auth proof (circuits/holderAuth.circom): the holder knows the secret of a key of the authentication
 * tree of its *latest* published state (that state is the ID's leaf in the GIST at a recent root), or of its
 * genesis state when the ID is absent from the GIST (it never published). It outputs commitment = H(holderId,
 * salt); the credential query outputs the same commitment from its own private holder ID, which binds the two
 * proofs without revealing the ID. A fresh random salt per answer keeps answers unlinkable.
 * Pure and browser-safe.
 */
import { randomBytes } from '@noble/hashes/utils.js';
import { poseidon } from '../crypto/poseidon.js';
import { FIELD_MODULUS } from '../crypto/field.js';
import { keyScalar, type PrivateKey } from '../crypto/eddsa.js';
import { mulBase8, toAffine, type AffinePoint } from '../crypto/babyjub.js';
import { toCircuitProof, verifyProof, type Proof } from '../smt/index.js';
import {
  AUTH_TREE_DEPTH, authLeafValue, identityState, idFromGenesisState, parseId, type Identity, type IdentityRoots,
} from '../identity/index.js';
import { GIST_DEPTH, type GistProof } from './gist.js';
import { siblingsMatrix, type CircuitInputs } from './inputs.js';
import { ZkError } from './types.js';

/** Who proves holder-auth: its ID, the roots of the state the GIST holds for it, a key of that state, the GIST proof. */
export interface HolderAuthWitness {
  readonly id: bigint;
  /** Roots of the ID's state in the GIST at gist.root; its genesis roots when it is absent there. */
  readonly roots: IdentityRoots;
  readonly keySlot: number;
  readonly key: AffinePoint;
  /** Membership of (keySlot, H(key)) in roots.auth. */
  readonly authProof: Proof;
  /** The key's private key, or a callback giving its secret scalar when the proof is made (a sealed wallet). */
  readonly authKey: PrivateKey | (() => bigint);
  /** The ID's GIST proof at a recent root (membership of its latest state, or non-membership). */
  readonly gist: GistProof;
}

/** What a holder-auth proof is made for: the verifier's challenge, and the holder's fresh salt. */
export interface HolderAuthParams {
  readonly challenge: bigint;
  /** Random, fresh per answer (`freshSalt`): the query proof must use the same one. */
  readonly salt: bigint;
}

/** commitment = H(holderId, salt), what both proofs output (2-input Poseidon). */
export function holderCommitment(id: bigint, salt: bigint): bigint {
  return poseidon([id, salt]);
}

/** A uniformly random non-zero field element (the commitment's salt). */
export function freshSalt(): bigint {
  for (;;) {
    const bytes = randomBytes(32);
    bytes[31]! &= 0x3f;
    let x = 0n;
    for (let i = 31; i >= 0; i--) x = (x << 8n) | BigInt(bytes[i]!);
    if (x !== 0n && x < FIELD_MODULUS) return x;
  }
}

const dec = (x: bigint | number) => x.toString();

function secretOf(w: HolderAuthWitness): bigint {
  const scalar = typeof w.authKey === 'function' ? w.authKey() : keyScalar(w.authKey);
  const key = toAffine(mulBase8(scalar));
  if (key.x !== w.key.x || key.y !== w.key.y) throw new ZkError('BAD_INPUT', 'authKey: not the secret of key');
  return scalar;
}

/**
 * Inputs of circuits/holderAuth.circom, after the same checks in TypeScript (BAD_INPUT for a malformed witness,
 * UNSATISFIED when the key is not valid at the GIST's state: e.g. a removed genesis key after a rotation). The
 * result holds the key's secret scalar: keep it in the proving process.
 */
export function holderAuthInputs(w: HolderAuthWitness, p: HolderAuthParams): CircuitInputs {
  const id = parseId(w.id);
  const state = identityState(w.roots);
  if (w.gist.id !== w.id) throw new ZkError('BAD_INPUT', 'gist: a proof for another ID');
  if (!verifyProof(w.gist.root, w.id, w.gist.state, w.gist.proof, { maxDepth: GIST_DEPTH })) {
    throw new ZkError('BAD_INPUT', 'gist.proof: does not verify at gist.root');
  }
  if (w.gist.state === undefined) {
    if (idFromGenesisState(state, id.network).bigint !== w.id) {
      throw new ZkError('UNSATISFIED', 'the ID is not in the GIST and roots are not its genesis state');
    }
  } else if (w.gist.state !== state) {
    throw new ZkError('UNSATISFIED', 'roots: not the state the GIST holds for the ID (prove with the latest published state)');
  }
  if (!verifyProof(w.roots.auth, BigInt(w.keySlot), authLeafValue(w.key), w.authProof, { maxDepth: AUTH_TREE_DEPTH })) {
    throw new ZkError('UNSATISFIED', 'key: not an authentication key of the state the GIST holds for the ID');
  }
  const secret = secretOf(w);
  const auth = toCircuitProof({ root: w.roots.auth, key: BigInt(w.keySlot), value: authLeafValue(w.key), proof: w.authProof, maxDepth: AUTH_TREE_DEPTH });
  const g = toCircuitProof({ root: w.gist.root, key: w.id, value: w.gist.state, proof: w.gist.proof, maxDepth: GIST_DEPTH });
  return {
    gistRoot: dec(w.gist.root),
    challenge: dec(p.challenge),
    holderId: dec(w.id),
    salt: dec(p.salt),
    network: dec(id.network),
    authRoot: dec(w.roots.auth),
    claimsRoot: dec(w.roots.claims),
    revRoot: dec(w.roots.revocations),
    keySlot: dec(w.keySlot),
    authSiblings: siblingsMatrix(auth.siblings, AUTH_TREE_DEPTH),
    authLevels: dec(auth.levels),
    authSecret: dec(secret),
    isGenesis: g.fnc === 1n ? '1' : '0',
    gistSiblings: siblingsMatrix(g.siblings, GIST_DEPTH),
    gistLevels: dec(g.levels),
    gistAuxKey: dec(g.auxKey),
    gistAuxValue: dec(g.auxValue),
    gistAuxEmpty: dec(g.isAux0),
  };
}

/**
 * The holder-auth witness of a wallet's identity: the roots of the state `gist` holds for it (its genesis state
 * when absent), and the proof of `key` there. Throws UNSATISFIED when `key` is not a key of that state (a key
 * added locally but not yet published, or one removed by a published rotation).
 */
export function holderAuthWitness(
  identity: Pick<Identity, 'id' | 'genesisState' | 'rootsAt' | 'authKeyAt'>,
  key: AffinePoint,
  authKey: HolderAuthWitness['authKey'],
  gist: GistProof,
): HolderAuthWitness {
  const state = gist.state ?? identity.genesisState;
  const found = identity.authKeyAt(key, { state });
  if (!found) throw new ZkError('UNSATISFIED', 'key: not an authentication key of the identity\'s published state');
  return { id: identity.id.bigint, roots: identity.rootsAt(state), keySlot: found.slot, key, authProof: found.proof, authKey, gist };
}
