import Database from 'better-sqlite3';
import { SqliteStore } from '../smt/sqlite-store.js';
import { parseWithBigints, stringifyWithBigints } from './json.js';
import type { IdentityRecord, IdentityStore, IssuedClaimRecord } from './store.js';
import type { StateTransition } from './state.js';

/**
 * Identities in SQLite: many identities per database, each under a name; its three trees are named
 * `<name>/auth`, `<name>/claims`, `<name>/revocations` in the SMT tables. One identity operation is one
 * SQLite transaction (tree nodes, new root, claim record, transition), so a crash leaves the identity
 * at its previous state or its next one. All SQL of this module is here, for a later PostgreSQL port.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS identity_records (
  name TEXT PRIMARY KEY,
  record TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS identity_claims (
  name TEXT NOT NULL,
  index_hash TEXT NOT NULL,
  revocation_nonce TEXT NOT NULL,
  record TEXT NOT NULL,
  PRIMARY KEY (name, index_hash)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS identity_claims_by_nonce ON identity_claims (name, revocation_nonce);
CREATE TABLE IF NOT EXISTS identity_transitions (
  name TEXT NOT NULL,
  seq INTEGER NOT NULL,
  transition TEXT NOT NULL,
  PRIMARY KEY (name, seq)
) WITHOUT ROWID;
`;

export interface SqliteIdentityStoreOptions {
  /** Which identity of the database; default 'default'. */
  readonly name?: string;
  readonly synchronous?: 'FULL' | 'NORMAL';
}

export class SqliteIdentityStore implements IdentityStore {
  readonly auth: SqliteStore;
  readonly claims: SqliteStore;
  readonly revocations: SqliteStore;
  private readonly name: string;
  private readonly statements;

  private constructor(readonly db: Database.Database, private readonly ownsDb: boolean, options: SqliteIdentityStoreOptions) {
    this.name = options.name ?? 'default';
    db.exec(SCHEMA);
    this.auth = SqliteStore.open(db, { tree: `${this.name}/auth` });
    this.claims = SqliteStore.open(db, { tree: `${this.name}/claims` });
    this.revocations = SqliteStore.open(db, { tree: `${this.name}/revocations` });
    this.statements = {
      getRecord: db.prepare<[string], string>('SELECT record FROM identity_records WHERE name = ?').pluck(),
      putRecord: db.prepare('INSERT INTO identity_records (name, record) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET record = excluded.record'),
      putClaim: db.prepare('INSERT INTO identity_claims (name, index_hash, revocation_nonce, record) VALUES (?, ?, ?, ?) ON CONFLICT (name, index_hash) DO UPDATE SET record = excluded.record'),
      claimByIndex: db.prepare<[string, string], string>('SELECT record FROM identity_claims WHERE name = ? AND index_hash = ?').pluck(),
      claimByNonce: db.prepare<[string, string], string>('SELECT record FROM identity_claims WHERE name = ? AND revocation_nonce = ?').pluck(),
      appendTransition: db.prepare('INSERT INTO identity_transitions (name, seq, transition) VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM identity_transitions WHERE name = ?), ?)'),
      transitions: db.prepare<[string], string>('SELECT transition FROM identity_transitions WHERE name = ? ORDER BY seq').pluck(),
      hasTransitions: db.prepare<[string], number>('SELECT EXISTS (SELECT 1 FROM identity_transitions WHERE name = ?)').pluck(),
    };
  }

  /** Opens (creating if needed) a database file in WAL mode, or binds to a connection the caller manages. */
  static open(file: string | Database.Database, options: SqliteIdentityStoreOptions = {}): SqliteIdentityStore {
    if (typeof file !== 'string') return new SqliteIdentityStore(file, false, options);
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    return new SqliteIdentityStore(db, true, options);
  }

  atomically<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  loadRecord(): IdentityRecord | undefined {
    const text = this.statements.getRecord.get(this.name);
    return text === undefined ? undefined : parseWithBigints<IdentityRecord>(text);
  }
  saveRecord(record: IdentityRecord): void {
    this.statements.putRecord.run(this.name, stringifyWithBigints(record));
  }
  putClaim(record: IssuedClaimRecord): void {
    this.statements.putClaim.run(this.name, record.indexHash.toString(), record.revocationNonce.toString(), stringifyWithBigints(record));
  }
  claimByIndex(indexHash: bigint): IssuedClaimRecord | undefined {
    const text = this.statements.claimByIndex.get(this.name, indexHash.toString());
    return text === undefined ? undefined : parseWithBigints<IssuedClaimRecord>(text);
  }
  claimByNonce(nonce: bigint): IssuedClaimRecord | undefined {
    const text = this.statements.claimByNonce.get(this.name, nonce.toString());
    return text === undefined ? undefined : parseWithBigints<IssuedClaimRecord>(text);
  }
  appendTransition(transition: StateTransition): void {
    this.statements.appendTransition.run(this.name, this.name, stringifyWithBigints(transition));
  }
  transitions(): StateTransition[] {
    return this.statements.transitions.all(this.name).map((t) => parseWithBigints<StateTransition>(t));
  }
  hasTransitions(): boolean {
    return this.statements.hasTransitions.get(this.name) === 1;
  }
  close(): void {
    if (this.ownsDb) this.db.close();
  }
}
