import { keccak256, toBytes, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, requireIdentity, requireManager, requireNodeManages } from './common.js';
import { accessGrant, canAccess, verifyTopic } from '../chain/reads.js';
import { CapabilityError, checkCapability } from '../capability.js';
import { RpcCode, RpcError, invalidParams, notFound, unauthorized } from '../rpc/errors.js';
import { cidOf } from '../blockstore.js';

function cidOfUri(uri: string): string | undefined {
  const m = /^ipfs:\/\/(b[a-z2-7]+)$/.exec(uri);
  return m?.[1];
}

export const accessHandlers = (ctx: NodeContext): Pick<Handlers, 'id_grantClaimAccess' | 'id_revokeClaimAccess' | 'id_getClaimDocument' | 'id_listAccessGrants'> => ({
  async id_grantClaimAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_grantClaimAccess', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    await requireNodeManages(ctx, p.identity, 'identity');
    const v = await verifyTopic(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, p.identity, p.topic);
    const cid = v.claim ? cidOfUri(v.claim.uri) : undefined;
    if (!v.claim || !cid || !ctx.repos.documents.document(cid)) throw invalidParams('topic', 'no claim with a stored document on this topic');
    const now = Math.floor(Date.now() / 1000);
    if (p.expiresAt !== undefined && p.expiresAt !== 0 && p.expiresAt <= now) throw invalidParams('expiresAt', 'must be in the future');
    const envelopeRef = keccak256(toBytes(p.envelope));
    // Envelope row first: the on-chain grant must never point at an envelope the node does not have.
    ctx.repos.documents.putEnvelope({ ref: envelopeRef, cid, recipient: p.verifierKey, envelope: p.envelope });
    const r = await ctx.relayer.write({ address: p.identity, abi: identityAbi, functionName: 'grantAccess', args: [p.verifier, BigInt(p.topic), envelopeRef, BigInt(p.expiresAt ?? 0)] });
    ctx.repos.grants.put({ identity: p.identity, topic: p.topic, verifier: p.verifier, verifierKey: p.verifierKey, envelopeRef, cid, expiresAt: p.expiresAt ?? 0, txHash: r.hash });
    return { envelopeRef, txHash: r.hash };
  },

  async id_revokeClaimAccess(p, { raw }) {
    const signer = await authorize(ctx, 'id_revokeClaimAccess', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    await requireNodeManages(ctx, p.identity, 'identity');
    // Capabilities issued before this instant die with the grant, even if the on-chain call below fails.
    ctx.repos.grants.revoke(p.identity, p.topic, p.verifier, '');
    const r = await ctx.relayer.write({ address: p.identity, abi: identityAbi, functionName: 'revokeAccess', args: [p.verifier, BigInt(p.topic)] });
    ctx.repos.grants.revoke(p.identity, p.topic, p.verifier, r.hash);
    return { txHash: r.hash };
  },

  async id_getClaimDocument(p) {
    // Layer 1: the capability, checked before any contract call.
    const holder = ctx.repos.identities.byIdentity(p.identity);
    if (!holder) throw unauthorized('capability refused: identity unknown to this node');
    let verifier: Address;
    try {
      verifier = await checkCapability(p.capability, {
        chainId: ctx.chainId, identity: p.identity, topic: p.topic, holder: holder.wallet,
        revokedAt: (v) => {
          const g = ctx.repos.grants.get(p.identity, p.topic, v);
          return g?.revokedAt ?? undefined;
        },
      });
    } catch (e) {
      if (e instanceof CapabilityError) throw unauthorized(`capability refused: ${e.message}`, { layer: 'capability' });
      throw e;
    }
    // Layer 2: the on-chain grant.
    const r = ctx.clients.publicClient;
    if (!(await canAccess(r, p.identity, verifier, p.topic))) throw unauthorized('no current on-chain access grant for this verifier and topic', { layer: 'grant' });
    const grant = await accessGrant(r, p.identity, verifier, p.topic);
    const envelope = ctx.repos.documents.envelope(grant.envelopeRef);
    if (!envelope) throw notFound('the envelope of this grant is not stored on this node');
    // Integrity: the stored bytes must hash to what the valid claim on chain binds.
    const v = await verifyTopic(r, ctx.deployment.trustedIssuersRegistry, p.identity, p.topic);
    if (!v.valid || !v.claim) throw unauthorized(`no valid claim on this topic (${v.reason})`, { layer: 'claim' });
    const cid = cidOfUri(v.claim.uri);
    if (!cid || cid !== envelope.cid) throw new RpcError(RpcCode.INTEGRITY, 'integrity error: the grant does not belong to the current claim document');
    const bytes = ctx.blocks.get(cid);
    if (!bytes) throw notFound('document bytes not stored on this node');
    const { digest, cid: actual } = await cidOf(bytes);
    if (digest.toLowerCase() !== v.claim.documentHash.toLowerCase() || actual.toString() !== cid) {
      ctx.log(`integrity failure for ${cid} of ${p.identity}`);
      throw new RpcError(RpcCode.INTEGRITY, 'integrity error: stored document does not match the on-chain hash');
    }
    const doc = ctx.repos.documents.document(cid);
    return { cid, documentHash: v.claim.documentHash as Hex, ciphertext: Buffer.from(bytes).toString('base64'), envelope: envelope.envelope, mediaType: doc?.mediaType ?? 'application/octet-stream' };
  },

  async id_listAccessGrants(p) {
    await requireIdentity(ctx, p.identity);
    const rows = ctx.repos.grants.list(p.identity);
    const states = await Promise.all(rows.map((g) => canAccess(ctx.clients.publicClient, p.identity, g.verifier as Address, g.topic)));
    return rows.map((g, i) => ({
      topic: g.topic, verifier: g.verifier, verifierKey: g.verifierKey, envelopeRef: g.envelopeRef, cid: g.cid, expiresAt: g.expiresAt,
      status: g.status, onChain: states[i]!, createdAt: g.createdAt, revokedAt: g.revokedAt,
    }));
  },
});
