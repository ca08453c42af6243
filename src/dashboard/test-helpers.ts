// Browser test harness: Debian's chromium driven by playwright-core (no browser download), axe-core for
// accessibility, screenshots kept in test-artifacts/dashboard/ (gitignored). Used by the dashboard's *.test.ts.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { PROJECT_ROOT } from './build.js';
import { Keystore, type UnlockedKey } from '../wallet/keystore.js';

export const CHROMIUM = process.env.MASQUE_CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = join(PROJECT_ROOT, 'test-artifacts', 'dashboard');

export async function launchChromium(): Promise<Browser> {
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: apt-get install -y chromium (.ci/run does it)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** A page that fails the test on any uncaught page error or console error (a blank page never passes). */
export async function openPage(context: BrowserContext, url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
  return { page, errors };
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core on the page as it is: returns the serious and critical violations (the tests want none). */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (script-src 'self') does not govern.
  await page.evaluate(axeSource);
  const results = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { axe: { run(ctx: unknown, o: unknown): Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } })
      .axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return results.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`);
}

/** Screenshot + accessibility check of the screen the page shows now. */
export async function checkScreen(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  assert.deepEqual(await seriousA11yViolations(page), [], `accessibility of ${name}`);
}

/**
 * Imports `privateKey` into the page's vault the way a person would: as the key file `masque keys new --private-key`
 * writes (cheaper scrypt for tests), through the unlock panel's import form, then unlocks it. Returns the key as the
 * file holds it (the test may check what only that key opens).
 */
export async function importKeyAndUnlock(page: Page, name: string, privateKey: `0x${string}`, passphrase: string): Promise<UnlockedKey> {
  const dir = mkdtempSync(join(tmpdir(), 'masque-keys-'));
  try {
    const store = new Keystore(dir, { N: 2 ** 14, r: 8, p: 1 });
    await store.create(name, passphrase, { privateKey });
    await importKeyFileAndUnlock(page, name, readFileSync(join(dir, `${name}.json`)), passphrase);
    return await store.unlock(name, passphrase);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Imports an existing key file (its ML-KEM key included, e.g. one documents were sealed for) and unlocks it. */
export async function importKeyFileAndUnlock(page: Page, name: string, file: Buffer, passphrase: string): Promise<void> {
  await page.getByRole('tab', { name: 'Import a CLI key file' }).click();
  await page.getByLabel('Key file').setInputFiles({ name: `${name}.json`, mimeType: 'application/json', buffer: file });
  await page.getByLabel('Its passphrase').fill(passphrase);
  await page.getByRole('button', { name: 'Import' }).click();
  await page.getByLabel('Key', { exact: true }).selectOption(name);
  await page.getByLabel('Passphrase', { exact: true }).fill(passphrase);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.locator('.keychip').getByText(name).waitFor();
}
