import type { Db, Migration } from './sqlite.js';

export const grantsMigration: Migration = {
  id: '005-grants',
  sql: `
    CREATE TABLE grants (
      identity TEXT NOT NULL, topic INTEGER NOT NULL, verifier TEXT NOT NULL, verifier_key TEXT NOT NULL,
      envelope_ref TEXT NOT NULL, cid TEXT NOT NULL, expires_at INTEGER NOT NULL, status TEXT NOT NULL CHECK (status IN ('active', 'revoked')),
      tx_hash TEXT, created_at INTEGER NOT NULL, revoked_at INTEGER,
      PRIMARY KEY (identity, topic, verifier)
    );
  `,
};

export interface GrantRow {
  identity: string; topic: number; verifier: string; verifierKey: string; envelopeRef: string; cid: string;
  expiresAt: number; status: 'active' | 'revoked'; txHash: string | null; createdAt: number; revokedAt: number | null;
}

const COLS = `identity, topic, verifier, verifier_key AS verifierKey, envelope_ref AS envelopeRef, cid, expires_at AS expiresAt,
  status, tx_hash AS txHash, created_at AS createdAt, revoked_at AS revokedAt`;

/** Off-chain mirror of access grants (the chain's canAccess stays the authority). */
export class GrantsRepo {
  private readonly put_; private readonly rev; private readonly list_; private readonly get_;
  constructor(db: Db) {
    this.put_ = db.prepare(`INSERT INTO grants (identity, topic, verifier, verifier_key, envelope_ref, cid, expires_at, status, tx_hash, created_at)
      VALUES (@identity, @topic, @verifier, @verifierKey, @envelopeRef, @cid, @expiresAt, 'active', @txHash, @now)
      ON CONFLICT(identity, topic, verifier) DO UPDATE SET verifier_key = excluded.verifier_key, envelope_ref = excluded.envelope_ref,
        cid = excluded.cid, expires_at = excluded.expires_at, status = 'active', tx_hash = excluded.tx_hash,
        created_at = excluded.created_at`);
    // revoked_at is kept across re-grants: capabilities issued before the last revocation stay dead.
    this.rev = db.prepare(`UPDATE grants SET status = 'revoked', revoked_at = ?, tx_hash = ? WHERE identity = ? AND topic = ? AND verifier = ?`);
    this.list_ = db.prepare(`SELECT ${COLS} FROM grants WHERE identity = ? ORDER BY created_at`);
    this.get_ = db.prepare(`SELECT ${COLS} FROM grants WHERE identity = ? AND topic = ? AND verifier = ?`);
  }
  put(g: Omit<GrantRow, 'status' | 'createdAt' | 'revokedAt'>): void {
    this.put_.run({ ...g, identity: g.identity.toLowerCase(), verifier: g.verifier.toLowerCase(), envelopeRef: g.envelopeRef.toLowerCase(), now: Date.now() });
  }
  revoke(identity: string, topic: number, verifier: string, txHash: string): void {
    this.rev.run(Date.now(), txHash, identity.toLowerCase(), topic, verifier.toLowerCase());
  }
  list(identity: string): GrantRow[] {
    return this.list_.all(identity.toLowerCase()) as GrantRow[];
  }
  get(identity: string, topic: number, verifier: string): GrantRow | undefined {
    return this.get_.get(identity.toLowerCase(), topic, verifier.toLowerCase()) as GrantRow | undefined;
  }
}
