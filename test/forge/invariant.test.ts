// CI's invariant campaign: forge calls random sequences of handler functions against Masque's contracts and checks,
// after every call, that the contracts agree with the ghost model (test/forge/README.md). Fixed seed; a failure
// prints forge's counterexample (the call sequence, shrunk). The long campaign is invariant.slow.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertCampaign, runCampaign } from './campaign.js';

test('invariant campaign (CI size): contracts agree with the model after every call', async () => {
  const r = await runCampaign({ runs: 32, depth: 100 });
  assertCampaign(r, 'CI campaign');
});

test('the campaign has teeth: a model that ignores revocations is caught, with a counterexample', async () => {
  const r = await runCampaign({ runs: 32, depth: 100, mutant: 'ignore-revocations' });
  assert.equal(r.passed, false, 'a wrong model must fail the campaign');
  assert.match(r.output, /isVerified differs from the model|hasValidClaim differs from the model|the model expected/);
  assert.match(r.output, /\[Sequence\]/, 'forge printed the call sequence');
  console.log(`mutant caught: ${/\[FAIL: ([^\]]*)\]/.exec(r.output)?.[1] ?? '?'}`);
});
