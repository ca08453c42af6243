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

/**
 * A revocation between its on-chain transaction and the off-chain step (capabilities and the grant row): recorded
 * durably before the transaction, settled after it, and on start if the node died in between.
 */
export const grantRevocationsMigration: Migration = {
  id: '008-pending-grant-revocations',
  sql: `
    CREATE TABLE pending_grant_revocations (
      identity TEXT NOT NULL, topic INTEGER NOT NULL, verifier TEXT NOT NULL, cids TEXT NOT NULL,
      granted_at INTEGER NOT NULL, created_at INTEGER NOT NULL,
      PRIMARY KEY (identity, topic, verifier)
    );
  `,
};

export interface PendingRevocation {
  identity: string; topic: number; verifier: string; cids: string[];
  /** The on-chain grant's grantedAt when the revocation was recorded: any other value later means it landed. */
  grantedAt: number;
  createdAt: number;
}

export interface GrantRow {
  identity: string; topic: number; verifier: string; verifierKey: string; envelopeRef: string; cid: string;
  expiresAt: number; status: 'active' | 'revoked'; txHash: string | null; createdAt: number; revokedAt: number | null;
}

const COLS = `identity, topic, verifier, verifier_key AS verifierKey, envelope_ref AS envelopeRef, cid, expires_at AS expiresAt,
  status, tx_hash AS txHash, created_at AS createdAt, revoked_at AS revokedAt`;

/** Off-chain mirror of access grants (the chain's canAccess stays the authority). */
export class GrantsRepo {
  private readonly put_; private readonly rev; private readonly list_; private readonly get_;
  private readonly pendingPut; private readonly pendingDel; private readonly pendingAll;
  constructor(db: Db) {
    this.pendingPut = db.prepare(`INSERT INTO pending_grant_revocations (identity, topic, verifier, cids, granted_at, created_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(identity, topic, verifier) DO UPDATE SET cids = excluded.cids, granted_at = excluded.granted_at, created_at = excluded.created_at`);
    this.pendingDel = db.prepare('DELETE FROM pending_grant_revocations WHERE identity = ? AND topic = ? AND verifier = ?');
    this.pendingAll = db.prepare('SELECT identity, topic, verifier, cids, granted_at AS grantedAt, created_at AS createdAt FROM pending_grant_revocations ORDER BY created_at');
    this.put_ = db.prepare(`INSERT INTO grants (identity, topic, verifier, verifier_key, envelope_ref, cid, expires_at, status, tx_hash, created_at)
      VALUES (@identity, @topic, @verifier, @verifierKey, @envelopeRef, @cid, @expiresAt, 'active', @txHash, @now)
      ON CONFLICT(identity, topic, verifier) DO UPDATE SET verifier_key = excluded.verifier_key, envelope_ref = excluded.envelope_ref,
        cid = excluded.cid, expires_at = excluded.expires_at, status = 'active', tx_hash = excluded.tx_hash,
        created_at = excluded.created_at`);
    // revoked_at is kept across re-grants: capabilities issued before the last revocation stay dead.
    this.rev = db.prepare(`UPDATE grants SET status = 'revoked', revoked_at = ?, tx_hash = COALESCE(?, tx_hash) WHERE identity = ? AND topic = ? AND verifier = ?`);
    this.list_ = db.prepare(`SELECT ${COLS} FROM grants WHERE identity = ? ORDER BY created_at`);
    this.get_ = db.prepare(`SELECT ${COLS} FROM grants WHERE identity = ? AND topic = ? AND verifier = ?`);
  }
  put(g: Omit<GrantRow, 'status' | 'createdAt' | 'revokedAt'>): void {
    this.put_.run({ ...g, identity: g.identity.toLowerCase(), verifier: g.verifier.toLowerCase(), envelopeRef: g.envelopeRef.toLowerCase(), now: Date.now() });
  }
  /** txHash null: the revocation's transaction is not known (settled on start), the row keeps its last one. */
  revoke(identity: string, topic: number, verifier: string, txHash: string | null): void {
    this.rev.run(Date.now(), txHash, identity.toLowerCase(), topic, verifier.toLowerCase());
  }
  /** Records a revocation about to be sent (durable before the transaction exists). */
  beginRevocation(identity: string, topic: number, verifier: string, cids: readonly string[], grantedAt: number): PendingRevocation {
    const row = { identity: identity.toLowerCase(), topic, verifier: verifier.toLowerCase(), cids: [...cids], grantedAt, createdAt: Date.now() };
    this.pendingPut.run(row.identity, topic, row.verifier, JSON.stringify(row.cids), grantedAt, row.createdAt);
    return row;
  }
  endRevocation(identity: string, topic: number, verifier: string): void {
    this.pendingDel.run(identity.toLowerCase(), topic, verifier.toLowerCase());
  }
  pendingRevocations(): PendingRevocation[] {
    return (this.pendingAll.all() as (Omit<PendingRevocation, 'cids'> & { cids: string })[]).map((r) => ({ ...r, cids: JSON.parse(r.cids) as string[] }));
  }
  list(identity: string): GrantRow[] {
    return this.list_.all(identity.toLowerCase()) as GrantRow[];
  }
  get(identity: string, topic: number, verifier: string): GrantRow | undefined {
    return this.get_.get(identity.toLowerCase(), topic, verifier.toLowerCase()) as GrantRow | undefined;
  }
}
