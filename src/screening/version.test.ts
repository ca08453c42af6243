import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListIntegrityError, ScreeningInputError } from './errors.js';
import { importList, ofacSdnImporter } from './importers/index.js';
import type { Entity } from './model.js';
import { fixture } from './test-helpers.js';
import { ListVersion, canonicalJson, diffVersions, entityHash, entriesToRescreen } from './version.js';

const person = (id: string, name: string, extra: Partial<Entity> = {}): Entity => ({
  id: `test:${id}`, source: 'test', schema: 'Person', names: [{ full: name, kind: 'primary', quality: 'strong' }],
  birthDates: [], nationalities: [], countries: [], identifiers: [], programs: [], ...extra,
});

test('canonical JSON sorts keys at every level and drops undefined members', () => {
  assert.equal(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: undefined }], c: 'x' } }), '{"a":{"c":"x","d":[1,{"z":1}]},"b":1}');
});

test('a version is content-hashed: same entries in any order give the same hash; metadata is outside it', () => {
  const a = ListVersion.create({ source: 'test', publishedAt: '2026-01-01', entries: [person('1', 'Ann'), person('2', 'Bob')] });
  const b = ListVersion.create({ source: 'test', publishedAt: '2026-02-01', importedAt: '2026-02-02T00:00:00Z', entries: [person('2', 'Bob'), person('1', 'Ann')] });
  assert.equal(a.hash, b.hash);
  assert.match(a.hash, /^sha256:[0-9a-f]{64}$/);
  assert.deepEqual(a.entries.map((e) => e.id), ['test:1', 'test:2']);
  const c = ListVersion.create({ source: 'test', entries: [person('1', 'Ann'), person('2', 'Bob', { birthDates: ['1970'] })] });
  assert.notEqual(a.hash, c.hash);
  assert.equal(a.entryCount, 2);
  assert.equal(a.entryHash('test:1'), entityHash(person('1', 'Ann')));
  assert.deepEqual(a.summary, { source: 'test', publishedAt: '2026-01-01', importedAt: a.importedAt, entryCount: 2, hash: a.hash });
});

test('a version is immutable and refuses duplicate ids or foreign entries', () => {
  const v = ListVersion.create({ source: 'test', entries: [person('1', 'Ann')] });
  assert.throws(() => (v.entries[0].names as unknown as EntityNameList).push({ full: 'x', kind: 'aka', quality: 'weak' }), TypeError);
  assert.throws(() => ((v.entries[0] as { schema: string }).schema = 'Vessel'), TypeError);
  assert.throws(() => ((v as unknown as { hash: string }).hash = 'x'), TypeError);
  assert.throws(() => ListVersion.create({ source: 'test', entries: [person('1', 'Ann'), person('1', 'Bob')] }), (e) => e instanceof ScreeningInputError && /appears twice/.test(e.message));
  assert.throws(() => ListVersion.create({ source: 'other', entries: [person('1', 'Ann')] }), ScreeningInputError);
});
type EntityNameList = { push(x: unknown): void };

test('JSON round trip recomputes the hashes; an altered stored version does not load', () => {
  const v = importList(ofacSdnImporter, [fixture('ofac/sdn.csv'), fixture('ofac/alt.csv')]);
  const json = JSON.parse(JSON.stringify(v));
  const back = ListVersion.fromJSON(structuredClone(json));
  assert.equal(back.hash, v.hash);
  assert.equal(back.entryCount, 9);
  json.entries[2].names[0].full = 'SOMEONE ELSE';
  assert.throws(() => ListVersion.fromJSON(json), (e) => e instanceof ListIntegrityError && e.expected === v.hash);
  assert.throws(() => ListVersion.fromJSON({ ...json, format: 'x' }), ScreeningInputError);
});

test('diff between versions: added, removed, changed (with before and after), unchanged count', () => {
  const old = ListVersion.create({ source: 'test', entries: [person('1', 'Ann'), person('2', 'Bob'), person('3', 'Cid')] });
  const neu = ListVersion.create({ source: 'test', entries: [person('1', 'Ann'), person('2', 'Bob', { nationalities: ['FR'] }), person('4', 'Dan')] });
  const d = diffVersions(old, neu);
  assert.deepEqual(d.added.map((e) => e.id), ['test:4']);
  assert.deepEqual(d.removed.map((e) => e.id), ['test:3']);
  assert.deepEqual(d.changed.map((c) => [c.before.nationalities, c.after.nationalities]), [[[], ['FR']]]);
  assert.equal(d.unchanged, 1);
  assert.equal(d.from, old.hash);
  assert.equal(d.to, neu.hash);
  assert.deepEqual(entriesToRescreen(d).map((e) => e.id), ['test:4', 'test:2']);
  assert.deepEqual(diffVersions(neu, neu).added, []);
  assert.throws(() => diffVersions(old, ListVersion.create({ source: 'other', entries: [] })), ScreeningInputError);
});

test('an import that fails leaves nothing: the error comes before any version exists', () => {
  let made: ListVersion | undefined;
  assert.throws(() => {
    made = importList(ofacSdnImporter, [fixture('ofac/sdn.csv'), { name: 'ALT.CSV', data: '1003,1,"aka","OK",-0- \n1003,2,"zzz","BAD",-0- ' }]);
  }, /ALT\.CSV:2 \(alt_type\): unknown alt_type "zzz"/);
  assert.equal(made, undefined);
});
