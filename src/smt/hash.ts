import { poseidon } from '../crypto/poseidon.js';

/** H(k, v, 1): the 3-input arity keeps leaf hashes apart from middle-node hashes (5 inputs). */
export function leafHash(key: bigint, value: bigint): bigint {
  return poseidon([key, value, 1n]);
}

/** H(c0, ..., c4), children in position order, 0 for an empty child. */
export function middleHash(children: readonly bigint[]): bigint {
  return poseidon(children);
}
