/**
 * Labelled pairs derived at evaluation time from the real lists (never committed): true variants made from real
 * names by programmatic transliteration, misspelling, reordering, dropped middle names, initials and legal-form
 * changes; real cross-script pairs (UN names with their original script); real cross-list pairs (a CSL record and
 * the SDN entry with the same number); and hard non-matches between different listed entries that share a surname,
 * the first words of a company name, or a vessel's name but not its number. Seeded: the same lists give the same
 * pairs. Each pair's split follows the entry it came from.
 */
import { isDistinctive, normalizeText, prepareName } from '../match/text.js';
import type { Entity, Schema } from '../model.js';
import type { ListVersion } from '../version.js';
import { splitOf, type LabelledPair } from './evaluate.js';

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latin to Cyrillic, the way a Russian-language register would write a foreign name. */
const TO_CYRILLIC: readonly [string, string][] = [
  ['shch', 'щ'], ['sch', 'ш'], ['kh', 'х'], ['zh', 'ж'], ['ch', 'ч'], ['sh', 'ш'], ['ts', 'ц'], ['ya', 'я'], ['yu', 'ю'], ['yo', 'ё'],
  ['ye', 'е'], ['ph', 'ф'], ['th', 'т'], ['ee', 'и'], ['oo', 'у'], ['ou', 'у'], ['a', 'а'], ['b', 'б'], ['c', 'к'], ['d', 'д'], ['e', 'е'], ['f', 'ф'],
  ['g', 'г'], ['h', 'х'], ['i', 'и'], ['j', 'дж'], ['k', 'к'], ['l', 'л'], ['m', 'м'], ['n', 'н'], ['o', 'о'], ['p', 'п'], ['q', 'к'], ['r', 'р'],
  ['s', 'с'], ['t', 'т'], ['u', 'у'], ['v', 'в'], ['w', 'в'], ['x', 'кс'], ['y', 'й'], ['z', 'з'],
];
/** Latin to Arabic script: consonants and long vowels written, short vowels inside a word dropped (as Arabic does). */
const TO_ARABIC: readonly [string, string][] = [
  ['sh', 'ش'], ['kh', 'خ'], ['th', 'ث'], ['dh', 'ذ'], ['gh', 'غ'], ['ou', 'و'], ['oo', 'و'], ['ee', 'ي'], ['aa', 'ا'],
  ['b', 'ب'], ['t', 'ت'], ['j', 'ج'], ['h', 'ه'], ['d', 'د'], ['r', 'ر'], ['z', 'ز'], ['s', 'س'], ['f', 'ف'], ['q', 'ق'], ['k', 'ك'],
  ['l', 'ل'], ['m', 'م'], ['n', 'ن'], ['w', 'و'], ['y', 'ي'], ['g', 'ج'], ['p', 'ب'], ['v', 'ف'], ['c', 'ك'], ['x', 'كس'],
];

function mapWord(word: string, table: readonly [string, string][], dropInnerVowels: boolean): string {
  let out = '';
  for (let i = 0; i < word.length;) {
    const hit = table.find(([from]) => word.startsWith(from, i));
    if (hit) {
      out += hit[1];
      i += hit[0].length;
    } else {
      const ch = word[i];
      const vowel = /[aeiou]/.test(ch);
      if (vowel && dropInnerVowels && i > 0) out += ch === 'i' && i === word.length - 1 ? 'ي' : ch === 'a' && i === word.length - 1 ? 'ا' : '';
      else if (vowel && dropInnerVowels) out += 'ا';
      i++;
    }
  }
  return out;
}

export const toCyrillic = (name: string) => normalizeText(name).text.split(' ').map((w) => mapWord(w, TO_CYRILLIC, false)).join(' ');
export const toArabic = (name: string) => normalizeText(name).text.split(' ').map((w) => (w === 'al' ? 'ال' : mapWord(w, TO_ARABIC, true))).join(' ').replace(/ال /g, 'ال');

/** Spelling variants of transliteration: each rule rewrites one spelling into another that renders the same sound. */
const SPELLING: readonly [RegExp, string][] = [
  [/ou/, 'u'], [/u(?!u)/, 'ou'], [/ee/, 'i'], [/i(?=[^aeiou])/, 'ee'], [/ph/, 'f'], [/kh/, 'h'], [/q/, 'k'], [/k(?!h)/, 'q'], [/dh/, 'd'],
  [/y$/, 'i'], [/i$/, 'y'], [/ei/, 'ey'], [/ks/, 'x'], [/x/, 'ks'], [/mm/, 'm'], [/ss/, 's'], [/([bdfglmnprst])\1/, '$1'],
  [/([^aeiou])a([^aeiou])/, '$1e$2'], [/([^aeiou])o([^aeiou])/, '$1u$2'], [/w/, 'v'], [/v/, 'w'], [/j/, 'dj'], [/ch/, 'tch'], [/iy$/, 'y'],
];

function spellingVariant(name: string, r: () => number): string | undefined {
  const words = normalizeText(name).text.split(' ');
  const order = words.map((_, i) => i).filter((i) => words[i].length >= 4).sort(() => r() - 0.5);
  for (const i of order) {
    const rules = SPELLING.filter(([re]) => re.test(words[i]));
    if (!rules.length) continue;
    const [re, to] = rules[Math.floor(r() * rules.length)];
    const w = words[i].replace(re, to);
    if (w !== words[i]) return words.map((x, k) => (k === i ? w : x)).join(' ');
  }
  return undefined;
}

const KEYBOARD = 'qwertyuiopasdfghjklzxcvbnm';
function typo(name: string, r: () => number): string | undefined {
  const words = name.split(' ');
  const long = words.map((w, i) => [w, i] as const).filter(([w]) => /^[A-Za-z]{5,}$/.test(w));
  if (!long.length) return undefined;
  const [w, i] = long[Math.floor(r() * long.length)];
  const p = 1 + Math.floor(r() * (w.length - 2));
  const kind = Math.floor(r() * 4);
  const edited = kind === 0 ? w.slice(0, p) + w.slice(p + 1) // deletion
    : kind === 1 ? w.slice(0, p) + w[p] + w.slice(p) // doubled letter
      : kind === 2 ? w.slice(0, p) + w[p + 1] + w[p] + w.slice(p + 2) // transposition
        : w.slice(0, p) + KEYBOARD[Math.floor(r() * 26)] + w.slice(p + 1); // substitution
  return edited === w ? undefined : words.map((x, k) => (k === i ? edited : x)).join(' ');
}

/** "LAST, First Middle" -> "First Middle Last", in title case. */
function reorder(name: string): string | undefined {
  const c = name.indexOf(',');
  if (c < 0) return undefined;
  const title = (s: string) => s.toLowerCase().replace(/\b[a-z]/g, (m) => m.toUpperCase());
  return title(`${name.slice(c + 1).trim()} ${name.slice(0, c).trim()}`);
}

/** "LAST, First Middle" -> "First LAST": a middle given name left out. */
function dropMiddle(name: string): string | undefined {
  const c = name.indexOf(',');
  if (c < 0) return undefined;
  const given = name.slice(c + 1).trim().split(/\s+/);
  if (given.length < 2) return undefined;
  return `${given[0]} ${name.slice(0, c).trim()}`;
}

function initials(e: EntityNameLike): string | undefined {
  if (!e.family) return undefined;
  const given = e.full.slice(e.full.indexOf(',') + 1).trim().split(/\s+/).filter(Boolean);
  if (!given.length || given[0].length < 3) return undefined;
  return `${given.map((g) => `${g[0]}.`).join(' ')} ${e.family}`;
}
interface EntityNameLike { full: string; family?: string }

const LEGAL_SWAPS: readonly [RegExp, string][] = [
  [/\bLIMITED LIABILITY COMPANY\b/i, 'LLC'], [/\bLLC\b/i, 'Limited Liability Company'], [/\bLTD\.?$/i, 'Limited'], [/\bLIMITED$/i, 'Ltd'],
  [/\bCO\.?,? LTD\.?$/i, 'Company Limited'], [/\bS\.A\.$/i, 'SA'], [/\bCORPORATION$/i, 'Corp.'], [/\bJOINT STOCK COMPANY\b/i, 'JSC'],
];
function legalVariant(name: string, r: () => number): string {
  const swap = LEGAL_SWAPS.find(([re]) => re.test(name));
  if (swap) return name.replace(swap[0], swap[1]);
  return r() < 0.5 ? `${name} Ltd` : `${name} LLC`;
}

const distinctWords = (name: string, schema: Schema) => prepareName(name, schema).tokens.filter(isDistinctive).map((t) => t.text);
const primary = (e: Entity) => e.names.find((n) => n.kind === 'primary' && !n.script)?.full ?? e.names[0].full;

export interface DeriveOptions {
  readonly seed?: number;
  /** At most this many pairs per category (default 250). */
  readonly perCategory?: number;
}

/** Derives labelled pairs from list versions (OFAC SDN, UN, CSL; any subset). */
export function derivePairs(versions: readonly ListVersion[], options: DeriveOptions = {}): LabelledPair[] {
  const r = rng(options.seed ?? 20261204);
  const cap = options.perCategory ?? 250;
  const byCat = new Map<string, LabelledPair[]>();
  const add = (category: string, e: Entity, name1: string, name2: string | undefined, match: boolean, schema = e.schema, key = e.id) => {
    if (!name2 || name1 === name2) return;
    const list = byCat.get(category) ?? [];
    byCat.set(category, list);
    list.push({ name1, name2, schema, match, category, split: splitOf(key) });
  };
  const entities = versions.flatMap((v) => v.entries);
  const shuffled = [...entities].sort(() => r() - 0.5);
  for (const e of shuffled) {
    const name = primary(e);
    if (e.schema === 'Person') {
      if (!/[a-z]/i.test(name)) continue;
      add('derived-person-cyrillic', e, name, toCyrillic(name), true);
      if (e.programs.some((p) => /SDGT|IRAQ|SYRIA|IRAN|Al-Qaida|Taliban|YEMEN|LIBYA|LEBANON/i.test(p))) add('derived-person-arabic', e, name, toArabic(name), true);
      add('derived-person-spelling', e, name, spellingVariant(name, r), true);
      add('derived-person-typo', e, name, typo(name, r), true);
      add('derived-person-order', e, name, reorder(name), true);
      add('derived-person-middle', e, name, dropMiddle(name), true);
      add('derived-person-initials', e, name, initials(e.names[0]), true);
    } else if (e.schema === 'Organization' || e.schema === 'Company' || e.schema === 'LegalEntity') {
      add('derived-org-legal', e, name, legalVariant(name, r), true, 'Company');
      add('derived-org-typo', e, name, typo(name, r), true, 'Company');
      add('derived-org-cyrillic', e, name, toCyrillic(name), true, 'Company');
    } else if (e.schema === 'Vessel') {
      add('derived-vessel-typo', e, name, typo(name, r), true);
    }
    const original = e.names.find((n) => n.script === 'original' && /[^\u0000-\u024f]/.test(n.full));
    if (original) add('derived-original-script', e, name, original.full, true);
  }
  // Cross-list positives: the CSL's Treasury records carry the OFAC ent_num.
  const sdn = new Map(entities.filter((e) => e.source === 'ofac-sdn').map((e) => [e.id.slice('ofac-sdn:'.length), e]));
  for (const e of entities.filter((x) => x.source === 'us-csl' && /^us-csl:(sdn|ssi|fse|plc|cap|ns-isa|nsmbs):\d+$/.test(x.id))) {
    const twin = sdn.get(e.id.split(':')[2]);
    if (twin && primary(twin).toLowerCase() !== primary(e).toLowerCase()) add('derived-cross-list', e, primary(e), primary(twin), true, twin.schema);
  }
  // Hard negatives: different entries sharing a word.
  const persons = shuffled.filter((e) => e.schema === 'Person' && e.names[0].family);
  const byFamily = new Map<string, Entity[]>();
  for (const e of persons) {
    const k = e.names[0].family!.toLowerCase();
    byFamily.set(k, [...(byFamily.get(k) ?? []), e]);
  }
  for (const group of byFamily.values()) {
    for (let i = 0; i + 1 < group.length; i += 2) {
      const [a, b] = [group[i], group[i + 1]];
      const wa = new Set(distinctWords(primary(a), 'Person'));
      const wb = distinctWords(primary(b), 'Person');
      // Different people: at least one given name of each is absent from the other (not a mere subset).
      if (wb.every((w) => wa.has(w)) || [...wa].every((w) => wb.includes(w))) continue;
      add('derived-same-surname', a, primary(a), primary(b), false, 'Person', `${a.id}|${b.id}`);
    }
  }
  const orgs = shuffled.filter((e) => e.schema === 'Organization' || e.schema === 'Company');
  const byFirst = new Map<string, Entity[]>();
  for (const e of orgs) {
    const words = distinctWords(primary(e), 'Company');
    if (words.length < 2) continue;
    const k = words[0];
    byFirst.set(k, [...(byFirst.get(k) ?? []), e]);
  }
  for (const group of byFirst.values()) {
    for (let i = 0; i + 1 < group.length; i += 2) {
      const [a, b] = [group[i], group[i + 1]];
      const wa = distinctWords(primary(a), 'Company');
      const wb = distinctWords(primary(b), 'Company');
      if (wa.join(' ') === wb.join(' ') || wa.every((w) => wb.includes(w)) || wb.every((w) => wa.includes(w))) continue;
      add('derived-org-sibling', a, primary(a), primary(b), false, 'Company', `${a.id}|${b.id}`);
    }
  }
  const vessels = shuffled.filter((e) => e.schema === 'Vessel');
  const byStem = new Map<string, Entity[]>();
  for (const e of vessels) {
    const stem = primary(e).replace(/[\s-]*\d+$/, '');
    if (stem === primary(e)) continue;
    byStem.set(stem, [...(byStem.get(stem) ?? []), e]);
  }
  for (const group of byStem.values()) {
    for (let i = 0; i + 1 < group.length; i++) add('derived-vessel-numeral', group[i], primary(group[i]), primary(group[i + 1]), false, 'Vessel', `${group[i].id}|${group[i + 1].id}`);
  }
  // Easy negatives: random different entries of the same schema (most screening pairs look like these).
  for (let i = 0; i + 1 < shuffled.length && (byCat.get('derived-random')?.length ?? 0) < cap; i += 2) {
    const [a, b] = [shuffled[i], shuffled[i + 1]];
    if (a.schema !== b.schema) continue;
    add('derived-random', a, primary(a), primary(b), false, a.schema, `${a.id}|${b.id}`);
  }
  const out: LabelledPair[] = [];
  for (const list of byCat.values()) out.push(...list.slice(0, cap));
  return out;
}
