/**
 * Matcher quality on the labelled pairs: the committed set (src/screening/eval/pairs.csv) and, when the shared
 * lists are present, pairs derived from them at run time. Run alone to tune: `npx tsx bench/screening-quality.ts`
 * (prints the misclassified tuning pairs; the held-out half is only ever summarised).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cslImporter, importList, ofacSdnImporter, unConsolidatedImporter, type ListVersion } from '../src/screening/index.js';
import { derivePairs } from '../src/screening/eval/derive.js';
import { bestThreshold, parsePairs, report, scorePairs, type LabelledPair, type Report, type Scored } from '../src/screening/eval/evaluate.js';
import { BASELINE_THRESHOLD, jaroWinklerBaseline } from '../src/screening/match/baseline.js';
import { DEFAULT_THRESHOLD, scoreNames } from '../src/screening/match/score.js';

export const LISTS = [process.env.MASQUE_LISTS, join(import.meta.dirname, '../../shared/lists'), '/work/shared/lists'].find((d) => d && existsSync(join(d, 'sdn.csv')));

export function loadRealLists(dir: string): ListVersion[] {
  const f = (n: string) => ({ name: n, data: readFileSync(join(dir, n)) });
  return [
    importList(ofacSdnImporter, [f('sdn.csv'), f('alt.csv'), f('add.csv'), f('sdn_comments.csv')]),
    importList(unConsolidatedImporter, [f('UN_consolidated.xml')]),
    importList(cslImporter, [f('csl.csv')]),
  ];
}

export interface QualityResult {
  readonly committed: { masque: Report; baseline: Report; pairs: number };
  readonly derived?: { masque: Report; baseline: Report; pairs: number };
  readonly tunedThreshold: { threshold: number; f1: number };
  readonly scored: Scored[];
}

export function measureQuality(versions?: readonly ListVersion[]): QualityResult {
  const committed = parsePairs(readFileSync(join(import.meta.dirname, '../src/screening/eval/pairs.csv'), 'utf8'));
  const derived: LabelledPair[] = versions ? derivePairs(versions) : [];
  const masque = (a: string, b: string, s?: Parameters<typeof scoreNames>[2]) => scoreNames(a, b, s).score;
  const sc = scorePairs(committed, masque);
  const sd = scorePairs(derived, masque);
  const all = [...sc, ...sd];
  return {
    committed: { masque: report(sc, DEFAULT_THRESHOLD), baseline: report(scorePairs(committed, jaroWinklerBaseline), BASELINE_THRESHOLD), pairs: committed.length },
    ...(derived.length ? { derived: { masque: report(sd, DEFAULT_THRESHOLD), baseline: report(scorePairs(derived, jaroWinklerBaseline), BASELINE_THRESHOLD), pairs: derived.length } } : {}),
    tunedThreshold: bestThreshold(all.filter((s) => s.split === 'tune')),
    scored: all,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const q = measureQuality(LISTS ? loadRealLists(LISTS) : undefined);
  const fmt = (m: { precision: number; recall: number; f1: number; pairs: number }) => `P ${m.precision.toFixed(3)} R ${m.recall.toFixed(3)} F1 ${m.f1.toFixed(3)} (${m.pairs})`;
  for (const [name, set] of [['committed', q.committed], ['derived', q.derived]] as const) {
    if (!set) continue;
    console.log(`\n${name}: masque tune ${fmt(set.masque.overall.tune)} | heldout ${fmt(set.masque.overall.heldout)}`);
    console.log(`${name}: baseline all ${fmt(set.baseline.overall.all)}`);
    for (const c of set.masque.categories) console.log(`  ${c.category.padEnd(28)} n=${String(c.pairs).padStart(4)} ${c.positives ? `recall ${c.recall.toFixed(3)}` : `false-match ${c.falseMatchRate.toFixed(3)}`}`);
  }
  console.log('best threshold on the tuning half:', q.tunedThreshold);
  const wrong = q.scored.filter((s) => s.split === 'tune' && (s.score >= DEFAULT_THRESHOLD) !== s.match);
  const show = process.argv.includes('--all') ? wrong : wrong.slice(0, 80);
  for (const s of show) console.log(`${s.match ? 'FN' : 'FP'} ${s.score.toFixed(3)} [${s.category}] ${s.name1} | ${s.name2}`);
  console.log(`${wrong.length} tuning pairs misclassified`);
}
