import { mkdir, open, readdir, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { CID } from 'multiformats/cid';
import { BlockNotFoundError, blockCid, checkBlockCid, verifyBlock, type Blockstore } from './blockstore.js';

/**
 * Blocks as files: `<root>/<shard>/<cid>`, shard = the first two hex digits of the sha2-256 digest
 * (256 directories; a million blocks is ~4k files a directory).
 *
 * A put is acknowledged only once durable: write a temp file in the shard, fsync it, rename it onto
 * the final name, fsync the shard directory (and the root when the shard was just made). A crash,
 * kill -9 included, leaves either no file or the whole block under its name, never a torn one;
 * leftover temp files are swept by `open`. Reads re-hash, so a block damaged on disk is an error.
 */
const TEMP_PREFIX = '.tmp-';

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

async function fsyncDir(path: string): Promise<void> {
  const dir = await open(path, 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}

function isNotFound(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export class FsBlockstore implements Blockstore {
  private constructor(readonly root: string) {}

  /**
   * Opens (creating if needed) a store rooted at `root` and removes temp files a crash left behind: those older than
   * `staleTempMs`, since node replicas sharing the folder may be writing the younger ones right now.
   */
  static async open(root: string, staleTempMs = 3_600_000): Promise<FsBlockstore> {
    await mkdir(root, { recursive: true });
    const store = new FsBlockstore(root);
    for (const shard of await readdir(root)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(root, shard))) {
        if (!name.startsWith(TEMP_PREFIX)) continue;
        const path = join(root, shard, name);
        const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
        if (age >= staleTempMs) await rm(path, { force: true });
      }
    }
    return store;
  }

  private location(cid: CID): { dir: string; file: string } {
    const c = checkBlockCid(cid);
    const dir = join(this.root, hex(c.multihash.digest.subarray(0, 1)));
    return { dir, file: join(dir, c.toString()) };
  }

  async put(bytes: Uint8Array): Promise<CID> {
    const cid = await blockCid(bytes);
    const { dir, file } = this.location(cid);
    // An existing, intact block is already durable; a damaged one is rewritten below.
    try {
      await verifyBlock(cid, new Uint8Array(await readFile(file)));
      return cid;
    } catch {
      /* absent or damaged */
    }
    const created = await mkdir(dir, { recursive: true });
    const temp = join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    const handle = await open(temp, 'wx', 0o644);
    try {
      let offset = 0;
      while (offset < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
        offset += bytesWritten;
      }
      await handle.sync();
    } catch (e) {
      await handle.close().catch(() => {});
      await rm(temp, { force: true });
      throw e;
    }
    await handle.close();
    await rename(temp, file);
    await fsyncDir(dir);
    if (created) await fsyncDir(this.root);
    return cid;
  }

  async get(cid: CID): Promise<Uint8Array> {
    const { file } = this.location(cid);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      if (isNotFound(e)) throw new BlockNotFoundError(cid);
      throw e;
    }
    return verifyBlock(cid, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  }

  async has(cid: CID): Promise<boolean> {
    const { file } = this.location(cid);
    try {
      await (await open(file, 'r')).close();
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  async delete(cid: CID): Promise<void> {
    const { dir, file } = this.location(cid);
    try {
      await unlink(file);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    await fsyncDir(dir);
  }
}
