/**
 * The request JSON for a request registered on-chain. Its own module, free of snarkjs, so that clients that only
 * relay requests (src/sdk) do not load the prover.
 */
import type { CredentialQueryRequestJson } from './request.js';
import { REQUEST_TYPE } from './types.js';

/** A request as an on-chain registry (contracts/zk ZkQueryVerifier) stores it: what the holder cannot choose. */
export type RequestQueryJson = Pick<CredentialQueryRequestJson, 'schema' | 'slotIndex' | 'operator' | 'values' | 'issuers'>;

/**
 * The request JSON a holder proves for an on-chain request (docs/protocol.md, "On-chain requests"): the chain's
 * verifierId and requestId, challenge = the wallet that will submit (or be admitted by a gate), timestamp = the
 * proof's public timestamp (at most the chain's now, at most the request's maxProofAge old).
 */
export function onchainHolderRequest(
  r: { readonly verifierId: bigint | string; readonly requestId: bigint | string; readonly query: RequestQueryJson },
  p: { readonly wallet: string; readonly timestamp: bigint | number },
): CredentialQueryRequestJson {
  return {
    type: REQUEST_TYPE,
    verifierId: r.verifierId.toString(),
    requestId: r.requestId.toString(),
    challenge: BigInt(p.wallet).toString(),
    issuers: r.query.issuers,
    schema: r.query.schema,
    slotIndex: r.query.slotIndex,
    operator: r.query.operator,
    values: r.query.values,
    timestamp: p.timestamp.toString(),
  };
}
