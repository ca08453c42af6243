// The index against its oracle: the exhaustive comparison with the same scorer must return exactly the same matches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { derivePairs } from './eval/derive.js';
import { cslImporter, importList, ofacSdnImporter, unConsolidatedImporter } from './importers/index.js';
import { DEFAULT_THRESHOLD, INDEX_FLOOR, ScreeningIndex } from './match/index.js';
import type { Query } from './model.js';
import { fixture, listsDir, realFile, skipWithoutLists } from './test-helpers.js';
import type { ListVersion } from './version.js';

function sameResults(index: ScreeningIndex, query: Query, threshold: number): void {
  const fast = index.search(query, { threshold, limit: Infinity }).map((h) => `${h.entityId} ${h.score}`);
  const slow = index.searchExhaustive(query, { threshold, limit: Infinity }).map((h) => `${h.entityId} ${h.score}`);
  assert.deepEqual(fast, slow, `query ${JSON.stringify(query.names)} at ${threshold}`);
}

const fixtureVersions = (): ListVersion[] => [
  importList(ofacSdnImporter, [fixture('ofac/sdn.csv'), fixture('ofac/alt.csv'), fixture('ofac/add.csv'), fixture('ofac/sdn_comments.csv')]),
  importList(unConsolidatedImporter, [fixture('un/consolidated.xml')]),
  importList(cslImporter, [fixture('csl/csl.csv')]),
];

test('index == exhaustive on the fixtures: derived variants, near misses and arbitrary strings', () => {
  const versions = fixtureVersions();
  const index = ScreeningIndex.build(versions);
  const names = versions.flatMap((v) => v.entries.flatMap((e) => e.names.map((n) => n.full)));
  const pairs = derivePairs(versions, { perCategory: 50 });
  const queries = [...names, ...pairs.map((p) => p.name2), 'Muammar Gaddafi', 'Каддафи', 'Juan Cruz', 'Ocean Star 3', 'Aero Caribe'];
  for (const q of queries) for (const t of [INDEX_FLOOR, 0.6, DEFAULT_THRESHOLD]) sameResults(index, { names: [q] }, t);
  const word = fc.constantFrom(...new Set(names.flatMap((n) => n.split(/[\s,]+/)).filter(Boolean)));
  const mutated = fc.tuple(word, fc.nat(), fc.constantFrom('', 'a', 'e', 'h', 'y', '-', ' ')).map(([w, i, c]) => {
    const p = w.length ? i % w.length : 0;
    return w.slice(0, p) + c + w.slice(p + 1);
  });
  fc.assert(fc.property(fc.array(fc.oneof(word, mutated, fc.string({ minLength: 1, maxLength: 8 })), { minLength: 1, maxLength: 4 }), fc.constantFrom(INDEX_FLOOR, 0.6, DEFAULT_THRESHOLD), (parts, t) => {
    const query = parts.join(' ');
    if (!query.trim()) return;
    sameResults(index, { names: [query] }, t);
  }), { numRuns: 300, seed: 42 });
});

test('index == exhaustive on the real lists, for variants of listed names and unrelated names', { skip: skipWithoutLists() }, () => {
  const dir = listsDir()!;
  const versions = [
    importList(ofacSdnImporter, ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'].map((f) => realFile(dir, f))),
    importList(unConsolidatedImporter, [realFile(dir, 'UN_consolidated.xml')]),
    importList(cslImporter, [realFile(dir, 'csl.csv')]),
  ];
  const index = ScreeningIndex.build(versions);
  const pairs = derivePairs(versions, { perCategory: 4, seed: 7 });
  const queries = [...pairs.map((p) => p.name2), 'Mohammed Ali', 'Ivan Petrov', 'Golden Star Shipping', 'Kim Chol'];
  for (const q of queries) sameResults(index, { names: [q] }, INDEX_FLOOR);
});
