// The `screening_` methods over the node's screening service (src/node/compliance). Authorize first, then check, then
// act; a ScreeningRefusal becomes a JSON-RPC error naming the field. Messages never quote a profile.
import type { Address } from 'viem';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, isIssuerSigner } from './common.js';
import { RpcCode, RpcError, invalidParams, notFound, unauthorized } from '../rpc/errors.js';
import { ProfileError, parseProfile } from '../compliance/profile.js';
import { ScreeningRefusal, type ScreeningService } from '../compliance/service.js';
import type { CaseRow } from '../db/screening.js';
import { diffVersions, ListFormatError, ListVersion, ScreeningInputError } from '../../screening/index.js';
import { profileQuery } from '../compliance/profile.js';

type ScreeningMethods = 'screening_status' | 'screening_importList' | 'screening_listVersions' | 'screening_listDiff' | 'screening_search'
  | 'screening_submitProfile' | 'screening_getProfile' | 'screening_screenHolder' | 'screening_listCases' | 'screening_getCase'
  | 'screening_assignCase' | 'screening_decideCase' | 'screening_getEvidence' | 'screening_events';

const caseOut = (c: CaseRow) => ({
  caseId: c.id, identity: c.identity, entityId: c.entityId, entityHash: c.entityHash, source: c.source, listHash: c.listHash, score: c.score,
  topics: c.topics, status: c.status, auto: c.auto, actionState: c.actionState, assignee: c.assignee, decidedBy: c.decidedBy, decidedAt: c.decidedAt,
  reason: c.reason, createdAt: c.createdAt, updatedAt: c.updatedAt,
});

/** Runs `fn`, turning the service's refusals and input errors into JSON-RPC errors that name the field. */
async function answering<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof ScreeningRefusal) {
      if (e.kind === 'not-found') throw new RpcError(RpcCode.NOT_FOUND, e.message, { field: e.field });
      if (e.kind === 'conflict') throw new RpcError(RpcCode.CONFLICT, e.message, { field: e.field });
      throw invalidParams(e.field, e.message);
    }
    if (e instanceof ProfileError) throw invalidParams(e.field, e.reason);
    // A list file that does not parse: the field is `files`, the message names the file, line and column.
    if (e instanceof ListFormatError) throw invalidParams('files', e.message);
    if (e instanceof ScreeningInputError) throw invalidParams(e.field, e.reason);
    throw e;
  }
}

export const screeningHandlers = (ctx: NodeContext): Pick<Handlers, ScreeningMethods> => {
  const service = (): ScreeningService => {
    if (!ctx.screening) throw new RpcError(RpcCode.CONFLICT, 'the screening service is not running on this node (config screening.enabled)');
    return ctx.screening;
  };
  const requireOperator = (signer: Address) => {
    if (signer.toLowerCase() !== service().operator.toLowerCase()) throw unauthorized('only the screening operator may do this');
  };
  const requireAnalyst = async (signer: Address) => {
    if (!(await service().mayAnalyse(signer))) throw unauthorized('only the screening operator or an analyst may do this');
  };
  const requireReader = async (signer: Address) => {
    if (!(await service().mayRead(signer))) throw unauthorized("only the screening operator, an analyst or a served token's fund administrator may read this");
  };
  const getCase = async (caseId: string) => {
    const c = await ctx.repos.screening.getCase(caseId);
    if (!c) throw notFound('no such case');
    return c;
  };

  return {
    async screening_status() {
      const s = ctx.screening;
      return {
        enabled: Boolean(s), operator: s?.operator ?? null, issuer: s?.issuer ?? null, topics: s ? [...s.config.topics] : [],
        reviewThreshold: s?.config.reviewThreshold ?? 0, autoActionThreshold: s?.config.autoActionThreshold ?? 0,
        holders: s ? await ctx.repos.screening.profileCount() : 0,
        lists: s ? await ctx.repos.screening.listHeads() : [],
      };
    },

    async screening_importList(p, { raw }) {
      const signer = await authorize(ctx, 'screening_importList', raw, p.auth);
      requireOperator(signer);
      const files = p.files.map((f, i) => {
        const data = Buffer.from(f.data, 'base64');
        if (data.length === 0) throw invalidParams(`files.${i}.data`, 'empty or not base64');
        return { name: f.name, data: new Uint8Array(data) };
      });
      return answering(async () => {
        try {
          return await service().importList(p.source, files, p.publishedAt ? { publishedAt: p.publishedAt } : {});
        } catch (e) {
          if (e instanceof Error && /unknown list source/.test(e.message)) throw invalidParams('source', e.message);
          throw e;
        }
      });
    },

    async screening_listVersions(p) {
      const rows = await ctx.repos.screening.listVersions(p.source, p.limit);
      return rows.map((r) => ({ source: r.source, hash: r.hash, previousHash: r.previousHash, entryCount: r.entryCount, publishedAt: r.publishedAt, importedAt: r.importedAt, warnings: r.warnings }));
    },

    async screening_listDiff(p) {
      const load = async (hash: string, field: string) => {
        const c = await ctx.repos.screening.listVersionContent(p.source, hash);
        if (!c) throw invalidParams(field, `no stored version of ${p.source} with this hash`);
        const { gunzipSync } = await import('node:zlib');
        return ListVersion.fromJSON(JSON.parse(gunzipSync(c).toString('utf8')));
      };
      const d = diffVersions(await load(p.from, 'from'), await load(p.to, 'to'));
      return { added: d.added.map((e) => e.id), removed: d.removed.map((e) => e.id), changed: d.changed.map((c) => c.after.id) };
    },

    async screening_search(p, { raw }) {
      const signer = await authorize(ctx, 'screening_search', raw, p.auth);
      await requireAnalyst(signer);
      return answering(async () => {
        const lists = await service().currentLists();
        const q = profileQuery(parseProfile(p.profile));
        return lists.matches(q, p.limit).map((m) => {
          const e = lists.versions.map((v) => v.entry(m.entityId)).find(Boolean)!;
          return { entityId: m.entityId, source: e.source, score: m.score, listName: m.listName, programs: [...e.programs] };
        });
      });
    },

    async screening_submitProfile(p, { raw }) {
      const signer = await authorize(ctx, 'screening_submitProfile', raw, p.auth);
      const s = service();
      let origin = 'analyst';
      if (!(await s.mayAnalyse(signer))) {
        // A KYC provider: a signer of a configured issuer trusted for KYC (topic 1) submits what it verified.
        const kycIssuers = (await ctx.repos.meta.issuers()).filter((i) => i.topics.includes(1));
        let provider: string | undefined;
        for (const i of kycIssuers) if (await isIssuerSigner(ctx, i.address as Address, signer)) { provider = i.name; break; }
        if (!provider) throw unauthorized('only the screening operator, an analyst or a KYC issuer\'s signer may submit a profile');
        origin = `kyc:${provider}`;
      }
      if ((await ctx.clients.publicClient.getCode({ address: p.identity }))?.length === undefined) throw invalidParams('identity', 'no identity contract at this address');
      return answering(async () => {
        const r = await s.submitProfile(p.identity, parseProfile(p.profile), signer, origin);
        return { identity: p.identity.toLowerCase(), ...r };
      });
    },

    async screening_getProfile(p, { raw }) {
      const signer = await authorize(ctx, 'screening_getProfile', raw, p.auth);
      requireOperator(signer);
      const r = await service().profileOf(p.identity);
      if (!r) throw notFound('no profile for this identity');
      return { identity: p.identity.toLowerCase(), ...r, profile: r.profile as unknown as Record<string, unknown> };
    },

    async screening_screenHolder(p, { raw }) {
      const signer = await authorize(ctx, 'screening_screenHolder', raw, p.auth);
      await requireAnalyst(signer);
      if (!(await ctx.repos.screening.profile(p.identity))) throw notFound('no profile for this identity');
      const run = await service().screen([p.identity.toLowerCase()], 'manual');
      return { runId: run.runId, outcome: run.outcomes[0] ?? null };
    },

    async screening_listCases(p, { raw }) {
      const signer = await authorize(ctx, 'screening_listCases', raw, p.auth);
      await requireReader(signer);
      const { total, cases } = await ctx.repos.screening.listCases({
        ...(p.status ? { status: p.status } : {}), ...(p.identity ? { identity: p.identity } : {}), ...(p.assignee ? { assignee: p.assignee } : {}),
        limit: p.limit, offset: p.offset,
      });
      return { total, cases: cases.map(caseOut) };
    },

    async screening_getCase(p, { raw }) {
      const signer = await authorize(ctx, 'screening_getCase', raw, p.auth);
      await requireReader(signer);
      const c = await getCase(p.caseId);
      const history = await ctx.repos.screening.caseHistory(c.id);
      const actions = await ctx.repos.screening.actions(c.id);
      const analyst = await service().mayAnalyse(signer);
      return {
        ...caseOut(c),
        history: history.map(({ seq: _seq, ...h }) => h),
        actions: actions.map((a) => ({ phase: a.phase, step: a.step, kind: a.kind, target: a.target, status: a.status, txHash: a.txHash })),
        ...(analyst ? { detail: service().caseDetail(c) } : {}),
      };
    },

    async screening_assignCase(p, { raw }) {
      const signer = await authorize(ctx, 'screening_assignCase', raw, p.auth);
      await requireAnalyst(signer);
      return answering(async () => caseOut(await service().assign(p.caseId, p.assignee, signer)));
    },

    async screening_decideCase(p, { raw }) {
      const signer = await authorize(ctx, 'screening_decideCase', raw, p.auth);
      await requireAnalyst(signer);
      return answering(async () => caseOut(await service().decide(p.caseId, p.decision, signer, p.reason)));
    },

    async screening_getEvidence(p, { raw }) {
      const signer = await authorize(ctx, 'screening_getEvidence', raw, p.auth);
      await requireReader(signer);
      const ev = await service().evidenceOf(p.identity, p.limit);
      return ev.map((e) => ({ ...e, record: e.record as unknown as Record<string, unknown>, header: e.header as unknown as Record<string, unknown> }));
    },

    async screening_events(p, { raw }) {
      const signer = await authorize(ctx, 'screening_events', raw, p.auth);
      await requireReader(signer);
      return service().events(p.after, p.limit);
    },
  };
};
