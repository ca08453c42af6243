import type { Kysely } from 'kysely';
import type { Migration } from './migrate.js';

/**
 * Off-chain mirror of access through fund administrators (the chain's canAccess stays the authority), so
 * id_listAccessGrants shows it to the subject, the administrator and the regulator:
 * - `delegation`: the subject's grant to its administrator (`grantee` = `delegate`) under `delegationTopic(topic)`;
 * - `onward`: the administrator's grant to a regulator (`grantee`) under `onwardTopic(identity, topic)`, recorded on
 *   `delegate_identity`, the administrator's identity.
 */
export interface DelegatedGrantsTables {
  delegated_grants: {
    identity: string; topic: number; kind: DelegatedKind; grantee: string; grantee_key: string; delegate: string; delegate_identity: string | null;
    envelope_ref: string; cid: string; expires_at: number; status: 'active' | 'revoked'; tx_hash: string | null; created_at: number; revoked_at: number | null;
  };
}

export type DelegatedKind = 'delegation' | 'onward';

export const delegatedGrantsMigration: Migration = {
  id: '0019-delegated-grants',
  async up(db, t) {
    await db.schema.createTable('delegated_grants')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('grantee', t.text, (c) => c.notNull())
      .addColumn('grantee_key', t.text, (c) => c.notNull())
      .addColumn('delegate', t.text, (c) => c.notNull())
      .addColumn('delegate_identity', t.text)
      .addColumn('envelope_ref', t.text, (c) => c.notNull())
      .addColumn('cid', t.text, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull())
      .addColumn('tx_hash', t.text)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('revoked_at', t.bigint)
      .addPrimaryKeyConstraint('delegated_grants_pk', ['identity', 'topic', 'kind', 'grantee', 'delegate'])
      .execute();
    await db.schema.createIndex('delegated_grants_grantee').on('delegated_grants').column('grantee').execute();
    await db.schema.createIndex('delegated_grants_delegate').on('delegated_grants').column('delegate').execute();
  },
};

export interface DelegatedGrantRow {
  identity: string; topic: number; kind: DelegatedKind; grantee: string; granteeKey: string; delegate: string; delegateIdentity: string | null;
  envelopeRef: string; cid: string; expiresAt: number; status: 'active' | 'revoked'; txHash: string | null; createdAt: number; revokedAt: number | null;
}

/** Rows matching every given field (addresses compared lower-case). */
export interface DelegatedGrantFilter { identity?: string; topic?: number; kind?: DelegatedKind; grantee?: string; delegate?: string }

export class DelegatedGrantsRepo {
  constructor(private readonly db: Kysely<DelegatedGrantsTables>) {}

  async put(g: Omit<DelegatedGrantRow, 'status' | 'createdAt' | 'revokedAt'>): Promise<void> {
    const set = {
      grantee_key: g.granteeKey, delegate_identity: g.delegateIdentity?.toLowerCase() ?? null, envelope_ref: g.envelopeRef.toLowerCase(), cid: g.cid,
      expires_at: g.expiresAt, status: 'active' as const, tx_hash: g.txHash, created_at: Date.now(), revoked_at: null,
    };
    await this.db.insertInto('delegated_grants')
      .values({ identity: g.identity.toLowerCase(), topic: g.topic, kind: g.kind, grantee: g.grantee.toLowerCase(), delegate: g.delegate.toLowerCase(), ...set })
      .onConflict((oc) => oc.columns(['identity', 'topic', 'kind', 'grantee', 'delegate']).doUpdateSet(set)).execute();
  }

  async revoke(k: { identity: string; topic: number; kind: DelegatedKind; grantee: string; delegate: string }, txHash: string): Promise<void> {
    await this.db.updateTable('delegated_grants').set({ status: 'revoked', revoked_at: Date.now(), tx_hash: txHash })
      .where('identity', '=', k.identity.toLowerCase()).where('topic', '=', k.topic).where('kind', '=', k.kind)
      .where('grantee', '=', k.grantee.toLowerCase()).where('delegate', '=', k.delegate.toLowerCase())
      .execute();
  }

  list(f: DelegatedGrantFilter): Promise<DelegatedGrantRow[]> {
    let q = this.db.selectFrom('delegated_grants').select([
      'identity', 'topic', 'kind', 'grantee', 'grantee_key as granteeKey', 'delegate', 'delegate_identity as delegateIdentity',
      'envelope_ref as envelopeRef', 'cid', 'expires_at as expiresAt', 'status', 'tx_hash as txHash', 'created_at as createdAt', 'revoked_at as revokedAt',
    ]);
    if (f.identity !== undefined) q = q.where('identity', '=', f.identity.toLowerCase());
    if (f.topic !== undefined) q = q.where('topic', '=', f.topic);
    if (f.kind !== undefined) q = q.where('kind', '=', f.kind);
    if (f.grantee !== undefined) q = q.where('grantee', '=', f.grantee.toLowerCase());
    if (f.delegate !== undefined) q = q.where('delegate', '=', f.delegate.toLowerCase());
    return q.orderBy('created_at').execute().then((rows) => rows.map((r) => ({ ...r, expiresAt: Number(r.expiresAt), createdAt: Number(r.createdAt), revokedAt: r.revokedAt === null ? null : Number(r.revokedAt) })));
  }
}
