/**
 * What the issuer, holder and verifier roles need from the identity state registry. The registry itself is on
 * chain (contracts/zk/IdentityStateRegistry.sol, actions in src/chain/zk.ts): these interfaces keep src/zk free of
 * any chain client, so a browser wallet can plug in its own reader.
 */
import type { ProofWithSignals } from './types.js';
import type { GistProof, GistUpdateWitness } from './gist.js';

/**
 * The GIST as the registry keeps it (IdentityStateRegistry: the root and a history of recent roots; the tree itself
 * mirrored from its StateTransitioned events, src/zk/gist.ts). Holders prove against it; transitions update it.
 */
export interface GistReader {
  /** The ID's GIST proof at the registry's current root (membership of its latest state, or non-membership). */
  gistProof(id: bigint): Promise<GistProof>;
  /** The witness of the update a transition of `id` to `newState` makes at the registry's current root. */
  gistUpdateWitness(id: bigint, newState: bigint): Promise<GistUpdateWitness>;
  /** Whether `root` is the current GIST root or one replaced at most `maxAgeAfterReplacement` seconds ago. */
  isGistRootValid(root: bigint, maxAgeAfterReplacement: number): Promise<boolean>;
}

export interface IdentityStateReader {
  /** The last state `id` published, or undefined when it never published (its genesis state is then its state). */
  latestState(id: bigint): Promise<bigint | undefined>;
  /**
   * Whether `state` is a state of `id` a proof may use now: the latest one, one replaced at most
   * `maxAgeAfterReplacement` seconds ago, or the genesis state of an id that never published. Never an unknown one.
   */
  isStateValid(id: bigint, state: bigint, maxAgeAfterReplacement: number): Promise<boolean>;
  /** Whether `root` is the current GIST root or one replaced at most `maxAgeAfterReplacement` seconds ago. */
  isGistRootValid(root: bigint, maxAgeAfterReplacement: number): Promise<boolean>;
}

/** What a registry reports of a publication (on-chain: the transaction and its gas). */
export interface PublicationReceipt {
  readonly transactionHash?: string;
  readonly gasUsed?: bigint;
}

export interface IdentityStatePublisher extends IdentityStateReader, Pick<GistReader, 'gistUpdateWitness'> {
  /** Publishes a state-transition proof (public signals [id, oldState, newState, isOldStateGenesis, gistOldRoot, gistNewRoot]). */
  publishState(transition: ProofWithSignals): Promise<PublicationReceipt>;
}

/** The verifier's memory of nullifiers already accepted, per request (a Set in memory, a table in a service). */
export interface NullifierStore {
  has(requestId: bigint, nullifier: bigint): boolean | Promise<boolean>;
  /** Records the nullifier; false (and no change) when it was already there. Must be atomic. */
  add(requestId: bigint, nullifier: bigint): boolean | Promise<boolean>;
}

export class MemoryNullifierStore implements NullifierStore {
  private readonly seen = new Set<string>();
  has(requestId: bigint, nullifier: bigint): boolean {
    return this.seen.has(`${requestId}:${nullifier}`);
  }
  add(requestId: bigint, nullifier: bigint): boolean {
    const key = `${requestId}:${nullifier}`;
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }
}
