import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { base58btc } from 'multiformats/bases/base58';
import { varint } from 'multiformats';
import { DidError } from './errors.js';

/**
 * did:key: `did:key:z<base58btc(varint(multicodec) || public key)>`. Two key types matter here:
 * ML-KEM-768 public keys (multicodec `mlkem-768-pub`, 0x120c) name document recipients, and Ed25519
 * keys (`ed25519-pub`, 0xed) can sign UCANs. An ML-KEM key cannot sign, so it is never a UCAN issuer.
 */
export const MULTICODEC = {
  'mlkem-768-pub': 0x120c,
  'ed25519-pub': 0xed,
} as const;

export type DidKeyType = keyof typeof MULTICODEC;

const KEY_LENGTH: Record<DidKeyType, number> = {
  'mlkem-768-pub': 1184,
  'ed25519-pub': 32,
};

export interface DidKey {
  readonly type: DidKeyType;
  readonly publicKey: Uint8Array;
}

const PREFIX = 'did:key:';

export function formatDidKey(type: DidKeyType, publicKey: Uint8Array): string {
  const code = MULTICODEC[type];
  if (code === undefined) throw new TypeError(`unsupported key type: ${type}`);
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== KEY_LENGTH[type]) {
    throw new TypeError(`${type} public key must be ${KEY_LENGTH[type]} bytes`);
  }
  const prefixLength = varint.encodingLength(code);
  const bytes = new Uint8Array(prefixLength + publicKey.length);
  varint.encodeTo(code, bytes, 0);
  bytes.set(publicKey, prefixLength);
  return PREFIX + base58btc.encode(bytes);
}

// base58 is quadratic in the length: an ML-KEM did:key (~1.6k chars) costs milliseconds to decode,
// and an envelope names its recipient several times, so parsed keys are kept (bounded, copied out).
const parsed = new Map<string, DidKey>();
const PARSED_MAX = 512;

export function parseDidKey(did: string): DidKey {
  const hit = parsed.get(did);
  if (hit) return { type: hit.type, publicKey: hit.publicKey.slice() };
  const key = decodeDidKey(did);
  if (parsed.size >= PARSED_MAX) parsed.delete(parsed.keys().next().value as string);
  parsed.set(did, { type: key.type, publicKey: key.publicKey.slice() });
  return key;
}

function decodeDidKey(did: string): DidKey {
  if (typeof did !== 'string' || !did.startsWith(`${PREFIX}z`)) throw new DidError(String(did), 'not a base58btc did:key');
  let bytes: Uint8Array;
  try {
    bytes = base58btc.decode(did.slice(PREFIX.length));
  } catch {
    throw new DidError(did, 'bad base58btc');
  }
  let code: number;
  let offset: number;
  try {
    [code, offset] = varint.decode(bytes);
  } catch {
    throw new DidError(did, 'bad multicodec varint');
  }
  // Minimal varint only: a padded prefix would give one key two DID strings.
  if (offset !== varint.encodingLength(code)) throw new DidError(did, 'non-minimal multicodec varint');
  const type = (Object.keys(MULTICODEC) as DidKeyType[]).find((t) => MULTICODEC[t] === code);
  if (!type) throw new DidError(did, `unsupported multicodec 0x${code.toString(16)}`);
  const publicKey = bytes.slice(offset);
  if (publicKey.length !== KEY_LENGTH[type]) throw new DidError(did, `${type} key must be ${KEY_LENGTH[type]} bytes, got ${publicKey.length}`);
  return { type, publicKey };
}

export function mlKemDid(publicKey: Uint8Array): string {
  return formatDidKey('mlkem-768-pub', publicKey);
}

/** The ML-KEM-768 encapsulation key a did:key names; refuses any other key type. */
export function mlKemPublicKeyFromDid(did: string): Uint8Array {
  const key = parseDidKey(did);
  if (key.type !== 'mlkem-768-pub') throw new DidError(did, `expected an mlkem-768-pub key, got ${key.type}`);
  return key.publicKey;
}

/**
 * The ERC-734 key (bytes32) of an ML-KEM-768 encryption key on an identity (purpose 4): SHA-256 of its 1184-byte
 * public key. The same digest names the public key's bytes in a blockstore (CIDv1 raw sha2-256), so a resolver
 * turns the on-chain key back into the did:key with one block read and no registry of its own.
 */
export function mlKemKeyId(did: string): `0x${string}` {
  return `0x${bytesToHex(sha256(mlKemPublicKeyFromDid(did)))}`;
}

export function ed25519Did(publicKey: Uint8Array): string {
  return formatDidKey('ed25519-pub', publicKey);
}
