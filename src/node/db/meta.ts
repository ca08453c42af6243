import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface MetaTables {
  meta: { key: string; value: string };
  issuers: { address: string; name: string; signer: string; topics: string; created_at: number };
  auth_nonces: { signer: string; nonce: string; used_at: number };
  issuer_name_reservations: { name: string; signer: string; reserved_at: number };
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

/** An issuer name already used on this node (by any replica): `field` is the request's. */
export class IssuerNameTakenError extends Error {
  override readonly name = 'IssuerNameTakenError';
  readonly field = 'name';
  constructor(readonly issuerName: string) {
    super(`an issuer named "${issuerName}" exists on this node`);
  }
}

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
  /** Records an issuer (or updates the one at its address). A name another address holds: IssuerNameTakenError. */
  async putIssuer(i: Omit<IssuerRow, 'createdAt'>): Promise<void> {
    const row = { address: i.address.toLowerCase(), name: i.name, signer: i.signer.toLowerCase(), topics: JSON.stringify(i.topics), created_at: Date.now() };
    const { address: _, ...rest } = row;
    try {
      await this.db.insertInto('issuers').values(row).onConflict((oc) => oc.column('address').doUpdateSet(rest)).execute();
    } catch (e) {
      // The unique index on name (a replica registered the name first): said as such; anything else as it is.
      const holder = await this.db.selectFrom('issuers').select('address').where('name', '=', i.name).executeTakeFirst().catch(() => undefined);
      if (holder && holder.address !== row.address) throw new IssuerNameTakenError(i.name);
      throw e;
    }
  }

  /**
   * Reserves `name` for a registration about to deploy its contract, across every replica: false when an issuer has the
   * name or another registration holds it (one not finished by `staleBefore`, ms, is taken over: its replica died).
   * One statement; the unique index on issuers.name is the last word (putIssuer) should two ever get past this.
   */
  async reserveIssuerName(name: string, signer: string, staleBefore: number): Promise<boolean> {
    const now = Date.now();
    const r = await sql`insert into issuer_name_reservations (name, signer, reserved_at)
      select cast(${name} as text), cast(${signer.toLowerCase()} as text), cast(${now} as bigint)
      where not exists (select 1 from issuers where name = ${name})
      on conflict (name) do update set signer = excluded.signer, reserved_at = excluded.reserved_at
      where issuer_name_reservations.reserved_at < ${staleBefore}`.execute(this.db);
    return r.numAffectedRows === 1n;
  }

  /** Forgets every issuer (the recorded deployment is not on this chain: they were contracts of another). */
  async forgetIssuers(): Promise<void> {
    await this.db.deleteFrom('issuers').execute();
  }

  /** Ends a reservation (the issuer is recorded, or its deployment failed). */
  async releaseIssuerName(name: string): Promise<void> {
    await this.db.deleteFrom('issuer_name_reservations').where('name', '=', name).execute();
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

/**
 * Issuer names are unique across replicas: a unique index on issuers.name, and reservations taken before a
 * registration deploys its ClaimIssuer (so two replicas never both deploy for one name).
 */
export const issuerNamesMigration: Migration = {
  id: '0022-issuer-names',
  async up(db, t) {
    await db.schema.createIndex('issuers_name').on('issuers').column('name').unique().execute();
    await db.schema.createTable('issuer_name_reservations')
      .addColumn('name', t.text, (c) => c.primaryKey())
      .addColumn('signer', t.text, (c) => c.notNull())
      .addColumn('reserved_at', t.bigint, (c) => c.notNull())
      .execute();
  },
};

/** Spent nonces by time, for pruning: a row per signed request would otherwise grow without bound. */
export const authNoncesByTimeMigration: Migration = {
  id: '0013-auth-nonces-by-time',
  async up(db) {
    await db.schema.createIndex('auth_nonces_by_time').on('auth_nonces').column('used_at').execute();
  },
};
