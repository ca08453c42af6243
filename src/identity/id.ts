import { base58btc } from 'multiformats/bases/base58';
import { bigintToBytesLE, bytesToBigintLE, concatBytes } from '../crypto/bytes.js';
import { assertFieldElement } from '../crypto/field.js';

/**
 * The identity identifier: 31 bytes = type (2) || genesis (27) || checksum (2), fixed by the first
 * state of the identity (docs/protocol.md). Fits in a field element, so circuits and claims carry it.
 */
export const ID_LENGTH = 31;
export const ID_METHOD_BYTE = 0x4d; // 'M'
export const DID_PREFIX = 'did:masque:';

export enum Network {
  Test = 0x00,
  Main = 0x01,
}

export class IdError extends Error {
  override readonly name = 'IdError';
}

export interface Id {
  readonly bytes: Uint8Array;
  /** The 31 bytes read little-endian: what claims (slot i1) and circuits carry. */
  readonly bigint: bigint;
  /** base58btc of the bytes. */
  readonly string: string;
  readonly did: string;
  readonly network: Network;
}

function checksum(typeAndGenesis: Uint8Array): Uint8Array {
  let sum = 0;
  for (const b of typeAndGenesis) sum += b;
  return Uint8Array.of(sum & 0xff, (sum >> 8) & 0xff);
}

function fromBytes(bytes: Uint8Array): Id {
  if (bytes.length !== ID_LENGTH) throw new IdError(`an ID is ${ID_LENGTH} bytes`);
  if (bytes[0] !== ID_METHOD_BYTE) throw new IdError('not a Masque ID (type byte)');
  const expected = checksum(bytes.subarray(0, 29));
  if (bytes[29] !== expected[0] || bytes[30] !== expected[1]) throw new IdError('bad ID checksum');
  const copy = Uint8Array.from(bytes);
  const string = base58btc.baseEncode(copy);
  return { bytes: copy, bigint: bytesToBigintLE(copy), string, did: DID_PREFIX + string, network: copy[1] as Network };
}

/** The genesis ID of an identity whose first state is `genesisState`. */
export function idFromGenesisState(genesisState: bigint, network: Network = Network.Test): Id {
  assertFieldElement(genesisState, 'genesisState');
  const stateBytes = bigintToBytesLE(genesisState, 32);
  const typeAndGenesis = concatBytes(Uint8Array.of(ID_METHOD_BYTE, network), stateBytes.subarray(5));
  return fromBytes(concatBytes(typeAndGenesis, checksum(typeAndGenesis)));
}

/** True when `id` is the genesis ID of `state` (what the first state transition checks). */
export function isGenesisOf(id: Id, state: bigint): boolean {
  return idFromGenesisState(state, id.network).bigint === id.bigint;
}

export function parseId(value: string | bigint | Uint8Array): Id {
  if (value instanceof Uint8Array) return fromBytes(value);
  if (typeof value === 'bigint') {
    if (value < 0n || value >= 1n << 248n) throw new IdError('an ID is a 248-bit integer');
    return fromBytes(bigintToBytesLE(value, ID_LENGTH));
  }
  if (typeof value !== 'string') throw new IdError('expected an ID string, DID, bigint or bytes');
  const text = value.startsWith(DID_PREFIX) ? value.slice(DID_PREFIX.length) : value;
  let bytes: Uint8Array;
  try {
    bytes = base58btc.baseDecode(text);
  } catch {
    throw new IdError('an ID string is base58btc');
  }
  return fromBytes(bytes);
}
