// The node's off-chain state: one module per table group (its tables' types, its migration, its repository), all
// over one Kysely engine (engine.ts). `openRepos` opens the engine, applies the pending migrations and returns the
// repositories; `transaction` gives the same repositories bound to one database transaction.
import { sql } from 'kysely';
import { openEngine, type AnyDb, type DatabaseConfig, type DialectName, type QueryStats } from './engine.js';
import { migrate, type Migration } from './migrate.js';
import { MetaRepo, metaMigration, authNoncesByTimeMigration, issuerNamesMigration } from './meta.js';
import { IdentitiesRepo, identitiesMigration } from './identities.js';
import { DocumentsRepo, documentsMigration } from './documents.js';
import { KycRepo, kycMigration } from './kyc.js';
import { GrantsRepo, grantsMigration } from './grants.js';
import { DelegatedGrantsRepo, delegatedGrantsMigration } from './delegated-grants.js';
import { UcanRepo, ucanMigration } from './ucan.js';
import { ZkRepo, zkMigration } from './zk.js';
import { KycQueueRepo, kycQueueMigration } from './kyc-queue.js';
import { UcanInvocationsRepo, ucanInvocationsMigration } from './ucan-invocations.js';
import { JobsRepo, jobsMigration, jobsSeriesMigration } from './jobs.js';
import { ScreeningRepo, screeningMigration } from './screening.js';
import { CoordinationRepo, coordinationMigration } from './coordination.js';
import { RiskRepo, riskMigration } from './risk.js';
import { TokensRepo, tokensMigration } from './tokens.js';
import { ZkIssuersRepo, zkIssuerNodesMigration, zkIssuersMigration } from './zk-issuers.js';
import { ZkGistRepo, zkGistMigration } from './zk-gist.js';

/** Every table group's migration, in id order. A new group appends its own (see README.md). */
export const migrations: readonly Migration[] = [
  metaMigration, identitiesMigration, documentsMigration, kycMigration, grantsMigration, ucanMigration, zkMigration, kycQueueMigration,
  ucanInvocationsMigration, jobsMigration, screeningMigration, coordinationMigration, authNoncesByTimeMigration, riskMigration, tokensMigration,
  zkIssuersMigration, zkIssuerNodesMigration, delegatedGrantsMigration, jobsSeriesMigration, zkGistMigration, issuerNamesMigration,
];

/** The repositories over one executor: the engine itself, or one transaction of it. */
export interface RepoSet {
  /** The executor itself (the engine, or the transaction): for tests and tools; features keep their SQL in a repository. */
  readonly db: AnyDb;
  meta: MetaRepo;
  identities: IdentitiesRepo;
  documents: DocumentsRepo;
  kyc: KycRepo;
  grants: GrantsRepo;
  delegatedGrants: DelegatedGrantsRepo;
  ucan: UcanRepo;
  zk: ZkRepo;
  kycQueue: KycQueueRepo;
  ucanInvocations: UcanInvocationsRepo;
  jobs: JobsRepo;
  screening: ScreeningRepo;
  coordination: CoordinationRepo;
  risk: RiskRepo;
  tokens: TokensRepo;
  zkIssuers: ZkIssuersRepo;
  zkGist: ZkGistRepo;
}

export interface Repos extends RepoSet {
  readonly dialect: DialectName;
  /** Queries run by this process and their total time (ms), as the client saw them. */
  readonly stats: QueryStats;
  /**
   * Runs `fn` in one database transaction with repositories bound to it: all of its writes commit together or none
   * does. Keep chain calls and other slow I/O out of it (on SQLite it holds the only connection).
   */
  transaction<T>(fn: (tx: RepoSet) => Promise<T>): Promise<T>;
  /**
   * Runs `fn` while holding the cluster-wide lock `name`: on PostgreSQL a session advisory lock on a connection of its
   * own (every replica's `exclusive(name)` waits; released if this process dies); on SQLite, one process, a local lock.
   * `fn` uses the repositories as usual. For rare start-up work such as the first deployment of the contracts.
   */
  exclusive<T>(name: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function repoSet(db: AnyDb, dialect: DialectName): RepoSet {
  return {
    db,
    meta: new MetaRepo(db),
    identities: new IdentitiesRepo(db),
    documents: new DocumentsRepo(db),
    kyc: new KycRepo(db),
    grants: new GrantsRepo(db),
    delegatedGrants: new DelegatedGrantsRepo(db),
    ucan: new UcanRepo(db),
    zk: new ZkRepo(db),
    kycQueue: new KycQueueRepo(db),
    ucanInvocations: new UcanInvocationsRepo(db),
    jobs: new JobsRepo(db, dialect),
    screening: new ScreeningRepo(db),
    coordination: new CoordinationRepo(db, dialect),
    risk: new RiskRepo(db),
    tokens: new TokensRepo(db),
    zkIssuers: new ZkIssuersRepo(db, dialect),
    zkGist: new ZkGistRepo(db),
  };
}

export async function openRepos(config: DatabaseConfig): Promise<Repos> {
  const engine = openEngine(config);
  // Sections of this process queue here first (SQLite needs nothing more; PostgreSQL then takes one connection each).
  const sections = new Map<string, Promise<void>>();
  const locally = <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const run = (sections.get(name) ?? Promise.resolve()).then(fn);
    sections.set(name, run.then(() => {}, () => {}));
    return run;
  };
  try {
    await migrate(engine.db, engine.dialect, migrations);
  } catch (e) {
    await engine.close();
    throw e;
  }
  return {
    ...repoSet(engine.db, engine.dialect),
    dialect: engine.dialect,
    stats: engine.stats,
    transaction: (fn) => engine.db.transaction().execute((tx) => fn(repoSet(tx, engine.dialect))),
    exclusive: (name, fn) => locally(name, () => (engine.dialect === 'postgres'
      ? engine.db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtextextended(${name}, 0))`.execute(conn);
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(hashtextextended(${name}, 0))`.execute(conn);
        }
      })
      : fn())),
    close: () => engine.close(),
  };
}

export { describeDatabase, type DatabaseConfig } from './engine.js';
export type { KycStatus, KycApplicationRow, KycEventRow } from './kyc.js';
export type { GrantRow, PendingRevocation } from './grants.js';
export type { DelegatedGrantRow } from './delegated-grants.js';
export type { JobRow, JobStatus, EnqueueOptions } from './jobs.js';
