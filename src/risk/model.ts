/**
 * The scoring model: one weight (the most points a factor can add) per factor of the four FATF risk-based families,
 * the display bands and the parameters of the factors' value curves. Operators override any part; the defaults are
 * documented in the README.
 */
import { DEFAULT_ACTIVITY, type ActivityParams } from './activity.js';
import { checkBands, DEFAULT_BANDS, type Band } from './bands.js';
import { RiskInputError } from './errors.js';

export const FAMILIES = ['country', 'customer', 'activity', 'compliance'] as const;
export type Family = (typeof FAMILIES)[number];

export const FACTORS = {
  'country.table': 'country',
  'country.unattested': 'country',
  'customer.pep': 'customer',
  'customer.openCases': 'customer',
  'customer.confirmedCases': 'customer',
  'customer.entityType': 'customer',
  'customer.kycAge': 'customer',
  'activity.volume': 'activity',
  'activity.velocity': 'activity',
  'activity.structuring': 'activity',
  'activity.counterpartyRisk': 'activity',
  'activity.riskyCounterparties': 'activity',
  'compliance.missingClaims': 'compliance',
  'compliance.expiredClaims': 'compliance',
  'compliance.revokedClaims': 'compliance',
  'compliance.frozen': 'compliance',
} as const satisfies Record<string, Family>;
export type FactorId = keyof typeof FACTORS;

export interface RiskModel {
  id: string;
  /** Points each factor adds at its full value (value 1). The score is the sum, capped at 100. */
  weights: Record<FactorId, number>;
  bands: readonly Band[];
  /** KYC documents younger than `freshDays` add nothing; the factor grows linearly to its weight at `staleDays`. */
  kyc: { freshDays: number; staleDays: number };
  /** Value of the entity-type factor per type (unknown types: `other`). */
  entityTypes: Record<string, number>;
  activity: ActivityParams;
}

export const DEFAULT_MODEL: RiskModel = {
  id: 'masque-risk-1',
  weights: {
    'country.table': 60,
    'country.unattested': 20,
    'customer.pep': 25,
    'customer.openCases': 20,
    'customer.confirmedCases': 60,
    'customer.entityType': 10,
    'customer.kycAge': 15,
    'activity.volume': 15,
    'activity.velocity': 15,
    'activity.structuring': 40,
    'activity.counterpartyRisk': 20,
    'activity.riskyCounterparties': 30,
    'compliance.missingClaims': 20,
    'compliance.expiredClaims': 15,
    'compliance.revokedClaims': 30,
    'compliance.frozen': 50,
  },
  bands: DEFAULT_BANDS,
  kyc: { freshDays: 365, staleDays: 730 },
  entityTypes: { individual: 0, company: 0.3, trust: 0.6, foundation: 0.6, other: 0.5 },
  activity: DEFAULT_ACTIVITY,
};

export interface ModelOverrides {
  id?: string;
  weights?: Partial<Record<FactorId, number>>;
  bands?: readonly Band[];
  kyc?: Partial<RiskModel['kyc']>;
  entityTypes?: Record<string, number>;
  activity?: Partial<ActivityParams>;
}

const nonNegative = (v: unknown, field: string, max = Infinity) => {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) throw new RiskInputError(field, `must be a number from 0 to ${max}`);
  return v;
};

/** The default model with `o` applied, validated (errors name the field: `weights.customer.pep`). */
export function riskModel(o: ModelOverrides = {}, base: RiskModel = DEFAULT_MODEL): RiskModel {
  for (const k of Object.keys(o.weights ?? {})) if (!(k in FACTORS)) throw new RiskInputError(`weights.${k}`, 'unknown factor');
  const weights = { ...base.weights, ...o.weights } as Record<FactorId, number>;
  for (const [k, v] of Object.entries(weights)) nonNegative(v, `weights.${k}`, 100);
  const bands = o.bands ?? base.bands;
  checkBands(bands);
  const kyc = { ...base.kyc, ...o.kyc };
  nonNegative(kyc.freshDays, 'kyc.freshDays');
  if (nonNegative(kyc.staleDays, 'kyc.staleDays') <= kyc.freshDays) throw new RiskInputError('kyc.staleDays', 'must exceed kyc.freshDays');
  const entityTypes = { ...base.entityTypes, ...o.entityTypes };
  for (const [k, v] of Object.entries(entityTypes)) nonNegative(v, `entityTypes.${k}`, 1);
  const activity = { ...base.activity, ...o.activity };
  for (const k of ['windowDays', 'historyDays', 'minWindowVolume', 'minWindowCount', 'highRiskScore'] as const) nonNegative(activity[k], `activity.${k}`);
  nonNegative(activity.structuringMargin, 'activity.structuringMargin', 1);
  if (activity.structuringLimit !== null) nonNegative(activity.structuringLimit, 'activity.structuringLimit');
  if (!Number.isInteger(activity.windowDays) || activity.windowDays < 1) throw new RiskInputError('activity.windowDays', 'must be a whole number of days, at least 1');
  if (!Number.isInteger(activity.historyDays) || activity.historyDays <= activity.windowDays) throw new RiskInputError('activity.historyDays', 'must be a whole number of days above windowDays');
  return { id: o.id ?? base.id, weights, bands, kyc, entityTypes, activity };
}
