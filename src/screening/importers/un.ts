/**
 * UN Security Council Consolidated List (XML, schema sc-sanctions.xsd): `<CONSOLIDATED_LIST dateGenerated=...>` with
 * `<INDIVIDUALS>` and `<ENTITIES>`. Empty placeholder elements (`<ALIAS_NAME/>`, `<COUNTRY/>`) count as absent; free
 * text is squashed (a document type broken over two lines, trailing spaces).
 */
import { countryCode, countryCodes } from '../countries.js';
import { ListFormatError } from '../errors.js';
import { child, childText, children, decodeText, parseXml, squash, type XmlNode } from '../formats.js';
import { normalizeIdentifier, type Entity, type EntityName, type Identifier, type IdentifierType } from '../model.js';
import { compact, pushUnique, type ListImporter, type ParsedList } from './importer.js';
import { dedupeNames } from './ofac.js';

const SOURCE = 'un-sc';

function values(node: XmlNode, name: string): string[] {
  const c = child(node, name);
  return c ? children(c, 'VALUE').map((v) => squash(v.text)).filter(Boolean) : [];
}

function documentType(text: string): IdentifierType {
  const t = text.toLowerCase();
  if (/pass(port|eport)|pasaporte/.test(t)) return 'passport';
  if (/identi|national|\bid\b|c[eé]dula/.test(t)) return 'national-id';
  if (/tax/.test(t)) return 'tax-id';
  return 'other';
}

/** `<INDIVIDUAL_DATE_OF_BIRTH>`: EXACT / APPROXIMATELY with DATE or YEAR, BETWEEN with FROM_YEAR / TO_YEAR. */
function birthDate(node: XmlNode): string | undefined {
  const date = childText(node, 'DATE');
  if (date && /^\d{4}(-\d{2}(-\d{2})?)?$/.test(date)) return date;
  const year = childText(node, 'YEAR');
  if (year && /^\d{4}$/.test(year)) return year;
  const from = childText(node, 'FROM_YEAR');
  const to = childText(node, 'TO_YEAR');
  if (from && to && /^\d{4}$/.test(from) && /^\d{4}$/.test(to)) return `${from}/${to}`;
  return undefined;
}

function record(file: string, node: XmlNode, individual: boolean): Entity {
  const path = `${individual ? 'INDIVIDUAL' : 'ENTITY'}`;
  const ref = childText(node, 'REFERENCE_NUMBER') ?? childText(node, 'DATAID');
  if (!ref) throw new ListFormatError(file, 'no REFERENCE_NUMBER nor DATAID', { line: node.line, element: path });
  const parts = ['FIRST_NAME', 'SECOND_NAME', 'THIRD_NAME', 'FOURTH_NAME'].map((n) => childText(node, n)).filter((x): x is string => !!x).map(squash);
  if (!parts.length) throw new ListFormatError(file, `${ref} has no FIRST_NAME`, { line: node.line, element: `${path}/FIRST_NAME` });
  const names: EntityName[] = [{ full: parts.join(' '), kind: 'primary', quality: 'strong', ...(individual && parts.length > 1 ? { parts } : {}) }];
  const original = childText(node, 'NAME_ORIGINAL_SCRIPT');
  if (original) names.push({ full: squash(original), kind: 'primary', quality: 'strong', script: 'original' });
  for (const alias of children(node, individual ? 'INDIVIDUAL_ALIAS' : 'ENTITY_ALIAS')) {
    const name = childText(alias, 'ALIAS_NAME');
    if (!name) continue;
    const quality = (childText(alias, 'QUALITY') ?? '').toLowerCase();
    names.push({ full: squash(name), kind: quality === 'f.k.a.' ? 'fka' : 'aka', quality: quality === 'low' ? 'weak' : 'strong' });
  }
  const birthDates: string[] = [];
  for (const d of children(node, 'INDIVIDUAL_DATE_OF_BIRTH')) pushUnique(birthDates, birthDate(d));
  const countries: string[] = [];
  const addresses: string[] = [];
  for (const a of children(node, individual ? 'INDIVIDUAL_ADDRESS' : 'ENTITY_ADDRESS')) {
    pushUnique(countries, countryCode(childText(a, 'COUNTRY')));
    const text = ['STREET', 'CITY', 'STATE_PROVINCE', 'ZIP_CODE', 'COUNTRY'].map((n) => childText(a, n)).filter(Boolean).join(', ');
    if (text) addresses.push(squash(text));
  }
  const identifiers: Identifier[] = [];
  for (const doc of children(node, 'INDIVIDUAL_DOCUMENT')) {
    const number = childText(doc, 'NUMBER');
    if (!number) continue;
    const label = squash(childText(doc, 'TYPE_OF_DOCUMENT') ?? childText(doc, 'TYPE_OF_DOCUMENT2') ?? 'document');
    const type = documentType(label);
    const country = countryCode(childText(doc, 'ISSUING_COUNTRY') ?? childText(doc, 'COUNTRY_OF_ISSUE'));
    identifiers.push({ type, value: normalizeIdentifier(type, squash(number)), ...(country ? { country } : {}), label });
  }
  const places = children(node, 'INDIVIDUAL_PLACE_OF_BIRTH')
    .map((p) => ['CITY', 'STATE_PROVINCE', 'COUNTRY'].map((n) => childText(p, n)).filter(Boolean).join(', '))
    .filter(Boolean);
  const gender = childText(node, 'GENDER')?.toLowerCase();
  const details: Record<string, string> = {};
  const put = (k: string, v: string | undefined) => {
    if (v) details[k] = v;
  };
  put('title', values(node, 'TITLE').join('; '));
  put('designation', values(node, 'DESIGNATION').join('; '));
  put('placeOfBirth', places.join('; '));
  put('addresses', addresses.join('; '));
  put('comments', childText(node, 'COMMENTS1') && squash(childText(node, 'COMMENTS1')!));
  return compact({
    id: `${SOURCE}:${ref}`,
    source: SOURCE,
    schema: individual ? 'Person' : 'Organization',
    names: dedupeNames(names),
    birthDates,
    nationalities: countryCodes(values(node, 'NATIONALITY')),
    countries,
    identifiers,
    programs: [childText(node, 'UN_LIST_TYPE')].filter((x): x is string => !!x),
    gender: gender === 'male' || gender === 'female' ? gender : undefined,
    listedOn: childText(node, 'LISTED_ON'),
    details,
  }) as Entity;
}

export const unConsolidatedImporter: ListImporter = {
  source: SOURCE,
  title: 'UN Security Council Consolidated List (XML)',
  files: [{ role: 'xml', required: true, pattern: /\.xml$/i, description: 'the consolidated list XML' }],
  parse(files): ParsedList {
    const file = files.xml;
    const root = parseXml(file.name, decodeText(file.name, file.data));
    if (root.name !== 'CONSOLIDATED_LIST') throw new ListFormatError(file.name, `root element is <${root.name}>, expected <CONSOLIDATED_LIST>`, { line: root.line, element: root.name });
    const individuals = child(root, 'INDIVIDUALS');
    const entitiesNode = child(root, 'ENTITIES');
    if (!individuals && !entitiesNode) throw new ListFormatError(file.name, 'neither <INDIVIDUALS> nor <ENTITIES>', { line: root.line, element: 'CONSOLIDATED_LIST' });
    const entities: Entity[] = [];
    const seen = new Map<string, number>();
    const add = (e: Entity, line: number) => {
      if (seen.has(e.id)) throw new ListFormatError(file.name, `${e.id} appears twice (first on line ${seen.get(e.id)})`, { line });
      seen.set(e.id, line);
      entities.push(e);
    };
    for (const n of individuals ? children(individuals, 'INDIVIDUAL') : []) add(record(file.name, n, true), n.line);
    for (const n of entitiesNode ? children(entitiesNode, 'ENTITY') : []) add(record(file.name, n, false), n.line);
    const generated = root.attributes.dateGenerated;
    return { entities, warnings: [], ...(generated ? { publishedAt: generated } : {}) };
  },
};
