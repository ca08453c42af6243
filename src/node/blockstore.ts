// Content-addressed, durable file-system store for encrypted document blocks (CIDv1, raw codec, sha2-256).
// A block is written to a temp file, fsynced and renamed, so a kill -9 leaves either the whole block or none.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CID } from 'multiformats/cid';
import * as raw from 'multiformats/codecs/raw';
import { sha256 } from 'multiformats/hashes/sha2';
import { writeFileDurable } from './datadir.js';

export interface PutResult { cid: string; digest: `0x${string}`; size: number }

export async function cidOf(bytes: Uint8Array): Promise<{ cid: CID; digest: `0x${string}` }> {
  const mh = await sha256.digest(bytes);
  return { cid: CID.createV1(raw.code, mh), digest: `0x${Buffer.from(mh.digest).toString('hex')}` };
}

export class FsBlockstore {
  constructor(private readonly dir: string) {}

  private path(cid: string): string {
    // CIDv1 base32 strings are [a-z2-7]: safe as file names, no traversal.
    if (!/^b[a-z2-7]+$/.test(cid)) throw new Error(`not a base32 CIDv1: ${cid}`);
    return join(this.dir, cid);
  }

  async put(bytes: Uint8Array): Promise<PutResult> {
    const { cid, digest } = await cidOf(bytes);
    const s = cid.toString();
    const p = this.path(s);
    if (!existsSync(p)) writeFileDurable(p, bytes, 0o600);
    return { cid: s, digest, size: bytes.length };
  }

  /** The stored bytes as they are on disk, unverified: the caller checks them against the chain. */
  get(cid: string): Uint8Array | undefined {
    const p = this.path(cid);
    return existsSync(p) ? new Uint8Array(readFileSync(p)) : undefined;
  }

  has(cid: string): boolean {
    return existsSync(this.path(cid));
  }
}
