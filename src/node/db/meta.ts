import type { Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface MetaTables {
  meta: { key: string; value: string };
  issuers: { address: string; name: string; signer: string; topics: string; created_at: number };
  auth_nonces: { signer: string; nonce: string; used_at: number };
}

export const metaMigration: Migration = {
  id: '0001-meta',
  async up(db, t) {
    await db.schema.createTable('meta')
      .addColumn('key', t.text, (c) => c.primaryKey())
      .addColumn('value', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('issuers')
      .addColumn('address', t.text, (c) => c.primaryKey())
      .addColumn('name', t.text, (c) => c.notNull())
      .addColumn('signer', t.text, (c) => c.notNull())
      .addColumn('topics', t.text, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('auth_nonces')
      .addColumn('signer', t.text, (c) => c.notNull())
      .addColumn('nonce', t.text, (c) => c.notNull())
      .addColumn('used_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('auth_nonces_pk', ['signer', 'nonce'])
      .execute();
  },
};

export interface IssuerRow { address: string; name: string; signer: string; topics: number[]; createdAt: number }

/** Deployment record, configured issuers and spent authorization nonces. */
export class MetaRepo {
  constructor(private readonly db: Kysely<MetaTables>) {}

  async get<T>(key: string): Promise<T | undefined> {
    const r = await this.db.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst();
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
  async set(key: string, value: unknown): Promise<void> {
    const v = JSON.stringify(value);
    await this.db.insertInto('meta').values({ key, value: v }).onConflict((oc) => oc.column('key').doUpdateSet({ value: v })).execute();
  }
  async putIssuer(i: Omit<IssuerRow, 'createdAt'>): Promise<void> {
    const row = { address: i.address.toLowerCase(), name: i.name, signer: i.signer.toLowerCase(), topics: JSON.stringify(i.topics), created_at: Date.now() };
    const { address: _, ...rest } = row;
    await this.db.insertInto('issuers').values(row).onConflict((oc) => oc.column('address').doUpdateSet(rest)).execute();
  }
  async issuers(): Promise<IssuerRow[]> {
    const rows = await this.db.selectFrom('issuers').select(['address', 'name', 'signer', 'topics', 'created_at as createdAt']).orderBy('created_at').execute();
    return rows.map((r) => ({ ...r, topics: JSON.parse(r.topics) as number[] }));
  }
  /** Records a spent nonce; false when it was spent already (a replay). One statement: atomic across replicas. */
  async spendNonce(signer: string, nonce: string): Promise<boolean> {
    const r = await this.db.insertInto('auth_nonces').values({ signer: signer.toLowerCase(), nonce: nonce.toLowerCase(), used_at: Date.now() })
      .onConflict((oc) => oc.doNothing()).executeTakeFirst();
    return r.numInsertedOrUpdatedRows === 1n;
  }
  /**
   * Forgets nonces spent before `before` (ms). Safe once `before` is older than the longest request deadline: a
   * request carrying such a nonce has expired and is refused on its deadline before its nonce is looked up.
   */
  async pruneNonces(before: number): Promise<number> {
    const r = await this.db.deleteFrom('auth_nonces').where('used_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}

/** Spent nonces by time, for pruning: a row per signed request would otherwise grow without bound. */
export const authNoncesByTimeMigration: Migration = {
  id: '0013-auth-nonces-by-time',
  async up(db) {
    await db.schema.createIndex('auth_nonces_by_time').on('auth_nonces').column('used_at').execute();
  },
};
