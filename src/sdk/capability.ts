// UCAN 1.0 capabilities for reading claim documents (over src/ucan): the holder's wallet delegates
// /masque/document/read on (identity, topic) to the verifier's did:pkh; the verifier invokes it per request.
// src/ucan is loaded on first use: with iso-ucan, zod and DAG-CBOR it is most of the SDK's weight, and only the
// document-sharing flows need it (a browser bundle gets it as a separate chunk).
import type { Address } from 'viem';
import type { MessageSigningAccount, UcanToken } from '../ucan/index.js';
import { formatPkh } from '../did/index.js';
import { toBase64 } from './base64.js';

export type { UcanToken };

/** Holder side: a delegation to `verifier` for one identity and topic, valid for `seconds`. */
export async function delegateRead(holder: MessageSigningAccount, o: { chainId: number; verifier: Address; identity: Address; topic: number; seconds: number; now?: number }): Promise<UcanToken> {
  const { delegateDocumentRead, eip191Signer } = await import('../ucan/index.js');
  const signer = eip191Signer(holder, o.chainId);
  return delegateDocumentRead({
    issuer: signer, audience: formatPkh({ chainId: o.chainId, address: o.verifier }), subject: signer.did,
    identity: o.identity, topic: BigInt(o.topic), expiration: (o.now ?? Math.floor(Date.now() / 1000)) + o.seconds,
  });
}

/**
 * Subject side, for a fund administrator: a delegation of reads on any of `topics` of one identity, which the
 * administrator narrows to one topic per regulator (`delegateOnward`). Reads through it also need the subject's
 * on-chain delegation (id_delegateClaimAccess) and the administrator's on-chain grant (id_grantDelegatedAccess).
 */
export async function delegateToAdministrator(holder: MessageSigningAccount, o: { chainId: number; administrator: Address; identity: Address; topics: number[]; seconds: number; now?: number }): Promise<UcanToken> {
  const { delegateDocumentRead, eip191Signer } = await import('../ucan/index.js');
  const signer = eip191Signer(holder, o.chainId);
  return delegateDocumentRead({
    issuer: signer, audience: formatPkh({ chainId: o.chainId, address: o.administrator }), subject: signer.did,
    identity: o.identity, topics: o.topics.map(BigInt), expiration: (o.now ?? Math.floor(Date.now() / 1000)) + o.seconds,
  });
}

/** Administrator side: re-delegates one topic of the subject `holder` to a regulator (proofs: the subject's delegation). */
export async function delegateOnward(administrator: MessageSigningAccount, o: { chainId: number; holder: Address; regulator: Address; identity: Address; topic: number; seconds: number; now?: number }): Promise<UcanToken> {
  const { delegateDocumentRead, eip191Signer } = await import('../ucan/index.js');
  return delegateDocumentRead({
    issuer: eip191Signer(administrator, o.chainId), audience: formatPkh({ chainId: o.chainId, address: o.regulator }),
    subject: formatPkh({ chainId: o.chainId, address: o.holder }),
    identity: o.identity, topic: BigInt(o.topic), expiration: (o.now ?? Math.floor(Date.now() / 1000)) + o.seconds,
  });
}

/**
 * Verifier side: the params of id_getClaimDocument, invoking the delegation chain. `audience` is the node's DID
 * (`node_info.did`): nodes refuse invocations addressed to anyone else.
 */
export async function readRequest(verifier: MessageSigningAccount, o: { chainId: number; holder: Address; identity: Address; topic: number; proofs: UcanToken[]; seconds?: number; audience?: string }) {
  const { eip191Signer, invokeDocumentRead } = await import('../ucan/index.js');
  const invocation = await invokeDocumentRead({
    issuer: eip191Signer(verifier, o.chainId), subject: formatPkh({ chainId: o.chainId, address: o.holder }),
    identity: o.identity, topic: BigInt(o.topic), proofs: o.proofs, expiration: Math.floor(Date.now() / 1000) + (o.seconds ?? 120),
    ...(o.audience ? { audience: o.audience } : {}),
  });
  return { identity: o.identity, topic: o.topic, verifier: verifier.address, invocation: toBase64(invocation.bytes), proofs: o.proofs.map((p) => toBase64(p.bytes)) };
}
