/**
 * OFAC SDN list, legacy CSV release: SDN.CSV (entries), ALT.CSV (strong aliases), ADD.CSV (addresses),
 * SDN_COMMENTS.CSV (remarks longer than 1,000 characters continue there). No header; `-0- ` (with a trailing space)
 * is null; files may end without a newline or with a DOS end-of-file byte; every record has a fixed column count.
 */
import { countryCode, countryCodes } from '../countries.js';
import { ListFormatError } from '../errors.js';
import { decodeText, parseCsv, type CsvRow } from '../formats.js';
import type { Entity, EntityName, Identifier, NameKind, Schema } from '../model.js';
import { compact, pushUnique, type ListFile, type ListImporter, type ParsedList } from './importer.js';
import { parseRemarks } from './ofac-remarks.js';

const SOURCE = 'ofac-sdn';
const NULL = '-0-';
const value = (v: string | undefined) => {
  const t = v?.trim();
  return !t || t === NULL ? undefined : t;
};

function rows(file: ListFile, columns: number): CsvRow[] {
  return parseCsv(file.name, decodeText(file.name, file.data), { columns });
}

function entNum(file: ListFile, row: CsvRow, column = 0): string {
  const v = row.fields[column]?.trim();
  if (!v || !/^\d+$/.test(v)) throw new ListFormatError(file.name, `ent_num "${v ?? ''}" is not a number`, { line: row.line, element: 'ent_num' });
  return v;
}

const SDN_TYPES: Record<string, Schema> = { individual: 'Person', vessel: 'Vessel', aircraft: 'Aircraft' };

/** OFAC writes an individual "LAST, First Middle"; the family name is the part before the first comma. */
function ofacName(full: string, kind: NameKind, quality: 'strong' | 'weak', person: boolean): EntityName {
  const comma = full.indexOf(',');
  if (person && comma > 0) return { full, kind, quality, family: full.slice(0, comma).trim() };
  return { full, kind, quality };
}

export const ofacSdnImporter: ListImporter = {
  source: SOURCE,
  title: 'OFAC SDN list (legacy CSV)',
  files: [
    { role: 'sdn', required: true, pattern: /^sdn\.csv$/i, description: 'SDN.CSV (entries)' },
    { role: 'alt', required: false, pattern: /^alt\.csv$/i, description: 'ALT.CSV (aliases)' },
    { role: 'add', required: false, pattern: /^add\.csv$/i, description: 'ADD.CSV (addresses)' },
    { role: 'comments', required: false, pattern: /^sdn_comments\.csv$/i, description: 'SDN_COMMENTS.CSV (remarks overflow)' },
  ],
  parse(files): ParsedList {
    const warnings: string[] = [];
    interface Draft { row: CsvRow; names: EntityName[]; remarks: string; countries: string[]; addresses: string[]; schema: Schema }
    const drafts = new Map<string, Draft>();
    const sdn = files.sdn;
    for (const row of rows(sdn, 12)) {
      const id = entNum(sdn, row);
      if (drafts.has(id)) throw new ListFormatError(sdn.name, `ent_num ${id} appears twice`, { line: row.line, element: 'ent_num' });
      const name = value(row.fields[1]);
      if (!name) throw new ListFormatError(sdn.name, 'SDN_Name is empty', { line: row.line, element: 'SDN_Name' });
      const type = value(row.fields[2])?.toLowerCase();
      const schema: Schema | undefined = type === undefined ? 'Organization' : SDN_TYPES[type];
      if (!schema) throw new ListFormatError(sdn.name, `unknown SDN_Type "${row.fields[2]}"`, { line: row.line, element: 'SDN_Type' });
      drafts.set(id, { row, names: [ofacName(name, 'primary', 'strong', schema === 'Person')], remarks: value(row.fields[11]) ?? '', countries: [], addresses: [], schema });
    }
    if (files.alt) {
      for (const row of rows(files.alt, 5)) {
        const d = drafts.get(entNum(files.alt, row));
        const name = value(row.fields[3]);
        if (!d) throw new ListFormatError(files.alt.name, `ent_num ${row.fields[0]} is not in ${sdn.name}`, { line: row.line, element: 'ent_num' });
        if (!name) throw new ListFormatError(files.alt.name, 'alt_name is empty', { line: row.line, element: 'alt_name' });
        const kind = (value(row.fields[2])?.toLowerCase() ?? 'aka') as NameKind;
        if (!['aka', 'fka', 'nka'].includes(kind)) throw new ListFormatError(files.alt.name, `unknown alt_type "${row.fields[2]}"`, { line: row.line, element: 'alt_type' });
        d.names.push(ofacName(name, kind, 'strong', d.schema === 'Person'));
      }
    }
    if (files.add) {
      for (const row of rows(files.add, 6)) {
        const d = drafts.get(entNum(files.add, row));
        if (!d) throw new ListFormatError(files.add.name, `ent_num ${row.fields[0]} is not in ${sdn.name}`, { line: row.line, element: 'ent_num' });
        const parts = [row.fields[2], row.fields[3], row.fields[4]].map(value).filter((x): x is string => !!x);
        if (parts.length) d.addresses.push(parts.join(', '));
        pushUnique(d.countries, countryCode(value(row.fields[4])));
      }
    }
    if (files.comments) {
      // The comments file may come from a later release than SDN.CSV: rows without a parent are skipped, not fatal.
      let orphans = 0;
      for (const row of rows(files.comments, 2)) {
        const d = drafts.get(entNum(files.comments, row));
        const text = value(row.fields[1]);
        if (!d) orphans++;
        else if (text) d.remarks += text; // the continuation starts mid-word: concatenate without a separator
      }
      if (orphans) warnings.push(`${files.comments.name}: ${orphans} remark continuation(s) for entries not in ${sdn.name} skipped`);
    }
    const entities: Entity[] = [];
    for (const [id, d] of drafts) {
      const f = d.row.fields;
      const r = parseRemarks(d.remarks);
      for (const alias of r.weakAliases) d.names.push(ofacName(alias.name, alias.kind, 'weak', d.schema === 'Person'));
      const identifiers: Identifier[] = [...r.identifiers];
      const flag = countryCode(value(f[9]));
      const details: Record<string, string> = {};
      const put = (k: string, v: string | undefined) => {
        if (v) details[k] = v;
      };
      put('title', value(f[4]));
      put('callSign', value(f[5]));
      put('vesselType', value(f[6]));
      put('tonnage', value(f[7]));
      put('grossRegisteredTonnage', value(f[8]));
      put('vesselFlag', value(f[9]));
      put('vesselOwner', value(f[10]));
      put('placeOfBirth', r.birthPlaces.join('; '));
      put('addresses', d.addresses.join('; '));
      put('linkedTo', r.linkedTo.join('; '));
      put('remarks', d.remarks);
      const countries = [...d.countries];
      pushUnique(countries, flag);
      entities.push(compact({
        id: `${SOURCE}:${id}`,
        source: SOURCE,
        schema: d.schema,
        names: dedupeNames(d.names),
        birthDates: [...new Set(r.birthDates)],
        nationalities: countryCodes(r.nationalities),
        countries,
        identifiers,
        programs: (value(f[3]) ?? '').split(/\]\s*\[/).map((p) => p.replace(/[[\]]/g, '').trim()).filter(Boolean),
        gender: r.gender,
        details,
      }));
    }
    return { entities, warnings };
  },
};

/** The same name twice (OFAC repeats some aliases) is kept once, the strongest kind first. */
export function dedupeNames(names: readonly EntityName[]): EntityName[] {
  const seen = new Set<string>();
  return names.filter((n) => {
    const k = n.full.toLowerCase().replace(/\s+/g, ' ').trim();
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}
