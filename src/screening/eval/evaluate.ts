/**
 * Measuring a name scorer on labelled pairs: precision, recall and F1 at a threshold, the curve over thresholds,
 * per category and per split. Pairs are split into a tuning half and a held-out half by a hash of the pair (or of
 * the list entry it was derived from), so the split is fixed and independent of order.
 */
import { parseCsv } from '../formats.js';
import { parseSchema, type Schema } from '../model.js';
import { sha256Hex } from '../version.js';

export interface LabelledPair {
  readonly name1: string;
  readonly name2: string;
  readonly schema?: Schema;
  readonly match: boolean;
  readonly category: string;
  readonly split: 'tune' | 'heldout';
}

export type PairScorer = (a: string, b: string, schema?: Schema) => number;

/** Which half a pair belongs to, from a stable key (the pair's text, or the list entry's id). */
export const splitOf = (key: string): 'tune' | 'heldout' => (parseInt(sha256Hex(key).slice(0, 2), 16) % 2 === 0 ? 'tune' : 'heldout');

/** Reads the committed set (`pairs.csv`: name1,name2,schema,label,category). */
export function parsePairs(text: string, file = 'pairs.csv'): LabelledPair[] {
  const [header, ...rows] = parseCsv(file, text);
  const col = (n: string) => header.fields.indexOf(n);
  return rows.map((r) => {
    const f = (n: string) => r.fields[col(n)] ?? '';
    return { name1: f('name1'), name2: f('name2'), schema: parseSchema(f('schema')), match: f('label') === '1', category: f('category'), split: splitOf(`${f('name1')}\n${f('name2')}`) };
  });
}

export interface Counts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface Metrics extends Counts {
  readonly pairs: number;
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function metrics(c: Counts): Metrics {
  const precision = c.tp + c.fp ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn ? c.tp / (c.tp + c.fn) : 1;
  return { ...c, pairs: c.tp + c.fp + c.fn + c.tn, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0 };
}

export interface Scored extends LabelledPair {
  readonly score: number;
}

export function scorePairs(pairs: readonly LabelledPair[], scorer: PairScorer): Scored[] {
  return pairs.map((p) => ({ ...p, score: scorer(p.name1, p.name2, p.schema) }));
}

export function countAt(scored: readonly Scored[], threshold: number): Counts {
  const c: Counts = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const s of scored) {
    const yes = s.score >= threshold;
    if (s.match) yes ? c.tp++ : c.fn++;
    else yes ? c.fp++ : c.tn++;
  }
  return c;
}

export interface Report {
  readonly threshold: number;
  readonly overall: Record<'all' | 'tune' | 'heldout', Metrics>;
  /** Per category: positives' recall or negatives' false-match rate, at the threshold. */
  readonly categories: { category: string; split: 'all' | 'tune' | 'heldout'; pairs: number; positives: number; recall: number; falseMatchRate: number }[];
  readonly curve: { threshold: number; all: Metrics; heldout: Metrics }[];
}

export function report(scored: readonly Scored[], threshold: number, curveThresholds = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]): Report {
  const of = (split: 'all' | 'tune' | 'heldout') => scored.filter((s) => split === 'all' || s.split === split);
  const categories = [...new Set(scored.map((s) => s.category))].sort().map((category) => {
    const rows = scored.filter((s) => s.category === category);
    const c = countAt(rows, threshold);
    const positives = c.tp + c.fn;
    return { category, split: 'all' as const, pairs: rows.length, positives, recall: positives ? c.tp / positives : NaN, falseMatchRate: c.fp + c.tn ? c.fp / (c.fp + c.tn) : NaN };
  });
  return {
    threshold,
    overall: { all: metrics(countAt(of('all'), threshold)), tune: metrics(countAt(of('tune'), threshold)), heldout: metrics(countAt(of('heldout'), threshold)) },
    categories,
    curve: curveThresholds.map((t) => ({ threshold: t, all: metrics(countAt(of('all'), t)), heldout: metrics(countAt(of('heldout'), t)) })),
  };
}

/** The threshold that maximises F1 on the given pairs (for tuning: call it on the tuning half only). */
export function bestThreshold(scored: readonly Scored[]): { threshold: number; f1: number } {
  let best = { threshold: 0.5, f1: -1 };
  for (let t = 0.5; t <= 0.951; t += 0.01) {
    const f1 = metrics(countAt(scored, t)).f1;
    if (f1 > best.f1) best = { threshold: Math.round(t * 100) / 100, f1 };
  }
  return best;
}
