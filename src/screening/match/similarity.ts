/**
 * Similarity of two name tokens, with the rule that decided it. Two tokens are compared only when they are
 * *related*, and related means exactly "their `relationKeys` meet": the same word, a Double Metaphone code, a
 * vowel-blind skeleton or a one-deletion variant, of the word as written or of its transliteration fold. The index
 * retrieves by the same keys, so it finds every pair the exhaustive comparison would score.
 */
import damerau from 'damerau-levenshtein';
import jaroWinkler from 'jaro-winkler';
import { distance } from 'fastest-levenshtein';
import { fold } from './fold.js';
import { memo } from './memo.js';
import { metaphone, skeleton, type Token } from './text.js';

export { fold };

export type TokenRule = 'exact' | 'phonetic' | 'spelling' | 'skeleton' | 'transliteration' | 'initial' | 'compound';

export interface TokenMatch {
  readonly sim: number;
  readonly rule: TokenRule;
}

/** Below this a related pair is not a match at all. */
export const MIN_TOKEN_SIM = 0.6;

function formKeys(form: string, keys: Set<string>, deletions: boolean): void {
  keys.add(`=${form}`);
  const [p, s] = metaphone(form);
  if (p.length >= 2) keys.add(`m${p}`);
  if (s && s.length >= 2) keys.add(`m${s}`);
  const sk = skeleton(form);
  if (sk.length >= 2) keys.add(`k${sk}`);
  if (deletions && form.length >= 4) {
    keys.add(`d${form}`);
    for (let i = 0; i < form.length; i++) keys.add(`d${form.slice(0, i)}${form.slice(i + 1)}`);
  }
}

/** The keys under which a token is indexed; two tokens are related iff their key sets meet. */
export const relationKeys = memo(500_000, (text: string): readonly string[] => {
  if (/\d/.test(text)) return [`=${text}`]; // numbers relate only to themselves
  // One-letter edits are keyed on the fold only: a typo in the word is a typo in its fold too.
  const set = new Set<string>();
  const f = fold(text);
  formKeys(f, set, true);
  if (f !== text) formKeys(text, set, false);
  return [...set];
});

const keySet = memo(200_000, (text: string): ReadonlySet<string> => new Set(relationKeys(text)));

function related(a: string, b: string): boolean {
  const ka = relationKeys(a);
  const kb = keySet(b);
  return ka.some((k) => kb.has(k));
}

const codes = (t: string) => metaphone(t).filter((c) => c.length >= 2);

/** Similarity of two written forms by how they relate (the formula of each rule). */
function formSimilarity(x: string, y: string, abjad: boolean): TokenMatch | undefined {
  if (x === y) return { sim: 1, rule: 'exact' };
  const long = Math.max(x.length, y.length);
  const cx = codes(x);
  const cy = codes(y);
  const sx = skeleton(x);
  // Written without short vowels on one side: the consonants decide.
  const abjadSim = abjad && sx.length >= 2 && sx === skeleton(y) ? Math.max(0.85 + 0.05 * jaroWinkler(x, y), 1 - distance(x, y) / long) : 0;
  if (cx.some((c) => cy.includes(c))) {
    // Short names sharing a sound code differ in ways that matter (John / Jane): their spelling decides, with
    // a transposition counting as one edit (Deif / Dief).
    // Long ones sound alike by accident too (Qubaysi / Gipsy): the spelling must agree broadly.
    const jw = jaroWinkler(x, y);
    const sim = long <= 5 ? damerau(x, y).similarity + 0.05 : Math.max(jw >= 0.75 ? 0.85 + 0.1 * jw : jw + 0.05, 1 - distance(x, y) / long);
    return sim >= abjadSim ? { sim, rule: 'phonetic' } : { sim: abjadSim, rule: 'skeleton' };
  }
  if (abjadSim) return { sim: abjadSim, rule: 'skeleton' };
  // Otherwise the spelling decides: one edit in a long word is a typo; the same consonants with other vowels in Latin
  // script on both sides (Mohammed / Mahmoud) are different names.
  // Short words differing in one letter without sounding alike are usually different names (Song / Yong).
  const d = damerau(x, y);
  return { sim: long <= 5 ? d.similarity - 0.2 : d.steps === 1 ? Math.max(d.similarity, jaroWinkler(x, y) - 0.1) : d.similarity, rule: 'spelling' };
}

/**
 * Similarity of two tokens (undefined when unrelated or below MIN_TOKEN_SIM). `abjad` marks a comparison where one
 * side was written without short vowels (Arabic script): the consonant skeleton then decides.
 */
const EXACT: TokenMatch = { sim: 1, rule: 'exact' };
const INITIAL: TokenMatch = { sim: 0.8, rule: 'initial' };
/** Word comparisons, computed once: by the smaller word, then the larger, one table per abjad flag. */
const simCache = [new Map<string, Map<string, TokenMatch | null>>(), new Map<string, Map<string, TokenMatch | null>>()];
let cachedPairs = 0;

export function tokenSimilarity(a: Token, b: Token, abjad = false): TokenMatch | undefined {
  const x = a.text;
  const y = b.text;
  if (x === y) return EXACT;
  if (a.kind === 'number' || b.kind === 'number') return undefined;
  if (a.kind === 'initial' || b.kind === 'initial') {
    const [i, w] = a.kind === 'initial' ? [x, y] : [y, x];
    return w.length > 1 && w[0] === i ? INITIAL : undefined;
  }
  // Words repeat across names and queries: the comparison of two words is computed once.
  const [lo, hi] = x < y ? [x, y] : [y, x];
  const table = simCache[abjad ? 1 : 0];
  let row = table.get(lo);
  const cached = row?.get(hi);
  if (cached !== undefined) return cached ?? undefined;
  const m = wordSimilarity(x, y, abjad);
  if (++cachedPairs > 2_000_000) {
    simCache[0].clear();
    simCache[1].clear();
    cachedPairs = 0;
    row = undefined;
  }
  if (!row) table.set(lo, (row = new Map()));
  row.set(hi, m ?? null);
  return m;
}

function wordSimilarity(x: string, y: string, abjad: boolean): TokenMatch | undefined {
  if (!related(x, y)) return undefined;
  let best = formSimilarity(x, y, abjad)!;
  const fx = fold(x);
  const fy = fold(y);
  if (fx !== x || fy !== y) {
    const f = formSimilarity(fx, fy, abjad);
    if (f && f.sim - 0.04 > best.sim) best = { sim: f.sim - 0.04, rule: 'transliteration' };
  }
  return best.sim >= MIN_TOKEN_SIM ? { sim: Math.min(best.sim, 0.99), rule: best.rule } : undefined;
}
