// The node's mirror of the global identity state tree (GIST, src/node/methods/zk-gist.ts): every ZK identity's latest
// published state, folded from IdentityStateRegistry's StateTransitioned events, per registry. The chain stays the
// authority; these rows exist because the embedded chain drops receipts (and so logs) older than
// `chainHistoryBlocks`, so the leaves could not be replayed from the chain later. Each replica rebuilds the tree in
// memory from the leaves and then only the leaves folded after the block it has. Field elements are decimal strings.
import { sql, type Kysely } from 'kysely';
import { atomically } from './engine.js';
import type { Migration } from './migrate.js';

export interface ZkGistTables {
  /** Blocks below `indexed_block` are folded into the registry's leaves. */
  zk_gist_cursor: { registry: string; indexed_block: number };
  /** `block`: the block of the identity's latest transition (replicas load the leaves changed since their last block). */
  zk_gist_leaves: { registry: string; id: string; state: string; block: number };
}

export const zkGistMigration: Migration = {
  id: '0021-zk-gist',
  async up(db, t) {
    await db.schema.createTable('zk_gist_cursor')
      .addColumn('registry', t.text, (c) => c.primaryKey())
      .addColumn('indexed_block', t.bigint, (c) => c.notNull())
      .execute();
    await t.sqliteOnly(db.schema.createTable('zk_gist_leaves')
      .addColumn('registry', t.text, (c) => c.notNull())
      .addColumn('id', t.text, (c) => c.notNull())
      .addColumn('state', t.text, (c) => c.notNull())
      .addColumn('block', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_gist_leaves_pk', ['registry', 'id']), (b) => b.modifyEnd(sql`without rowid`))
      .execute();
    await db.schema.createIndex('zk_gist_leaves_by_block').on('zk_gist_leaves').columns(['registry', 'block']).execute();
  },
};

/** One identity's latest state as folded from the registry's events. */
export interface GistLeafRow { readonly id: bigint; readonly state: bigint; readonly block: number }

export class ZkGistRepo {
  constructor(private readonly db: Kysely<ZkGistTables>) {}

  /** The first block not folded yet for `registry` (0 when it was never folded). */
  async indexedBlock(registry: string): Promise<number> {
    const r = await this.db.selectFrom('zk_gist_cursor').select('indexed_block').where('registry', '=', registry.toLowerCase()).executeTakeFirst();
    return r ? Number(r.indexed_block) : 0;
  }

  /**
   * Folds the leaves of blocks [`from`, `to`) and moves the cursor to `to`, in one transaction, only if the cursor is
   * still at `from`: another folder (this process's or a replica's) that got there first wins and this changes
   * nothing (returns false), so a replayed range never moves a leaf back.
   */
  async apply(registry: string, from: number, to: number, leaves: readonly GistLeafRow[]): Promise<boolean> {
    const reg = registry.toLowerCase();
    return atomically(this.db, async (tx) => {
      if (from === 0) {
        await tx.insertInto('zk_gist_cursor').values({ registry: reg, indexed_block: 0 }).onConflict((oc) => oc.column('registry').doNothing()).execute();
      }
      const moved = await tx.updateTable('zk_gist_cursor').set({ indexed_block: to })
        .where('registry', '=', reg).where('indexed_block', '=', from).executeTakeFirst();
      if (moved.numUpdatedRows !== 1n) return false;
      for (const l of leaves) {
        await tx.insertInto('zk_gist_leaves').values({ registry: reg, id: l.id.toString(), state: l.state.toString(), block: l.block })
          .onConflict((oc) => oc.columns(['registry', 'id']).doUpdateSet({ state: l.state.toString(), block: l.block })).execute();
      }
      return true;
    });
  }

  /** The leaves whose latest transition is in a block >= `fromBlock`, and the cursor they were read under. */
  async leavesSince(registry: string, fromBlock: number): Promise<{ leaves: GistLeafRow[]; indexedBlock: number }> {
    const reg = registry.toLowerCase();
    // One transaction: the cursor and the leaves agree (a fold committing in between would otherwise be half seen).
    return atomically(this.db, async (tx) => {
      const cursor = await tx.selectFrom('zk_gist_cursor').select('indexed_block').where('registry', '=', reg).executeTakeFirst();
      const rows = await tx.selectFrom('zk_gist_leaves').select(['id', 'state', 'block'])
        .where('registry', '=', reg).where('block', '>=', fromBlock).execute();
      return {
        leaves: rows.map((r) => ({ id: BigInt(r.id), state: BigInt(r.state), block: Number(r.block) })),
        indexedBlock: cursor ? Number(cursor.indexed_block) : 0,
      };
    });
  }

  async count(registry: string): Promise<number> {
    const r = await this.db.selectFrom('zk_gist_leaves').select((e) => e.fn.countAll<number>().as('n')).where('registry', '=', registry.toLowerCase()).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
