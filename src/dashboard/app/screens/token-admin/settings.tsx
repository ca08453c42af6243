// Compliance module settings as a person types them (countries, a maximum balance, a risk limit), turned into the
// API's moduleSetting and checked by its zod schema; shared by the deploy form and the administration screen.
import { moduleSetting } from '../../../../protocol/token-api.js';
import { TextField } from '../../ui/kit.js';
import type { Errors } from '../../ui/validate.js';
import { toBaseUnits } from './common.js';

export type SettingKind = 'allowCountries' | 'disallowCountries' | 'restrictCountries' | 'unrestrictCountries' | 'maxBalance' | 'riskLimit'
  | 'jurisdictions' | 'allowJurisdictions' | 'clearJurisdictions' | 'jurisdictionRules' | 'freshKyc';
/** The JurisdictionModule's country kinds, as the status each sets. */
const JURISDICTION_KINDS = { jurisdictions: 'blocked', allowJurisdictions: 'allowed', clearJurisdictions: 'none' } as const;
export const KINDS: { value: SettingKind; label: string }[] = [
  { value: 'allowCountries', label: 'Allow countries (CountryAllowModule)' },
  { value: 'disallowCountries', label: 'Disallow countries (CountryAllowModule)' },
  { value: 'restrictCountries', label: 'Block countries (CountryRestrictModule)' },
  { value: 'unrestrictCountries', label: 'Unblock countries (CountryRestrictModule)' },
  { value: 'maxBalance', label: 'Maximum balance (MaxBalanceModule)' },
  { value: 'riskLimit', label: 'Maximum risk score (MaxRiskScoreModule)' },
  { value: 'jurisdictions', label: 'Block attested jurisdictions (JurisdictionModule)' },
  { value: 'allowJurisdictions', label: 'Allow attested jurisdictions (JurisdictionModule)' },
  { value: 'clearJurisdictions', label: 'Unlist attested jurisdictions (JurisdictionModule)' },
  { value: 'jurisdictionRules', label: 'Allow list only or not (JurisdictionModule)' },
  { value: 'freshKyc', label: 'High risk needs a fresh KYC (FreshKycModule)' },
];

/** A setting typed in the form, as the API's moduleSetting (its zod schema names the wrong part). */
export function settingOf(kind: SettingKind, v: { countries?: string; amount?: string; maxScore?: string; allowUnscored?: boolean; maxAgeDays?: string; allowListOnly?: boolean }, decimals: number): { setting?: unknown; errors: Errors } {
  let setting: unknown;
  if (kind === 'maxBalance') {
    const r = toBaseUnits(v.amount ?? '', decimals);
    if (r.error) return { errors: { amount: r.error } };
    setting = { kind, amount: r.value };
  } else if (kind === 'riskLimit') {
    setting = { kind, maxScore: Number(v.maxScore), allowUnscored: !!v.allowUnscored };
    if ((v.maxScore ?? '').trim() === '') return { errors: { maxScore: 'expected a score 0-100' } };
  } else if (kind === 'freshKyc') {
    setting = { kind, scoreAbove: Number(v.maxScore), maxAgeDays: Number(v.maxAgeDays) };
    if ((v.maxScore ?? '').trim() === '') return { errors: { maxScore: 'expected a score 0-100' } };
  } else if (kind === 'jurisdictions' || kind === 'allowJurisdictions' || kind === 'clearJurisdictions') {
    setting = { kind: 'jurisdictions', countries: (v.countries ?? '').split(/[\s,;]+/).filter(Boolean).map(Number), status: JURISDICTION_KINDS[kind] };
  } else if (kind === 'jurisdictionRules') {
    setting = { kind, allowListOnly: !!v.allowListOnly };
  } else {
    const list = (v.countries ?? '').split(/[\s,;]+/).filter(Boolean).map(Number);
    setting = { kind, countries: list };
  }
  const r = moduleSetting.safeParse(setting);
  if (r.success) return { setting: r.data, errors: {} };
  const issue = r.error.issues[0]!;
  const at = String(issue.path[0] ?? '');
  return { errors: { [at === 'countries' ? 'countries' : at === 'maxScore' || at === 'scoreAbove' ? 'maxScore' : at === 'maxAgeDays' ? 'maxAgeDays' : 'amount']: issue.message } };
}

export function SettingFields({ kind, v, set, errors, symbol }: { kind: SettingKind; v: Record<string, string | boolean | undefined>; set: (k: string, x: string | boolean) => void; errors: Errors; symbol: string }) {
  if (kind === 'maxBalance') return <TextField label={`Maximum balance per investor (${symbol})`} name="amount" value={String(v.amount ?? '')} onInput={(x) => set('amount', x)} error={errors.amount} />;
  if (kind === 'riskLimit') {
    return (
      <>
        <TextField label="Maximum risk score (0-100)" name="maxScore" value={String(v.maxScore ?? '')} onInput={(x) => set('maxScore', x)} error={errors.maxScore} hint="Transfers to or from an identity scored above it are refused (RISK_SCORE_TOO_HIGH)." />
        <label class="row small"><input type="checkbox" checked={!!v.allowUnscored} onChange={(e) => set('allowUnscored', (e.target as HTMLInputElement).checked)} /> Allow identities with no score yet</label>
      </>
    );
  }
  if (kind === 'jurisdictionRules') {
    return <label class="row small"><input type="checkbox" checked={!!v.allowListOnly} onChange={(e) => set('allowListOnly', (e.target as HTMLInputElement).checked)} /> Only allowed jurisdictions pass (allow list)</label>;
  }
  if (kind === 'freshKyc') {
    return (
      <>
        <TextField label="Risk score above which a fresh KYC is needed (0-100)" name="maxScore" value={String(v.maxScore ?? '')} onInput={(x) => set('maxScore', x)} error={errors.maxScore} />
        <TextField label="Maximum age of the KYC claim (days)" name="maxAgeDays" value={String(v.maxAgeDays ?? '')} onInput={(x) => set('maxAgeDays', x)} error={errors.maxAgeDays} hint="Refused otherwise with KYC_NOT_FRESH." />
      </>
    );
  }
  return <TextField label="Countries (ISO 3166-1 numeric, comma separated)" name="countries" value={String(v.countries ?? '')} onInput={(x) => set('countries', x)} error={errors.countries} placeholder="e.g. 250, 276" />;
}

