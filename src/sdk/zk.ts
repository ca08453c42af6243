// The node's zk_ methods with src/zk's own types: publish state-transition proofs, read identity states and on-chain
// requests, check or verify credential-query responses. `nodeStateRegistry` plugs the node into src/zk's roles
// (ZkIssuer publishes through the node; the relayer pays gas, the proof is the authorization).
import type { Address } from 'viem';
import { isGenesisOf, parseId } from '../identity/index.js';
import type { IdentityStatePublisher } from '../zk/registry.js';
import type { CredentialQueryRequestJson, CredentialQueryResponseJson } from '../zk/request.js';
import type { ProofWithSignals } from '../zk/types.js';
import type { Params, Result } from '../node/api.js';
import type { MasqueClient } from './client.js';

export class MasqueZk {
  constructor(private readonly client: MasqueClient) {}

  /** Latest published state and history of an ID (string, did:masque or decimal; bigint accepted). */
  identityState(id: string | bigint): Promise<Result<'zk_getIdentityState'>> {
    return this.client.call('zk_getIdentityState', { id: id.toString() });
  }

  /** Relays a state-transition proof (`proveStateTransition`'s output). Refusals: MasqueRpcError -32004, data.error names it. */
  publishState(transition: ProofWithSignals): Promise<Result<'zk_publishState'>> {
    return this.client.call('zk_publishState', { proof: transition.proof, publicSignals: [...transition.publicSignals] } as Params<'zk_publishState'>);
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
    return {
      type: 'masque/credential-query-request@1',
      verifierId: r.verifierId, requestId: r.requestId, challenge: BigInt(p.wallet).toString(),
      issuers: r.query.issuers, schema: r.query.schema, slotIndex: r.query.slotIndex,
      operator: r.query.operator as CredentialQueryRequestJson['operator'], values: r.query.values, timestamp: p.timestamp.toString(),
    };
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
 * `isStateValid` is answered from the history with this machine's clock (the chain's `isStateValid`, which the node
 * and ZkQueryVerifier use, reads the block time).
 */
export function nodeStateRegistry(client: MasqueClient, now: () => number = () => Math.floor(Date.now() / 1000)): IdentityStatePublisher {
  const zk = new MasqueZk(client);
  return {
    async latestState(id) {
      const s = await zk.identityState(id);
      return s.latestState === null ? undefined : BigInt(s.latestState);
    },
    async isStateValid(id, state, maxAgeAfterReplacement) {
      const s = await zk.identityState(id);
      if (!s.published) return isGenesisOf(parseId(id), state);
      const entry = s.history.find((h) => BigInt(h.state) === state);
      if (!entry) return false;
      return entry.replacedAt === null || now() - entry.replacedAt <= maxAgeAfterReplacement;
    },
    async publishState(transition) {
      const r = await zk.publishState(transition);
      return { transactionHash: r.txHash, gasUsed: BigInt(r.gasUsed) };
    },
  };
}
