import { getAddress, type Address, type Hex } from 'viem';
import { delegationTopic, onwardTopic } from '../../documents/index.js';
import { parsePkh } from '../../did/index.js';
import type { NodeContext } from '../context.js';
import type { DelegatedGrantFilter } from '../db/delegated-grants.js';
import type { Handlers } from './types.js';
import type { Execution, SignedCallMethod } from '../../protocol/signed-calls.js';
import { authorize, prepareIdentityCall, requireManager } from './common.js';
import { walletIdentities } from './wallet-identities.js';
import { accessGrant, canAccess, verifyTopic } from '../chain/reads.js';
import { invalidParams, unauthorized } from '../rpc/errors.js';
import { checkEnvelope } from './envelopes.js';
import { checkPartyKey, cidOfUri } from './claim-documents.js';
import { envelopeByRef, putEnvelopeBlocks } from './documents.js';

/** The topic's current claim and its stored document, or -32602 naming `topic`. */
export async function currentClaimDocument(ctx: NodeContext, identity: Address, topic: number): Promise<{ cid: string; documentHash: Hex; state: string }> {
  const head = await ctx.cache.head();
  const v = await verifyTopic(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, identity, topic, { at: head.number, chainTime: head.timestamp });
  const cid = v.claim ? cidOfUri(v.claim.uri) : undefined;
  if (!v.claim || !cid || !(await ctx.repos.documents.document(cid))) throw invalidParams('topic', 'no claim with a stored document on this topic');
  return { cid, documentHash: v.claim.documentHash, state: v.state };
}

function checkExpiry(expiresAt: number | undefined): void {
  if (expiresAt !== undefined && expiresAt !== 0 && expiresAt <= Math.floor(Date.now() / 1000)) throw invalidParams('expiresAt', 'must be in the future');
}

/**
 * The on-chain side of a read through a fund administrator: the subject's identity holds a current grant to the
 * administrator under `delegationTopic(topic)`, and an identity the administrator manages (resolved from the chain,
 * wherever it was deployed: see `walletIdentities`) holds a current grant to the verifier under
 * `onwardTopic(identity, topic)`. Returns the administrator's grant to the verifier (its envelope is the one to
 * serve), or undefined when either is missing. `delegateIdentity`: the administrator's identity when the caller
 * names it (checked like any other).
 */
export async function delegatedGrant(ctx: NodeContext, identity: Address, topic: number, delegateDid: string, verifier: Address, delegateIdentity?: Address) {
  let delegate: Address;
  try {
    delegate = getAddress(parsePkh(delegateDid).address);
  } catch {
    return undefined;
  }
  const r = ctx.clients.publicClient;
  if (!(await canAccess(r, identity, delegate, delegationTopic(BigInt(topic))))) return undefined;
  const recorded = (await ctx.repos.delegatedGrants.list({ identity, topic, kind: 'onward', grantee: verifier, delegate }))
    .flatMap((g) => (g.delegateIdentity ? [g.delegateIdentity as Address] : []));
  const onward = onwardTopic(identity, BigInt(topic));
  for (const admin of await walletIdentities(ctx, delegate, [...(delegateIdentity ? [delegateIdentity] : []), ...recorded])) {
    if (await canAccess(r, admin, verifier, onward)) return accessGrant(r, admin, verifier, onward);
  }
  return undefined;
}

/**
 * A grant of the topic's current document to `recipient` (a verifier, an administrator, a regulator): the envelope
 * checked against the claim, every check of the signed call made, then the envelope stored before the transaction,
 * so an on-chain grant never points at an envelope the node does not have.
 */
export async function relayGrant(
  ctx: NodeContext, method: SignedCallMethod, p: { identity: Address; topic: number; envelope: string; expiresAt?: number; execution?: Execution } & Record<string, unknown>,
  signer: Address, recipient: string,
): Promise<{ envelopeRef: Hex; txHash: Hex; cid: string }> {
  const doc = await currentClaimDocument(ctx, p.identity, p.topic);
  checkExpiry(p.expiresAt);
  const env = checkEnvelope(p.envelope, { chainId: ctx.chainId, identity: p.identity, topic: p.topic, documentHash: doc.documentHash, cid: doc.cid, recipient }, 'envelope');
  const send = await prepareIdentityCall(ctx, method, p, signer);
  await putEnvelopeBlocks(ctx, [env.canonical]);
  await ctx.repos.documents.putEnvelope({ ref: env.ref, cid: doc.cid, recipient, envelope: env.canonical });
  const r = await send();
  return { envelopeRef: env.ref, txHash: r.hash, cid: doc.cid };
}

/**
 * Delegations to administrators and the administrators' grants to regulators recorded by this node, with their state
 * on chain now: a delegated grant is current only while the delegation it was made under is too.
 */
export async function listDelegatedGrants(ctx: NodeContext, f: DelegatedGrantFilter) {
  const r = ctx.clients.publicClient;
  const rows = await ctx.repos.delegatedGrants.list(f);
  return Promise.all(rows.map(async (g) => {
    const identity = getAddress(g.identity);
    const delegationOnChain = await canAccess(r, identity, g.delegate as Address, delegationTopic(BigInt(g.topic)));
    const base = {
      identity, topic: g.topic, verifier: getAddress(g.grantee), verifierKey: g.granteeKey, envelopeRef: g.envelopeRef, cid: g.cid, expiresAt: g.expiresAt,
      status: g.status, createdAt: g.createdAt, revokedAt: g.revokedAt,
    };
    if (g.kind === 'delegation') return { ...base, kind: 'delegation' as const, onChain: delegationOnChain, grantedBy: null, delegation: null };
    const onward = await canAccess(r, g.delegateIdentity as Address, g.grantee as Address, onwardTopic(identity, BigInt(g.topic)));
    const [under] = await ctx.repos.delegatedGrants.list({ identity, topic: g.topic, kind: 'delegation', grantee: g.delegate, delegate: g.delegate });
    return {
      ...base, kind: 'delegated' as const, onChain: onward && delegationOnChain, grantedBy: getAddress(g.delegate),
      delegation: { delegate: getAddress(g.delegate), delegateIdentity: getAddress(g.delegateIdentity!), status: under?.status ?? ('unknown' as const), onChain: delegationOnChain },
    };
  }));
}

type DelegationMethods = 'id_delegateClaimAccess' | 'id_revokeClaimDelegation' | 'id_getClaimDelegation' | 'id_grantDelegatedAccess' | 'id_revokeDelegatedAccess';

export const delegationHandlers = (ctx: NodeContext): Pick<Handlers, DelegationMethods> => ({
  async id_delegateClaimAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_delegateClaimAccess', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    if (p.delegate.toLowerCase() === signer.toLowerCase()) throw invalidParams('delegate', 'a manager of the identity grants itself nothing');
    await checkPartyKey(ctx, p.delegate, p.delegateKey, 'delegateKey');
    const r = await relayGrant(ctx, 'id_delegateClaimAccess', p, signer, p.delegateKey);
    await ctx.repos.delegatedGrants.put({
      identity: p.identity, topic: p.topic, kind: 'delegation', grantee: p.delegate, granteeKey: p.delegateKey, delegate: p.delegate, delegateIdentity: null,
      envelopeRef: r.envelopeRef, cid: r.cid, expiresAt: p.expiresAt ?? 0, txHash: r.txHash,
    });
    return { envelopeRef: r.envelopeRef, txHash: r.txHash };
  },

  async id_revokeClaimDelegation(p, { raw }) {
    const signer = await authorize(ctx, 'id_revokeClaimDelegation', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const r = await (await prepareIdentityCall(ctx, 'id_revokeClaimDelegation', p, signer))();
    await ctx.repos.delegatedGrants.revoke({ identity: p.identity, topic: p.topic, kind: 'delegation', grantee: p.delegate, delegate: p.delegate }, r.hash);
    return { txHash: r.hash };
  },

  async id_getClaimDelegation(p, { raw }) {
    const signer = await authorize(ctx, 'id_getClaimDelegation', raw, p.auth);
    const r = ctx.clients.publicClient;
    const grant = await accessGrant(r, p.identity, signer, delegationTopic(BigInt(p.topic)));
    if (grant.grantedAt === 0) throw unauthorized('no delegation of this topic to the signer', { layer: 'grant' });
    const envelope = await envelopeByRef(ctx, grant.envelopeRef);
    const doc = await currentClaimDocument(ctx, p.identity, p.topic);
    return {
      cid: doc.cid, documentHash: doc.documentHash, delegateKey: envelope.recipient, envelope: envelope.envelope, envelopeRef: grant.envelopeRef,
      expiresAt: grant.expiresAt, onChain: await canAccess(r, p.identity, signer, delegationTopic(BigInt(p.topic))),
    };
  },

  async id_grantDelegatedAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_grantDelegatedAccess', raw, p.auth);
    await requireManager(ctx, p.delegateIdentity, signer, 'delegateIdentity');
    // The subject's delegation to this administrator, current on chain: the only authority an administrator has.
    if (!(await canAccess(ctx.clients.publicClient, p.identity, signer, delegationTopic(BigInt(p.topic))))) {
      throw unauthorized('the subject has not delegated this topic to the signer (or the delegation expired or was revoked)', { layer: 'grant' });
    }
    await checkPartyKey(ctx, p.regulator, p.regulatorKey, 'regulatorKey');
    const r = await relayGrant(ctx, 'id_grantDelegatedAccess', p, signer, p.regulatorKey);
    await ctx.repos.delegatedGrants.put({
      identity: p.identity, topic: p.topic, kind: 'onward', grantee: p.regulator, granteeKey: p.regulatorKey, delegate: signer, delegateIdentity: p.delegateIdentity,
      envelopeRef: r.envelopeRef, cid: r.cid, expiresAt: p.expiresAt ?? 0, txHash: r.txHash,
    });
    return { envelopeRef: r.envelopeRef, txHash: r.txHash };
  },

  async id_revokeDelegatedAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_revokeDelegatedAccess', raw, p.auth);
    await requireManager(ctx, p.delegateIdentity, signer, 'delegateIdentity');
    const r = await (await prepareIdentityCall(ctx, 'id_revokeDelegatedAccess', p, signer))();
    await ctx.repos.delegatedGrants.revoke({ identity: p.identity, topic: p.topic, kind: 'onward', grantee: p.regulator, delegate: signer }, r.hash);
    return { txHash: r.hash };
  },
});
