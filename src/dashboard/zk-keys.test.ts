// The investor's zero-knowledge keys screen in a real browser (src/dashboard/app/screens/investor-zk-keys): the
// holder identity derived in the page starts at its genesis key; a rotation made in the page (transition signed by
// the outgoing key and proven in Chromium) reaches the chain and the node's GIST mirror; a new page of the same key
// recovers the rotated keys from the chain alone. axe: no serious or critical violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { generatePrivateKey } from 'viem/accounts';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { MasqueClient } from '../sdk/index.js';
import { checkScreen, importKeyAndUnlock, launchChromium, openPage } from './test-helpers.js';

const PASS = 'zk keys passphrase, long enough';

describe('investor zero-knowledge keys in chromium', () => {
  let t: TestNode;
  let browser: Browser;
  const errors: string[][] = [];
  before(async () => {
    [t, browser] = await Promise.all([startTestNode(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const stateShown = (page: Page) => page.locator('dl.kv dd').nth(1).locator('[title]').getAttribute('title');

  test('rotation in the page: genesis key out, key #1 in, on chain and in the GIST; recovered by a new page from the chain', { timeout: 300_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const first = await openPage(context, `${t.node.url}/#/investor/zk-keys`);
    errors.push(first.errors);
    const page = first.page;
    await importKeyAndUnlock(page, 'investor', generatePrivateKey(), PASS);
    const keys = page.getByRole('table', { name: 'Authentication keys' });
    await keys.getByText('Genesis key').waitFor({ timeout: 60_000 });
    await page.getByText('genesis (never rotated)').waitFor();
    const holderDid = await page.locator('dl.kv dd').first().locator('[title]').getAttribute('title');
    assert.match(holderDid ?? '', /^did:masque:/);
    const genesisState = await stateShown(page);

    await page.getByRole('button', { name: 'Rotate my key' }).click();
    await page.getByText('Key rotated.').waitFor({ timeout: 240_000 });
    await keys.getByText('Key #1').waitFor();
    assert.equal(await keys.getByText('Genesis key').count(), 0, 'the genesis key is removed');
    const rotatedState = await stateShown(page);
    assert.notEqual(rotatedState, genesisState);
    await checkScreen(page, 'investor-zk-keys');

    // The chain and the node's GIST mirror hold the new state.
    const client = new MasqueClient(t.node.url);
    assert.equal((await client.zk.identityState(holderDid!)).latestState, rotatedState);
    assert.equal((await client.zk.gistProof(holderDid!)).state?.toString(), rotatedState);

    // Another page of the same key (nothing stored about the rotation): the keys are recovered from the chain.
    const second = await openPage(context, `${t.node.url}/#/investor/zk-keys`);
    errors.push(second.errors);
    await second.page.getByLabel('Key', { exact: true }).selectOption('investor');
    await second.page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await second.page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await second.page.getByRole('table', { name: 'Authentication keys' }).getByText('Key #1').waitFor({ timeout: 60_000 });
    assert.equal(await stateShown(second.page), rotatedState);
    await context.close();
    assert.deepEqual(errors.flat(), [], 'no page error');
  });
});
