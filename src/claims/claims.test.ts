import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToBigintBE } from '../crypto/bytes.js';
import { FIELD_MODULUS } from '../crypto/field.js';
import { poseidon } from '../crypto/poseidon.js';
import { Claim, ClaimFieldError, MAX_REVISION, KYC_SCHEMA, ACCREDITATION_SCHEMA, defineSchema, canonicalJson, hashString, countryToNumeric } from './index.js';

const subject = 123456789012345678901234567890n;

function kyc(overrides: Record<string, unknown> = {}) {
  return Claim.create({
    schema: KYC_SCHEMA,
    subject,
    revocationNonce: 42n,
    expiration: 1_900_000_000,
    data: { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FRA', ...overrides },
  });
}

test('slot layout follows docs/protocol.md', () => {
  const c = kyc();
  const [i0, i1, i2, i3, v0, v1, v2, v3] = c.slots;
  assert.equal(i0 & ((1n << 128n) - 1n), KYC_SCHEMA.hash);
  assert.equal(i0 >> 128n, 2n | 8n, 'subject in i1 and expiration flag');
  assert.equal(i1, subject);
  assert.equal(i2, 0n);
  assert.equal(i3, 0n);
  assert.equal(v0, 42n | (1_900_000_000n << 64n));
  assert.deepEqual([v1, v2, v3], [19900417n, 756n, 250n]);
  assert.equal(c.subject, subject);
  assert.equal(c.revocationNonce, 42n);
  assert.equal(c.expiration, 1_900_000_000n);
  assert.equal(c.indexHash, poseidon([i0, i1, i2, i3]));
  assert.equal(c.valueHash, poseidon([v0, v1, v2, v3]));
  for (const s of c.slots) assert.ok(s < FIELD_MODULUS);
  assert.equal(c.revision, 0);
});

test('revision: header bits 4-31, a new index for the same data; out of range refused', () => {
  const base = { schema: KYC_SCHEMA, subject, revocationNonce: 42n, expiration: 1_900_000_000, data: { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FRA' } };
  const r = Claim.create({ ...base, revision: 0x0abcdef });
  assert.equal(r.slots[0] >> 128n, 2n | 8n | (0x0abcdefn << 4n));
  assert.ok(r.slots[0] < 1n << 160n, 'the header stays 32 bits: the circuit decomposes i0 into 160 bits');
  assert.equal(r.revision, 0x0abcdef);
  assert.equal(r.subject, subject);
  assert.equal(r.hasExpiration, true);
  assert.notEqual(r.indexHash, kyc().indexHash);
  assert.equal(Claim.create({ ...base, revision: MAX_REVISION }).revision, MAX_REVISION);
  for (const revision of [-1, MAX_REVISION + 1, 1.5]) {
    assert.throws(() => Claim.create({ ...base, revision }), (e: unknown) => e instanceof ClaimFieldError && e.field === 'revision');
  }
});

test('schema hash is the first 16 bytes of SHA-256 of canonical JSON', () => {
  const json = canonicalJson(KYC_SCHEMA.definition);
  assert.ok(!/\s/.test(json.replace(/"[^"]*"/g, '')), 'no whitespace outside strings');
  assert.equal(KYC_SCHEMA.hash, bytesToBigintBE(sha256(new TextEncoder().encode(json)).subarray(0, 16)));
  const reordered = defineSchema({ fields: KYC_SCHEMA.definition.fields, version: '1', name: 'masque.kyc', description: KYC_SCHEMA.definition.description });
  assert.equal(reordered.hash, KYC_SCHEMA.hash, 'key order does not matter');
  assert.notEqual(defineSchema({ ...KYC_SCHEMA.definition, version: '2' }).hash, KYC_SCHEMA.hash);
});

test('decode gives back what was encoded', () => {
  assert.deepEqual(kyc().decode(KYC_SCHEMA), { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FR' });
  const acc = Claim.create({ schema: ACCREDITATION_SCHEMA, subject, revocationNonce: 1n, data: { investorType: 'professional', netWorthUsd: 2_500_000 } });
  assert.deepEqual(acc.decode(ACCREDITATION_SCHEMA), { investorType: 'professional', netWorthUsd: 2_500_000n });
  assert.equal(acc.hasExpiration, false);
  assert.equal(acc.isExpiredAt(10n ** 12n), false, 'timeless');
  assert.throws(() => acc.decode(KYC_SCHEMA), /not of this schema/);
});

test('expiry', () => {
  const c = kyc();
  assert.equal(c.isExpiredAt(1_899_999_999), false);
  assert.equal(c.isExpiredAt(1_900_000_000), true);
});

test('values that do not fit are rejected naming the field', () => {
  const cases: [Record<string, unknown>, string][] = [
    [{ birthDate: '1990-02-30' }, 'birthDate'],
    [{ birthDate: '17/04/1990' }, 'birthDate'],
    [{ countryOfResidence: 'XX' }, 'countryOfResidence'],
    [{ nationality: 42 }, 'nationality'],
    [{ extra: 1 }, 'extra'],
    [{ birthDate: undefined }, 'birthDate'],
  ];
  for (const [data, field] of cases) {
    assert.throws(() => kyc(data), (e: unknown) => e instanceof ClaimFieldError && e.field === field, field);
  }
  assert.throws(() => Claim.create({ schema: ACCREDITATION_SCHEMA, revocationNonce: 1n, data: { investorType: 'whale', netWorthUsd: 1 } }), /investorType/);
  assert.throws(() => Claim.create({ schema: ACCREDITATION_SCHEMA, revocationNonce: 1n, data: { investorType: 'retail', netWorthUsd: -1 } }), /netWorthUsd/);
  assert.throws(() => Claim.create({ schema: ACCREDITATION_SCHEMA, revocationNonce: 1n, data: { investorType: 'retail', netWorthUsd: 2n ** 64n } }), /netWorthUsd/);
  assert.throws(() => Claim.create({ schema: ACCREDITATION_SCHEMA, revocationNonce: 2n ** 64n, data: { investorType: 'retail', netWorthUsd: 1 } }), /revocationNonce/);
  assert.throws(() => Claim.create({ schema: ACCREDITATION_SCHEMA, revocationNonce: 1n, expiration: -5, data: { investorType: 'retail', netWorthUsd: 1 } }), /expiration/);
});

test('schema definitions are validated', () => {
  assert.throws(() => defineSchema({ name: 'x', version: '1', fields: [{ name: 'a', slot: 'v1', type: 'integer' }, { name: 'b', slot: 'v1', type: 'integer' }] }), /slot v1 is used twice/);
  assert.throws(() => defineSchema({ name: 'x', version: '1', fields: [{ name: 'a', slot: 'v0' as never, type: 'integer' }] }), /fields\[0\]\.slot/);
  assert.throws(() => defineSchema({ name: 'x', version: '1', fields: [{ name: 'a', slot: 'v1', type: 'money' as never }] }), /fields\[0\]\.type/);
  assert.throws(() => defineSchema({ name: 'x', version: '1', fields: [{ name: 'a', slot: 'v1', type: 'enum' }] }), /values/);
});

test('strings hash into the field; one-way but stable and length-separated', () => {
  const s = defineSchema({ name: 's', version: '1', fields: [{ name: 'legalName', slot: 'v1', type: 'string' }] });
  const long = 'x'.repeat(1000);
  const c = Claim.create({ schema: s, revocationNonce: 0n, data: { legalName: long } });
  assert.equal(c.slots[5], hashString(long));
  assert.notEqual(hashString('a'), hashString('a\0'));
  assert.notEqual(hashString(''), 0n);
  assert.equal(s.encodeField('legalName', 'Ada'), hashString('Ada'));
  assert.equal(countryToNumeric('us'), 840);
});

test('fromSlots / JSON round trip and validation', () => {
  const c = kyc();
  const again = Claim.fromJSON(JSON.parse(JSON.stringify(c)));
  assert.deepEqual(again.slots, c.slots);
  assert.equal(again.indexHash, c.indexHash);
  assert.throws(() => Claim.fromSlots([1n]), /8 slots/);
  assert.throws(() => Claim.fromSlots([...c.slots.slice(0, 7), FIELD_MODULUS]), /slots\[7\]/);
  assert.throws(() => Claim.fromJSON(['1', '2', '3', '4', '5', '6', '7', 'x']), /claim\[7\]/);
});
