// Regulators through a fund administrator, in a real browser (Debian's chromium, playwright-core) against a started
// node, one browser context per person (its own IndexedDB, so its own keys): the investor delegates its KYC report
// to its administrator in the page, then its keys are gone; the administrator grants a regulator in the page
// (re-wrapping the key, never seeing the document); the regulator decrypts the report in the page with its
// integrity checks; the administrator revokes and the regulator is refused with the reason shown; a party the link
// was not made for is refused too. Every screen passes axe-core with no serious or critical violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MasqueClient, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import { delegationTopic, onwardTopic } from '../documents/index.js';
import { connectClient, startTestNode, type TestNode } from '../node/test-helpers.js';
import { Keystore } from '../wallet/keystore.js';
import { checkScreen, importKeyAndUnlock, importKeyFileAndUnlock, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';
const KYC_REPORT = 'KYC report\nSubject: Oriel Quennell-Marchbanks\nPassport verified, liveness passed, address verified\n';
const investorKey = generatePrivateKey();
const investor = privateKeyToAccount(investorKey);

describe('regulators through a fund administrator, in chromium', () => {
  let t: TestNode;
  let browser: Browser;
  let client: MasqueClient;
  let chainId: number;
  let identity: Address;
  let investorFile: Buffer;
  const pageErrors: string[][] = [];
  const contexts: BrowserContext[] = [];
  const story: { admin?: Page; regulator?: Page; adminDid?: string; adminIdentity?: Address; regulatorDid?: string; regulatorKey?: string; link?: string } = {};

  before(async () => {
    [t, browser] = await Promise.all([startTestNode(), launchChromium()]);
    let kycIssuer: Address;
    ({ client, chainId, kycIssuer } = await connectClient(t));
    // The investor as earlier screens leave it: an identity with its encryption key on it, and a KYC claim whose
    // issuer sealed its own report for that key (src/node/documents.test.ts covers those steps over the API).
    const dir = mkdtempSync(join(tmpdir(), 'masque-keys-'));
    let encryptionDid: string;
    try {
      encryptionDid = (await new Keystore(dir, { N: 2 ** 14, r: 8, p: 1 }).create('investor', PASS, { privateKey: investorKey })).encryptionDid;
      investorFile = readFileSync(join(dir, 'investor.json'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    identity = (await client.write('id_createIdentity', { wallet: investor.address, country: 276 }, investor)).identity as Address;
    await client.write('id_addEncryptionKey', { identity, key: encryptionDid }, investor);
    const sealed = await sealForClaim(new TextEncoder().encode(KYC_REPORT), { chainId, identity, topic: 1 }, [encryptionDid]);
    const issuedAt = Math.floor(Date.now() / 1000) - 5;
    const expiresAt = issuedAt + 365 * 86400;
    const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity, topic: 1n, documentHash: sealed.documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
    await client.rpc.id_issueClaim({
      identity, topic: 1, issuer: kycIssuer, documentHash: sealed.documentHash, issuedAt, expiresAt, signature,
      document: { ciphertext: toBase64(sealed.bytes), mediaType: 'text/plain' }, envelopes: sealed.envelopes,
    });
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function personPage(path: string): Promise<{ page: Page; context: BrowserContext }> {
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    contexts.push(context);
    const { page, errors } = await openPage(context, `${t.node.url}/#${path}`);
    pageErrors.push(errors);
    return { page, context };
  }

  const fieldError = (page: Page, text: string | RegExp) => page.locator('.field .error', { hasText: text }).waitFor();

  test('administrator: key in the page, identity created and its encryption key published from the page', async () => {
    const { page } = await personPage('/administrator/delegations');
    story.admin = page;
    await importKeyAndUnlock(page, 'fund-admin', generatePrivateKey(), PASS);
    await page.getByRole('button', { name: 'Create my identity' }).click();
    await page.getByRole('button', { name: 'Publish my encryption key' }).click();
    await page.getByText('published: your DID document lists it').waitFor();
    story.adminDid = (await page.locator('dd .mono', { hasText: 'did:pkh:' }).first().textContent())!;
    assert.match(story.adminDid, new RegExp(`^did:pkh:eip155:${chainId}:0x[0-9a-fA-F]{40}$`));
    story.adminIdentity = (await page.locator('dd .mono', { hasText: /^0x/ }).first().textContent()) as Address;
    await page.getByText('No delegation yet').waitFor();
    await checkScreen(page, 'administrator-setup');
  });

  test('investor: delegates its KYC report to the administrator by DID, in the page; bad input refused at its field', async () => {
    const { page, context } = await personPage('/investor/delegation');
    await importKeyFileAndUnlock(page, 'investor', investorFile, PASS);
    const form = page.getByRole('region', { name: 'Delegate to a fund administrator' });
    await form.getByRole('checkbox', { name: 'KYC' }).waitFor();
    // A DID of another chain, and no document chosen: both named at their fields, nothing sent.
    await form.getByLabel('Administrator (DID)').fill(story.adminDid!.replace(`eip155:${chainId}:`, 'eip155:1:'));
    await form.getByRole('button', { name: 'Delegate' }).click();
    await fieldError(page, `not of this node's chain ${chainId}`);
    await fieldError(page, 'choose at least one document');
    // A did:key that is not one: the API's own schema refuses it at its field.
    await form.getByLabel('Administrator (DID)').fill(story.adminDid!);
    await form.getByLabel("Administrator's encryption key (did:key, optional)").fill('did:key:not-a-key');
    await form.getByRole('checkbox', { name: 'KYC' }).check();
    await form.getByRole('button', { name: 'Delegate' }).click();
    await fieldError(page, 'expected a did:key');
    // Left empty, the key is the one the administrator's DID document lists.
    await form.getByLabel("Administrator's encryption key (did:key, optional)").fill('');
    await form.getByLabel('Valid for (days)').fill('30');
    await form.getByRole('button', { name: 'Delegate' }).click();
    const link = await form.getByLabel('Delegation link').inputValue();
    assert.match(link, /#\/administrator\/delegations\?delegation=/);
    const table = page.getByRole('table', { name: 'Delegations' });
    await table.getByText('active').waitFor();
    await table.getByRole('cell', { name: 'KYC', exact: true }).waitFor();
    // On chain: the delegation grant to the administrator's wallet under the delegation topic, never a read grant.
    const adminWallet = story.adminDid!.split(':').at(-1) as Address;
    const grants = (await import('../node/chain/reads.js'));
    assert.equal(await grants.canAccess(t.node.ctx.clients.publicClient, identity, adminWallet, delegationTopic(1n)), true);
    assert.equal(await grants.canAccess(t.node.ctx.clients.publicClient, identity, adminWallet, 1n), false);
    await checkScreen(page, 'investor-delegation');
    story.link = link;
    // The investor goes offline: its browser, and the keys in it, are gone.
    await context.close();
  });

  test('regulator: its DID for grantors, shown on its documents screen', async () => {
    const { page } = await personPage('/verifier/documents');
    story.regulator = page;
    await importKeyAndUnlock(page, 'regulator', generatePrivateKey(), PASS);
    story.regulatorDid = (await page.getByRole('definition').locator('.mono').filter({ hasText: 'did:pkh:' }).first().textContent())!;
    story.regulatorKey = (await page.getByRole('definition').locator('[title^="did:key:"]').first().getAttribute('title'))!;
    await page.getByRole('button', { name: 'Create my identity' }).waitFor();
  });

  test('administrator: the delegation received; grants the regulator in the page, never seeing the document', async () => {
    const page = story.admin!;
    await page.goto(story.link!);
    const received = page.getByRole('table', { name: 'Delegations received' });
    await received.getByText('active').waitFor();
    await received.getByRole('cell', { name: 'KYC', exact: true }).waitFor();
    assert.ok(!page.url().includes('delegation='), 'the token leaves the address bar once kept');
    await checkScreen(page, 'administrator-delegations');
    await received.getByRole('link', { name: /Grant a regulator/ }).click();
    const form = page.getByRole('region', { name: 'Grant a regulator' });
    await form.getByLabel('Regulator (DID)').fill('regulator@example.org');
    await form.getByRole('button', { name: 'Grant access' }).click();
    await fieldError(page, 'expected did:pkh:eip155');
    // The regulator has no identity publishing a key: its DID alone is not enough, and the page says where.
    await form.getByLabel('Regulator (DID)').fill(story.regulatorDid!);
    await form.getByRole('button', { name: 'Grant access' }).click();
    await fieldError(page, 'lists no encryption key');
    await form.getByLabel("Regulator's encryption key (did:key, optional)").fill(story.regulatorKey!);
    await form.getByRole('button', { name: 'Grant access' }).click();
    story.link = await form.getByLabel('Access link').inputValue();
    assert.match(story.link, /#\/verifier\/documents\?grant=/);
    const made = page.getByRole('table', { name: 'Grants made' });
    await made.getByText('active').waitFor();
    const regulatorWallet = story.regulatorDid!.split(':').at(-1) as Address;
    const { canAccess } = await import('../node/chain/reads.js');
    assert.equal(await canAccess(t.node.ctx.clients.publicClient, story.adminIdentity!, regulatorWallet, onwardTopic(identity, 1n)), true);
    await checkScreen(page, 'administrator-grants');
  });

  test('regulator: fetches the KYC report granted through the administrator and decrypts it in the page, integrity shown', async () => {
    const page = story.regulator!;
    await page.goto(story.link!);
    const inbox = page.getByRole('table', { name: 'Granted documents' });
    await inbox.getByText('administrator').waitFor();
    await inbox.getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByText('Integrity verified').waitFor();
    const checks = page.getByRole('list', { name: 'Integrity checks' });
    for (const label of ['Bound by the claim on chain', 'Document hash', 'Content address', 'Key envelope', 'Authenticated decryption']) {
      await checks.getByText(label, { exact: true }).waitFor();
    }
    assert.equal(await page.getByLabel('Decrypted document').textContent(), KYC_REPORT);
    await checkScreen(page, 'regulator-delegated-document');
  });

  test('a party the link was not made for is refused, with the reason shown', async () => {
    const { page } = await personPage('/verifier/documents');
    await importKeyAndUnlock(page, 'stranger', generatePrivateKey(), PASS);
    await page.goto(story.link!);
    await page.getByRole('table', { name: 'Granted documents' }).getByRole('button', { name: /Fetch and decrypt/ }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'Not authorized' });
    await notice.waitFor();
    assert.ok(((await notice.textContent()) ?? '').length > 'Not authorized'.length + 10, 'the node\'s reason is shown');
    assert.equal(await page.getByLabel('Decrypted document').count(), 0);
  });

  test('administrator revokes; the regulator is refused with the reason shown; the audit trail has both reads', async () => {
    const admin = story.admin!;
    const made = admin.getByRole('table', { name: 'Grants made' });
    await made.getByRole('button', { name: /Revoke/ }).click();
    await made.getByText('revoked').waitFor();
    const page = story.regulator!;
    await page.getByRole('button', { name: 'Close' }).click();
    await page.getByRole('table', { name: 'Granted documents' }).getByRole('button', { name: /Fetch and decrypt/ }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'Not authorized' });
    await notice.waitFor();
    assert.match((await notice.textContent())!, /grant/);
    assert.equal(await page.getByLabel('Decrypted document').count(), 0);
    await checkScreen(page, 'regulator-refused');
    await page.goto(`${t.node.url}/#/verifier/audit`);
    const audit = page.getByRole('table', { name: 'Accesses' });
    await audit.getByText('verified', { exact: true }).waitFor();
    await audit.getByText('refused', { exact: true }).waitFor();
    const via = story.adminDid!.split(':').at(-1)!;
    assert.equal(await audit.getByRole('row').filter({ has: page.locator(`[title="${via}"]`) }).count(), 2, 'both reads name the administrator they came through');
    await checkScreen(page, 'regulator-audit');
  });

  test('no page error in any context', () => {
    assert.deepEqual(pageErrors.flat(), []);
  });
});
