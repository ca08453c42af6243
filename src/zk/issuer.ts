/**
 * The issuer role: issues and revokes claims in its identity's trees, publishes its state with one
 * state-transition proof per batch of changes, and hands holders the witnesses of their claims at the state
 * the registry knows (a holder can only prove against a published state).
 */
import type { PrivateKey } from '../crypto/eddsa.js';
import type { Claim, ClaimInput } from '../claims/index.js';
import type { Identity, IssuedClaim, StateTransition } from '../identity/index.js';
import type { CredentialWitness } from './inputs.js';
import { proveStateTransition } from './prover.js';
import type { IdentityStatePublisher, PublicationReceipt } from './registry.js';
import { ZkError, type ProverArtifacts } from './types.js';

/** Where a holder gets fresh witnesses of its claims (in-process here; over the network in a deployment). */
export interface CredentialSource {
  credential(issuerId: bigint, claim: Claim): Promise<CredentialWitness>;
}

export interface PublishResult {
  readonly oldState: bigint;
  readonly newState: bigint;
  readonly transition: StateTransition;
  readonly receipt: PublicationReceipt;
}

export class ZkIssuer implements CredentialSource {
  constructor(
    readonly identity: Identity,
    private readonly signer: PrivateKey,
    private readonly registry: IdentityStatePublisher,
    private readonly stateTransitionArtifacts: ProverArtifacts,
  ) {}

  get id(): bigint {
    return this.identity.id.bigint;
  }

  /** Issues locally (the result goes to the holder's wallet); holders can prove it once `publish` has run. */
  issue(input: Omit<ClaimInput, 'revocationNonce'> & { revocationNonce?: bigint }): IssuedClaim {
    return this.identity.issueClaim(this.signer, input);
  }

  /** Revokes `previous` and issues its next revision in one local transition (publish to make it count). */
  renew(previous: Claim, input: Omit<ClaimInput, 'revocationNonce' | 'revision'> & { revocationNonce?: bigint }): IssuedClaim {
    return this.identity.renewClaim(this.signer, previous, input);
  }

  /** Revokes locally; proofs at the new state fail once `publish` has run (older states expire with the grace period). */
  revoke(revocationNonce: bigint): void {
    this.identity.revokeClaim(this.signer, revocationNonce);
  }

  /** The state the registry holds for this issuer (its genesis state before the first publication). */
  async publishedState(): Promise<bigint> {
    return (await this.registry.latestState(this.id)) ?? this.identity.genesisState;
  }

  /**
   * Publishes every local change since the last published state with one proof; undefined when there is
   * nothing new.
   */
  async publish(): Promise<PublishResult | undefined> {
    const oldState = await this.publishedState();
    if (oldState === this.identity.state) return undefined;
    const transition = this.identity.transitionFrom(this.signer, oldState);
    const gist = await this.registry.gistUpdateWitness(this.id, transition.newState);
    const receipt = await this.registry.publishState(await proveStateTransition(transition, gist, this.stateTransitionArtifacts));
    return { oldState, newState: transition.newState, transition, receipt };
  }

  /**
   * Inclusion of `claim` and the status of its revocation nonce, both at the published state. A claim issued
   * after it is refused (publish first); a revoked one comes back as it is: the holder's prover refuses it.
   */
  async credential(issuerId: bigint, claim: Claim): Promise<CredentialWitness> {
    if (issuerId !== this.id) throw new ZkError('BAD_INPUT', 'issuerId: not this issuer');
    const issuerState = await this.publishedState();
    const issuerRoots = this.identity.rootsAt(issuerState);
    const claimProof = this.identity.proveClaim(claim, { root: issuerRoots.claims });
    if (!claimProof.existence) throw new ZkError('UNSATISFIED', 'claim: not issued at the published state (the issuer has not published it yet)');
    const revocationProof = this.identity.revocationStatus(claim.revocationNonce, { state: issuerState }).proof;
    return { claim, issuerId: this.id, issuerState, issuerRoots, claimProof, revocationProof };
  }
}
