import { getAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { CLAIM_SCHEME_ECDSA, ECDSA_KEY_TYPE, KeyPurpose, claimId as claimIdOf, encodeClaimData, walletKey } from '../../chain/identity.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, hasCode, hasPurpose, mayReadApplication, prepareIdentityCall, requireIdentity, requireIssuerSigner, ZERO32 } from './common.js';
import { TOPIC_STATE_RANK, getClaim, registryTrusts, verifyTopic } from '../chain/reads.js';
import { RpcCode, RpcError, invalidParams, notFound } from '../rpc/errors.js';
import { ClaimPolicyError } from '../claim-policy.js';
import { storeIssuerDocument } from './claim-documents.js';

export interface ClaimInput { identity: Address; topic: number; issuer: Address; documentHash?: Hex; issuedAt: number; expiresAt: number; signature: Hex; uri?: string }

export function claimArgs(c: ClaimInput) {
  const data = encodeClaimData({ documentHash: (c.documentHash ?? ZERO32) as Hex, issuedAt: BigInt(c.issuedAt), expiresAt: BigInt(c.expiresAt) });
  return [BigInt(c.topic), CLAIM_SCHEME_ECDSA, c.issuer, c.signature, data, c.uri ?? ''] as const;
}

/**
 * Adds an issuer-signed claim through the issuer: ClaimIssuer.issueClaim, which calls addClaim on the identity with
 * the claim key the identity gave the issuer's contract (the identity then checks the signature with the issuer).
 * Identities of earlier node versions that carry the relayer's own claim or management key get a direct addClaim.
 */
export async function addSignedClaim(ctx: NodeContext, c: ClaimInput, fieldPrefix = ''): Promise<{ claimId: Hex; txHash: Hex }> {
  checkPolicy(ctx, c, fieldPrefix);
  await requireIdentity(ctx, c.identity);
  const args = claimArgs(c);
  let r: { hash: Hex };
  if (await issuerPushes(ctx, c.identity, c.issuer, c.topic)) {
    const [topic, scheme, , signature, data, uri] = args;
    r = await ctx.relayer.write({ address: c.issuer, abi: claimIssuerAbi, functionName: 'issueClaim', args: [c.identity, topic, scheme, signature, data, uri] });
  } else if (await legacyNodeKey(ctx, c.identity)) {
    r = await ctx.relayer.write({ address: c.identity, abi: identityAbi, functionName: 'addClaim', args });
  } else {
    throw new RpcError(RpcCode.CONFLICT, noIssuerKey);
  }
  return { claimId: claimIdOf(c.issuer, BigInt(c.topic)), txHash: r.hash };
}

/**
 * The claim's window against the node's validity policy: refused with -32602 naming the field (after `fieldPrefix`,
 * e.g. `claim.` or `claims.0.`) before anything is sent.
 */
export function checkPolicy(ctx: NodeContext, c: { topic: number; issuer: Address; issuedAt: number; expiresAt: number }, fieldPrefix = ''): void {
  try {
    ctx.policy.check(c);
  } catch (e) {
    if (e instanceof ClaimPolicyError) throw invalidParams(`${fieldPrefix}${e.field}`, e.message);
    throw e;
  }
}

const noIssuerKey = "the issuer's contract may not push claims of this topic to this identity: no claim registry of the identity " +
  '(purpose 5, e.g. the node\'s TrustedIssuersRegistry, which identities the node creates hold) trusts it for the topic, and it ' +
  'holds no claim key (purpose 3) there; the registry owner trusts it (id_addTrustedIssuer) or a manager of the identity adds a key (id_addKey)';

/**
 * The issuer contract may push (and renew) its claim of `topic` on the identity: a claim registry the identity holds
 * trusts it for the topic, or it holds a claim key there. ClaimIssuer.issueClaim takes any caller: the issuer's claim
 * signature is the authorization (the identity checks it with the issuer), so the node needs no key at the issuer.
 */
async function issuerPushes(ctx: NodeContext, identity: Address, issuer: Address, topic: number): Promise<boolean> {
  if (!(await hasCode(ctx, issuer))) return false;
  return (await ctx.cache.get(`regtrust:${identity.toLowerCase()}:${issuer.toLowerCase()}:${topic}`, (head) => registryTrusts(ctx.clients.publicClient, identity, issuer, topic, head.number)))
    || hasPurpose(ctx, identity, issuer, KeyPurpose.CLAIM_SIGNER);
}

/** Identities created by earlier node versions carry the relayer's key (claim or management). */
async function legacyNodeKey(ctx: NodeContext, identity: Address): Promise<boolean> {
  return (await hasPurpose(ctx, identity, ctx.relayerAddress, KeyPurpose.CLAIM_SIGNER))
    || (await hasPurpose(ctx, identity, ctx.relayerAddress, KeyPurpose.MANAGEMENT));
}

export const claimHandlers = (ctx: NodeContext): Pick<Handlers, 'id_issueClaim' | 'id_getClaim' | 'id_revokeClaim' | 'id_verifyClaim' | 'id_renewClaim'> => ({
  async id_issueClaim(p) {
    const { document, envelopes, ...claim } = p;
    if (!document || !envelopes) return addSignedClaim(ctx, claim);
    // The issuer's own document: the claim binds its hash and CID, which the issuer's signature covers (documentHash).
    checkPolicy(ctx, claim);
    await requireIdentity(ctx, claim.identity);
    if (claim.uri !== undefined) throw invalidParams('uri', 'with a document the uri is ipfs://<its CID>: leave it out');
    const doc = await storeIssuerDocument(ctx, claim, { document, envelopes });
    if (claim.documentHash !== undefined && claim.documentHash.toLowerCase() !== doc.documentHash) throw invalidParams('documentHash', 'is not the sha-256 of the document');
    return { ...(await addSignedClaim(ctx, { ...claim, documentHash: doc.documentHash, uri: doc.uri })), cid: doc.cid };
  },

  async id_getClaim(p) {
    const id = (p.claimId ?? claimIdOf(p.issuer!, BigInt(p.topic!))) as Hex;
    await requireIdentity(ctx, p.identity);
    const key = `claim:${p.identity.toLowerCase()}:${id}`;
    const c = await ctx.cache.get(key, (head) => getClaim(ctx.clients.publicClient, p.identity, id, head.number));
    if (!c) throw notFound('no such claim on this identity');
    return c;
  },

  async id_revokeClaim(p, { raw }) {
    const signer = await authorize(ctx, 'id_revokeClaim', raw, p.auth);
    await requireIdentity(ctx, p.identity);
    const c = await getClaim(ctx.clients.publicClient, p.identity, p.claimId as Hex);
    if (!c) throw notFound('no such claim on this identity');
    if (p.issuer && p.issuer.toLowerCase() !== c.issuer.toLowerCase()) throw invalidParams('issuer', "not this claim's issuer");
    await requireIssuerSigner(ctx, c.issuer, signer);
    // The issuer's management key signs the revocation (ClaimIssuer.executeSigned): the node holds no key there.
    // Without a signature, only issuers of earlier node versions (which the relayer manages) are served.
    const send = await prepareIdentityCall(ctx, 'id_revokeClaim', { ...p, issuer: getAddress(c.issuer) }, signer);
    const r = await send();
    return { txHash: r.hash };
  },

  async id_verifyClaim(p, { raw }) {
    // Authorize first when signed: only then may a pending application (off-chain, who applied where) be reported.
    const signer = p.auth ? await authorize(ctx, 'id_verifyClaim', raw, p.auth) : undefined;
    const key = `verify:${p.identity.toLowerCase()}:${p.topic}:${p.issuer?.toLowerCase() ?? ''}`;
    // Read and judged at one block: its state, and its timestamp as the time (on-chain isVerified's clock, not ours).
    const { head, v } = await ctx.cache.get(key, async (head) => ({
      head, v: await verifyTopic(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, p.identity, p.topic, { issuer: p.issuer, at: head.number, chainTime: head.timestamp }),
    }));
    const times = { blockNumber: Number(head.number), chainTime: head.timestamp, nodeTime: Math.floor(Date.now() / 1000) };
    if (signer && TOPIC_STATE_RANK[v.state] < TOPIC_STATE_RANK.pending) {
      const pending = await visiblePendingApplication(ctx, p.identity, p.topic, p.issuer, signer);
      if (pending) return { state: 'pending' as const, valid: false, ...times, issuer: getAddress(pending.issuer), applicationId: pending.id };
    }
    const c = v.claim;
    return { state: v.state, valid: v.state === 'valid', ...times, ...(c ? { claimId: c.claimId, issuer: c.issuer, issuedAt: c.issuedAt, expiresAt: c.expiresAt } : {}) };
  },

  async id_renewClaim(p) {
    await requireIdentity(ctx, p.identity);
    const r = ctx.clients.publicClient;
    const current = await getClaim(r, p.identity, claimIdOf(p.issuer, BigInt(p.topic)));
    if (!current) throw notFound('no claim of this issuer on this topic to renew');
    checkPolicy(ctx, p);
    const args = claimArgs({ ...p, documentHash: (p.documentHash ?? current.documentHash) as Hex, uri: p.uri ?? current.uri });
    const [topicArg, scheme, , signature, data, uri] = args;
    const renew = () => ctx.relayer.write({ address: p.issuer, abi: claimIssuerAbi, functionName: 'renewClaim', args: [p.identity, topicArg, scheme, signature, data, uri] });
    // ClaimIssuer.renewClaim revokes the held claim (signature and digest) and adds the new one in one transaction:
    // the identity must let the issuer push (a claim registry trusting it for the topic, as identities the node creates hold, or a claim key). A
    // failing renewal (bad signature, stale window) reverts whole and leaves the old claim in place.
    let w: { hash: Hex };
    if (await issuerPushes(ctx, p.identity, p.issuer, p.topic)) {
      w = await renew();
    } else if (await hasPurpose(ctx, p.identity, ctx.relayerAddress, KeyPurpose.MANAGEMENT)) {
      // Identities of early node versions: the node is a manager there and gives the issuer its claim key first.
      await ctx.relayer.write({ address: p.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(p.issuer), KeyPurpose.CLAIM_SIGNER, ECDSA_KEY_TYPE] });
      w = await renew();
    } else {
      // No two-transaction fallback (revoke, then add): between the two the identity would hold a revoked claim.
      throw new RpcError(RpcCode.CONFLICT, noIssuerKey);
    }
    return { claimId: claimIdOf(getAddress(p.issuer), BigInt(p.topic)), txHash: w.hash };
  },
});

/** The oldest application of `identity` for `topic` (from `issuer`, when given) awaiting review that `signer` may read. */
async function visiblePendingApplication(ctx: NodeContext, identity: Address, topic: number, issuer: Address | undefined, signer: Address) {
  for (const a of await ctx.repos.kyc.pendingFor(identity, topic)) {
    if (issuer && a.issuer.toLowerCase() !== issuer.toLowerCase()) continue;
    if (await mayReadApplication(ctx, a, signer)) return a;
  }
  return undefined;
}
