/**
 * The two European lists, implemented from their published format descriptions (no real file of either is in the
 * shared snapshot, so both are tested on fixtures written to those descriptions only):
 *
 * - EU Financial Sanctions Files, XML 1.1 (`xmlFullSanctionsList_1_1`): `<export generationDate>` holding
 *   `<sanctionEntity logicalId euReferenceNumber>` with `<subjectType code="person|enterprise">`, attribute-only
 *   `<nameAlias wholeName firstName middleName lastName strong>`, `<citizenship countryIso2Code>`,
 *   `<birthdate birthdate year circa>`, `<identification identificationTypeCode number countryIso2Code>`,
 *   `<address countryIso2Code>`, `<regulation programme>`. Country code `00` means unknown.
 * - UK consolidated list CSV (OFSI `ConList.csv` layout, which the FCDO UK Sanctions List CSV keeps in spirit): a
 *   "Last Updated" line, then a header; one row per name, rows of one target sharing a `Group ID` (`Unique ID`);
 *   `Name 6` is the family or entity name, `Name 1`..`Name 5` the others; `Alias Type` / `Name type` and
 *   `Alias Quality` / `Alias strength`; `DOB` as dd/mm/yyyy with `00` for unknown parts.
 */
import { countryCode, countryCodes } from '../countries.js';
import { ListFormatError } from '../errors.js';
import { child, children, decodeText, parseCsv, parseXml, squash, type XmlNode } from '../formats.js';
import { normalizeIdentifier, type Entity, type EntityName, type Identifier, type IdentifierType, type NameKind, type Schema } from '../model.js';
import { compact, pushUnique, type ListImporter, type ParsedList } from './importer.js';
import { dedupeNames } from './ofac.js';

const attr = (n: XmlNode, name: string) => {
  const v = n.attributes[name]?.trim();
  return v ? squash(v) : undefined;
};
const iso = (code: string | undefined) => (code && code !== '00' ? countryCode(code.toUpperCase()) : undefined);

function euIdType(code: string | undefined): IdentifierType {
  const c = (code ?? '').toLowerCase();
  if (c.includes('passport')) return 'passport';
  if (c === 'id' || c.includes('identity') || c === 'nationalid') return 'national-id';
  if (c.includes('fiscal') || c.includes('tax')) return 'tax-id';
  if (c.includes('regnumber') || c.includes('registration') || c.includes('swift')) return 'registration';
  if (c.includes('imo')) return 'imo';
  return 'other';
}

function euEntity(file: string, n: XmlNode): Entity {
  const logicalId = attr(n, 'logicalId');
  if (!logicalId) throw new ListFormatError(file, 'sanctionEntity without logicalId', { line: n.line, element: 'sanctionEntity' });
  const code = attr(child(n, 'subjectType') ?? n, 'code')?.toLowerCase();
  const schema: Schema = code === 'person' ? 'Person' : code === 'enterprise' ? 'Organization' : 'LegalEntity';
  const names: EntityName[] = [];
  for (const a of children(n, 'nameAlias')) {
    const whole = attr(a, 'wholeName') ?? [attr(a, 'firstName'), attr(a, 'middleName'), attr(a, 'lastName')].filter(Boolean).join(' ');
    if (!whole) continue;
    const family = attr(a, 'lastName');
    names.push({ full: whole, kind: names.length ? 'aka' : 'primary', quality: attr(a, 'strong') === 'false' ? 'weak' : 'strong', ...(schema === 'Person' && family ? { family } : {}) });
  }
  if (!names.length) throw new ListFormatError(file, `sanctionEntity ${logicalId} has no nameAlias with a name`, { line: n.line, element: 'sanctionEntity/nameAlias' });
  const birthDates: string[] = [];
  for (const b of children(n, 'birthdate')) pushUnique(birthDates, attr(b, 'birthdate') ?? attr(b, 'year'));
  const identifiers: Identifier[] = [];
  for (const i of children(n, 'identification')) {
    const number = attr(i, 'number') ?? attr(i, 'latinNumber');
    if (!number) continue;
    const type = euIdType(attr(i, 'identificationTypeCode'));
    const country = iso(attr(i, 'countryIso2Code'));
    identifiers.push({ type, value: normalizeIdentifier(type, number), ...(country ? { country } : {}), label: attr(i, 'identificationTypeDescription') ?? attr(i, 'identificationTypeCode') ?? 'identification' });
  }
  const countries: string[] = [];
  for (const a of children(n, 'address')) pushUnique(countries, iso(attr(a, 'countryIso2Code')));
  const nationalities: string[] = [];
  for (const c of children(n, 'citizenship')) pushUnique(nationalities, iso(attr(c, 'countryIso2Code')));
  const programs: string[] = [];
  for (const r of children(n, 'regulation')) pushUnique(programs, attr(r, 'programme'));
  const remark = child(n, 'remark')?.text;
  return compact({
    id: `eu-fsf:${logicalId}`,
    source: 'eu-fsf',
    schema,
    names: dedupeNames(names),
    birthDates,
    nationalities,
    countries,
    identifiers,
    programs,
    details: compact({ euReferenceNumber: attr(n, 'euReferenceNumber') ?? '', unitedNationId: attr(n, 'unitedNationId') ?? '', remark: remark ? squash(remark) : '' }),
    listedOn: attr(n, 'designationDate'),
  }) as Entity;
}

export const euFsfImporter: ListImporter = {
  source: 'eu-fsf',
  title: 'EU Financial Sanctions Files (XML 1.1)',
  files: [{ role: 'xml', required: true, pattern: /\.xml$/i, description: 'the EU full sanctions list XML' }],
  parse(files): ParsedList {
    const file = files.xml;
    const root = parseXml(file.name, decodeText(file.name, file.data));
    if (root.name !== 'export') throw new ListFormatError(file.name, `root element is <${root.name}>, expected <export>`, { line: root.line, element: root.name });
    const seen = new Set<string>();
    const entities: Entity[] = [];
    for (const n of children(root, 'sanctionEntity')) {
      const e = euEntity(file.name, n);
      if (seen.has(e.id)) throw new ListFormatError(file.name, `logicalId ${e.id} appears twice`, { line: n.line, element: 'sanctionEntity' });
      seen.add(e.id);
      entities.push(e);
    }
    const generated = attr(root, 'generationDate');
    return { entities, warnings: [], ...(generated ? { publishedAt: generated } : {}) };
  },
};

/** Header names of the UK CSV, each with the synonyms of the FCDO layout. */
const UK_COLUMNS = {
  group: ['group id', 'unique id'],
  type: ['group type', 'entity type', 'designation type', 'individual, entity, ship'],
  aliasType: ['alias type', 'name type'],
  quality: ['alias quality', 'alias strength'],
  nonLatin: ['name non-latin script'],
  dob: ['dob', 'd.o.b', 'date of birth'],
  nationality: ['nationality', 'nationality(/ies)'],
  passport: ['passport number'],
  nationalId: ['national identification number', 'national identifier number'],
  country: ['country'],
  regime: ['regime', 'regime name'],
  listedOn: ['listed on', 'date designated'],
  position: ['position'],
  imo: ['imo number', 'ship imo number'],
} as const;

/** `dd/mm/yyyy` with 00 for unknown parts -> `yyyy-mm-dd`, `yyyy-mm` or `yyyy`. */
function ukDate(text: string): string | undefined {
  const m = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(text.trim());
  if (!m) return /^\d{4}$/.test(text.trim()) ? text.trim() : undefined;
  if (m[2] === '00') return m[3];
  if (m[1] === '00') return `${m[3]}-${m[2]}`;
  return `${m[3]}-${m[2]}-${m[1]}`;
}

export const ukConsolidatedImporter: ListImporter = {
  source: 'uk-sanctions',
  title: 'UK consolidated sanctions list (OFSI / FCDO CSV)',
  files: [{ role: 'csv', required: true, pattern: /\.csv$/i, description: 'the UK consolidated list CSV' }],
  parse(files): ParsedList {
    const file = files.csv;
    const rows = parseCsv(file.name, decodeText(file.name, file.data));
    let publishedAt: string | undefined;
    const headerAt = rows.findIndex((r) => r.fields.some((f) => /^name 6$/i.test(f.trim())));
    if (headerAt < 0) throw new ListFormatError(file.name, 'no header row with a "Name 6" column');
    for (const r of rows.slice(0, headerAt)) if (/^last updated$/i.test(r.fields[0]?.trim() ?? '')) publishedAt = ukDate(r.fields[1] ?? '');
    const header = rows[headerAt];
    const index = new Map(header.fields.map((h, i) => [h.trim().toLowerCase(), i]));
    const col = (key: keyof typeof UK_COLUMNS) => UK_COLUMNS[key].map((k) => index.get(k)).find((i) => i !== undefined);
    const name = (k: number) => index.get(`name ${k}`);
    if (col('group') === undefined) throw new ListFormatError(file.name, 'header has no "Group ID" (or "Unique ID") column', { line: header.line });
    interface Draft { schema: Schema; names: EntityName[]; dobs: string[]; nats: string[]; countries: string[]; ids: Identifier[]; programs: string[]; listedOn?: string; position?: string }
    const drafts = new Map<string, Draft>();
    for (const row of rows.slice(headerAt + 1)) {
      const get = (i: number | undefined) => (i === undefined ? '' : squash(row.fields[i] ?? ''));
      const group = get(col('group'));
      if (!group) throw new ListFormatError(file.name, 'Group ID is empty', { line: row.line, element: 'Group ID' });
      const typeText = get(col('type')).toLowerCase();
      const schema: Schema = typeText.startsWith('individual') ? 'Person' : typeText.startsWith('entity') ? 'Organization' : typeText.startsWith('ship') ? 'Vessel' : 'LegalEntity';
      const d = drafts.get(group) ?? { schema, names: [], dobs: [], nats: [], countries: [], ids: [], programs: [] };
      drafts.set(group, d);
      const family = get(name(6));
      const given = [1, 2, 3, 4, 5].map((k) => get(name(k))).filter(Boolean);
      const full = schema === 'Person' ? [...given, family].filter(Boolean).join(' ') : family || given.join(' ');
      if (!full) throw new ListFormatError(file.name, 'no name in Name 1..Name 6', { line: row.line, element: 'Name 6' });
      const aliasType = get(col('aliasType')).toLowerCase();
      const kind: NameKind = aliasType.startsWith('primary') ? (d.names.some((x) => x.kind === 'primary') ? 'aka' : 'primary') : aliasType.includes('fka') || aliasType.includes('formerly') ? 'fka' : 'aka';
      d.names.push({ full, kind, quality: get(col('quality')).toLowerCase() === 'low' ? 'weak' : 'strong', ...(schema === 'Person' && family && given.length ? { family } : {}) });
      const nonLatin = get(col('nonLatin'));
      if (nonLatin) d.names.push({ full: nonLatin, kind: 'aka', quality: 'strong', script: 'original' });
      pushUnique(d.dobs, ukDate(get(col('dob'))));
      for (const n of countryCodes(get(col('nationality')).split(/[,;]\s*|\(\d+\)\s*/))) pushUnique(d.nats, n);
      pushUnique(d.countries, countryCode(get(col('country'))));
      pushUnique(d.programs, get(col('regime')) || undefined);
      d.listedOn ??= ukDate(get(col('listedOn')));
      d.position ??= get(col('position')) || undefined;
      const addId = (type: IdentifierType, text: string, label: string) => {
        for (const v of text.split(/\s*\(\d+\)\s*|;\s*/).map((x) => x.trim()).filter(Boolean)) {
          const value = normalizeIdentifier(type, v);
          if (!d.ids.some((i) => i.type === type && i.value === value)) d.ids.push({ type, value, label });
        }
      };
      addId('passport', get(col('passport')), 'Passport Number');
      addId('national-id', get(col('nationalId')), 'National Identification Number');
      addId('imo', get(col('imo')), 'IMO number');
    }
    const entities = [...drafts].map(([group, d]) => compact({
      id: `uk-sanctions:${group}`,
      source: 'uk-sanctions',
      schema: d.schema,
      names: dedupeNames(d.names),
      birthDates: d.dobs,
      nationalities: d.nats,
      countries: d.countries,
      identifiers: d.ids,
      programs: d.programs,
      listedOn: d.listedOn,
      details: d.position ? { position: d.position } : {},
    }) as Entity);
    return { entities, warnings: [], ...(publishedAt ? { publishedAt } : {}) };
  },
};
