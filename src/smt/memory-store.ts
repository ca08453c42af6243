import { SmtError } from './errors.js';
import type { SmtNode } from './node.js';
import type { RootRecord, TreeStore } from './store.js';

/** Everything in Maps: the reference store, and the fastest one for tests and ephemeral trees. */
export class MemoryStore implements TreeStore {
  private readonly nodes = new Map<bigint, SmtNode>();
  private readonly history: RootRecord[] = [];
  private readonly firstSeqOfRoot = new Map<bigint, RootRecord>();
  private maxDepth: number | undefined;

  initialize(maxDepth: number, timestamp: number): void {
    if (this.maxDepth === undefined) {
      this.maxDepth = maxDepth;
      this.append(0n, timestamp);
    } else if (this.maxDepth !== maxDepth) {
      throw new SmtError('CONFIG_MISMATCH', `store holds a tree of maxDepth ${this.maxDepth}, not ${maxDepth}`);
    }
  }

  getNode(hash: bigint): SmtNode | undefined {
    return this.nodes.get(hash);
  }

  commit(nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number): RootRecord {
    const latest = this.latestRoot();
    if (latest.seq !== expectedSeq) {
      throw new SmtError('CONFLICT', `tree moved to seq ${latest.seq} while a batch based on seq ${expectedSeq} was built`);
    }
    // Staged first so that a throwing iterator leaves the store untouched, like a rolled-back transaction.
    const staged = [...nodes];
    for (const [hash, node] of staged) this.nodes.set(hash, node);
    return this.append(root, timestamp);
  }

  latestRoot(): RootRecord {
    const latest = this.history[this.history.length - 1];
    if (!latest) throw new Error('store not initialized');
    return latest;
  }

  findRoot(root: bigint): RootRecord | undefined {
    return this.firstSeqOfRoot.get(root);
  }

  rootHistory(limit?: number): RootRecord[] {
    return limit === undefined ? [...this.history] : this.history.slice(Math.max(0, this.history.length - limit));
  }

  /** Number of distinct stored nodes (all versions), for tests and memory accounting. */
  get size(): number {
    return this.nodes.size;
  }

  close(): void {}

  private append(root: bigint, timestamp: number): RootRecord {
    const record: RootRecord = { seq: this.history.length, root, timestamp };
    this.history.push(record);
    if (!this.firstSeqOfRoot.has(root)) this.firstSeqOfRoot.set(root, record);
    return record;
  }
}
