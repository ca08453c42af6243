// The long invariant campaign (npm run test:slow): the same harness as invariant.test.ts, many more and deeper runs.
import { test } from 'node:test';
import { assertCampaign, runCampaign } from './campaign.js';

test('invariant campaign (long): contracts agree with the model after every call', async () => {
  const r = await runCampaign({ runs: 256, depth: 200 });
  assertCampaign(r, 'long campaign');
});
