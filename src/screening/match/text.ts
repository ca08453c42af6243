/**
 * Name normalisation: any script to lower-case ASCII tokens, each tagged with what kind of word it is and how much
 * it weighs in a match. Honorifics, legal forms, particles and stop words are weighed down, never dropped: they still
 * add to a match (a legal form that agrees) and still count as unmatched (a missing distinctive word does not).
 */
import anyAscii from 'any-ascii';
import damerau from 'damerau-levenshtein';
import { doubleMetaphone } from 'double-metaphone';
import { isOrgSchema, type Schema } from '../model.js';
import { fold } from './fold.js';
import { memo } from './memo.js';

export type TokenKind = 'word' | 'generic' | 'number' | 'initial' | 'legal' | 'particle' | 'honorific' | 'stop';

export interface Token {
  readonly text: string;
  readonly kind: TokenKind;
  readonly weight: number;
}

export interface PreparedName {
  readonly raw: string;
  readonly tokens: readonly Token[];
  /** The distinctive tokens joined in order ("kim jong un" -> "kimjongun"), for names written as one word or split. */
  readonly joined: string;
  /** Written in Arabic script: short vowels are absent, so vowel-blind comparison applies. */
  readonly abjad: boolean;
  /** Looks like an organisation (has a legal form or an organisation word), for rows without a schema. */
  readonly orgLike: boolean;
}

/** Weights of the token kinds: a distinctive word weighs 1. */
export const WEIGHTS: Readonly<Record<TokenKind, number>> = {
  word: 1, generic: 0.6, number: 1, initial: 0.5, legal: 0.3, particle: 0.35, honorific: 0.1, stop: 0.2,
};

const words = (s: string) => new Set(s.split(/\s+/).filter(Boolean));

const HONORIFICS = words(`mr mrs ms miss mister madam dr doctor prof professor sir dame lord lady sheikh shaikh shaykh sheik
  cheikh haji hajji hadji alhaji alhaj hajj mullah mulla maulana maulvi mawlawi moulvi mawlana qari imam ayatollah hojatoleslam
  general gen lieutenant lt colonel col major maj captain capt cpt brigadier brig admiral adm commander cmdr sergeant sgt
  marshal president vice minister deputy ambassador judge senator governor mayor rev reverend fr father bishop
  his her excellency he hon honorable honourable eng engr esq jr sr junior senior mv mt`);
const PARTICLES = words('al el bin ben ibn bint binti bte ould de del della der den di da dos das du la le van von y e ter ten');
const STOP = words('the of and for in on at to a an de del la le les des du y e et und der die das von for & al el');
/** Legal forms after `canonicalLegal` (one token each). */
const LEGAL = words(`ltd llc llp lp plc pjsc ojsc cjsc jsc ooo ao pao zao oao tov pp sa sas sarl srl spa sl slu gmbh ag kg ohg
  ug bv nv ab as asa oy oyj aps inc corp co coop pte pvt sdn bhd kk fze fzco fzc fzllc fzllc ltda eirl sal wll bsc qsc psc
  cv de sae sau sc scs snc eurl ehf kft zrt nyrt doo dd ad ead ood sro as spzoo sp zoo ooo jsc tic san sti as pty lda ltda
  limited company corporation incorporated sociedad anonima`);
/**
 * Words that make a name an organisation's when no schema says so (besides legal forms); in an organisation's name
 * they weigh less than its distinctive words ("Hamas Movement" is Hamas) but still separate sister companies.
 */
const ORG_WORDS = words(`bank company trading group holding holdings international industries industrial enterprise enterprises
  corporation association foundation organization organisation institute university agency ministry office shipping
  logistics investment investments services service airlines airline air petroleum oil gas energy chemical chemicals
  electronics technology technologies systems import export imports exports development construction engineering
  manufacturing factory plant bureau committee council party front army brigade movement network fund trust partners
  exchange commercial commerce hotel hotels media news finance financial insurance capital resources mining metals`);

/** Multi-word legal forms, matched on the normalised string, to one canonical token. */
const LEGAL_PHRASES: readonly [RegExp, string][] = [
  [/\bobshch?estvo s ogranichenn\w* otvetstvenn\w*/g, 'ooo'],
  [/\bzakryto\w* aktsionern\w* obshch?estvo\b/g, 'zao'],
  [/\botkryto\w* aktsionern\w* obshch?estvo\b/g, 'oao'],
  [/\bpublichno\w* aktsionern\w* obshch?estvo\b/g, 'pao'],
  [/\baktsionern\w* obshch?estvo\b/g, 'ao'],
  [/\btovarystvo z obmezhenoiu vidpovidalnistiu\b/g, 'tov'],
  [/\blimited liability company\b/g, 'llc'],
  [/\blimited liability partnership\b/g, 'llp'],
  [/\bpublic limited company\b/g, 'plc'],
  [/\bpublic joint stock company\b/g, 'pjsc'],
  [/\bopen joint stock company\b/g, 'ojsc'],
  [/\bclosed joint stock company\b/g, 'cjsc'],
  [/\bjoint stock (company|co)\b/g, 'jsc'],
  [/\bprivate limited\b/g, 'pvt ltd'],
  [/\bgesellschaft mit beschrankter haftung\b/g, 'gmbh'],
  [/\baktiengesellschaft\b/g, 'ag'],
  [/\bsociedad(e)? anonima\b/g, 'sa'],
  [/\bsociete anonyme\b/g, 'sa'],
  [/\bsociedad de responsabilidad limitada\b/g, 'srl'],
  [/\bs de r ?l de c ?v\b/g, 'srl cv'],
  [/\bs a de c ?v\b/g, 'sa cv'],
  [/\bs a s\b/g, 'sas'],
  [/\bs a r l\b/g, 'sarl'],
  [/\bs r l\b/g, 'srl'],
  [/\bs p a\b/g, 'spa'],
  [/\bs a\b/g, 'sa'],
  [/\bl l c\b/g, 'llc'],
  [/\bg m b h\b/g, 'gmbh'],
  [/\bb v\b/g, 'bv'],
  [/\bn v\b/g, 'nv'],
  [/\bp l c\b/g, 'plc'],
  [/\bp j s( c)?\b/g, 'pjsc'],
  [/\bo a o\b/g, 'oao'],
  [/\bz a o\b/g, 'zao'],
  [/\bo o o\b/g, 'ooo'],
  [/\bj s c\b/g, 'jsc'],
  [/\bsdn bhd\b/g, 'sdn bhd'],
];
/** Single-word spellings of legal forms and common organisation words, to one canonical form. */
const CANONICAL: ReadonlyMap<string, string> = new Map(Object.entries({
  limited: 'ltd', company: 'co', corporation: 'corp', incorporated: 'inc', cooperative: 'coop', compania: 'co',
  companhia: 'co', compagnie: 'co', cie: 'co', intl: 'international', int: 'international', internacional: 'international',
  holdings: 'holding', industries: 'industry', industrial: 'industry', enterprises: 'enterprise', establishment: 'est',
  ltda: 'ltd', mfg: 'manufacturing', bros: 'brothers', st: 'saint', ste: 'sainte', mt: 'mount',
  airlines: 'air', airline: 'air', airways: 'air', corporacion: 'corp', corporacao: 'corp', korporatsiya: 'corp',
  korporatsiia: 'corp', kompaniya: 'co', kompaniia: 'co', kompanii: 'co', kompani: 'co', limitid: 'ltd',
  gruppa: 'group', grupo: 'group', groupe: 'group', bank: 'bank', banco: 'bank', banque: 'bank', bankasi: 'bank',
}));
/** Long spellings canonicalised even with one typo ("COMPNAY", "LIMITD"): legal forms are not where names differ. */
const FUZZY_CANONICAL = ['limited', 'company', 'corporation', 'incorporated', 'international', 'industries', 'enterprises', 'holdings', 'airways', 'airlines'];

const ROMAN: ReadonlyMap<string, string> = new Map(Object.entries({
  ii: '2', iii: '3', iv: '4', vi: '6', vii: '7', viii: '8', ix: '9', xi: '11', xii: '12', xiii: '13', xiv: '14', xv: '15',
}));

/** Arabic letters to Latin, keeping long vowels (alif, waw, ya) as vowels: a reading Latin spellings agree with. */
const ARABIC: Readonly<Record<string, string>> = {
  'ا': 'a', 'أ': 'a', 'إ': 'i', 'آ': 'a', 'ٱ': 'a', 'ب': 'b', 'ت': 't', 'ث': 'th', 'ج': 'j', 'ح': 'h', 'خ': 'kh', 'د': 'd',
  'ذ': 'dh', 'ر': 'r', 'ز': 'z', 'س': 's', 'ش': 'sh', 'ص': 's', 'ض': 'd', 'ط': 't', 'ظ': 'z', 'ع': '', 'غ': 'gh', 'ف': 'f',
  'ق': 'q', 'ك': 'k', 'ک': 'k', 'ل': 'l', 'م': 'm', 'ن': 'n', 'ه': 'h', 'ة': 'a', 'و': 'u', 'ي': 'i', 'ی': 'i', 'ى': 'a',
  'ء': '', 'ئ': 'i', 'ؤ': 'u', 'پ': 'p', 'چ': 'ch', 'ژ': 'zh', 'گ': 'g', 'ـ': '', '\u064b': '', '\u064c': '', '\u064d': '',
  '\u064e': 'a', '\u064f': 'u', '\u0650': 'i', '\u0651': '', '\u0652': '', '\u0670': 'a',
};
const ARABIC_RE = /[\u0600-\u06ff]/;

function arabicToLatin(word: string): string {
  // The article al- is written joined; ayn at the start of a word is usually spelt with a vowel (Abd, Ali, Omar).
  let w = word;
  let prefix = '';
  if (w.startsWith('ال') && w.length > 3) {
    prefix = 'al ';
    w = w.slice(2);
  }
  let out = '';
  for (let i = 0; i < w.length; i++) {
    const ch = w[i];
    const initial = out === '';
    if (ch === 'ع') out += initial ? 'a' : '';
    else if (ch === 'و') out += initial ? 'w' : 'u';
    else if (ch === 'ي' || ch === 'ی') out += initial ? 'y' : 'i';
    else out += Object.hasOwn(ARABIC, ch) ? ARABIC[ch] : anyAscii(ch);
  }
  return prefix + out;
}

export const MAX_NAME_LENGTH = 500;

/** Chinese, Japanese and Korean characters are syllables: each becomes a word ("习近平" -> "xi jin ping"). */
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]/g;

/** Lower-case ASCII words of a name in any script, punctuation removed, legal phrases canonicalised. */
export function normalizeText(raw: string): { text: string; abjad: boolean } {
  // Names longer than any real one (lists cap them at 350 characters) are cut: the cost stays bounded.
  let s = raw.slice(0, MAX_NAME_LENGTH).replace(/\u0092/g, "'").normalize('NFKC');
  const abjad = ARABIC_RE.test(s);
  if (abjad) s = s.split(/(\s+)/).map((w) => (ARABIC_RE.test(w) ? arabicToLatin(w) : w)).join('');
  s = anyAscii(s.replace(CJK, (ch) => ` ${ch} `)).toLowerCase();
  // Apostrophes and okinas join (O'Brien, Qur'an, any-ascii's soft sign); other punctuation separates.
  s = s.replace(/['`’‘ʼʻ]/g, '').replace(/[^a-z0-9]+/g, ' ').trim();
  // Dotted abbreviations (S.A., L.L.C.) are single letters now; legal phrases become one token.
  for (const [re, canon] of LEGAL_PHRASES) if (re.test(s)) s = s.replace(re, canon);
  return { text: s.replace(/\s+/g, ' ').trim(), abjad };
}

/** Glues Arabic name prefixes to what follows ("abd al rahman" -> "abdalrahman", "abu bakr" stays two words). */
const GLUE = new Set(['abd', 'abdul', 'abdel', 'abdal', 'abdol', 'abdu']);

export function prepareName(raw: string, schema?: Schema): PreparedName {
  const words = normalizeText(raw).text.split(' ');
  const orgLike = isOrgSchema(schema) || words.some((p) => ORG_WORDS.has(p) || CANONICAL.has(p) || (LEGAL.has(p) && p.length > 2 && !PARTICLES.has(p)));
  // "MADURO MOROS, Nicolas": the family name first, as OFAC writes persons; put it back in reading order so that
  // prefixes glue the same way ("HAQ, Abdul" = "Abdul Haq").
  const comma = raw.split(',');
  const reorder = comma.length === 2 && comma[0].trim() && comma[1].trim() && (schema === 'Person' || (!schema && !orgLike));
  const { text, abjad } = reorder ? normalizeText(`${comma[1]} ${comma[0]}`) : normalizeText(raw);
  let parts = text ? text.split(' ') : [];
  const glued: string[] = [];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (GLUE.has(p) && i + 1 < parts.length) {
      let next = parts[i + 1];
      let j = i + 1;
      if ((next === 'al' || next === 'el' || next === 'ul') && i + 2 < parts.length) {
        next = parts[i + 2];
        j = i + 2;
      }
      glued.push(`abdul${next}`);
      i = j;
    } else glued.push(p);
  }
  parts = glued.map((p, i) => {
    const canonical = CANONICAL.get(p) ?? fuzzyCanonical(p);
    if (canonical) return canonical;
    // Abdel-, Abdal-, Abd- and Abdul- prefixes are one prefix spelt four ways.
    const abd = /^abd(?:[aeiou]l|l)?(?=[a-z]{3})/.exec(p);
    if (abd) return `abdul${p.slice(abd[0].length)}`;
    // Roman numerals after the first word (vessel and company numbering): OCEAN STAR II = OCEAN STAR 2.
    if (i > 0 && ROMAN.has(p)) return ROMAN.get(p)!;
    return p;
  });
  const person = schema === 'Person' || (!schema && !orgLike);
  const org = !person && schema !== 'Vessel' && schema !== 'Aircraft';
  const tokens: Token[] = parts.map((t, i) => {
    let kind: TokenKind = 'word';
    if (/\d/.test(t)) kind = 'number';
    else if (org && LEGAL.has(t)) kind = 'legal';
    else if (org && ORG_WORDS.has(t) && parts.length > 1) kind = 'generic';
    else if (org && STOP.has(t)) kind = 'stop';
    else if (t.length === 1 && parts.length > 1) kind = person ? 'initial' : 'stop';
    else if (!org && HONORIFICS.has(t) && parts.length > 1) kind = 'honorific';
    else if (!org && PARTICLES.has(t) && parts.length > 1) kind = 'particle';
    // "al" glued to a word is kept as is; a leading honorific that is the whole name stays a word.
    void i;
    return { text: t, kind, weight: WEIGHTS[kind] };
  });
  // A name made only of weak words (e.g. "THE COMPANY") keeps them as distinctive words.
  const final = tokens.some(isDistinctive) ? tokens : tokens.map((t) => ({ text: t.text, kind: 'word' as const, weight: 1 }));
  const joined = final.filter(isDistinctive).map((t) => t.text).join('');
  return { raw, tokens: final, joined, abjad, orgLike };
}

/** True for tokens that can anchor a match (the index is built on them). */
export const isDistinctive = (t: Token) => t.kind === 'word' || t.kind === 'number' || t.kind === 'generic';

const fuzzyCanonical = (p: string) => (p.length < 6 ? undefined : fuzzyLookup(p));

const fuzzyLookup = memo(100_000, (p: string): string | undefined => {
  const fp = fold(p);
  for (const w of FUZZY_CANONICAL) {
    if (Math.abs(w.length - p.length) > 2) continue;
    if (damerau(w, p).steps <= 1 || fold(w) === fp) return CANONICAL.get(w) ?? w;
  }
  return undefined;
});

/** Double Metaphone (primary, secondary) of a token, cached. */
export const metaphone = memo(200_000, (token: string): readonly [string, string] => {
  const [p, s] = doubleMetaphone(token);
  return [p, s];
});

/**
 * A vowel-blind consonant skeleton: the key that makes an Arabic-script spelling (no short vowels: "mhmd") meet its
 * Latin spellings ("mohammed", "muhammad"), and transliteration variants (q/k/g, dh/d/z, ph/f) meet each other.
 */
export function skeleton(token: string): string {
  let s = token
    .replace(/ph/g, 'f').replace(/(dh|th)/g, 'd').replace(/(kh|gh)/g, 'k').replace(/(sch|sh|ch)/g, 's')
    .replace(/[qcg]/g, 'k').replace(/z/g, 's').replace(/x/g, 'ks').replace(/w/g, '');
  s = s[0] + s.slice(1).replace(/[aeiouy]/g, '');
  s = s.replace(/^[aeiouy]/, '').replace(/h$/, '');
  return s.replace(/(.)\1+/g, '$1');
}
