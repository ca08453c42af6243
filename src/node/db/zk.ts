// Nullifiers accepted by zk_verifyResponse (the node's off-chain verification service). One row per (verifier id,
// request id, nullifier); `add` is a single INSERT ... ON CONFLICT DO NOTHING, so the check and the insert are one
// atomic statement (two concurrent answers of one holder cannot both be accepted, on one node or across replicas
// sharing a database) and committed durably before the node answers: an acknowledged acceptance survives kill -9.
import { sql, type Kysely } from 'kysely';
import type { NullifierStore } from '../../zk/registry.js';
import type { Migration } from './migrate.js';

export interface ZkTables {
  zk_nullifiers: { verifier_id: string; request_id: string; nullifier: string; accepted_at: number };
}

export const zkMigration: Migration = {
  id: '0007-zk-nullifiers',
  async up(db, t) {
    await t.sqliteOnly(db.schema.createTable('zk_nullifiers')
      .addColumn('verifier_id', t.text, (c) => c.notNull())
      .addColumn('request_id', t.text, (c) => c.notNull())
      .addColumn('nullifier', t.text, (c) => c.notNull())
      .addColumn('accepted_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_nullifiers_pk', ['verifier_id', 'request_id', 'nullifier']), (b) => b.modifyEnd(sql`without rowid`))
      .execute();
  },
};

/** Field elements are stored as decimal strings (up to 77 digits; both engines' integers are 64-bit). */
export class ZkRepo {
  constructor(private readonly db: Kysely<ZkTables>) {}

  async hasNullifier(verifierId: bigint, requestId: bigint, nullifier: bigint): Promise<boolean> {
    const r = await this.db.selectFrom('zk_nullifiers').select('nullifier')
      .where('verifier_id', '=', String(verifierId)).where('request_id', '=', String(requestId)).where('nullifier', '=', String(nullifier))
      .executeTakeFirst();
    return r !== undefined;
  }
  /** Records the nullifier; false (and no change) when it was there already. One statement: atomic. */
  async addNullifier(verifierId: bigint, requestId: bigint, nullifier: bigint): Promise<boolean> {
    const r = await this.db.insertInto('zk_nullifiers')
      .values({ verifier_id: String(verifierId), request_id: String(requestId), nullifier: String(nullifier), accepted_at: Date.now() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return r.numInsertedOrUpdatedRows === 1n;
  }
  async countNullifiers(verifierId: bigint, requestId: bigint): Promise<number> {
    const r = await this.db.selectFrom('zk_nullifiers').select((e) => e.fn.countAll<number>().as('n'))
      .where('verifier_id', '=', String(verifierId)).where('request_id', '=', String(requestId)).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  /** src/zk's NullifierStore for one verifier: its requests' nullifiers, apart from every other verifier's. */
  nullifierStore(verifierId: bigint): NullifierStore {
    return {
      has: (requestId, nullifier) => this.hasNullifier(verifierId, requestId, nullifier),
      add: (requestId, nullifier) => this.addNullifier(verifierId, requestId, nullifier),
    };
  }
}
