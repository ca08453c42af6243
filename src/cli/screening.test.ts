import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListFormatError, ScreeningInputError, parseCsv } from '../screening/index.js';
import { scorePairsCsv } from './commands/screening.js';
import { cli } from './main.js';

const screeningCli = (argv: string[]) => cli(['screening', ...argv]);

const FIX = join(import.meta.dirname, '../screening/fixtures');
const BIN = join(import.meta.dirname, 'masque.mjs');

test('score-pairs through the binary: BOM, CRLF, quoted fields, extra columns, empty and very long names, input order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-pairs-'));
  try {
    const long = 'A'.repeat(20000);
    const csv = `\ufeffname1,name2,schema,note\r\nMuammar Qadhafi,Муаммар Каддафи,Person,"a, ""quoted"" note"\r\n"Acme Trading, LLC",Acme Logistics LLC,Company,\r\n,Someone,,\r\n${long},${long} B,Person,long\r\nOCEAN STAR 2,OCEAN STAR II,vessel,x\r\nshort row\r\n`;
    writeFileSync(join(dir, 'p.csv'), csv);
    const r = spawnSync(process.execPath, [BIN, 'screening', 'score-pairs', join(dir, 'p.csv')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const rows = parseCsv('out', r.stdout).map((x) => x.fields);
    assert.deepEqual(rows[0], ['name1', 'name2', 'schema', 'note', 'score', 'match']);
    assert.deepEqual(rows.slice(1).map((x) => [x[0].slice(0, 20), x[3], x[5]]), [
      ['Muammar Qadhafi', 'a, "quoted" note', 'true'], ['Acme Trading, LLC', '', 'false'], ['', '', 'false'], ['A'.repeat(20), 'long', 'true'], ['OCEAN STAR 2', 'x', 'true'], ['short row', '', 'false'],
    ]);
    assert.ok(rows.slice(1).every((x) => /^(0|1)\.\d{4}$/.test(x[4])));
    // --schema for rows without one, --threshold, and standard input.
    const s = spawnSync(process.execPath, [BIN, 'screening', 'score-pairs', '-', '--schema', 'Person', '--threshold', '0.95'], { input: 'name1,name2\nJohn Smith,Jon Smith\n', encoding: 'utf8' });
    assert.equal(s.status, 0, s.stderr);
    assert.match(s.stdout, /^name1,name2,score,match\nJohn Smith,Jon Smith,0\.\d{4},false\n$/);
    const bad = spawnSync(process.execPath, [BIN, 'screening', 'score-pairs', join(dir, 'p.csv'), '--threshold', '2'], { encoding: 'utf8' });
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /threshold: must be a number between 0 and 1/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('score-pairs: a header without name1/name2 is an error naming it; 1,000 rows keep their order', () => {
  assert.throws(() => scorePairsCsv('a,b\nx,y\n', { threshold: 0.8 }), (e) => e instanceof ScreeningInputError && e.field === 'header');
  const rows = Array.from({ length: 1000 }, (_, i) => `Person ${i} Testov,Person ${i} Testova`);
  const out = scorePairsCsv(`name1,name2\n${rows.join('\n')}\n`, { threshold: 0.8, schema: 'Person' }).split('\n');
  assert.equal(out.length, 1001);
  assert.ok(out.slice(1).every((l, i) => l.startsWith(`Person ${i} Testov,`)));
});

test('import, lists, search with explanations, a second version, diff; a bad file leaves the current version', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-lists-'));
  const run = (...argv: string[]) => screeningCli([...argv, '--dir', dir]);
  try {
    const first = (await run('import', 'ofac-sdn', join(FIX, 'ofac/sdn.csv'), join(FIX, 'ofac/alt.csv'), '--published', '2019-01-02')) as { hash: string; status: string };
    assert.equal(first.status, 'new');
    assert.equal(((await run('import', 'ofac-sdn', join(FIX, 'ofac/sdn.csv'), join(FIX, 'ofac/alt.csv'))) as { status: string }).status, 'unchanged');
    await run('import', 'un-sc', join(FIX, 'un/consolidated.xml'));
    const lists = (await run('lists')) as { source: string; publishedAt: string; entryCount: number }[];
    assert.deepEqual(lists.map((l) => [l.source, l.entryCount, l.publishedAt]), [['ofac-sdn', 9, '2019-01-02'], ['un-sc', 3, '2026-02-27T00:00:09.554Z']]);
    const found = (await run('search', '--name', 'Муаммар Каддафи', '--dob', '1942-06-07', '--country', 'LY')) as { matches: { entity: string; score: number; pairs: unknown[]; qualifiers: { field: string }[] }[]; matcher: string };
    assert.equal(found.matches[0].entity, 'ofac-sdn:1003');
    assert.ok(found.matches[0].pairs.length >= 2);
    assert.deepEqual(found.matches[0].qualifiers.map((q) => q.field), ['birthDate', 'country']);
    // A malformed file: the import fails naming the line, and the current version does not change.
    const broken = join(dir, 'SDN.CSV');
    writeFileSync(broken, readFileSync(join(FIX, 'ofac/sdn.csv'), 'utf8').replace('"vessel"', '"submarine"'));
    await assert.rejects(run('import', 'ofac-sdn', broken), (e) => e instanceof ListFormatError && e.where.line === 4);
    assert.equal(((await run('lists')) as { hash: string }[])[0].hash, first.hash);
    // A second, changed version and its diff.
    writeFileSync(broken, readFileSync(join(FIX, 'ofac/sdn.csv'), 'utf8').replace('"OCEAN STAR 2"', '"OCEAN STAR 5"') + '\n4242,"NEW TEST ENTITY",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ');
    await run('import', 'ofac-sdn', broken, join(FIX, 'ofac/alt.csv'));
    const diff = (await run('diff', 'ofac-sdn')) as { added: { id: string }[]; changed: { id: string; name: string }[]; removed: unknown[]; unchanged: number };
    assert.deepEqual(diff.added.map((a) => a.id), ['ofac-sdn:4242']);
    assert.deepEqual(diff.changed.map((c) => c.name), ['OCEAN STAR 5']);
    assert.deepEqual([diff.removed.length, diff.unchanged], [0, 8]);
    await assert.rejects(run('search'), (e) => e instanceof ScreeningInputError && e.field === 'name');
    await assert.rejects(run('import', 'nope', broken), /unknown list source "nope"/);
    // Official files read directly, without importing.
    const direct = (await screeningCli(['search', '--name', 'Kaddafi Muammar', '--lists', join(FIX, 'ofac')])) as { matches: { entity: string }[] };
    assert.equal(direct.matches[0].entity, 'ofac-sdn:1003');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
