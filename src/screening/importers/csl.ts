/**
 * US Consolidated Screening List (CSV with a header, RFC 4180, UTF-8). Multi-valued fields are `; `-separated; some
 * Entity List alternate names are prose (`...; and Shijiazhuang ...`), so a leading "and " is dropped; a Windows-1252
 * apostrophe decoded as Latin-1 (U+0092) is mapped back to an apostrophe; ids are `country, number, type` or
 * `number, type`.
 */
import { countryCode, countryCodes } from '../countries.js';
import { ListFormatError } from '../errors.js';
import { decodeText, parseCsv } from '../formats.js';
import type { Entity, EntityName, Identifier, Schema } from '../model.js';
import { sha256Hex } from '../version.js';
import { compact, pushUnique, type ListImporter, type ParsedList } from './importer.js';
import { dedupeNames } from './ofac.js';
import { parseIdentifierItem, parseOfacDate } from './ofac-remarks.js';

const SOURCE = 'us-csl';
const REQUIRED = ['source', 'name'] as const;
const TYPES: Record<string, Schema> = { individual: 'Person', entity: 'Organization', vessel: 'Vessel', aircraft: 'Aircraft' };

const clean = (s: string) => s.replace(/\u0092/g, "'").replace(/\s+/g, ' ').trim();
const multi = (s: string | undefined) => (s ? s.split(/;\s*/).map(clean).filter(Boolean) : []);

/** The list's acronym from `Specially Designated Nationals (SDN) - Treasury Department`, else a slug. */
function listCode(source: string): string {
  const m = /\(([A-Z0-9]+)\)/.exec(source);
  return (m ? m[1] : source.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 24)).toLowerCase();
}

function parseIds(text: string | undefined): Identifier[] {
  const out: Identifier[] = [];
  for (const item of multi(text)) {
    const parts = item.split(/,\s*/);
    if (parts.length < 2) continue;
    const label = parts[parts.length - 1];
    const number = parts[parts.length - 2];
    const country = parts.length >= 3 ? countryCode(parts[parts.length - 3]) : undefined;
    const id = parseIdentifierItem(`${label} ${number}`);
    if (id) out.push(country && !id.country ? { ...id, country } : id);
  }
  return out;
}

export const cslImporter: ListImporter = {
  source: SOURCE,
  title: 'US Consolidated Screening List (CSV)',
  files: [{ role: 'csv', required: true, pattern: /\.csv$/i, description: 'the consolidated screening list CSV' }],
  parse(files): ParsedList {
    const file = files.csv;
    const [header, ...body] = parseCsv(file.name, decodeText(file.name, file.data));
    if (!header) throw new ListFormatError(file.name, 'empty file');
    const col = new Map(header.fields.map((h, i) => [h.trim().toLowerCase(), i]));
    for (const r of REQUIRED) if (!col.has(r)) throw new ListFormatError(file.name, `header has no "${r}" column`, { line: header.line, element: r });
    const warnings: string[] = [];
    const entities = new Map<string, Entity>();
    for (const row of body) {
      const get = (name: string) => {
        const i = col.get(name);
        return i === undefined ? '' : clean(row.fields[i] ?? '');
      };
      if (row.fields.length !== header.fields.length) {
        throw new ListFormatError(file.name, `expected ${header.fields.length} fields, found ${row.fields.length}`, { line: row.line });
      }
      const name = get('name');
      const list = get('source');
      if (!name) throw new ListFormatError(file.name, 'name is empty', { line: row.line, element: 'name' });
      if (!list) throw new ListFormatError(file.name, 'source is empty', { line: row.line, element: 'source' });
      const typeText = get('type').toLowerCase();
      const schema: Schema | undefined = typeText ? TYPES[typeText] : 'LegalEntity';
      if (!schema) throw new ListFormatError(file.name, `unknown type "${get('type')}"`, { line: row.line, element: 'type' });
      const number = get('entity_number');
      const id = `${SOURCE}:${listCode(list)}:${number || sha256Hex(`${name}\n${get('addresses')}\n${get('start_date')}`).slice(0, 16)}`;
      if (entities.has(id)) {
        warnings.push(`${file.name}:${row.line}: duplicate of ${id}, skipped`);
        continue;
      }
      const names: EntityName[] = [{ full: name, kind: 'primary', quality: 'strong' }];
      for (const alt of multi(get('alt_names'))) names.push({ full: alt.replace(/^and\s+/i, '').replace(/\.$/, ''), kind: 'aka', quality: 'strong' });
      const countries: string[] = [];
      for (const address of multi(get('addresses'))) pushUnique(countries, countryCode(address.split(/,\s*/).pop()));
      pushUnique(countries, countryCode(get('vessel_flag')));
      const details: Record<string, string> = {};
      for (const k of ['title', 'addresses', 'places_of_birth', 'remarks', 'federal_register_notice', 'vessel_type', 'call_sign', 'vessel_owner', 'start_date', 'end_date']) {
        const v = get(k);
        if (v) details[k.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase())] = v;
      }
      details.list = list;
      entities.set(id, compact({
        id,
        source: SOURCE,
        schema,
        names: dedupeNames(names),
        birthDates: multi(get('dates_of_birth')).map(parseOfacDate).filter((d): d is string => !!d),
        nationalities: countryCodes([...multi(get('nationalities')), ...multi(get('citizenships'))]),
        countries,
        identifiers: parseIds(get('ids')),
        programs: multi(get('programs')),
        listedOn: get('start_date') || undefined,
        details,
      }));
    }
    return { entities: [...entities.values()], warnings };
  },
};
