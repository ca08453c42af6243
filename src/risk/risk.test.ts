import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  activityStats, addBucket, bandIndex, bandOf, CountryRiskTable, countryNumeric, DEFAULT_MODEL, emptyBucket, FATF_2026_02,
  mustWrite, parseCountryTable, parseCountryTableCsv, riskModel, RiskInputError, scoreIdentity, transferContributions,
  writeThresholds, type ActivityBucket, type RiskInput,
} from './index.js';

const NOW = 1_780_000_000; // 2026-05-28
const DAY = 86_400;
const fatf = new CountryRiskTable(FATF_2026_02);
const ctx = { model: DEFAULT_MODEL, countries: fatf, now: NOW };
const FR = 250;
const clean = (): RiskInput => ({
  country: FR, countryAttested: true,
  customer: { pep: false, openCases: 0, confirmedCases: 0, kycIssuedAt: NOW - 30 * DAY },
  activity: [],
  compliance: { missing: [], expired: [], revoked: [], frozen: false },
});
const fieldIs = (field: string) => (e: unknown) => e instanceof RiskInputError && e.field === field;
const points = (r: ReturnType<typeof scoreIdentity>) => Object.fromEntries(r.factors.filter((f) => f.points > 0).map((f) => [f.id, f.points]));

test('the FATF February 2026 seed: 3 call-for-action and 22 increased-monitoring jurisdictions, ISO numeric codes', () => {
  assert.equal(fatf.entries.length, 25);
  const alpha = (n: number) => fatf.entries.find((e) => e.country === n);
  for (const [c, n] of [['KP', 408], ['IR', 364], ['MM', 104]] as const) {
    assert.equal(countryNumeric(c), n);
    assert.equal(alpha(n)?.score, 100);
    assert.match(alpha(n)!.label, /call for action/);
  }
  const grey = { DZ: 12, AO: 24, BO: 68, BG: 100, CM: 120, CI: 384, CD: 180, HT: 332, KE: 404, KW: 414, LA: 418, LB: 422, MC: 492, NA: 516, NP: 524, PG: 598, SS: 728, SY: 760, VE: 862, VN: 704, VG: 92, YE: 887 };
  for (const [c, n] of Object.entries(grey)) {
    assert.equal(countryNumeric(c), n, c);
    assert.deepEqual(fatf.lookup(n), { score: 60, label: 'FATF increased monitoring', listed: true }, c);
  }
  assert.deepEqual(fatf.lookup(840), { score: 0, label: 'not listed', listed: false });
});

test('country codes: numeric, alpha-2, alpha-3; unknown codes name the field', () => {
  assert.equal(countryNumeric('IRN'), 364);
  assert.equal(countryNumeric('ir'), 364);
  assert.equal(countryNumeric('076'), 76);
  assert.equal(countryNumeric(76), 76);
  assert.throws(() => countryNumeric('XX', 'entries.0.country'), fieldIs('entries.0.country'));
  assert.throws(() => countryNumeric(1000), fieldIs('country'));
  assert.throws(() => countryNumeric(999), fieldIs('country'));
});

test('importing a table: JSON validated field by field, duplicates refused, CSV on the Basel 0-10 scale', () => {
  const t = parseCountryTable({ id: 'own-1', name: 'Own', asOf: '2026-11-30', source: 'ops', defaultScore: 10, entries: [{ country: 'FR', score: 80, label: 'policy' }, { country: 364, score: 100 }] });
  assert.deepEqual(t.entries, [{ country: 250, score: 80, label: 'policy' }, { country: 364, score: 100, label: 'imported' }]);
  assert.equal(new CountryRiskTable(t).lookup(840).score, 10);
  assert.throws(() => parseCountryTable({ ...t, entries: [{ country: 'FR', score: 1 }, { country: 250, score: 2 }] }), fieldIs('entries.1.country'));
  assert.throws(() => parseCountryTable({ ...t, entries: [{ country: 'FR', score: 101 }] }), fieldIs('entries.0.score'));
  assert.throws(() => parseCountryTable({ ...t, asOf: '30/11/2026' }), fieldIs('asOf'));
  assert.throws(() => parseCountryTable({ ...t, id: 'a b' }), fieldIs('id'));
  assert.throws(() => parseCountryTable([]), fieldIs('table'));

  const meta = { id: 'basel-2025', name: 'Basel AML Index 2025 (licensed)', asOf: '2025-11-20', source: 'Basel Institute on Governance' };
  const basel = parseCountryTableCsv('# licensed scores\ncountry,score\nHTI,8.1\nFIN,2.95\n\nMMR,8.2\n', meta, { scale: 10 });
  assert.deepEqual(basel.entries.map((e) => [e.country, e.score]), [[104, 82], [246, 29.5], [332, 81]]);
  assert.throws(() => parseCountryTableCsv('country,score\nFR,5\nXX,3\n', meta, { scale: 10 }), fieldIs('line 3.country'));
  // The field once, in the message as in `field` (the line number replaces the array index, not prefixed to it).
  assert.throws(() => parseCountryTableCsv('country,score\nXX,3\n', meta), {
    message: 'line 2.country: not an ISO 3166-1 country code (numeric, alpha-2 or alpha-3): "XX"',
  });
  assert.throws(() => parseCountryTableCsv('country,score\nFR,11\n', meta, { scale: 10 }), fieldIs('line 2.score'));
  assert.throws(() => parseCountryTableCsv('iso,risk\nFR,1\n', meta), fieldIs('csv.header'));
  assert.throws(() => parseCountryTableCsv('country,score\nFR,1,x\n', meta), fieldIs('line 2'));

  const a = new CountryRiskTable(FATF_2026_02);
  const b = new CountryRiskTable({ ...FATF_2026_02, id: 'x', entries: [...FATF_2026_02.entries.filter((e) => e.country !== 414), { country: 250, score: 70, label: 'own' }] });
  assert.deepEqual(CountryRiskTable.changedCountries(a, b), { countries: [250, 414], defaultChanged: false });
});

test('score vectors: each factor with its weight, value and points; the score is their sum, capped at 100', () => {
  const base = scoreIdentity(clean(), ctx);
  assert.equal(base.score, 0);
  assert.equal(base.band, 'low');
  assert.equal(base.factors.length, 16);
  assert.deepEqual(base.families, { country: 0, customer: 0, activity: 0, compliance: 0 });

  const vectors: [string, (i: RiskInput) => void, number, string, Record<string, number>][] = [
    ['call-for-action country', (i) => { i.country = 364; }, 60, 'high', { 'country.table': 60 }],
    ['increased monitoring', (i) => { i.country = 414; }, 36, 'medium', { 'country.table': 36 }],
    ['unattested unknown country', (i) => { i.country = null; i.countryAttested = false; }, 80, 'severe', { 'country.table': 60, 'country.unattested': 20 }],
    ['PEP with an open case', (i) => { i.customer.pep = true; i.customer.openCases = 1; }, 35, 'medium', { 'customer.pep': 25, 'customer.openCases': 10 }],
    ['confirmed match', (i) => { i.customer.confirmedCases = 1; }, 60, 'high', { 'customer.confirmedCases': 60 }],
    ['trust, KYC 18 months old', (i) => { i.customer.entityType = 'trust'; i.customer.kycIssuedAt = NOW - 547.5 * DAY; }, 14, 'low', { 'customer.entityType': 6, 'customer.kycAge': 7.5 }],
    ['expired AML, revoked KYC, frozen', (i) => { i.compliance = { missing: [], expired: [2], revoked: [1], frozen: true }; }, 88, 'severe', { 'compliance.expiredClaims': 7.5, 'compliance.revokedClaims': 30, 'compliance.frozen': 50 }],
    ['everything at once caps at 100', (i) => { i.country = 408; i.customer.confirmedCases = 2; }, 100, 'severe', { 'country.table': 60, 'customer.confirmedCases': 60 }],
  ];
  for (const [name, change, score, band, expected] of vectors) {
    const input = clean();
    change(input);
    const r = scoreIdentity(input, ctx);
    assert.equal(r.score, score, name);
    assert.equal(r.band, band, name);
    assert.deepEqual(points(r), expected, name);
  }
  const ir = scoreIdentity({ ...clean(), country: 364 }, ctx).factors.find((f) => f.id === 'country.table')!;
  assert.deepEqual(ir, { id: 'country.table', family: 'country', weight: 60, value: 1, points: 60, detail: 'IR: FATF call for action (countermeasures), 100/100 in fatf-2026-02' });
  assert.throws(() => scoreIdentity({ ...clean(), customer: { ...clean().customer, openCases: -1 } }, ctx), fieldIs('customer.openCases'));
});

const party = (identity: string, score: number | null = 0, frozen = false) => ({ identity, score, frozen });
function fold(events: { amount: number; at: number; from: ReturnType<typeof party> | null; to: ReturnType<typeof party> | null }[]) {
  const buckets = new Map<string, ActivityBucket>();
  for (const e of events) {
    for (const { identity, bucket } of transferContributions({ amount: e.amount, timestamp: e.at }, e.from, e.to, DEFAULT_MODEL.activity)) {
      const k = `${identity}:${bucket.day}`;
      buckets.set(k, addBucket(buckets.get(k) ?? emptyBucket(bucket.day), bucket));
    }
  }
  return (identity: string) => [...buckets.entries()].filter(([k]) => k.startsWith(`${identity}:`)).map(([, b]) => b);
}

test('structuring: transfers just under the limit raise the sender, not the receiver; the limit itself is not "under"', () => {
  const a = party('a');
  const b = party('b');
  const of = fold([9_000, 9_500, 9_990, 9_999, 9_400, 10_000, 8_999].map((amount, i) => ({ amount, at: NOW - i * 3600, from: a, to: b })));
  const sa = activityStats(of('a'), Math.floor(NOW / DAY), DEFAULT_MODEL.activity);
  assert.equal(sa.nearLimit, 5);
  assert.equal(sa.recentCount, 7);
  const ra = scoreIdentity({ ...clean(), activity: of('a') }, ctx);
  // 66,888 tokens in the window against the 10,000 floor: 6.69x the usual, (6.69 - 2) / 8 of 15 points.
  assert.deepEqual(points(ra), { 'activity.structuring': 40, 'activity.volume': 8.79 });
  assert.equal(ra.score, 49);
  assert.match(ra.factors.find((f) => f.id === 'activity.structuring')!.detail, /5 outgoing transfer\(s\) in 7 days just under 10000/);
  assert.deepEqual(points(scoreIdentity({ ...clean(), activity: of('b') }, ctx)), { 'activity.volume': 8.79 });
});

test('volume and velocity against the holder own history; counterparties risk and frozen wallets', () => {
  const a = party('a');
  const events = [];
  // 83 days of history: 3 transfers of 1,000 a day (21 transfers and 21,000 tokens a week) ...
  for (let d = 7; d < 90; d++) for (let i = 0; i < 3; i++) events.push({ amount: 1_000, at: NOW - d * DAY, from: a, to: party('c', 10) });
  // ... then a week at 10x the count and volume.
  for (let i = 0; i < 210; i++) events.push({ amount: 1_000, at: NOW - (i % 7) * DAY, from: a, to: party('c', 10) });
  const s = activityStats(fold(events)('a'), Math.floor(NOW / DAY), DEFAULT_MODEL.activity);
  assert.equal(Math.round(s.baselineVolume), 21_000);
  assert.equal(Math.round(s.baselineCount), 21);
  assert.equal(s.recentCount, 210);
  const r = scoreIdentity({ ...clean(), activity: s }, ctx);
  assert.equal(r.factors.find((f) => f.id === 'activity.velocity')!.value, 1);
  assert.equal(r.factors.find((f) => f.id === 'activity.volume')!.value, 1);
  assert.equal(r.factors.find((f) => f.id === 'activity.counterpartyRisk')!.points, 0);

  const risky = fold([
    { amount: 100, at: NOW, from: a, to: party('x', 90) },
    { amount: 100, at: NOW, from: party('y', 20, true), to: a },
    { amount: 100, at: NOW, from: a, to: a }, // own wallets: no counterparty
    { amount: 100, at: NOW, from: null, to: a }, // mint
  ]);
  const rs = activityStats(risky('a'), Math.floor(NOW / DAY), DEFAULT_MODEL.activity);
  assert.equal(rs.risky, 2);
  assert.equal(rs.recentCount, 4);
  assert.equal(rs.counterpartyScore, 55);
  assert.deepEqual(points(scoreIdentity({ ...clean(), activity: rs }, ctx)), { 'activity.counterpartyRisk': 12, 'activity.riskyCounterparties': 20 });
});

test('bands: written only across a display band or a token limit, never on the wrong side of one', () => {
  assert.equal(bandOf(24), 'low');
  assert.equal(bandOf(25), 'medium');
  assert.equal(bandOf(100), 'severe');
  const t = writeThresholds(DEFAULT_MODEL.bands, [50, 60, 100, 60]);
  assert.deepEqual(t, [24, 49, 50, 60, 74]);
  assert.equal(mustWrite(null, 0, t), true);
  assert.equal(mustWrite(30, 45, t), false);
  assert.equal(mustWrite(52, 58, t), false);
  assert.equal(mustWrite(50, 49, t), true);
  assert.equal(mustWrite(50, 51, t), true);
  fc.assert(fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), fc.array(fc.integer({ min: 0, max: 100 })), (onchain, score, limits) => {
    const th = writeThresholds(DEFAULT_MODEL.bands, limits);
    if (mustWrite(onchain, score, th)) return bandIndex(onchain, th) !== bandIndex(score, th);
    return limits.every((l) => (onchain <= l) === (score <= l));
  }));
});

test('model overrides are validated and name the field', () => {
  const m = riskModel({ weights: { 'customer.pep': 40 }, activity: { structuringLimit: 1_000 } });
  assert.equal(m.weights['customer.pep'], 40);
  assert.equal(m.weights['country.table'], 60);
  assert.equal(m.activity.structuringLimit, 1_000);
  assert.throws(() => riskModel({ weights: { 'customer.shoeSize': 1 } as never }), fieldIs('weights.customer.shoeSize'));
  assert.throws(() => riskModel({ weights: { 'customer.pep': 101 } }), fieldIs('weights.customer.pep'));
  assert.throws(() => riskModel({ bands: [{ name: 'x', from: 5 }] }), fieldIs('bands'));
  assert.throws(() => riskModel({ kyc: { staleDays: 10 } }), fieldIs('kyc.staleDays'));
  assert.throws(() => riskModel({ activity: { historyDays: 7 } }), fieldIs('activity.historyDays'));
});
