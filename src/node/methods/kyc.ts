import { randomUUID } from 'node:crypto';
import type { Address, Hex } from 'viem';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { applicationFor, authorize, mayReadApplication, mayReviewApplication, requireIdentity, requireManager } from './common.js';
import { putEnvelopeBlocks, storedDocument } from './documents.js';
import { addSignedClaim, checkPolicy } from './claims.js';
import { isTrustedFor } from '../chain/reads.js';
import { conflict, invalidParams, unauthorized } from '../rpc/errors.js';
import { checkEnvelopes, putSealedBytes, recordDocument, storeIssuerDocument } from './claim-documents.js';

/**
 * One review of an application at a time across every replica (a lease in the database); long enough for the claim's
 * transaction and its receipt, short enough that a replica dying mid-review leaves the application reviewable soon.
 */
const REVIEW_LEASE_MS = 180_000;

export const kycHandlers = (ctx: NodeContext): Pick<Handlers, 'id_submitKycApplication' | 'id_getKycApplication' | 'id_reviewKycApplication'> => ({
  async id_submitKycApplication(p, { raw }) {
    const signer = await authorize(ctx, 'id_submitKycApplication', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    if (!(await isTrustedFor(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, p.issuer, p.topic))) {
      throw invalidParams('issuer', `issuer is not trusted for topic ${p.topic}`);
    }
    const put = await putSealedBytes(ctx, p.document.ciphertext, 'document.ciphertext');
    const envelopes = checkEnvelopes(ctx, p.envelopes, { identity: p.identity, topic: p.topic, doc: put }, 'envelopes');
    const id = randomUUID();
    const wallet = (await ctx.repos.identities.byIdentity(p.identity))?.wallet ?? signer;
    await putEnvelopeBlocks(ctx, envelopes.map((e) => e.canonical));
    await ctx.repos.transaction(async (tx) => {
      await recordDocument(tx, put, p.document.mediaType, envelopes);
      await tx.kyc.create({ id, identity: p.identity, wallet, topic: p.topic, issuer: p.issuer, cid: put.cid, documentHash: put.digest }, signer);
    });
    return { applicationId: id, status: 'pending' as const, cid: put.cid, documentHash: put.digest };
  },

  async id_getKycApplication(p, { raw }) {
    // Signature first: an unauthorized caller learns nothing, not even whether the application exists.
    const signer = await authorize(ctx, 'id_getKycApplication', raw, p.auth);
    // Even the metadata (identity, issuer, topic, status history) says who applied for what: applicant's managers
    // and the issuer's signers only; anyone else cannot tell an unknown id from someone else's application.
    const a = await applicationFor(await ctx.repos.kyc.get(p.applicationId), (x) => mayReadApplication(ctx, x, signer));
    const envelopes = (await ctx.repos.documents.envelopesOf(a.cid)).map((e) => ({ recipient: e.recipient, ref: e.ref, ...(p.includeDocument ? { envelope: e.envelope } : {}) }));
    if (!p.includeDocument) return { ...a, history: await ctx.repos.kyc.history(a.id), envelopes };
    // Checked against the hash recorded at submission: tampered bytes are -32005 and never sent; a missing block is
    // said so (documentStatus "absent"), not mistaken for either.
    const bytes = await storedDocument(ctx, a.cid, a.documentHash as Hex);
    return {
      ...a, history: await ctx.repos.kyc.history(a.id), envelopes,
      ...(bytes ? { documentStatus: 'included' as const, ciphertext: Buffer.from(bytes).toString('base64') } : { documentStatus: 'absent' as const }),
    };
  },

  async id_reviewKycApplication(p, { raw }) {
    const signer = await authorize(ctx, 'id_reviewKycApplication', raw, p.auth);
    // Only the issuer trusted for this topic may decide: a claim key at the issuer (checked before the status, which
    // is the applicant's business), and the issuer trusted on chain.
    const a = await applicationFor(await ctx.repos.kyc.get(p.applicationId), (x) => mayReviewApplication(ctx, x, signer));
    if (a.status !== 'pending') throw conflict(`application already ${a.status}`);
    const issuer = a.issuer as Address;
    if (!(await isTrustedFor(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, issuer, a.topic))) {
      throw unauthorized(`the application's issuer is no longer trusted for topic ${a.topic}`);
    }
    const reviewer = ctx.jobs.worker;
    if (!(await ctx.repos.coordination.takeReview(a.id, reviewer, REVIEW_LEASE_MS))) throw conflict('application is being reviewed');
    try {
      // Another replica may have decided between the read above and the lease: decided once, relayed once.
      const now = await ctx.repos.kyc.get(a.id);
      if (now?.status !== 'pending') throw conflict(`application already ${now?.status}`);
      if (p.decision === 'reject') {
        if (!(await ctx.repos.kyc.decide(a.id, { status: 'rejected', actor: signer, reason: p.reason }))) throw conflict('application no longer pending');
        return { applicationId: a.id, status: 'rejected' as const, claimId: null, txHash: null };
      }
      await requireIdentity(ctx, a.identity as Address);
      const c = p.claim!;
      const claim = { identity: a.identity as Address, topic: a.topic, issuer, issuedAt: c.issuedAt, expiresAt: c.expiresAt, signature: c.signature };
      checkPolicy(ctx, claim, 'claim.');
      // The issuer's own report, sealed for the subject, when given: the claim binds it instead of the applicant's upload.
      const doc = p.report ? await storeIssuerDocument(ctx, claim, p.report, 'report.') : { documentHash: a.documentHash as Hex, uri: `ipfs://${a.cid}` };
      const { claimId, txHash } = await addSignedClaim(ctx, { ...claim, documentHash: doc.documentHash, uri: doc.uri }, 'claim.');
      if (!(await ctx.repos.kyc.decide(a.id, { status: 'approved', actor: signer, claimId, txHash, reason: p.reason }))) throw conflict('application no longer pending');
      return { applicationId: a.id, status: 'approved' as const, claimId, txHash };
    } finally {
      await ctx.repos.coordination.releaseReview(a.id, reviewer);
    }
  },
});
