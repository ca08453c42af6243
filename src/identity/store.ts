import { MemoryStore, type TreeStore } from '../smt/index.js';
import type { StateTransition } from './state.js';

/** What an identity keeps besides its trees. */
export interface IdentityRecord {
  readonly id: string;
  readonly genesisState: bigint;
  /** Occupied authentication slots and their keys. */
  readonly keys: readonly { readonly slot: number; readonly x: bigint; readonly y: bigint }[];
}

export interface IssuedClaimRecord {
  readonly indexHash: bigint;
  readonly revocationNonce: bigint;
  readonly slots: readonly bigint[];
  readonly issuedAt: number;
  readonly revokedAt?: number;
}

/**
 * Persistence for one identity: its three trees and its records. `atomically` makes one identity
 * operation (tree commit + records) all-or-nothing where the backend can (SQLite); the operations are
 * ordered so that the in-memory backend, which cannot roll back, only commits after every check passed.
 */
export interface IdentityStore {
  readonly auth: TreeStore;
  readonly claims: TreeStore;
  readonly revocations: TreeStore;
  atomically<T>(fn: () => T): T;
  loadRecord(): IdentityRecord | undefined;
  saveRecord(record: IdentityRecord): void;
  putClaim(record: IssuedClaimRecord): void;
  claimByNonce(nonce: bigint): IssuedClaimRecord | undefined;
  claimByIndex(indexHash: bigint): IssuedClaimRecord | undefined;
  appendTransition(transition: StateTransition): void;
  transitions(): StateTransition[];
  /** Whether any transition was logged, without reading them (asked on every operation). */
  hasTransitions(): boolean;
  close(): void;
}

export class MemoryIdentityStore implements IdentityStore {
  readonly auth = new MemoryStore();
  readonly claims = new MemoryStore();
  readonly revocations = new MemoryStore();
  private record?: IdentityRecord;
  private readonly byNonce = new Map<bigint, IssuedClaimRecord>();
  private readonly byIndex = new Map<bigint, IssuedClaimRecord>();
  private readonly log: StateTransition[] = [];

  atomically<T>(fn: () => T): T {
    return fn();
  }
  loadRecord() {
    return this.record;
  }
  saveRecord(record: IdentityRecord) {
    this.record = record;
  }
  putClaim(record: IssuedClaimRecord) {
    this.byNonce.set(record.revocationNonce, record);
    this.byIndex.set(record.indexHash, record);
  }
  claimByNonce(nonce: bigint) {
    return this.byNonce.get(nonce);
  }
  claimByIndex(indexHash: bigint) {
    return this.byIndex.get(indexHash);
  }
  appendTransition(transition: StateTransition) {
    this.log.push(transition);
  }
  transitions() {
    return [...this.log];
  }
  hasTransitions() {
    return this.log.length > 0;
  }
  close() {}
}
