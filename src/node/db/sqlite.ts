// Opens the node's SQLite database. SQL lives in one module per table group (meta, identities, documents, kyc,
// grants) behind small repository classes, so another SQL engine can replace this one module by module.
import Database from 'better-sqlite3';

export type Db = Database.Database;

export interface Migration { readonly id: string; readonly sql: string }

export function openDb(path: string, migrations: readonly Migration[]): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the node acknowledges the write that made it.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set((db.prepare('SELECT id FROM schema_migrations').all() as { id: string }[]).map((r) => r.id));
  const mark = db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)');
  for (const m of migrations) {
    if (applied.has(m.id)) continue;
    db.transaction(() => { db.exec(m.sql); mark.run(m.id, Date.now()); })();
  }
  return db;
}
