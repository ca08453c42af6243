import { blake512 } from '@noble/hashes/blake1.js';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { assertFieldElement } from './field.js';
import { poseidon } from './poseidon.js';
import {
  SUBGROUP_ORDER, mulBase8, mulSubgroupPoint, packPoint, toAffine, toPoint, unpackPoint, isInSubgroup,
  type AffinePoint,
} from './babyjub.js';
import { bigintToBytesLE, bytesToBigintLE, concatBytes } from './bytes.js';

/**
 * EdDSA over Baby Jubjub with Poseidon as the challenge hash, exactly circomlib's `signPoseidon` /
 * `verifyPoseidon` and its `EdDSAPoseidonVerifier` template: a signature made here verifies in the
 * circuit and in circomlibjs, and the other way round.
 */
export interface Signature {
  readonly R8: AffinePoint;
  readonly S: bigint;
}

export type PrivateKey = Uint8Array; // 32 bytes, as circomlib

/** circomlib prunes the first half of BLAKE-512(private key) into the secret scalar. */
function secretScalar(privateKey: PrivateKey): { s: bigint; prefix: Uint8Array } {
  if (!(privateKey instanceof Uint8Array) || privateKey.length !== 32) {
    throw new TypeError('privateKey must be 32 bytes');
  }
  const h = blake512(privateKey);
  const sBytes = h.slice(0, 32);
  sBytes[0] &= 0xf8;
  sBytes[31] &= 0x7f;
  sBytes[31] |= 0x40;
  return { s: bytesToBigintLE(sBytes), prefix: h.slice(32, 64) };
}

/**
 * Deterministic private key number `index` from a seed (>= 16 bytes), so one backed-up seed yields
 * every key of a wallet. HKDF-SHA256 keeps keys for different indexes independent.
 */
export function privateKeyFromSeed(seed: Uint8Array, index = 0): PrivateKey {
  if (!(seed instanceof Uint8Array) || seed.length < 16) throw new TypeError('seed must be at least 16 bytes');
  if (!Number.isInteger(index) || index < 0) throw new RangeError('index must be a non-negative integer');
  return hkdf(sha256, seed, utf8ToBytes('masque/babyjubjub'), utf8ToBytes(`key/${index}`), 32);
}

/**
 * The scalar k with publicKey = k * Base8 (circomlib's BabyPbk input): what a prover shows it knows when it
 * proves ownership of a key without signing (circuits/lib/identity.circom, AuthKeyKnown).
 */
export function keyScalar(privateKey: PrivateKey): bigint {
  return secretScalar(privateKey).s >> 3n;
}

export function publicKey(privateKey: PrivateKey): AffinePoint {
  return toAffine(mulBase8(keyScalar(privateKey)));
}

export function sign(privateKey: PrivateKey, message: bigint): Signature {
  assertFieldElement(message, 'message');
  const { s, prefix } = secretScalar(privateKey);
  const A = toAffine(mulBase8(s >> 3n));
  const r = bytesToBigintLE(blake512(concatBytes(prefix, bigintToBytesLE(message, 32)))) % SUBGROUP_ORDER;
  const R8 = toAffine(mulBase8(r));
  const hm = poseidon([R8.x, R8.y, A.x, A.y, message]);
  return { R8, S: (r + hm * s) % SUBGROUP_ORDER };
}

/** Checks 8*S*Base8 == 8*R8 + 8*hm*A as circomlib does; never throws on malformed input. */
export function verify(message: bigint, signature: Signature, key: AffinePoint): boolean {
  try {
    assertFieldElement(message, 'message');
    if (signature.S < 0n || signature.S >= SUBGROUP_ORDER) return false;
    if (!isInSubgroup(key)) return false;
    const R8 = toPoint(signature.R8);
    const A = toPoint(key);
    const hm = poseidon([signature.R8.x, signature.R8.y, key.x, key.y, message]);
    const left = mulBase8(signature.S);
    const right = R8.add(mulSubgroupPoint(A, 8n * hm)); // A is in the subgroup: checked above
    return left.equals(right);
  } catch {
    return false;
  }
}

/** circomlib's `packSignature`: packed R8 (32 bytes) || S little-endian (32 bytes). */
export function packSignature(signature: Signature): Uint8Array {
  return concatBytes(packPoint(signature.R8), bigintToBytesLE(signature.S, 32));
}

export function unpackSignature(bytes: Uint8Array): Signature {
  if (bytes.length !== 64) throw new RangeError('a packed signature is 64 bytes');
  return { R8: unpackPoint(bytes.slice(0, 32)), S: bytesToBigintLE(bytes.slice(32)) };
}
