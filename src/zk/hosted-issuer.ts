/**
 * Issuer identities hosted by a node that holds none of their keys.
 *
 * The node keeps each issuer's three trees and serves what holders need from them: membership proofs of their
 * claims and the revoked nonces at any state, while the issuer keeps its Baby Jubjub keys (and a mirror of its own
 * trees) in its own process and signs each state transition there. The node never sees a claim's values: the
 * issuer sends the claim's hashes (Hi, Hv), its revocation nonce, the holder it is for, and the claim itself
 * sealed to the holder (`delivery`, opaque here).
 *
 * Storage: `HostedIssuerRows` (the node's database, src/node/db/zk-issuers.ts, SQLite or PostgreSQL) holds every
 * claim's (Hi, Hv) and every revoked nonce, the tree nodes each state added, and the roots of every state, each with
 * the state's sequence number. Each process (each node replica) keeps the trees in memory and brings them up to the
 * latest stored state by loading the nodes of the states it has not seen (no hashing: 10,000 claims re-inserted one
 * batch at a time would cost seconds of Poseidon). Every change is one database transaction that first locks the
 * issuer's row, so replicas writing for one issuer take turns and each builds on the latest state: a crash leaves an
 * issuer at its previous or its next state, on every replica.
 */
import type { AffinePoint } from '../crypto/babyjub.js';
import { MemoryStore, SparseMerkleTree, type Proof, type RootRecord, type SmtNode } from '../smt/index.js';
import {
  AUTH_TREE_DEPTH, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, MAX_KEY_SLOTS, REVOCATION_NONCE_SPACE,
  genesisAuthTree, identityState, idFromGenesisState, Network, type IdentityRoots,
} from '../identity/index.js';
import { ZkError } from './types.js';

export interface HostedIssuerRecord {
  /** The issuer's Masque ID (base58). */
  readonly id: string;
  /** The on-chain issuer (ClaimIssuer contract, lower case) whose signers manage it. */
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

/** A tree node as stored: which tree, and which state's batch added it. */
export interface HostedNode { readonly tree: 'claims' | 'revocations'; readonly seq: number; readonly hash: bigint; readonly node: SmtNode }

/**
 * What HostedIssuers needs of a database shared by every process that serves the issuers (the node's replicas).
 * States are numbered per issuer from 0 (genesis); a state's rows (its claims or revocations and its roots) are
 * written in one transaction.
 */
export interface HostedIssuerRows {
  /** Runs `fn` in one transaction (or inside the caller's), with rows bound to it: all of its writes or none. */
  transaction<T>(fn: (rows: HostedIssuerRows) => Promise<T>): Promise<T>;
  /** Inside a transaction: holds the issuer's row until the transaction ends; another process's lock waits for it. */
  lockIssuer(id: string): Promise<void>;
  /** Inserts the issuer and its genesis state unless its ID or address is taken; true when inserted. */
  putIssuer(record: HostedIssuerRecord, genesis: HostedState): Promise<boolean>;
  issuerById(id: string): Promise<HostedIssuerRecord | undefined>;
  issuerByAddress(address: string): Promise<HostedIssuerRecord | undefined>;
  latestState(id: string): Promise<HostedState | undefined>;
  stateByValue(id: string, state: bigint): Promise<HostedState | undefined>;
  /** States with seq > `after`, in order. */
  statesAfter(id: string, after: number): Promise<HostedState[]>;
  putState(id: string, state: HostedState): Promise<void>;
  /** Stores the nodes a state's batch added to a tree. */
  putNodes(id: string, nodes: readonly HostedNode[]): Promise<void>;
  /** The nodes added by the states after < seq <= upTo. */
  nodesIn(id: string, after: number, upTo: number): Promise<HostedNode[]>;
  /** Whether a claim of this issuer has this index hash. */
  hasIndex(id: string, indexHash: bigint): Promise<boolean>;
  /** Whether a claim of this issuer has this revocation nonce, or it was revoked. */
  hasNonce(id: string, nonce: bigint): Promise<boolean>;
  putClaims(id: string, seq: number, claims: readonly HostedClaimInput[]): Promise<void>;
  putRevocations(id: string, seq: number, nonces: readonly bigint[]): Promise<void>;
  claimsOfHolder(holder: string): Promise<HostedClaim[]>;
  claimsOfApplication(id: string, applicationId: string): Promise<HostedClaim[]>;
  isRevoked(id: string, nonce: bigint): Promise<boolean>;
  /** Every nonce revoked at state seq <= upTo, in revocation order. */
  revokedUpTo(id: string, upTo: number): Promise<bigint[]>;
}

/** A MemoryStore that keeps the nodes of its commits until taken, so a writer can store them with the state. */
class RecordingStore extends MemoryStore {
  private fresh: [bigint, SmtNode][] = [];
  override commit(nodes: Iterable<readonly [bigint, SmtNode]>, root: bigint, timestamp: number, expectedSeq: number): RootRecord {
    const staged = [...nodes];
    const record = super.commit(staged, root, timestamp, expectedSeq);
    for (const [hash, node] of staged) this.fresh.push([hash, node]);
    return record;
  }
  take(): [bigint, SmtNode][] {
    const taken = this.fresh;
    this.fresh = [];
    return taken;
  }
}

interface Tree { readonly store: RecordingStore; readonly tree: SparseMerkleTree }

/** One issuer's trees in this process, as of state `seq` (the auth tree never changes: the genesis keys). */
interface Trees { seq: number; auth: SparseMerkleTree; claims: Tree; revocations: Tree }

function openTree(maxDepth: number): Tree {
  const store = new RecordingStore();
  return { store, tree: SparseMerkleTree.open(store, { maxDepth }) };
}

const rootsOf = (t: Trees): IdentityRoots => ({ auth: t.auth.root, claims: t.claims.tree.root, revocations: t.revocations.tree.root });

export class HostedIssuers {
  private readonly trees = new Map<string, Trees>();
  /** Per issuer, the tail of this process's operations on its trees: one at a time. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly rows: HostedIssuerRows) {}

  /**
   * Hosts a new issuer identity from its genesis keys (slots 0..n-1, as `Identity.create`); the same call again
   * (same keys, same address) answers the same record. An address hosts one identity.
   */
  async register(input: { address: string; keys: readonly AffinePoint[]; network: Network }): Promise<{ record: HostedIssuerRecord; created: boolean }> {
    const address = input.address.toLowerCase();
    if (input.keys.length === 0) throw new ZkError('BAD_INPUT', 'keys: at least one key');
    if (input.keys.length > MAX_KEY_SLOTS) throw new ZkError('BAD_INPUT', `keys: at most ${MAX_KEY_SLOTS}`);
    const roots = { auth: genesisAuthTree(input.keys).root, claims: 0n, revocations: 0n };
    const genesisState = identityState(roots);
    const record: HostedIssuerRecord = {
      id: idFromGenesisState(genesisState, input.network).string, address, network: input.network, genesisState,
      keys: input.keys.map((k) => ({ x: k.x, y: k.y })),
    };
    return this.rows.transaction(async (rows) => {
      // Inserted unless taken (by this address, or this ID for another address); then the stored row decides.
      const created = await rows.putIssuer(record, { seq: 0, state: genesisState, roots });
      if (created) return { record, created };
      const existing = await rows.issuerByAddress(address);
      if (existing) {
        if (existing.id !== record.id) throw new ZkError('BAD_INPUT', `address: already hosts issuer ${existing.id} (other genesis keys)`);
        return { record: existing, created: false };
      }
      throw new ZkError('BAD_INPUT', `keys: issuer ${record.id} is hosted for another address`);
    });
  }

  byId(id: string): Promise<HostedIssuerRecord | undefined> {
    return this.rows.issuerById(id);
  }

  byAddress(address: string): Promise<HostedIssuerRecord | undefined> {
    return this.rows.issuerByAddress(address.toLowerCase());
  }

  /** The trees' current state (possibly not published yet). */
  async current(id: string): Promise<HostedState> {
    const s = await this.rows.latestState(id);
    if (!s) throw new ZkError('BAD_INPUT', `issuer: ${id} is not hosted here`);
    return s;
  }

  /** A state the trees have been in, or undefined. */
  stateOf(id: string, state: bigint): Promise<HostedState | undefined> {
    return this.rows.stateByValue(id, state);
  }

  /** Inserts a batch of claims in one transaction (one new state); all or nothing. */
  issue(id: string, claims: readonly HostedClaimInput[]): Promise<HostedState> {
    if (claims.length === 0) return Promise.reject(new ZkError('BAD_INPUT', 'claims: at least one'));
    return this.change(id, async (rows, trees, seq) => {
      const indexes = new Set<bigint>();
      const nonces = new Set<bigint>();
      for (const [i, c] of claims.entries()) {
        if (c.revocationNonce < 0n || c.revocationNonce >= REVOCATION_NONCE_SPACE) throw new ZkError('BAD_INPUT', `claims.${i}.revocationNonce: below 5^14`);
        if (indexes.has(c.indexHash) || trees.claims.tree.has(c.indexHash) || await rows.hasIndex(id, c.indexHash)) {
          throw new ZkError('BAD_INPUT', `claims.${i}.indexHash: this issuer already issued a claim with this index`);
        }
        if (nonces.has(c.revocationNonce) || await rows.hasNonce(id, c.revocationNonce)) {
          throw new ZkError('BAD_INPUT', `claims.${i}.revocationNonce: already used by this issuer`);
        }
        indexes.add(c.indexHash);
        nonces.add(c.revocationNonce);
      }
      trees.claims.tree.batch(claims.map((c) => ({ op: 'insert' as const, key: c.indexHash, value: c.valueHash })));
      await rows.putClaims(id, seq, claims);
    });
  }

  /** Revokes nonces in one transaction (one new state); a nonce already revoked is refused, naming it. */
  revoke(id: string, nonces: readonly bigint[]): Promise<HostedState> {
    if (nonces.length === 0) return Promise.reject(new ZkError('BAD_INPUT', 'nonces: at least one'));
    return this.change(id, async (rows, trees, seq) => {
      const seen = new Set<bigint>();
      for (const [i, n] of nonces.entries()) {
        if (n < 0n || n >= REVOCATION_NONCE_SPACE) throw new ZkError('BAD_INPUT', `nonces.${i}: below 5^14`);
        if (seen.has(n) || await rows.isRevoked(id, n)) throw new ZkError('BAD_INPUT', `nonces.${i}: already revoked`);
        seen.add(n);
      }
      trees.revocations.tree.batch(nonces.map((n) => ({ op: 'insert' as const, key: n, value: 0n })));
      await rows.putRevocations(id, seq, nonces);
    });
  }

  claimsOfHolder(holder: string): Promise<HostedClaim[]> {
    return this.rows.claimsOfHolder(holder);
  }

  claimsOfApplication(id: string, applicationId: string): Promise<HostedClaim[]> {
    return this.rows.claimsOfApplication(id, applicationId);
  }

  isRevoked(id: string, nonce: bigint): Promise<boolean> {
    return this.rows.isRevoked(id, nonce);
  }

  /** Membership proof of a claim in the claims tree of `at` (a state of this issuer). */
  proveClaim(id: string, indexHash: bigint, at: HostedState): Promise<Proof> {
    return this.serially(id, async () => {
      let trees = this.trees.get(id);
      if (!trees || trees.seq < at.seq) trees = await this.synced(this.rows, id);
      return trees.claims.tree.prove(indexHash, { root: at.roots.claims });
    });
  }

  /** Every nonce revoked at state `at`, in revocation order: the whole revocations tree's content. */
  revokedAt(id: string, at: HostedState): Promise<bigint[]> {
    return this.rows.revokedUpTo(id, at.seq);
  }

  private change(id: string, apply: (rows: HostedIssuerRows, trees: Trees, seq: number) => Promise<void>): Promise<HostedState> {
    return this.serially(id, async () => {
      try {
        return await this.rows.transaction(async (rows) => {
          // Another replica may have written since this one last looked: lock, then catch up under the lock.
          await rows.lockIssuer(id);
          const trees = await this.synced(rows, id);
          const seq = trees.seq + 1;
          await apply(rows, trees, seq);
          const roots = rootsOf(trees);
          const state = { seq, state: identityState(roots), roots };
          await rows.putState(id, state);
          const added = (tree: HostedNode['tree']) => trees[tree].store.take().map(([hash, node]) => ({ tree, seq, hash, node }));
          await rows.putNodes(id, [...added('claims'), ...added('revocations')]);
          trees.seq = seq;
          return state;
        });
      } catch (error) {
        // The transaction rolled back (or never committed): these trees may hold its leaves; rebuild on next use.
        this.trees.delete(id);
        throw error;
      }
    });
  }

  /** The issuer's trees brought up to its latest stored state, from the nodes of the states this process has not seen. */
  private async synced(rows: HostedIssuerRows, id: string): Promise<Trees> {
    let trees = this.trees.get(id);
    if (!trees) {
      const record = await rows.issuerById(id);
      if (!record) throw new ZkError('BAD_INPUT', `issuer: ${id} is not hosted here`);
      const auth = genesisAuthTree(record.keys, SparseMerkleTree.open(new MemoryStore(), { maxDepth: AUTH_TREE_DEPTH }));
      trees = { seq: 0, auth, claims: openTree(CLAIMS_TREE_DEPTH), revocations: openTree(REVOCATIONS_TREE_DEPTH) };
      this.trees.set(id, trees);
    }
    const states = await rows.statesAfter(id, trees.seq);
    if (states.length === 0) return trees;
    const nodes = new Map<string, [bigint, SmtNode][]>();
    for (const n of await rows.nodesIn(id, trees.seq, states[states.length - 1]!.seq)) {
      const key = `${n.tree}/${n.seq}`;
      let list = nodes.get(key);
      if (!list) nodes.set(key, list = []);
      list.push([n.hash, n.node]);
    }
    for (const s of states) {
      for (const name of ['claims', 'revocations'] as const) {
        const { store, tree } = trees[name];
        const root = s.roots[name];
        if (root !== tree.root) {
          store.commit(nodes.get(`${name}/${s.seq}`) ?? [], root, Date.now(), store.latestRoot().seq);
          tree.refresh();
        }
        if (root !== 0n && store.getNode(root) === undefined) {
          this.trees.delete(id);
          throw new Error(`hosted issuer ${id}: the stored nodes of state ${s.seq} miss its ${name} root`);
        }
      }
      if (s.roots.auth !== trees.auth.root) throw new Error(`hosted issuer ${id}: state ${s.seq} has another auth root than the genesis keys`);
      trees.seq = s.seq;
    }
    trees.claims.store.take();
    trees.revocations.store.take();
    return trees;
  }

  private serially<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const run = (this.queues.get(id) ?? Promise.resolve()).then(fn);
    const tail = run.then(() => {}, () => {});
    this.queues.set(id, tail);
    void tail.then(() => { if (this.queues.get(id) === tail) this.queues.delete(id); });
    return run;
  }
}
