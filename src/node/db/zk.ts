// Nullifiers accepted by zk_verifyResponse (the node's off-chain verification service). One row per (verifier id,
// request id, nullifier); `add` is a single INSERT OR IGNORE, so the check and the insert are one atomic statement
// (two concurrent answers of one holder cannot both be accepted) and, with synchronous=FULL, on disk before the node
// answers: an acknowledged acceptance survives kill -9.
import type { NullifierStore } from '../../zk/registry.js';
import type { Db, Migration } from './sqlite.js';

export const zkMigration: Migration = {
  id: '007-zk-nullifiers',
  sql: `
    CREATE TABLE zk_nullifiers (
      verifier_id TEXT NOT NULL, request_id TEXT NOT NULL, nullifier TEXT NOT NULL, accepted_at INTEGER NOT NULL,
      PRIMARY KEY (verifier_id, request_id, nullifier)
    ) WITHOUT ROWID;
  `,
};

/** Field elements are stored as decimal strings (up to 77 digits; SQLite integers are 64-bit). */
export class ZkRepo {
  private readonly has_; private readonly add_; private readonly count_;
  constructor(db: Db) {
    this.has_ = db.prepare('SELECT 1 FROM zk_nullifiers WHERE verifier_id = ? AND request_id = ? AND nullifier = ?');
    this.add_ = db.prepare('INSERT OR IGNORE INTO zk_nullifiers (verifier_id, request_id, nullifier, accepted_at) VALUES (?, ?, ?, ?)');
    this.count_ = db.prepare('SELECT COUNT(*) AS n FROM zk_nullifiers WHERE verifier_id = ? AND request_id = ?');
  }
  hasNullifier(verifierId: bigint, requestId: bigint, nullifier: bigint): boolean {
    return this.has_.get(String(verifierId), String(requestId), String(nullifier)) !== undefined;
  }
  /** Records the nullifier; false (and no change) when it was there already. One statement: atomic. */
  addNullifier(verifierId: bigint, requestId: bigint, nullifier: bigint): boolean {
    return this.add_.run(String(verifierId), String(requestId), String(nullifier), Date.now()).changes === 1;
  }
  countNullifiers(verifierId: bigint, requestId: bigint): number {
    return (this.count_.get(String(verifierId), String(requestId)) as { n: number }).n;
  }
  /** src/zk's NullifierStore for one verifier: its requests' nullifiers, apart from every other verifier's. */
  nullifierStore(verifierId: bigint): NullifierStore {
    return {
      has: (requestId, nullifier) => this.hasNullifier(verifierId, requestId, nullifier),
      add: (requestId, nullifier) => this.addNullifier(verifierId, requestId, nullifier),
    };
  }
}
