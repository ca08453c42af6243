import { poseidon } from '../crypto/poseidon.js';
import { assertFieldElement } from '../crypto/field.js';
import { ClaimFieldError } from './errors.js';
import type { DataSlot, Schema } from './schema.js';
import type { DecodedValue } from './types.js';

/**
 * A claim: 8 field elements, index part i0..i3 and value part v0..v3 (layout in docs/protocol.md).
 * Immutable; its two hashes are computed once on demand.
 */
export const SUBJECT_SELF = 0;
export const SUBJECT_INDEX = 2;
const HEADER_SHIFT = 128n;
const MASK_64 = (1n << 64n) - 1n;
const MASK_128 = (1n << 128n) - 1n;
const EXPIRATION_FLAG = 1n << 3n;
const REVISION_SHIFT = 4n;
/** Header bits 4-31: the claim's revision (docs/protocol.md). */
export const MAX_REVISION = 2 ** 28 - 1;

export type ClaimSlots = readonly [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint];

export interface ClaimInput {
  readonly schema: Schema;
  readonly data: Readonly<Record<string, unknown>>;
  /** The holder's identity as a field element; omitted for a claim about the issuer itself. */
  readonly subject?: bigint;
  readonly revocationNonce: bigint;
  /** Unix seconds; omitted or 0 means the claim never expires. */
  readonly expiration?: bigint | number;
  /**
   * 0 for the first claim of an index; a renewal carries the next revision, so it gets a new index (Hi) while
   * the revoked one stays in the claims tree.
   */
  readonly revision?: number;
}

export class Claim {
  #hi?: bigint;
  #hv?: bigint;

  private constructor(readonly slots: ClaimSlots) {}

  static create(input: ClaimInput): Claim {
    const data = input.schema.encode(input.data);
    const expiration = BigInt(input.expiration ?? 0);
    const nonce = input.revocationNonce;
    if (typeof nonce !== 'bigint' || nonce < 0n || nonce > MASK_64) throw new ClaimFieldError('revocationNonce', 'must be a 64-bit unsigned integer');
    if (expiration < 0n || expiration > MASK_64) throw new ClaimFieldError('expiration', 'must be 64-bit unix seconds');
    const subject = input.subject ?? 0n;
    if (subject !== 0n) assertFieldElement(subject, 'subject');
    const revision = input.revision ?? 0;
    if (!Number.isInteger(revision) || revision < 0 || revision > MAX_REVISION) throw new ClaimFieldError('revision', `must be an integer from 0 to ${MAX_REVISION}`);
    const header = BigInt(input.subject === undefined ? SUBJECT_SELF : SUBJECT_INDEX) | (expiration > 0n ? EXPIRATION_FLAG : 0n)
      | (BigInt(revision) << REVISION_SHIFT);
    const i0 = input.schema.hash | (header << HEADER_SHIFT);
    const v0 = nonce | (expiration << 64n);
    return new Claim([i0, subject, data.i2, data.i3, v0, data.v1, data.v2, data.v3]);
  }

  /** Rebuilds a claim from its 8 slots (e.g. received from an issuer), checking each is a field element. */
  static fromSlots(slots: readonly bigint[]): Claim {
    if (slots.length !== 8) throw new ClaimFieldError('slots', 'a claim has exactly 8 slots');
    slots.forEach((s, i) => assertFieldElement(s, `slots[${i}]`));
    return new Claim([...slots] as unknown as ClaimSlots);
  }

  get schemaHash(): bigint {
    return this.slots[0] & MASK_128;
  }
  get header(): bigint {
    return this.slots[0] >> HEADER_SHIFT;
  }
  get subjectPosition(): number {
    return Number(this.header & 7n);
  }
  /** The subject identity, or undefined for a self claim. */
  get subject(): bigint | undefined {
    return this.subjectPosition === SUBJECT_INDEX ? this.slots[1] : undefined;
  }
  get revocationNonce(): bigint {
    return this.slots[4] & MASK_64;
  }
  get revision(): number {
    return Number(this.header >> REVISION_SHIFT);
  }
  get hasExpiration(): boolean {
    return (this.header & EXPIRATION_FLAG) !== 0n;
  }
  /** Unix seconds, 0 when timeless. */
  get expiration(): bigint {
    return (this.slots[4] >> 64n) & MASK_64;
  }
  isExpiredAt(unixSeconds: bigint | number): boolean {
    return this.hasExpiration && BigInt(unixSeconds) >= this.expiration;
  }

  get dataSlots(): Record<DataSlot, bigint> {
    const [, , i2, i3, , v1, v2, v3] = this.slots;
    return { i2, i3, v1, v2, v3 };
  }

  decode(schema: Schema): Record<string, DecodedValue> {
    if (schema.hash !== this.schemaHash) throw new ClaimFieldError('schema', 'the claim is not of this schema');
    return schema.decode(this.dataSlots);
  }

  /** Hi = H(i0, i1, i2, i3): the claim's key in the issuer's claims tree. */
  get indexHash(): bigint {
    return (this.#hi ??= poseidon(this.slots.slice(0, 4)));
  }
  /** Hv = H(v0, v1, v2, v3). */
  get valueHash(): bigint {
    return (this.#hv ??= poseidon(this.slots.slice(4, 8)));
  }

  toJSON(): string[] {
    return this.slots.map((s) => s.toString());
  }
  static fromJSON(json: readonly string[]): Claim {
    if (!Array.isArray(json)) throw new ClaimFieldError('claim', 'expected an array of 8 decimal strings');
    return Claim.fromSlots(json.map((s, i) => {
      if (typeof s !== 'string' || !/^\d+$/.test(s)) throw new ClaimFieldError(`claim[${i}]`, 'expected a decimal string');
      return BigInt(s);
    }));
  }
}
