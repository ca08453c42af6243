// Opens the node's database engine behind Kysely: SQLite (better-sqlite3, the embedded default) or PostgreSQL (pg,
// a pool). Every query of the node goes through the returned `Kysely` instance, so the second engine is a second
// dialect here, not a second copy of the SQL.
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseConfig =
  | { type: 'sqlite'; path: string }
  | { type: 'postgres'; url: string; poolSize?: number };

/** A Kysely over any of the node's table groups; each repository narrows it to its own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

/** Queries this process ran and the time they took, client side (for /health and the scale benchmark's DB share). */
export interface QueryStats { queries: number; ms: number }

export interface Engine {
  readonly db: AnyDb;
  readonly dialect: DialectName;
  readonly stats: QueryStats;
  close(): Promise<void>;
}

/** Kysely's log hook, counting every query and its duration (a few nanoseconds each; no query text kept). */
function counting(stats: QueryStats) {
  return (event: { queryDurationMillis: number }) => {
    stats.queries++;
    stats.ms += event.queryDurationMillis;
  };
}

/** Compiled statements kept per SQL text. Kysely's SQLite driver prepares every query anew (about 12 us each). */
const STATEMENT_CACHE = 512;

function openSqlite(path: string): Engine {
  const raw = new Database(path);
  raw.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the node acknowledges the write that made it.
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  const statements = new Map<string, Database.Statement>();
  const database = {
    prepare(sql: string): Database.Statement {
      let s = statements.get(sql);
      if (s === undefined) {
        s = raw.prepare(sql);
        if (statements.size >= STATEMENT_CACHE) statements.delete(statements.keys().next().value!);
        statements.set(sql, s);
      }
      return s;
    },
    close: () => raw.close(),
  };
  const stats = { queries: 0, ms: 0 };
  const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database }), log: counting(stats) });
  return { db, dialect: 'sqlite', stats, close: () => db.destroy() };
}

const INT8_OID = 20;

/** int8 (bigint columns, COUNT(*)) as a JS number, like SQLite gives it; beyond 2^53 it refuses rather than rounds. */
function parseInt8(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new RangeError(`bigint ${text} does not fit a JS number: store it as text`);
  return n;
}

function openPostgres(url: string, poolSize: number): Engine {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    types: { getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? parseInt8 : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser },
  });
  // A client losing its server (a restart, a failover) must not crash the node: idle ones are dropped by the pool,
  // checked-out ones fail their query and are dropped on release; the next query connects anew.
  pool.on('error', () => {});
  pool.on('connect', (client) => { client.on('error', () => {}); });
  const stats = { queries: 0, ms: 0 };
  const db: AnyDb = new Kysely({ dialect: new PostgresDialect({ pool }), log: counting(stats) });
  return { db, dialect: 'postgres', stats, close: () => db.destroy() };
}

/** For logs: the engine and where, never the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.type === 'sqlite') return `sqlite ${config.path}`;
  try {
    const u = new URL(config.url);
    return `postgres ${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgres';
  }
}

export function openEngine(config: DatabaseConfig): Engine {
  return config.type === 'postgres' ? openPostgres(config.url, config.poolSize ?? 10) : openSqlite(config.path);
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` is already one (Kysely has no nested transactions):
 * a repository method that needs atomicity calls this, and a handler that groups several such calls wraps them in
 * `Repos.transaction`.
 */
export function atomically<D, T>(db: Kysely<D>, fn: (tx: Kysely<D>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
