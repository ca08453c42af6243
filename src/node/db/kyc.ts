import type { Db, Migration } from './sqlite.js';

export const kycMigration: Migration = {
  id: '004-kyc',
  sql: `
    CREATE TABLE kyc_applications (
      id TEXT PRIMARY KEY, identity TEXT NOT NULL, wallet TEXT NOT NULL, topic INTEGER NOT NULL, issuer TEXT NOT NULL,
      status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
      cid TEXT NOT NULL, document_hash TEXT NOT NULL, reason TEXT, claim_id TEXT, tx_hash TEXT,
      created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
    );
    CREATE INDEX kyc_by_identity ON kyc_applications(identity, topic);
    CREATE INDEX kyc_by_issuer ON kyc_applications(issuer, status);
    CREATE TABLE kyc_events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, application_id TEXT NOT NULL REFERENCES kyc_applications(id),
      status TEXT NOT NULL, actor TEXT NOT NULL, reason TEXT, at INTEGER NOT NULL
    );
  `,
};

export type KycStatus = 'pending' | 'approved' | 'rejected';

export interface KycApplicationRow {
  id: string; identity: string; wallet: string; topic: number; issuer: string; status: KycStatus;
  cid: string; documentHash: string; reason: string | null; claimId: string | null; txHash: string | null;
  createdAt: number; updatedAt: number;
}
export interface KycEventRow { status: KycStatus; actor: string; reason: string | null; at: number }

const COLS = `id, identity, wallet, topic, issuer, status, cid, document_hash AS documentHash, reason, claim_id AS claimId,
  tx_hash AS txHash, created_at AS createdAt, updated_at AS updatedAt`;

/** KYC applications and their status history (every transition appends an event, in the same transaction). */
export class KycRepo {
  private readonly ins; private readonly get_; private readonly upd; private readonly ev; private readonly evs; private readonly list_;
  constructor(private readonly db: Db) {
    this.ins = db.prepare(`INSERT INTO kyc_applications (id, identity, wallet, topic, issuer, status, cid, document_hash, created_at, updated_at)
      VALUES (@id, @identity, @wallet, @topic, @issuer, 'pending', @cid, @documentHash, @now, @now)`);
    this.get_ = db.prepare(`SELECT ${COLS} FROM kyc_applications WHERE id = ?`);
    this.upd = db.prepare(`UPDATE kyc_applications SET status = @status, reason = @reason, claim_id = @claimId, tx_hash = @txHash,
      updated_at = @now WHERE id = @id AND status = 'pending'`);
    this.ev = db.prepare('INSERT INTO kyc_events (application_id, status, actor, reason, at) VALUES (?, ?, ?, ?, ?)');
    this.evs = db.prepare('SELECT status, actor, reason, at FROM kyc_events WHERE application_id = ? ORDER BY seq');
    this.list_ = db.prepare(`SELECT ${COLS} FROM kyc_applications WHERE identity = ? ORDER BY created_at`);
  }
  create(a: { id: string; identity: string; wallet: string; topic: number; issuer: string; cid: string; documentHash: string }, actor: string): void {
    const now = Date.now();
    this.db.transaction(() => {
      this.ins.run({ ...a, identity: a.identity.toLowerCase(), wallet: a.wallet.toLowerCase(), issuer: a.issuer.toLowerCase(), now });
      this.ev.run(a.id, 'pending', actor.toLowerCase(), null, now);
    })();
  }
  get(id: string): KycApplicationRow | undefined {
    return this.get_.get(id) as KycApplicationRow | undefined;
  }
  history(id: string): KycEventRow[] {
    return this.evs.all(id) as KycEventRow[];
  }
  byIdentity(identity: string): KycApplicationRow[] {
    return this.list_.all(identity.toLowerCase()) as KycApplicationRow[];
  }
  /** pending -> approved | rejected; false when the application was no longer pending (a concurrent review won). */
  decide(id: string, d: { status: 'approved' | 'rejected'; actor: string; reason?: string; claimId?: string; txHash?: string }): boolean {
    const now = Date.now();
    return this.db.transaction(() => {
      const changed = this.upd.run({ id, status: d.status, reason: d.reason ?? null, claimId: d.claimId ?? null, txHash: d.txHash ?? null, now }).changes;
      if (changed !== 1) return false;
      this.ev.run(id, d.status, d.actor.toLowerCase(), d.reason ?? null, now);
      return true;
    })();
  }
}
