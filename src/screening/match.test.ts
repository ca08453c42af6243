import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ScreeningInputError } from './errors.js';
import { DEFAULT_THRESHOLD, MATCHER_VERSION, ScreeningIndex, prepareEntity, prepareQuery, scoreEntity, scoreNames } from './match/index.js';
import type { Entity, Schema } from './model.js';

const matches = (a: string, b: string, schema?: Schema) => scoreNames(a, b, schema).score >= DEFAULT_THRESHOLD;
const sure = (a: string, b: string, schema?: Schema) => assert.ok(matches(a, b, schema), `${a} ~ ${b}: ${scoreNames(a, b, schema).score}`);
const never = (a: string, b: string, schema?: Schema) => assert.ok(!matches(a, b, schema), `${a} !~ ${b}: ${scoreNames(a, b, schema).score}`);

test('scores are in [0, 1], identical names score 1, empty names 0', () => {
  assert.equal(scoreNames('Viktor Bout', 'Viktor Bout', 'Person').score, 1);
  assert.equal(scoreNames('', 'Viktor Bout').score, 0);
  assert.equal(scoreNames('!!!', '---').score, 0);
  for (const [a, b] of [['A', 'B'], ['Acme', 'Acme Acme Acme'], ['x'.repeat(5000), 'y'.repeat(5000)]]) {
    const s = scoreNames(a, b).score;
    assert.ok(s >= 0 && s <= 1);
  }
});

test('case, diacritics and punctuation do not matter', () => {
  sure('José María Aznar', 'JOSE MARIA AZNAR', 'Person');
  sure('Lech Wałęsa', 'lech walesa', 'Person');
  sure('Abu Bakr al-Baghdadi', 'ABU BAKR AL BAGHDADI', 'Person');
  sure('PETRO MAS, S. DE R.L. DE C.V.', 'Petro Mas SRL de CV', 'Company');
});

test('other scripts: Cyrillic, Arabic, Chinese', () => {
  sure('Vladimir Vladimirovich Putin', 'Путин Владимир Владимирович', 'Person');
  sure('Muammar Qadhafi', 'Муаммар Каддафи', 'Person');
  sure('Muammar al-Qadhafi', 'معمر القذافي', 'Person');
  sure('Qasem Soleimani', 'قاسم سليماني', 'Person');
  sure('Xi Jinping', '习近平', 'Person');
  sure('Gazprom Neft', 'ПАО Газпром нефть', 'Company');
});

test('reordered parts, initials, missing middle names', () => {
  sure('MADURO MOROS, Nicolas', 'Nicolás Maduro Moros', 'Person');
  sure('Nicolas Maduro', 'MADURO MOROS, Nicolas', 'Person');
  sure('HAQ, Abdul', 'Abdul Haq', 'Person');
  sure('V. V. Putin', 'Vladimir Vladimirovich Putin', 'Person');
  sure('Ayman al-Zawahiri', 'Aiman Muhammed Rabi al-Zawahiri', 'Person');
  const r = scoreNames('J. Guzman Loera', 'Joaquin Guzman Loera', 'Person');
  assert.ok(r.pairs.some((p) => p.rule === 'initial' && p.query === 'j' && p.candidate === 'joaquin'));
});

test('spelling and phonetic variants: Qadhafi / Gaddafi / Kaddafi / Каддафи', () => {
  for (const v of ['Gaddafi', 'Kaddafi', 'Gadhafi', 'Qaddafi', 'Каддафи', 'القذافي']) sure('Muammar Qadhafi', `Muammar ${v}`, 'Person');
  sure('Osama bin Laden', 'Usama bin Ladin', 'Person');
  sure('Mohammed Omar', 'Muhammad Umar', 'Person');
  sure('Abd al-Rahman Yasin', 'Abdulrahman Yasin', 'Person');
  sure('Mikhail Gorbachev', 'Michail Gorbatschow', 'Person');
  sure('Kim Jong Un', 'Kim Jongun', 'Person');
  const r = scoreNames('Muammar Qadhafi', 'Muammar Gaddafi', 'Person');
  assert.deepEqual(r.pairs.map((p) => [p.query, p.candidate, p.rule]), [['muammar', 'muammar', 'exact'], ['qadhafi', 'gaddafi', 'phonetic']]);
});

test('honorifics and legal forms are weighed down, not ignored', () => {
  sure('Dr. Ayman al-Zawahiri', 'Ayman al-Zawahiri', 'Person');
  sure('Sheikh Ahmed Yassin', 'Ahmad Yasin', 'Person');
  sure('Acme Trading LLC', 'Acme Trading Limited Liability Company', 'Company');
  sure('Rosneft Oil Company PJSC', 'Public Joint Stock Company Rosneft Oil Company', 'Company');
  // A legal form that agrees adds, one that is missing costs a little.
  assert.ok(scoreNames('Acme Trading LLC', 'Acme Trading LLC', 'Company').score > scoreNames('Acme Trading LLC', 'Acme Trading', 'Company').score);
  assert.ok(scoreNames('Acme Trading', 'Acme Trading Ltd', 'Company').score >= DEFAULT_THRESHOLD);
});

test('near misses do not match: another given name, another surname, sister companies, vessel numerals', () => {
  never('John Smith', 'Jane Smith', 'Person');
  never('John Smith', 'John Brown', 'Person');
  never('Bashar al-Assad', 'Maher al-Assad', 'Person');
  never('Mohammed Ali', 'Mahmoud Ali', 'Person');
  never('Kim Jong Un', 'Kim Jong Il', 'Person');
  never('Juan Carlos Rodriguez', 'Juan Pablo Rodriguez', 'Person');
  never('Acme Trading', 'Acme Logistics', 'Company');
  never('Gazprom Neft', 'Gazprom Export', 'Company');
  never('Bank Melli Iran', 'Bank Mellat', 'Company');
  never('Golden Star Shipping LLC', 'Golden Star Trading LLC', 'Company');
  never('OCEAN STAR 2', 'OCEAN STAR 3', 'Vessel');
  sure('OCEAN STAR 2', 'OCEAN STAR II', 'Vessel');
  assert.ok(scoreNames('OCEAN STAR 2', 'OCEAN STAR 3', 'Vessel').notes.includes('numbers differ'));
  assert.deepEqual(scoreNames('John Smith', 'Jane Smith', 'Person').unmatchedQuery, ['john']);
});

const entity = (id: string, names: string[], extra: Partial<Entity> = {}): Entity => ({
  id: `t:${id}`, source: 't', schema: 'Person', names: names.map((full, i) => ({ full, kind: i ? 'aka' : 'primary', quality: 'strong' })),
  birthDates: [], nationalities: [], countries: [], identifiers: [], programs: [], ...extra,
});

test('qualifiers move the score and are explained: DOB, nationality, country, schema, weak alias', () => {
  const e = entity('1', ['Ivan Petrov'], { birthDates: ['1970-05-01'], nationalities: ['RU'] });
  const score = (q: Parameters<typeof prepareQuery>[0]) => scoreEntity(prepareQuery(q), prepareEntity(e));
  const base = score({ names: ['Ivan Petrov'] }).score;
  const same = score({ names: ['Ivan Petrov'], birthDates: ['1970-05-01'], nationalities: ['RU'] });
  assert.equal(base, 1);
  assert.deepEqual(same.qualifiers.map((q) => [q.field, q.effect]), [['birthDate', 0.05], ['nationality', 0.02]]);
  const conflict = score({ names: ['Ivan Petrov'], birthDates: ['1985'], nationalities: ['FR'] });
  assert.ok(conflict.score < base && conflict.score < DEFAULT_THRESHOLD, `conflicts: ${conflict.score}`);
  assert.deepEqual(conflict.qualifiers.map((q) => q.field), ['birthDate', 'nationality']);
  // Close years (one year apart) are neither confirmation nor conflict.
  assert.deepEqual(score({ names: ['Ivan Petrov'], birthDates: ['1971'] }).qualifiers, []);
  const near = score({ names: ['Ivan Petrova'], birthDates: ['1970'] });
  assert.ok(near.score > scoreEntity(prepareQuery({ names: ['Ivan Petrova'] }), prepareEntity(e)).score);
  assert.equal(score({ names: ['Ivan Petrov'], schema: 'Vessel' }).qualifiers[0].field, 'schema');
  assert.ok(score({ names: ['Ivan Petrov'], schema: 'Vessel' }).score < DEFAULT_THRESHOLD);
  assert.deepEqual(score({ names: ['Ivan Petrov'], countries: ['RU'] }).qualifiers.map((q) => q.detail), ['country agrees']);
  const weak = scoreEntity(prepareQuery({ names: ['Vanya'] }), prepareEntity({ ...e, names: [...e.names, { full: 'Vanya', kind: 'aka', quality: 'weak' }] }));
  assert.equal(weak.score, 0.95);
  assert.equal(weak.listNameQuality, 'weak');
});

test('an exact identifier (passport, wallet address) scores 1 whatever the name', () => {
  const e = entity('2', ['Sepehr Exchange'], { schema: 'Organization', identifiers: [{ type: 'crypto', value: '149w62rY42aZBox8fGcmqNsXUzSStKeq8C' }, { type: 'passport', value: 'A1234567' }] });
  const idx = ScreeningIndex.build([e]);
  const [hit] = idx.search({ names: ['Completely Different'], identifiers: [{ type: 'crypto', value: '149w62rY42aZBox8fGcmqNsXUzSStKeq8C' }] });
  assert.equal(hit.score, 1);
  assert.equal(hit.identifier?.value, '149w62rY42aZBox8fGcmqNsXUzSStKeq8C');
  assert.equal(idx.search({ names: ['Nobody'], identifiers: [{ type: 'passport', value: 'a-123 4567' }] })[0].score, 1);
  // Base58 is case-sensitive: a lower-cased address is another address.
  assert.deepEqual(idx.search({ names: ['Nobody'], identifiers: [{ type: 'crypto', value: '149w62ry42azbox8fgcmqnsxuzsstkeq8c' }] }), []);
});

test('search: best first, with explanations; bad queries are refused naming the field', () => {
  const idx = ScreeningIndex.build([entity('a', ['Muammar Qadhafi', 'Moammar Gadhafi']), entity('b', ['Muammar Kadafi Junior Trading'], { schema: 'Company' }), entity('c', ['John Smith'])]);
  const hits = idx.search({ names: ['Муаммар Каддафи'] });
  assert.equal(hits[0].entityId, 't:a');
  assert.ok(hits[0].name.pairs.length >= 2);
  assert.equal(idx.stats.entities, 3);
  assert.throws(() => idx.search({ names: [] }), (e) => e instanceof ScreeningInputError && e.field === 'names');
  assert.throws(() => idx.search({ names: ['x'] }, { threshold: 0.1 }), (e) => e instanceof ScreeningInputError && e.field === 'threshold');
  assert.match(MATCHER_VERSION, /^masque-screening-matcher\/\d+\.\d+\.\d+$/);
});

test('quality floor on the committed labelled pairs (both halves): F1 >= 0.85, recall of true variants >= 0.85', async () => {
  const { readFileSync } = await import('node:fs');
  const { parsePairs, scorePairs, countAt, metrics } = await import('./eval/evaluate.js');
  const pairs = parsePairs(readFileSync(new URL('./eval/pairs.csv', import.meta.url), 'utf8'));
  const scored = scorePairs(pairs, (a, b, s) => scoreNames(a, b, s).score);
  const all = metrics(countAt(scored, DEFAULT_THRESHOLD));
  assert.ok(all.f1 >= 0.85, `F1 ${all.f1}`);
  assert.ok(all.recall >= 0.85, `recall ${all.recall}`);
  const nearMisses = scored.filter((p) => p.category.endsWith('near-miss'));
  const falseMatches = nearMisses.filter((p) => p.score >= DEFAULT_THRESHOLD).length / nearMisses.length;
  assert.ok(falseMatches <= 0.15, `near-miss false matches ${falseMatches}`);
});
