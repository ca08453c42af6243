import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBigintBE } from '../crypto/bytes.js';
import { ClaimFieldError } from './errors.js';
import { encodeValue, decodeValue, type FieldSpec, type FieldType, type DecodedValue } from './types.js';

/** The five slots a schema may fill (i0, i1 and v0 are reserved for the header, subject and nonce/expiry). */
export const DATA_SLOTS = ['i2', 'i3', 'v1', 'v2', 'v3'] as const;
export type DataSlot = (typeof DATA_SLOTS)[number];

const FIELD_TYPES: readonly FieldType[] = ['integer', 'boolean', 'date', 'timestamp', 'country', 'string', 'enum', 'field'];
const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

export interface SchemaFieldDefinition extends FieldSpec {
  readonly name: string;
  /** Index slots (i2, i3) make the claim unique per value; value slots (v1..v3) may change on renewal. */
  readonly slot: DataSlot;
  readonly description?: string;
}

export interface SchemaDefinition {
  readonly name: string;
  readonly version: string;
  readonly description?: string;
  readonly fields: readonly SchemaFieldDefinition[];
}

export interface Schema {
  readonly definition: SchemaDefinition;
  /** 128-bit hash of the canonical JSON definition: what i0 carries and what verifiers ask for. */
  readonly hash: bigint;
  /** Encodes `data` (one entry per field, none missing, none extra) into slot values. */
  encode(data: Readonly<Record<string, unknown>>): Record<DataSlot, bigint>;
  decode(slots: Readonly<Record<DataSlot, bigint>>): Record<string, DecodedValue>;
  /** Encodes one field's value, e.g. for a query bound: `schema.encodeField('birthDate', '2006-01-01')`. */
  encodeField(name: string, value: unknown): bigint;
  /** Slot number (0..7, as queries and circuits count them) of a named field. */
  slotIndex(name: string): number;
}

/** JSON with object keys sorted and no whitespace, so equal definitions always hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function schemaHash(definition: SchemaDefinition): bigint {
  const digest = sha256(new TextEncoder().encode(canonicalJson(definition)));
  return bytesToBigintBE(digest.subarray(0, 16));
}

export const SLOT_INDEX: Readonly<Record<DataSlot, number>> = { i2: 2, i3: 3, v1: 5, v2: 6, v3: 7 };

function validateDefinition(def: SchemaDefinition): void {
  if (typeof def?.name !== 'string' || !def.name) throw new ClaimFieldError('schema.name', 'required');
  if (typeof def.version !== 'string' || !def.version) throw new ClaimFieldError('schema.version', 'required');
  if (!Array.isArray(def.fields)) throw new ClaimFieldError('schema.fields', 'must be an array');
  const names = new Set<string>();
  const slots = new Set<string>();
  def.fields.forEach((f, i) => {
    const where = `schema.fields[${i}]`;
    if (typeof f.name !== 'string' || !NAME_RE.test(f.name)) throw new ClaimFieldError(`${where}.name`, 'must match [A-Za-z][A-Za-z0-9_]*');
    if (names.has(f.name)) throw new ClaimFieldError(`${where}.name`, `duplicate field "${f.name}"`);
    if (!DATA_SLOTS.includes(f.slot)) throw new ClaimFieldError(`${where}.slot`, `must be one of ${DATA_SLOTS.join(', ')}`);
    if (slots.has(f.slot)) throw new ClaimFieldError(`${where}.slot`, `slot ${f.slot} is used twice`);
    if (!FIELD_TYPES.includes(f.type)) throw new ClaimFieldError(`${where}.type`, `must be one of ${FIELD_TYPES.join(', ')}`);
    if (f.type === 'enum' && (!Array.isArray(f.values) || f.values.length === 0)) {
      throw new ClaimFieldError(`${where}.values`, 'an enum needs its values');
    }
    names.add(f.name);
    slots.add(f.slot);
  });
}

export function defineSchema(definition: SchemaDefinition): Schema {
  validateDefinition(definition);
  const frozen = JSON.parse(JSON.stringify(definition)) as SchemaDefinition;
  const byName = new Map(frozen.fields.map((f) => [f.name, f]));
  const field = (name: string) => {
    const f = byName.get(name);
    if (!f) throw new ClaimFieldError(name, `not a field of schema ${frozen.name}`);
    return f;
  };
  return {
    definition: frozen,
    hash: schemaHash(frozen),
    encode(data) {
      const slots: Record<DataSlot, bigint> = { i2: 0n, i3: 0n, v1: 0n, v2: 0n, v3: 0n };
      for (const key of Object.keys(data)) field(key);
      for (const f of frozen.fields) {
        if (!(f.name in data) || data[f.name] === undefined) throw new ClaimFieldError(f.name, 'missing');
        slots[f.slot] = encodeValue(f, data[f.name], f.name);
      }
      return slots;
    },
    decode(slots) {
      return Object.fromEntries(frozen.fields.map((f) => [f.name, decodeValue(f, slots[f.slot])]));
    },
    encodeField(name, value) {
      return encodeValue(field(name), value, name);
    },
    slotIndex(name) {
      return SLOT_INDEX[field(name).slot];
    },
  };
}
