import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ListFormatError } from './errors.js';
import { cslImporter, euFsfImporter, importList, ofacSdnImporter, parseOfacDate, parseRemarks, pepJsonlImporter, toPepJsonl, congressToPep, ukConsolidatedImporter, unConsolidatedImporter, usCongressImporter } from './importers/index.js';
import { fixture } from './test-helpers.js';
import type { Entity } from './model.js';

const ofacFiles = () => [fixture('ofac/sdn.csv'), fixture('ofac/alt.csv'), fixture('ofac/add.csv'), fixture('ofac/sdn_comments.csv')];
const byId = (entries: readonly Entity[], id: string) => {
  const e = entries.find((x) => x.id === id);
  assert.ok(e, `${id} imported`);
  return e;
};
const formatError = (file: string, line: number | undefined, text: RegExp) => (e: unknown) =>
  e instanceof ListFormatError && e.file === file && e.where.line === line && text.test(e.message);

test('OFAC dates: full, month, year, circa, ranges', () => {
  assert.equal(parseOfacDate('10 Dec 1948'), '1948-12-10');
  assert.equal(parseOfacDate('Aug 1950'), '1950-08');
  assert.equal(parseOfacDate('circa 1951'), '1951');
  assert.equal(parseOfacDate('1950 to 1952'), '1950/1952');
  assert.equal(parseOfacDate('01 Jan 1960 to 31 Dec 1962'), '1960/1962');
  assert.equal(parseOfacDate('sometime'), undefined);
});

test('OFAC remarks: DOBs, nationality, passports, IDs, weak aliases with apostrophes, crypto addresses', () => {
  const r = parseRemarks("DOB 1942; alt. DOB circa 1940; POB Sirte, Libya; nationality Libya; Passport B/014847 (Libya) issued 28 Oct 2008 expires 29 Oct 2013; Gender Male; a.k.a. 'KADDAFI, Muammar'; a.k.a. 'O'REILLY, Test'; Digital Currency Address - XBT 1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V; NIT # 800146749-7 (Colombia); Vessel Registration Identification IMO 9187629.");
  assert.deepEqual(r.birthDates, ['1942', '1940']);
  assert.deepEqual(r.nationalities, ['Libya']);
  assert.equal(r.gender, 'male');
  assert.deepEqual(r.weakAliases, [{ name: 'KADDAFI, Muammar', kind: 'aka' }, { name: "O'REILLY, Test", kind: 'aka' }]);
  assert.deepEqual(r.identifiers.map((i) => [i.type, i.value, i.country]), [
    ['passport', 'B014847', 'LY'],
    ['crypto', '1AjZPMsnmpdK2Rv9KQNfMurTXinscVro9V', undefined],
    ['tax-id', '8001467497', 'CO'],
    ['imo', '9187629', undefined],
  ]);
});

test('OFAC SDN fixture: every file and quirk (-0- nulls, no final newline, comments overflow + EOF byte, types)', () => {
  const v = importList(ofacSdnImporter, ofacFiles(), { publishedAt: '2019-01-02' });
  assert.equal(v.source, 'ofac-sdn');
  assert.equal(v.entryCount, 9);
  assert.equal(v.publishedAt, '2019-01-02');
  assert.deepEqual(v.files.map((f) => f.role).sort(), ['add', 'alt', 'comments', 'sdn']);
  assert.match(v.warnings[0], /1 remark continuation/);
  const q = byId(v.entries, 'ofac-sdn:1003');
  assert.equal(q.schema, 'Person');
  assert.deepEqual(q.names.map((n) => [n.full, n.kind, n.quality, n.family]), [
    ['AL-QADHAFI, Muammar Muhammad Abu Minyar', 'primary', 'strong', 'AL-QADHAFI'],
    ['GADDAFI, Moammar', 'aka', 'strong', 'GADDAFI'],
    ['QADHAFI, Muammar', 'aka', 'strong', 'QADHAFI'],
    ['KADDAFI, Muammar', 'aka', 'weak', 'KADDAFI'],
    ["O'REILLY, Test", 'aka', 'weak', "O'REILLY"],
  ]);
  assert.deepEqual(q.birthDates, ['1942', '1940']);
  assert.deepEqual(q.nationalities, ['LY']);
  assert.deepEqual(q.countries, ['LY']);
  assert.equal(q.gender, 'male');
  const entity = byId(v.entries, 'ofac-sdn:1002');
  assert.equal(entity.schema, 'Organization'); // SDN_Type -0- is an entity
  assert.deepEqual(entity.names.map((n) => [n.full, n.kind, n.quality]), [
    ['AERO CARIBE TESTING', 'primary', 'strong'], ['AEROCARIBE TEST S.A.', 'aka', 'strong'], ['CARIBBEAN AIR TEST', 'fka', 'strong'], ['AEROCARIBE', 'aka', 'weak'], ['AERO-CARIBE', 'aka', 'weak'],
  ]);
  assert.equal(entity.details?.addresses, 'Ibex House, The Minories, London EC3N 1DY, United Kingdom');
  const vessel = byId(v.entries, 'ofac-sdn:1004');
  assert.equal(vessel.schema, 'Vessel');
  assert.deepEqual(vessel.identifiers.map((i) => [i.type, i.value]), [['imo', '8898831'], ['mmsi', '445112000']]);
  assert.deepEqual(vessel.countries, ['KP']); // the flag; the address row is all -0-
  assert.equal(vessel.details?.callSign, 'HMCQ2');
  assert.equal(byId(v.entries, 'ofac-sdn:1005').schema, 'Aircraft');
  assert.deepEqual(byId(v.entries, 'ofac-sdn:1005').identifiers.map((i) => i.type), ['aircraft']);
  const exchange = byId(v.entries, 'ofac-sdn:1006');
  assert.deepEqual(exchange.identifiers.filter((i) => i.type === 'crypto').map((i) => [i.value, i.label]), [
    ['149w62rY42aZBox8fGcmqNsXUzSStKeq8C', 'Digital Currency Address - XBT'],
    ['0x7f367cc41522ce07553e823bf3be79a889debe1b', 'Digital Currency Address - ETH'],
  ]);
  // Remarks cut at 1,000 characters continue in SDN_COMMENTS.CSV mid-word; the passport at the very end is found.
  const cut = byId(v.entries, 'ofac-sdn:1007');
  assert.match(cut.details!.remarks, /NUMERO 20 S\.A\.S\.; Linked To/);
  assert.deepEqual(cut.identifiers.map((i) => [i.type, i.value]), [['national-id', '70553462'], ['passport', 'AB1234567']]);
  const diaz = byId(v.entries, 'ofac-sdn:1008');
  assert.deepEqual(diaz.programs, ['SDNT', 'SDGT']);
  assert.deepEqual(diaz.birthDates, ['1948-12-10', '1960/1962', '1950-08']);
  assert.deepEqual(diaz.nationalities, ['MX', 'ES']);
  assert.equal(diaz.gender, 'female');
  assert.equal(byId(v.entries, 'ofac-sdn:1009').names[1].kind, 'nka');
});

test('OFAC SDN: malformed files name the file and line; nothing is imported', () => {
  const sdn = fixture('ofac/sdn.csv');
  const text = new TextDecoder().decode(sdn.data as Uint8Array);
  const lines = text.split('\n');
  const bad = (mutate: (l: string[]) => void) => {
    const copy = [...lines];
    mutate(copy);
    return [{ name: 'SDN.CSV', data: copy.join('\n') }];
  };
  assert.throws(() => importList(ofacSdnImporter, bad((l) => (l[8] = l[8].replace(/,-0- $/, '')))), formatError('SDN.CSV', 9, /expected 12 fields, found 11/));
  assert.throws(() => importList(ofacSdnImporter, bad((l) => (l[3] = l[3].replace('"vessel"', '"submarine"')))), formatError('SDN.CSV', 4, /unknown SDN_Type "submarine"/));
  assert.throws(() => importList(ofacSdnImporter, bad((l) => (l[1] = l[1].replace('1002,', 'x1002,')))), formatError('SDN.CSV', 2, /ent_num "x1002" is not a number/));
  assert.throws(() => importList(ofacSdnImporter, bad((l) => (l[4] = l[4].replace('"EP-TST"', '"EP-TST')))), formatError('SDN.CSV', 5, /quote/));
  assert.throws(() => importList(ofacSdnImporter, bad((l) => l.push(l[0]))), formatError('SDN.CSV', 10, /ent_num 1001 appears twice/));
  // An alias for an entry that does not exist, and a missing required file.
  assert.throws(() => importList(ofacSdnImporter, [sdn, { name: 'ALT.CSV', data: '4242,1,"aka","NOBODY",-0- ' }]), formatError('ALT.CSV', 1, /ent_num 4242 is not in sdn\.csv/));
  assert.throws(() => importList(ofacSdnImporter, [fixture('ofac/alt.csv')]), (e) => e instanceof ListFormatError && /missing: SDN\.CSV/.test(e.message));
  assert.throws(() => importList(ofacSdnImporter, [sdn, { name: 'notes.txt', data: '' }]), (e) => e instanceof ListFormatError && e.file === 'notes.txt');
  assert.throws(() => importList(ofacSdnImporter, [{ name: 'SDN.CSV', data: new Uint8Array([0x31, 0x2c, 0xff, 0x0a]) }]), formatError('SDN.CSV', 1, /not valid UTF-8/));
});

test('UN consolidated XML fixture: names in parts, original script, alias quality, three DOB forms, documents', () => {
  const v = importList(unConsolidatedImporter, [fixture('un/consolidated.xml')]);
  assert.equal(v.publishedAt, '2026-02-27T00:00:09.554Z');
  assert.equal(v.entryCount, 3);
  const a = byId(v.entries, 'un-sc:QDi.901');
  assert.deepEqual(a.names.map((n) => [n.full, n.kind, n.quality, n.script ?? '']), [
    ['ABDUL RAHMAN YASIN AL-TESTI', 'primary', 'strong', ''],
    ['عبد الرحمن ياسين التستي', 'primary', 'strong', 'original'],
    ['Abdul Rahman Yasin Taher', 'aka', 'strong', ''],
    ['Abu Yasin', 'aka', 'weak', ''],
  ]);
  assert.deepEqual(a.names[0].parts, ['ABDUL RAHMAN', 'YASIN', 'AL-TESTI']);
  assert.deepEqual(a.birthDates, ['1960-04-10', '1961', '1958/1962']);
  assert.deepEqual(a.nationalities, ['IQ', 'SY']);
  assert.deepEqual(a.identifiers.map((i) => [i.type, i.value, i.country, i.label]), [
    ['passport', 'A1234567', 'IQ', 'Numéro de passeport'],
    ['national-id', '00123456', 'SY', 'National Identification Number'],
  ]);
  assert.equal(a.details?.title, 'Sheikh');
  assert.equal(a.gender, 'male');
  assert.equal(a.listedOn, '2003-01-25');
  const b = byId(v.entries, 'un-sc:KPi.901');
  assert.deepEqual(b.countries, []); // <COUNTRY/> placeholders are absent values
  assert.deepEqual(b.identifiers.map((i) => i.type), ['passport']);
  const e = byId(v.entries, 'un-sc:KPe.901');
  assert.equal(e.schema, 'Organization');
  assert.deepEqual(e.names.map((n) => [n.full, n.kind]), [['KOREA TESTING TRADING CORPORATION', 'primary'], ['KOTTCO', 'aka'], ['Changgwang Test Trading', 'fka']]);
  assert.deepEqual(e.countries, ['KP']);
});

test('UN XML: malformed documents name the line and element', () => {
  const text = new TextDecoder().decode(fixture('un/consolidated.xml').data as Uint8Array);
  const file = (t: string) => [{ name: 'un.xml', data: t }];
  assert.throws(() => importList(unConsolidatedImporter, file(text.replace('</SECOND_NAME>', '</SECOND>'))), (e) => e instanceof ListFormatError && e.where.line === 8 && /XML syntax/.test(e.message));
  assert.throws(() => importList(unConsolidatedImporter, file(text.replace('<FIRST_NAME>IVAN</FIRST_NAME>', '').replace('<SECOND_NAME>PETROVICH</SECOND_NAME>', '').replace('<THIRD_NAME>TESTOV</THIRD_NAME>', ''))), (e) => e instanceof ListFormatError && /KPi\.901 has no FIRST_NAME/.test(e.message) && e.where.element === 'INDIVIDUAL/FIRST_NAME');
  assert.throws(() => importList(unConsolidatedImporter, file('<?xml version="1.0"?><LIST/>')), (e) => e instanceof ListFormatError && /expected <CONSOLIDATED_LIST>/.test(e.message));
  assert.throws(() => importList(unConsolidatedImporter, file(text.replace('QDi.901', 'KPi.901'))), (e) => e instanceof ListFormatError && /KPi\.901 appears twice/.test(e.message));
});

test('US CSL fixture: header columns, prose alt names, U+0092, leading space, ids, empty type', () => {
  const v = importList(cslImporter, [fixture('csl/csl.csv')]);
  assert.equal(v.entryCount, 6);
  const dpl = v.entries.find((e) => e.names[0].full === 'ADRIAN TESTMAN HERNANDEZ');
  assert.ok(dpl, 'leading space trimmed');
  assert.equal(dpl.schema, 'LegalEntity'); // Commerce lists do not say
  const sdn = byId(v.entries, 'us-csl:sdn:20001');
  assert.equal(sdn.schema, 'Person');
  assert.deepEqual(sdn.names.map((n) => n.full), ['ABDEL TEST, Nasir Abdullah', 'ABDEL-TEST, Nasser', 'ABU TEST']);
  assert.deepEqual(sdn.birthDates, ['1965', '1966']);
  assert.deepEqual(sdn.nationalities, ['SY', 'DZ']);
  assert.deepEqual(sdn.identifiers.map((i) => [i.type, i.value, i.country]), [['passport', '123456', 'SY'], ['national-id', '7654321', undefined]]);
  const el = v.entries.find((e) => e.names[0].full.startsWith('Test Electronics'))!;
  assert.deepEqual(el.names.slice(1).map((n) => n.full), ['Communication, Telemetry and Telecontrol Test Institute (CTTI)', 'Test Northern Institute', 'Shijiazhuang Test Observation Institute']);
  assert.deepEqual(el.countries, ['CN']);
  assert.ok(v.entries.some((e) => e.names[0].full === "Gui'an New District Test Investment Co., Ltd., Guiyang, Guizhou"));
  const vessel = byId(v.entries, 'us-csl:sdn:20002');
  assert.equal(vessel.schema, 'Vessel');
  assert.deepEqual(vessel.identifiers.map((i) => [i.type, i.value]), [['imo', '8898832']]);
  assert.deepEqual(vessel.countries, ['KP']);
  assert.deepEqual(byId(v.entries, 'us-csl:ssi:20003').identifiers.map((i) => [i.type, i.value, i.country]), [['tax-id', '5030056754', 'RU']]);
});

test('US CSL: a missing column or a short row is an error naming it', () => {
  const text = new TextDecoder().decode(fixture('csl/csl.csv').data as Uint8Array);
  assert.throws(() => importList(cslImporter, [{ name: 'csl.csv', data: text.replace('source,', 'origin,') }]), (e) => e instanceof ListFormatError && e.where.element === 'source');
  const lines = text.split('\n');
  lines[3] = lines[3].replace(/,[^,]*$/, '');
  assert.throws(() => importList(cslImporter, [{ name: 'csl.csv', data: lines.join('\n') }]), formatError('csl.csv', 4, /expected 28 fields, found 27/));
});

test('EU FSF XML fixture (from the published format description)', () => {
  const v = importList(euFsfImporter, [fixture('eu/eu.xml')]);
  assert.equal(v.publishedAt, '2026-01-15T17:30:00.000+01:00');
  const p = byId(v.entries, 'eu-fsf:90001');
  assert.equal(p.schema, 'Person');
  assert.deepEqual(p.names.map((n) => [n.full, n.quality]), [['Sergey Valeryevich Testov', 'strong'], ['Сергей Валерьевич Тестов', 'strong'], ['Sergei Testoff', 'weak']]);
  assert.deepEqual([p.birthDates, p.nationalities, p.countries, p.programs], [['1965-05-12'], ['RU'], [], ['UKR']]);
  assert.deepEqual(p.identifiers.map((i) => [i.type, i.value, i.country]), [['passport', '711234567', 'RU']]);
  const o = byId(v.entries, 'eu-fsf:90002');
  assert.equal(o.schema, 'Organization');
  assert.deepEqual(o.identifiers.map((i) => i.type), ['registration']);
  assert.throws(() => importList(euFsfImporter, [{ name: 'eu.xml', data: '<export><sanctionEntity logicalId="1"><subjectType code="person"/></sanctionEntity></export>' }]), (e) => e instanceof ListFormatError && /no nameAlias/.test(e.message));
});

test('UK consolidated CSV fixture (OFSI layout): rows grouped by Group ID, name parts, DOB with 00, Low aliases', () => {
  const v = importList(ukConsolidatedImporter, [fixture('uk/conlist.csv')]);
  assert.equal(v.publishedAt, '2026-01-20');
  assert.equal(v.entryCount, 3);
  const p = byId(v.entries, 'uk-sanctions:15001');
  assert.deepEqual(p.names.map((n) => [n.full, n.kind, n.quality]), [
    ['Elena Alekseevna TESTOVA', 'primary', 'strong'], ['Елена Алексеевна Тестова', 'aka', 'strong'], ['Yelena TESTOVA', 'aka', 'strong'], ['Lena TESTOVA', 'aka', 'weak'],
  ]);
  assert.deepEqual(p.birthDates, ['1975-03-12', '1976']);
  assert.deepEqual(p.nationalities, ['RU', 'UA']);
  assert.deepEqual(p.identifiers.map((i) => i.value), ['753123456', '701111111']);
  assert.equal(byId(v.entries, 'uk-sanctions:15002').names.length, 2);
  assert.equal(byId(v.entries, 'uk-sanctions:15003').schema, 'Vessel');
  assert.throws(() => importList(ukConsolidatedImporter, [{ name: 'uk.csv', data: 'a,b\n1,2\n' }]), (e) => e instanceof ListFormatError && /Name 6/.test(e.message));
});

test('masque-pep/1 JSON lines: records, header, every field checked with its line', () => {
  const v = importList(pepJsonlImporter, [fixture('pep/pep.jsonl')]);
  assert.equal(v.publishedAt, '2026-06-01');
  assert.equal(v.entryCount, 3);
  const fr = byId(v.entries, 'masque-pep:fr-0001');
  assert.deepEqual([fr.schema, fr.birthDates, fr.countries, fr.programs, fr.gender], ['Person', ['1961-07-04'], ['FR'], ['Member of the National Assembly'], 'male']);
  assert.equal(byId(v.entries, 'masque-pep:ru-0001').names[0].full, 'Мария Ивановна Тестова');
  const bad = (line: string, re: RegExp) =>
    assert.throws(() => importList(pepJsonlImporter, [{ name: 'p.jsonl', data: `{"format":"masque-pep/1"}\n${line}\n` }]), (e) => e instanceof ListFormatError && e.where.line === 2 && re.test(e.message));
  bad('{"id":"x"}', /"name" must be a non-empty string/);
  bad('{"id":"x","name":"A","birthDate":"12/03/1970"}', /"birthDate" must be YYYY/);
  bad('{"id":"x","name":"A","aliases":"B"}', /"aliases" must be an array of strings/);
  bad('{"id":"x","name":"A","country":"Atlantis"}', /unknown country/);
  bad('{"id":"x","name":"A"', /not JSON/);
  bad('{"format":"other/2"}', /unknown format/);
  // Round trip through toPepJsonl.
  const again = importList(pepJsonlImporter, [{ name: 'p.jsonl', data: toPepJsonl([{ id: 'a', name: 'Ann Test', country: 'US' }]) }]);
  assert.equal(again.entries[0].names[0].full, 'Ann Test');
});

test('US Congress YAML: in office on asOf (or within the policy after), nicknames and earlier names as aliases', () => {
  const files = [fixture('pep/legislators-current.yaml'), fixture('pep/executive.yaml')];
  const v = importList(usCongressImporter({ asOf: '2026-06-01', monthsAfterOffice: 18 }), files);
  assert.deepEqual(v.entries.map((e) => e.id), ['us-congress-pep:T000001', 'us-congress-pep:govtrack-9990001']);
  const m = v.entries[0];
  assert.deepEqual(m.names.map((n) => n.full), ['Margaret A. Testwell', 'Margaret Ann Testwell', 'Margaret Testwell', 'Peggy Testwell', 'Margaret Smith-Testwell']);
  assert.deepEqual(m.programs, ['United States Senator (WA)']);
  assert.deepEqual(m.birthDates, ['1958-10-13']);
  // Retired in January 2019: a PEP until mid-2020 under an 18-month policy.
  assert.deepEqual(congressToPep('l.yaml', new TextDecoder().decode(files[0].data as Uint8Array), { asOf: '2020-06-01' }).map((r) => r.id), ['T000002']);
  assert.deepEqual(congressToPep('l.yaml', new TextDecoder().decode(files[0].data as Uint8Array), { asOf: '2020-08-01' }).map((r) => r.id), []);
  assert.throws(() => congressToPep('l.yaml', '- id: {}\n  name: {first: A}\n'), (e) => e instanceof ListFormatError && e.where.element === '[0]');
  assert.throws(() => congressToPep('l.yaml', 'a: [1\n'), (e) => e instanceof ListFormatError && /YAML/.test(e.message));
});
