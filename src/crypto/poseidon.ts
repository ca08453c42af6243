import { poseidonReference } from './poseidon-reference.js';

/**
 * Poseidon hash of 1 to 16 field elements, equal to circomlib's `Poseidon(n)` template.
 * Inputs must be canonical field elements; anything else throws a RangeError naming the input.
 */
export function poseidon(inputs: readonly bigint[]): bigint {
  return poseidonReference(inputs);
}
