import { keccak256, type Hex } from 'viem';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';

/**
 * The two names of a stored document. The CID (CIDv1, raw codec, sha2-256) addresses it in a
 * blockstore; the keccak256 of the same bytes, a bytes32, is what the claim holds on chain
 * (`ClaimData.documentHash`), because Solidity compares keccak256 natively.
 */
export function documentHash(bytes: Uint8Array): Hex {
  return keccak256(bytes);
}

export async function documentCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes));
}
