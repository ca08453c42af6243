import { Field } from '@noble/curves/abstract/modular.js';

/** The BN254 scalar field order r: Poseidon, Baby Jubjub coordinates and every claim slot live below it. */
export const FIELD_MODULUS = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** BN254 scalar field arithmetic (noble's constant-time-ish reference field). */
export const Fr = Field(FIELD_MODULUS);

/** True when `value` is a canonical field element: an integer in [0, r). */
export function isFieldElement(value: bigint): boolean {
  return value >= 0n && value < FIELD_MODULUS;
}

/** Throws a RangeError naming `field` unless `value` is a canonical field element. */
export function assertFieldElement(value: bigint, field = 'value'): void {
  if (typeof value !== 'bigint') throw new TypeError(`${field} must be a bigint`);
  if (!isFieldElement(value)) throw new RangeError(`${field} is not an element of the BN254 scalar field`);
}
