// The screening service's tables (src/node/compliance runs them): list versions and the current one per source,
// holder profiles (ciphertext only), the claims the service keeps, screening runs with their evidence records, cases
// with their history, the action plan of each case (intent first), the event stream, and the analysts.
//
// Check-and-write is one statement everywhere: a case is unique per (identity, list entry, entry content), so the
// same pair never opens twice and a dismissed pair stays quiet until the entry changes; a case moves only from the
// status it was read in; an action step is claimed by a conditional update; a list head moves only from the version
// it was read at. Those hold across replicas sharing the database.
import { sql, type Generated, type Kysely } from 'kysely';
import { atomically } from './engine.js';
import type { Migration } from './migrate.js';

export type CaseStatus = 'triggered' | 'under_review' | 'escalated' | 'confirmed' | 'dismissed';
export const OPEN_CASE_STATUSES: readonly CaseStatus[] = ['triggered', 'under_review', 'escalated'];
/** Whether the case's holder is restricted (claims revoked, wallets frozen) on its account. */
export type CaseActionState = 'none' | 'acting' | 'acted' | 'restoring' | 'restored';
export type ActionPhase = 'act' | 'restore';
export type ActionStatus = 'planned' | 'done' | 'skipped';

export interface ScreeningTables {
  screening_list_versions: {
    id: Generated<number>; hash: string; source: string; published_at: string | null; imported_at: number; entry_count: number;
    files: string; warnings: string; previous_hash: string | null; content: Buffer;
  };
  screening_list_heads: { source: string; hash: string; updated_at: number };
  screening_profiles: {
    identity: string; status: 'active' | 'removed'; ciphertext: Buffer; commitment: string; origin: string; submitted_by: string;
    change_seq: number; created_at: number; updated_at: number;
  };
  screening_profile_changes: { seq: Generated<number>; identity: string; at: number };
  screening_claims: {
    identity: string; topic: number; claim_id: string; issued_at: number; expires_at: number; status: 'active' | 'revoked';
    evidence_leaf: string; tx_hash: string | null; updated_at: number;
  };
  screening_runs: {
    id: Generated<number>; key: string; kind: string; started_at: number; finished_at: number; records: number; root: string;
    header: string; signature: string; lists: string;
  };
  screening_evidence: { run_id: number; idx: number; identity: string; leaf: string; record: string; decision: string };
  screening_cases: {
    id: string; identity: string; entity_id: string; entity_hash: string; source: string; list_hash: string; score_milli: number;
    topics: string; status: CaseStatus; auto: number; action_state: CaseActionState; assignee: string | null; assigned_by: string | null;
    assigned_at: number | null; decided_by: string | null; decided_at: number | null; reason: string | null; detail: Buffer;
    run_id: number | null; created_at: number; updated_at: number;
  };
  screening_case_events: {
    seq: Generated<number>; case_id: string; at: number; actor: string; action: string; from_status: string | null; to_status: string | null;
    note: string | null;
  };
  screening_actions: {
    case_id: string; phase: ActionPhase; step: number; kind: string; target: string; status: ActionStatus; tx_hash: string | null;
    updated_at: number;
  };
  screening_events: { seq: Generated<number>; at: number; type: string; identity: string | null; case_id: string | null; tokens: string; data: string };
  screening_analysts: { address: string; active: number; added_by: string; added_at: number };
}

export const screeningMigration: Migration = {
  id: '0011-screening',
  async up(db, t) {
    await t.serialKey(db.schema.createTable('screening_list_versions'), 'id')
      .addColumn('hash', t.text, (c) => c.notNull())
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('published_at', t.text)
      .addColumn('imported_at', t.bigint, (c) => c.notNull())
      .addColumn('entry_count', t.int, (c) => c.notNull())
      .addColumn('files', t.text, (c) => c.notNull())
      .addColumn('warnings', t.text, (c) => c.notNull())
      .addColumn('previous_hash', t.text)
      // The version's JSON (masque-screening-list/1), gzip: lists are public, and ListVersion.fromJSON re-hashes it on load.
      .addColumn('content', t.bytes, (c) => c.notNull())
      .addUniqueConstraint('screening_list_versions_source_hash', ['source', 'hash'])
      .execute();
    await db.schema.createTable('screening_list_heads')
      .addColumn('source', t.text, (c) => c.primaryKey())
      .addColumn('hash', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('screening_profiles')
      .addColumn('identity', t.text, (c) => c.primaryKey())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('active', 'removed')`))
      // AES-256-GCM under the operator's data key, bound to the identity: personal data, never stored in the clear.
      .addColumn('ciphertext', t.bytes, (c) => c.notNull())
      .addColumn('commitment', t.text, (c) => c.notNull())
      .addColumn('origin', t.text, (c) => c.notNull())
      .addColumn('submitted_by', t.text, (c) => c.notNull())
      .addColumn('change_seq', t.bigint, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .execute();
    // Every profile change appends a row: a replica's in-memory index of profiles catches up from its last seq.
    await t.serialKey(db.schema.createTable('screening_profile_changes'), 'seq')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('screening_claims')
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('topic', t.int, (c) => c.notNull())
      .addColumn('claim_id', t.text, (c) => c.notNull())
      .addColumn('issued_at', t.bigint, (c) => c.notNull())
      .addColumn('expires_at', t.bigint, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('active', 'revoked')`))
      .addColumn('evidence_leaf', t.text, (c) => c.notNull())
      .addColumn('tx_hash', t.text)
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_claims_pk', ['identity', 'topic'])
      .execute();
    await db.schema.createIndex('screening_claims_due').on('screening_claims').columns(['status', 'expires_at']).execute();
    await t.serialKey(db.schema.createTable('screening_runs'), 'id')
      .addColumn('key', t.text, (c) => c.notNull().unique())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('started_at', t.bigint, (c) => c.notNull())
      .addColumn('finished_at', t.bigint, (c) => c.notNull())
      .addColumn('records', t.int, (c) => c.notNull())
      .addColumn('root', t.text, (c) => c.notNull())
      .addColumn('header', t.text, (c) => c.notNull())
      .addColumn('signature', t.text, (c) => c.notNull())
      .addColumn('lists', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('screening_evidence')
      .addColumn('run_id', t.bigint, (c) => c.notNull())
      .addColumn('idx', t.int, (c) => c.notNull())
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('leaf', t.text, (c) => c.notNull())
      .addColumn('record', t.text, (c) => c.notNull())
      .addColumn('decision', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_evidence_pk', ['run_id', 'idx'])
      .execute();
    await db.schema.createIndex('screening_evidence_by_identity').on('screening_evidence').columns(['identity', 'run_id']).execute();
    await db.schema.createTable('screening_cases')
      .addColumn('id', t.text, (c) => c.primaryKey())
      .addColumn('identity', t.text, (c) => c.notNull())
      .addColumn('entity_id', t.text, (c) => c.notNull())
      .addColumn('entity_hash', t.text, (c) => c.notNull())
      .addColumn('source', t.text, (c) => c.notNull())
      .addColumn('list_hash', t.text, (c) => c.notNull())
      .addColumn('score_milli', t.int, (c) => c.notNull())
      .addColumn('topics', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('triggered', 'under_review', 'escalated', 'confirmed', 'dismissed')`))
      .addColumn('auto', t.int, t.bool('auto'))
      .addColumn('action_state', t.text, (c) => c.notNull().check(sql`action_state in ('none', 'acting', 'acted', 'restoring', 'restored')`))
      .addColumn('assignee', t.text)
      .addColumn('assigned_by', t.text)
      .addColumn('assigned_at', t.bigint)
      .addColumn('decided_by', t.text)
      .addColumn('decided_at', t.bigint)
      .addColumn('reason', t.text)
      // The match explanation (it quotes the holder's names): encrypted like the profile.
      .addColumn('detail', t.bytes, (c) => c.notNull())
      .addColumn('run_id', t.bigint)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      // One case per holder, list entry and entry content: the same pair never alerts twice; a changed entry may.
      .addUniqueConstraint('screening_cases_pair', ['identity', 'entity_id', 'entity_hash'])
      .execute();
    await db.schema.createIndex('screening_cases_by_status').on('screening_cases').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('screening_cases_by_identity').on('screening_cases').columns(['identity']).execute();
    await t.serialKey(db.schema.createTable('screening_case_events'), 'seq')
      .addColumn('case_id', t.text, (c) => c.notNull().references('screening_cases.id'))
      .addColumn('at', t.bigint, (c) => c.notNull())
      .addColumn('actor', t.text, (c) => c.notNull())
      .addColumn('action', t.text, (c) => c.notNull())
      .addColumn('from_status', t.text)
      .addColumn('to_status', t.text)
      .addColumn('note', t.text)
      .execute();
    await db.schema.createIndex('screening_case_events_by_case').on('screening_case_events').columns(['case_id', 'seq']).execute();
    await db.schema.createTable('screening_actions')
      .addColumn('case_id', t.text, (c) => c.notNull().references('screening_cases.id'))
      .addColumn('phase', t.text, (c) => c.notNull().check(sql`phase in ('act', 'restore')`))
      .addColumn('step', t.int, (c) => c.notNull())
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('target', t.text, (c) => c.notNull())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('planned', 'done', 'skipped')`))
      .addColumn('tx_hash', t.text)
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .addPrimaryKeyConstraint('screening_actions_pk', ['case_id', 'phase', 'step'])
      .execute();
    await t.serialKey(db.schema.createTable('screening_events'), 'seq')
      .addColumn('at', t.bigint, (c) => c.notNull())
      .addColumn('type', t.text, (c) => c.notNull())
      .addColumn('identity', t.text)
      .addColumn('case_id', t.text)
      .addColumn('tokens', t.text, (c) => c.notNull())
      .addColumn('data', t.text, (c) => c.notNull())
      .execute();
    await db.schema.createTable('screening_analysts')
      .addColumn('address', t.text, (c) => c.primaryKey())
      .addColumn('active', t.int, t.bool('active'))
      .addColumn('added_by', t.text, (c) => c.notNull())
      .addColumn('added_at', t.bigint, (c) => c.notNull())
      .execute();
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Rows as the service sees them

export interface ListVersionRow {
  id: number; hash: string; source: string; publishedAt: string | null; importedAt: number; entryCount: number;
  files: unknown[]; warnings: string[]; previousHash: string | null;
}
export interface ProfileRow {
  identity: string; status: 'active' | 'removed'; ciphertext: Buffer; commitment: string; origin: string; submittedBy: string;
  changeSeq: number; createdAt: number; updatedAt: number;
}
export interface ClaimRow {
  identity: string; topic: number; claimId: string; issuedAt: number; expiresAt: number; status: 'active' | 'revoked';
  evidenceLeaf: string; txHash: string | null; updatedAt: number;
}
export interface RunRow { id: number; key: string; kind: string; startedAt: number; finishedAt: number; records: number; root: string; header: string; signature: string; lists: string }
export interface EvidenceRow { runId: number; idx: number; identity: string; leaf: string; record: string; decision: string }
export interface CaseRow {
  id: string; identity: string; entityId: string; entityHash: string; source: string; listHash: string; score: number; topics: number[];
  status: CaseStatus; auto: boolean; actionState: CaseActionState; assignee: string | null; assignedBy: string | null; assignedAt: number | null;
  decidedBy: string | null; decidedAt: number | null; reason: string | null; detail: Buffer; runId: number | null; createdAt: number; updatedAt: number;
}
export interface CaseEventRow { seq: number; at: number; actor: string; action: string; fromStatus: string | null; toStatus: string | null; note: string | null }
export interface ActionRow { caseId: string; phase: ActionPhase; step: number; kind: string; target: string; status: ActionStatus; txHash: string | null; updatedAt: number }
export interface EventRow { seq: number; at: number; type: string; identity: string | null; caseId: string | null; tokens: string[]; data: Record<string, unknown> }
export interface NewCase {
  id: string; identity: string; entityId: string; entityHash: string; source: string; listHash: string; score: number; topics: number[];
  auto: boolean; detail: Buffer; runId: number | null;
}
export interface NewEvent { type: string; identity?: string | null; caseId?: string | null; tokens?: readonly string[]; data: Record<string, unknown> }

const lower = (a: string) => a.toLowerCase();

const CASE_COLUMNS = [
  'id', 'identity', 'entity_id as entityId', 'entity_hash as entityHash', 'source', 'list_hash as listHash', 'score_milli', 'topics', 'status', 'auto',
  'action_state as actionState', 'assignee', 'assigned_by as assignedBy', 'assigned_at as assignedAt', 'decided_by as decidedBy',
  'decided_at as decidedAt', 'reason', 'detail', 'run_id as runId', 'created_at as createdAt', 'updated_at as updatedAt',
] as const;
type RawCase = Omit<CaseRow, 'score' | 'topics' | 'auto'> & { score_milli: number; topics: string; auto: number };
const toCase = (r: RawCase): CaseRow => {
  const { score_milli, topics, auto, ...rest } = r;
  return { ...rest, score: score_milli / 1000, topics: JSON.parse(topics) as number[], auto: auto === 1, detail: Buffer.from(r.detail) };
};

export interface CaseFilter {
  status?: readonly CaseStatus[]; identity?: string; assignee?: string | 'unassigned'; identities?: readonly string[];
  limit: number; offset: number;
}

/** Every table of the screening service; methods that must land together run atomically (joining a caller's transaction). */
export class ScreeningRepo {
  constructor(private readonly db: Kysely<ScreeningTables>) {}

  // --- list versions -------------------------------------------------------------------------------------------

  /**
   * Stores a version and makes it its source's head, if the head is still `expectedHead` (null: no version yet).
   * Returns 'unchanged' when the version is already the head, 'conflict' when another import moved the head since it
   * was read (nothing stored), 'stored' otherwise. The version row is kept even when it existed (an older version can
   * come back as head: an entry delisted then relisted).
   */
  async putListVersion(
    v: { hash: string; source: string; publishedAt: string | null; importedAt: number; entryCount: number; files: unknown[]; warnings: readonly string[]; content: Buffer },
    expectedHead: string | null,
  ): Promise<'stored' | 'unchanged' | 'conflict'> {
    return atomically(this.db, async (tx) => {
      const head = await tx.selectFrom('screening_list_heads').select('hash').where('source', '=', v.source).executeTakeFirst();
      if ((head?.hash ?? null) === v.hash) return 'unchanged';
      if ((head?.hash ?? null) !== expectedHead) return 'conflict';
      await tx.insertInto('screening_list_versions').values({
        hash: v.hash, source: v.source, published_at: v.publishedAt, imported_at: v.importedAt, entry_count: v.entryCount,
        files: JSON.stringify(v.files), warnings: JSON.stringify(v.warnings), previous_hash: expectedHead, content: v.content,
      }).onConflict((oc) => oc.columns(['source', 'hash']).doNothing()).execute();
      const now = Date.now();
      if (head) {
        const r = await tx.updateTable('screening_list_heads').set({ hash: v.hash, updated_at: now })
          .where('source', '=', v.source).where('hash', '=', expectedHead!).executeTakeFirst();
        if (r.numUpdatedRows !== 1n) throw new Error('list head moved during its own transaction');
      } else {
        const r = await tx.insertInto('screening_list_heads').values({ source: v.source, hash: v.hash, updated_at: now })
          .onConflict((oc) => oc.doNothing()).executeTakeFirst();
        if (r.numInsertedOrUpdatedRows !== 1n) return 'conflict';
      }
      return 'stored';
    });
  }

  async listHeads(): Promise<{ source: string; hash: string; updatedAt: number }[]> {
    return this.db.selectFrom('screening_list_heads').select(['source', 'hash', 'updated_at as updatedAt']).orderBy('source').execute();
  }

  async listVersions(source?: string, limit = 100): Promise<ListVersionRow[]> {
    const rows = await this.db.selectFrom('screening_list_versions')
      .select(['id', 'hash', 'source', 'published_at as publishedAt', 'imported_at as importedAt', 'entry_count as entryCount', 'files', 'warnings', 'previous_hash as previousHash'])
      .$if(source !== undefined, (q) => q.where('source', '=', source!))
      .orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({ ...r, files: JSON.parse(r.files) as unknown[], warnings: JSON.parse(r.warnings) as string[] }));
  }

  async listVersionContent(source: string, hash: string): Promise<Buffer | undefined> {
    const r = await this.db.selectFrom('screening_list_versions').select('content').where('source', '=', source).where('hash', '=', hash).executeTakeFirst();
    return r ? Buffer.from(r.content) : undefined;
  }

  // --- profiles ------------------------------------------------------------------------------------------------

  /** Inserts or replaces a holder's profile and logs the change (one transaction); returns the change's seq. */
  async putProfile(p: { identity: string; ciphertext: Buffer; commitment: string; origin: string; submittedBy: string }): Promise<number> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const identity = lower(p.identity);
      const { seq } = await tx.insertInto('screening_profile_changes').values({ identity, at: now }).returning('seq').executeTakeFirstOrThrow();
      const set = { status: 'active' as const, ciphertext: p.ciphertext, commitment: p.commitment, origin: p.origin, submitted_by: lower(p.submittedBy), change_seq: seq, updated_at: now };
      await tx.insertInto('screening_profiles').values({ identity, ...set, created_at: now })
        .onConflict((oc) => oc.column('identity').doUpdateSet(set)).execute();
      return seq;
    });
  }

  async removeProfile(identity: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const r = await tx.updateTable('screening_profiles').set({ status: 'removed', updated_at: now })
        .where('identity', '=', lower(identity)).where('status', '=', 'active').executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      const { seq } = await tx.insertInto('screening_profile_changes').values({ identity: lower(identity), at: now }).returning('seq').executeTakeFirstOrThrow();
      await tx.updateTable('screening_profiles').set({ change_seq: seq }).where('identity', '=', lower(identity)).execute();
      return true;
    });
  }

  profile(identity: string): Promise<ProfileRow | undefined> {
    return this.profileSelect().where('identity', '=', lower(identity)).executeTakeFirst();
  }

  /** Active profiles in identity order, after `afterIdentity` (a page of a full screen). */
  profilesPage(afterIdentity: string, limit: number): Promise<ProfileRow[]> {
    return this.profileSelect().where('status', '=', 'active').where('identity', '>', lower(afterIdentity)).orderBy('identity').limit(limit).execute();
  }

  /** Profiles changed after `seq` (their current row: active or removed), oldest change first. */
  profilesChangedAfter(seq: number, limit: number): Promise<ProfileRow[]> {
    return this.profileSelect().where('change_seq', '>', seq).orderBy('change_seq').limit(limit).execute();
  }

  async profileCount(): Promise<number> {
    const r = await this.db.selectFrom('screening_profiles').select((e) => e.fn.countAll<number>().as('n')).where('status', '=', 'active').executeTakeFirstOrThrow();
    return Number(r.n);
  }

  private profileSelect() {
    return this.db.selectFrom('screening_profiles').select([
      'identity', 'status', 'ciphertext', 'commitment', 'origin', 'submitted_by as submittedBy', 'change_seq as changeSeq', 'created_at as createdAt', 'updated_at as updatedAt',
    ]);
  }

  // --- claims the service keeps --------------------------------------------------------------------------------

  async putClaim(c: Omit<ClaimRow, 'updatedAt'>): Promise<void> {
    const set = { claim_id: c.claimId, issued_at: c.issuedAt, expires_at: c.expiresAt, status: c.status, evidence_leaf: c.evidenceLeaf, tx_hash: c.txHash, updated_at: Date.now() };
    await this.db.insertInto('screening_claims').values({ identity: lower(c.identity), topic: c.topic, ...set })
      .onConflict((oc) => oc.columns(['identity', 'topic']).doUpdateSet(set)).execute();
  }

  async setClaimStatus(identity: string, topic: number, status: 'active' | 'revoked', txHash: string | null): Promise<void> {
    await this.db.updateTable('screening_claims').set((e) => ({ status, tx_hash: txHash ?? e.ref('tx_hash'), updated_at: Date.now() }))
      .where('identity', '=', lower(identity)).where('topic', '=', topic).execute();
  }

  claims(identity: string): Promise<ClaimRow[]> {
    return this.claimSelect().where('identity', '=', lower(identity)).orderBy('topic').execute();
  }

  /** Active claims expiring before `before` (unix seconds), soonest first. */
  claimsDue(before: number, limit: number): Promise<ClaimRow[]> {
    return this.claimSelect().where('status', '=', 'active').where('expires_at', '<', before).orderBy('expires_at').limit(limit).execute();
  }

  private claimSelect() {
    return this.db.selectFrom('screening_claims').select([
      'identity', 'topic', 'claim_id as claimId', 'issued_at as issuedAt', 'expires_at as expiresAt', 'status', 'evidence_leaf as evidenceLeaf',
      'tx_hash as txHash', 'updated_at as updatedAt',
    ]);
  }

  // --- runs and evidence ---------------------------------------------------------------------------------------

  run(key: string): Promise<RunRow | undefined> {
    return this.runSelect().where('key', '=', key).executeTakeFirst();
  }

  runById(id: number): Promise<RunRow | undefined> {
    return this.runSelect().where('id', '=', id).executeTakeFirst();
  }

  /**
   * Stores a run and its records in one transaction. `sign(id)` gets the run's id and returns the header naming it
   * with the operator's signature over it (a header cites its own run id, so an auditor can ask for the run).
   */
  async putRun(
    r: Omit<RunRow, 'id' | 'header' | 'signature'>,
    records: readonly Omit<EvidenceRow, 'runId'>[],
    sign: (id: number) => Promise<{ header: string; signature: string }>,
  ): Promise<{ id: number }> {
    return atomically(this.db, async (tx) => {
      const ins = await tx.insertInto('screening_runs').values({
        key: r.key, kind: r.kind, started_at: r.startedAt, finished_at: r.finishedAt, records: r.records, root: r.root, header: '', signature: '', lists: r.lists,
      }).returning('id').executeTakeFirstOrThrow();
      const { header, signature } = await sign(ins.id);
      await tx.updateTable('screening_runs').set({ header, signature }).where('id', '=', ins.id).execute();
      for (let i = 0; i < records.length; i += 500) {
        await tx.insertInto('screening_evidence').values(records.slice(i, i + 500).map((e) => ({
          run_id: ins.id, idx: e.idx, identity: lower(e.identity), leaf: e.leaf, record: e.record, decision: e.decision,
        }))).execute();
      }
      return { id: ins.id };
    });
  }

  /** A holder's evidence, newest run first. */
  evidenceOf(identity: string, limit: number): Promise<EvidenceRow[]> {
    return this.db.selectFrom('screening_evidence').select(['run_id as runId', 'idx', 'identity', 'leaf', 'record', 'decision'])
      .where('identity', '=', lower(identity)).orderBy('run_id', 'desc').limit(limit).execute();
  }

  /** Every leaf of a run in order (to build a proof). */
  async runLeaves(runId: number): Promise<string[]> {
    const rows = await this.db.selectFrom('screening_evidence').select('leaf').where('run_id', '=', runId).orderBy('idx').execute();
    return rows.map((r) => r.leaf);
  }

  private runSelect() {
    return this.db.selectFrom('screening_runs').select(['id', 'key', 'kind', 'started_at as startedAt', 'finished_at as finishedAt', 'records', 'root', 'header', 'signature', 'lists']);
  }

  // --- cases ---------------------------------------------------------------------------------------------------

  /** Opens a case unless the pair (identity, entry, entry content) has one already (returned as existing). */
  async openCase(c: NewCase, actor: string): Promise<{ created: boolean; case: CaseRow }> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const ins = await tx.insertInto('screening_cases').values({
        id: c.id, identity: lower(c.identity), entity_id: c.entityId, entity_hash: c.entityHash, source: c.source, list_hash: c.listHash,
        score_milli: Math.round(c.score * 1000), topics: JSON.stringify(c.topics), status: 'triggered', auto: c.auto ? 1 : 0, action_state: 'none',
        assignee: null, assigned_by: null, assigned_at: null, decided_by: null, decided_at: null, reason: null, detail: c.detail, run_id: c.runId,
        created_at: now, updated_at: now,
      }).onConflict((oc) => oc.columns(['identity', 'entity_id', 'entity_hash']).doNothing()).executeTakeFirst();
      const created = ins.numInsertedOrUpdatedRows === 1n;
      if (created) {
        await tx.insertInto('screening_case_events').values({ case_id: c.id, at: now, actor: lower(actor), action: 'opened', from_status: null, to_status: 'triggered', note: null }).execute();
      }
      const row = await tx.selectFrom('screening_cases').select(CASE_COLUMNS)
        .where('identity', '=', lower(c.identity)).where('entity_id', '=', c.entityId).where('entity_hash', '=', c.entityHash).executeTakeFirstOrThrow();
      return { created, case: toCase(row as RawCase) };
    });
  }

  async getCase(id: string): Promise<CaseRow | undefined> {
    const r = await this.db.selectFrom('screening_cases').select(CASE_COLUMNS).where('id', '=', id).executeTakeFirst();
    return r && toCase(r as RawCase);
  }

  async casesOf(identity: string): Promise<CaseRow[]> {
    const rows = await this.db.selectFrom('screening_cases').select(CASE_COLUMNS).where('identity', '=', lower(identity)).orderBy('created_at').execute();
    return rows.map((r) => toCase(r as RawCase));
  }

  async listCases(f: CaseFilter): Promise<{ total: number; cases: CaseRow[] }> {
    const base = this.db.selectFrom('screening_cases')
      .$if(f.status !== undefined && f.status.length > 0, (q) => q.where('status', 'in', [...f.status!]))
      .$if(f.identity !== undefined, (q) => q.where('identity', '=', lower(f.identity!)))
      .$if(f.identities !== undefined, (q) => (f.identities!.length ? q.where('identity', 'in', f.identities!.map(lower)) : q.where(sql<boolean>`1 = 0`)))
      .$if(f.assignee === 'unassigned', (q) => q.where('assignee', 'is', null))
      .$if(f.assignee !== undefined && f.assignee !== 'unassigned', (q) => q.where('assignee', '=', lower(f.assignee!)));
    const { n } = await base.select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base.select(CASE_COLUMNS).orderBy('created_at').orderBy('id').limit(f.limit).offset(f.offset).execute();
    return { total: Number(n), cases: rows.map((r) => toCase(r as RawCase)) };
  }

  caseHistory(id: string): Promise<CaseEventRow[]> {
    return this.db.selectFrom('screening_case_events')
      .select(['seq', 'at', 'actor', 'action', 'from_status as fromStatus', 'to_status as toStatus', 'note'])
      .where('case_id', '=', id).orderBy('seq').execute();
  }

  /** Moves a case from `from` to `to` (one conditional statement) with its history row; false when it was no longer in `from`. */
  async transitionCase(id: string, from: CaseStatus, to: CaseStatus, actor: string, reason: string | null, decided: boolean): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const r = await tx.updateTable('screening_cases')
        .set({ status: to, updated_at: now, ...(decided ? { decided_by: lower(actor), decided_at: now, reason } : {}) })
        .where('id', '=', id).where('status', '=', from).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      await tx.insertInto('screening_case_events').values({ case_id: id, at: now, actor: lower(actor), action: 'status', from_status: from, to_status: to, note: reason }).execute();
      return true;
    });
  }

  /** Assigns an open case (or releases it with null); false when the case is decided or unknown. */
  async assignCase(id: string, assignee: string | null, actor: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const r = await tx.updateTable('screening_cases')
        .set({ assignee: assignee && lower(assignee), assigned_by: assignee ? lower(actor) : null, assigned_at: assignee ? now : null, updated_at: now })
        .where('id', '=', id).where('status', 'in', [...OPEN_CASE_STATUSES]).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      await tx.insertInto('screening_case_events').values({ case_id: id, at: now, actor: lower(actor), action: assignee ? 'assigned' : 'released', from_status: null, to_status: null, note: assignee && lower(assignee) }).execute();
      return true;
    });
  }

  /** Moves the case's action state from one of `from` to `to`; false when it was elsewhere (someone else moved it). */
  async setActionState(id: string, from: readonly CaseActionState[], to: CaseActionState, actor: string): Promise<boolean> {
    return atomically(this.db, async (tx) => {
      const now = Date.now();
      const r = await tx.updateTable('screening_cases').set({ action_state: to, updated_at: now })
        .where('id', '=', id).where('action_state', 'in', [...from]).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) return false;
      await tx.insertInto('screening_case_events').values({ case_id: id, at: now, actor: lower(actor), action: `actions:${to}`, from_status: null, to_status: null, note: null }).execute();
      return true;
    });
  }

  // --- action plans (intent first) -----------------------------------------------------------------------------

  /** Records the plan of a phase (idempotent: a plan recorded already stays as it is, with its progress). */
  async planActions(caseId: string, phase: ActionPhase, steps: readonly { kind: string; target: string }[]): Promise<void> {
    const now = Date.now();
    if (steps.length === 0) return;
    await this.db.insertInto('screening_actions').values(steps.map((s, i) => ({
      case_id: caseId, phase, step: i, kind: s.kind, target: s.target, status: 'planned' as const, tx_hash: null, updated_at: now,
    }))).onConflict((oc) => oc.columns(['case_id', 'phase', 'step']).doNothing()).execute();
  }

  actions(caseId: string, phase?: ActionPhase): Promise<ActionRow[]> {
    return this.db.selectFrom('screening_actions')
      .select(['case_id as caseId', 'phase', 'step', 'kind', 'target', 'status', 'tx_hash as txHash', 'updated_at as updatedAt'])
      .where('case_id', '=', caseId).$if(phase !== undefined, (q) => q.where('phase', '=', phase!)).orderBy('phase').orderBy('step').execute();
  }

  /** planned -> done | skipped, once. */
  async finishAction(caseId: string, phase: ActionPhase, step: number, status: 'done' | 'skipped', txHash: string | null): Promise<boolean> {
    const r = await this.db.updateTable('screening_actions').set({ status, tx_hash: txHash, updated_at: Date.now() })
      .where('case_id', '=', caseId).where('phase', '=', phase).where('step', '=', step).where('status', '=', 'planned').executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  // --- events --------------------------------------------------------------------------------------------------

  async appendEvent(e: NewEvent): Promise<number> {
    const r = await this.db.insertInto('screening_events').values({
      at: Date.now(), type: e.type, identity: e.identity ? lower(e.identity) : null, case_id: e.caseId ?? null,
      tokens: JSON.stringify((e.tokens ?? []).map(lower)), data: JSON.stringify(e.data),
    }).returning('seq').executeTakeFirstOrThrow();
    return r.seq;
  }

  async events(after: number, limit: number): Promise<EventRow[]> {
    const rows = await this.db.selectFrom('screening_events').select(['seq', 'at', 'type', 'identity', 'case_id as caseId', 'tokens', 'data'])
      .where('seq', '>', after).orderBy('seq').limit(limit).execute();
    return rows.map((r) => ({ ...r, tokens: JSON.parse(r.tokens) as string[], data: JSON.parse(r.data) as Record<string, unknown> }));
  }

  async event(seq: number): Promise<EventRow | undefined> {
    return (await this.events(seq - 1, 1)).find((e) => e.seq === seq);
  }

  async lastEventSeq(): Promise<number> {
    const r = await this.db.selectFrom('screening_events').select((e) => e.fn.max('seq').as('m')).executeTakeFirst();
    return Number(r?.m ?? 0);
  }

  // --- analysts ------------------------------------------------------------------------------------------------

  async setAnalyst(address: string, active: boolean, by: string): Promise<void> {
    const set = { active: active ? 1 : 0, added_by: lower(by), added_at: Date.now() };
    await this.db.insertInto('screening_analysts').values({ address: lower(address), ...set })
      .onConflict((oc) => oc.column('address').doUpdateSet(set)).execute();
  }

  async analysts(): Promise<{ address: string; active: boolean; addedBy: string; addedAt: number }[]> {
    const rows = await this.db.selectFrom('screening_analysts').select(['address', 'active', 'added_by as addedBy', 'added_at as addedAt']).orderBy('address').execute();
    return rows.map((r) => ({ ...r, active: r.active === 1 }));
  }

  async isAnalyst(address: string): Promise<boolean> {
    const r = await this.db.selectFrom('screening_analysts').select('active').where('address', '=', lower(address)).executeTakeFirst();
    return r?.active === 1;
  }
}
