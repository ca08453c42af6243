// ZK issuers hosted by the node (src/zk/hosted-issuer.ts): each issuer's genesis keys, the roots of every state its
// trees were in, the trees' leaves (claims' Hi/Hv with the holder and the sealed claim, revoked nonces) and their
// nodes, each with the state that added it. Shared by every replica on the same database: a replica loads an
// issuer's trees into memory from these rows and then only the nodes of newer states; a change locks the issuer's row (PostgreSQL: SELECT ... FOR UPDATE; SQLite: one writer),
// so writers of one issuer take turns. Field elements are decimal strings.
import { sql, type Kysely } from 'kysely';
import type { AffinePoint } from '../../crypto/babyjub.js';
import type { Network } from '../../identity/id.js';
import { decodeNode, encodeNode } from '../../smt/node.js';
import type {
  HostedClaim, HostedClaimInput, HostedIssuerRecord, HostedIssuerRows, HostedNode, HostedState,
} from '../../zk/hosted-issuer.js';
import { atomically, type DialectName } from './engine.js';
import type { Migration } from './migrate.js';

export interface ZkIssuersTables {
  zk_hosted_issuers: { id: string; address: string; network: number; genesis_state: string; keys: string; created_at: number };
  zk_hosted_states: { issuer: string; seq: number; state: string; auth: string; claims: string; revocations: string; created_at: number };
  zk_hosted_claims: {
    issuer: string; index_hash: string; value_hash: string; revocation_nonce: string; holder: string;
    application_id: string | null; delivery: string; issued_seq: number;
  };
  zk_hosted_revocations: { issuer: string; revocation_nonce: string; seq: number };
  zk_hosted_nodes: { issuer: string; tree: string; hash: string; seq: number; node: Buffer };
}

export const zkIssuersMigration: Migration = {
  id: '0017-zk-hosted-issuers',
  async up(db, t) {
    const withoutRowid = <T extends string, C extends string>(b: Parameters<typeof t.sqliteOnly<T, C>>[0]) => t.sqliteOnly(b, (x) => x.modifyEnd(sql`without rowid`));
    await db.schema.createTable('zk_hosted_issuers')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('address', t.text, (c) => c.notNull().unique())
      .addColumn('network', t.int, (c) => c.notNull())
      .addColumn('genesis_state', t.text, (c) => c.notNull())
      .addColumn('keys', t.text, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await withoutRowid(db.schema.createTable('zk_hosted_states')
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('state', t.text, (c) => c.notNull())
      .addColumn('auth', t.text, (c) => c.notNull())
      .addColumn('claims', t.text, (c) => c.notNull())
      .addColumn('revocations', t.text, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_hosted_states_pk', ['issuer', 'seq'])).execute();
    await db.schema.createIndex('zk_hosted_states_by_state').unique().on('zk_hosted_states').columns(['issuer', 'state']).execute();
    await withoutRowid(db.schema.createTable('zk_hosted_claims')
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('index_hash', t.text, (c) => c.notNull())
      .addColumn('value_hash', t.text, (c) => c.notNull())
      .addColumn('revocation_nonce', t.text, (c) => c.notNull())
      .addColumn('holder', t.text, (c) => c.notNull())
      .addColumn('application_id', t.text)
      .addColumn('delivery', t.text, (c) => c.notNull())
      .addColumn('issued_seq', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_hosted_claims_pk', ['issuer', 'index_hash'])).execute();
    await db.schema.createIndex('zk_hosted_claims_by_nonce').unique().on('zk_hosted_claims').columns(['issuer', 'revocation_nonce']).execute();
    await db.schema.createIndex('zk_hosted_claims_by_seq').on('zk_hosted_claims').columns(['issuer', 'issued_seq']).execute();
    await db.schema.createIndex('zk_hosted_claims_by_holder').on('zk_hosted_claims').columns(['holder', 'issuer']).execute();
    await db.schema.createIndex('zk_hosted_claims_by_application').on('zk_hosted_claims').columns(['issuer', 'application_id']).execute();
    await withoutRowid(db.schema.createTable('zk_hosted_revocations')
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('revocation_nonce', t.text, (c) => c.notNull())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_hosted_revocations_pk', ['issuer', 'revocation_nonce'])).execute();
    await db.schema.createIndex('zk_hosted_revocations_by_seq').on('zk_hosted_revocations').columns(['issuer', 'seq']).execute();
  },
};

/** The tree nodes each state added (encoded as src/smt stores them): replicas load them instead of re-hashing. */
export const zkIssuerNodesMigration: Migration = {
  id: '0018-zk-hosted-nodes',
  async up(db, t) {
    await t.sqliteOnly(db.schema.createTable('zk_hosted_nodes')
      .addColumn('issuer', t.text, (c) => c.notNull())
      .addColumn('tree', t.text, (c) => c.notNull())
      .addColumn('hash', t.text, (c) => c.notNull())
      .addColumn('seq', t.bigint, (c) => c.notNull())
      .addColumn('node', t.bytes, (c) => c.notNull())
      .addPrimaryKeyConstraint('zk_hosted_nodes_pk', ['issuer', 'tree', 'hash']), (x) => x.modifyEnd(sql`without rowid`)).execute();
    await db.schema.createIndex('zk_hosted_nodes_by_seq').on('zk_hosted_nodes').columns(['issuer', 'seq']).execute();
  },
};

type IssuerRow = ZkIssuersTables['zk_hosted_issuers'];
type StateRow = Pick<ZkIssuersTables['zk_hosted_states'], 'seq' | 'state' | 'auth' | 'claims' | 'revocations'>;
type ClaimRow = ZkIssuersTables['zk_hosted_claims'];

const toIssuer = (r: IssuerRow): HostedIssuerRecord => ({
  id: r.id, address: r.address, network: r.network as Network, genesisState: BigInt(r.genesis_state),
  keys: (JSON.parse(r.keys) as [string, string][]).map(([x, y]): AffinePoint => ({ x: BigInt(x), y: BigInt(y) })),
});
const toState = (r: StateRow): HostedState => ({
  seq: r.seq, state: BigInt(r.state), roots: { auth: BigInt(r.auth), claims: BigInt(r.claims), revocations: BigInt(r.revocations) },
});
const toClaim = (r: ClaimRow): HostedClaim => ({
  issuer: r.issuer, indexHash: BigInt(r.index_hash), valueHash: BigInt(r.value_hash), revocationNonce: BigInt(r.revocation_nonce),
  holder: r.holder, ...(r.application_id ? { applicationId: r.application_id } : {}), delivery: r.delivery, issuedSeq: r.issued_seq,
});
const STATE_COLUMNS = ['seq', 'state', 'auth', 'claims', 'revocations'] as const;

export class ZkIssuersRepo implements HostedIssuerRows {
  constructor(private readonly db: Kysely<ZkIssuersTables>, private readonly dialect: DialectName) {}

  transaction<T>(fn: (rows: HostedIssuerRows) => Promise<T>): Promise<T> {
    return atomically(this.db, (tx) => fn(new ZkIssuersRepo(tx, this.dialect)));
  }

  async lockIssuer(id: string): Promise<void> {
    // SQLite: the transaction's connection is the only writer already.
    if (this.dialect === 'postgres') await this.db.selectFrom('zk_hosted_issuers').select('id').where('id', '=', id).forUpdate().execute();
  }

  async putIssuer(record: HostedIssuerRecord, genesis: HostedState): Promise<boolean> {
    const now = Date.now();
    const r = await this.db.insertInto('zk_hosted_issuers').values({
      id: record.id, address: record.address, network: record.network, genesis_state: record.genesisState.toString(),
      keys: JSON.stringify(record.keys.map((k) => [k.x.toString(), k.y.toString()])), created_at: now,
    }).onConflict((oc) => oc.doNothing()).executeTakeFirst();
    if (Number(r.numInsertedOrUpdatedRows ?? 0n) !== 1) return false;
    await this.putState(record.id, genesis);
    return true;
  }

  async issuerById(id: string): Promise<HostedIssuerRecord | undefined> {
    const r = await this.db.selectFrom('zk_hosted_issuers').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toIssuer(r);
  }

  async issuerByAddress(address: string): Promise<HostedIssuerRecord | undefined> {
    const r = await this.db.selectFrom('zk_hosted_issuers').selectAll().where('address', '=', address.toLowerCase()).executeTakeFirst();
    return r && toIssuer(r);
  }

  async latestState(id: string): Promise<HostedState | undefined> {
    const r = await this.db.selectFrom('zk_hosted_states').select(STATE_COLUMNS).where('issuer', '=', id).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return r && toState(r);
  }

  async stateByValue(id: string, state: bigint): Promise<HostedState | undefined> {
    const r = await this.db.selectFrom('zk_hosted_states').select(STATE_COLUMNS).where('issuer', '=', id).where('state', '=', state.toString()).executeTakeFirst();
    return r && toState(r);
  }

  async statesAfter(id: string, after: number): Promise<HostedState[]> {
    const rows = await this.db.selectFrom('zk_hosted_states').select(STATE_COLUMNS).where('issuer', '=', id).where('seq', '>', after).orderBy('seq').execute();
    return rows.map(toState);
  }

  async putState(id: string, s: HostedState): Promise<void> {
    await this.db.insertInto('zk_hosted_states').values({
      issuer: id, seq: s.seq, state: s.state.toString(), auth: s.roots.auth.toString(), claims: s.roots.claims.toString(),
      revocations: s.roots.revocations.toString(), created_at: Date.now(),
    }).execute();
  }

  async putNodes(id: string, nodes: readonly HostedNode[]): Promise<void> {
    // A node already stored (the same subtree again) is the same bytes: kept once.
    for (let i = 0; i < nodes.length; i += 500) {
      await this.db.insertInto('zk_hosted_nodes')
        .values(nodes.slice(i, i + 500).map((n) => ({ issuer: id, tree: n.tree, hash: n.hash.toString(), seq: n.seq, node: encodeNode(n.node) })))
        .onConflict((oc) => oc.doNothing()).execute();
    }
  }

  async nodesIn(id: string, after: number, upTo: number): Promise<HostedNode[]> {
    const rows = await this.db.selectFrom('zk_hosted_nodes').select(['tree', 'hash', 'seq', 'node'])
      .where('issuer', '=', id).where('seq', '>', after).where('seq', '<=', upTo).execute();
    return rows.map((r) => ({ tree: r.tree as HostedNode['tree'], seq: r.seq, hash: BigInt(r.hash), node: decodeNode(r.node) }));
  }

  async hasIndex(id: string, indexHash: bigint): Promise<boolean> {
    return (await this.db.selectFrom('zk_hosted_claims').select('issuer').where('issuer', '=', id).where('index_hash', '=', indexHash.toString()).executeTakeFirst()) !== undefined;
  }

  async hasNonce(id: string, nonce: bigint): Promise<boolean> {
    const n = nonce.toString();
    const claim = await this.db.selectFrom('zk_hosted_claims').select('issuer').where('issuer', '=', id).where('revocation_nonce', '=', n).executeTakeFirst();
    return claim !== undefined || this.isRevoked(id, nonce);
  }

  async putClaims(id: string, seq: number, claims: readonly HostedClaimInput[]): Promise<void> {
    await this.db.insertInto('zk_hosted_claims').values(claims.map((c) => ({
      issuer: id, index_hash: c.indexHash.toString(), value_hash: c.valueHash.toString(), revocation_nonce: c.revocationNonce.toString(),
      holder: c.holder, application_id: c.applicationId ?? null, delivery: c.delivery, issued_seq: seq,
    }))).execute();
  }

  async putRevocations(id: string, seq: number, nonces: readonly bigint[]): Promise<void> {
    await this.db.insertInto('zk_hosted_revocations').values(nonces.map((n) => ({ issuer: id, revocation_nonce: n.toString(), seq }))).execute();
  }

  async claimsOfHolder(holder: string): Promise<HostedClaim[]> {
    const rows = await this.db.selectFrom('zk_hosted_claims').selectAll().where('holder', '=', holder).orderBy('issuer').orderBy('issued_seq').orderBy('index_hash').execute();
    return rows.map(toClaim);
  }

  async claimsOfApplication(id: string, applicationId: string): Promise<HostedClaim[]> {
    const rows = await this.db.selectFrom('zk_hosted_claims').selectAll().where('issuer', '=', id).where('application_id', '=', applicationId).orderBy('index_hash').execute();
    return rows.map(toClaim);
  }

  async isRevoked(id: string, nonce: bigint): Promise<boolean> {
    return (await this.db.selectFrom('zk_hosted_revocations').select('seq').where('issuer', '=', id).where('revocation_nonce', '=', nonce.toString()).executeTakeFirst()) !== undefined;
  }

  async revokedUpTo(id: string, upTo: number): Promise<bigint[]> {
    const rows = await this.db.selectFrom('zk_hosted_revocations').select('revocation_nonce').where('issuer', '=', id).where('seq', '<=', upTo)
      .orderBy('seq').orderBy('revocation_nonce').execute();
    return rows.map((r) => BigInt(r.revocation_nonce));
  }
}
