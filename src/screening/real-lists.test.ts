// The importers on the real official files of the shared snapshot; skipped with a message when it is absent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cslImporter, importList, ofacSdnImporter, unConsolidatedImporter, usCongressImporter } from './importers/index.js';
import { listsDir, realFile, skipWithoutLists } from './test-helpers.js';

const skip = skipWithoutLists();
const dir = listsDir() ?? '';

test('OFAC SDN legacy CSV, real files: counts as the snapshot README states', { skip }, () => {
  const v = importList(ofacSdnImporter, ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv'].map((f) => realFile(dir, f)));
  assert.equal(v.entryCount, 7379);
  const bySchema: Record<string, number> = {};
  for (const e of v.entries) bySchema[e.schema] = (bySchema[e.schema] ?? 0) + 1;
  assert.deepEqual(bySchema, { Organization: 2994, Person: 3845, Vessel: 323, Aircraft: 217 });
  const strong = v.entries.reduce((n, e) => n + e.names.filter((x) => x.kind !== 'primary' && x.quality === 'strong').length, 0);
  const weak = v.entries.reduce((n, e) => n + e.names.filter((x) => x.quality === 'weak').length, 0);
  assert.ok(strong >= 9600 && strong <= 9682, `strong aliases ${strong}`); // 9,682 rows, a few repeat a name
  assert.ok(weak >= 1950 && weak <= 2037, `weak aliases ${weak}`); // 2,026 a.k.a. + 11 f.k.a. in remarks, a few repeated
  assert.equal(v.entries.filter((e) => e.identifiers.some((i) => i.type === 'crypto')).length, 2);
  assert.match(v.warnings[0], /10 remark continuation/);
  assert.match(v.entry('ofac-sdn:12300')!.details!.remarks, /PROMO RAIZ S\.A\.S\./);
  assert.ok(v.entries.filter((e) => e.birthDates.length).length > 3000);
  assert.ok(v.entries.filter((e) => e.identifiers.some((i) => i.type === 'imo')).length > 250);
});

test('UN consolidated XML, real file', { skip }, () => {
  const v = importList(unConsolidatedImporter, [realFile(dir, 'UN_consolidated.xml')]);
  assert.equal(v.entryCount, 1003);
  assert.equal(v.entries.filter((e) => e.schema === 'Person').length, 730);
  assert.equal(v.publishedAt, '2026-02-27T00:00:09.554Z');
  // 336 + 42 records give one; one of them (JAMAAH ANSHARUT DAULAH) repeats the Latin name and is kept once.
  assert.equal(v.entries.filter((e) => e.names.some((n) => n.script === 'original')).length, 336 + 42 - 1);
  const aliases = v.entries.reduce((n, e) => n + e.names.filter((x) => x.kind !== 'primary').length, 0);
  assert.ok(aliases >= 2700 && aliases <= 2752, `aliases ${aliases}`);
  assert.ok(v.entries.filter((e) => e.identifiers.some((i) => i.type === 'passport')).length > 200);
});

test('US CSL excerpt, real file', { skip }, () => {
  const v = importList(cslImporter, [realFile(dir, 'csl.csv')]);
  assert.equal(v.entryCount, 115);
  assert.ok(v.entries.every((e) => e.names.every((n) => !n.full.includes('\u0092') && n.full === n.full.trim() && !/^and /.test(n.full))));
});

test('US Congress / executive YAML, real files', { skip }, () => {
  const v = importList(usCongressImporter({ asOf: '2026-06-01' }), [realFile(dir, 'pep/legislators-current.yaml'), realFile(dir, 'pep/executive.yaml')]);
  assert.ok(v.entryCount >= 530, `${v.entryCount} PEPs`);
  assert.ok(v.entries.every((e) => e.schema === 'Person' && e.programs.length === 1));
});
