// The durable job queue's table (src/node/jobs runs it). One row per job; a worker claims due rows by setting a lease
// (locked_by, locked_until) in one statement, so each job runs on one worker at a time across every replica sharing
// the database: PostgreSQL skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); SQLite has one writer.
// Completion is conditional on still holding the lease, so a job whose lease expired (its worker died or stalled)
// and was claimed again cannot also be completed by the old worker.
import { sql, type Generated, type Kysely, type Updateable } from 'kysely';
import type { AnyDb } from './engine.js';
import type { Migration } from './migrate.js';

export type JobStatus = 'pending' | 'running' | 'done' | 'failed';

export interface JobsTables {
  jobs: {
    id: Generated<number>; kind: string; payload: string; key: string | null; status: JobStatus;
    attempts: number; max_attempts: number; run_at: number; locked_by: string | null; locked_until: number | null;
    last_error: string | null; created_at: number; updated_at: number; finished_at: number | null;
    /** The recurring series a period's job belongs to (its key without the period); null for one-off jobs. */
    series: string | null;
  };
}

export const jobsMigration: Migration = {
  id: '0010-jobs',
  async up(db, t) {
    await t.serialKey(db.schema.createTable('jobs'), 'id')
      .addColumn('kind', t.text, (c) => c.notNull())
      .addColumn('payload', t.text, (c) => c.notNull())
      // Idempotency key: enqueuing a key already present adds nothing (recurring work uses one key per period).
      .addColumn('key', t.text, (c) => c.unique())
      .addColumn('status', t.text, (c) => c.notNull().check(sql`status in ('pending', 'running', 'done', 'failed')`))
      .addColumn('attempts', t.int, (c) => c.notNull())
      .addColumn('max_attempts', t.int, (c) => c.notNull())
      .addColumn('run_at', t.bigint, (c) => c.notNull())
      .addColumn('locked_by', t.text)
      .addColumn('locked_until', t.bigint)
      .addColumn('last_error', t.text)
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .addColumn('updated_at', t.bigint, (c) => c.notNull())
      .addColumn('finished_at', t.bigint)
      .execute();
    // Only unfinished jobs are ever scanned for work: the index stays the size of the backlog, not of the history.
    await db.schema.createIndex('jobs_due').on('jobs').columns(['kind', 'run_at']).where(sql.ref('status'), 'in', ['pending', 'running']).execute();
    await db.schema.createIndex('jobs_finished').on('jobs').columns(['finished_at']).where('finished_at', 'is not', null).execute();
  },
};

/**
 * Recurring work's rows carry their series, indexed, so a series' finished periods are pruned in one indexed statement
 * as the next period starts, instead of piling up until the 7-day prune (a 5 s series is 17,000 rows a day).
 */
export const jobsSeriesMigration: Migration = {
  id: '0020-jobs-series',
  async up(db, t) {
    await db.schema.alterTable('jobs').addColumn('series', t.text).execute();
    await db.schema.createIndex('jobs_series').on('jobs').columns(['series', 'run_at']).where('series', 'is not', null).execute();
  },
};

export interface JobRow<P = unknown> {
  id: number; kind: string; payload: P; key: string | null; status: JobStatus; attempts: number; maxAttempts: number;
  runAt: number; lockedBy: string | null; lockedUntil: number | null; lastError: string | null;
  createdAt: number; updatedAt: number; finishedAt: number | null;
}

export interface EnqueueOptions {
  /** Idempotency key: a second enqueue with the same key adds nothing and returns the first job's id. */
  key?: string;
  /** Not before this time (ms since the epoch). Default now. */
  runAt?: number;
  /** Attempts before the job is marked failed. Default 5. */
  maxAttempts?: number;
  /** The recurring series this job is one period of (JobQueue.every): `pruneSeries` removes its finished periods. */
  series?: string;
}

const COLUMNS = [
  'id', 'kind', 'payload', 'key', 'status', 'attempts', 'max_attempts as maxAttempts', 'run_at as runAt', 'locked_by as lockedBy',
  'locked_until as lockedUntil', 'last_error as lastError', 'created_at as createdAt', 'updated_at as updatedAt', 'finished_at as finishedAt',
] as const;

type RawRow = Omit<JobRow, 'payload'> & { payload: string };
const decode = (r: RawRow): JobRow => ({ ...r, payload: JSON.parse(r.payload) as unknown });

/** Error messages kept per failed attempt are cut here: a stack trace is not a log. */
const MAX_ERROR = 2000;

export class JobsRepo {
  private readonly db: Kysely<JobsTables>;
  constructor(db: AnyDb, private readonly dialect: 'sqlite' | 'postgres') {
    this.db = db;
  }

  /** Adds a job (or finds the one with the same key). Joins the caller's transaction when given one: an outbox. */
  async enqueue(kind: string, payload: unknown, opts: EnqueueOptions = {}): Promise<{ id: number; created: boolean }> {
    const now = Date.now();
    const r = await this.db.insertInto('jobs').values({
      kind, payload: JSON.stringify(payload ?? null), key: opts.key ?? null, status: 'pending', attempts: 0, max_attempts: opts.maxAttempts ?? 5,
      run_at: opts.runAt ?? now, locked_by: null, locked_until: null, last_error: null, created_at: now, updated_at: now, finished_at: null,
      series: opts.series ?? null,
    }).onConflict((oc) => oc.column('key').doNothing()).returning('id').executeTakeFirst();
    if (r) return { id: r.id, created: true };
    const existing = await this.db.selectFrom('jobs').select('id').where('key', '=', opts.key!).executeTakeFirstOrThrow();
    return { id: existing.id, created: false };
  }

  /**
   * Claims up to `limit` due jobs of `kinds` for `worker` until now + `leaseMs`: pending ones whose time has come, and
   * running ones whose lease expired (their worker died). One statement; each claim counts an attempt. `running` are
   * the jobs the worker still runs itself: a lapsed lease of its own (a stall) is for another worker to take over.
   */
  async claim(worker: string, kinds: readonly string[], limit: number, leaseMs: number, running: readonly number[] = []): Promise<JobRow[]> {
    if (kinds.length === 0 || limit <= 0) return [];
    const now = Date.now();
    const rows = await this.db.updateTable('jobs')
      .set((e) => ({ status: 'running', locked_by: worker, locked_until: now + leaseMs, attempts: e('attempts', '+', 1), updated_at: now }))
      .where('id', 'in', (e) => e.selectFrom('jobs').select('id')
        .where('kind', 'in', [...kinds])
        .$if(running.length > 0, (q) => q.where('id', 'not in', [...running]))
        .where((w) => w.or([
          w.and([w('status', '=', 'pending'), w('run_at', '<=', now)]),
          w.and([w('status', '=', 'running'), w('locked_until', '<', now)]),
        ]))
        .orderBy('run_at').orderBy('id').limit(limit)
        .$if(this.dialect === 'postgres', (q) => q.forUpdate().skipLocked()))
      .returning(COLUMNS)
      .execute();
    return (rows as RawRow[]).map(decode).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
  }

  /** Extends the lease of a job `worker` still holds; false when it lost it. */
  async extend(id: number, worker: string, leaseMs: number): Promise<boolean> {
    const now = Date.now();
    return this.updateHeld(id, worker, { locked_until: now + leaseMs, updated_at: now });
  }

  /** Marks a job done if `worker` still holds it; false (and no change) otherwise. */
  async complete(id: number, worker: string): Promise<boolean> {
    const now = Date.now();
    return this.updateHeld(id, worker, { status: 'done', locked_by: null, locked_until: null, updated_at: now, finished_at: now });
  }

  /** A failed attempt: back to pending at `retryAt`, or failed for good when `retryAt` is null. False if not held. */
  async fail(id: number, worker: string, error: string, retryAt: number | null): Promise<boolean> {
    const now = Date.now();
    return this.updateHeld(id, worker, {
      status: retryAt === null ? 'failed' : 'pending', run_at: retryAt ?? now, locked_by: null, locked_until: null,
      last_error: error.slice(0, MAX_ERROR), updated_at: now, finished_at: retryAt === null ? now : null,
    });
  }

  /** A failed job back to pending, attempts reset (an operator's retry). */
  async retry(id: number): Promise<boolean> {
    const now = Date.now();
    const r = await this.db.updateTable('jobs').set({ status: 'pending', attempts: 0, run_at: now, updated_at: now, finished_at: null })
      .where('id', '=', id).where('status', '=', 'failed').executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }

  async get<P = unknown>(id: number): Promise<JobRow<P> | undefined> {
    const r = await this.db.selectFrom('jobs').select(COLUMNS).where('id', '=', id).executeTakeFirst();
    return r && (decode(r as RawRow) as JobRow<P>);
  }

  async list(filter: { kind?: string; status?: JobStatus; limit?: number } = {}): Promise<JobRow[]> {
    const rows = await this.db.selectFrom('jobs').select(COLUMNS)
      .$if(filter.kind !== undefined, (q) => q.where('kind', '=', filter.kind!))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status!))
      .orderBy('id').limit(filter.limit ?? 1000).execute();
    return (rows as RawRow[]).map(decode);
  }

  /** Deletes done jobs finished before `before` (ms); failed ones stay for an operator. Returns how many. */
  async prune(before: number): Promise<number> {
    const r = await this.db.deleteFrom('jobs').where('status', '=', 'done').where('finished_at', '<', before).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /**
   * Deletes the done periods of a recurring series that started before `before` (ms); failed ones stay for an operator.
   * Indexed by (series, run_at): the cost is the rows deleted, not the table.
   */
  async pruneSeries(series: string, before: number): Promise<number> {
    const r = await this.db.deleteFrom('jobs').where('series', '=', series).where('run_at', '<', before).where('status', '=', 'done').executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  /** An update of a job only while `worker` holds its lease: one statement, so a lost lease changes nothing. */
  private async updateHeld(id: number, worker: string, set: Updateable<JobsTables['jobs']>): Promise<boolean> {
    const r = await this.db.updateTable('jobs').set(set)
      .where('id', '=', id).where('locked_by', '=', worker).where('status', '=', 'running').executeTakeFirst();
    return r.numUpdatedRows === 1n;
  }
}
