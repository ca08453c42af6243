// The long invariant campaign (npm run test:slow): the same harness as invariant.test.ts, many more and deeper runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCampaign, runCampaign } from './campaign.js';

test('invariant campaign (long): contracts agree with the model after every call', async () => {
  const r = await runCampaign({ runs: 256, depth: 200 });
  assertCampaign(r, 'long campaign');
});

for (const mutant of ['ignore-revocations', 'ignore-expiry', 'ignore-signer-removal'] as const) {
  test(`the long campaign catches a model that does "${mutant}"`, async () => {
    const r = await runCampaign({ runs: 64, depth: 200, mutant });
    assert.equal(r.passed, false, 'a wrong model must fail the campaign');
    assert.match(r.output, /\[Sequence\]/);
  });
}
