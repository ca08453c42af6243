import type { Db, Migration } from './sqlite.js';
import type { RevocationStore } from '../../ucan/index.js';

export const ucanMigration: Migration = {
  id: '006-ucan',
  sql: `
    CREATE TABLE ucan_revocations (cid TEXT PRIMARY KEY, revoked_at INTEGER NOT NULL);
    CREATE TABLE ucan_seen (identity TEXT NOT NULL, topic INTEGER NOT NULL, verifier TEXT NOT NULL, cid TEXT NOT NULL,
      PRIMARY KEY (identity, topic, verifier, cid));
  `,
};

/**
 * UCAN revocations (by delegation CID), and the delegations the node has seen used per (identity, topic,
 * verifier), so that revoking a grant also revokes every capability chain that verifier has presented.
 */
export class UcanRepo implements RevocationStore {
  private readonly rev; private readonly isRev; private readonly seen_; private readonly seenOf;
  constructor(db: Db) {
    this.rev = db.prepare('INSERT OR IGNORE INTO ucan_revocations (cid, revoked_at) VALUES (?, ?)');
    this.isRev = db.prepare('SELECT 1 FROM ucan_revocations WHERE cid = ?');
    this.seen_ = db.prepare('INSERT OR IGNORE INTO ucan_seen (identity, topic, verifier, cid) VALUES (?, ?, ?, ?)');
    this.seenOf = db.prepare('SELECT cid FROM ucan_seen WHERE identity = ? AND topic = ? AND verifier = ?');
  }
  revoke(cid: string): void {
    this.rev.run(cid, Date.now());
  }
  isRevoked(cid: string): boolean {
    return this.isRev.get(cid) !== undefined;
  }
  markSeen(identity: string, topic: number, verifier: string, cids: readonly string[]): void {
    for (const c of cids) this.seen_.run(identity.toLowerCase(), topic, verifier.toLowerCase(), c);
  }
  seen(identity: string, topic: number, verifier: string): string[] {
    return (this.seenOf.all(identity.toLowerCase(), topic, verifier.toLowerCase()) as { cid: string }[]).map((r) => r.cid);
  }
}
