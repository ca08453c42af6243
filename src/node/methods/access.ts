import { getAddress, type Address, type Hex } from 'viem';
import { checkDocumentAccess, decodeToken } from '../../ucan/index.js';
import { parsePkh } from '../../did/index.js';
import { managesNow } from './wallet-identities.js';
import type { NodeContext } from '../context.js';
import type { PendingRevocation } from '../db/grants.js';
import type { Handlers } from './types.js';
import { authorize, pkh, prepareIdentityCall, requireIdentity, requireManager } from './common.js';
import { accessGrant, canAccess, verifyTopic } from '../chain/reads.js';
import { RpcCode, RpcError, invalidParams, notFound, unauthorized } from '../rpc/errors.js';
import { envelopeByRef, storedDocument } from './documents.js';
import { delegatedGrant, listDelegatedGrants, relayGrant } from './delegation.js';
import { cidOfUri } from './claim-documents.js';

/** The topic's claim state at a fresh head (read at that block, judged at its time). */
async function verifyAtHead(ctx: NodeContext, identity: Address, topic: number) {
  const head = await ctx.cache.head();
  return verifyTopic(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, identity, topic, { at: head.number, chainTime: head.timestamp });
}


export const accessHandlers = (ctx: NodeContext): Pick<Handlers, 'id_grantClaimAccess' | 'id_revokeClaimAccess' | 'id_getClaimDocument' | 'id_listAccessGrants'> => ({
  async id_grantClaimAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_grantClaimAccess', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const r = await relayGrant(ctx, 'id_grantClaimAccess', p, signer, p.verifierKey);
    await ctx.repos.grants.put({ identity: p.identity, topic: p.topic, verifier: p.verifier, verifierKey: p.verifierKey, envelopeRef: r.envelopeRef, cid: r.cid, expiresAt: p.expiresAt ?? 0, txHash: r.txHash });
    return { envelopeRef: r.envelopeRef, txHash: r.txHash };
  },

  async id_revokeClaimAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_revokeClaimAccess', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    // Everything that can refuse runs before anything changes: the request signature, the management key, the
    // execution signature (prepareIdentityCall) and the contract itself (the relayer's gas estimation reverts with
    // GrantNotFound, a spent nonce, ... before a transaction exists). Only then the on-chain grant goes, and the
    // capabilities with the grant row in one SQLite transaction: a refused call changes nothing, on chain or off.
    const send = await prepareIdentityCall(ctx, 'id_revokeClaimAccess', p, signer);
    const cids = [...new Set([...(await ctx.repos.ucan.seen(p.identity, p.topic, p.verifier)), ...(p.delegations ?? [])])];
    // Durable intent first: if the node dies after the transaction, the next start finishes the off-chain step.
    const { grantedAt } = await accessGrant(ctx.clients.publicClient, p.identity, p.verifier, p.topic);
    const pending = await ctx.repos.grants.beginRevocation(p.identity, p.topic, p.verifier, cids, grantedAt);
    let r: Awaited<ReturnType<typeof send>>;
    try {
      r = await send();
    } catch (e) {
      await settlePendingRevocation(ctx, pending);
      throw e;
    }
    await finishRevocation(ctx, pending, r.hash);
    return { txHash: r.hash, revokedDelegations: cids.length };
  },

  async id_getClaimDocument(p) {
    // Layer 1: the UCAN capability, rooted in a wallet that manages the identity on chain now.
    const invocation = Buffer.from(p.invocation, 'base64');
    const access = await checkDocumentAccess(
      { invocation, proofs: p.proofs.map((b) => Buffer.from(b, 'base64')) },
      {
        identity: p.identity, topic: BigInt(p.topic), verifier: pkh(ctx.chainId, p.verifier), now: Math.floor(Date.now() / 1000),
        revocations: ctx.repos.ucan, subjects: await subjectOf(ctx, p.identity, invocation),
        // Addressed to this node: an invocation captured here cannot be replayed at another node, nor one made for another node here.
        audience: pkh(ctx.chainId, ctx.relayerAddress),
        // Single-use, durably (a replay is refused after a restart too), and valid for minutes at most.
        invocations: ctx.repos.ucanInvocations, maxInvocationLifetime: ctx.config.maxInvocationLifetime,
      },
    );
    if (!access.ok) throw unauthorized(`capability refused: ${access.reason}: ${access.detail}`, { layer: 'ucan', reason: access.reason });
    await ctx.repos.ucan.markSeen(p.identity, p.topic, p.verifier, access.chain);
    // Layer 2: the on-chain grant: the subject's own, or through the fund administrator the chain's root names.
    const r = ctx.clients.publicClient;
    const grant = (await canAccess(r, p.identity, p.verifier, p.topic))
      ? await accessGrant(r, p.identity, p.verifier, p.topic)
      : access.audiences.length >= 2 ? await delegatedGrant(ctx, p.identity, p.topic, access.audiences[0]!, p.verifier, p.delegateIdentity) : undefined;
    if (!grant) throw unauthorized('no current on-chain access grant for this verifier and topic', { layer: 'grant' });
    const envelope = await envelopeByRef(ctx, grant.envelopeRef);
    const v = await verifyAtHead(ctx, p.identity, p.topic);
    if (v.state !== 'valid' || !v.claim) throw unauthorized(`no valid claim on this topic (${v.state})`, { layer: 'claim' });
    const cid = cidOfUri(v.claim.uri);
    if (!cid || cid !== envelope.cid) throw new RpcError(RpcCode.INTEGRITY, 'integrity error: the grant does not belong to the current claim document');
    // Integrity: CID and bytes against the on-chain hash; a mismatch returns an error, never the bytes.
    const bytes = await storedDocument(ctx, cid, v.claim.documentHash as Hex);
    if (!bytes) throw notFound('document bytes not stored on this node');
    // Layer 3 is the envelope itself: it opens only with the verifier's ML-KEM-768 key.
    const doc = await ctx.repos.documents.document(cid);
    return { cid, documentHash: v.claim.documentHash, ciphertext: Buffer.from(bytes).toString('base64'), envelope: envelope.envelope, mediaType: doc?.mediaType ?? 'application/octet-stream' };
  },

  async id_listAccessGrants(p) {
    if (!p.identity && !p.verifier && !p.delegate) throw invalidParams('identity', 'name at least one of identity, verifier or delegate');
    if (p.identity) await requireIdentity(ctx, p.identity);
    // Direct grants are the subject's own: none is made by an administrator.
    const rows = p.delegate ? [] : (await (p.identity ? ctx.repos.grants.list(p.identity) : ctx.repos.grants.listByVerifier(p.verifier!)))
      .filter((g) => (p.topic === undefined || g.topic === p.topic) && (!p.verifier || g.verifier === p.verifier.toLowerCase()));
    const states = await Promise.all(rows.map((g) => canAccess(ctx.clients.publicClient, g.identity as Address, g.verifier as Address, g.topic)));
    const direct = rows.map((g, i) => ({
      kind: 'direct' as const, identity: getAddress(g.identity), topic: g.topic, verifier: getAddress(g.verifier), verifierKey: g.verifierKey, envelopeRef: g.envelopeRef, cid: g.cid,
      expiresAt: g.expiresAt, status: g.status, onChain: states[i]!, createdAt: g.createdAt, revokedAt: g.revokedAt, grantedBy: null, delegation: null,
    }));
    const delegated = await listDelegatedGrants(ctx, { identity: p.identity, topic: p.topic, grantee: p.verifier, delegate: p.delegate });
    return [...direct, ...delegated].sort((a, b) => a.createdAt - b.createdAt);
  },
});

/**
 * The subject the invocation names, as a did:pkh of this chain, when that wallet holds a management key of the
 * identity now (whoever created the identity); otherwise none, and the capability check refuses `wrong-subject`.
 */
async function subjectOf(ctx: NodeContext, identity: Address, invocation: Uint8Array): Promise<string[]> {
  let wallet: Address;
  try {
    wallet = getAddress(parsePkh((await decodeToken(invocation, 'inv')).payload.sub).address);
  } catch {
    return []; // a malformed invocation: the capability check names what is wrong with it
  }
  return (await managesNow(ctx, identity, wallet)) ? [pkh(ctx.chainId, wallet)] : [];
}

/** The off-chain step of a revocation whose transaction landed: capabilities, grant row and intent in one database transaction. */
function finishRevocation(ctx: NodeContext, r: PendingRevocation, txHash: string | null): Promise<void> {
  return ctx.repos.transaction(async (tx) => {
    for (const c of r.cids) await tx.ucan.revoke(c);
    await tx.grants.revoke(r.identity, r.topic, r.verifier, txHash);
    await tx.grants.endRevocation(r.identity, r.topic, r.verifier);
  });
}

/**
 * Settles a recorded revocation from the chain: the grant the intent saw gone (deleted, or granted again since)
 * means the transaction landed, and the off-chain step is finished; the same grant still there means it never
 * landed, and the intent is dropped (the caller was told the call failed).
 */
async function settlePendingRevocation(ctx: NodeContext, r: PendingRevocation): Promise<void> {
  const grant = await accessGrant(ctx.clients.publicClient, r.identity as Address, r.verifier as Address, r.topic);
  const landed = grant.grantedAt !== r.grantedAt;
  if (landed) await finishRevocation(ctx, r, null);
  else await ctx.repos.grants.endRevocation(r.identity, r.topic, r.verifier);
}

/** On start: revocations the node recorded but did not finish (it died between the transaction and SQLite). */
export async function settlePendingRevocations(ctx: NodeContext): Promise<number> {
  const pending = await ctx.repos.grants.pendingRevocations();
  for (const r of pending) await settlePendingRevocation(ctx, r);
  return pending.length;
}
