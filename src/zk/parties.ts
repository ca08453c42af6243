/**
 * What issuer, holder and verifier exchange when they only meet over a node's JSON-RPC (README.md here, "Parties
 * over the network"). Browser-safe and node-agnostic: wire forms of SMT proofs and roots, the holder's
 * authentication (a signature by a key of its identity's latest published state), the revocation status rebuilt
 * by the holder from the whole revocations tree, and the claim payload an issuer seals to a holder.
 */
import { poseidon } from '../crypto/poseidon.js';
import { sign, verify, type PrivateKey, type Signature } from '../crypto/eddsa.js';
import type { AffinePoint } from '../crypto/babyjub.js';
import { isFieldElement } from '../crypto/field.js';
import { Claim } from '../claims/index.js';
import { MemoryStore, SparseMerkleTree, verifyProof, type Proof } from '../smt/index.js';
import {
  AUTH_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, authLeafValue, identityState, idFromGenesisState, parseId, type IdentityRoots,
} from '../identity/index.js';
import { ZkError } from './types.js';
import type { GistProof, GistUpdateWitness } from './gist.js';

// ---- wire forms (decimal strings) ----

export interface ProofJson { existence: boolean; siblings: string[][]; auxLeaf?: { key: string; value: string } }
export interface RootsJson { auth: string; claims: string; revocations: string }
export interface PointJson { x: string; y: string }
export interface SignatureJson { R8: PointJson; S: string }

export const proofToJson = (p: Proof): ProofJson => ({
  existence: p.existence,
  siblings: p.siblings.map((level) => level.map(String)),
  ...(p.auxLeaf ? { auxLeaf: { key: p.auxLeaf.key.toString(), value: p.auxLeaf.value.toString() } } : {}),
});

function fieldOf(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !/^\d{1,78}$/.test(value)) throw new ZkError('BAD_INPUT', `${name}: expected a decimal string`);
  const x = BigInt(value);
  if (!isFieldElement(x)) throw new ZkError('BAD_INPUT', `${name}: not a field element`);
  return x;
}

export function proofFromJson(p: ProofJson, name = 'proof'): Proof {
  if (typeof p !== 'object' || p === null || typeof p.existence !== 'boolean' || !Array.isArray(p.siblings)) throw new ZkError('BAD_INPUT', `${name}: not a proof`);
  return {
    existence: p.existence,
    siblings: p.siblings.map((level, l) => {
      if (!Array.isArray(level)) throw new ZkError('BAD_INPUT', `${name}.siblings.${l}: expected an array`);
      return level.map((s, i) => fieldOf(s, `${name}.siblings.${l}.${i}`));
    }),
    ...(p.auxLeaf ? { auxLeaf: { key: fieldOf(p.auxLeaf.key, `${name}.auxLeaf.key`), value: fieldOf(p.auxLeaf.value, `${name}.auxLeaf.value`) } } : {}),
  };
}

/** A holder's GIST proof on the wire (`state` absent: the ID is not in the GIST). */
export interface GistProofJson { root: string; id: string; state?: string; proof: ProofJson }
export interface GistUpdateJson { oldRoot: string; newRoot: string; id: string; oldState?: string; newState: string; proof: ProofJson; newLevels: number }

export const gistProofToJson = (g: GistProof): GistProofJson => ({
  root: g.root.toString(), id: g.id.toString(), ...(g.state === undefined ? {} : { state: g.state.toString() }), proof: proofToJson(g.proof),
});
export function gistProofFromJson(g: GistProofJson, name = 'gist'): GistProof {
  if (typeof g !== 'object' || g === null) throw new ZkError('BAD_INPUT', `${name}: not a GIST proof`);
  return {
    root: fieldOf(g.root, `${name}.root`), id: fieldOf(g.id, `${name}.id`),
    state: g.state === undefined ? undefined : fieldOf(g.state, `${name}.state`), proof: proofFromJson(g.proof, `${name}.proof`),
  };
}
export const gistUpdateToJson = (w: GistUpdateWitness): GistUpdateJson => ({
  oldRoot: w.oldRoot.toString(), newRoot: w.newRoot.toString(), id: w.id.toString(),
  ...(w.oldState === undefined ? {} : { oldState: w.oldState.toString() }), newState: w.newState.toString(), proof: proofToJson(w.proof), newLevels: w.newLevels,
});
export function gistUpdateFromJson(w: GistUpdateJson, name = 'gistUpdate'): GistUpdateWitness {
  if (typeof w !== 'object' || w === null) throw new ZkError('BAD_INPUT', `${name}: not a GIST update`);
  if (!Number.isInteger(w.newLevels) || w.newLevels < 0) throw new ZkError('BAD_INPUT', `${name}.newLevels: expected a level`);
  return {
    oldRoot: fieldOf(w.oldRoot, `${name}.oldRoot`), newRoot: fieldOf(w.newRoot, `${name}.newRoot`), id: fieldOf(w.id, `${name}.id`),
    oldState: w.oldState === undefined ? undefined : fieldOf(w.oldState, `${name}.oldState`), newState: fieldOf(w.newState, `${name}.newState`),
    proof: proofFromJson(w.proof, `${name}.proof`), newLevels: w.newLevels,
  };
}

export const rootsToJson = (r: IdentityRoots): RootsJson => ({ auth: r.auth.toString(), claims: r.claims.toString(), revocations: r.revocations.toString() });
export const rootsFromJson = (r: RootsJson, name = 'roots'): IdentityRoots => ({
  auth: fieldOf(r?.auth, `${name}.auth`), claims: fieldOf(r?.claims, `${name}.claims`), revocations: fieldOf(r?.revocations, `${name}.revocations`),
});
export const pointToJson = (p: AffinePoint): PointJson => ({ x: p.x.toString(), y: p.y.toString() });
export const pointFromJson = (p: PointJson, name: string): AffinePoint => ({ x: fieldOf(p?.x, `${name}.x`), y: fieldOf(p?.y, `${name}.y`) });

// ---- holder authentication ----

/** Domain tag of the holder's signature: the ASCII bytes of "masque/zk-holder-auth@1" as an integer. */
const HOLDER_AUTH_TAG = BigInt(`0x${Array.from(new TextEncoder().encode('masque/zk-holder-auth@1'), (b) => b.toString(16).padStart(2, '0')).join('')}`);
/** How far a holder's timestamp may be from the node's clock. */
export const HOLDER_AUTH_WINDOW_SECONDS = 300;

/** The holder proves it controls a key of its identity at `roots` (its latest published state, or genesis). */
export interface HolderAuthJson {
  holder: string;
  roots: RootsJson;
  keySlot: number;
  key: PointJson;
  authProof: ProofJson;
  /** Unix seconds. */
  timestamp: number;
  signature: SignatureJson;
}

/** What the holder signs: H(tag, holder ID, chain id, timestamp). Bound to one chain; fresh within the window. */
export function holderAuthMessage(holderId: bigint, chainId: number, timestamp: number): bigint {
  return poseidon([HOLDER_AUTH_TAG, holderId, BigInt(chainId), BigInt(timestamp)]);
}

export interface HolderIdentityView {
  readonly id: { readonly bigint: bigint; readonly string: string };
  readonly roots: IdentityRoots;
  readonly keySlot: number;
  readonly key: AffinePoint;
  /** Membership of (keySlot, H(key)) in roots.auth. */
  readonly authProof: Proof;
}

export function signHolderAuth(view: HolderIdentityView, privateKey: PrivateKey, chainId: number, timestamp: number): HolderAuthJson {
  const signature: Signature = sign(privateKey, holderAuthMessage(view.id.bigint, chainId, timestamp));
  return {
    holder: view.id.string, roots: rootsToJson(view.roots), keySlot: view.keySlot, key: pointToJson(view.key),
    authProof: proofToJson(view.authProof), timestamp, signature: { R8: pointToJson(signature.R8), S: signature.S.toString() },
  };
}

/**
 * Checks a holder's authentication against what the chain says of its identity: `latestState` is the holder's
 * last published state (undefined when it never published: the roots must then be its genesis roots). Returns the
 * holder's ID; throws ZkError BAD_INPUT naming the field otherwise.
 */
export function checkHolderAuth(a: HolderAuthJson, p: { chainId: number; now: number; latestState: bigint | undefined }): { id: bigint; string: string } {
  let id;
  try { id = parseId(a.holder); } catch { throw new ZkError('BAD_INPUT', 'holder: not a Masque ID'); }
  const roots = rootsFromJson(a.roots, 'roots');
  const state = identityState(roots);
  if (p.latestState === undefined) {
    if (idFromGenesisState(state, id.network).bigint !== id.bigint) throw new ZkError('BAD_INPUT', 'roots: not the genesis state of holder (it never published another)');
  } else if (state !== p.latestState) {
    throw new ZkError('BAD_INPUT', "roots: not the holder's latest published state");
  }
  if (!Number.isInteger(a.timestamp) || Math.abs(a.timestamp - p.now) > HOLDER_AUTH_WINDOW_SECONDS) {
    throw new ZkError('BAD_INPUT', `timestamp: more than ${HOLDER_AUTH_WINDOW_SECONDS} s from the node's clock`);
  }
  const key = pointFromJson(a.key, 'key');
  if (!Number.isInteger(a.keySlot) || a.keySlot < 0) throw new ZkError('BAD_INPUT', 'keySlot: a non-negative integer');
  if (!verifyProof(roots.auth, BigInt(a.keySlot), authLeafValue(key), proofFromJson(a.authProof, 'authProof'), { maxDepth: AUTH_TREE_DEPTH })) {
    throw new ZkError('BAD_INPUT', "key: not in the holder's authentication tree at that state");
  }
  const signature = { R8: pointFromJson(a.signature?.R8, 'signature.R8'), S: fieldOf(a.signature?.S, 'signature.S') };
  if (!verify(holderAuthMessage(id.bigint, p.chainId, a.timestamp), signature, key)) throw new ZkError('BAD_INPUT', 'signature: does not verify with key');
  return { id: id.bigint, string: id.string };
}

// ---- revocation status, rebuilt by the holder ----

/**
 * The revocations tree of an issuer state rebuilt from the whole list of revoked nonces the node serves, checked
 * against the state: the holder then proves non-revocation of its own nonce locally, and the node never learns
 * which nonce it asked about (the price: the list grows with revocations, ~5 bytes each).
 */
export function revocationsTree(nonces: readonly bigint[], roots: IdentityRoots, state: bigint): SparseMerkleTree {
  if (identityState(roots) !== state) throw new ZkError('BAD_INPUT', 'roots: do not hash to the state');
  const tree = SparseMerkleTree.open(new MemoryStore(), { maxDepth: REVOCATIONS_TREE_DEPTH });
  if (nonces.length) tree.batch(nonces.map((n) => ({ op: 'insert' as const, key: n, value: 0n })));
  if (tree.root !== roots.revocations) throw new ZkError('BAD_INPUT', 'nonces: do not rebuild the revocations root of the state');
  return tree;
}

// ---- the claim an issuer seals to a holder ----

export const CLAIM_DELIVERY_TYPE = 'masque/zk-claim@1';

/** The plaintext the issuer seals to the holder: the claim's 8 slots and its issuer. */
export interface ClaimPayload { type: typeof CLAIM_DELIVERY_TYPE; issuer: string; slots: string[] }

export const claimPayload = (issuer: string, claim: Claim): ClaimPayload => ({ type: CLAIM_DELIVERY_TYPE, issuer, slots: claim.slots.map(String) });

/** The claim inside a payload, checked against the hashes the node recorded for it. */
export function claimFromPayload(p: ClaimPayload, expected: { issuer: string; indexHash: bigint; valueHash: bigint }): Claim {
  if (p?.type !== CLAIM_DELIVERY_TYPE || !Array.isArray(p.slots)) throw new ZkError('BAD_INPUT', `payload: not a ${CLAIM_DELIVERY_TYPE}`);
  if (p.issuer !== expected.issuer) throw new ZkError('BAD_INPUT', 'payload.issuer: not the issuer that delivered it');
  const claim = Claim.fromSlots(p.slots.map((s, i) => fieldOf(s, `payload.slots.${i}`)));
  if (claim.indexHash !== expected.indexHash || claim.valueHash !== expected.valueHash) throw new ZkError('BAD_INPUT', 'payload: the claim does not hash to the delivered (Hi, Hv)');
  return claim;
}

// ---- set queries larger than the circuit ----

/** The EU's 27 member states (ISO 3166-1 alpha-2), for "resides in the EU" queries. */
export const EU_MEMBER_STATES = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
] as const;

/**
 * An IN query over more values than the circuit takes (16) as alternative requests, one per chunk of 16: the holder
 * answers the one holding its value (ZkHolderAgent.respond takes the list), the verifier accepts an answer to any.
 * The verifier then learns which chunk the value is in: order the set so that chunks say nothing that matters.
 */
export function setQueryAlternatives<R>(values: readonly bigint[], request: (chunk: bigint[]) => R, chunk = 16): R[] {
  if (values.length === 0) throw new ZkError('BAD_INPUT', 'values: at least one');
  const out: R[] = [];
  for (let i = 0; i < values.length; i += chunk) out.push(request(values.slice(i, i + chunk)));
  return out;
}
