import type { SmtNode } from './node.js';

/** One entry of a tree's root history: every committed root gets the next sequence number. */
export interface RootRecord {
  readonly seq: number;
  readonly root: bigint;
  /** Milliseconds since the Unix epoch, when the root was committed. */
  readonly timestamp: number;
}

/**
 * Persistence for one tree: a content-addressed node map (hash -> node, never overwritten nor deleted,
 * so every historical root stays readable) and the tree's root history.
 *
 * Synchronous on purpose. Every operation walks up to D nodes one after the other, each read depending on the
 * previous one; an async store would pay a promise hop (and, for a real database, a round trip) per level
 * and per operation, while the hashing around it is CPU-bound anyway. better-sqlite3 answers from the page
 * cache in microseconds. A PostgreSQL backend can still implement this interface: pg-native offers
 * `querySync`, or the SQL can run in a worker behind `Atomics.wait`; see README.md.
 */
export interface TreeStore {
  /** Records the tree's maximum depth on first use, and throws CONFIG_MISMATCH if a different one was recorded. */
  initialize(maxDepth: number, timestamp: number): void;
  getNode(hash: bigint): SmtNode | undefined;
  /**
   * Atomically adds `nodes` and appends `root` to the history, unless the latest sequence number is no longer
   * `expectedSeq` (another writer committed meanwhile): then nothing is written and it throws CONFLICT.
   * `nodes` may be consumed lazily, inside the transaction.
   */
  commit(nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number): RootRecord;
  latestRoot(): RootRecord;
  /** The earliest history entry with this root, if any. */
  findRoot(root: bigint): RootRecord | undefined;
  /** History entries in sequence order, the latest `limit` ones when given. */
  rootHistory(limit?: number): RootRecord[];
  close(): void;
}
