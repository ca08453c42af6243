import { assertFieldElement, isFieldElement } from '../crypto/field.js';
import { leafHash, middleHash } from './hash.js';
import { MAX_DEPTH, keyDigits } from './path.js';

/** The leaf found where a non-member's path ends, proving the slot is taken by a different key. */
export interface AuxLeaf {
  readonly key: bigint;
  readonly value: bigint;
}

/**
 * docs/protocol.md's proof: `siblings[l]` holds the 4 other children of the path's node at level l, in position
 * order with the path's own position removed, for l = 0 .. L-1 where L is the level at which the path ends.
 */
export interface Proof {
  readonly existence: boolean;
  readonly siblings: readonly (readonly bigint[])[];
  /** Only for a non-existence proof whose path ends at another leaf. */
  readonly auxLeaf?: AuxLeaf;
}

export interface VerifyOptions {
  /** Reject proofs longer than the tree's depth (the verifier cannot know it from the root alone). */
  readonly maxDepth?: number;
}

/**
 * True when `proof` shows that `key` maps to `value` (membership) or, with `value` undefined, that `key`
 * is absent (non-membership) in the tree whose root is `root`. Pure: needs nothing but its arguments.
 * A malformed or lying proof yields false; non-field `root`, `key` or `value` arguments throw, naming the argument.
 */
export function verifyProof(root: bigint, key: bigint, value: bigint | undefined, proof: Proof, options: VerifyOptions = {}): boolean {
  assertFieldElement(root, 'root');
  assertFieldElement(key, 'key');
  if (value !== undefined) assertFieldElement(value, 'value');
  const computed = proofRoot(key, value, proof, options.maxDepth ?? MAX_DEPTH);
  return computed !== undefined && computed === root;
}

/** The root `proof` implies for (key, value), or undefined when the proof is malformed or inconsistent. */
export function proofRoot(key: bigint, value: bigint | undefined, proof: Proof, maxDepth = MAX_DEPTH): bigint | undefined {
  if (typeof proof !== 'object' || proof === null || !Array.isArray(proof.siblings)) return undefined;
  const { siblings, auxLeaf } = proof;
  const levels = siblings.length;
  if (levels > maxDepth) return undefined;
  for (const group of siblings) {
    if (!Array.isArray(group) || group.length !== 4) return undefined;
    for (const s of group) if (typeof s !== 'bigint' || !isFieldElement(s)) return undefined;
  }
  const digits = keyDigits(key, levels);

  let running: bigint;
  if (proof.existence === true) {
    if (value === undefined || auxLeaf !== undefined) return undefined;
    running = leafHash(key, value);
  } else if (proof.existence === false) {
    if (value !== undefined) return undefined;
    if (auxLeaf === undefined) {
      running = 0n;
    } else {
      const { key: auxKey, value: auxValue } = auxLeaf;
      if (typeof auxKey !== 'bigint' || typeof auxValue !== 'bigint') return undefined;
      if (!isFieldElement(auxKey) || !isFieldElement(auxValue) || auxKey === key) return undefined;
      // The aux leaf must sit on the key's path; otherwise it would say nothing about the key.
      const auxDigits = keyDigits(auxKey, levels);
      for (let l = 0; l < levels; l++) if (auxDigits[l] !== digits[l]) return undefined;
      running = leafHash(auxKey, auxValue);
    }
  } else {
    return undefined;
  }

  const children = [0n, 0n, 0n, 0n, 0n];
  for (let l = levels - 1; l >= 0; l--) {
    const group = siblings[l];
    const own = digits[l];
    for (let i = 0, j = 0; i < 5; i++) children[i] = i === own ? running : group[j++];
    running = middleHash(children);
  }
  return running;
}
