// The KYC review queue: who of the issuer's reviewers has an application (assignment), and the filtered listing the
// dashboard's queue and an applicant's own list read. Applications themselves live in ./kyc.ts.
import type { Kysely } from 'kysely';
import type { Migration } from './migrate.js';
import type { KycApplicationRow, KycStatus, KycTables } from './kyc.js';

export interface KycQueueTables extends KycTables {
  kyc_assignments: { application_id: string; assignee: string; assigned_by: string; assigned_at: number };
}

export const kycQueueMigration: Migration = {
  id: '0008-kyc-assignments',
  async up(db, t) {
    await db.schema.createTable('kyc_assignments')
      .addColumn('application_id', t.text, (c) => c.primaryKey().references('kyc_applications.id'))
      .addColumn('assignee', t.text, (c) => c.notNull())
      .addColumn('assigned_by', t.text, (c) => c.notNull())
      .addColumn('assigned_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('kyc_assignments_by_assignee').on('kyc_assignments').columns(['assignee']).execute();
    await db.schema.createIndex('kyc_by_issuer_created').on('kyc_applications').columns(['issuer', 'created_at']).execute();
  },
};

export interface KycQueueFilter {
  issuer?: string; identity?: string; status?: KycStatus; topic?: number;
  /** An address, or 'unassigned'. */
  assignee?: string;
  /** Milliseconds since the epoch (the table's unit). */
  createdAfter?: number; createdBefore?: number;
  limit: number; offset: number;
}

export interface KycQueueRow extends KycApplicationRow { assignee: string | null; assignedBy: string | null; assignedAt: number | null }

export class KycQueueRepo {
  constructor(private readonly db: Kysely<KycQueueTables>) {}

  private base() {
    return this.db.selectFrom('kyc_applications as a').leftJoin('kyc_assignments as s', 's.application_id', 'a.id');
  }

  /** Oldest first (a queue), with the total matching count for paging. */
  async list(f: KycQueueFilter): Promise<{ rows: KycQueueRow[]; total: number }> {
    let q = this.base();
    if (f.issuer) q = q.where('a.issuer', '=', f.issuer.toLowerCase());
    if (f.identity) q = q.where('a.identity', '=', f.identity.toLowerCase());
    if (f.status) q = q.where('a.status', '=', f.status);
    if (f.topic !== undefined) q = q.where('a.topic', '=', f.topic);
    if (f.assignee === 'unassigned') q = q.where('s.assignee', 'is', null);
    else if (f.assignee) q = q.where('s.assignee', '=', f.assignee.toLowerCase());
    if (f.createdAfter !== undefined) q = q.where('a.created_at', '>=', f.createdAfter);
    if (f.createdBefore !== undefined) q = q.where('a.created_at', '<', f.createdBefore);
    const { n } = await q.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await this.columns(q).orderBy('a.created_at').orderBy('a.id').limit(f.limit).offset(f.offset).execute();
    return { rows: rows.map(row), total: Number(n) };
  }

  async get(id: string): Promise<KycQueueRow | undefined> {
    const r = await this.columns(this.base().where('a.id', '=', id)).executeTakeFirst();
    return r && row(r);
  }

  /** Assigns (or, with null, releases) an application; the caller checked that it is pending. */
  async assign(id: string, assignee: string | null, by: string): Promise<void> {
    if (assignee === null) {
      await this.db.deleteFrom('kyc_assignments').where('application_id', '=', id).execute();
      return;
    }
    const v = { assignee: assignee.toLowerCase(), assigned_by: by.toLowerCase(), assigned_at: Date.now() };
    await this.db.insertInto('kyc_assignments').values({ application_id: id, ...v })
      .onConflict((oc) => oc.column('application_id').doUpdateSet(v)).execute();
  }

  private columns(q: ReturnType<KycQueueRepo['base']>) {
    return q.select([
      'a.id', 'a.identity', 'a.wallet', 'a.topic', 'a.issuer', 'a.status', 'a.cid', 'a.document_hash as documentHash', 'a.reason',
      'a.claim_id as claimId', 'a.tx_hash as txHash', 'a.created_at as createdAt', 'a.updated_at as updatedAt',
      's.assignee', 's.assigned_by as assignedBy', 's.assigned_at as assignedAt',
    ]);
  }
}

// PostgreSQL returns bigint columns as strings: numbers on the way out, whatever the engine.
const row = (r: KycQueueRow): KycQueueRow => ({
  ...r, topic: Number(r.topic), createdAt: Number(r.createdAt), updatedAt: Number(r.updatedAt), assignedAt: r.assignedAt === null ? null : Number(r.assignedAt),
});
