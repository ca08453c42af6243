/**
 * The score of one identity: every factor with its weight (the most points it can add), its value (0-1) and the
 * points it adds (weight x value); the score is the sum, rounded and capped at 100. Nothing is hidden: the factors
 * listed are exactly what was added, so an operator, the holder or a regulator reads why.
 */
import { activityStats, dayOf, NO_ACTIVITY, type ActivityBucket, type ActivityStats } from './activity.js';
import { bandOf } from './bands.js';
import { countryAlpha2, type CountryRiskTable } from './countries.js';
import { RiskInputError } from './errors.js';
import { FACTORS, FAMILIES, type FactorId, type Family, type RiskModel } from './model.js';

/** What the engine knows of an identity. Facts only; the engine decides what they weigh. */
export interface RiskInput {
  /** ISO 3166-1 numeric country the compliance modules enforce (0 or null: none). */
  country: number | null;
  /** Whether that country is backed by a valid JURISDICTION claim of a trusted issuer. */
  countryAttested: boolean;
  customer: {
    pep: boolean;
    /** Screening cases awaiting a decision. */
    openCases: number;
    /** Cases decided as true matches. */
    confirmedCases: number;
    /** `individual`, `company`, `trust`, `foundation`, other; undefined: individual. */
    entityType?: string;
    /** Issue time (unix seconds) of the newest valid KYC claim; null: none. */
    kycIssuedAt: number | null;
  };
  /** Buckets of the identity's transfers (activity.ts), or precomputed stats. */
  activity: readonly ActivityBucket[] | ActivityStats;
  compliance: {
    /** Required topics with no claim at all. */
    missing: readonly number[];
    expired: readonly number[];
    revoked: readonly number[];
    /** Any of the identity's wallets frozen on the token. */
    frozen: boolean;
  };
}

export interface RiskFactor {
  id: FactorId;
  family: Family;
  /** Points at full value. */
  weight: number;
  /** 0 (no contribution) to 1 (full weight). */
  value: number;
  /** weight x value, two decimals. */
  points: number;
  /** Why, in words. */
  detail: string;
}

export interface RiskScore {
  /** 0-100. */
  score: number;
  band: string;
  /** Points per family (before the cap). */
  families: Record<Family, number>;
  /** Every factor, contributing or not, in model order. */
  factors: RiskFactor[];
  model: string;
  countryTable: string;
  /** Unix seconds the score was computed at. */
  computedAt: number;
}

const clamp01 = (x: number) => (x <= 0 || Number.isNaN(x) ? 0 : x >= 1 ? 1 : x);
const round2 = (x: number) => Math.round(x * 100) / 100;
const count = (v: unknown, field: string): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new RiskInputError(field, 'must be a whole number >= 0');
  return v;
};
const isStats = (a: RiskInput['activity']): a is ActivityStats => !Array.isArray(a);
const code = (c: number) => countryAlpha2(c) ?? String(c);
const ratio = (recent: number, baseline: number, floor: number) => recent / Math.max(baseline, floor, Number.MIN_VALUE);
// Activity at twice its usual level is ordinary; ten times is the full weight.
const aboveUsual = (r: number) => clamp01((r - 2) / 8);

/** The explained score of one identity at `now` (unix seconds). */
export function scoreIdentity(input: RiskInput, ctx: { model: RiskModel; countries: CountryRiskTable; now: number }): RiskScore {
  const { model, countries, now } = ctx;
  const c = input.customer;
  const k = input.compliance;
  count(c.openCases, 'customer.openCases');
  count(c.confirmedCases, 'customer.confirmedCases');
  const a = isStats(input.activity) ? input.activity : input.activity.length ? activityStats(input.activity, dayOf(now), model.activity) : NO_ACTIVITY;
  const p = model.activity;

  const values: Record<FactorId, [number, string]> = {} as Record<FactorId, [number, string]>;
  if (input.country && input.country > 0) {
    const e = countries.lookup(input.country);
    values['country.table'] = [e.score / 100, `${code(input.country)}: ${e.label}, ${e.score}/100 in ${countries.id}`];
  } else {
    values['country.table'] = [1, 'no country registered'];
  }
  values['country.unattested'] = input.countryAttested
    ? [0, 'country attested by a valid jurisdiction claim of a trusted issuer']
    : [1, 'country not attested by a valid jurisdiction claim of a trusted issuer'];

  values['customer.pep'] = [c.pep ? 1 : 0, c.pep ? 'politically exposed person' : 'not a politically exposed person'];
  values['customer.openCases'] = [clamp01(c.openCases / 2), `${c.openCases} open screening case(s)`];
  values['customer.confirmedCases'] = [clamp01(c.confirmedCases), `${c.confirmedCases} confirmed screening match(es)`];
  const type = c.entityType ?? 'individual';
  values['customer.entityType'] = [model.entityTypes[type] ?? model.entityTypes.other ?? 0, `entity type ${type}`];
  if (c.kycIssuedAt === null) {
    values['customer.kycAge'] = [0, 'no valid KYC claim (counted under compliance)'];
  } else {
    const days = Math.max(0, (now - c.kycIssuedAt) / 86_400);
    values['customer.kycAge'] = [clamp01((days - model.kyc.freshDays) / (model.kyc.staleDays - model.kyc.freshDays)), `KYC documents ${Math.floor(days)} days old (fresh up to ${model.kyc.freshDays})`];
  }

  const vr = ratio(a.recentVolume, a.baselineVolume, p.minWindowVolume);
  values['activity.volume'] = [aboveUsual(vr), `${round2(a.recentVolume)} tokens in ${p.windowDays} days, ${round2(vr)}x the usual (${round2(Math.max(a.baselineVolume, p.minWindowVolume))})`];
  const cr = ratio(a.recentCount, a.baselineCount, p.minWindowCount);
  values['activity.velocity'] = [aboveUsual(cr), `${a.recentCount} transfers in ${p.windowDays} days, ${round2(cr)}x the usual (${round2(Math.max(a.baselineCount, p.minWindowCount))})`];
  // One transfer just under a limit happens; from the second on it looks like splitting, five or more is the full weight.
  values['activity.structuring'] = [clamp01((a.nearLimit - 1) / 4), p.structuringLimit === null
    ? 'no structuring limit configured'
    : `${a.nearLimit} outgoing transfer(s) in ${p.windowDays} days just under ${p.structuringLimit} (within ${p.structuringMargin * 100}%)`];
  values['activity.counterpartyRisk'] = a.counterpartyScore === null
    ? [0, 'no scored counterparty']
    : [clamp01((a.counterpartyScore - 25) / 50), `counterparties' volume-weighted score ${round2(a.counterpartyScore)}`];
  values['activity.riskyCounterparties'] = [clamp01(a.risky / 3), `${a.risky} transfer(s) with frozen or high-risk (>= ${p.highRiskScore}) wallets in ${p.historyDays} days`];

  const topics = (l: readonly number[]) => (l.length ? ` (topics ${l.join(', ')})` : '');
  values['compliance.missingClaims'] = [clamp01(k.missing.length / 2), `${k.missing.length} required claim(s) missing${topics(k.missing)}`];
  values['compliance.expiredClaims'] = [clamp01(k.expired.length / 2), `${k.expired.length} required claim(s) expired${topics(k.expired)}`];
  values['compliance.revokedClaims'] = [clamp01(k.revoked.length), `${k.revoked.length} required claim(s) revoked${topics(k.revoked)}`];
  values['compliance.frozen'] = [k.frozen ? 1 : 0, k.frozen ? 'a wallet of this identity is frozen' : 'no wallet frozen'];

  const families = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  const factors = (Object.keys(FACTORS) as FactorId[]).map((id): RiskFactor => {
    const [value, detail] = values[id];
    const weight = model.weights[id];
    const points = round2(weight * value);
    families[FACTORS[id]] = round2(families[FACTORS[id]] + points);
    return { id, family: FACTORS[id], weight, value: round2(value), points, detail };
  });
  const total = factors.reduce((s, f) => s + f.points, 0);
  const score = Math.min(100, Math.round(total));
  return { score, band: bandOf(score, model.bands), families, factors, model: model.id, countryTable: countries.id, computedAt: now };
}
