/**
 * All of the SQL, kept here so another engine (PostgreSQL: BYTEA for BLOB, BIGINT for INTEGER,
 * ON CONFLICT DO NOTHING for INSERT OR IGNORE) means rewriting this module and the thin store around it.
 *
 * - smt_nodes: content-addressed, shared by every tree of the database (equal subtrees are stored once).
 *   Rows are only ever added, which is what keeps every historical root readable.
 * - smt_trees: one row per named tree, pinning its maximum depth.
 * - smt_roots: each tree's root history; (tree, root) is indexed for isHistoricalRoot.
 */
import type Database from 'better-sqlite3';

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS smt_nodes (
  hash BLOB PRIMARY KEY,
  node BLOB NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS smt_trees (
  name TEXT PRIMARY KEY,
  max_depth INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS smt_roots (
  tree TEXT NOT NULL,
  seq INTEGER NOT NULL,
  root BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (tree, seq)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS smt_roots_by_root ON smt_roots (tree, root, seq);
`;

export interface RootRow {
  seq: number;
  root: Buffer;
  created_at: number;
}

export interface Statements {
  getNode: Database.Statement<[Buffer], Buffer>;
  putNode: Database.Statement<[Buffer, Buffer]>;
  getTreeDepth: Database.Statement<[string], number>;
  putTree: Database.Statement<[string, number]>;
  latestRoot: Database.Statement<[string], RootRow>;
  findRoot: Database.Statement<[string, Buffer], RootRow>;
  history: Database.Statement<[string], RootRow>;
  historyTail: Database.Statement<[string, number], RootRow>;
  appendRoot: Database.Statement<[string, number, Buffer, number]>;
}

export function prepareStatements(db: Database.Database): Statements {
  db.exec(SCHEMA);
  return {
    getNode: db.prepare<[Buffer], Buffer>('SELECT node FROM smt_nodes WHERE hash = ?').pluck(),
    putNode: db.prepare<[Buffer, Buffer]>('INSERT OR IGNORE INTO smt_nodes (hash, node) VALUES (?, ?)'),
    getTreeDepth: db.prepare<[string], number>('SELECT max_depth FROM smt_trees WHERE name = ?').pluck(),
    putTree: db.prepare<[string, number]>('INSERT INTO smt_trees (name, max_depth) VALUES (?, ?)'),
    latestRoot: db.prepare<[string], RootRow>(
      'SELECT seq, root, created_at FROM smt_roots WHERE tree = ? ORDER BY seq DESC LIMIT 1',
    ),
    findRoot: db.prepare<[string, Buffer], RootRow>(
      'SELECT seq, root, created_at FROM smt_roots WHERE tree = ? AND root = ? ORDER BY seq LIMIT 1',
    ),
    history: db.prepare<[string], RootRow>('SELECT seq, root, created_at FROM smt_roots WHERE tree = ? ORDER BY seq'),
    historyTail: db.prepare<[string, number], RootRow>(
      'SELECT * FROM (SELECT seq, root, created_at FROM smt_roots WHERE tree = ? ORDER BY seq DESC LIMIT ?) ORDER BY seq',
    ),
    appendRoot: db.prepare<[string, number, Buffer, number]>(
      'INSERT INTO smt_roots (tree, seq, root, created_at) VALUES (?, ?, ?, ?)',
    ),
  };
}
