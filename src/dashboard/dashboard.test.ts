// The dashboard in a real browser (Debian's chromium, playwright-core) against a started node: each role's main
// workflow end to end, every screen checked with axe-core (no serious or critical violation) and screenshotted
// into test-artifacts/dashboard/. Each role is its own browser context: its own IndexedDB, so its own keys.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { checkScreen, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';

describe('dashboard in chromium', () => {
  let t: TestNode;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];

  before(async () => {
    [t, browser] = await Promise.all([startTestNode(), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function rolePage(path: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    contexts.push(ctx);
    const { page, errors } = await openPage(ctx, `${t.node.url}/#${path}`);
    pageErrors.push(errors);
    return page;
  }

  /** Creates a key in the page (or imports one) and unlocks it, through the vault's forms. */
  async function createAndUnlock(page: Page, name: string): Promise<void> {
    await page.getByRole('tab', { name: 'Create a key' }).click();
    await page.getByLabel('Name', { exact: true }).fill(name);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByLabel('Key', { exact: true }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('.keychip').getByText(name).waitFor();
  }

  test('node: chain, contracts, trusted issuers with their topics, health', async () => {
    const page = await rolePage('/node');
    await page.getByRole('heading', { name: 'Trusted issuers and their topics' }).waitFor();
    const issuers = page.getByRole('table', { name: 'Trusted issuers' });
    await issuers.getByText('kyc', { exact: true }).waitFor();
    assert.equal(await issuers.getByRole('row').count(), 3);
    await page.getByText('Healthy').waitFor();
    await page.getByRole('table', { name: 'Contracts' }).getByText('identityRegistry', { exact: true }).waitFor();
    await checkScreen(page, 'node');
  });

  test('keys: a weak passphrase is refused at its field; a key is created, unlocked and locked in the page', async () => {
    const page = await rolePage('/keys');
    await page.getByRole('tab', { name: 'Create a key' }).click();
    await page.getByLabel('Name', { exact: true }).fill('bad name!');
    await page.getByLabel('Passphrase', { exact: true }).fill('short');
    await page.getByLabel('Repeat the passphrase').fill('short');
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByText('letters, digits, _ . - only (1-64)', { exact: true }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('carol');
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByText('at least 8 characters', { exact: true }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByLabel('Repeat the passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Create the key' }).click();
    await page.getByLabel('Key', { exact: true }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill('wrong passphrase');
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByText('wrong passphrase', { exact: true }).waitFor();
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.getByRole('heading', { name: 'Unlocked' }).waitFor();
    await checkScreen(page, 'keys');
    await page.locator('.topbar').getByRole('button', { name: 'Lock' }).click();
    await page.getByRole('link', { name: 'Unlock a key' }).waitFor();
  });

  test('no page error or console error in any role', () => {
    assert.deepEqual(pageErrors.flat(), []);
  });
});
