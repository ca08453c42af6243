import type { Kysely } from 'kysely';
import type { Migration } from './migrate.js';
import type { RevocationStore } from '../../ucan/index.js';

export interface UcanTables {
  ucan_revocations: { cid: string; revoked_at: number };
  ucan_seen: { identity: string; topic: number; verifier: string; cid: string };
}

export const ucanMigration: Migration = {
  id: '0006-ucan',
  async up(db, t) {
    await db.schema.createTable('ucan_revocations')
      .addColumn('cid', t.text, (c) => c.primaryKey())
      .addColumn('revoked_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('ucan_seen')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('verifier', t.text, (c) => c.notNull())
      .addColumn('cid', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('ucan_seen_pk', ['identity', 'topic', 'verifier', 'cid'])
      .execute();
  },
};

/**
 * UCAN revocations (by delegation CID), and the delegations the node has seen used per (identity, topic,
 * verifier), so that revoking a grant also revokes every capability chain that verifier has presented.
 */
export class UcanRepo implements RevocationStore {
  constructor(private readonly db: Kysely<UcanTables>) {}

  async revoke(cid: string): Promise<void> {
    await this.db.insertInto('ucan_revocations').values({ cid, revoked_at: Date.now() }).onConflict((oc) => oc.doNothing()).execute();
  }
  async isRevoked(cid: string): Promise<boolean> {
    return (await this.db.selectFrom('ucan_revocations').select('cid').where('cid', '=', cid).executeTakeFirst()) !== undefined;
  }
  async markSeen(identity: string, topic: number, verifier: string, cids: readonly string[]): Promise<void> {
    if (cids.length === 0) return;
    const i = identity.toLowerCase(), v = verifier.toLowerCase();
    await this.db.insertInto('ucan_seen').values(cids.map((cid) => ({ identity: i, topic, verifier: v, cid }))).onConflict((oc) => oc.doNothing()).execute();
  }
  async seen(identity: string, topic: number, verifier: string): Promise<string[]> {
    const rows = await this.db.selectFrom('ucan_seen').select('cid')
      .where('identity', '=', identity.toLowerCase()).where('topic', '=', topic).where('verifier', '=', verifier.toLowerCase()).execute();
    return rows.map((r) => r.cid);
  }
}
