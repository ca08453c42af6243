/**
 * Circuit inputs from the protocol objects (claims, SMT proofs, identity roots, requests), plus the same
 * checks the circuits make, done first in TypeScript so a prover gets a reason instead of a failed witness.
 * Pure: no node APIs, usable in a browser wallet.
 */
import { poseidon } from '../crypto/poseidon.js';
import { isFieldElement } from '../crypto/field.js';
import type { PrivateKey } from '../crypto/eddsa.js';
import type { AffinePoint } from '../crypto/babyjub.js';
import { Claim, SUBJECT_INDEX } from '../claims/index.js';
import { toCircuitProof, verifyProof, type Proof } from '../smt/index.js';
import {
  AUTH_TREE_DEPTH, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, authLeafValue, genesisAuthTree, identityState, idFromGenesisState, parseId,
  type IdentityRoots, type StateTransition,
} from '../identity/index.js';
import { GIST_DEPTH, gistUpdateRoot, type GistProof, type GistUpdateWitness } from './gist.js';
import type { HolderAuthWitness } from './holder-auth.js';
import { MAX_ORDERED_VALUE, Operator, QUERY_VALUES, QUERYABLE_SLOTS, ZkError, type OperatorName } from './types.js';

type Signal = string | readonly Signal[];
/** circom input JSON: every value a decimal string (or nested arrays of them). */
export type CircuitInputs = Record<string, Signal>;

const dec = (x: bigint | number) => x.toString();

/**
 * What the credential query knows of the holder: its ID (private: claims name it, the nullifier and the
 * commitment hash it), the salt of the commitment it shares with the holder-auth proof, and the profile nonce.
 * Ownership of the ID is the holder-auth proof's (holder-auth.ts).
 */
export interface QueryHolder {
  readonly id: bigint;
  /** The commitment's salt: fresh per answer (`freshSalt`), the same in both proofs. */
  readonly salt: bigint;
  /** 0 (default): claims name the holder ID as subject; otherwise they name the profile H(holderId, profileNonce). */
  readonly profileNonce?: bigint;
}

/** A holder able to answer: the holder-auth witness (key, latest state, GIST proof) and its profile nonce. */
export interface HolderWitness extends HolderAuthWitness {
  readonly profileNonce?: bigint;
}

/** What the holder keeps of an issued claim, with both proofs taken at the same issuer state. */
export interface CredentialWitness {
  readonly claim: Claim;
  /** Issuer ID (string form, DID or field element). */
  readonly issuerId: string | bigint;
  readonly issuerState: bigint;
  readonly issuerRoots: IdentityRoots;
  /** Membership of (Hi, Hv) in issuerRoots.claims. */
  readonly claimProof: Proof;
  /** Non-membership of the claim's revocation nonce in issuerRoots.revocations. */
  readonly revocationProof: Proof;
}

/** A credential query as the circuit sees it (request.ts has the JSON form). */
export interface CredentialQuery {
  readonly schema: bigint;
  /** One of 2, 3, 5, 6, 7 (i2, i3, v1, v2, v3). */
  readonly slotIndex: number;
  readonly operator: OperatorName;
  /** 0 to 16 values, as many as the operator needs (2 for ranges). */
  readonly values: readonly bigint[];
  /** Unix seconds at which the claim must not be expired. */
  readonly timestamp: bigint;
  /** Who asks (e.g. the verifier contract's address as an integer) and which request: the nullifier scope. */
  readonly verifierId: bigint;
  readonly requestId: bigint;
  /** Fresh value the proof is bound to (a public input, e.g. the caller's address on-chain). */
  readonly challenge: bigint;
}

/** The claim subject that names this holder: its ID, or its profile H(ID, profileNonce). */
export function holderSubject(holder: Pick<QueryHolder, 'id' | 'profileNonce'>): bigint {
  const nonce = holder.profileNonce ?? 0n;
  return nonce === 0n ? holder.id : poseidon([holder.id, nonce]);
}

/** nullifier = H(holderId, verifierId, requestId), as the circuit outputs it. */
export function nullifierOf(id: bigint, verifierId: bigint, requestId: bigint): bigint {
  return poseidon([id, verifierId, requestId]);
}

/** The query's `values` padded to 16 entries by repeating values[0] (padding with 0 would add 0 to a set). */
export function padValues(values: readonly bigint[]): bigint[] {
  if (values.length > QUERY_VALUES) throw new ZkError('BAD_INPUT', `values: at most ${QUERY_VALUES}`);
  for (const [i, v] of values.entries()) {
    if (typeof v !== 'bigint' || !isFieldElement(v)) throw new ZkError('BAD_INPUT', `values[${i}]: not a field element`);
  }
  const first = values[0] ?? 0n;
  return [...values, ...Array<bigint>(QUERY_VALUES - values.length).fill(first)];
}

const NEEDS_VALUES: Record<OperatorName, [number, number]> = {
  NOOP: [0, 0], DISCLOSE: [0, 0], EQUAL: [1, 1], NOT_EQUAL: [1, 1], LESS_THAN: [1, 1], GREATER_THAN: [1, 1],
  LESS_OR_EQUAL: [1, 1], GREATER_OR_EQUAL: [1, 1], IN_RANGE: [2, 2], NOT_IN_RANGE: [2, 2], IN: [1, QUERY_VALUES], NOT_IN: [1, QUERY_VALUES],
};
const ORDERED: ReadonlySet<OperatorName> = new Set(['LESS_THAN', 'GREATER_THAN', 'LESS_OR_EQUAL', 'GREATER_OR_EQUAL', 'IN_RANGE', 'NOT_IN_RANGE']);

/** Checks the query's shape: known operator, queryable slot, the right number of values, orderable values. */
export function checkQuery(q: Pick<CredentialQuery, 'operator' | 'values' | 'slotIndex'>): void {
  if (!Object.hasOwn(Operator, q.operator)) throw new ZkError('BAD_INPUT', `operator: unknown ${String(q.operator)}`);
  if (!(QUERYABLE_SLOTS as readonly number[]).includes(q.slotIndex)) {
    throw new ZkError('BAD_INPUT', `slotIndex: must be a data slot (${QUERYABLE_SLOTS.join(', ')})`);
  }
  const [min, max] = NEEDS_VALUES[q.operator];
  if (q.values.length < min || q.values.length > max) {
    throw new ZkError('BAD_INPUT', `values: ${q.operator} takes ${min === max ? min : `${min} to ${max}`} values, got ${q.values.length}`);
  }
  if (ORDERED.has(q.operator) && q.values.some((v) => v < 0n || v > MAX_ORDERED_VALUE)) {
    throw new ZkError('BAD_INPUT', 'values: orderings compare integers below 2^252');
  }
}

/**
 * Whether `value` satisfies the operator: the circuit's semantics (values already padded), including its
 * refusal of a slot value of 2^252 or more under an ordering (no proof exists). An ordering bound of 2^252 or
 * more also answers false: the circuit leaves that range check to the verifier (checkQuery refuses such a
 * request), and no answer to it may ever be made.
 */
export function evaluateOperator(operator: OperatorName, value: bigint, padded: readonly bigint[]): boolean {
  const [a, b] = padded;
  const orderable = (x: bigint) => x <= MAX_ORDERED_VALUE;
  if (ORDERED.has(operator) && !(orderable(value) && orderable(a) && orderable(operator.endsWith('RANGE') ? b : a))) return false;
  switch (operator) {
    case 'NOOP': case 'DISCLOSE': return true;
    case 'EQUAL': return value === a;
    case 'NOT_EQUAL': return value !== a;
    case 'LESS_THAN': return value < a;
    case 'GREATER_THAN': return value > a;
    case 'LESS_OR_EQUAL': return value <= a;
    case 'GREATER_OR_EQUAL': return value >= a;
    case 'IN_RANGE': return a <= value && value <= b;
    case 'NOT_IN_RANGE': return value < a || value > b;
    case 'IN': return padded.includes(value);
    case 'NOT_IN': return !padded.includes(value);
  }
}

/** A fixed-size circuit proof's siblings as the circuits' [depth][4] input. */
export function siblingsMatrix(siblings: readonly bigint[], depth: number): string[][] {
  return Array.from({ length: depth }, (_, l) => siblings.slice(4 * l, 4 * l + 4).map(dec));
}

function toId(id: string | bigint): bigint {
  return parseId(id).bigint;
}

/**
 * Inputs of circuits/credentialQuery.circom. Throws ZkError BAD_INPUT for malformed pieces and UNSATISFIED
 * (with the reason) when the statement is false: revoked, expired, wrong subject or schema, operator not met.
 * The result holds the holder ID and the salt: keep it in the process that proves.
 */
export function credentialQueryInputs(holder: QueryHolder, credential: CredentialWitness, query: CredentialQuery): CircuitInputs {
  checkQuery(query);
  const { claim } = credential;
  const [i0, subject, , , v0] = claim.slots;
  if (typeof holder.id !== 'bigint' || !isFieldElement(holder.id)) throw new ZkError('BAD_INPUT', 'holder.id: not a field element');
  if (typeof holder.salt !== 'bigint' || !isFieldElement(holder.salt)) throw new ZkError('BAD_INPUT', 'holder.salt: not a field element');
  if (identityState(credential.issuerRoots) !== credential.issuerState) throw new ZkError('BAD_INPUT', 'issuerRoots do not hash to issuerState');
  if (!verifyProof(credential.issuerRoots.claims, claim.indexHash, claim.valueHash, credential.claimProof, { maxDepth: CLAIMS_TREE_DEPTH })) {
    throw new ZkError('BAD_INPUT', 'claimProof: the claim is not in the issuer\'s claims tree at issuerState');
  }
  const nonce = claim.revocationNonce;
  if (credential.revocationProof.existence) throw new ZkError('UNSATISFIED', 'the claim is revoked at issuerState');
  if (!verifyProof(credential.issuerRoots.revocations, nonce, undefined, credential.revocationProof, { maxDepth: REVOCATIONS_TREE_DEPTH })) {
    throw new ZkError('BAD_INPUT', 'revocationProof: not a non-membership proof of the nonce at issuerState');
  }
  if (i0 >> 160n !== 0n || v0 >> 128n !== 0n) throw new ZkError('BAD_INPUT', 'claim: i0 or v0 has bits outside the layout');
  if (claim.subjectPosition !== SUBJECT_INDEX || subject !== holderSubject(holder)) {
    throw new ZkError('UNSATISFIED', 'the claim\'s subject is not this holder');
  }
  if (claim.schemaHash !== query.schema) throw new ZkError('UNSATISFIED', 'the claim is not of the requested schema');
  if (query.timestamp < 0n || query.timestamp >= 1n << 64n) throw new ZkError('BAD_INPUT', 'timestamp: 64-bit unix seconds');
  if (claim.hasExpiration && claim.expiration !== 0n && query.timestamp >= claim.expiration) {
    throw new ZkError('UNSATISFIED', 'the claim is expired at the requested timestamp');
  }
  const values = padValues(query.values);
  const value = claim.slots[query.slotIndex];
  if (!evaluateOperator(query.operator, value, values)) throw new ZkError('UNSATISFIED', `the claim's slot ${query.slotIndex} does not satisfy ${query.operator}`);

  const issued = toCircuitProof({ root: credential.issuerRoots.claims, key: claim.indexHash, value: claim.valueHash, proof: credential.claimProof, maxDepth: CLAIMS_TREE_DEPTH });
  const rev = toCircuitProof({ root: credential.issuerRoots.revocations, key: nonce, value: undefined, proof: credential.revocationProof, maxDepth: REVOCATIONS_TREE_DEPTH });

  return {
    issuerId: dec(toId(credential.issuerId)),
    issuerState: dec(credential.issuerState),
    schema: dec(query.schema),
    slotIndex: dec(query.slotIndex),
    operator: dec(Operator[query.operator]),
    values: values.map(dec),
    timestamp: dec(query.timestamp),
    verifierId: dec(query.verifierId),
    requestId: dec(query.requestId),
    challenge: dec(query.challenge),

    holderId: dec(holder.id),
    salt: dec(holder.salt),
    profileNonce: dec(holder.profileNonce ?? 0n),

    claim: claim.slots.map(dec),
    issuerAuthRoot: dec(credential.issuerRoots.auth),
    issuerClaimsRoot: dec(credential.issuerRoots.claims),
    issuerRevRoot: dec(credential.issuerRoots.revocations),
    claimSiblings: siblingsMatrix(issued.siblings, CLAIMS_TREE_DEPTH),
    claimLevels: dec(issued.levels),
    revSiblings: siblingsMatrix(rev.siblings, REVOCATIONS_TREE_DEPTH),
    revLevels: dec(rev.levels),
    revAuxKey: dec(rev.auxKey),
    revAuxValue: dec(rev.auxValue),
    revAuxEmpty: dec(rev.isAux0),
  };
}

/**
 * Inputs of circuits/stateTransition.circom from src/identity's signed transition record and the witness of the
 * GIST update it makes (`GlobalStateTree.updateWitness(id, newState)` at the registry's current root, or a
 * registry's `gistUpdateWitness`).
 */
export function stateTransitionInputs(t: StateTransition, gist: GistUpdateWitness): CircuitInputs {
  const id = parseId(t.id);
  if (gist.id !== id.bigint || gist.newState !== t.newState) throw new ZkError('BAD_INPUT', 'gist: the update of another transition');
  if ((gist.oldState === undefined) !== t.isOldStateGenesis || (gist.oldState !== undefined && gist.oldState !== t.oldState)) {
    throw new ZkError('BAD_INPUT', 'gist: the GIST does not hold the transition\'s old state for the ID (a newer root?)');
  }
  if (gistUpdateRoot(gist) !== gist.newRoot) throw new ZkError('BAD_INPUT', 'gist.newRoot: not the root after the update');
  const g = toCircuitProof({ root: gist.oldRoot, key: id.bigint, value: gist.oldState, proof: gist.proof, maxDepth: GIST_DEPTH });
  const auth = toCircuitProof({ root: t.oldRoots.auth, key: BigInt(t.signerSlot), value: authLeafValue(t.signerKey), proof: t.authProof, maxDepth: AUTH_TREE_DEPTH });
  return {
    id: dec(id.bigint),
    oldState: dec(t.oldState),
    newState: dec(t.newState),
    isOldStateGenesis: t.isOldStateGenesis ? '1' : '0',
    network: dec(id.network),
    oldAuthRoot: dec(t.oldRoots.auth),
    oldClaimsRoot: dec(t.oldRoots.claims),
    oldRevRoot: dec(t.oldRoots.revocations),
    newAuthRoot: dec(t.newRoots.auth),
    newClaimsRoot: dec(t.newRoots.claims),
    newRevRoot: dec(t.newRoots.revocations),
    keySlot: dec(t.signerSlot),
    siblings: siblingsMatrix(auth.siblings, AUTH_TREE_DEPTH),
    authLevels: dec(auth.levels),
    Ax: dec(t.signerKey.x),
    Ay: dec(t.signerKey.y),
    S: dec(t.signature.S),
    R8x: dec(t.signature.R8.x),
    R8y: dec(t.signature.R8.y),
    gistOldRoot: dec(gist.oldRoot),
    gistNewRoot: dec(gist.newRoot),
    gistSiblings: siblingsMatrix(g.siblings, GIST_DEPTH),
    gistLevels: dec(g.levels),
    gistNewLevels: dec(gist.newLevels),
    gistAuxKey: dec(g.auxKey),
    gistAuxValue: dec(g.auxValue),
    gistAuxEmpty: dec(g.isAux0),
  };
}

/**
 * The holder witness of an identity still described by its genesis keys (Identity.create puts keys in
 * slots 0..n-1 and leaves the claims and revocations trees empty), with its GIST proof: non-membership at a recent
 * GIST root (it never published). Rebuilds the genesis authentication tree to prove the key's membership.
 */
export function genesisHolder(options: {
  readonly keys: readonly AffinePoint[];
  readonly network: number;
  readonly keySlot: number;
  readonly authKey: HolderWitness['authKey'];
  readonly gist: GistProof;
  readonly profileNonce?: bigint;
}): HolderWitness {
  const tree = genesisAuthTree(options.keys);
  const key = options.keys[options.keySlot];
  if (!key) throw new ZkError('BAD_INPUT', `keySlot: no genesis key in slot ${options.keySlot}`);
  const roots = { auth: tree.root, claims: 0n, revocations: 0n };
  const id = idFromGenesisState(identityState(roots), options.network).bigint;
  if (options.gist.id !== id) throw new ZkError('BAD_INPUT', 'gist: a proof for another ID');
  return {
    id,
    roots,
    keySlot: options.keySlot,
    key,
    authProof: tree.prove(BigInt(options.keySlot)),
    authKey: options.authKey,
    gist: options.gist,
    profileNonce: options.profileNonce,
  };
}
