import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as raw from 'multiformats/codecs/raw';
import { equalBytes } from '../crypto/bytes.js';

/**
 * Content-addressed byte storage. Blocks are named by CIDv1 with the raw codec (0x55) and a sha2-256
 * multihash: `put` computes the CID itself (a caller cannot file bytes under a wrong name) and `get`
 * re-hashes what it read, so a corrupted or substituted block is an error, never returned content.
 */
export interface Blockstore {
  put(bytes: Uint8Array): Promise<CID>;
  /** The bytes whose hash is `cid`; throws BlockNotFoundError, or BlockIntegrityError on a mismatch. */
  get(cid: CID): Promise<Uint8Array>;
  has(cid: CID): Promise<boolean>;
  /** Removes the block; deleting an absent block is not an error. */
  delete(cid: CID): Promise<void>;
}

export class BlockNotFoundError extends Error {
  override readonly name = 'BlockNotFoundError';
  constructor(readonly cid: CID) {
    super(`block not found: ${cid}`);
  }
}

export class BlockIntegrityError extends Error {
  override readonly name = 'BlockIntegrityError';
  constructor(readonly cid: CID, reason = 'content does not hash to its CID') {
    super(`block ${cid}: ${reason}`);
  }
}

/** Refuses CIDs this store does not speak (only raw + sha2-256 blocks are stored). */
export function checkBlockCid(cid: CID): CID {
  const c = CID.asCID(cid);
  if (!c || c.version !== 1 || c.code !== raw.code || c.multihash.code !== sha256.code) {
    throw new TypeError(`only CIDv1 raw sha2-256 blocks are stored: ${String(cid)}`);
  }
  return c;
}

export async function blockCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(raw.code, await sha256.digest(bytes));
}

/** Throws BlockIntegrityError unless `bytes` hash to `cid`. */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<Uint8Array> {
  const digest = await sha256.digest(bytes);
  if (!equalBytes(digest.digest, cid.multihash.digest)) throw new BlockIntegrityError(cid);
  return bytes;
}

/** For tests and caches: the same contract, in memory. */
export class MemoryBlockstore implements Blockstore {
  readonly #blocks = new Map<string, Uint8Array>();

  async put(bytes: Uint8Array): Promise<CID> {
    const cid = await blockCid(bytes);
    this.#blocks.set(cid.toString(), Uint8Array.from(bytes));
    return cid;
  }

  async get(cid: CID): Promise<Uint8Array> {
    const c = checkBlockCid(cid);
    const bytes = this.#blocks.get(c.toString());
    if (!bytes) throw new BlockNotFoundError(c);
    return verifyBlock(c, Uint8Array.from(bytes));
  }

  async has(cid: CID): Promise<boolean> {
    return this.#blocks.has(checkBlockCid(cid).toString());
  }

  async delete(cid: CID): Promise<void> {
    this.#blocks.delete(checkBlockCid(cid).toString());
  }

  /** Test hook: overwrite a block's stored bytes without changing its name. */
  tamper(cid: CID, bytes: Uint8Array): void {
    this.#blocks.set(cid.toString(), Uint8Array.from(bytes));
  }
}
