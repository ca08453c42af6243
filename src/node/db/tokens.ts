// Token suites the node serves (deployed through it, or asked about) and their index: balances folded from Transfer
// events (the cap table) and the accounts that ever held a role (from RolesGranted / RolesRevoked). The chain stays
// the authority; the index answers `token_holders` without replaying history, which the embedded chain does not keep
// (receipts older than `chainHistoryBlocks` are dropped).
import type { Kysely } from 'kysely';
import { atomically } from './engine.js';
import type { Migration } from './migrate.js';

export interface TokensTables {
  /** `suite`: JSON of the suite's contract addresses; blocks below `indexed_block` are folded into the index. */
  tokens: { token: string; suite: string; from_block: number; indexed_block: number; created_at: number };
  /** `balance`: decimal, zero-padded to 40 digits so text order is numeric order (balances are below 2^128). */
  token_balances: { token: string; holder: string; balance: string };
  token_role_accounts: { token: string; account: string };
}

export const tokensMigration: Migration = {
  id: '0016-tokens',
  async up(db, t) {
    await db.schema.createTable('tokens')
      .addColumn('token', t.text, (c) => c.primaryKey())
      .addColumn('suite', t.text, (c) => c.notNull())
      .addColumn('from_block', t.bigint, (c) => c.notNull())
      .addColumn('indexed_block', t.bigint, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('token_balances')
      .addColumn('token', t.text, (c) => c.notNull())
      .addColumn('holder', t.text, (c) => c.notNull())
      .addColumn('balance', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('token_balances_pk', ['token', 'holder'])
      .execute();
    await db.schema.createIndex('token_balances_by_balance').on('token_balances').columns(['token', 'balance']).execute();
    await db.schema.createTable('token_role_accounts')
      .addColumn('token', t.text, (c) => c.notNull())
      .addColumn('account', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('token_role_accounts_pk', ['token', 'account'])
      .execute();
  },
};

export interface TokenRow<S> { token: string; suite: S; fromBlock: number; indexedBlock: number; createdAt: number }

const WIDTH = 40;
const pad = (v: bigint) => v.toString().padStart(WIDTH, '0');

/** One batch of indexed events: balance changes per holder and accounts seen in role events. */
export interface IndexBatch { deltas: Map<string, bigint>; roleAccounts: Set<string> }

export class TokensRepo {
  constructor(private readonly db: Kysely<TokensTables>) {}

  /** Starts tracking `token` from `fromBlock` (no change when it is tracked already). */
  async track<S>(token: string, suite: S, fromBlock: number): Promise<void> {
    await this.db.insertInto('tokens')
      .values({ token: token.toLowerCase(), suite: JSON.stringify(suite), from_block: fromBlock, indexed_block: fromBlock, created_at: Date.now() })
      .onConflict((oc) => oc.column('token').doNothing()).execute();
  }

  async get<S>(token: string): Promise<TokenRow<S> | undefined> {
    const r = await this.db.selectFrom('tokens').selectAll().where('token', '=', token.toLowerCase()).executeTakeFirst();
    return r && { token: r.token, suite: JSON.parse(r.suite) as S, fromBlock: Number(r.from_block), indexedBlock: Number(r.indexed_block), createdAt: Number(r.created_at) };
  }

  async list<S>(): Promise<TokenRow<S>[]> {
    const rows = await this.db.selectFrom('tokens').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({ token: r.token, suite: JSON.parse(r.suite) as S, fromBlock: Number(r.from_block), indexedBlock: Number(r.indexed_block), createdAt: Number(r.created_at) }));
  }

  /**
   * Folds the events of blocks [`from`, `to`) into the index and moves `indexed_block` to `to`, in one transaction,
   * only if `indexed_block` is still `from`: an indexer (this node's or another replica's) that got there first wins
   * and this batch changes nothing (returns false), so no event is ever counted twice.
   */
  async apply(token: string, from: number, to: number, batch: IndexBatch): Promise<boolean> {
    const t = token.toLowerCase();
    return atomically(this.db, async (tx) => {
      const moved = await tx.updateTable('tokens').set({ indexed_block: to })
        .where('token', '=', t).where('indexed_block', '=', from).executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) return false;
      for (const [holder, delta] of batch.deltas) {
        if (delta === 0n) continue;
        const h = holder.toLowerCase();
        const row = await tx.selectFrom('token_balances').select('balance').where('token', '=', t).where('holder', '=', h).executeTakeFirst();
        const next = BigInt(row?.balance ?? '0') + delta;
        if (next < 0n) throw new Error(`token index of ${t}: ${h} would hold ${next}`);
        if (next === 0n) {
          await tx.deleteFrom('token_balances').where('token', '=', t).where('holder', '=', h).execute();
        } else if (row) {
          await tx.updateTable('token_balances').set({ balance: pad(next) }).where('token', '=', t).where('holder', '=', h).execute();
        } else {
          await tx.insertInto('token_balances').values({ token: t, holder: h, balance: pad(next) }).execute();
        }
      }
      for (const account of batch.roleAccounts) {
        await tx.insertInto('token_role_accounts').values({ token: t, account: account.toLowerCase() })
          .onConflict((oc) => oc.columns(['token', 'account']).doNothing()).execute();
      }
      return true;
    });
  }

  /** Holders with a balance, largest first (then by address), and how many there are. */
  async holders(token: string, offset: number, limit: number): Promise<{ rows: { holder: string; balance: bigint }[]; total: number }> {
    const t = token.toLowerCase();
    const rows = await this.db.selectFrom('token_balances').select(['holder', 'balance']).where('token', '=', t)
      .orderBy('balance', 'desc').orderBy('holder').offset(offset).limit(limit).execute();
    const n = await this.db.selectFrom('token_balances').select((e) => e.fn.countAll<number>().as('n')).where('token', '=', t).executeTakeFirstOrThrow();
    return { rows: rows.map((r) => ({ holder: r.holder, balance: BigInt(r.balance) })), total: Number(n.n) };
  }

  async roleAccounts(token: string): Promise<string[]> {
    const rows = await this.db.selectFrom('token_role_accounts').select('account').where('token', '=', token.toLowerCase()).orderBy('account').execute();
    return rows.map((r) => r.account);
  }
}
