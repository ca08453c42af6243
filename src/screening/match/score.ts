/**
 * Scoring a query against a listed entity: names token by token (order-free alignment, compounds), then qualifiers
 * from the other fields, with an explanation of every step. Scores are in [0, 1]; an exact identifier is 1.
 */
import { normalizeIdentifier, schemasCompatible, type Entity, type EntityName, type Identifier, type Query, type Schema } from '../model.js';
import { fold } from './fold.js';
import { MIN_TOKEN_SIM, tokenSimilarity, type TokenRule } from './similarity.js';
import { isDistinctive, prepareName, type PreparedName, type Token } from './text.js';

/** Changes whenever a rule or a weight changes: evidence records cite it with the threshold. */
export const MATCHER_VERSION = 'masque-screening-matcher/1.0.0';
/** The default decision threshold (tuned on the tuning half of the evaluation set only: see eval/). */
export const DEFAULT_THRESHOLD = 0.8;
/**
 * A name with no distinctive word in common scores at most this, and qualifiers add at most QUALIFIER_MAX: the index
 * therefore finds every entity scoring INDEX_FLOOR or more, since it retrieves on related distinctive words.
 */
export const UNANCHORED_CAP = 0.3;
export const QUALIFIER_MAX = 0.1;
export const INDEX_FLOOR = 0.45;

export interface TokenPair {
  readonly query: string;
  readonly candidate: string;
  readonly sim: number;
  readonly rule: TokenRule;
}

export interface NameComparison {
  readonly score: number;
  readonly pairs: readonly TokenPair[];
  readonly unmatchedQuery: readonly string[];
  readonly unmatchedCandidate: readonly string[];
  /** Rules that capped or replaced the token score ("numbers differ", "one name part only", "joined"). */
  readonly notes: readonly string[];
}

/**
 * Persons: a name fully found inside a longer one (missing middle names, patronymics) is a strong match, the longer
 * side's extra parts weighing little; otherwise both coverages count, the better one more. Non-decreasing in both
 * coverages (the index's upper bound relies on it).
 */
export function personScore(short: number, long: number, shortDistinct: number): number {
  const both = 0.6 * Math.max(short, long) + 0.4 * Math.min(short, long);
  return short >= 0.85 && shortDistinct >= 2 ? Math.max(both, 0.8 * short + 0.2 * long) : both;
}

interface Assigned { qi: number[]; ci: number[]; sim: number; rule: TokenRule }

const weightOf = (tokens: readonly Token[], idx: readonly number[]) => idx.reduce((s, i) => s + tokens[i].weight, 0);

/** Compares two prepared names. `person` selects the person rules (missing middle names, one-part caps). */
export function compareNames(q: PreparedName, c: PreparedName, person: boolean): NameComparison {
  const abjad = q.abjad || c.abjad;
  const qt = q.tokens;
  const ct = c.tokens;
  const cands: { i: number; j: number; sim: number; rule: TokenRule; w: number }[] = [];
  for (let i = 0; i < qt.length; i++) {
    for (let j = 0; j < ct.length; j++) {
      const m = tokenSimilarity(qt[i], ct[j], abjad);
      if (m) cands.push({ i, j, sim: m.sim, rule: m.rule, w: qt[i].weight + ct[j].weight });
    }
  }
  cands.sort((a, b) => b.sim - a.sim || b.w - a.w || a.i - b.i || a.j - b.j);
  const usedQ = new Uint8Array(qt.length);
  const usedC = new Uint8Array(ct.length);
  const assigned: Assigned[] = [];
  for (const m of cands) {
    if (usedQ[m.i] || usedC[m.j]) continue;
    usedQ[m.i] = 1;
    usedC[m.j] = 1;
    assigned.push({ qi: [m.i], ci: [m.j], sim: m.sim, rule: m.rule });
  }
  // Compounds: two adjacent unmatched words on one side written as one unmatched word on the other.
  compound(qt, ct, usedQ, usedC, assigned, false);
  compound(ct, qt, usedC, usedQ, assigned, true);
  const anchored = assigned.some((a) => a.rule === 'compound' || (isDistinctive(qt[a.qi[0]]) && isDistinctive(ct[a.ci[0]])));
  const notes: string[] = [];
  const qW = weightOf(qt, qt.map((_, i) => i));
  const cW = weightOf(ct, ct.map((_, i) => i));
  let qM = 0;
  let cM = 0;
  for (const a of assigned) {
    qM += weightOf(qt, a.qi) * a.sim;
    cM += weightOf(ct, a.ci) * a.sim;
  }
  const covQ = qW ? qM / qW : 0;
  const covC = cW ? cM / cW : 0;
  const distinctQ = qt.filter(isDistinctive).length;
  const distinctC = ct.filter(isDistinctive).length;
  // Organisations: both sides' unmatched words count alike.
  const [short, long] = qW <= cW ? [covQ, covC] : [covC, covQ];
  const shortDistinct = qW <= cW ? distinctQ : distinctC;
  let score = person ? personScore(short, long, shortDistinct) : 0.5 * covQ + 0.5 * covC;
  const anchors = assigned.filter((a) => a.qi.some((i) => isDistinctive(qt[i])) && a.ci.some((j) => isDistinctive(ct[j])) && a.rule !== 'initial').length;
  const initials = assigned.filter((a) => a.rule === 'initial').length;
  if (person && anchors === 1 && Math.max(distinctQ, distinctC) >= 2) {
    // One name part in common: initials of the others may support it a little, never to a certain match.
    const cap = initials ? 0.85 : 0.7;
    if (score > cap) {
      score = cap;
      notes.push(initials ? 'one name part and initials' : 'one name part only');
    }
  }
  // Numbers (vessel numerals, branch numbers) must agree when both names carry them.
  const numQ = qt.filter((t) => t.kind === 'number').map((t) => t.text);
  const numC = ct.filter((t) => t.kind === 'number').map((t) => t.text);
  if (numQ.length && numC.length && (numQ.some((n) => !numC.includes(n)) || numC.some((n) => !numQ.includes(n)))) {
    score = Math.min(score, 0.5);
    notes.push('numbers differ');
  }
  // The names written as one word ("kimjongun", "abubakr") when the token counts differ.
  if (distinctQ !== distinctC && q.joined && c.joined) {
    const j = tokenSimilarity({ text: q.joined, kind: 'word', weight: 1 }, { text: c.joined, kind: 'word', weight: 1 }, abjad);
    if (j && j.sim >= 0.85 && 0.95 * j.sim > score) {
      score = 0.95 * j.sim;
      notes.push(`joined: ${q.joined} ~ ${c.joined} (${j.rule})`);
      return explain(q, c, assigned, score, notes, true);
    }
  }
  if (!anchored) {
    score = Math.min(score, UNANCHORED_CAP);
    notes.push('no distinctive word in common');
  }
  return explain(q, c, assigned, score, notes, false);
}

/**
 * "Jongun" = "Jong Un", "Alqaida" = "Al Qaida": the same letters (or the same transliteration fold) spaced
 * differently. Only equality counts, so the index finds compounds by exact keys of adjacent pairs.
 */
function compound(a: readonly Token[], b: readonly Token[], usedA: Uint8Array, usedB: Uint8Array, out: Assigned[], swapped: boolean): void {
  for (let k = 0; k + 1 < b.length; k++) {
    if (usedB[k] || usedB[k + 1]) continue;
    const joined = b[k].text + b[k + 1].text;
    let folded: string | undefined;
    for (let i = 0; i < a.length; i++) {
      if (usedA[i] || !isDistinctive(a[i]) || Math.abs(a[i].text.length - joined.length) > 3) continue;
      const sim = a[i].text === joined ? 1 : fold(a[i].text) === (folded ??= fold(joined)) ? 0.96 : 0;
      if (!sim) continue;
      usedA[i] = 1;
      usedB[k] = 1;
      usedB[k + 1] = 1;
      out.push(swapped ? { qi: [k, k + 1], ci: [i], sim, rule: 'compound' } : { qi: [i], ci: [k, k + 1], sim, rule: 'compound' });
      break;
    }
  }
}

function explain(q: PreparedName, c: PreparedName, assigned: Assigned[], score: number, notes: string[], joined: boolean): NameComparison {
  const usedQ = new Set(assigned.flatMap((a) => a.qi));
  const usedC = new Set(assigned.flatMap((a) => a.ci));
  return {
    score: Math.max(0, Math.min(1, score)),
    pairs: assigned.map((a) => ({ query: a.qi.map((i) => q.tokens[i].text).join('+'), candidate: a.ci.map((j) => c.tokens[j].text).join('+'), sim: round(a.sim), rule: a.rule })),
    unmatchedQuery: joined ? [] : q.tokens.filter((_, i) => !usedQ.has(i)).map((t) => t.text),
    unmatchedCandidate: joined ? [] : c.tokens.filter((_, i) => !usedC.has(i)).map((t) => t.text),
    notes,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Scores two bare names, as `masque screening score-pairs` does. */
export function scoreNames(a: string, b: string, schema?: Schema): NameComparison {
  const pa = prepareName(a, schema);
  const pb = prepareName(b, schema);
  if (!pa.tokens.length || !pb.tokens.length) return { score: 0, pairs: [], unmatchedQuery: [], unmatchedCandidate: [], notes: ['empty name'] };
  const person = schema ? schema === 'Person' : !pa.orgLike && !pb.orgLike;
  return compareNames(pa, pb, person);
}

// ---------------------------------------------------------------------------------------------------------------
// Entities

export interface PreparedEntity {
  readonly entity: Entity;
  readonly names: readonly { readonly name: EntityName; readonly prepared: PreparedName }[];
  readonly identifiers: ReadonlySet<string>;
}

export interface PreparedQuery {
  readonly query: Query;
  readonly names: readonly PreparedName[];
}

export function prepareEntity(entity: Entity): PreparedEntity {
  return {
    entity,
    names: entity.names.map((name) => ({ name, prepared: prepareName(name.full, entity.schema) })).filter((n) => n.prepared.tokens.length),
    identifiers: new Set(entity.identifiers.map((i) => i.value)),
  };
}

export function prepareQuery(query: Query): PreparedQuery {
  return { query, names: query.names.map((n) => prepareName(n, query.schema)).filter((n) => n.tokens.length) };
}

export interface Qualifier {
  readonly field: 'birthDate' | 'nationality' | 'country' | 'schema' | 'alias';
  readonly effect: number;
  readonly detail: string;
}

export interface MatchExplanation {
  readonly entityId: string;
  readonly score: number;
  readonly nameScore: number;
  /** The query name and the list name that scored best. */
  readonly queryName: string;
  readonly listName: string;
  readonly listNameKind: EntityName['kind'];
  readonly listNameQuality: EntityName['quality'];
  readonly name: NameComparison;
  readonly qualifiers: readonly Qualifier[];
  /** Set when an identifier (passport, wallet, IMO, ...) matched exactly: the score is then 1. */
  readonly identifier?: Identifier;
}

/** Year bounds of an ISO birth date or a `YYYY/YYYY` range. */
function years(d: string): [number, number] {
  const m = /^(\d{4})(?:\/(\d{4}))?/.exec(d);
  if (!m) return [NaN, NaN];
  return [Number(m[1]), Number(m[2] ?? m[1])];
}

function dobQualifier(q: readonly string[], e: readonly string[]): Qualifier | undefined {
  if (!q.length || !e.length) return undefined;
  if (q.some((a) => a.length === 10 && e.includes(a))) return { field: 'birthDate', effect: 0.05, detail: 'same date of birth' };
  const overlap = q.some((a) => e.some((b) => {
    const [a0, a1] = years(a);
    const [b0, b1] = years(b);
    return a0 <= b1 && b0 <= a1;
  }));
  if (overlap) return { field: 'birthDate', effect: 0.02, detail: 'birth year agrees' };
  const near = q.some((a) => e.some((b) => {
    const [a0, a1] = years(a);
    const [b0, b1] = years(b);
    return a0 - 1 <= b1 && b0 - 1 <= a1;
  }));
  return near ? undefined : { field: 'birthDate', effect: -0.2, detail: `birth years differ (${q.join(', ')} / ${e.join(', ')})` };
}

function countryQualifiers(query: Query, e: Entity): Qualifier[] {
  const out: Qualifier[] = [];
  const qn = query.nationalities ?? [];
  if (qn.length && e.nationalities.length) {
    out.push(qn.some((n) => e.nationalities.includes(n))
      ? { field: 'nationality', effect: 0.02, detail: 'nationality agrees' }
      : { field: 'nationality', effect: -0.05, detail: `nationalities differ (${qn.join(', ')} / ${e.nationalities.join(', ')})` });
  }
  const qc = query.countries ?? [];
  const ec = [...e.nationalities, ...e.countries];
  if (qc.length && ec.length) {
    out.push(qc.some((c) => ec.includes(c))
      ? { field: 'country', effect: 0.02, detail: 'country agrees' }
      : { field: 'country', effect: -0.03, detail: `no country in common (${qc.join(', ')} / ${[...new Set(ec)].join(', ')})` });
  }
  return out;
}

/**
 * Scores a prepared query against a prepared entity, with the explanation. `slots` limits the comparison to those
 * names (the index passes the names whose upper bound reaches the threshold).
 */
export function scoreEntity(pq: PreparedQuery, pe: PreparedEntity, slots?: ReadonlySet<number>): MatchExplanation {
  const q = pq.query;
  const e = pe.entity;
  const person = q.schema ? q.schema === 'Person' : e.schema === 'Person';
  let best: { cmp: NameComparison; qi: number; n: (typeof pe.names)[number]; adjusted: number } | undefined;
  for (let qi = 0; qi < pq.names.length; qi++) {
    for (const [slot, n] of pe.names.entries()) {
      if (slots && !slots.has(slot)) continue;
      const cmp = compareNames(pq.names[qi], n.prepared, person);
      // A weak (low-quality) alias is weaker evidence than a strong name.
      const adjusted = n.name.quality === 'weak' ? cmp.score * 0.95 : cmp.score;
      if (!best || adjusted > best.adjusted) best = { cmp, qi, n, adjusted };
    }
  }
  const qualifiers: Qualifier[] = [];
  const identifier = (q.identifiers ?? []).find((i) => {
    const v = normalizeIdentifier(i.type, i.value);
    return pe.identifiers.has(v) && e.identifiers.some((x) => x.value === v && (x.type === i.type || x.type === 'other' || i.type === 'other'));
  });
  if (!best) {
    return { entityId: e.id, score: identifier ? 1 : 0, nameScore: 0, queryName: '', listName: '', listNameKind: 'primary', listNameQuality: 'strong', name: { score: 0, pairs: [], unmatchedQuery: [], unmatchedCandidate: [], notes: ['no name'] }, qualifiers, ...(identifier ? { identifier } : {}) };
  }
  const nameScore = best.cmp.score;
  let score = best.adjusted;
  if (best.n.name.quality === 'weak') qualifiers.push({ field: 'alias', effect: round(best.adjusted - nameScore), detail: 'weak alias' });
  if (q.schema && !schemasCompatible(q.schema, e.schema)) qualifiers.push({ field: 'schema', effect: -0.25, detail: `${q.schema} vs ${e.schema}` });
  const dob = dobQualifier(q.birthDates ?? [], e.birthDates);
  if (dob) qualifiers.push(dob);
  qualifiers.push(...countryQualifiers(q, e));
  let bonus = 0;
  for (const x of qualifiers) {
    if (x.field === 'alias') continue;
    if (x.effect > 0) bonus += x.effect;
    else score += x.effect;
  }
  // Agreeing details confirm a name match; they never make one out of an unrelated name.
  if (score >= 0.5) score += Math.min(bonus, QUALIFIER_MAX);
  score = identifier ? 1 : Math.max(0, Math.min(1, score));
  return {
    entityId: e.id, score: round(score), nameScore: round(nameScore), queryName: pq.names[best.qi].raw, listName: best.n.name.full,
    listNameKind: best.n.name.kind, listNameQuality: best.n.name.quality, name: best.cmp, qualifiers, ...(identifier ? { identifier } : {}),
  };
}

export { MIN_TOKEN_SIM };
