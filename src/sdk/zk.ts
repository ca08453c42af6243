// The node's zk_ methods with src/zk's own types: publish state-transition proofs, read identity states and on-chain
// requests, check or verify credential-query responses. `nodeStateRegistry` plugs the node into src/zk's roles
// (ZkIssuer publishes through the node; the relayer pays gas, the proof is the authorization).
import type { Address } from 'viem';
import type { IdentityStatePublisher } from '../zk/registry.js';
import type { GistProof, GistUpdateWitness } from '../zk/gist.js';
import { GIST_DEPTH } from '../zk/gist.js';
import { gistProofFromJson, gistUpdateFromJson } from '../zk/parties.js';
import { verifyProof } from '../smt/index.js';
import { ZkError } from '../zk/types.js';
import type { CredentialQueryRequestJson, CredentialQueryResponseJson } from '../zk/request.js';
import { onchainHolderRequest } from '../zk/onchain.js';
import type { OperatorName, ProofWithSignals } from '../zk/types.js';
import type { Params, Result } from '../protocol/api.js';
import type { MasqueClient } from './client.js';

export class MasqueZk {
  constructor(private readonly client: MasqueClient) {}

  /** Latest published state and history of an ID (string, did:masque or decimal; bigint accepted). */
  identityState(id: string | bigint): Promise<Result<'zk_getIdentityState'>> {
    return this.client.call('zk_getIdentityState', { id: id.toString() });
  }

  /** The chain's verdict (IdentityStateRegistry.isStateValid, at the latest block's time) on `state` as a state of `id`. */
  isStateValid(id: string | bigint, state: bigint, maxAgeAfterReplacement: number): Promise<Result<'zk_isStateValid'>> {
    return this.client.call('zk_isStateValid', { id: id.toString(), state: state.toString(), maxAgeAfterReplacement });
  }

  /** The chain's verdict (IdentityStateRegistry.isGistRootValid, at the latest block's time) on a GIST root of a holder-auth proof. */
  isGistRootValid(root: bigint, maxAgeAfterReplacement: number): Promise<Result<'zk_isGistRootValid'>> {
    return this.client.call('zk_isGistRootValid', { root: root.toString(), maxAgeAfterReplacement });
  }

  /** Relays a state-transition proof (`proveStateTransition`'s output). Refusals: MasqueRpcError -32004, data.error names it. */
  publishState(transition: ProofWithSignals): Promise<Result<'zk_publishState'>> {
    return this.client.call('zk_publishState', { proof: transition.proof, publicSignals: [...transition.publicSignals] } as Params<'zk_publishState'>);
  }

  /**
   * The ID's GIST proof from the node's mirror (membership of its latest state, or non-membership), checked here
   * against the root it names: the current root, or `at.root` (an earlier one, served while the registry accepts it
   * `at.maxAgeAfterReplacement` s, default 3600, after its replacement). The node serves only roots the registry
   * holds, but a holder that trusts no node checks the root with `isGistRootValid` (a verifier does).
   */
  async gistProof(id: string | bigint, at: { root?: bigint; maxAgeAfterReplacement?: number } = {}): Promise<GistProof & { block: number }> {
    const r = await this.client.call('zk_getGistProof', {
      id: id.toString(), ...(at.root === undefined ? {} : { root: at.root.toString() }),
      ...(at.maxAgeAfterReplacement === undefined ? {} : { maxAgeAfterReplacement: at.maxAgeAfterReplacement }),
    });
    const gist = gistProofFromJson(r);
    if (!verifyProof(gist.root, gist.id, gist.state, gist.proof, { maxDepth: GIST_DEPTH })) throw new ZkError('BAD_INPUT', "the node's GIST proof does not verify at its root");
    return { ...gist, block: r.block };
  }

  /** The witness of the GIST update a transition of `id` to `newState` makes at the current root (the transition proof's). */
  async gistUpdate(id: string | bigint, newState: bigint): Promise<GistUpdateWitness> {
    return gistUpdateFromJson(await this.client.call('zk_getGistUpdate', { id: id.toString(), newState: newState.toString() }));
  }

  request(requestId: string | bigint): Promise<Result<'zk_getRequest'>> {
    return this.client.call('zk_getRequest', { requestId: requestId.toString() });
  }

  /**
   * The src/zk request JSON a holder answers for an on-chain request: challenge = the wallet that will submit,
   * timestamp = the proof's public timestamp (at most the chain's now, at most maxProofAge old).
   */
  async holderRequest(requestId: string | bigint, p: { wallet: Address; timestamp: number | bigint }): Promise<CredentialQueryRequestJson> {
    const r = await this.request(requestId);
    return onchainHolderRequest({ ...r, query: { ...r.query, operator: r.query.operator as OperatorName } }, p);
  }

  /** ZkQueryVerifier.checkResponse's verdict for `sender` submitting `response` now (nothing consumed). */
  checkResponse(requestId: string | bigint, sender: Address, response: CredentialQueryResponseJson): Promise<Result<'zk_checkResponse'>> {
    return this.client.call('zk_checkResponse', { requestId: requestId.toString(), sender, response } as Params<'zk_checkResponse'>);
  }

  /** Off-chain verification by the node (issuer states on chain, nullifiers recorded by the node). */
  verifyResponse(request: CredentialQueryRequestJson, response: CredentialQueryResponseJson, opts: { maxStateAge?: number } = {}): Promise<Result<'zk_verifyResponse'>> {
    return this.client.call('zk_verifyResponse', { request, response, ...opts } as Params<'zk_verifyResponse'>);
  }
}

/**
 * src/zk's IdentityStatePublisher over the node: `ZkIssuer` publishes through it, `ZkVerifier` can read through it.
 * `isStateValid` is the chain's own rule at the chain's time (zk_isStateValid), as ZkQueryVerifier applies it.
 */
export function nodeStateRegistry(client: MasqueClient): IdentityStatePublisher {
  const zk = new MasqueZk(client);
  return {
    async latestState(id) {
      const s = await zk.identityState(id);
      return s.latestState === null ? undefined : BigInt(s.latestState);
    },
    async isStateValid(id, state, maxAgeAfterReplacement) {
      return (await zk.isStateValid(id, state, maxAgeAfterReplacement)).valid;
    },
    async isGistRootValid(root, maxAgeAfterReplacement) {
      return (await zk.isGistRootValid(root, maxAgeAfterReplacement)).valid;
    },
    gistUpdateWitness(id, newState) {
      return zk.gistUpdate(id, newState);
    },
    async publishState(transition) {
      const r = await zk.publishState(transition);
      return { transactionHash: r.txHash, gasUsed: BigInt(r.gasUsed) };
    },
  };
}
