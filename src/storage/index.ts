export {
  type Blockstore,
  BlockNotFoundError,
  BlockIntegrityError,
  MemoryBlockstore,
  blockCid,
  checkBlockCid,
  verifyBlock,
} from './blockstore.js';
export { FsBlockstore } from './fs.js';
export { KuboBlockstore, KuboError, type KuboOptions } from './kubo.js';
export { writeFileDurably, fsyncDirectory } from './durable-file.js';
