import { assertFieldElement } from '../crypto/field.js';
import { assertDepth } from './path.js';
import { verifyProof, type Proof } from './proof.js';

/**
 * Fixed-size proof for circuits (docs/protocol.md, "Fixed-size form"); every field is a field element so the
 * object maps one to one onto circuit signals. See README.md for the layout.
 */
export interface CircuitProof {
  readonly root: bigint;
  /** 4 * maxDepth elements: sibling group l at [4l, 4l + 4), zero groups past the path's end. */
  readonly siblings: readonly bigint[];
  /** The path's length L (0..maxDepth): the level of the leaf or empty slot it ends at. */
  readonly levels: bigint;
  readonly key: bigint;
  /** The key's value for inclusion, 0 for exclusion. */
  readonly value: bigint;
  /** 0: inclusion (key -> value), 1: exclusion. */
  readonly fnc: 0n | 1n;
  /** Exclusion past a leaf: that leaf's key and value; 0 otherwise. */
  readonly auxKey: bigint;
  readonly auxValue: bigint;
  /** 1 when the path ends at an empty slot (exclusion without an aux leaf), else 0. */
  readonly isAux0: 0n | 1n;
}

export interface CircuitProofInput {
  readonly root: bigint;
  readonly key: bigint;
  /** The member's value; undefined for a non-membership proof. */
  readonly value: bigint | undefined;
  readonly proof: Proof;
  readonly maxDepth: number;
}

export function toCircuitProof({ root, key, value, proof, maxDepth }: CircuitProofInput): CircuitProof {
  assertDepth(maxDepth);
  assertFieldElement(root, 'root');
  assertFieldElement(key, 'key');
  if (value !== undefined) assertFieldElement(value, 'value');
  if (proof.existence !== (value !== undefined)) {
    throw new RangeError(proof.existence ? 'value is required for a membership proof' : 'value must be undefined for a non-membership proof');
  }
  if (proof.siblings.length > maxDepth) {
    throw new RangeError(`proof has ${proof.siblings.length} levels, more than maxDepth ${maxDepth}`);
  }
  const siblings = new Array<bigint>(4 * maxDepth).fill(0n);
  proof.siblings.forEach((group, l) => {
    if (group.length !== 4) throw new RangeError(`proof.siblings[${l}] must hold 4 elements`);
    group.forEach((s, i) => (siblings[4 * l + i] = s));
  });
  const aux = proof.auxLeaf;
  return {
    root,
    siblings,
    levels: BigInt(proof.siblings.length),
    key,
    value: value ?? 0n,
    fnc: proof.existence ? 0n : 1n,
    auxKey: aux?.key ?? 0n,
    auxValue: aux?.value ?? 0n,
    isAux0: !proof.existence && aux === undefined ? 1n : 0n,
  };
}

/**
 * Back to the variable-length form: the first `levels` sibling groups (the circuit ignores the rest, as the
 * path's end is the prover's hint there, see circuits/lib/quinary_smt.circom).
 */
export function fromCircuitProof(c: CircuitProof): { root: bigint; key: bigint; value: bigint | undefined; proof: Proof } {
  if (c.siblings.length % 4 !== 0) throw new RangeError('siblings length must be a multiple of 4');
  if (c.levels < 0n || c.levels > BigInt(c.siblings.length / 4)) throw new RangeError(`levels must be 0..${c.siblings.length / 4}`);
  const levels = Number(c.levels);
  const siblings: bigint[][] = [];
  for (let l = 0; l < levels; l++) siblings.push(c.siblings.slice(4 * l, 4 * l + 4));
  if (c.fnc === 0n) return { root: c.root, key: c.key, value: c.value, proof: { existence: true, siblings } };
  const proof: Proof =
    c.isAux0 === 1n
      ? { existence: false, siblings }
      : { existence: false, siblings, auxLeaf: { key: c.auxKey, value: c.auxValue } };
  return { root: c.root, key: c.key, value: undefined, proof };
}

/** Checks a fixed-size proof the way the circuit does (flags consistent with the aux fields), then verifies it. */
export function verifyCircuitProof(c: CircuitProof): boolean {
  if (c.levels < 0n || c.levels > BigInt(c.siblings.length / 4)) return false;
  if (c.fnc !== 0n && c.fnc !== 1n) return false;
  if (c.isAux0 !== 0n && c.isAux0 !== 1n) return false;
  if (c.fnc === 0n && (c.isAux0 !== 0n || c.auxKey !== 0n || c.auxValue !== 0n)) return false;
  if (c.fnc === 1n && (c.value !== 0n || (c.isAux0 === 1n && (c.auxKey !== 0n || c.auxValue !== 0n)))) return false;
  const { root, key, value, proof } = fromCircuitProof(c);
  return verifyProof(root, key, value, proof, { maxDepth: c.siblings.length / 4 });
}
