import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClaimPolicy, ClaimPolicyError, DEFAULT_VALIDITY, validityOverridesSchema } from './claim-policy.js';
import { loadConfig } from './config.js';

const DAY = 86_400;
const T0 = 1_800_000_000;

function refusal(f: () => void, field: string, re: RegExp) {
  assert.throws(f, (e: Error) => e instanceof ClaimPolicyError && e.field === field && re.test(e.message));
}

describe('claim validity policy', () => {
  it('defaults: KYC, Accreditation, Tax Residency, UBO 12 months; AML, Sanctions, PEP 30 days; Travel Rule 6 months', () => {
    const p = new ClaimPolicy();
    const days = (t: number) => p.validity(t).maxValiditySeconds! / DAY;
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map(days), [365.25, 30, 365.25, 30, 365.25, 365.25, 30, 182.625]);
    for (const t of Object.keys(DEFAULT_VALIDITY)) assert.equal(p.validity(Number(t)).neverExpires, false);
    // A year-long KYC fits; a 30-day AML at the second fits, one second more does not.
    p.check({ topic: 1, issuedAt: T0, expiresAt: T0 + 365 * DAY });
    p.check({ topic: 2, issuedAt: T0, expiresAt: T0 + 30 * DAY });
    refusal(() => p.check({ topic: 2, issuedAt: T0, expiresAt: T0 + 30 * DAY + 1 }), 'expiresAt', /topic 2 \(AML\) claims may be valid at most 30 days .*asked 30\.0 days/);
    refusal(() => p.check({ topic: 7, issuedAt: T0, expiresAt: 0 }), 'expiresAt', /must expire/);
    refusal(() => p.check({ topic: 4, issuedAt: T0, expiresAt: T0 }), 'expiresAt', /after issuedAt/);
    // Custom topics are the deployment's own: unlimited unless configured.
    p.check({ topic: 9, issuedAt: T0, expiresAt: 0 });
    assert.equal(p.expiryFor(2, T0), T0 + 30 * DAY);
  });

  it('node-wide overrides, then per issuer; durations in seconds or units', () => {
    const o = validityOverridesSchema.parse({ 2: { maxValidity: '14d' }, 9: { maxValidity: '1y', neverExpires: false } });
    const issuer = '0x00000000000000000000000000000000000000aa';
    const p = new ClaimPolicy(o, new Map([[issuer, validityOverridesSchema.parse({ 2: { maxValidity: 7 * DAY }, 1: { neverExpires: true } })]]));
    assert.equal(p.validity(2).maxValiditySeconds, 14 * DAY);
    assert.equal(p.validity(2, issuer.toUpperCase().replace('0X', '0x')).maxValiditySeconds, 7 * DAY);
    p.check({ topic: 1, issuer, issuedAt: T0, expiresAt: 0 });
    refusal(() => p.check({ topic: 1, issuedAt: T0, expiresAt: 0 }), 'expiresAt', /must expire/);
    refusal(() => p.check({ topic: 9, issuedAt: T0, expiresAt: 0 }), 'expiresAt', /topic 9 claims must expire/);
    assert.throws(() => validityOverridesSchema.parse({ 2: { maxValidity: '30 days' } }), /duration/);
    assert.throws(() => validityOverridesSchema.parse({ AML: {} }), /topic number/);
  });

  it('is read from the node config (claimValidity, issuers[].validity), errors naming the field', () => {
    const c = loadConfig({ env: {}, overrides: { dataDir: '/tmp/x', claimValidity: { 2: { maxValidity: '10d' } }, issuers: [{ name: 'a', signer: `0x${'11'.repeat(20)}`, topics: [2], validity: { 2: { maxValidity: '5d' } } }] } });
    assert.equal(c.claimValidity['2']!.maxValidity, 10 * DAY);
    assert.equal(c.issuers[0]!.validity!['2']!.maxValidity, 5 * DAY);
    assert.throws(() => loadConfig({ env: {}, overrides: { dataDir: '/tmp/x', claimValidity: { 2: { maxValidity: 'soon' } } } }), /claimValidity\.2\.maxValidity/);
  });
});
