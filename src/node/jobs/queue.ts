// A durable job queue in the node's own database: each job runs on one worker at a time across every replica, is
// retried with exponential backoff when it throws or its worker dies (lease expiry), and is never completed twice
// (completion is conditional on the lease; `job.complete(fn)` commits the job's own database writes with it).
// Recurring work (`every`) is enqueued under one key per period, so N replicas ticking together add it once; its
// finished periods are pruned as new ones open, so a series costs a few rows whatever its period.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnqueueOptions, JobRow, RepoSet, Repos } from '../db/index.js';

export interface Job<P = unknown> {
  readonly id: number;
  readonly kind: string;
  readonly payload: P;
  /** 1 on the first run; the number of claims so far. */
  readonly attempt: number;
  /** Aborted when the worker loses the job's lease (another worker may run it now) or the queue stops. */
  readonly signal: AbortSignal;
  /**
   * Commits `fn`'s database writes together with the job's completion, only if this worker still holds the job:
   * database effects of a job then happen exactly once. Throws LeaseLostError (nothing written) otherwise.
   */
  complete(fn: (tx: RepoSet) => Promise<void>): Promise<void>;
}

export type JobHandler<P = unknown> = (job: Job<P>) => Promise<void>;

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly jobId: number) {
    super(`job ${jobId}: lease lost (claimed by another worker or finished)`);
  }
}

export interface JobQueueOptions {
  /** This worker's name in `locked_by`; default host:pid:random. */
  worker?: string;
  /** How often an idle worker looks for due jobs (ms). Default 500. */
  pollMs?: number;
  /** A claimed job is this worker's for leaseMs, renewed every leaseMs/3 while it runs. Default 30,000. */
  leaseMs?: number;
  /** Jobs run at once by this worker. Default 4. */
  concurrency?: number;
  /** Delay before retry n (1-based): min(maxMs, baseMs * 2^(n-1)), +-20% jitter. Default 1 s base, 10 min cap. */
  backoff?: { baseMs: number; maxMs: number };
  /** Done jobs are deleted this long after they finished (failed ones stay). Default 7 days. */
  keepDoneMs?: number;
  /**
   * Done periods of recurring work are deleted as soon as they ended this long ago (the last run and failures stay), so
   * a series keeps a few rows, not one per period for keepDoneMs. It must exceed the replicas' clock skew: a replica
   * whose clock still reads a pruned period would enqueue it again. Default 60 s.
   */
  keepRecurringMs?: number;
  log?: (msg: string) => void;
}

interface Registration { handler: JobHandler<never>; maxAttempts: number }
interface Recurring {
  kind: string; intervalMs: number; payload: unknown;
  /** The job key without its period: the payload is part of it, so one kind may recur once per payload (a list per source). */
  key: string;
  /** The last period this worker enqueued (or found enqueued): the next poll of the same period adds nothing. */
  scheduled?: number;
}

const PRUNE_KIND = 'jobs.prune';

export class JobQueue {
  readonly worker: string;
  private readonly handlers = new Map<string, Registration>();
  private readonly recurring: Recurring[] = [];
  private readonly running = new Map<number, Promise<void>>();
  private readonly stopping = new AbortController();
  private readonly opts: Required<Omit<JobQueueOptions, 'worker' | 'log'>> & { log: (m: string) => void };
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> | undefined;
  private pollAgain = false;

  constructor(private readonly repos: Repos, options: JobQueueOptions = {}) {
    this.worker = options.worker ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.opts = {
      pollMs: options.pollMs ?? 500, leaseMs: options.leaseMs ?? 30_000, concurrency: options.concurrency ?? 4,
      backoff: options.backoff ?? { baseMs: 1000, maxMs: 600_000 }, keepDoneMs: options.keepDoneMs ?? 7 * 86_400_000,
      keepRecurringMs: options.keepRecurringMs ?? 60_000, log: options.log ?? (() => {}),
    };
    this.register(PRUNE_KIND, async () => { await this.repos.jobs.prune(Date.now() - this.opts.keepDoneMs); });
    this.every(PRUNE_KIND, 3_600_000);
  }

  /** The handler of `kind` on this worker. Jobs of kinds no worker registered wait (a rolling upgrade adds them). */
  register<P>(kind: string, handler: JobHandler<P>, opts: { maxAttempts?: number } = {}): this {
    this.handlers.set(kind, { handler: handler as JobHandler<never>, maxAttempts: opts.maxAttempts ?? 5 });
    return this;
  }

  /** Runs `kind` once per `intervalMs` period (aligned on the epoch) across every replica that declares it. */
  every(kind: string, intervalMs: number, payload: unknown = null): this {
    this.recurring.push({ kind, intervalMs, payload, key: `every:${kind}:${intervalMs}:${JSON.stringify(payload ?? null)}` });
    return this;
  }

  /** Adds a job; `repos` may be a transaction's (an outbox: the job exists iff the transaction commits). */
  async enqueue(kind: string, payload: unknown, opts: EnqueueOptions = {}, repos: RepoSet = this.repos): Promise<{ id: number; created: boolean }> {
    const maxAttempts = opts.maxAttempts ?? this.handlers.get(kind)?.maxAttempts;
    const r = await repos.jobs.enqueue(kind, payload, { ...opts, ...(maxAttempts !== undefined ? { maxAttempts } : {}) });
    if (repos === this.repos) this.wake();
    return r;
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.wake(), this.opts.pollMs);
    this.timer.unref();
    this.wake();
  }

  /** Stops claiming, aborts running jobs' signals, and waits for them to settle (their leases then expire or end). */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.stopping.abort();
    await this.polling;
    await Promise.allSettled(this.running.values());
  }

  /** Claims and runs what is due now, once; resolves when those jobs settled. For tests and tools. */
  async runDue(): Promise<number> {
    await this.scheduleRecurring();
    const jobs = await this.claim();
    await Promise.allSettled(jobs.map((j) => this.running.get(j.id)));
    return jobs.length;
  }

  private wake(): void {
    if (!this.timer || this.stopping.signal.aborted) return;
    if (this.polling) { this.pollAgain = true; return; }
    this.polling = (async () => {
      do {
        this.pollAgain = false;
        try {
          await this.scheduleRecurring();
          await this.claim();
        } catch (e) {
          this.opts.log(`jobs: poll failed: ${(e as Error).message}`);
        }
      } while (this.pollAgain && !this.stopping.signal.aborted);
    })().finally(() => { this.polling = undefined; });
  }

  private async scheduleRecurring(): Promise<void> {
    const now = Date.now();
    for (const r of this.recurring) {
      if (!this.handlers.has(r.kind)) continue;
      const period = Math.floor(now / r.intervalMs);
      if (r.scheduled === period) continue;
      const runAt = period * r.intervalMs;
      const { maxAttempts } = this.handlers.get(r.kind)!;
      const { created } = await this.repos.jobs.enqueue(r.kind, r.payload, { key: `${r.key}:${period}`, runAt, series: r.key, maxAttempts });
      r.scheduled = period;
      // The replica that opened this period drops the series' periods that ended more than keepRecurringMs ago.
      if (created) await this.repos.jobs.pruneSeries(r.key, runAt - r.intervalMs - this.opts.keepRecurringMs);
    }
  }

  private async claim(): Promise<JobRow[]> {
    const free = this.opts.concurrency - this.running.size;
    if (free <= 0 || this.stopping.signal.aborted) return [];
    const jobs = await this.repos.jobs.claim(this.worker, [...this.handlers.keys()], free, this.opts.leaseMs, [...this.running.keys()]);
    for (const j of jobs) {
      const run = this.run(j).finally(() => {
        this.running.delete(j.id);
        this.wake(); // a slot is free: more may be due
      });
      this.running.set(j.id, run);
    }
    return jobs;
  }

  private async run(row: JobRow): Promise<void> {
    const reg = this.handlers.get(row.kind)!;
    const lease = new AbortController();
    const onStop = () => lease.abort();
    this.stopping.signal.addEventListener('abort', onStop);
    // Renew the lease while the job runs; losing it aborts the job's signal.
    const renew = setInterval(() => {
      this.repos.jobs.extend(row.id, this.worker, this.opts.leaseMs)
        .then((held) => { if (!held) lease.abort(); })
        .catch(() => { /* the database is away: the next renewal tries again, or the lease lapses */ });
    }, Math.max(10, Math.floor(this.opts.leaseMs / 3)));
    let completed = false;
    const job: Job = {
      id: row.id, kind: row.kind, payload: row.payload, attempt: row.attempts, signal: lease.signal,
      complete: async (fn) => {
        await this.repos.transaction(async (tx) => {
          if (!(await tx.jobs.complete(row.id, this.worker))) throw new LeaseLostError(row.id);
          await fn(tx);
        });
        completed = true;
      },
    };
    try {
      await reg.handler(job as Job<never>);
      if (!completed && !(await this.repos.jobs.complete(row.id, this.worker))) {
        this.opts.log(`jobs: ${row.kind} #${row.id} finished after losing its lease; another worker owns it`);
      }
    } catch (e) {
      if (e instanceof LeaseLostError) return;
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const retryAt = row.attempts >= row.maxAttempts ? null : Date.now() + this.backoff(row.attempts);
      await this.repos.jobs.fail(row.id, this.worker, message, retryAt).catch(() => { /* the lease lapses: retried anyway */ });
      this.opts.log(`jobs: ${row.kind} #${row.id} attempt ${row.attempts} failed (${message})${retryAt === null ? ': failed for good' : ''}`);
    } finally {
      clearInterval(renew);
      this.stopping.signal.removeEventListener('abort', onStop);
    }
  }

  private backoff(attempt: number): number {
    const { baseMs, maxMs } = this.opts.backoff;
    const d = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
    return Math.round(d * (0.8 + Math.random() * 0.4));
  }
}
