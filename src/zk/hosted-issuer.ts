/**
 * Issuer identities hosted by a node that holds none of their keys (Node only: better-sqlite3).
 *
 * The node keeps each issuer's three trees and serves what holders need from them: membership proofs of their
 * claims and the revoked nonces at any state, while the issuer keeps its Baby Jubjub keys (and a mirror of its own
 * trees) in its own process and signs each state transition there. The node never sees a claim's values: the
 * issuer sends the claim's hashes (Hi, Hv), its revocation nonce, the holder it is for, and the claim itself
 * sealed to the holder (`delivery`, opaque here).
 *
 * Every change is one SQLite transaction (tree nodes, roots, claim rows, the new state's roots), so a crash leaves
 * an issuer at its previous or its next state. Roots of every state the trees ever had are kept: whichever state
 * the issuer publishes next, proofs against it can be served.
 */
import Database from 'better-sqlite3';
import type { AffinePoint } from '../crypto/babyjub.js';
import { SparseMerkleTree } from '../smt/index.js';
import { SqliteStore } from '../smt/sqlite-store.js';
import {
  AUTH_TREE_DEPTH, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, MAX_KEY_SLOTS, REVOCATION_NONCE_SPACE,
  genesisAuthTree, identityState, idFromGenesisState, Network, type IdentityRoots,
} from '../identity/index.js';
import type { Proof } from '../smt/index.js';
import { ZkError } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS zk_hosted_issuers (
  id TEXT PRIMARY KEY,
  address TEXT NOT NULL UNIQUE,
  network INTEGER NOT NULL,
  genesis_state TEXT NOT NULL,
  keys TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS zk_hosted_states (
  issuer TEXT NOT NULL,
  seq INTEGER NOT NULL,
  state TEXT NOT NULL,
  auth TEXT NOT NULL,
  claims TEXT NOT NULL,
  revocations TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (issuer, seq)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS zk_hosted_states_by_state ON zk_hosted_states (issuer, state);
CREATE TABLE IF NOT EXISTS zk_hosted_claims (
  issuer TEXT NOT NULL,
  index_hash TEXT NOT NULL,
  value_hash TEXT NOT NULL,
  revocation_nonce TEXT NOT NULL,
  holder TEXT NOT NULL,
  application_id TEXT,
  delivery TEXT NOT NULL,
  issued_seq INTEGER NOT NULL,
  PRIMARY KEY (issuer, index_hash)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS zk_hosted_claims_by_nonce ON zk_hosted_claims (issuer, revocation_nonce);
CREATE INDEX IF NOT EXISTS zk_hosted_claims_by_holder ON zk_hosted_claims (holder, issuer);
CREATE INDEX IF NOT EXISTS zk_hosted_claims_by_application ON zk_hosted_claims (application_id);
CREATE TABLE IF NOT EXISTS zk_hosted_revocations (
  issuer TEXT NOT NULL,
  revocation_nonce TEXT NOT NULL,
  seq INTEGER NOT NULL,
  PRIMARY KEY (issuer, revocation_nonce)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS zk_hosted_revocations_by_seq ON zk_hosted_revocations (issuer, seq);
`;

export interface HostedIssuerRecord {
  /** The issuer's Masque ID (base58). */
  readonly id: string;
  /** The on-chain issuer (ClaimIssuer contract) whose signers manage it. */
  readonly address: string;
  readonly network: Network;
  readonly genesisState: bigint;
  readonly keys: readonly AffinePoint[];
}

/** A claim as the node knows it: hashes, nonce, whom it is for, and the sealed claim (opaque JSON). */
export interface HostedClaimInput {
  readonly indexHash: bigint;
  readonly valueHash: bigint;
  readonly revocationNonce: bigint;
  /** The holder's ID (base58): who may fetch the delivery. */
  readonly holder: string;
  readonly applicationId?: string;
  readonly delivery: string;
}

export interface HostedClaim extends HostedClaimInput {
  readonly issuer: string;
  /** The state sequence number that first contained it (0 = genesis). */
  readonly issuedSeq: number;
}

export interface HostedState {
  readonly seq: number;
  readonly state: bigint;
  readonly roots: IdentityRoots;
}

interface StateRow { seq: number; state: string; auth: string; claims: string; revocations: string }
interface ClaimRow { issuer: string; index_hash: string; value_hash: string; revocation_nonce: string; holder: string; application_id: string | null; delivery: string; issued_seq: number }

const toState = (r: StateRow): HostedState => ({
  seq: r.seq, state: BigInt(r.state), roots: { auth: BigInt(r.auth), claims: BigInt(r.claims), revocations: BigInt(r.revocations) },
});
const toClaim = (r: ClaimRow): HostedClaim => ({
  issuer: r.issuer, indexHash: BigInt(r.index_hash), valueHash: BigInt(r.value_hash), revocationNonce: BigInt(r.revocation_nonce),
  holder: r.holder, ...(r.application_id ? { applicationId: r.application_id } : {}), delivery: r.delivery, issuedSeq: r.issued_seq,
});

interface Trees { auth: SparseMerkleTree; claims: SparseMerkleTree; revocations: SparseMerkleTree }

export class HostedIssuers {
  private readonly trees = new Map<string, Trees>();
  private readonly sql;

  private constructor(readonly db: Database.Database) {
    db.exec(SCHEMA);
    this.sql = {
      issuerById: db.prepare<[string], { id: string; address: string; network: number; genesis_state: string; keys: string }>('SELECT * FROM zk_hosted_issuers WHERE id = ?'),
      issuerByAddress: db.prepare<[string], { id: string; address: string; network: number; genesis_state: string; keys: string }>('SELECT * FROM zk_hosted_issuers WHERE address = ?'),
      putIssuer: db.prepare('INSERT INTO zk_hosted_issuers (id, address, network, genesis_state, keys, created_at) VALUES (?, ?, ?, ?, ?, ?)'),
      latestState: db.prepare<[string], StateRow>('SELECT seq, state, auth, claims, revocations FROM zk_hosted_states WHERE issuer = ? ORDER BY seq DESC LIMIT 1'),
      stateByValue: db.prepare<[string, string], StateRow>('SELECT seq, state, auth, claims, revocations FROM zk_hosted_states WHERE issuer = ? AND state = ?'),
      putState: db.prepare('INSERT INTO zk_hosted_states (issuer, seq, state, auth, claims, revocations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      claimByIndex: db.prepare<[string, string], ClaimRow>('SELECT * FROM zk_hosted_claims WHERE issuer = ? AND index_hash = ?'),
      claimByNonce: db.prepare<[string, string], ClaimRow>('SELECT * FROM zk_hosted_claims WHERE issuer = ? AND revocation_nonce = ?'),
      putClaim: db.prepare('INSERT INTO zk_hosted_claims (issuer, index_hash, value_hash, revocation_nonce, holder, application_id, delivery, issued_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      claimsOfHolder: db.prepare<[string], ClaimRow>('SELECT * FROM zk_hosted_claims WHERE holder = ? ORDER BY issuer, issued_seq, index_hash'),
      claimsOfApplication: db.prepare<[string, string], ClaimRow>('SELECT * FROM zk_hosted_claims WHERE issuer = ? AND application_id = ? ORDER BY index_hash'),
      isRevoked: db.prepare<[string, string], number>('SELECT EXISTS (SELECT 1 FROM zk_hosted_revocations WHERE issuer = ? AND revocation_nonce = ?)').pluck(),
      putRevocation: db.prepare('INSERT INTO zk_hosted_revocations (issuer, revocation_nonce, seq) VALUES (?, ?, ?)'),
      revokedUpTo: db.prepare<[string, number], string>('SELECT revocation_nonce FROM zk_hosted_revocations WHERE issuer = ? AND seq <= ? ORDER BY seq, revocation_nonce').pluck(),
    };
  }

  /** Opens (creating if needed) the database file, WAL with synchronous=FULL: an acknowledged change survives a power cut. */
  static open(file: string): HostedIssuers {
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    return new HostedIssuers(db);
  }

  close(): void {
    this.trees.clear();
    this.db.close();
  }

  /**
   * Hosts a new issuer identity from its genesis keys (slots 0..n-1, as `Identity.create`); the same call again
   * (same keys, same address) answers the same record. An address hosts one identity.
   */
  register(input: { address: string; keys: readonly AffinePoint[]; network: Network }): { record: HostedIssuerRecord; created: boolean } {
    const address = input.address.toLowerCase();
    if (input.keys.length === 0) throw new ZkError('BAD_INPUT', 'keys: at least one key');
    if (input.keys.length > MAX_KEY_SLOTS) throw new ZkError('BAD_INPUT', `keys: at most ${MAX_KEY_SLOTS}`);
    return this.db.transaction(() => {
      // The genesis state from the keys alone (an in-memory tree: nothing is written before the checks pass).
      const genesisRoots = { auth: genesisAuthTree(input.keys).root, claims: 0n, revocations: 0n };
      const genesisState = identityState(genesisRoots);
      const id = idFromGenesisState(genesisState, input.network).string;
      const existing = this.sql.issuerByAddress.get(address);
      if (existing) {
        if (existing.id !== id) throw new ZkError('BAD_INPUT', `address: already hosts issuer ${existing.id} (other genesis keys)`);
        return { record: this.record(existing), created: false };
      }
      if (this.sql.issuerById.get(id)) throw new ZkError('BAD_INPUT', `keys: issuer ${id} is hosted for another address`);
      genesisAuthTree(input.keys, this.openTrees(id).auth);
      this.sql.putIssuer.run(id, address, input.network, genesisState.toString(), JSON.stringify(input.keys.map((k) => [k.x.toString(), k.y.toString()])), Date.now());
      this.putState(id, 0, genesisRoots);
      return { record: this.record(this.sql.issuerById.get(id)!), created: true };
    }).immediate();
  }

  byId(id: string): HostedIssuerRecord | undefined {
    const row = this.sql.issuerById.get(id);
    return row && this.record(row);
  }

  byAddress(address: string): HostedIssuerRecord | undefined {
    const row = this.sql.issuerByAddress.get(address.toLowerCase());
    return row && this.record(row);
  }

  /** The trees' current state (possibly not published yet). */
  current(id: string): HostedState {
    const row = this.sql.latestState.get(id);
    if (!row) throw new ZkError('BAD_INPUT', `issuer: ${id} is not hosted here`);
    return toState(row);
  }

  /** A state the trees have been in, or undefined. */
  stateOf(id: string, state: bigint): HostedState | undefined {
    const row = this.sql.stateByValue.get(id, state.toString());
    return row && toState(row);
  }

  /** Inserts a batch of claims in one transaction (one new state); all or nothing. */
  issue(id: string, claims: readonly HostedClaimInput[]): HostedState {
    if (claims.length === 0) throw new ZkError('BAD_INPUT', 'claims: at least one');
    return this.change(id, (trees, seq) => {
      const indexes = new Set<bigint>();
      const nonces = new Set<bigint>();
      for (const [i, c] of claims.entries()) {
        if (c.revocationNonce < 0n || c.revocationNonce >= REVOCATION_NONCE_SPACE) throw new ZkError('BAD_INPUT', `claims.${i}.revocationNonce: below 5^14`);
        if (indexes.has(c.indexHash) || this.sql.claimByIndex.get(id, c.indexHash.toString()) || trees.claims.has(c.indexHash)) {
          throw new ZkError('BAD_INPUT', `claims.${i}.indexHash: this issuer already issued a claim with this index`);
        }
        if (nonces.has(c.revocationNonce) || this.sql.claimByNonce.get(id, c.revocationNonce.toString()) || this.sql.isRevoked.get(id, c.revocationNonce.toString())) {
          throw new ZkError('BAD_INPUT', `claims.${i}.revocationNonce: already used by this issuer`);
        }
        indexes.add(c.indexHash);
        nonces.add(c.revocationNonce);
      }
      trees.claims.batch(claims.map((c) => ({ op: 'insert' as const, key: c.indexHash, value: c.valueHash })));
      for (const c of claims) {
        this.sql.putClaim.run(id, c.indexHash.toString(), c.valueHash.toString(), c.revocationNonce.toString(), c.holder, c.applicationId ?? null, c.delivery, seq);
      }
    });
  }

  /** Revokes nonces in one transaction (one new state); a nonce already revoked is refused, naming it. */
  revoke(id: string, nonces: readonly bigint[]): HostedState {
    if (nonces.length === 0) throw new ZkError('BAD_INPUT', 'nonces: at least one');
    return this.change(id, (trees, seq) => {
      const seen = new Set<bigint>();
      for (const [i, n] of nonces.entries()) {
        if (n < 0n || n >= REVOCATION_NONCE_SPACE) throw new ZkError('BAD_INPUT', `nonces.${i}: below 5^14`);
        if (seen.has(n) || this.sql.isRevoked.get(id, n.toString())) throw new ZkError('BAD_INPUT', `nonces.${i}: already revoked`);
        seen.add(n);
      }
      trees.revocations.batch(nonces.map((n) => ({ op: 'insert' as const, key: n, value: 0n })));
      for (const n of nonces) this.sql.putRevocation.run(id, n.toString(), seq);
    });
  }

  claimsOfHolder(holder: string): HostedClaim[] {
    return this.sql.claimsOfHolder.all(holder).map(toClaim);
  }

  claimsOfApplication(id: string, applicationId: string): HostedClaim[] {
    return this.sql.claimsOfApplication.all(id, applicationId).map(toClaim);
  }

  isRevoked(id: string, nonce: bigint): boolean {
    return this.sql.isRevoked.get(id, nonce.toString()) === 1;
  }

  /** Membership proof of a claim in the claims tree of `at` (a state of this issuer). */
  proveClaim(id: string, indexHash: bigint, at: HostedState): Proof {
    return this.openTrees(id).claims.prove(indexHash, { root: at.roots.claims });
  }

  /** Every nonce revoked at state `at`, in revocation order: the whole revocations tree's content. */
  revokedAt(id: string, at: HostedState): bigint[] {
    return this.sql.revokedUpTo.all(id, at.seq).map((n) => BigInt(n));
  }

  private change(id: string, apply: (trees: Trees, seq: number) => void): HostedState {
    const trees = this.openTrees(id);
    try {
      return this.db.transaction(() => {
        const seq = this.current(id).seq + 1;
        apply(trees, seq);
        const roots = { auth: trees.auth.root, claims: trees.claims.root, revocations: trees.revocations.root };
        this.putState(id, seq, roots);
        return { seq, state: identityState(roots), roots };
      }).immediate();
    } catch (error) {
      // The transaction rolled back: the trees follow the store again.
      for (const tree of Object.values(trees)) tree.refresh();
      throw error;
    }
  }

  private putState(id: string, seq: number, roots: IdentityRoots): void {
    this.sql.putState.run(id, seq, identityState(roots).toString(), roots.auth.toString(), roots.claims.toString(), roots.revocations.toString(), Date.now());
  }

  private openTrees(id: string): Trees {
    let t = this.trees.get(id);
    if (!t) {
      const open = (name: string, maxDepth: number) => SparseMerkleTree.open(SqliteStore.open(this.db, { tree: `${id}/${name}` }), { maxDepth });
      t = { auth: open('auth', AUTH_TREE_DEPTH), claims: open('claims', CLAIMS_TREE_DEPTH), revocations: open('revocations', REVOCATIONS_TREE_DEPTH) };
      this.trees.set(id, t);
    }
    return t;
  }

  private record(row: { id: string; address: string; network: number; genesis_state: string; keys: string }): HostedIssuerRecord {
    return {
      id: row.id, address: row.address, network: row.network as Network, genesisState: BigInt(row.genesis_state),
      keys: (JSON.parse(row.keys) as [string, string][]).map(([x, y]) => ({ x: BigInt(x), y: BigInt(y) })),
    };
  }
}
