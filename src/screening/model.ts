/**
 * The common entity model every importer produces and the matcher reads. Names of schemas follow FollowTheMoney
 * (Person, Organization, Company, LegalEntity, Vessel, Aircraft) so labelled pairs and exports from other tools line
 * up without a mapping table.
 */

export const SCHEMAS = ['Person', 'Organization', 'Company', 'LegalEntity', 'Vessel', 'Aircraft'] as const;
export type Schema = (typeof SCHEMAS)[number];

/** How a list presents a name: the primary name, a strong alias (a.k.a., f.k.a., n.k.a.) or a weak / low-quality one. */
export type NameKind = 'primary' | 'aka' | 'fka' | 'nka';
export type NameQuality = 'strong' | 'weak';

export interface EntityName {
  /** The name as the list writes it (OFAC's "LAST, First" kept as is: the comma marks the family name). */
  readonly full: string;
  readonly kind: NameKind;
  readonly quality: NameQuality;
  /** Name parts in the list's order, where the list gives them (UN FIRST_NAME..FOURTH_NAME). */
  readonly parts?: readonly string[];
  /** The family name where the source says which part it is (OFAC's capitalised part before the comma). */
  readonly family?: string;
  /** `original` for a name in its original script as the list gives it (UN NAME_ORIGINAL_SCRIPT). */
  readonly script?: 'original';
}

export type IdentifierType =
  | 'passport'
  | 'national-id'
  | 'tax-id'
  | 'registration'
  | 'imo'
  | 'mmsi'
  | 'aircraft'
  | 'crypto'
  | 'other';

export interface Identifier {
  readonly type: IdentifierType;
  /** Normalised for exact comparison: see `normalizeIdentifier`. */
  readonly value: string;
  /** ISO 3166-1 alpha-2 of the issuing country, when the list says. */
  readonly country?: string;
  /** The list's own label ("Cedula No.", "Digital Currency Address - XBT"), for explanations. */
  readonly label?: string;
}

/**
 * A listed person, organisation, vessel or aircraft. Dates are ISO strings: a birth date is `YYYY`, `YYYY-MM`,
 * `YYYY-MM-DD` or a year range `YYYY/YYYY`. Countries are ISO 3166-1 alpha-2 codes (`XX` never appears: an
 * unresolved country name is left out and kept in `details`).
 */
export interface Entity {
  /** Unique within its list version and stable across versions of the same source: `<source>:<the list's own id>`. */
  readonly id: string;
  readonly source: string;
  readonly schema: Schema;
  readonly names: readonly EntityName[];
  readonly birthDates: readonly string[];
  readonly nationalities: readonly string[];
  /** Countries of addresses, of registration, or a vessel's flag. */
  readonly countries: readonly string[];
  readonly identifiers: readonly Identifier[];
  /** Sanctions programmes / regimes, or for a PEP the position held. */
  readonly programs: readonly string[];
  readonly gender?: 'male' | 'female';
  readonly listedOn?: string;
  /** Everything else worth showing an analyst (title, places of birth, addresses, remarks), as short strings. */
  readonly details?: Readonly<Record<string, string>>;
}

/** What a caller screens: a holder profile or a search query. Only `names` is required. */
export interface Query {
  readonly names: readonly string[];
  readonly schema?: Schema;
  readonly birthDates?: readonly string[];
  readonly nationalities?: readonly string[];
  readonly countries?: readonly string[];
  readonly identifiers?: readonly Identifier[];
}

/** Which schemas can describe the same thing: LegalEntity is the parent of Person, Organization and Company. */
export function schemasCompatible(a: Schema | undefined, b: Schema | undefined): boolean {
  if (!a || !b || a === b) return true;
  const kind = (s: Schema) => (s === 'Company' || s === 'Organization' ? 'org' : s);
  if (a === 'LegalEntity') return b !== 'Vessel' && b !== 'Aircraft';
  if (b === 'LegalEntity') return a !== 'Vessel' && a !== 'Aircraft';
  return kind(a) === kind(b);
}

/** Parses a FollowTheMoney schema name, case-insensitively; undefined for anything else. */
export function parseSchema(value: string | undefined): Schema | undefined {
  if (!value) return undefined;
  const v = value.trim().toLowerCase();
  return SCHEMAS.find((s) => s.toLowerCase() === v);
}

/** True when the name of a schema describes a person (the matcher's person rules apply). */
export const isPersonSchema = (s: Schema | undefined) => s === 'Person';
/** Organisations, companies and legal entities get the legal-form rules. */
export const isOrgSchema = (s: Schema | undefined) => s === 'Organization' || s === 'Company' || s === 'LegalEntity';

/**
 * Identifier values compare after removing spaces, dashes, dots and slashes and upper-casing, except crypto addresses:
 * base58 and bech32 are case-sensitive (only 0x-hex addresses are lower-cased).
 */
export function normalizeIdentifier(type: IdentifierType, value: string): string {
  const v = value.trim();
  if (type === 'crypto') return /^0x[0-9a-f]{40}$/i.test(v) ? v.toLowerCase() : v;
  return v.toUpperCase().replace(/[\s\-./]/g, '');
}
