/**
 * OFAC's free-text remarks (`SDN.CSV` column 12, continued in `SDN_COMMENTS.CSV`; also the CSL's `ids`): items
 * separated by "; " such as `DOB 10 Dec 1948`, `alt. DOB circa 1951`, `POB Baghdad, Iraq`, `nationality Syria`,
 * `citizen Mexico`, `Gender Male`, `Passport A123 (Egypt) issued 28 Oct 2008 expires 29 Oct 2013`,
 * `Cedula No. 16247821 (Colombia)`, `Vessel Registration Identification IMO 9187629`,
 * `Digital Currency Address - XBT 149w62rY...`, weak aliases `a.k.a. 'NAME'`, `Linked To: NAME`.
 */
import { countryCode } from '../countries.js';
import { normalizeIdentifier, type Identifier, type IdentifierType, type NameKind } from '../model.js';

const MONTHS: Record<string, string> = {
  jan: '01', feb: '02', mar: '03', apr: '04', may: '05', jun: '06', jul: '07', aug: '08', sep: '09', oct: '10', nov: '11', dec: '12',
};

/**
 * `10 Dec 1948` -> `1948-12-10`, `Dec 1948` -> `1948-12`, `1948` / `circa 1948` -> `1948`, `1950 to 1952` (or two
 * full dates) -> `1950/1952`. Undefined for anything else.
 */
export function parseOfacDate(text: string): string | undefined {
  const t = text.trim().replace(/\.$/, '').replace(/^circa\s+/i, '');
  const range = /^(.+?)\s+to\s+(.+)$/i.exec(t);
  if (range) {
    const a = parseOfacDate(range[1]);
    const b = parseOfacDate(range[2]);
    return a && b ? `${a.slice(0, 4)}/${b.slice(0, 4)}` : undefined;
  }
  let m = /^(\d{1,2}) ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(t);
  if (m && MONTHS[m[2].toLowerCase()]) return `${m[3]}-${MONTHS[m[2].toLowerCase()]}-${m[1].padStart(2, '0')}`;
  m = /^([A-Za-z]{3})[a-z]* (\d{4})$/.exec(t);
  if (m && MONTHS[m[1].toLowerCase()]) return `${m[2]}-${MONTHS[m[1].toLowerCase()]}`;
  m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
  if (m) return t;
  m = /^(\d{4})$/.exec(t);
  return m ? m[1] : undefined;
}

/** Remark labels that introduce identifiers, longest first where one is a prefix of another. */
const ID_LABELS: readonly [RegExp, IdentifierType][] = [
  [/^Digital Currency Address - ([A-Z0-9]+)$/i, 'crypto'],
  [/^Passport( No\.?| Number)?$/i, 'passport'],
  [/^Diplomatic Passport$/i, 'passport'],
  [/^(Vessel Registration Identification|Company Number)? ?IMO$/i, 'imo'],
  [/^MMSI$/i, 'mmsi'],
  [/^Aircraft (Manufacturer's Serial Number \(MSN\)|Tail Number|Construction Number.*)$/i, 'aircraft'],
  [/^(National ID No\.?|Cedula No\.?|D\.N\.I\.?|Identification Number|C\.U\.R\.P\.? #?|Personal ID Card|National Foreign ID Number|Birth Certificate Number|Electoral Registry No\.?|Residency Number|SSN|Kenyan ID No\.?|Citizen's Card Number|Romanian Permanent Resident|Driver's License No\.?|Public Security and Immigration No\.?|Stateless Person ID Card|Refugee ID Card|Moroccan Personal ID No\.?|Israeli ID Card|Turkish Identification Number|Pakistan National ID)$/i, 'national-id'],
  [/^(Tax ID No\.?|NIT #?|RUC #?|R\.F\.C\.? #?|RFC|CUIT|VAT Number|Tax Registration Number|Registration Tax No\.?|Income Tax No\.?|Taxpayer ID No\.?|INN)$/i, 'tax-id'],
  [/^(Registration ID|Registration Number|Company Number|Business Registration Document #?|Commercial Registry Number|Folio Mercantil No\.?|Matricula Mercantil No\.?|Chamber of Commerce Number|Trade License No\.?|Certificate of Incorporation Number|Business Number|Public Registration Number|Enterprise Number|UK Company Number|Legal Entity Number|D-U-N-S Number|Government Gazette Number|Registered Charity No\.?|Business Registration Number|Commercial Registration Number|Unified Social Credit Code \(USCC\)|Economic Register Number \(CBLS\)|Credit Code|OGRN|Company ID|SWIFT\/BIC|LEI)$/i, 'registration'],
];

export interface ParsedRemarks {
  birthDates: string[];
  birthPlaces: string[];
  nationalities: string[];
  identifiers: Identifier[];
  weakAliases: { name: string; kind: NameKind }[];
  gender?: 'male' | 'female';
  linkedTo: string[];
  /** Items not understood, kept for the analyst. */
  other: string[];
}

/** Splits a remark into items on `;` outside quotes (an alias may contain a semicolon). */
function splitItems(remarks: string): string[] {
  const items: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < remarks.length; i++) {
    const ch = remarks[i];
    // A quote opens after "a.k.a. " and closes before ";" or the end: apostrophes inside a name (O'NEIL) do neither.
    if (ch === "'" && !quoted && /[a-z]\.k\.a\. $/i.test(cur)) quoted = true;
    else if (ch === "'" && quoted && /^\s*(;|\.?\s*$|\.\s*;)/.test(remarks.slice(i + 1))) quoted = false;
    if (ch === ';' && !quoted) {
      items.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  items.push(cur.trim());
  return items.filter(Boolean);
}

export function parseRemarks(remarks: string | undefined): ParsedRemarks {
  const out: ParsedRemarks = { birthDates: [], birthPlaces: [], nationalities: [], identifiers: [], weakAliases: [], linkedTo: [], other: [] };
  if (!remarks) return out;
  for (const raw of splitItems(remarks)) {
    const item = raw.replace(/^alt\.\s+/i, '').replace(/\.$/, '').trim();
    let m: RegExpExecArray | null;
    if ((m = /^([afn])\.k\.a\.,?\s+'(.+)'$/i.exec(raw.replace(/\.$/, '')))) {
      out.weakAliases.push({ name: m[2].trim(), kind: (`${m[1].toLowerCase()}ka`) as NameKind });
    } else if ((m = /^DOB\s+(.+)$/i.exec(item))) {
      const d = parseOfacDate(m[1]);
      if (d) out.birthDates.push(d);
      else out.other.push(raw);
    } else if ((m = /^POB\s+(.+)$/i.exec(item))) {
      out.birthPlaces.push(m[1]);
    } else if ((m = /^(nationality|citizen)\s+(.+)$/i.exec(item))) {
      out.nationalities.push(m[2].trim());
    } else if ((m = /^Gender\s+(Male|Female)$/i.exec(item))) {
      out.gender = m[1].toLowerCase() as 'male' | 'female';
    } else if ((m = /^Linked To:\s*(.+)$/i.exec(item))) {
      out.linkedTo.push(m[1]);
    } else {
      const id = parseIdentifierItem(item);
      if (id) out.identifiers.push(id);
      else out.other.push(raw);
    }
  }
  return out;
}

/**
 * One identifier item: `<label> <value> [(<country>)] [issued ...] [expires ...]`. The label is the longest known
 * prefix; `Digital Currency Address - XBT` keeps its currency in the label.
 */
export function parseIdentifierItem(item: string): Identifier | undefined {
  const words = item.split(' ');
  for (let cut = Math.min(words.length - 1, 8); cut >= 1; cut--) {
    const label = words.slice(0, cut).join(' ');
    const hit = ID_LABELS.find(([re]) => re.test(label));
    if (!hit) continue;
    let rest = words.slice(cut).join(' ');
    rest = rest.replace(/\s+(issued|expires)\b.*$/i, '');
    let country: string | undefined;
    const paren = /\s*\(([^)]*)\)\s*$/.exec(rest);
    if (paren) {
      country = countryCode(paren[1]);
      rest = rest.slice(0, paren.index);
    }
    const value = rest.trim();
    if (!value || !/[0-9A-Za-z]/.test(value)) return undefined;
    return { type: hit[1], value: normalizeIdentifier(hit[1], value), ...(country ? { country } : {}), label };
  }
  return undefined;
}
