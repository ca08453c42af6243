import Database from 'better-sqlite3';
import { bytesToField, fieldToBytes } from './bytes.js';
import { SmtError } from './errors.js';
import { decodeNode, encodeNode, type SmtNode } from './node.js';
import { prepareStatements, type RootRow, type Statements } from './sql.js';
import type { RootRecord, TreeStore } from './store.js';

export interface SqliteStoreOptions {
  /** Name of the tree inside the database, so that one file can hold an identity's three trees. Default 'default'. */
  readonly tree?: string;
  /**
   * SQLite `synchronous` in WAL mode when this store opens the file. FULL (default) fsyncs the WAL at each
   * commit: a committed root survives power loss, which matters once it has been published (a state on chain
   * whose tree is gone cannot be proven against). NORMAL skips that fsync: still atomic and crash-safe for
   * process crashes (SIGKILL), but the last commits may roll back after an OS crash or power cut. See README.md.
   */
  readonly synchronous?: 'FULL' | 'NORMAL';
  /** Decoded nodes kept in memory (FIFO eviction). Default 200,000 (roughly 60 MB). */
  readonly cacheSize?: number;
}

/**
 * better-sqlite3 store: one SQLite transaction per commit (all of a batch's nodes and its root, or nothing),
 * nodes as 32-byte BLOB keys and compact BLOB values, decoded nodes cached in memory.
 */
export class SqliteStore implements TreeStore {
  readonly db: Database.Database;
  readonly tree: string;
  private readonly sql: Statements;
  private readonly ownsDb: boolean;
  private readonly cache = new Map<bigint, SmtNode>();
  private readonly cacheSize: number;
  private readonly commitTx: (nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number) => RootRecord & { written: [bigint, SmtNode][] };

  private constructor(db: Database.Database, ownsDb: boolean, options: SqliteStoreOptions) {
    this.db = db;
    this.ownsDb = ownsDb;
    this.tree = options.tree ?? 'default';
    this.cacheSize = options.cacheSize ?? 200_000;
    this.sql = prepareStatements(db);
    const tx = db.transaction((nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number) => {
      const latest = this.latestRoot();
      if (latest.seq !== expectedSeq) {
        throw new SmtError('CONFLICT', `tree moved to seq ${latest.seq} while a batch based on seq ${expectedSeq} was built`);
      }
      const written: [bigint, SmtNode][] = [];
      for (const [hash, node] of nodes) {
        this.sql.putNode.run(fieldToBytes(hash), encodeNode(node));
        written.push([hash, node]);
      }
      const seq = latest.seq + 1;
      this.sql.appendRoot.run(this.tree, seq, fieldToBytes(root), timestamp);
      return { seq, root, timestamp, written };
    });
    // IMMEDIATE takes the write lock up front, so two writers queue instead of failing to upgrade a read lock.
    this.commitTx = (...args) => tx.immediate(...args);
  }

  /** Opens (creating if needed) a database file, in WAL mode, or binds to a connection the caller manages. */
  static open(file: string | Database.Database, options: SqliteStoreOptions = {}): SqliteStore {
    if (typeof file !== 'string') return new SqliteStore(file, false, options);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    return new SqliteStore(db, true, options);
  }

  initialize(maxDepth: number, timestamp: number): void {
    this.db
      .transaction(() => {
        const recorded = this.sql.getTreeDepth.get(this.tree);
        if (recorded === undefined) {
          this.sql.putTree.run(this.tree, maxDepth);
          this.sql.appendRoot.run(this.tree, 0, fieldToBytes(0n), timestamp);
        } else if (recorded !== maxDepth) {
          throw new SmtError('CONFIG_MISMATCH', `tree "${this.tree}" has maxDepth ${recorded}, not ${maxDepth}`);
        }
      })
      .immediate();
  }

  getNode(hash: bigint): SmtNode | undefined {
    let node = this.cache.get(hash);
    if (node !== undefined) return node;
    const bytes = this.sql.getNode.get(fieldToBytes(hash));
    if (bytes === undefined) return undefined;
    node = decodeNode(bytes);
    this.remember(hash, node);
    return node;
  }

  commit(nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number): RootRecord {
    const { written, ...record } = this.commitTx(nodes, root, timestamp, expectedSeq);
    // Only after the transaction committed: a rolled-back batch must not leave nodes behind, even in memory.
    for (const [hash, node] of written) this.remember(hash, node);
    return record;
  }

  latestRoot(): RootRecord {
    const row = this.sql.latestRoot.get(this.tree);
    if (!row) throw new Error(`tree "${this.tree}" is not initialized`);
    return toRecord(row);
  }

  findRoot(root: bigint): RootRecord | undefined {
    const row = this.sql.findRoot.get(this.tree, fieldToBytes(root));
    return row && toRecord(row);
  }

  rootHistory(limit?: number): RootRecord[] {
    const rows = limit === undefined ? this.sql.history.all(this.tree) : this.sql.historyTail.all(this.tree, limit);
    return rows.map(toRecord);
  }

  close(): void {
    this.cache.clear();
    if (this.ownsDb) this.db.close();
  }

  private remember(hash: bigint, node: SmtNode): void {
    if (this.cache.size >= this.cacheSize) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    this.cache.set(hash, node);
  }
}

function toRecord(row: RootRow): RootRecord {
  return { seq: row.seq, root: bytesToField(row.root), timestamp: row.created_at };
}
