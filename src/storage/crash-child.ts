/**
 * Helper process for the kill -9 test of FsBlockstore (not a test itself): puts random blocks into
 * the store at argv[2] forever and prints each CID only after its put resolved (= acknowledged).
 */
import { randomBytes } from 'node:crypto';
import { FsBlockstore } from './fs.js';

const store = await FsBlockstore.open(process.argv[2]);
const size = Number(process.argv[3] ?? 262144);
for (;;) {
  const cid = await store.put(randomBytes(size));
  process.stdout.write(`${cid}\n`);
}
