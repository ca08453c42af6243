import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import { hexToBytes, isHex, type Address, type Hex } from 'viem';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256 as sha256Sync } from '@noble/hashes/sha2.js';
import { concatBytes, bigintToBytesBE } from '../crypto/bytes.js';
import { checksumAddress } from '../did/pkh.js';
import { mlKemPublicKeyFromDid } from '../did/key.js';

/** The claim a document belongs to: which identity contract, which topic, on which chain. */
export interface ClaimContext {
  readonly chainId: number;
  /** The identity (ONCHAINID) contract address. */
  readonly identity: Address;
  /** The claim topic, a uint256 on chain. */
  readonly topic: bigint;
}

/** Everything a key envelope is bound to: the claim, the exact stored document, and its one recipient. */
export interface EnvelopeContext extends ClaimContext {
  /** SHA-256 of the stored document bytes (the CID digest), as held in the claim data on chain. */
  readonly documentHash: Hex;
  /** CIDv1 (raw, sha2-256) of the stored document bytes, base32 string form. */
  readonly cid: string;
  /** did:key (mlkem-768-pub) of the only party that can open the envelope. */
  readonly recipient: string;
}

const MAX_UINT256 = (1n << 256n) - 1n;

export function normalizeClaimContext(ctx: ClaimContext): ClaimContext {
  if (!Number.isSafeInteger(ctx.chainId) || ctx.chainId <= 0) throw new TypeError(`bad chain id: ${ctx.chainId}`);
  if (typeof ctx.topic !== 'bigint' || ctx.topic < 0n || ctx.topic > MAX_UINT256) throw new TypeError('topic must be a uint256 bigint');
  return { chainId: ctx.chainId, identity: checksumAddress(ctx.identity), topic: ctx.topic };
}

/** Parses a document CID and insists on the one form documents are stored under. */
export function parseDocumentCid(cid: string | CID): CID {
  const parsed = typeof cid === 'string' ? CID.parse(cid) : CID.asCID(cid);
  if (!parsed || parsed.version !== 1 || parsed.code !== raw.code || parsed.multihash.code !== sha256.code) {
    throw new TypeError(`document CIDs are CIDv1 raw sha2-256: ${String(cid)}`);
  }
  return parsed;
}

export function normalizeEnvelopeContext(ctx: EnvelopeContext): EnvelopeContext {
  const claim = normalizeClaimContext(ctx);
  if (!isHex(ctx.documentHash, { strict: true }) || ctx.documentHash.length !== 66) throw new TypeError('documentHash must be a 0x-prefixed bytes32');
  mlKemPublicKeyFromDid(ctx.recipient);
  return {
    ...claim,
    documentHash: ctx.documentHash.toLowerCase() as Hex,
    cid: parseDocumentCid(ctx.cid).toString(),
    recipient: ctx.recipient,
  };
}

function u64(n: number): Uint8Array {
  return bigintToBytesBE(BigInt(n), 8);
}

/** Associated data of a document ciphertext: binds it to its claim. */
export function claimContextBytes(ctx: ClaimContext): Uint8Array {
  const c = normalizeClaimContext(ctx);
  return concatBytes(utf8ToBytes('masque/document/v1'), u64(c.chainId), hexToBytes(c.identity), bigintToBytesBE(c.topic, 32));
}

/** HPKE `info` of a key envelope: binds the wrapped key to claim, document and recipient. */
export function envelopeInfo(ctx: EnvelopeContext): Uint8Array {
  const c = normalizeEnvelopeContext(ctx);
  const cidBytes = CID.parse(c.cid).bytes;
  return concatBytes(
    utf8ToBytes('masque/key-envelope/v1'),
    u64(c.chainId),
    hexToBytes(c.identity),
    bigintToBytesBE(c.topic, 32),
    hexToBytes(c.documentHash),
    bigintToBytesBE(BigInt(cidBytes.length), 2),
    cidBytes,
    sha256Sync(mlKemPublicKeyFromDid(c.recipient)),
  );
}
