/**
 * The screening index: candidates come from keys of name words (the word, its Double Metaphone codes, its
 * vowel-blind skeleton, one-deletion variants of its transliteration fold), from exact keys of adjacent word pairs
 * (compounds), from the whole name joined, and from exact identifiers; never from a scan of every name.
 *
 * Exactness: two words are related iff their keys meet (the scorer uses the same definition), and a name scores
 * above UNANCHORED_CAP only through a related distinctive word, a compound or the joined name. While collecting, the
 * index sums for each touched name the weight its related words could match on either side; with the words the scorer
 * counts without a relation (honorifics, particles, legal forms, initials) taken as matched, that gives an upper bound
 * of the name score through the scorer's own formula, and only entities whose bound reaches the threshold are scored.
 * index.test.ts checks the result equals the exhaustive comparison.
 */
import { ScreeningInputError } from '../errors.js';
import { normalizeIdentifier, type Entity, type Query } from '../model.js';
import type { ListVersion } from '../version.js';
import { fold } from './fold.js';
import { DEFAULT_THRESHOLD, INDEX_FLOOR, QUALIFIER_MAX, personScore, prepareEntity, prepareQuery, scoreEntity, type MatchExplanation, type PreparedEntity, type PreparedQuery } from './score.js';
import { MIN_TOKEN_SIM, relationKeys, tokenSimilarity } from './similarity.js';
import { WEIGHTS, isDistinctive, type Token } from './text.js';

export interface SearchOptions {
  /** Keep matches scoring at least this (default DEFAULT_THRESHOLD; at least INDEX_FLOOR). */
  readonly threshold?: number;
  /** At most this many matches, best first (default 10). */
  readonly limit?: number;
}

export interface ScreeningHit extends MatchExplanation {
  readonly entity: Entity;
}

export interface IndexStats {
  readonly entities: number;
  readonly names: number;
  readonly vocabulary: number;
  readonly keys: number;
}

/**
 * How an indexed text stands in a name, in its postings: a word (its weight, 0..1), an adjacent pair (PAIR + the
 * pair's weight) or the whole name joined (JOINED).
 */
const JOINED = -1;
const PAIR = 10;
/** What a query text is looked up as: a distinctive word, a weak word, an adjacent pair, the joined name. */
type From = 'word' | 'free' | 'pair' | 'joined';

/** What the upper bound needs of a name's words, indexed or queried. */
interface NameShape {
  readonly weight: number;
  /** Weight of the words the scorer may match without a relation (non-distinctive ones, initials). */
  readonly free: number;
  readonly initials: number;
  readonly distinct: number;
}

const sumWeights = (tokens: readonly Token[], pick: (t: Token) => boolean) => tokens.reduce((s, t) => s + (pick(t) ? t.weight : 0), 0);

const shapeOf = (tokens: readonly Token[]): NameShape => ({
  weight: sumWeights(tokens, () => true),
  free: sumWeights(tokens, (x) => !isDistinctive(x)),
  initials: tokens.filter((x) => x.kind === 'initial').length,
  distinct: tokens.filter(isDistinctive).length,
});

interface NameInfo extends NameShape {
  readonly entity: number;
  /** Position of the name in its entity's `names`. */
  readonly slot: number;
}

/** Keys of a pair text: exact only (a compound counts when the letters, or their fold, are equal). */
const pairKeys = (text: string) => {
  const f = fold(text);
  return f === text ? [`=${text}`] : [`=${text}`, `=${f}`];
};

export class ScreeningIndex {
  private readonly entities: PreparedEntity[] = [];
  private readonly names: NameInfo[] = [];
  private readonly vocab = new Map<string, number>();
  private readonly vocabTexts: string[] = [];
  /** Per vocabulary text: whether it carries full relation keys (a word or a joined name) or exact ones only. */
  private readonly vocabFull: boolean[] = [];
  /** Whether any name holding the text is in Arabic script (the scorer's vowel-blind rule may apply). */
  private readonly vocabAbjad: boolean[] = [];
  /** Per vocabulary text: name ids and, interleaved, the text's weight in that name (JOINED for a joined name). */
  private readonly postings: number[][] = [];
  private readonly keys = new Map<string, number | number[]>();
  private readonly idents = new Map<string, number[]>();
  /** Per-name accumulators of `candidates`, zero between calls (grown as names are added). */
  private accQ = new Float64Array(0);
  private accC = new Float64Array(0);

  /** Indexes the entries of list versions (or any entities: the compliance service indexes holder profiles too). */
  static build(source: Iterable<ListVersion | Entity>): ScreeningIndex {
    const index = new ScreeningIndex();
    for (const item of source) {
      if ('entries' in item) for (const e of item.entries) index.add(e);
      else index.add(item as Entity);
    }
    return index;
  }

  private addKey(key: string, id: number): void {
    const cur = this.keys.get(key);
    if (cur === undefined) this.keys.set(key, id);
    else if (typeof cur === 'number') {
      if (cur !== id) this.keys.set(key, [cur, id]);
    } else if (cur[cur.length - 1] !== id) cur.push(id);
  }

  private vocabId(text: string, full: boolean): number {
    let id = this.vocab.get(text);
    if (id === undefined) {
      id = this.vocabTexts.length;
      this.vocab.set(text, id);
      this.vocabTexts.push(text);
      this.vocabFull.push(false);
      this.vocabAbjad.push(false);
      this.postings.push([]);
      for (const k of pairKeys(text)) this.addKey(k, id);
    }
    if (full && !this.vocabFull[id]) {
      this.vocabFull[id] = true;
      for (const k of relationKeys(text)) this.addKey(k, id);
    }
    return id;
  }

  add(entity: Entity): void {
    const idx = this.entities.length;
    const pe = prepareEntity(entity);
    this.entities.push(pe);
    for (const [slot, n] of pe.names.entries()) {
      const name = this.names.length;
      const t = n.prepared.tokens;
      const info: NameInfo = { entity: idx, slot, ...shapeOf(t) };
      this.names.push(info);
      const post = (text: string, full: boolean, weight: number) => {
        const id = this.vocabId(text, full);
        if (n.prepared.abjad) this.vocabAbjad[id] = true;
        this.postings[id].push(name, weight);
      };
      t.forEach((x) => post(x.text, true, x.weight));
      for (let k = 0; k + 1 < t.length; k++) post(t[k].text + t[k + 1].text, false, PAIR + t[k].weight + t[k + 1].weight);
      if (info.distinct >= 2) post(n.prepared.joined, true, JOINED);
    }
    if (this.accQ.length < this.names.length) {
      const size = Math.max(1024, this.names.length * 2);
      this.accQ = new Float64Array(size);
      this.accC = new Float64Array(size);
    }
    for (const v of pe.identifiers) {
      const list = this.idents.get(v);
      if (!list) this.idents.set(v, [idx]);
      else if (list[list.length - 1] !== idx) list.push(idx);
    }
  }

  get stats(): IndexStats {
    return { entities: this.entities.length, names: this.names.length, vocabulary: this.vocabTexts.length, keys: this.keys.size };
  }

  /**
   * Entity positions whose score against the query may reach `threshold`, from the keys and the upper bound
   * (see the file comment), each with the names that may (undefined: all of them, for an identifier found exactly).
   * The other names score below the threshold, so the entity's best name is among those given.
   */
  candidates(pq: PreparedQuery, threshold = INDEX_FLOOR): Map<number, Set<number> | undefined> {
    const out = new Map<number, Set<number> | undefined>();
    const accQ = this.accQ;
    const accC = this.accC;
    for (const qn of pq.names) {
      const touched: number[] = [];
      const joinedHit = new Set<number>();
      // What the scorer can pair: word ~ word (related), word ~ pair and pair ~ word (compounds: equal letters or
      // fold), joined ~ joined (or the single word of a one-word name).
      const scan = (id: number, qWeight: number, sim: number, from: From, compound: () => boolean) => {
        const p = this.postings[id];
        let isCompound: boolean | undefined;
        for (let i = 0; i < p.length; i += 2) {
          const name = p[i];
          const w = p[i + 1];
          if (from === 'free') {
            // A weak query word (counted as matched on the query side) may still match a distinctive candidate
            // word: add it there, for names already reached.
            if (w >= WEIGHTS.generic && w < PAIR && (accQ[name] !== 0 || accC[name] !== 0)) accC[name] += w * sim;
            continue;
          }
          if (from === 'joined') {
            if (w === JOINED || (w >= 0 && w < PAIR && this.names[name].distinct === 1)) {
              joinedHit.add(name);
              if (accQ[name] === 0 && accC[name] === 0) touched.push(name);
              accC[name] += 1e-9; // marks it touched
            }
            continue;
          }
          // A compound's single word is distinctive (weights below WEIGHTS.generic are the others').
          if (w === JOINED || (from === 'pair' && (w >= PAIR || w < WEIGHTS.generic))) continue;
          if (w >= PAIR && !(isCompound ??= compound())) continue;
          if (accQ[name] === 0 && accC[name] === 0) touched.push(name);
          accQ[name] += qWeight * sim;
          accC[name] += (w >= PAIR ? w - PAIR : w) * sim;
        }
      };
      const lookup = (text: string, qWeight: number, from: From) => {
        const pair = from === 'pair';
        const keys = pair ? pairKeys(text) : relationKeys(text);
        const probe: Token = { text, kind: /\d/.test(text) ? 'number' : 'word', weight: 1 };
        const seen = new Set<number>();
        for (const k of keys) {
          const hit = this.keys.get(k);
          if (hit === undefined) continue;
          const ids = typeof hit === 'number' ? [hit] : hit;
          for (const id of ids) {
            if (seen.has(id)) continue;
            seen.add(id);
            const other = this.vocabTexts[id];
            let sim = 1;
            // A pair of query words found by its exact keys may be a compound: it counts whole. A related word below
            // MIN_TOKEN_SIM counts for nothing in the scorer.
            if (other !== text && !pair) {
              const m = tokenSimilarity(probe, { text: other, kind: probe.kind, weight: 1 }, qn.abjad || this.vocabAbjad[id]);
              if (!m || m.sim < MIN_TOKEN_SIM) continue;
              sim = m.sim;
            }
            scan(id, qWeight, sim, from, () => other === text || fold(other) === fold(text));
          }
        }
      };
      const t = qn.tokens;
      const q = shapeOf(t);
      t.forEach((x) => {
        if (isDistinctive(x)) lookup(x.text, x.weight, 'word');
      });
      for (let k = 0; k + 1 < t.length; k++) lookup(t[k].text + t[k + 1].text, t[k].weight + t[k + 1].weight, 'pair');
      if (q.distinct >= 1) lookup(qn.joined, 0, 'joined');
      t.forEach((x) => {
        if (!isDistinctive(x) && x.kind !== 'initial') lookup(x.text, x.weight, 'free');
      });
      for (const name of touched) {
        const info = this.names[name];
        const aQ = accQ[name];
        const aC = accC[name];
        accQ[name] = 0;
        accC[name] = 0;
        // A query initial may match a candidate word (weight 1 at most, similarity 0.8), and a candidate initial a
        // query word.
        const covQ = Math.min(1, (aQ + q.free + 0.8 * info.initials) / q.weight);
        const covC = Math.min(1, (aC + info.free + 0.8 * q.initials) / info.weight);
        const [short, long, shortDistinct] = q.weight <= info.weight ? [covQ, covC, q.distinct] : [covC, covQ, info.distinct];
        let bound = personScore(short, long, shortDistinct);
        if (joinedHit.has(name)) bound = Math.max(bound, 0.95);
        if (bound >= 0.5) bound += QUALIFIER_MAX;
        if (bound < threshold - 1e-9) continue;
        let slots = out.get(info.entity);
        if (!slots) out.set(info.entity, (slots = new Set()));
        slots.add(info.slot);
      }
    }
    for (const i of pq.query.identifiers ?? []) for (const e of this.idents.get(normalizeIdentifier(i.type, i.value)) ?? []) out.set(e, undefined);
    return out;
  }

  /** The best matches of a query at or above the threshold, from the index's candidates. */
  search(query: Query, options: SearchOptions = {}): ScreeningHit[] {
    const pq = this.prepare(query);
    const threshold = this.threshold(options);
    return this.rank(pq, this.candidates(pq, threshold), threshold, options.limit);
  }

  /** The same search comparing the query with every entity: the recall oracle of the index and a speed baseline. */
  searchExhaustive(query: Query, options: SearchOptions = {}): ScreeningHit[] {
    const pq = this.prepare(query);
    return this.rank(pq, new Map([...this.entities.keys()].map((i) => [i, undefined])), this.threshold(options), options.limit);
  }

  private threshold(options: SearchOptions): number {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!(threshold >= INDEX_FLOOR && threshold <= 1)) throw new ScreeningInputError('threshold', `must be between ${INDEX_FLOOR} and 1`);
    return threshold;
  }

  private prepare(query: Query): PreparedQuery {
    if (!query?.names?.length || query.names.every((n) => !n?.trim())) throw new ScreeningInputError('names', 'at least one non-empty name is required');
    return prepareQuery(query);
  }

  private rank(pq: PreparedQuery, positions: ReadonlyMap<number, ReadonlySet<number> | undefined>, threshold: number, limit = 10): ScreeningHit[] {
    const hits: ScreeningHit[] = [];
    for (const [i, slots] of positions) {
      const pe = this.entities[i];
      const m = scoreEntity(pq, pe, slots);
      if (m.score >= threshold) hits.push({ ...m, entity: pe.entity });
    }
    hits.sort((a, b) => b.score - a.score || (a.entityId < b.entityId ? -1 : 1));
    return hits.slice(0, limit);
  }
}
