// The KYC review queue: an issuer's reviewers list and assign applications; an applicant lists its own.
// Authorize first (the listing itself says who applied where), then check, then write.
import type { Address } from 'viem';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { applicationFor, authorize, isIssuerSigner, mayReviewApplication, requireIssuerSigner, requireManager } from './common.js';
import { conflict, invalidParams } from '../rpc/errors.js';

export const kycQueueHandlers = (ctx: NodeContext): Pick<Handlers, 'id_listKycApplications' | 'id_assignKycApplication'> => ({
  async id_listKycApplications(p, { raw }) {
    const signer = await authorize(ctx, 'id_listKycApplications', raw, p.auth);
    if (p.issuer) await requireIssuerSigner(ctx, p.issuer, signer);
    else await requireManager(ctx, p.identity!, signer);
    if (p.createdAfter !== undefined && p.createdBefore !== undefined && p.createdAfter >= p.createdBefore) {
      throw invalidParams('createdBefore', 'createdBefore must be after createdAfter');
    }
    const { rows, total } = await ctx.repos.kycQueue.list({
      ...(p.issuer ? { issuer: p.issuer } : { identity: p.identity! }),
      ...(p.status ? { status: p.status } : {}),
      ...(p.topic !== undefined ? { topic: p.topic } : {}),
      ...(p.assignee ? { assignee: p.assignee } : {}),
      ...(p.createdAfter !== undefined ? { createdAfter: p.createdAfter * 1000 } : {}),
      ...(p.createdBefore !== undefined ? { createdBefore: p.createdBefore * 1000 } : {}),
      limit: p.limit, offset: p.offset,
    });
    return { total, applications: rows };
  },

  async id_assignKycApplication(p, { raw }) {
    const signer = await authorize(ctx, 'id_assignKycApplication', raw, p.auth);
    const a = await applicationFor(await ctx.repos.kycQueue.get(p.applicationId), (x) => mayReviewApplication(ctx, x, signer));
    if (a.status !== 'pending') throw conflict(`application already ${a.status}: only pending applications are assigned`);
    if (p.assignee !== null) {
      // Only someone who could decide it: a claim-signer or management key of the same issuer.
      if (!(await isIssuerSigner(ctx, a.issuer as Address, p.assignee))) throw invalidParams('assignee', "the assignee holds no claim-signer or management key at the application's issuer");
    }
    await ctx.repos.kycQueue.assign(a.id, p.assignee, signer);
    const after = (await ctx.repos.kycQueue.get(a.id))!;
    return { applicationId: a.id, assignee: after.assignee, assignedBy: after.assignedBy, assignedAt: after.assignedAt };
  },
});
