/**
 * `npm run bench -- screening`: list ingestion, index memory, one name against all lists, 100,000 holder profiles on
 * two worker threads, side by side with the exhaustive comparison (same scorer) and a plain Jaro-Winkler baseline
 * (watchman-like), and the matcher's quality on the labelled pairs. Needs the shared list snapshot
 * (../shared/lists, or $MASQUE_LISTS); without it the report says so and gives the quality on the committed pairs only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { parse as csvParse } from 'csv-parse/sync';
import { MATCHER_VERSION, DEFAULT_THRESHOLD, ScreeningIndex, decodeText, parseCsv, type ListVersion, type Query } from '../src/screening/index.js';
import { derivePairs } from '../src/screening/eval/derive.js';
import type { Report } from '../src/screening/eval/evaluate.js';
import { BASELINE_THRESHOLD, jaroWinklerBaseline } from '../src/screening/match/baseline.js';
import { LISTS, loadRealLists, measureQuality } from './screening-quality.js';
import { fmt, heapUsedMb, loadAverage, median, percentile, rng, table } from './stats.js';
import type { BenchModule } from './types.js';

const time = <T>(f: () => T): [T, number] => {
  const t = performance.now();
  const r = f();
  return [r, performance.now() - t];
};
const met = (ok: boolean) => (ok ? 'met' : '**NOT met**');

const FIRST = `James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica
  Thomas Sarah Charles Karen Mohammed Fatima Ahmed Aisha Ali Omar Hassan Layla Yusuf Mariam Ivan Olga Sergei Natalia Dmitri
  Anna Alexei Elena Wei Li Jun Mei Hiroshi Yuki Min-jun Seo-yeon Carlos Maria Jose Lucia Juan Carmen Luis Ana Pierre Marie
  Jean Sophie Hans Greta Giovanni Giulia Ahmet Ayse Raj Priya Amit Sunita Kwame Ama Chinedu Ngozi Abdullah Khadija Reza Zahra`.split(/\s+/);
const LAST = `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson
  Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Khan Hussein Rahman
  Haddad Nasser Mansour Al-Sayed Ibrahim Petrov Ivanov Smirnova Kuznetsov Popov Wang Zhang Liu Chen Yang Tanaka Suzuki Kim
  Park Choi Nguyen Tran Muller Schmidt Schneider Rossi Bianchi Dubois Moreau Yilmaz Kaya Sharma Patel Singh Okafor Mensah
  Mahmoud Karimi Hosseini Rezaei Farouk Salem Qureshi Chaudhry`.split(/\s+/);
const COUNTRIES = ['US', 'GB', 'FR', 'DE', 'RU', 'CN', 'IR', 'SY', 'MX', 'CO', 'NG', 'IN', 'PK', 'AE', 'TR', 'JP', 'KR', 'EG'];

/** Holder profiles: random names from common first and family names of many countries, 1% variants of listed names. */
function holderProfiles(n: number, versions: readonly ListVersion[]): Query[] {
  const r = rng(4242);
  const pick = <T>(a: readonly T[]) => a[Math.floor(r() * a.length)];
  const variants = derivePairs(versions, { perCategory: 200, seed: 99 }).filter((p) => p.match).map((p) => p.name2);
  const out: Query[] = [];
  for (let i = 0; i < n; i++) {
    const listed = i % 100 === 0;
    const name = listed ? pick(variants) : r() < 0.3 ? `${pick(FIRST)} ${pick(FIRST)} ${pick(LAST)}` : `${pick(FIRST)} ${pick(LAST)}`;
    const year = 1940 + Math.floor(r() * 60);
    out.push({ names: [name], schema: 'Person', birthDates: [`${year}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`], nationalities: [pick(COUNTRIES)] });
  }
  return out;
}

async function screenInWorkers(dir: string, profiles: Query[], workers: number) {
  const share = Math.ceil(profiles.length / workers);
  const start = performance.now();
  const results = await Promise.all(Array.from({ length: workers }, (_, w) => new Promise<{ buildMs: number; screenMs: number; hits: number; flagged: number; profiles: number }>((resolve, reject) => {
    const worker = new Worker(new URL('./ts-worker.mjs', import.meta.url), { workerData: { entry: new URL('./screening-worker.ts', import.meta.url).href, dir, profiles: profiles.slice(w * share, (w + 1) * share) } });
    worker.once('message', resolve);
    worker.once('error', reject);
  })));
  return { wallMs: performance.now() - start, results };
}

function qualityTables(title: string, set: { masque: Report; baseline: Report; pairs: number }): string {
  const m = set.masque.overall;
  const b = set.baseline.overall.all;
  const row = (label: string, x: { precision: number; recall: number; f1: number; pairs: number }) => [label, fmt(x.pairs), x.precision.toFixed(3), x.recall.toFixed(3), x.f1.toFixed(3)];
  const cats = set.masque.categories.map((c) => {
    const base = set.baseline.categories.find((x) => x.category === c.category)!;
    return [c.category, c.pairs, c.positives ? `recall ${c.recall.toFixed(3)}` : `false matches ${c.falseMatchRate.toFixed(3)}`, c.positives ? `recall ${base.recall.toFixed(3)}` : `false matches ${base.falseMatchRate.toFixed(3)}`];
  });
  const curve = set.masque.curve.map((p) => {
    const bl = set.baseline.curve.find((x) => x.threshold === p.threshold)!;
    return [p.threshold.toFixed(2), p.all.precision.toFixed(3), p.all.recall.toFixed(3), p.all.f1.toFixed(3), p.heldout.f1.toFixed(3), bl.all.precision.toFixed(3), bl.all.recall.toFixed(3), bl.all.f1.toFixed(3)];
  });
  return [
    `### ${title} (${fmt(set.pairs)} pairs)`,
    '',
    table(['', 'pairs', 'precision', 'recall', 'F1'], [
      row(`Masque, all (threshold ${set.masque.threshold})`, m.all), row('Masque, tuning half', m.tune), row('Masque, **held-out half**', m.heldout),
      row(`Jaro-Winkler baseline (cutoff ${BASELINE_THRESHOLD})`, b),
    ]),
    '',
    table(['category', 'pairs', `Masque at ${set.masque.threshold}`, `baseline at ${BASELINE_THRESHOLD}`], cats),
    '',
    'Over thresholds (Masque all / held-out F1; baseline all):',
    '',
    table(['threshold', 'P', 'R', 'F1', 'held-out F1', 'baseline P', 'baseline R', 'baseline F1'], curve),
  ].join('\n');
}

export const run: BenchModule = async () => {
  const lines: string[] = [`Load average at start: ${loadAverage()}. Matcher \`${MATCHER_VERSION}\`, default threshold ${DEFAULT_THRESHOLD}.`, ''];
  if (!LISTS) {
    lines.push('**The shared list snapshot (../shared/lists) is not present: speed figures need it and are skipped.**', '');
    const q = measureQuality();
    lines.push('## Quality', '', qualityTables('Committed pairs (src/screening/eval/pairs.csv)', q.committed));
    return { name: 'screening', title: 'Screening: lists, index and matcher', markdown: lines.join('\n') };
  }
  const dir = LISTS;
  // Ingestion: parse + entity model + content hashes of OFAC SDN (4 files), UN and CSL.
  const ingest: number[] = [];
  let versions: ListVersion[] = [];
  for (let i = 0; i < 3; i++) {
    const [v, ms] = time(() => loadRealLists(dir));
    versions = v;
    ingest.push(ms);
  }
  const names = versions.reduce((n, v) => n + v.entries.reduce((m, e) => m + e.names.length, 0), 0);
  const entries = versions.reduce((n, v) => n + v.entryCount, 0);
  // CSV: the hand-written parser against csv-parse on the same files.
  const csvFiles = ['sdn.csv', 'alt.csv', 'add.csv', 'csl.csv'].map((f) => decodeText(f, readFileSync(join(dir, f))));
  const mine = median([0, 1, 2].map(() => time(() => csvFiles.forEach((t) => parseCsv('f', t)))[1]));
  const lib = median([0, 1, 2].map(() => time(() => csvFiles.forEach((t) => csvParse(t, { relax_column_count: true, skip_empty_lines: true })))[1]));
  // Index.
  const before = heapUsedMb();
  const [index, buildMs] = time(() => ScreeningIndex.build(versions));
  const indexMb = heapUsedMb() - before;
  // One name against all lists: variants of listed names (hits) and holder-like names (mostly misses).
  const sample = holderProfiles(400, versions);
  const queries: Query[] = [...derivePairs(versions, { perCategory: 20, seed: 5 }).map((p) => ({ names: [p.name2] })), ...sample.slice(1, 300)];
  for (const q of queries) index.search(q); // warm-up: JIT and the word-comparison cache
  const lat = queries.map((q) => time(() => index.search(q))[1]);
  const exhaustiveSample = queries.filter((_, i) => i % 10 === 0).slice(0, 40);
  const exLat = exhaustiveSample.map((q) => time(() => index.searchExhaustive(q))[1]);
  const allNames = versions.flatMap((v) => v.entries.flatMap((e) => e.names.map((n) => n.full)));
  const jwLat = exhaustiveSample.map((q) => time(() => {
    let found = 0;
    for (const n of allNames) if (jaroWinklerBaseline(q.names[0], n) >= BASELINE_THRESHOLD) found++;
    return found;
  })[1]);
  const p50 = median(lat);
  const p99 = percentile(lat, 99);
  // 100,000 holder profiles on two worker threads (each builds its own index from the files).
  const profiles = holderProfiles(100_000, versions);
  const w = await screenInWorkers(dir, profiles, 2);
  const screenS = Math.max(...w.results.map((r) => r.screenMs)) / 1000;
  const flagged = w.results.reduce((n, r) => n + r.flagged, 0);
  const exhaustive100k = (median(exLat) * 100_000) / 2 / 1000;
  const jw100k = (median(jwLat) * 100_000) / 2 / 1000;
  const ingestMs = median(ingest);
  lines.push(
    '## Speed and memory',
    '',
    `Lists: OFAC SDN (with ALT, ADD, SDN_COMMENTS), UN consolidated, CSL excerpt: ${fmt(entries)} entries, ${fmt(names)} names. `
      + `Index: ${fmt(index.stats.vocabulary)} indexed texts, ${fmt(index.stats.keys)} keys.`,
    '',
    table(['measure', 'Masque', 'peer in the same run', 'ratio', 'goal'], [
      ['ingest (parse + model + hashes), median of 3', `${fmt(ingestMs)} ms`, '', '', `< 2,000 ms ${met(ingestMs < 2000)}`],
      ['CSV parsing of sdn/alt/add/csl', `${fmt(mine, 1)} ms (hand-written)`, `${fmt(lib, 1)} ms (csv-parse)`, `${(lib / mine).toFixed(1)}x faster`, ''],
      ['index build', `${fmt(buildMs)} ms`, '', '', ''],
      ['index memory (heap growth)', `${fmt(indexMb)} MB`, '', '', `< 200 MB ${met(indexMb < 200)}`],
      [`one name vs all lists, median (${queries.length} queries)`, `${p50.toFixed(2)} ms`, `exhaustive, same scorer: ${median(exLat).toFixed(1)} ms; Jaro-Winkler baseline: ${median(jwLat).toFixed(1)} ms`, `${(median(exLat) / p50).toFixed(0)}x / ${(median(jwLat) / p50).toFixed(0)}x`, `< 1 ms ${met(p50 < 1)}`],
      ['one name vs all lists, p99', `${p99.toFixed(2)} ms`, '', '', `< 5 ms ${met(p99 < 5)}`],
      ['100,000 profiles, 2 worker threads (screening)', `${screenS.toFixed(1)} s`, `exhaustive: ~${fmt(exhaustive100k)} s; Jaro-Winkler: ~${fmt(jw100k)} s (extrapolated, 2 cores)`, `${(exhaustive100k / screenS).toFixed(0)}x / ${(jw100k / screenS).toFixed(0)}x`, `< 60 s ${met(screenS < 60)}`],
      ['100,000 profiles, wall time with index builds', `${(w.wallMs / 1000).toFixed(1)} s`, '', '', ''],
    ]),
    '',
    `Profiles: ${fmt(profiles.length)} persons with a date of birth and a nationality (common names of many countries; 1% are variants of listed names); ${fmt(flagged)} flagged at ${DEFAULT_THRESHOLD}. `
      + `The exhaustive and Jaro-Winkler figures are per-query medians over ${exhaustiveSample.length} queries, extrapolated. Load average at the end: ${loadAverage()}.`,
    '',
  );
  const q = measureQuality(versions);
  lines.push('## Quality', '', `Best threshold on the tuning half only: ${q.tunedThreshold.threshold} (F1 ${q.tunedThreshold.f1.toFixed(3)}); the default stays ${DEFAULT_THRESHOLD}.`, '');
  lines.push(qualityTables('Committed pairs (src/screening/eval/pairs.csv, written by hand)', q.committed), '');
  if (q.derived) lines.push(qualityTables('Pairs derived from the real lists at run time', q.derived), '');
  return { name: 'screening', title: 'Screening: lists, index and matcher', markdown: lines.join('\n') };
};
