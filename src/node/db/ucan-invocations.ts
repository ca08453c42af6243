// Spent UCAN invocations: `/masque/document/read` invocations are single-use. One row per (issuer, nonce), written by
// one INSERT ... ON CONFLICT DO NOTHING (check and record are one atomic statement: of two concurrent presentations
// one passes, on one node or across replicas sharing a database), committed before the node answers, so a replay is
// refused after kill -9 and restart. A row whose invocation has expired can no longer matter (an expired invocation is
// refused by its time check first) and is deleted by the node's hourly prune job (`prune`), off the request path.
import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrate.js';
import type { InvocationStore } from '../../ucan/index.js';

export interface UcanInvocationTables {
  ucan_invocations: { issuer: string; nonce: string; cid: string; expires_at: number; spent_at: number };
}

export const ucanInvocationsMigration: Migration = {
  id: '0009-ucan-invocations',
  async up(db, t) {
    await t.sqliteOnly(db.schema.createTable('ucan_invocations')
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('nonce', t.text, (c) => c.notNull())
      .addColumn('cid', t.text, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('spent_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('ucan_invocations_pk', ['issuer', 'nonce']), (b) => b.modifyEnd(sql`without rowid`))
      .execute();
    await db.schema.createIndex('ucan_invocations_by_expiry').on('ucan_invocations').column('expires_at').execute();
  },
};

/** `expires_at` and `spent_at` in milliseconds, as every timestamp of the node's tables; nonces as hex. */
export class UcanInvocationsRepo implements InvocationStore {
  constructor(private readonly db: Kysely<UcanInvocationTables>) {}

  /** Records the invocation as used; false when its issuer's nonce was spent already. `expiration`: unix seconds. */
  async spend(invocation: { issuer: string; nonce: Uint8Array; cid: string; expiration: number }): Promise<boolean> {
    const r = await this.db.insertInto('ucan_invocations').values({
      issuer: invocation.issuer, nonce: Buffer.from(invocation.nonce).toString('hex'), cid: invocation.cid,
      expires_at: invocation.expiration * 1000, spent_at: Date.now(),
    }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return r.numInsertedOrUpdatedRows === 1n;
  }

  /** Forgets invocations expired before `before` (ms): they are refused on their expiry first. Returns how many. */
  async prune(before: number): Promise<number> {
    const r = await this.db.deleteFrom('ucan_invocations').where('expires_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('ucan_invocations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
