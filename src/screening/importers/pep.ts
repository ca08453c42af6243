/**
 * Politically exposed persons. No official global PEP list exists, so Masque has its own format, `masque-pep/1`
 * (JSON lines, documented in the README), and a converter from the public-domain US Congress / executive YAML
 * (`legislators-current.yaml`, `executive.yaml`) into the same entities.
 */
import { parse as parseYaml } from 'yaml';
import { countryCode, countryCodes } from '../countries.js';
import { ListFormatError } from '../errors.js';
import { decodeText } from '../formats.js';
import type { Entity, EntityName } from '../model.js';
import { compact, pushUnique, type ListImporter, type ParsedList } from './importer.js';
import { dedupeNames } from './ofac.js';

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?$/;

/** One line of a masque-pep/1 file. */
export interface PepRecord {
  readonly id: string;
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly birthDate?: string;
  readonly country?: string;
  readonly nationalities?: readonly string[];
  readonly position?: string;
  readonly since?: string;
  readonly until?: string | null;
  readonly source?: string;
  readonly gender?: 'male' | 'female';
}

function pepEntity(source: string, r: PepRecord): Entity {
  const names: EntityName[] = [{ full: r.name, kind: 'primary', quality: 'strong' }, ...(r.aliases ?? []).map((a): EntityName => ({ full: a, kind: 'aka', quality: 'strong' }))];
  const details: Record<string, string> = {};
  if (r.since) details.since = r.since;
  if (r.until) details.until = r.until;
  if (r.source) details.source = r.source;
  const country = countryCode(r.country);
  return compact({
    id: `${source}:${r.id}`,
    source,
    schema: 'Person',
    names: dedupeNames(names),
    birthDates: r.birthDate ? [r.birthDate] : [],
    nationalities: countryCodes(r.nationalities ?? []),
    countries: country ? [country] : [],
    identifiers: [],
    programs: r.position ? [r.position] : [],
    gender: r.gender,
    details,
  }) as Entity;
}

const optionalString = (file: string, line: number, obj: Record<string, unknown>, key: string) => {
  const v = obj[key];
  if (v !== undefined && v !== null && typeof v !== 'string') throw new ListFormatError(file, `"${key}" must be a string`, { line, element: key });
};

/** masque-pep/1: an optional header line `{"format":"masque-pep/1","publishedAt":..}`, then one PepRecord per line. */
export const pepJsonlImporter: ListImporter = {
  source: 'masque-pep',
  title: 'Masque PEP list (masque-pep/1 JSON lines)',
  files: [{ role: 'jsonl', required: true, pattern: /\.(jsonl|ndjson|json)$/i, description: 'a masque-pep/1 JSON-lines file' }],
  parse(files): ParsedList {
    const file = files.jsonl;
    const lines = decodeText(file.name, file.data).split(/\r?\n/);
    const entities: Entity[] = [];
    const seen = new Set<string>();
    let publishedAt: string | undefined;
    lines.forEach((text, i) => {
      const line = i + 1;
      if (!text.trim()) return;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(text);
      } catch (e) {
        throw new ListFormatError(file.name, `not JSON: ${(e as Error).message}`, { line });
      }
      if (!obj || typeof obj !== 'object' || Array.isArray(obj)) throw new ListFormatError(file.name, 'a line must be a JSON object', { line });
      if ('format' in obj) {
        if (obj.format !== 'masque-pep/1') throw new ListFormatError(file.name, `unknown format "${String(obj.format)}"`, { line, element: 'format' });
        if (typeof obj.publishedAt === 'string') publishedAt = obj.publishedAt;
        return;
      }
      for (const k of ['id', 'name'] as const) {
        if (typeof obj[k] !== 'string' || !(obj[k] as string).trim()) throw new ListFormatError(file.name, `"${k}" must be a non-empty string`, { line, element: k });
      }
      for (const k of ['birthDate', 'country', 'position', 'since', 'until', 'source', 'gender']) optionalString(file.name, line, obj, k);
      for (const k of ['aliases', 'nationalities']) {
        const v = obj[k];
        if (v !== undefined && (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))) throw new ListFormatError(file.name, `"${k}" must be an array of strings`, { line, element: k });
      }
      for (const k of ['birthDate', 'since', 'until']) {
        const v = obj[k];
        if (typeof v === 'string' && !DATE.test(v)) throw new ListFormatError(file.name, `"${k}" must be YYYY, YYYY-MM or YYYY-MM-DD`, { line, element: k });
      }
      if (obj.gender !== undefined && obj.gender !== 'male' && obj.gender !== 'female') throw new ListFormatError(file.name, '"gender" must be "male" or "female"', { line, element: 'gender' });
      if (typeof obj.country === 'string' && !countryCode(obj.country)) throw new ListFormatError(file.name, `unknown country "${obj.country}"`, { line, element: 'country' });
      const r = obj as unknown as PepRecord;
      if (seen.has(r.id)) throw new ListFormatError(file.name, `id "${r.id}" appears twice`, { line, element: 'id' });
      seen.add(r.id);
      entities.push(pepEntity('masque-pep', r));
    });
    return { entities, warnings: [], ...(publishedAt ? { publishedAt } : {}) };
  },
};

interface YamlPerson {
  id?: { bioguide?: string; govtrack?: number; wikidata?: string };
  name?: { first?: string; middle?: string; last?: string; suffix?: string; nickname?: string; official_full?: string };
  other_names?: { first?: string; middle?: string; last?: string }[];
  bio?: { birthday?: string; gender?: string };
  terms?: { type?: string; start?: string; end?: string; state?: string; district?: number; party?: string }[];
}

const POSITIONS: Record<string, (t: { state?: string; district?: number }) => string> = {
  sen: (t) => `United States Senator (${t.state ?? '?'})`,
  rep: (t) => `Member of the United States House of Representatives (${t.state ?? '?'}${t.district !== undefined && t.district > 0 ? `-${t.district}` : ''})`,
  prez: () => 'President of the United States',
  viceprez: () => 'Vice President of the United States',
};

export interface CongressOptions {
  /** The day PEP status is judged on (YYYY-MM-DD); default today. */
  readonly asOf?: string;
  /** How long a person stays a PEP after the last term ended, in months (operator policy; default 18). */
  readonly monthsAfterOffice?: number;
}

function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

/** Converts the US Congress / executive YAML into PEP records: people in office on `asOf` or within the policy after. */
export function congressToPep(file: string, text: string, options: CongressOptions = {}): PepRecord[] {
  const asOf = options.asOf ?? new Date().toISOString().slice(0, 10);
  const months = options.monthsAfterOffice ?? 18;
  let doc: unknown;
  try {
    doc = parseYaml(text, { prettyErrors: true });
  } catch (e) {
    const err = e as Error & { linePos?: { line: number }[] };
    throw new ListFormatError(file, `YAML syntax: ${err.message.split('\n')[0]}`, { line: err.linePos?.[0]?.line });
  }
  if (!Array.isArray(doc)) throw new ListFormatError(file, 'expected a YAML sequence of people');
  const out: PepRecord[] = [];
  (doc as YamlPerson[]).forEach((p, i) => {
    const id = p?.id?.bioguide ?? (p?.id?.govtrack !== undefined ? `govtrack-${p.id.govtrack}` : undefined);
    const n = p?.name;
    if (!id || !n?.last) throw new ListFormatError(file, 'a person without id.bioguide / id.govtrack or name.last', { element: `[${i}]` });
    const terms = (p.terms ?? []).filter((t) => t.type && POSITIONS[t.type] && t.start);
    const current = terms.filter((t) => t.start! <= asOf && addMonths(t.end ?? '9999-12-31', months) >= asOf);
    if (!current.length) return;
    const last = current[current.length - 1];
    const full = n.official_full ?? [n.first, n.middle, n.last, n.suffix].filter(Boolean).join(' ');
    const aliases: string[] = [];
    pushUnique(aliases, [n.first, n.middle, n.last].filter(Boolean).join(' '));
    pushUnique(aliases, [n.first, n.last].filter(Boolean).join(' '));
    if (n.nickname) pushUnique(aliases, `${n.nickname} ${n.last}`);
    for (const o of p.other_names ?? []) pushUnique(aliases, [o.first ?? n.first, o.middle, o.last].filter(Boolean).join(' '));
    const gender = p.bio?.gender === 'F' ? 'female' : p.bio?.gender === 'M' ? 'male' : undefined;
    out.push({
      id,
      name: full,
      aliases: aliases.filter((a) => a !== full),
      ...(p.bio?.birthday ? { birthDate: p.bio.birthday } : {}),
      country: 'US',
      nationalities: ['US'],
      position: POSITIONS[last.type!](last),
      since: last.start,
      until: last.end ?? null,
      source: p.id?.wikidata ? `wikidata:${p.id.wikidata}` : `bioguide:${id}`,
      ...(gender ? { gender } : {}),
    });
  });
  return out;
}

/** The US Congress / executive YAML as a PEP list (source `us-congress-pep`); `asOf` decides who is a PEP. */
export function usCongressImporter(options: CongressOptions = {}): ListImporter {
  return {
    source: 'us-congress-pep',
    title: 'US Congress and executive (unitedstates/congress-legislators YAML)',
    files: [
      { role: 'legislators', required: false, pattern: /^legislators-.*\.ya?ml$/i, description: 'legislators-current.yaml' },
      { role: 'executive', required: false, pattern: /^executive\.ya?ml$/i, description: 'executive.yaml' },
    ],
    parse(files): ParsedList {
      if (!files.legislators && !files.executive) throw new ListFormatError('legislators', 'neither legislators-*.yaml nor executive.yaml given');
      const byId = new Map<string, PepRecord>();
      for (const f of [files.legislators, files.executive]) {
        if (!f) continue;
        // A president who sat in Congress appears in both files: the later file (executive) wins.
        for (const r of congressToPep(f.name, decodeText(f.name, f.data), options)) byId.set(r.id, r);
      }
      return { entities: [...byId.values()].map((r) => pepEntity('us-congress-pep', r)), warnings: [] };
    },
  };
}

/** Serialises PEP records as a masque-pep/1 file (header line first). */
export function toPepJsonl(records: readonly PepRecord[], publishedAt?: string): string {
  const header = JSON.stringify({ format: 'masque-pep/1', ...(publishedAt ? { publishedAt } : {}) });
  return [header, ...records.map((r) => JSON.stringify(r))].join('\n') + '\n';
}
