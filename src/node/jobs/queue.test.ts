// The job queue on every engine: once, retried with backoff, failed for good, exactly once across replicas (each job's
// database effect committed with its completion), recurring work once per period, a stalled worker's job taken
// over, and a worker killed with kill -9 mid-job: retried, never lost, never completed twice.
import { describe, it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { openRepos, type DatabaseConfig, type Repos, type RepoSet } from '../db/index.js';
import { forEachEngine } from '../db/test-engines.js';
import { JobQueue, LeaseLostError, type Job } from './index.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The test's own effect table: one row per execution of a job's database effect. */
async function effects(db: RepoSet['db']) {
  await db.schema.createTable('job_effects').ifNotExists()
    .addColumn('job_id', 'bigint', (c) => c.notNull()).addColumn('worker', 'text', (c) => c.notNull()).execute();
}
const effect = (job: Job, worker: string) => job.complete(async (tx) => { await tx.db.insertInto('job_effects').values({ job_id: job.id, worker }).execute(); });
async function effectCounts(repos: Repos): Promise<Map<number, number>> {
  const rows = await repos.db.selectFrom('job_effects').select(['job_id', (e) => e.fn.countAll<number>().as('n')]).groupBy('job_id').execute();
  return new Map(rows.map((r) => [Number(r.job_id), Number(r.n)]));
}
async function until(cond: () => Promise<boolean>, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(25);
  }
}

forEachEngine((engine) => describe(`job queue on ${engine.name}`, () => {
  let config: DatabaseConfig;
  const opened: Repos[] = [];
  const queues: JobQueue[] = [];
  /** A replica: its own connection(s) on PostgreSQL; on SQLite (one process per file) the same engine. */
  const replica = async () => {
    if (engine.name === 'sqlite' && opened[0]) return opened[0];
    const r = await openRepos(config);
    opened.push(r);
    return r;
  };
  const queue = async (opts: ConstructorParameters<typeof JobQueue>[1] = {}) => {
    const q = new JobQueue(await replica(), { pollMs: 20, backoff: { baseMs: 20, maxMs: 100 }, ...opts });
    queues.push(q);
    return q;
  };
  before(async () => {
    config = await engine.config();
    await effects((await replica()).db);
  });
  after(async () => {
    for (const q of queues) await q.stop();
    for (const r of opened) await r.close();
  });

  it('runs a job once with its payload; an idempotency key adds nothing the second time', async () => {
    const q = await queue({ worker: 'w1' });
    const seen: unknown[] = [];
    q.register<{ n: number; s: string }>('hello', async (job) => { seen.push([job.payload, job.attempt]); });
    const a = await q.enqueue('hello', { n: 1, s: 'x' }, { key: 'hello-1' });
    const b = await q.enqueue('hello', { n: 2, s: 'y' }, { key: 'hello-1' });
    assert.deepEqual([a.created, b.created, b.id], [true, false, a.id]);
    assert.equal(await q.runDue(), 2); // the job, and the queue's own hourly prune
    assert.deepEqual(seen, [[{ n: 1, s: 'x' }, 1]]);
    const row = (await opened[0]!.jobs.get(a.id))!;
    assert.deepEqual([row.status, row.attempts, row.lockedBy, typeof row.finishedAt], ['done', 1, null, 'number']);
    assert.equal(await q.runDue(), 0);
  });

  it('retries with backoff, then fails for good after maxAttempts; an operator retry runs it again', async () => {
    const q = await queue({ worker: 'w2' });
    const times: number[] = [];
    let healthy = false;
    q.register('flaky', async () => {
      times.push(Date.now());
      if (!healthy) throw new Error(`attempt ${times.length} refused`);
    }, { maxAttempts: 3 });
    const { id } = await q.enqueue('flaky', null);
    q.start();
    await until(async () => (await opened[0]!.jobs.get(id))!.status === 'failed');
    const row = (await opened[0]!.jobs.get(id))!;
    assert.deepEqual([row.attempts, row.lastError], [3, 'Error: attempt 3 refused']);
    assert.equal(times.length, 3);
    assert.ok(times[1]! - times[0]! >= 15 && times[2]! - times[1]! >= 30, `backoff grows: ${times[1]! - times[0]!}, ${times[2]! - times[1]!} ms`);
    healthy = true;
    assert.equal(await opened[0]!.jobs.retry(id), true);
    await until(async () => (await opened[0]!.jobs.get(id))!.status === 'done');
    assert.equal(times.length, 4);
    await q.stop();
  });

  it('three replicas drain 60 jobs: each effect exactly once, work spread', async () => {
    const workers = await Promise.all(['r1', 'r2', 'r3'].map((w) => queue({ worker: w, concurrency: 3 })));
    for (const q of workers) q.register('effect', async (job) => { await sleep(2); await effect(job, q.worker); });
    const ids: number[] = [];
    for (let i = 0; i < 60; i++) ids.push((await workers[i % 3]!.enqueue('effect', { i })).id);
    for (const q of workers) q.start();
    await until(async () => (await opened[0]!.jobs.list({ kind: 'effect', status: 'done' })).length === 60);
    const counts = await effectCounts(opened[0]!);
    for (const id of ids) assert.equal(counts.get(id), 1, `job ${id}`);
    if (engine.name === 'postgres') {
      const by = await opened[0]!.db.selectFrom('job_effects').select('worker').distinct().where('job_id', 'in', ids).execute();
      assert.ok(by.length >= 2, `work spread over ${by.length} replicas`);
    }
    for (const q of workers) await q.stop();
  });

  it('recurring work runs once per period across replicas', async () => {
    const workers = await Promise.all(['t1', 't2', 't3'].map((w) => queue({ worker: w })));
    const runs: number[] = [];
    for (const q of workers) q.register('tick', async (job) => { runs.push(job.id); }).every('tick', 150);
    for (const q of workers) q.start();
    await sleep(1000);
    for (const q of workers) await q.stop();
    const rows = await opened[0]!.jobs.list({ kind: 'tick' });
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length, 'one job per period');
    assert.equal(runs.length, new Set(runs).size, 'each run once');
    assert.ok(rows.length >= 5 && rows.length <= 9, `${rows.length} periods of 150 ms in 1 s`);
  });

  it("recurring work keeps a few rows: finished periods are pruned as new ones open (failed ones stay)", async () => {
    const q = await queue({ worker: 'r1', keepRecurringMs: 100 });
    let runs = 0;
    q.register('often', async () => { if (++runs === 2) throw new Error('boom'); }, { maxAttempts: 1 }).every('often', 40);
    q.start();
    await until(async () => runs >= 25);
    await q.stop();
    const rows = await opened[0]!.jobs.list({ kind: 'often' });
    const done = rows.filter((r) => r.status === 'done');
    // Done periods that started more than 40 + 100 ms before the newest period opened are gone: 4 at most, plus the
    // newest if it did not run yet.
    assert.ok(done.length >= 1 && done.length <= 4, `${done.length} done rows after ${runs} runs`);
    assert.equal(rows.filter((r) => r.status === 'failed').length, 1, 'the failure stays for an operator');
    assert.ok(rows.length <= 6, `${rows.length} rows`);
  });

  it('one kind recurring with several payloads (a list import per source) runs each of them every period', async () => {
    const q = await queue({ worker: 'p1' });
    const seen: string[] = [];
    q.register<{ source: string }>('import', async (job) => { seen.push(job.payload.source); });
    for (const source of ['ofac', 'un']) q.every('import', 3_600_000, { source });
    await q.runDue();
    assert.deepEqual(seen.sort(), ['ofac', 'un']);
    const repos = opened.at(-1)!; // the queue's own
    const queries = repos.stats.queries;
    await q.runDue();
    assert.equal(seen.length, 2, 'once per period');
    assert.equal(repos.stats.queries - queries, 1, 'a poll within a period it scheduled already only claims');
  });

  it('a stalled worker loses its lease: another takes the job over; the stalled one cannot complete it', async () => {
    const stalled = await queue({ worker: 'stalled', leaseMs: 1500 });
    const healthy = await queue({ worker: 'healthy' });
    let release!: () => void;
    const gate = new Promise<void>((r) => { release = r; });
    let outcome: unknown;
    let aborted = false;
    stalled.register('slow', async (job) => {
      job.signal.addEventListener('abort', () => { aborted = true; });
      await gate;
      try { await effect(job, 'stalled'); outcome = 'completed'; } catch (e) { outcome = e; throw e; }
    });
    healthy.register('slow', async (job) => { await effect(job, 'healthy'); });
    const { id } = await opened[0]!.jobs.enqueue('slow', null);
    stalled.start();
    await until(async () => (await opened[0]!.jobs.get(id))!.lockedBy === 'stalled');
    // Its renewals stop reaching the database (a partition, a blocked event loop): the lease lapses. (Retried if a
    // renewal, every 500 ms, lands between the lapse and the other worker's claim.)
    for (let taken = 0; taken === 0;) {
      await opened[0]!.db.updateTable('jobs').set({ locked_until: Date.now() - 1 }).where('id', '=', id).execute();
      taken = await healthy.runDue();
    }
    await until(async () => aborted, 5000); // its next renewal finds the job gone and aborts its signal
    release();
    await until(async () => outcome !== undefined);
    assert.ok(outcome instanceof LeaseLostError, String(outcome));
    assert.equal((await effectCounts(opened[0]!)).get(id), 1);
    const row = (await opened[0]!.jobs.get(id))!;
    assert.deepEqual([row.status, row.attempts], ['done', 2]);
    await stalled.stop();
  });

  it('kill -9 of a worker mid-job: the job is retried by another, never lost, never completed twice', { timeout: 60_000 }, async () => {
    const q = await queue({ worker: 'survivor', leaseMs: 500 });
    q.register('effect', async (job) => { await effect(job, 'survivor'); });
    const { id } = await opened[0]!.jobs.enqueue('effect', { i: 'doomed' });
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), JSON.stringify(config), '500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (l) => { if (l === 'started') resolve(); });
      child.once('exit', (c) => reject(new Error(`child exited (${c})`)));
    });
    const claimed = (await opened[0]!.jobs.get(id))!;
    assert.deepEqual([claimed.status, claimed.lockedBy, claimed.attempts], ['running', 'doomed', 1]);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    assert.equal(await q.runDue(), 0, 'not before the lease lapses');
    await sleep(600);
    assert.equal(await q.runDue(), 1);
    const row = (await opened[0]!.jobs.get(id))!;
    assert.deepEqual([row.status, row.attempts, row.lockedBy], ['done', 2, null]);
    assert.equal((await effectCounts(opened[0]!)).get(id), 1);
  });
}));
