// CI's invariant campaign: forge calls random sequences of handler functions against Masque's contracts and checks,
// after every call, that the contracts agree with the ghost model (test/forge/README.md). Fixed seed; a failure
// prints forge's counterexample (the call sequence, shrunk). The long campaign is invariant.slow.test.ts.
import { test } from 'node:test';
import { assertCampaign, runCampaign } from './campaign.js';

test('invariant campaign (CI size): contracts agree with the model after every call', async () => {
  const r = await runCampaign({ runs: 32, depth: 100 });
  assertCampaign(r, 'CI campaign');
});
