import { bytesToHex, hexToBytes, type Hex } from 'viem';
import { create as createDigest } from 'multiformats/hashes/digest';
import { sha256 as sha256Sync } from '@noble/hashes/sha2.js';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';

/**
 * The two names of a stored document. The CID (CIDv1, raw codec, sha2-256) addresses it in a
 * blockstore; the claim on chain holds the same SHA-256 digest as a bytes32 (`ClaimData.documentHash`).
 * One digest for both means one hashing pass per fetch: SHA-256 runs ~50x faster than keccak256 in
 * JavaScript here, and the contracts only compare the 32 bytes, never hash documents themselves.
 */
export function documentHash(bytes: Uint8Array): Hex {
  return bytesToHex(sha256Sync(bytes));
}

/** The on-chain document hash a CID stands for (its sha2-256 digest), without fetching anything. */
export function cidDocumentHash(cid: CID): Hex {
  if (cid.multihash.code !== sha256.code) throw new TypeError(`CID ${cid} is not sha2-256`);
  return bytesToHex(cid.multihash.digest);
}

export async function documentCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes));
}

/** The CID (raw, sha2-256) of bytes whose SHA-256 is `digest`: what a bytes32 on chain names in a blockstore. */
export function cidOfDigest(digest: Hex): CID {
  const bytes = hexToBytes(digest);
  if (bytes.length !== 32) throw new TypeError('a sha2-256 digest is 32 bytes');
  return CID.createV1(raw.code, createDigest(sha256.code, bytes));
}
