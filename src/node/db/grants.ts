import { sql, type Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface GrantsTables {
  grants: {
    identity: string; topic: number; verifier: string; verifier_key: string; envelope_ref: string; cid: string; expires_at: number;
    status: 'active' | 'revoked'; tx_hash: string | null; created_at: number; revoked_at: number | null;
  };
  pending_grant_revocations: { identity: string; topic: number; verifier: string; cids: string; granted_at: number; created_at: number };
}

export const grantsMigration: Migration = {
  id: '0005-grants',
  async up(db, t) {
    await db.schema.createTable('grants')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('verifier', t.text, (c) => c.notNull())
      .addColumn('verifier_key', t.text, (c) => c.notNull())
      .addColumn('envelope_ref', t.text, (c) => c.notNull())
      .addColumn('cid', t.text, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('active', 'revoked')`))
      .addColumn('tx_hash', t.text)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('revoked_at', t.bigint)
      .addPrimaryKeyConstraint('grants_pk', ['identity', 'topic', 'verifier'])
      .execute();
    // A revocation between its on-chain transaction and the off-chain step (capabilities and the grant row):
    // recorded durably before the transaction, settled after it, and on start if the node died in between.
    await db.schema.createTable('pending_grant_revocations')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('verifier', t.text, (c) => c.notNull())
      .addColumn('cids', t.text, (c) => c.notNull())
      .addColumn('granted_at', t.bigint, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('pending_grant_revocations_pk', ['identity', 'topic', 'verifier'])
      .execute();
  },
};

export interface PendingRevocation {
  identity: string; topic: number; verifier: string; cids: string[];
  /** The on-chain grant's grantedAt when the revocation was recorded: any other value later means it landed. */
  grantedAt: number;
  createdAt: number;
}

export interface GrantRow {
  identity: string; topic: number; verifier: string; verifierKey: string; envelopeRef: string; cid: string;
  expiresAt: number; status: 'active' | 'revoked'; txHash: string | null; createdAt: number; revokedAt: number | null;
}

/** Off-chain mirror of access grants (the chain's canAccess stays the authority). */
export class GrantsRepo {
  constructor(private readonly db: Kysely<GrantsTables>) {}

  async put(g: Omit<GrantRow, 'status' | 'createdAt' | 'revokedAt'>): Promise<void> {
    const set = {
      verifier_key: g.verifierKey, envelope_ref: g.envelopeRef.toLowerCase(), cid: g.cid, expires_at: g.expiresAt, status: 'active' as const,
      tx_hash: g.txHash, created_at: Date.now(),
    };
    // revoked_at is kept across re-grants: capabilities issued before the last revocation stay dead.
    await this.db.insertInto('grants').values({ identity: g.identity.toLowerCase(), topic: g.topic, verifier: g.verifier.toLowerCase(), ...set, revoked_at: null })
      .onConflict((oc) => oc.columns(['identity', 'topic', 'verifier']).doUpdateSet(set)).execute();
  }
  /** txHash null: the revocation's transaction is not known (settled on start), the row keeps its last one. */
  async revoke(identity: string, topic: number, verifier: string, txHash: string | null): Promise<void> {
    await this.db.updateTable('grants')
      .set((e) => ({ status: 'revoked', revoked_at: Date.now(), tx_hash: txHash ?? e.ref('tx_hash') }))
      .where('identity', '=', identity.toLowerCase()).where('topic', '=', topic).where('verifier', '=', verifier.toLowerCase())
      .execute();
  }
  /** Records a revocation about to be sent (durable before the transaction exists). */
  async beginRevocation(identity: string, topic: number, verifier: string, cids: readonly string[], grantedAt: number): Promise<PendingRevocation> {
    const row = { identity: identity.toLowerCase(), topic, verifier: verifier.toLowerCase(), cids: [...cids], grantedAt, createdAt: Date.now() };
    const set = { cids: JSON.stringify(row.cids), granted_at: grantedAt, created_at: row.createdAt };
    await this.db.insertInto('pending_grant_revocations').values({ identity: row.identity, topic, verifier: row.verifier, ...set })
      .onConflict((oc) => oc.columns(['identity', 'topic', 'verifier']).doUpdateSet(set)).execute();
    return row;
  }
  async endRevocation(identity: string, topic: number, verifier: string): Promise<void> {
    await this.db.deleteFrom('pending_grant_revocations')
      .where('identity', '=', identity.toLowerCase()).where('topic', '=', topic).where('verifier', '=', verifier.toLowerCase())
      .execute();
  }
  async pendingRevocations(): Promise<PendingRevocation[]> {
    const rows = await this.db.selectFrom('pending_grant_revocations')
      .select(['identity', 'topic', 'verifier', 'cids', 'granted_at as grantedAt', 'created_at as createdAt']).orderBy('created_at').execute();
    return rows.map((r) => ({ ...r, cids: JSON.parse(r.cids) as string[] }));
  }
  list(identity: string): Promise<GrantRow[]> {
    return this.select().where('identity', '=', identity.toLowerCase()).orderBy('created_at').execute();
  }
  /** The grants made to one verifier, on any identity. */
  listByVerifier(verifier: string): Promise<GrantRow[]> {
    return this.select().where('verifier', '=', verifier.toLowerCase()).orderBy('created_at').execute();
  }
  get(identity: string, topic: number, verifier: string): Promise<GrantRow | undefined> {
    return this.select().where('identity', '=', identity.toLowerCase()).where('topic', '=', topic).where('verifier', '=', verifier.toLowerCase())
      .executeTakeFirst();
  }
  private select() {
    return this.db.selectFrom('grants').select([
      'identity', 'topic', 'verifier', 'verifier_key as verifierKey', 'envelope_ref as envelopeRef', 'cid', 'expires_at as expiresAt',
      'status', 'tx_hash as txHash', 'created_at as createdAt', 'revoked_at as revokedAt',
    ]);
  }
}
