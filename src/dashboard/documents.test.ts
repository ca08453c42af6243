// Issue 16's documents in the dashboard, in chromium against a started node: the issuer's own report next to the
// investor's uploads, opened in the page with the integrity check against the claim on chain, granted to a verifier
// by its did:key and decrypted in the verifier's page; grants listed by topic. Every screen checked with axe-core and
// screenshotted into test-artifacts/dashboard/.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { MasqueClient, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import type { UnlockedKey } from '../wallet/keystore.js';
import { checkScreen, importKeyAndUnlock, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';
const UPLOAD = 'PASSPORT\nName: Bertha Example-Testperson\nNumber: P7654321\n';
const AML_REPORT = 'AML screening report\nLists: OFAC SDN, UN: no match\nReviewed by: aml desk\n';

describe('documents in chromium: issuer reports, grants by topic', () => {
  let t: TestNode;
  let browser: Browser;
  let client: MasqueClient;
  const errors: string[][] = [];
  const who: { investor?: UnlockedKey; verifier?: UnlockedKey; reviewer?: UnlockedKey } = {};
  const pages: { kyc?: Page; investor?: Page; verifier?: Page } = {};
  let identity: Address;
  let link = '';

  before(async () => {
    [t, browser] = await Promise.all([startTestNode(), launchChromium()]);
    client = new MasqueClient(t.node.url);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  async function rolePage(path: string, name: string, privateKey: `0x${string}`): Promise<{ page: Page; key: UnlockedKey }> {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const opened = await openPage(ctx, `${t.node.url}/#${path}`);
    errors.push(opened.errors);
    return { page: opened.page, key: await importKeyAndUnlock(opened.page, name, privateKey, PASS) };
  }

  test('investor: identity and KYC upload from the page; the KYC provider approves it in the page', async () => {
    ({ page: pages.kyc, key: who.reviewer } = await rolePage('/kyc/queue', 'kyc-reviewer', t.issuerPrivateKey));
    ({ page: pages.investor, key: who.investor } = await rolePage('/investor/onboarding', 'bertha', generatePrivateKey()));
    const inv = pages.investor;
    await inv.getByLabel('Country (ISO 3166-1 numeric, optional)').fill('276');
    await inv.getByRole('button', { name: 'Create my identity' }).click();
    await inv.getByRole('heading', { name: 'Submit a KYC document' }).waitFor();
    await inv.getByLabel("Issuer's encryption key (did:key)").fill(who.reviewer.encryption.did);
    await inv.getByLabel('Document', { exact: true }).setInputFiles({ name: 'passport.txt', mimeType: 'text/plain', buffer: Buffer.from(UPLOAD) });
    await inv.getByRole('button', { name: 'Encrypt and submit' }).click();
    await inv.getByRole('table', { name: 'My applications' }).getByText('pending').waitFor();
    identity = (await client.rpc.id_getIdentity({ wallet: who.investor.account.address })).identity as Address;

    const kyc = pages.kyc;
    await kyc.goto(`${t.node.url}/#/kyc/claims`);
    await kyc.goto(`${t.node.url}/#/kyc/queue`);
    await kyc.getByRole('table', { name: 'Applications' }).getByRole('link', { name: /Open/ }).click();
    await kyc.getByLabel('Validity (days)').fill('90');
    await kyc.getByRole('button', { name: 'Approve and issue the claim' }).click();
    await kyc.getByText('Application approved').waitFor();
  });

  test("investor: the AML issuer's report next to the upload, opened in the page with the claim's hash checked, granted by did:key", async () => {
    // The AML desk (outside the browser here) seals its report for the investor's encryption key on chain and
    // issues the claim that binds its hash.
    const inv = who.investor!;
    await client.write('id_addEncryptionKey', { identity, key: inv.encryption.did }, inv.account);
    const chainId = (await client.rpc.node_info({})).chainId;
    const sealed = await sealForClaim(new TextEncoder().encode(AML_REPORT), { chainId, identity, topic: 2 }, [inv.encryption.did]);
    const amlIssuer = (await client.rpc.node_info({})).issuers.aml!.address as Address;
    const issuedAt = Math.floor(Date.now() / 1000) - 60;
    const expiresAt = issuedAt + 20 * 86400;
    const { signature } = await signClaim(t.amlSigner, { chainId, issuer: amlIssuer, identity, topic: 2n, documentHash: sealed.documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
    await client.rpc.id_issueClaim({ identity, topic: 2, issuer: amlIssuer, documentHash: sealed.documentHash, issuedAt, expiresAt, signature, document: { ciphertext: toBase64(sealed.bytes), mediaType: 'text/plain' }, envelopes: sealed.envelopes });

    const page = pages.investor!;
    await page.goto(`${t.node.url}/#/investor/documents`);
    const docs = page.getByRole('table', { name: 'Documents of my claims' });
    await docs.getByText("Issuer's report").waitFor();
    await docs.getByText('Your upload').waitFor();
    await page.getByRole('button', { name: 'Open AML report', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    await page.getByText('Bound by the claim on chain').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /OFAC SDN, UN: no match/);

    ({ page: pages.verifier, key: who.verifier } = await rolePage('/verifier/documents', 'auditor', generatePrivateKey()));
    await page.getByLabel('Document', { exact: true }).selectOption({ label: 'AML · report by aml' });
    await page.getByLabel('Verifier wallet').fill(who.verifier.account.address);
    await page.getByLabel('Verifier encryption key (did:key)').fill('did:web:auditor.example');
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('expected a did:key', { exact: true }).waitFor();
    await page.getByLabel('Verifier encryption key (did:key)').fill(who.verifier.encryption.did);
    await page.getByRole('button', { name: 'Grant access' }).click();
    link = await page.getByLabel('Access link').inputValue();
    const grants = page.getByRole('table', { name: 'Grants' });
    await grants.getByText('active').waitFor();
    await page.getByLabel('Topic', { exact: true }).selectOption({ label: 'KYC' });
    await page.getByText('No grant on KYC.').waitFor();
    await page.getByLabel('Topic', { exact: true }).selectOption({ label: 'AML' });
    await grants.getByText('active').waitFor();
    await checkScreen(page, 'documents-investor-report');
  });

  test("verifier: the issuer's report decrypted in the verifier's page", async () => {
    const page = pages.verifier!;
    await page.goto(link);
    await page.getByRole('table', { name: 'Granted documents' }).getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /OFAC SDN, UN: no match/);
    await checkScreen(page, 'documents-verifier-report');
  });

  test('no page error in any role', () => {
    assert.deepEqual(errors.flat(), []);
  });
});
