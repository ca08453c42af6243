/**
 * Country risk tables: a score 0-100 per ISO 3166-1 numeric country code, with a label saying why, and a default for
 * countries the table does not list. The seed is the public FATF lists; operators import their own (e.g. Basel AML
 * Index scores they license, on its 0-10 scale) as JSON or CSV, keyed by numeric, alpha-2 or alpha-3 codes.
 */
import countries from 'i18n-iso-countries';
import { RiskInputError } from './errors.js';

export interface CountryRiskEntry {
  /** ISO 3166-1 numeric code (what IdentityRegistry stores). */
  country: number;
  /** 0 (no risk) to 100 (highest). */
  score: number;
  /** Why, in words an operator reads ("FATF call for action"). */
  label: string;
}

export interface CountryRiskTableData {
  /** Stable identifier of this table version, e.g. `fatf-2026-02`. */
  id: string;
  name: string;
  /** Date the lists were published or the table was produced (YYYY-MM-DD). */
  asOf: string;
  /** Where the data comes from (URL or licence holder). */
  source: string;
  /** Score of a country the table does not list. */
  defaultScore: number;
  entries: readonly CountryRiskEntry[];
}

/** A country risk table ready for lookups (entries sorted by code, one per code). */
export class CountryRiskTable {
  readonly id: string;
  readonly name: string;
  readonly asOf: string;
  readonly source: string;
  readonly defaultScore: number;
  readonly entries: readonly CountryRiskEntry[];
  private readonly byCode: Map<number, CountryRiskEntry>;

  constructor(data: CountryRiskTableData) {
    const t = parseCountryTable(data);
    this.id = t.id;
    this.name = t.name;
    this.asOf = t.asOf;
    this.source = t.source;
    this.defaultScore = t.defaultScore;
    this.entries = Object.freeze(t.entries.map((e) => Object.freeze({ ...e })));
    this.byCode = new Map(this.entries.map((e) => [e.country, e]));
  }

  /** The entry of `country`, or the default (listed: false) for an unlisted or unknown (0) country. */
  lookup(country: number): { score: number; label: string; listed: boolean } {
    const e = this.byCode.get(country);
    return e ? { score: e.score, label: e.label, listed: true } : { score: this.defaultScore, label: 'not listed', listed: false };
  }

  toJSON(): CountryRiskTableData {
    return { id: this.id, name: this.name, asOf: this.asOf, source: this.source, defaultScore: this.defaultScore, entries: this.entries };
  }

  /** Countries whose score differs between two tables (what a table update must rescore). */
  static changedCountries(a: CountryRiskTable, b: CountryRiskTable): { countries: number[]; defaultChanged: boolean } {
    const codes = new Set([...a.byCode.keys(), ...b.byCode.keys()]);
    const countries = [...codes].filter((c) => a.lookup(c).score !== b.lookup(c).score).sort((x, y) => x - y);
    return { countries, defaultChanged: a.defaultScore !== b.defaultScore };
  }
}

/** ISO 3166-1 numeric code of a numeric (`364`, `"364"`), alpha-2 (`"IR"`) or alpha-3 (`"IRN"`) code. */
export function countryNumeric(code: unknown, field = 'country'): number {
  if (typeof code === 'number' || (typeof code === 'string' && /^\d{1,3}$/.test(code.trim()))) {
    const n = Number(code);
    if (!Number.isInteger(n) || n < 1 || n > 999 || !countries.numericToAlpha2(String(n).padStart(3, '0'))) {
      throw new RiskInputError(field, `not an ISO 3166-1 numeric country code: ${JSON.stringify(code)}`);
    }
    return n;
  }
  if (typeof code === 'string') {
    const c = code.trim().toUpperCase();
    const numeric = c.length === 2 ? countries.alpha2ToNumeric(c) : c.length === 3 ? countries.alpha3ToNumeric(c) : undefined;
    if (numeric) return Number(numeric);
  }
  throw new RiskInputError(field, `not an ISO 3166-1 country code (numeric, alpha-2 or alpha-3): ${JSON.stringify(code)}`);
}

/** ISO alpha-2 of a numeric code, for display ("364" -> "IR"); undefined when unknown. */
export function countryAlpha2(country: number): string | undefined {
  return countries.numericToAlpha2(String(country).padStart(3, '0'));
}

const score = (v: unknown, field: string, scale: number): number => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > scale) throw new RiskInputError(field, `must be a number from 0 to ${scale}`);
  return Math.round((n * 100 * 100) / scale) / 100;
};
const text = (v: unknown, field: string, max = 200): string => {
  if (typeof v !== 'string' || v.trim() === '' || v.length > max) throw new RiskInputError(field, `must be a non-empty string of at most ${max} characters`);
  return v.trim();
};

export interface ImportOptions {
  /** Scale of the scores in the input (100 by default; 10 for the Basel AML Index). Scores are stored on 0-100. */
  scale?: number;
}

/**
 * Validates a table from JSON (`{ id, name, asOf, source, defaultScore?, entries: [{ country, score, label? }] }`,
 * country as numeric, alpha-2 or alpha-3). Throws RiskInputError naming the field (`entries.3.country`); a duplicate
 * country is an error, not a silent overwrite.
 */
export function parseCountryTable(input: unknown, opts: ImportOptions = {}): CountryRiskTableData {
  const scale = opts.scale ?? 100;
  if (!(scale > 0)) throw new RiskInputError('scale', 'must be positive');
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new RiskInputError('table', 'must be an object');
  const o = input as Record<string, unknown>;
  const id = text(o.id, 'id', 80);
  if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new RiskInputError('id', 'letters, digits, ".", "_" and "-" only');
  const asOf = text(o.asOf, 'asOf', 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new RiskInputError('asOf', 'must be a date YYYY-MM-DD');
  if (!Array.isArray(o.entries)) throw new RiskInputError('entries', 'must be an array');
  const seen = new Set<number>();
  const entries = o.entries.map((e, i): CountryRiskEntry => {
    if (typeof e !== 'object' || e === null) throw new RiskInputError(`entries.${i}`, 'must be an object');
    const r = e as Record<string, unknown>;
    const country = countryNumeric(r.country, `entries.${i}.country`);
    if (seen.has(country)) throw new RiskInputError(`entries.${i}.country`, `country ${country} is listed twice`);
    seen.add(country);
    return { country, score: score(r.score, `entries.${i}.score`, scale), label: r.label === undefined ? 'imported' : text(r.label, `entries.${i}.label`) };
  });
  entries.sort((a, b) => a.country - b.country);
  return {
    id, name: text(o.name, 'name'), asOf, source: text(o.source, 'source', 500),
    defaultScore: o.defaultScore === undefined ? 0 : score(o.defaultScore, 'defaultScore', scale),
    entries,
  };
}

/**
 * A table from CSV: a header naming `country` and `score` columns (and optionally `label`), one country per line,
 * `#` comments and blank lines skipped. Errors name the line (`line 7.score`). No quoted fields: country tables have
 * none.
 */
export function parseCountryTableCsv(
  csv: string,
  meta: { id: string; name: string; asOf: string; source: string; defaultScore?: number },
  opts: ImportOptions = {},
): CountryRiskTableData {
  const lines = csv.split(/\r?\n/).map((l, i) => ({ n: i + 1, l: l.trim() })).filter(({ l }) => l !== '' && !l.startsWith('#'));
  const header = lines.shift();
  if (!header) throw new RiskInputError('csv', 'empty');
  const cols = header.l.split(',').map((c) => c.trim().toLowerCase());
  const ci = cols.indexOf('country');
  const si = cols.indexOf('score');
  const li = cols.indexOf('label');
  if (ci < 0 || si < 0) throw new RiskInputError('csv.header', 'must name the columns "country" and "score"');
  const entries = lines.map(({ n, l }) => {
    const f = l.split(',').map((x) => x.trim());
    if (f.length !== cols.length) throw new RiskInputError(`line ${n}`, `${f.length} fields where the header has ${cols.length}`);
    return { country: f[ci], score: f[si], label: li >= 0 && f[li] !== '' ? f[li] : undefined, line: n };
  });
  try {
    return parseCountryTable({ ...meta, entries }, opts);
  } catch (e) {
    // Name the CSV line rather than the array index.
    const m = e instanceof RiskInputError ? /^entries\.(\d+)(\..*)?$/.exec(e.field) : null;
    if (e instanceof RiskInputError && m) throw new RiskInputError(`line ${entries[Number(m[1])].line}${m[2] ?? ''}`, e.reason);
    throw e;
  }
}

/** Score of a "call for action" country in the seed table. */
export const CALL_FOR_ACTION_SCORE = 100;
/** Score of an "increased monitoring" country in the seed table. */
export const INCREASED_MONITORING_SCORE = 60;

/**
 * The FATF lists after the plenary of 11-13 February 2026 (published 13 February 2026).
 * - High-Risk Jurisdictions subject to a Call for Action: DPRK and Iran (countermeasures), Myanmar (enhanced due
 *   diligence).
 * - Jurisdictions under Increased Monitoring: 22, Kuwait and Papua New Guinea added, none removed.
 * Sources: FATF, "Outcomes FATF Plenary, 11-13 February 2026"; as relayed by the New Zealand Department of Internal
 * Affairs, https://www.dia.govt.nz/AML-CFT-Jurisdictions-under-Increased-Monitoring---February-2026 (17 Feb 2026),
 * and the list as published e.g. at https://citadel365.com/blogs/fatf-update-february-2026-kuwait-and-papua-new-guinea-added-to-the-fatf-grey-list
 */
export const FATF_2026_02: CountryRiskTableData = {
  id: 'fatf-2026-02',
  name: 'FATF public lists, February 2026',
  asOf: '2026-02-13',
  source: 'FATF High-Risk Jurisdictions subject to a Call for Action and Jurisdictions under Increased Monitoring, 13 February 2026 (https://www.fatf-gafi.org/en/countries/black-and-grey-lists.html)',
  defaultScore: 0,
  entries: [
    ...([['KP', 'countermeasures'], ['IR', 'countermeasures'], ['MM', 'enhanced due diligence']] as const).map(([c, why]) => ({
      country: Number(countries.alpha2ToNumeric(c)), score: CALL_FOR_ACTION_SCORE, label: `FATF call for action (${why})`,
    })),
    ...['DZ', 'AO', 'BO', 'BG', 'CM', 'CI', 'CD', 'HT', 'KE', 'KW', 'LA', 'LB', 'MC', 'NA', 'NP', 'PG', 'SS', 'SY', 'VE', 'VN', 'VG', 'YE'].map((c) => ({
      country: Number(countries.alpha2ToNumeric(c)), score: INCREASED_MONITORING_SCORE, label: 'FATF increased monitoring',
    })),
  ].sort((a, b) => a.country - b.country),
};
