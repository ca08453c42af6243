// risk_ methods: authorize first (the explanation is personal data: the holder, a risk operator or a regulator), then
// check, then let the risk service act (it serializes its own chain and database writes).
import type { Address, Hex } from 'viem';
import { parseCountryTable, parseCountryTableCsv, RiskInputError, type CountryRiskTableData } from '../../risk/index.js';
import { riskScoreRegistryAbi } from '../../chain/artifacts/RiskScoreRegistry.js';
import { KeyPurpose } from '../../chain/identity.js';
import type { NodeContext } from '../context.js';
import { invalidParams, unauthorized } from '../rpc/errors.js';
import type { Handlers } from './types.js';
import { authorize, hasPurpose, isIssuerSigner, requireIdentity } from './common.js';

type RiskMethod = 'risk_getScore' | 'risk_getCountryTable' | 'risk_importCountryTable' | 'risk_recompute' | 'risk_attestJurisdiction';

const inList = (list: readonly string[], a: string) => list.some((x) => x.toLowerCase() === a.toLowerCase());

/** RiskInputError (a field of the input) as -32602 naming it, thrown by `fn` or by the promise it returns. */
async function asParams<T>(fn: () => T | Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof RiskInputError) throw invalidParams(e.field, e.reason);
    throw e;
  }
}

export const riskHandlers = (ctx: NodeContext): Pick<Handlers, RiskMethod> => {
  const isOperator = (a: Address) => inList(ctx.config.risk.operators, a);
  const requireOperator = (a: Address) => {
    if (!isOperator(a)) throw unauthorized('only a risk operator (config risk.operators) may do this', { field: 'auth.signer' });
  };
  const isManager = async (identity: Address, a: Address) =>
    a.toLowerCase() !== ctx.relayerAddress.toLowerCase() && (await hasPurpose(ctx, identity, a, KeyPurpose.MANAGEMENT).catch(() => false));

  return {
    async risk_getScore(p, { raw }) {
      let access: 'public' | 'holder' | 'operator' | 'regulator' = 'public';
      if (p.auth) {
        const signer = await authorize(ctx, 'risk_getScore', raw, p.auth);
        if (isOperator(signer)) access = 'operator';
        else if (inList(ctx.config.risk.regulators, signer)) access = 'regulator';
        else if (await isManager(p.identity, signer)) access = 'holder';
        else throw unauthorized("only the holder (a management key of the identity), a risk operator or a regulator reads a score's explanation", { field: 'auth.signer' });
      }
      const [score, updatedAt, scored] = await ctx.clients.publicClient.readContract({
        address: ctx.deployment.riskScoreRegistry, abi: riskScoreRegistryAbi, functionName: 'riskScoreOf', args: [p.identity],
      });
      const out = { identity: p.identity, onchain: { score: scored ? Number(score) : null, updatedAt: scored ? Number(updatedAt) : null }, access };
      if (access === 'public') return out;
      const e = await ctx.risk.explanation(p.identity);
      if (!e) return out;
      const x = e.explanation;
      return { ...out, score: x.score, band: x.band, computedAt: x.computedAt, families: x.families, factors: x.factors, model: x.model, countryTable: x.countryTable };
    },

    async risk_getCountryTable() {
      const t = await ctx.risk.countryTable();
      return { ...t.table.toJSON(), entries: [...t.table.entries], seed: t.seed, importedAt: t.importedAt, importedBy: t.importedBy };
    },

    async risk_importCountryTable(p, { raw }) {
      const signer = await authorize(ctx, 'risk_importCountryTable', raw, p.auth);
      requireOperator(signer);
      const meta = { id: p.id, name: p.name, asOf: p.asOf, source: p.source, defaultScore: p.defaultScore };
      const data: CountryRiskTableData = await asParams(() => (p.csv !== undefined
        ? parseCountryTableCsv(p.csv, meta, { scale: p.scale })
        : parseCountryTable({ ...meta, entries: p.entries }, { scale: p.scale })));
      // The service validates again when it builds the table: a bad table never becomes active.
      return asParams(() => ctx.risk.importTable(data, signer));
    },

    async risk_recompute(p, { raw }) {
      const signer = await authorize(ctx, 'risk_recompute', raw, p.auth);
      requireOperator(signer);
      if (p.identity) await requireIdentity(ctx, p.identity);
      return ctx.risk.recompute(p.identity);
    },

    async risk_attestJurisdiction(p, { raw }) {
      const signer = await authorize(ctx, 'risk_attestJurisdiction', raw, p.auth);
      await requireIdentity(ctx, p.identity);
      const issuers = Object.values(ctx.deployment.issuers) as Address[];
      const allowed = isOperator(signer) || (await isManager(p.identity, signer))
        || (await Promise.all(issuers.map((i) => isIssuerSigner(ctx, i, signer).catch(() => false)))).some(Boolean);
      if (!allowed) throw unauthorized('only a management key of the identity, a signer of an issuer or a risk operator may attest its jurisdiction', { field: 'auth.signer' });
      return ctx.risk.attestJurisdiction(p.identity, p.country, p.salt as Hex);
    },
  };
};
