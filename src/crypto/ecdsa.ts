import { bytesToBigintBE } from './bytes.js';

/** secp256k1 group order n, and n / 2: the bound on s that OpenZeppelin's ECDSA (and our contracts) enforce. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
export const SECP256K1_HALF_N = SECP256K1_N >> 1n;

/**
 * Whether a 65-byte `r || s || v` secp256k1 signature is in the one canonical form Ethereum contracts accept:
 * 0 < r < n, 0 < s <= n/2 (low s), v in {27, 28}. Each signature has a malleable twin (n - s, v flipped) that
 * recovers the same address; refusing the twin means one message has one accepted signature, as on chain.
 */
export function isCanonicalEcdsaSignature(signature: Uint8Array): boolean {
  if (signature.length !== 65) return false;
  const r = bytesToBigintBE(signature.subarray(0, 32));
  const s = bytesToBigintBE(signature.subarray(32, 64));
  const v = signature[64];
  return r > 0n && r < SECP256K1_N && s > 0n && s <= SECP256K1_HALF_N && (v === 27 || v === 28);
}
