import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface IdentitiesTables {
  identities: { wallet: string; identity: string; salt: string; tx_hash: string | null; created_at: number };
}

export const identitiesMigration: Migration = {
  id: '0002-identities',
  async up(db, t) {
    await db.schema.createTable('identities')
      .addColumn('wallet', t.text, (c) => c.primaryKey())
      .addColumn('identity', t.text, (c) => c.notNull().unique())
      .addColumn('salt', t.text, (c) => c.notNull())
      .addColumn('tx_hash', t.text)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
  },
};

export interface IdentityRow { wallet: string; identity: string; salt: string; txHash: string | null; createdAt: number }

export class IdentitiesRepo {
  constructor(private readonly db: Kysely<IdentitiesTables>) {}

  async put(r: Omit<IdentityRow, 'createdAt'>): Promise<void> {
    await this.db.insertInto('identities')
      .values({ wallet: r.wallet.toLowerCase(), identity: r.identity.toLowerCase(), salt: r.salt, tx_hash: r.txHash, created_at: Date.now() })
      .onConflict((oc) => oc.column('wallet').doUpdateSet({ tx_hash: sql<string | null>`coalesce(excluded.tx_hash, identities.tx_hash)` }))
      .execute();
  }
  byWallet(wallet: string): Promise<IdentityRow | undefined> {
    return this.select().where('wallet', '=', wallet.toLowerCase()).executeTakeFirst();
  }
  byIdentity(identity: string): Promise<IdentityRow | undefined> {
    return this.select().where('identity', '=', identity.toLowerCase()).executeTakeFirst();
  }
  async count(): Promise<number> {
    const r = await this.db.selectFrom('identities').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  private select() {
    return this.db.selectFrom('identities').select(['wallet', 'identity', 'salt', 'tx_hash as txHash', 'created_at as createdAt']);
  }
}
