/**
 * The screening index: candidates from keys of distinctive name words (the word itself, its Double Metaphone codes,
 * its vowel-blind skeleton, its one-deletion variants) and from exact identifiers, never a scan of every name. Any
 * entity scoring INDEX_FLOOR or more has a distinctive word (or the joined name) related to one of the query's, and
 * relation is exactly "shares a key", so the index returns what the exhaustive comparison returns (index.test.ts).
 */
import { ScreeningInputError } from '../errors.js';
import { normalizeIdentifier, type Entity, type Query } from '../model.js';
import type { ListVersion } from '../version.js';
import { DEFAULT_THRESHOLD, INDEX_FLOOR, prepareEntity, prepareQuery, scoreEntity, type MatchExplanation, type PreparedEntity, type PreparedQuery } from './score.js';
import { MIN_TOKEN_SIM, relationKeys, tokenSimilarity } from './similarity.js';
import { isDistinctive, type PreparedName, type Token } from './text.js';

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

/** The texts a name is indexed and looked up under: its distinctive words and, for two or more, them joined. */
function indexTexts(n: PreparedName): string[] {
  const words = n.tokens.filter(isDistinctive).map((t) => t.text);
  return words.length >= 2 ? [...words, n.joined] : words;
}

export class ScreeningIndex {
  private readonly entities: PreparedEntity[] = [];
  private readonly vocab = new Map<string, number>();
  private readonly vocabTexts: string[] = [];
  private readonly postings: number[][] = [];
  /** Whether any name holding the word is in Arabic script (the scorer's vowel-blind rule may apply). */
  private readonly vocabAbjad: boolean[] = [];
  private readonly keys = new Map<string, number[]>();
  private readonly idents = new Map<string, number[]>();
  private nameCount = 0;

  /** Indexes the entries of list versions (or any entities: the compliance service indexes holder profiles too). */
  static build(source: Iterable<ListVersion | Entity>): ScreeningIndex {
    const index = new ScreeningIndex();
    for (const item of source) {
      if ('entries' in item) for (const e of item.entries) index.add(e);
      else index.add(item as Entity);
    }
    return index;
  }

  add(entity: Entity): void {
    const idx = this.entities.length;
    const pe = prepareEntity(entity);
    this.entities.push(pe);
    for (const n of pe.names) {
      this.nameCount++;
      for (const text of indexTexts(n.prepared)) {
        let id = this.vocab.get(text);
        if (id === undefined) {
          id = this.vocabTexts.length;
          this.vocab.set(text, id);
          this.vocabTexts.push(text);
          this.postings.push([]);
          this.vocabAbjad.push(false);
          for (const k of relationKeys(text)) {
            const list = this.keys.get(k);
            if (list) list.push(id);
            else this.keys.set(k, [id]);
          }
        }
        if (n.prepared.abjad) this.vocabAbjad[id] = true;
        const p = this.postings[id];
        if (p[p.length - 1] !== idx) p.push(idx);
      }
    }
    for (const v of pe.identifiers) {
      const list = this.idents.get(v);
      if (!list) this.idents.set(v, [idx]);
      else if (list[list.length - 1] !== idx) list.push(idx);
    }
  }

  get stats(): IndexStats {
    return { entities: this.entities.length, names: this.nameCount, vocabulary: this.vocabTexts.length, keys: this.keys.size };
  }

  /** Entity positions that may score INDEX_FLOOR or more against the query. */
  candidates(pq: PreparedQuery): Set<number> {
    const out = new Set<number>();
    const seenVocab = new Set<number>();
    for (const n of pq.names) {
      for (const text of indexTexts(n)) {
        const probe: Token = { text, kind: /\d/.test(text) ? 'number' : 'word', weight: 1 };
        for (const k of relationKeys(text)) {
          const ids = this.keys.get(k);
          if (!ids) continue;
          for (const id of ids) {
            if (seenVocab.has(id)) continue;
            seenVocab.add(id);
            // Related but below MIN_TOKEN_SIM counts for nothing in the scorer: skip its postings.
            const other = this.vocabTexts[id];
            if (other !== text) {
              const m = tokenSimilarity(probe, { text: other, kind: probe.kind, weight: 1 }, n.abjad || this.vocabAbjad[id]);
              if (!m || m.sim < MIN_TOKEN_SIM) continue;
            }
            for (const e of this.postings[id]) out.add(e);
          }
        }
      }
    }
    for (const i of pq.query.identifiers ?? []) for (const e of this.idents.get(normalizeIdentifier(i.type, i.value)) ?? []) out.add(e);
    return out;
  }

  /** The best matches of a query at or above the threshold, from the index's candidates. */
  search(query: Query, options: SearchOptions = {}): ScreeningHit[] {
    const pq = this.prepare(query);
    return this.rank(pq, this.candidates(pq), options);
  }

  /** The same search comparing the query with every entity: the recall oracle of the index and a speed baseline. */
  searchExhaustive(query: Query, options: SearchOptions = {}): ScreeningHit[] {
    const pq = this.prepare(query);
    return this.rank(pq, this.entities.keys(), options);
  }

  private prepare(query: Query): PreparedQuery {
    if (!query?.names?.length || query.names.every((n) => !n?.trim())) throw new ScreeningInputError('names', 'at least one non-empty name is required');
    return prepareQuery(query);
  }

  private rank(pq: PreparedQuery, positions: Iterable<number>, options: SearchOptions): ScreeningHit[] {
    const threshold = options.threshold ?? DEFAULT_THRESHOLD;
    if (!(threshold >= INDEX_FLOOR && threshold <= 1)) throw new ScreeningInputError('threshold', `must be between ${INDEX_FLOOR} and 1`);
    const limit = options.limit ?? 10;
    const hits: ScreeningHit[] = [];
    for (const i of positions) {
      const pe = this.entities[i];
      const m = scoreEntity(pq, pe);
      if (m.score >= threshold) hits.push({ ...m, entity: pe.entity });
    }
    hits.sort((a, b) => b.score - a.score || (a.entityId < b.entityId ? -1 : 1));
    return hits.slice(0, limit);
  }
}
