import { grainGenConstants, poseidon as noblePoseidon, type PoseidonFn } from '@noble/curves/abstract/poseidon.js';
import { Fr, assertFieldElement } from './field.js';

/**
 * Poseidon with circomlib's parameters: BN254 scalar field, x^5 S-box, 8 full rounds, and the partial
 * round counts below, indexed by t - 2 where t = inputs + 1. The round constants and MDS matrices
 * are regenerated from the reference Grain LFSR by @noble/curves, which reproduces circomlib's
 * tables bit for bit (see the vectors in poseidon.test.ts).
 */
export const PARTIAL_ROUNDS = [56, 57, 56, 60, 60, 63, 64, 63, 60, 66, 60, 65, 70, 60, 64, 68] as const;
export const FULL_ROUNDS = 8;
export const MAX_POSEIDON_INPUTS = PARTIAL_ROUNDS.length;

export interface PoseidonParameters {
  readonly t: number;
  readonly roundsFull: number;
  readonly roundsPartial: number;
  /** roundConstants[round][i] */
  readonly roundConstants: readonly (readonly bigint[])[];
  /** mds[row][col] */
  readonly mds: readonly (readonly bigint[])[];
}

const parameterCache = new Map<number, PoseidonParameters>();
const permutationCache = new Map<number, PoseidonFn>();

/** Parameters for `inputs` inputs (t = inputs + 1), generated once and cached. */
export function poseidonParameters(inputs: number): PoseidonParameters {
  assertArity(inputs);
  let params = parameterCache.get(inputs);
  if (!params) {
    const t = inputs + 1;
    const roundsPartial = PARTIAL_ROUNDS[t - 2];
    const generated = grainGenConstants({ Fp: Fr, t, roundsFull: FULL_ROUNDS, roundsPartial, sboxPower: 5 });
    params = { t, roundsFull: FULL_ROUNDS, roundsPartial, roundConstants: generated.roundConstants, mds: generated.mds };
    parameterCache.set(inputs, params);
  }
  return params;
}

export function assertArity(inputs: number): void {
  if (!Number.isInteger(inputs) || inputs < 1 || inputs > MAX_POSEIDON_INPUTS) {
    throw new RangeError(`Poseidon takes 1 to ${MAX_POSEIDON_INPUTS} inputs, got ${inputs}`);
  }
}

/**
 * The slow, obviously-correct Poseidon: noble's generic permutation over BigInt. Kept as the oracle
 * for the fast implementation and for environments where WebAssembly is unavailable.
 */
export function poseidonReference(inputs: readonly bigint[]): bigint {
  assertArity(inputs.length);
  inputs.forEach((x, i) => assertFieldElement(x, `inputs[${i}]`));
  let permutation = permutationCache.get(inputs.length);
  if (!permutation) {
    const p = poseidonParameters(inputs.length);
    permutation = noblePoseidon({
      Fp: Fr,
      t: p.t,
      roundsFull: p.roundsFull,
      roundsPartial: p.roundsPartial,
      sboxPower: 5,
      mds: p.mds as bigint[][],
      roundConstants: p.roundConstants as bigint[][],
    });
    permutationCache.set(inputs.length, permutation);
  }
  return permutation([0n, ...inputs])[0];
}
