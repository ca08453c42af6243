import { sql, type Generated, type Kysely } from 'kysely';
import { atomically } from './engine.js';
import type { Migration } from './migrate.js';

export type KycStatus = 'pending' | 'approved' | 'rejected';

export interface KycTables {
  kyc_applications: {
    id: string; identity: string; wallet: string; topic: number; issuer: string; status: KycStatus;
    cid: string; document_hash: string; reason: string | null; claim_id: string | null; tx_hash: string | null;
    created_at: number; updated_at: number;
  };
  kyc_events: { seq: Generated<number>; application_id: string; status: KycStatus; actor: string; reason: string | null; at: number };
}

export const kycMigration: Migration = {
  id: '0004-kyc',
  async up(db, t) {
    await db.schema.createTable('kyc_applications')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('wallet', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('pending', 'approved', 'rejected')`))
      .addColumn('cid', t.text, (c) => c.notNull())
      .addColumn('document_hash', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('claim_id', t.text)
      .addColumn('tx_hash', t.text)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('kyc_by_identity').on('kyc_applications').columns(['identity', 'topic']).execute();
    await db.schema.createIndex('kyc_by_issuer').on('kyc_applications').columns(['issuer', 'status']).execute();
    await t.serialKey(db.schema.createTable('kyc_events'), 'seq')
      .addColumn('application_id', t.text, (c) => c.notNull().references('kyc_applications.id'))
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('actor', t.text, (c) => c.notNull())
      .addColumn('reason', t.text)
      .addColumn('at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('kyc_events_by_application').on('kyc_events').columns(['application_id', 'seq']).execute();
  },
};

export interface KycApplicationRow {
  id: string; identity: string; wallet: string; topic: number; issuer: string; status: KycStatus;
  cid: string; documentHash: string; reason: string | null; claimId: string | null; txHash: string | null;
  createdAt: number; updatedAt: number;
}
export interface KycEventRow { status: KycStatus; actor: string; reason: string | null; at: number }

/** KYC applications and their status history (every transition appends an event, in the same transaction). */
export class KycRepo {
  constructor(private readonly db: Kysely<KycTables>) {}

  async create(a: { id: string; identity: string; wallet: string; topic: number; issuer: string; cid: string; documentHash: string }, actor: string): Promise<void> {
    const now = Date.now();
    await atomically(this.db, async (tx: Kysely<KycTables>) => {
      await tx.insertInto('kyc_applications').values({
        id: a.id, identity: a.identity.toLowerCase(), wallet: a.wallet.toLowerCase(), topic: a.topic, issuer: a.issuer.toLowerCase(),
        status: 'pending', cid: a.cid, document_hash: a.documentHash, reason: null, claim_id: null, tx_hash: null, created_at: now, updated_at: now,
      }).execute();
      await tx.insertInto('kyc_events').values({ application_id: a.id, status: 'pending', actor: actor.toLowerCase(), reason: null, at: now }).execute();
    });
  }
  get(id: string): Promise<KycApplicationRow | undefined> {
    return this.select().where('id', '=', id).executeTakeFirst();
  }
  history(id: string): Promise<KycEventRow[]> {
    return this.db.selectFrom('kyc_events').select(['status', 'actor', 'reason', 'at']).where('application_id', '=', id).orderBy('seq').execute();
  }
  byIdentity(identity: string): Promise<KycApplicationRow[]> {
    return this.select().where('identity', '=', identity.toLowerCase()).orderBy('created_at').execute();
  }
  /** Applications of `identity` for `topic` awaiting review, oldest first. */
  pendingFor(identity: string, topic: number): Promise<KycApplicationRow[]> {
    return this.select().where('identity', '=', identity.toLowerCase()).where('topic', '=', topic).where('status', '=', 'pending').orderBy('created_at').execute();
  }
  /** pending -> approved | rejected; false when the application was no longer pending (a concurrent review won). */
  decide(id: string, d: { status: 'approved' | 'rejected'; actor: string; reason?: string; claimId?: string; txHash?: string }): Promise<boolean> {
    const now = Date.now();
    return atomically(this.db, async (tx: Kysely<KycTables>) => {
      const r = await tx.updateTable('kyc_applications')
        .set({ status: d.status, reason: d.reason ?? null, claim_id: d.claimId ?? null, tx_hash: d.txHash ?? null, updated_at: now })
        .where('id', '=', id).where('status', '=', 'pending').executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      await tx.insertInto('kyc_events').values({ application_id: id, status: d.status, actor: d.actor.toLowerCase(), reason: d.reason ?? null, at: now }).execute();
      return true;
    });
  }
  private select() {
    return this.db.selectFrom('kyc_applications').select([
      'id', 'identity', 'wallet', 'topic', 'issuer', 'status', 'cid', 'document_hash as documentHash', 'reason', 'claim_id as claimId',
      'tx_hash as txHash', 'created_at as createdAt', 'updated_at as updatedAt',
    ]);
  }
}
