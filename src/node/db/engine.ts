// Opens the node's database engine behind Kysely: SQLite (better-sqlite3, the embedded default) now; every query of
// the node goes through the returned `Kysely` instance, so a second engine is a second dialect here, not a second
// copy of the SQL.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

export type DatabaseConfig = { type: 'sqlite'; path: string };

/** A Kysely over any of the node's table groups; each repository narrows it to its own tables. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDb = Kysely<any>;

export interface Engine {
  readonly db: AnyDb;
  readonly dialect: DialectName;
  close(): Promise<void>;
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
  const db: AnyDb = new Kysely({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

export function openEngine(config: DatabaseConfig): Engine {
  return openSqlite(config.path);
}

/**
 * Runs `fn` in a transaction, or inside the caller's when `db` is already one (Kysely has no nested transactions):
 * a repository method that needs atomicity calls this, and a handler that groups several such calls wraps them in
 * `Repos.transaction`.
 */
export function atomically<D, T>(db: Kysely<D>, fn: (tx: Kysely<D>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}
