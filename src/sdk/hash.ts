import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, type Hex } from 'viem';

/** The documentHash a claim binds: sha-256 of the encrypted bytes (the digest of their raw CIDv1). */
export function sha256Hex(bytes: Uint8Array): Hex {
  return bytesToHex(sha256(bytes));
}
