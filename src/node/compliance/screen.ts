// The screening itself, over src/screening: a holder's profile against the current list versions (one index over
// every source), and the reverse for delta screens (changed list entries against an index of the profiles, to find
// the only holders who could match them). Pure computation: the service hands in lists, profiles and thresholds.
import {
  INDEX_FLOOR, MATCHER_VERSION, ScreeningIndex, entityHash, evidenceLeaf, prepareQuery,
  type Entity, type EvidenceRecord, type ListVersion, type MatchExplanation, type Query, type ScreeningDecision, type ScreeningKind,
} from '../../screening/index.js';
import { topicSources } from './config.js';

export interface Thresholds { review: number; autoAction: number }

export interface ListHit {
  entity: Entity;
  entityHash: string;
  listHash: string;
  score: number;
  /** The matcher's explanation: quotes the holder's names, so it is stored encrypted (case detail) and never logged. */
  explanation: MatchExplanation;
  /** An analyst dismissed this pair (holder, entry at this content) already: recorded, no new case. */
  suppressed: boolean;
}

export interface HolderScreening {
  bestScore: number;
  /** At or above the review threshold, best first. */
  hits: ListHit[];
  decision: ScreeningDecision;
  topics: Record<string, 'clear' | 'hit'>;
}

/**
 * The current version of every source, each with its own index: an import rebuilds only its source's index (the
 * others are taken over from the previous set), so a new PEP version does not re-index OFAC. A query searches each
 * index and merges the hits.
 */
export class ListSet {
  private readonly bySource = new Map<string, ListVersion>();
  private readonly indexes = new Map<string, { hash: string; index: ScreeningIndex }>();

  constructor(readonly versions: readonly ListVersion[], previous?: ListSet) {
    for (const v of versions) {
      this.bySource.set(v.source, v);
      const kept = previous?.indexes.get(v.source);
      this.indexes.set(v.source, kept && kept.hash === v.hash ? kept : { hash: v.hash, index: ScreeningIndex.build([v]) });
    }
  }

  /** The heads this set was built from, `source -> hash`: the service rebuilds when the database's heads differ. */
  get key(): string {
    return [...this.bySource.values()].map((v) => `${v.source}=${v.hash}`).sort().join(',');
  }

  version(source: string): ListVersion | undefined {
    return this.bySource.get(source);
  }

  get summary(): EvidenceRecord['lists'] {
    return [...this.bySource.values()].sort((a, b) => (a.source < b.source ? -1 : 1))
      .map((v) => ({ source: v.source, hash: v.hash, entryCount: v.entryCount, publishedAt: v.publishedAt }));
  }

  /** Entries that could match the query, scored, at or above INDEX_FLOOR, best first. */
  matches(query: Query, limit = 25): MatchExplanation[] {
    const hits: MatchExplanation[] = [];
    for (const { index } of this.indexes.values()) hits.push(...index.search(query, { threshold: INDEX_FLOOR, limit }));
    return hits.sort((a, b) => b.score - a.score).slice(0, limit);
  }
}

/**
 * Judges one holder from its matches: hits at the review threshold, the decision, and each topic's verdict (a topic is
 * `hit` when one of its sources holds a hit that is not a dismissed pair). `suppressed(entityId, entityHash)` says
 * whether an analyst dismissed the pair.
 */
export function judge(
  matches: readonly (MatchExplanation & { entity?: Entity })[],
  lists: ListSet,
  thresholds: Thresholds,
  topics: readonly number[],
  suppressed: (entityId: string, entityHash: string) => boolean,
): HolderScreening {
  const bestScore = matches.reduce((m, x) => Math.max(m, x.score), 0);
  const hits: ListHit[] = [];
  for (const m of matches) {
    if (m.score < thresholds.review) continue;
    const entity = m.entity ?? findEntity(lists, m.entityId);
    if (!entity) continue;
    const listHash = lists.version(entity.source)?.hash;
    if (!listHash) continue;
    const hash = entityHash(entity);
    hits.push({ entity, entityHash: hash, listHash, score: m.score, explanation: m, suppressed: suppressed(entity.id, hash) });
  }
  hits.sort((a, b) => b.score - a.score);
  const live = hits.filter((x) => !x.suppressed);
  const decision: ScreeningDecision = hits.length === 0 ? 'clear'
    : live.length === 0 ? 'suppressed'
    : live[0]!.score >= thresholds.autoAction ? 'hit' : 'review';
  const verdict: Record<string, 'clear' | 'hit'> = {};
  for (const t of topics) verdict[t] = live.some((x) => topicSources(t).includes(x.entity.source)) ? 'hit' : 'clear';
  return { bestScore, hits, decision, topics: verdict };
}

function findEntity(lists: ListSet, id: string): Entity | undefined {
  for (const v of lists.versions) {
    const e = v.entry(id);
    if (e) return e;
  }
  return undefined;
}

/** The evidence record of one screening (no personal data: identity, commitment, list hashes, scores, decision). */
export function evidenceRecord(p: {
  chainId: number; identity: string; profileCommitment: string; kind: ScreeningKind; screenedAt: Date; lists: ListSet;
  thresholds: Thresholds; result: HolderScreening;
}): { record: EvidenceRecord; leaf: string } {
  const record: EvidenceRecord = {
    format: 'masque-screening-evidence/1', chainId: p.chainId, identity: p.identity.toLowerCase(), profileCommitment: p.profileCommitment,
    kind: p.kind, screenedAt: p.screenedAt.toISOString(), lists: p.lists.summary,
    matcher: { version: MATCHER_VERSION, reviewThreshold: p.thresholds.review, autoActionThreshold: p.thresholds.autoAction },
    bestScore: p.result.bestScore,
    hits: p.result.hits.map((h) => ({ entityId: h.entity.id, entityHash: h.entityHash, score: h.score })),
    decision: p.result.decision, topics: p.result.topics,
  };
  return { record, leaf: evidenceLeaf(record) };
}

/** A list entry as a query (to look it up among the profiles). */
export function entityQuery(e: Entity): Query {
  return { names: e.names.map((n) => n.full), schema: e.schema, birthDates: e.birthDates, nationalities: e.nationalities, countries: e.countries, identifiers: e.identifiers };
}

/** A profile as an entity of the profile index (id = the holder's identity). */
export function profileEntity(identity: string, q: Query): Entity {
  return {
    id: identity, source: 'holders', schema: q.schema ?? 'Person',
    names: q.names.map((full, i) => ({ full, kind: i === 0 ? 'primary' : 'aka', quality: 'strong' })),
    birthDates: q.birthDates ?? [], nationalities: q.nationalities ?? [], countries: q.countries ?? [], identifiers: q.identifiers ?? [], programs: [],
  };
}

/**
 * The holders' profiles indexed like a list, for delta screens: the candidates for a changed entry are the profiles
 * sharing a relation key with it, which is exactly what the list index would have retrieved the entry for when
 * screening each profile (relation is symmetric: "shares a key"). Positions in the index map to identities; a profile
 * changed later is added again (its old position stays, harmless: candidates are re-scored from the current profile).
 */
export class ProfileIndex {
  private index = new ScreeningIndex();
  private identities: string[] = [];
  /** The last profile change folded in (screening_profile_changes.seq). */
  seq = 0;

  add(identity: string, q: Query): void {
    this.index.add(profileEntity(identity, q));
    this.identities.push(identity);
  }

  get size(): number {
    return this.identities.length;
  }

  /** Identities that could score INDEX_FLOOR or more against any of `entries`. */
  candidates(entries: readonly Entity[]): Set<string> {
    const out = new Set<string>();
    for (const e of entries) {
      const q = entityQuery(e);
      if (!q.names.some((n) => n.trim())) continue;
      for (const pos of this.index.candidates(prepareQuery(q)).keys()) out.add(this.identities[pos]!);
    }
    return out;
  }
}
