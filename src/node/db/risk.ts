// The risk engine's state: one row per identity (the facts the chain and the compliance service gave, the last score
// with its explanation, what the chain holds), activity buckets per identity and UTC day (sums only: a Transfer
// event adds to them, src/risk/activity.ts), wallets as the identity registry storage says, jurisdiction openings,
// imported country tables, and the indexer's cursors. Scores and facts are personal data: they stay here, never on
// chain beyond the number, never in a log line.
import { sql, type Generated, type Kysely } from 'kysely';
import type { ActivityBucket } from '../../risk/index.js';
import { atomically } from './engine.js';
import type { Migration } from './migrate.js';

// Token amounts are stored in thousandths of a whole token (bigint on both engines, exact to 2^53).
const MILLI = 1000;

export interface RiskTables {
  risk_identities: {
    identity: string;
    /** JSON RiskInput without activity (country, attested, customer, compliance). */
    facts: string;
    facts_at: number;
    score: number | null;
    band: string | null;
    /** JSON RiskScore (factors with weights, values and details). */
    explanation: string | null;
    computed_at: number | null;
    onchain_score: number | null;
    onchain_at: number | null;
  };
  risk_customer: { identity: string; pep: number; open_cases: number; confirmed_cases: number; entity_type: string | null; updated_at: number };
  risk_activity: { identity: string; day: number; count: number; volume: number; near_limit: number; risky: number; cp_score_volume: number; cp_volume: number };
  risk_wallets: { wallet: string; identity: string; country: number; block: number };
  risk_jurisdictions: { identity: string; country: number; salt: string; issuer: string; claim_id: string; recorded_at: number };
  risk_country_tables: { seq: Generated<number>; id: string; data: string; imported_at: number; imported_by: string };
  risk_cursors: { name: string; block: number };
}

export const riskMigration: Migration = {
  id: '0015-risk',
  async up(db, t) {
    await db.schema.createTable('risk_identities')
      .addColumn('identity', t.text, (c) => c.primaryKey())
      .addColumn('facts', t.text, (c) => c.notNull())
      .addColumn('facts_at', t.bigint, (c) => c.notNull())
      .addColumn('score', t.int)
      .addColumn('band', t.text)
      .addColumn('explanation', t.text)
      .addColumn('computed_at', t.bigint)
      .addColumn('onchain_score', t.int)
      .addColumn('onchain_at', t.bigint)
      .execute();
    await db.schema.createTable('risk_customer')
      .addColumn('identity', t.text, (c) => c.primaryKey())
      .addColumn('pep', t.int, t.bool('pep'))
      .addColumn('open_cases', t.int, (c) => c.notNull())
      .addColumn('confirmed_cases', t.int, (c) => c.notNull())
      .addColumn('entity_type', t.text)
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await t.sqliteOnly(db.schema.createTable('risk_activity')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('day', t.int, (c) => c.notNull())
      .addColumn('count', t.int, (c) => c.notNull())
      .addColumn('volume', t.bigint, (c) => c.notNull())
      .addColumn('near_limit', t.int, (c) => c.notNull())
      .addColumn('risky', t.int, (c) => c.notNull())
      .addColumn('cp_score_volume', t.bigint, (c) => c.notNull())
      .addColumn('cp_volume', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('risk_activity_pk', ['identity', 'day']), (b) => b.modifyEnd(sql`without rowid`))
      .execute();
    await db.schema.createIndex('risk_activity_day').on('risk_activity').columns(['day']).execute();
    await db.schema.createTable('risk_wallets')
      .addColumn('wallet', t.text, (c) => c.primaryKey())
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('country', t.int, (c) => c.notNull())
      .addColumn('block', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('risk_wallets_identity').on('risk_wallets').columns(['identity']).execute();
    await db.schema.createTable('risk_jurisdictions')
      .addColumn('identity', t.text, (c) => c.primaryKey())
      .addColumn('country', t.int, (c) => c.notNull())
      .addColumn('salt', t.text, (c) => c.notNull())
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('claim_id', t.text, (c) => c.notNull())
      .addColumn('recorded_at', t.bigint, (c) => c.notNull())
      .execute();
    await t.serialKey(db.schema.createTable('risk_country_tables'), 'seq')
      .addColumn('id', t.text, (c) => c.notNull())
      .addColumn('data', t.text, (c) => c.notNull())
      .addColumn('imported_at', t.bigint, (c) => c.notNull())
      .addColumn('imported_by', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('risk_cursors')
      .addColumn('name', t.text, (c) => c.primaryKey())
      .addColumn('block', t.bigint, (c) => c.notNull())
      .execute();
  },
};

export interface RiskIdentityRow {
  identity: string;
  facts: string;
  factsAt: number;
  score: number | null;
  band: string | null;
  explanation: string | null;
  computedAt: number | null;
  onchainScore: number | null;
  onchainAt: number | null;
}
export interface CustomerFacts { pep: boolean; openCases: number; confirmedCases: number; entityType: string | null }
export interface Jurisdiction { identity: string; country: number; salt: string; issuer: string; claimId: string; recordedAt: number }

const identityColumns = [
  'identity', 'facts', 'facts_at as factsAt', 'score', 'band', 'explanation', 'computed_at as computedAt', 'onchain_score as onchainScore', 'onchain_at as onchainAt',
] as const;
const bucketOf = (r: { day: number; count: number; volume: number; near_limit: number; risky: number; cp_score_volume: number; cp_volume: number }): ActivityBucket => ({
  day: Number(r.day), count: Number(r.count), volume: Number(r.volume) / MILLI, nearLimit: Number(r.near_limit), risky: Number(r.risky),
  cpScoreVolume: Number(r.cp_score_volume) / MILLI, cpVolume: Number(r.cp_volume) / MILLI,
});

export class RiskRepo {
  constructor(private readonly db: Kysely<RiskTables>) {}

  // ---------------------------------------------------------------- identities, facts and scores
  async identity(identity: string): Promise<RiskIdentityRow | undefined> {
    return this.db.selectFrom('risk_identities').select(identityColumns).where('identity', '=', identity.toLowerCase()).executeTakeFirst();
  }
  /** Every scored or known identity (a full recompute reads them all at once). */
  async identities(): Promise<RiskIdentityRow[]> {
    return this.db.selectFrom('risk_identities').select(identityColumns).orderBy('identity').execute();
  }
  async putFacts(identity: string, facts: unknown, at: number): Promise<void> {
    const v = { identity: identity.toLowerCase(), facts: JSON.stringify(facts), facts_at: at };
    await this.db.insertInto('risk_identities').values(v).onConflict((oc) => oc.column('identity').doUpdateSet({ facts: v.facts, facts_at: v.facts_at })).execute();
  }
  /**
   * Records computed scores (one transaction for the lot), 200 rows per statement. Scored identities always have a
   * facts row already (the scores were computed from it), so the insert side of the upsert never applies.
   */
  async putScores(rows: readonly { identity: string; score: number; band: string; explanation: unknown; at: number }[]): Promise<void> {
    await atomically(this.db, async (tx) => {
      for (let i = 0; i < rows.length; i += 200) {
        const values = rows.slice(i, i + 200).map((r) => ({
          identity: r.identity.toLowerCase(), facts: '{}', facts_at: 0, score: r.score, band: r.band, explanation: JSON.stringify(r.explanation), computed_at: r.at,
        }));
        await tx.insertInto('risk_identities').values(values).onConflict((oc) => oc.column('identity').doUpdateSet({
          score: sql`excluded.score`, band: sql`excluded.band`, explanation: sql`excluded.explanation`, computed_at: sql`excluded.computed_at`,
        })).execute();
      }
    });
  }
  /** What the chain holds now, after the transaction that wrote it was mined. */
  async putOnchain(identity: string, score: number | null, at: number): Promise<void> {
    await this.db.updateTable('risk_identities').set({ onchain_score: score, onchain_at: at }).where('identity', '=', identity.toLowerCase()).execute();
  }
  async scoresOf(identities: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (let i = 0; i < identities.length; i += 500) {
      const rows = await this.db.selectFrom('risk_identities').select(['identity', 'score'])
        .where('identity', 'in', identities.slice(i, i + 500).map((x) => x.toLowerCase())).where('score', 'is not', null).execute();
      for (const r of rows) out.set(r.identity, Number(r.score));
    }
    return out;
  }

  // ---------------------------------------------------------------- customer facts (the compliance service's)
  async setCustomer(identity: string, f: CustomerFacts, at = Date.now()): Promise<void> {
    const v = { identity: identity.toLowerCase(), pep: f.pep ? 1 : 0, open_cases: f.openCases, confirmed_cases: f.confirmedCases, entity_type: f.entityType, updated_at: at };
    await this.db.insertInto('risk_customer').values(v).onConflict((oc) => oc.column('identity').doUpdateSet({ pep: v.pep, open_cases: v.open_cases, confirmed_cases: v.confirmed_cases, entity_type: v.entity_type, updated_at: at })).execute();
  }
  async customers(identities: readonly string[]): Promise<Map<string, CustomerFacts>> {
    const out = new Map<string, CustomerFacts>();
    if (identities.length === 0) return out;
    // Few identities have customer facts: read them all when asked about many.
    const rows = identities.length > 500
      ? await this.db.selectFrom('risk_customer').selectAll().execute()
      : await this.db.selectFrom('risk_customer').selectAll().where('identity', 'in', identities.map((i) => i.toLowerCase())).execute();
    for (const r of rows) out.set(r.identity, { pep: Number(r.pep) === 1, openCases: Number(r.open_cases), confirmedCases: Number(r.confirmed_cases), entityType: r.entity_type });
    return out;
  }
  async customer(identity: string): Promise<CustomerFacts | undefined> {
    const r = await this.db.selectFrom('risk_customer').selectAll().where('identity', '=', identity.toLowerCase()).executeTakeFirst();
    return r && { pep: Number(r.pep) === 1, openCases: Number(r.open_cases), confirmedCases: Number(r.confirmed_cases), entityType: r.entity_type };
  }

  // ---------------------------------------------------------------- activity
  /** Adds the buckets (sums) in one transaction, 200 rows per statement. */
  async addActivity(rows: Iterable<{ identity: string; bucket: ActivityBucket }>): Promise<number> {
    const all = [...rows].map(({ identity, bucket: b }) => ({
      identity: identity.toLowerCase(), day: b.day, count: b.count, volume: Math.round(b.volume * MILLI), near_limit: b.nearLimit, risky: b.risky,
      cp_score_volume: Math.round(b.cpScoreVolume * MILLI), cp_volume: Math.round(b.cpVolume * MILLI),
    }));
    await atomically(this.db, async (tx) => {
      for (let i = 0; i < all.length; i += 200) {
        await tx.insertInto('risk_activity').values(all.slice(i, i + 200)).onConflict((oc) => oc.columns(['identity', 'day']).doUpdateSet({
          count: sql`risk_activity.count + excluded.count`, volume: sql`risk_activity.volume + excluded.volume`,
          near_limit: sql`risk_activity.near_limit + excluded.near_limit`, risky: sql`risk_activity.risky + excluded.risky`,
          cp_score_volume: sql`risk_activity.cp_score_volume + excluded.cp_score_volume`, cp_volume: sql`risk_activity.cp_volume + excluded.cp_volume`,
        })).execute();
      }
    });
    return all.length;
  }
  async activity(identity: string, fromDay: number): Promise<ActivityBucket[]> {
    const rows = await this.db.selectFrom('risk_activity').selectAll().where('identity', '=', identity.toLowerCase()).where('day', '>=', fromDay).execute();
    return rows.map(bucketOf);
  }
  /** Every identity's buckets from `fromDay` on (a full recompute). */
  async allActivity(fromDay: number): Promise<Map<string, ActivityBucket[]>> {
    const out = new Map<string, ActivityBucket[]>();
    for (const r of await this.db.selectFrom('risk_activity').selectAll().where('day', '>=', fromDay).execute()) {
      let l = out.get(r.identity);
      if (!l) out.set(r.identity, (l = []));
      l.push(bucketOf(r));
    }
    return out;
  }

  // ---------------------------------------------------------------- wallets (from IdentityRegistryStorage events)
  async putWallet(wallet: string, identity: string, country: number, block: number): Promise<void> {
    const v = { wallet: wallet.toLowerCase(), identity: identity.toLowerCase(), country, block };
    await this.db.insertInto('risk_wallets').values(v).onConflict((oc) => oc.column('wallet').doUpdateSet({ identity: v.identity, country, block })).execute();
  }
  async setWalletCountry(wallet: string, country: number, block: number): Promise<void> {
    await this.db.updateTable('risk_wallets').set({ country, block }).where('wallet', '=', wallet.toLowerCase()).execute();
  }
  async removeWallet(wallet: string): Promise<void> {
    await this.db.deleteFrom('risk_wallets').where('wallet', '=', wallet.toLowerCase()).execute();
  }
  async wallet(wallet: string): Promise<{ identity: string; country: number } | undefined> {
    const r = await this.db.selectFrom('risk_wallets').select(['identity', 'country']).where('wallet', '=', wallet.toLowerCase()).executeTakeFirst();
    return r && { identity: r.identity, country: Number(r.country) };
  }
  /** Wallet -> identity for many wallets at once (500 per query). */
  async walletsIn(wallets: readonly string[]): Promise<Map<string, { identity: string; country: number }>> {
    const out = new Map<string, { identity: string; country: number }>();
    for (let i = 0; i < wallets.length; i += 500) {
      const rows = await this.db.selectFrom('risk_wallets').select(['wallet', 'identity', 'country']).where('wallet', 'in', wallets.slice(i, i + 500).map((w) => w.toLowerCase())).execute();
      for (const r of rows) out.set(r.wallet, { identity: r.identity, country: Number(r.country) });
    }
    return out;
  }
  async walletsOf(identity: string): Promise<{ wallet: string; country: number }[]> {
    const rows = await this.db.selectFrom('risk_wallets').select(['wallet', 'country']).where('identity', '=', identity.toLowerCase()).orderBy('wallet').execute();
    return rows.map((r) => ({ wallet: r.wallet, country: Number(r.country) }));
  }
  async registeredIdentities(): Promise<string[]> {
    return (await this.db.selectFrom('risk_wallets').select('identity').distinct().execute()).map((r) => r.identity);
  }

  // ---------------------------------------------------------------- jurisdiction openings
  async putJurisdiction(j: Omit<Jurisdiction, 'recordedAt'>, at = Date.now()): Promise<void> {
    const v = { identity: j.identity.toLowerCase(), country: j.country, salt: j.salt, issuer: j.issuer.toLowerCase(), claim_id: j.claimId, recorded_at: at };
    await this.db.insertInto('risk_jurisdictions').values(v).onConflict((oc) => oc.column('identity').doUpdateSet({ country: v.country, salt: v.salt, issuer: v.issuer, claim_id: v.claim_id, recorded_at: at })).execute();
  }
  async jurisdiction(identity: string): Promise<Jurisdiction | undefined> {
    return this.db.selectFrom('risk_jurisdictions').select(['identity', 'country', 'salt', 'issuer', 'claim_id as claimId', 'recorded_at as recordedAt'])
      .where('identity', '=', identity.toLowerCase()).executeTakeFirst();
  }

  // ---------------------------------------------------------------- country tables
  async importTable(id: string, data: unknown, by: string, at = Date.now()): Promise<void> {
    await this.db.insertInto('risk_country_tables').values({ id, data: JSON.stringify(data), imported_at: at, imported_by: by.toLowerCase() }).execute();
  }
  /** The newest import (the active table); undefined: none, the seed applies. */
  async activeTable(): Promise<{ data: unknown; importedAt: number; importedBy: string } | undefined> {
    const r = await this.db.selectFrom('risk_country_tables').selectAll().orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r && { data: JSON.parse(r.data) as unknown, importedAt: Number(r.imported_at), importedBy: r.imported_by };
  }

  // ---------------------------------------------------------------- cursors
  async cursor(name: string): Promise<number | undefined> {
    const r = await this.db.selectFrom('risk_cursors').select('block').where('name', '=', name).executeTakeFirst();
    return r && Number(r.block);
  }
  /**
   * Moves the cursor from `from` to `to`; false when another writer moved it first (the caller's transaction must
   * then roll back: its buckets were counted by the other). A check-and-write in one statement.
   */
  async advanceCursor(name: string, from: number | undefined, to: number): Promise<boolean> {
    if (from === undefined) {
      const r = await this.db.insertInto('risk_cursors').values({ name, block: to }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
      return r.numInsertedOrUpdatedRows === 1n;
    }
    const r = await this.db.updateTable('risk_cursors').set({ block: to }).where('name', '=', name).where('block', '=', from).executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }
}
