// What several node replicas sharing one database must agree on, beyond the rows themselves: the relayer's next nonce
// (all replicas send with the one relayer key the contracts trust), and who is reviewing a KYC application now (one
// reviewer at a time, and the lease lapses if its replica dies mid-review). On SQLite (one process) the same tables
// work; the row lock is simply uncontended.
import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface CoordinationTables {
  relayer_nonces: { address: string; next_nonce: number; updated_at: number };
  kyc_review_leases: { application_id: string; holder: string; until: number };
}

export const coordinationMigration: Migration = {
  id: '0012-coordination',
  async up(db, t) {
    await db.schema.createTable('relayer_nonces')
      .addColumn('address', t.text, (c) => c.primaryKey())
      .addColumn('next_nonce', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('kyc_review_leases')
      .addColumn('application_id', t.text, (c) => c.primaryKey())
      .addColumn('holder', t.text, (c) => c.notNull())
      .addColumn('until', t.bigint, (c) => c.notNull())
      .execute();
  },
};

export class CoordinationRepo {
  constructor(private readonly db: Kysely<CoordinationTables>, private readonly dialect: 'sqlite' | 'postgres') {}

  /**
   * The stored next nonce of `address`, row-locked until the caller's transaction ends (call inside
   * `Repos.transaction`): every other replica's `lockNonce` waits, so nonces are handed out in order, once.
   * Undefined when none is stored yet (the caller reads the chain).
   */
  async lockNonce(address: string): Promise<number | undefined> {
    const a = address.toLowerCase();
    // The row exists before it is locked (a missing row cannot be locked): -1 means "not known yet".
    await this.db.insertInto('relayer_nonces').values({ address: a, next_nonce: -1, updated_at: Date.now() })
      .onConflict((oc) => oc.column('address').doNothing()).execute();
    const r = await this.db.selectFrom('relayer_nonces').select('next_nonce').where('address', '=', a)
      .$if(this.dialect === 'postgres', (q) => q.forUpdate()).executeTakeFirstOrThrow();
    return r.next_nonce < 0 ? undefined : r.next_nonce;
  }

  async setNonce(address: string, next: number): Promise<void> {
    await this.db.updateTable('relayer_nonces').set({ next_nonce: next, updated_at: Date.now() }).where('address', '=', address.toLowerCase()).execute();
  }

  /**
   * Takes the review of an application for `holder` until now + `leaseMs`, unless someone else holds an unexpired
   * lease: one statement, so two replicas asking at once cannot both get it. True when taken.
   */
  async takeReview(applicationId: string, holder: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    const r = await this.db.insertInto('kyc_review_leases').values({ application_id: applicationId, holder, until: now + leaseMs })
      .onConflict((oc) => oc.column('application_id').doUpdateSet({ holder, until: now + leaseMs }).where(sql.ref('kyc_review_leases.until'), '<', now))
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Ends a review lease `holder` holds (after the decision is recorded, or when the review failed). */
  async releaseReview(applicationId: string, holder: string): Promise<void> {
    await this.db.deleteFrom('kyc_review_leases').where('application_id', '=', applicationId).where('holder', '=', holder).execute();
  }
}
