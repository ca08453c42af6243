import countries from 'i18n-iso-countries';
import { FIELD_MODULUS } from '../crypto/field.js';
import { poseidon } from '../crypto/poseidon.js';
import { bytesToBigintBE } from '../crypto/bytes.js';
import { ClaimFieldError } from './errors.js';

/**
 * Typed encodings of data slot values into field elements. Every encoding keeps the order that a
 * verifier's LESS THAN / GREATER THAN / IN RANGE queries rely on (integers, dates, timestamps), or is
 * an exact code for EQUAL / IN (booleans, countries, enums, hashed strings).
 */
export type FieldType = 'integer' | 'boolean' | 'date' | 'timestamp' | 'country' | 'string' | 'enum' | 'field';

export interface FieldSpec {
  readonly type: FieldType;
  /** integer: largest accepted value, defaults to 2^64 - 1. */
  readonly maximum?: number | string;
  /** enum: the allowed values, encoded as their position. */
  readonly values?: readonly string[];
}

export type DecodedValue = bigint | boolean | string;

const MAX_SAFE_SLOT = (1n << 253n) - 1n; // slots keep below r: 253 usable bits
const DEFAULT_INTEGER_MAX = (1n << 64n) - 1n;
const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MAX_STRING_BYTES = 31 * 15 * 8;

function toInteger(value: unknown, field: string): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new ClaimFieldError(field, 'expected a safe integer');
    return BigInt(value);
  }
  if (typeof value === 'string' && /^(0|[1-9]\d*)$/.test(value)) return BigInt(value);
  throw new ClaimFieldError(field, 'expected a non-negative integer');
}

/** Dates become the integer YYYYMMDD, so date order is integer order and circuits compare them directly. */
function encodeDate(value: unknown, field: string): bigint {
  const m = typeof value === 'string' ? DATE_RE.exec(value) : null;
  if (!m) throw new ClaimFieldError(field, 'expected a date YYYY-MM-DD');
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new ClaimFieldError(field, 'not a calendar date');
  }
  return BigInt(y * 10000 + mo * 100 + d);
}

function decodeDate(value: bigint): string {
  const n = Number(value);
  const y = Math.floor(n / 10000);
  const mo = Math.floor(n / 100) % 100;
  const d = n % 100;
  return `${String(y).padStart(4, '0')}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** ISO 3166-1 alpha-2 or alpha-3 code in, ISO 3166-1 numeric code out (the same code ERC-3643 registries use). */
function encodeCountry(value: unknown, field: string): bigint {
  if (typeof value === 'string') {
    const code = value.toUpperCase();
    const numeric = code.length === 2 ? countries.alpha2ToNumeric(code) : code.length === 3 ? countries.alpha3ToNumeric(code) : undefined;
    if (numeric) return BigInt(numeric);
  }
  throw new ClaimFieldError(field, 'expected an ISO 3166-1 alpha-2 or alpha-3 country code');
}

export function countryToNumeric(code: string): number {
  return Number(encodeCountry(code, 'country'));
}

/**
 * A string hashed into the field: UTF-8 bytes cut in 31-byte big-endian chunks, absorbed 15 at a time
 * by Poseidon, the first call prefixed by the byte length so that "a" and "a\0" differ. One way:
 * verifiers hash the candidate values the same way for EQUAL / IN queries.
 */
export function hashString(value: string): bigint {
  const bytes = new TextEncoder().encode(value);
  if (bytes.length > MAX_STRING_BYTES) throw new RangeError(`strings are limited to ${MAX_STRING_BYTES} bytes`);
  const chunks: bigint[] = [];
  for (let i = 0; i < bytes.length; i += 31) chunks.push(bytesToBigintBE(bytes.subarray(i, i + 31)));
  let state = poseidon([BigInt(bytes.length), ...chunks.slice(0, 15)]);
  for (let i = 15; i < chunks.length; i += 15) state = poseidon([state, ...chunks.slice(i, i + 15)]);
  return state;
}

export function encodeValue(spec: FieldSpec, value: unknown, field: string): bigint {
  switch (spec.type) {
    case 'integer': {
      const n = toInteger(value, field);
      const max = spec.maximum === undefined ? DEFAULT_INTEGER_MAX : BigInt(spec.maximum);
      if (n < 0n || n > max) throw new ClaimFieldError(field, `must be between 0 and ${max}`);
      return n;
    }
    case 'timestamp': {
      const n = toInteger(value, field);
      if (n < 0n || n > DEFAULT_INTEGER_MAX) throw new ClaimFieldError(field, 'expected unix seconds (64-bit)');
      return n;
    }
    case 'boolean':
      if (typeof value !== 'boolean') throw new ClaimFieldError(field, 'expected a boolean');
      return value ? 1n : 0n;
    case 'date':
      return encodeDate(value, field);
    case 'country':
      return encodeCountry(value, field);
    case 'string':
      if (typeof value !== 'string') throw new ClaimFieldError(field, 'expected a string');
      try {
        return hashString(value);
      } catch (e) {
        throw new ClaimFieldError(field, (e as Error).message);
      }
    case 'enum': {
      const index = spec.values?.indexOf(value as string) ?? -1;
      if (index < 0) throw new ClaimFieldError(field, `expected one of ${spec.values?.join(', ')}`);
      return BigInt(index);
    }
    case 'field': {
      const n = toInteger(value, field);
      if (n > MAX_SAFE_SLOT || n >= FIELD_MODULUS) throw new ClaimFieldError(field, 'must be below 2^253');
      return n;
    }
  }
}

/** The inverse of encodeValue; hashed strings come back as their hash (a bigint). */
export function decodeValue(spec: FieldSpec, slot: bigint): DecodedValue {
  switch (spec.type) {
    case 'boolean':
      return slot === 1n;
    case 'date':
      return decodeDate(slot);
    case 'country':
      return countries.numericToAlpha2(String(slot).padStart(3, '0')) ?? String(slot);
    case 'enum':
      return spec.values?.[Number(slot)] ?? String(slot);
    default:
      return slot;
  }
}
