// The dashboard in a real browser (Debian's chromium, playwright-core) against a started node: each role's main
// workflow end to end, every screen checked with axe-core (no serious or critical violation) and screenshotted
// into test-artifacts/dashboard/. Each role is its own browser context: its own IndexedDB, so its own keys.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { Keystore } from '../wallet/keystore.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { MasqueClient } from '../sdk/index.js';
import { ZkIssuerAgent } from '../sdk/zk-parties.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { releaseProverResources } from '../zk/index.js';
import { artifactPaths } from '../zk/node.js';
import { checkScreen, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';
const FIXTURES = join(import.meta.dirname, '../screening/fixtures');
// The KYC provider's reviewer key is also an analyst of the node's screening service (one person, both desks).
const reviewerKey = generatePrivateKey();
const reviewer = privateKeyToAccount(reviewerKey);
const DOCUMENT = 'PASSPORT\nName: Ada Example-Testperson\nNumber: P1234567\nNationality: DEU\n';

describe('dashboard in chromium', () => {
  let t: TestNode;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  const pageErrors: string[][] = [];

  before(async () => {
    [t, browser] = await Promise.all([startTestNode({
      issuers: [{ name: 'kyc', signer: reviewer.address, topics: [1] }, { name: 'aml', signer: privateKeyToAccount(generatePrivateKey()).address, topics: [2] }],
      screening: { enabled: true, analysts: [reviewer.address] },
    }), launchChromium()]);
  });
  after(async () => {
    await browser?.close();
    await releaseProverResources();
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
    assert.equal(await issuers.getByRole('row').count(), 4, 'kyc, aml and the screening service');
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

  /** The unlocked key's address and did:key, as the keys screen shows them. */
  async function whoAmI(page: Page): Promise<{ address: string; did: string }> {
    await page.goto(`${t.node.url}/#/keys`);
    const did = (await page.locator('dd [title^="did:key:"]').first().getAttribute('title'))!;
    const address = (await page.locator('dd [title^="0x"]').first().getAttribute('title'))!;
    return { address, did };
  }

  const story: { kyc?: Page; investor?: Page; verifier?: Page; kycDid?: string; verifierAddress?: string; verifierDid?: string; link?: string } = {};

  test('KYC provider: imports its masque CLI key file into the browser', async () => {
    // The issuer's signer key, as `masque keys new --private-key` writes it (cheaper scrypt for the test only).
    const dir = mkdtempSync(join(tmpdir(), 'masque-keys-'));
    try {
      const file = await new Keystore(dir, { N: 2 ** 14, r: 8, p: 1 }).create('kyc-reviewer', PASS, { privateKey: reviewerKey });
      story.kycDid = file.encryptionDid;
      const page = story.kyc = await rolePage('/keys');
      await page.getByRole('tab', { name: 'Import a CLI key file' }).click();
      await page.getByLabel('Key file').setInputFiles({ name: 'kyc-reviewer.json', mimeType: 'application/json', buffer: readFileSync(join(dir, 'kyc-reviewer.json')) });
      await page.getByLabel('Its passphrase').fill('not the passphrase');
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByText('wrong passphrase', { exact: true }).waitFor();
      await page.getByLabel('Its passphrase').fill(PASS);
      await page.getByRole('button', { name: 'Import' }).click();
      await page.getByLabel('Key', { exact: true }).waitFor();
      await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
      await page.getByRole('button', { name: 'Unlock', exact: true }).click();
      await page.getByRole('heading', { name: 'Unlocked' }).waitFor();
      assert.equal((await whoAmI(page)).address, reviewer.address);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('investor: key and identity created in the page, KYC document encrypted in the page and submitted', async () => {
    const page = story.investor = await rolePage('/investor/onboarding');
    await createAndUnlock(page, 'ada');
    await page.getByLabel('Country (ISO 3166-1 numeric, optional)').fill('9999');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    await page.getByText('Number must be less than or equal to 999').or(page.getByText('Too big', { exact: false })).first().waitFor();
    await page.getByLabel('Country (ISO 3166-1 numeric, optional)').fill('276');
    await page.getByRole('button', { name: 'Create my identity' }).click();
    await page.getByRole('heading', { name: 'Submit a KYC document' }).waitFor();
    // A malformed did:key is refused at its field, by the API's own schema, before anything is encrypted.
    await page.getByLabel("Issuer's encryption key (did:key)").fill('did:web:example.com');
    await page.getByLabel('Document', { exact: true }).setInputFiles({ name: 'passport.txt', mimeType: 'text/plain', buffer: Buffer.from(DOCUMENT) });
    await page.getByRole('button', { name: 'Encrypt and submit' }).click();
    await page.getByText('expected a did:key', { exact: true }).waitFor();
    await page.getByLabel("Issuer's encryption key (did:key)").fill(story.kycDid!);
    await page.getByRole('button', { name: 'Encrypt and submit' }).click();
    await page.getByRole('table', { name: 'My applications' }).getByText('pending').waitFor();
    await checkScreen(page, 'investor-onboarding');
  });

  test('KYC provider: queue with filters, assignment, the document decrypted in the page, approval signed in the page', async () => {
    const page = story.kyc!;
    await page.goto(`${t.node.url}/#/kyc/queue`);
    const table = page.getByRole('table', { name: 'Applications' });
    await table.getByText('pending').waitFor();
    await page.getByRole('button', { name: 'Assign to me' }).click();
    await table.getByText('you', { exact: true }).waitFor();
    await page.getByLabel('Assignee').selectOption('unassigned');
    await page.getByText('Nothing matches these filters.').waitFor();
    await page.getByLabel('Assignee').selectOption('me');
    await table.getByText('you', { exact: true }).waitFor();
    await checkScreen(page, 'kyc-queue');
    await table.getByRole('link', { name: /Open/ }).click();
    await page.getByRole('button', { name: 'Decrypt in this browser' }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /Ada Example-Testperson/);
    // Longer than the KYC policy allows: refused at the field before anything is signed.
    await page.getByLabel('Validity (days)').fill('400');
    await page.getByRole('button', { name: 'Approve and issue the claim' }).click();
    await page.getByText(/between 1 and 365 days/).waitFor();
    await checkScreen(page, 'kyc-application');
    await page.getByLabel('Validity (days)').fill('20');
    await page.getByRole('button', { name: 'Approve and issue the claim' }).click();
    await page.getByText('Application approved').waitFor();
  });

  test('investor: the claim is valid and expiring in 20 days; the document opens in the page; access granted to a verifier', async () => {
    const verifier = story.verifier = await rolePage('/keys');
    await createAndUnlock(verifier, 'regulator');
    ({ address: story.verifierAddress, did: story.verifierDid } = await whoAmI(verifier));
    const page = story.investor!;
    await page.goto(`${t.node.url}/#/investor/claims`);
    await page.getByRole('table', { name: 'My claims' }).getByText('Expiring in 20 days').waitFor();
    await checkScreen(page, 'investor-claims');
    await page.goto(`${t.node.url}/#/investor/documents`);
    await page.getByRole('button', { name: 'Open KYC upload', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /P1234567/);
    await page.getByLabel('Verifier wallet').fill('0x1234');
    await page.getByLabel('Verifier encryption key (did:key)').fill(story.verifierDid!);
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('expected a 0x-prefixed 20-byte address').waitFor();
    await page.getByLabel('Verifier wallet').fill(story.verifierAddress!);
    await page.getByRole('button', { name: 'Grant access' }).click();
    story.link = await page.getByLabel('Access link').inputValue();
    await page.getByRole('table', { name: 'Grants' }).getByText('active').waitFor();
    await checkScreen(page, 'investor-documents');
  });

  test('verifier: the granted document fetched and decrypted in the page, integrity checks visible, the access audited', async () => {
    const page = story.verifier!;
    await page.goto(story.link!);
    const inbox = page.getByRole('table', { name: 'Granted documents' });
    await inbox.getByText('KYC', { exact: true }).waitFor();
    await inbox.getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByText('Integrity verified').waitFor();
    await page.getByText('Bound by the claim on chain').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /Nationality: DEU/);
    await checkScreen(page, 'verifier-documents');
    await page.goto(`${t.node.url}/#/verifier/audit`);
    await page.getByRole('table', { name: 'Accesses' }).getByText('verified', { exact: true }).waitFor();
  });

  test('investor revokes the grant: the verifier is refused, with the reason, and the refusal is audited', async () => {
    const inv = story.investor!;
    await inv.getByRole('button', { name: /^Revoke/ }).click();
    await inv.getByRole('table', { name: 'Grants' }).getByText('revoked').waitFor();
    const page = story.verifier!;
    await page.goto(`${t.node.url}/#/verifier/documents`);
    await page.getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Not authorized' }).waitFor();
    await page.goto(`${t.node.url}/#/verifier/audit`);
    await page.getByRole('table', { name: 'Accesses' }).getByText('refused', { exact: true }).waitFor();
    await checkScreen(page, 'verifier-audit');
  });

  test("verifier: any identity's claims verified against the chain; the investor's tokens", async () => {
    const investorWallet = (await whoAmI(story.investor!)).address;
    const page = story.verifier!;
    await page.goto(`${t.node.url}/#/verifier/identity`);
    await page.getByLabel('Identity contract or wallet address').fill('0xnope');
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.getByText('expected a 0x-prefixed 20-byte address').waitFor();
    await page.getByLabel('Identity contract or wallet address').fill(investorWallet);
    await page.getByRole('button', { name: 'Verify' }).click();
    const claims = page.getByRole('table', { name: 'Claims' });
    await claims.getByText('Expiring in 20 days').waitFor();
    assert.equal(await claims.getByText('No claim').count(), 7, 'the seven other topics');
    await checkScreen(page, 'verifier-identity');
    const inv = story.investor!;
    await inv.goto(`${t.node.url}/#/investor/tokens`);
    const tokens = inv.getByRole('table', { name: 'My tokens' });
    await tokens.getByText('registered, not verified').or(tokens.getByText('verified', { exact: true })).first().waitFor();
    await checkScreen(inv, 'investor-tokens');
  });

  test('KYC provider: a screening case (list hit) with its explanation, evidence checked in the page, review and dismissal with history', async () => {
    // Setup through the SDK: the operator imports a sanctions list; the KYC provider enrols the investor it verified
    // under a listed person's name (the service screens at once and opens a case).
    const client = new MasqueClient(t.node.url);
    const kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
    const [app] = (await client.write('id_listKycApplications', { issuer: kycIssuer, status: 'approved' }, reviewer)).applications;
    await client.write('screening_importList', { source: 'ofac-sdn', files: [{ name: 'SDN.CSV', data: readFileSync(join(FIXTURES, 'ofac/sdn.csv')).toString('base64') }] }, t.node.ctx.screening!.keys.account);
    const enrol = await client.write('screening_submitProfile', { identity: app!.identity as Address, profile: { names: ['Juan M. de la Cruz'], wallets: [app!.wallet as Address] } }, reviewer);
    assert.equal(enrol.screening.casesOpened.length, 1);
    const page = story.kyc!;
    await page.goto(`${t.node.url}/#/kyc/cases`);
    const table = page.getByRole('table', { name: 'Cases' });
    await table.getByText('ofac-sdn:1001').waitFor();
    await table.getByText('Triggered').waitFor();
    // A malformed holder filter is refused at its field by the API's schema.
    await page.getByLabel('Holder identity').fill('0x12');
    await page.getByLabel('Holder identity').press('Enter');
    await page.getByText('expected a 0x-prefixed 20-byte address').waitFor();
    await page.getByLabel('Holder identity').fill('');
    await table.getByRole('button', { name: 'Assign to me' }).click();
    await table.getByText('you', { exact: true }).waitFor();
    await checkScreen(page, 'kyc-cases');
    await table.getByRole('link', { name: /Open/ }).click();
    await page.getByRole('table', { name: 'Name parts compared' }).getByText('cruz', { exact: false }).first().waitFor();
    await page.getByRole('table', { name: 'Evidence of screenings' }).getByText(/signed by the operator/).first().waitFor();
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.getByRole('table', { name: 'Decision history' }).getByText('Under review').first().waitFor();
    await page.getByRole('button', { name: 'Dismiss as a false positive' }).click();
    await page.getByText('a dismiss decision needs a reason', { exact: true }).waitFor();
    await page.getByLabel('Reason').fill('Different person: date of birth and nationality differ from the listed entry.');
    await checkScreen(page, 'kyc-case');
    await page.getByRole('button', { name: 'Dismiss as a false positive' }).click();
    await page.getByText('Case dismissed').first().waitFor();
    await page.getByRole('table', { name: 'Decision history' }).getByText('Dismissed (cleared)').first().waitFor();
  });

  test('KYC provider: claims issued, renewed and revoked with signatures made in the page', async () => {
    const page = story.kyc!;
    await page.goto(`${t.node.url}/#/kyc/claims`);
    const table = page.getByRole('table', { name: 'Claims issued' });
    await table.getByText('Expiring in 20 days').waitFor();
    await table.getByRole('button', { name: /Manage/ }).click();
    await page.getByLabel('Renew for (days)').fill('400');
    await page.getByRole('button', { name: 'Renew the claim' }).click();
    await page.getByText(/between 1 and 365 days/).waitFor();
    await page.getByLabel('Renew for (days)').fill('200');
    await page.getByRole('button', { name: 'Renew the claim' }).click();
    await table.getByText('Valid', { exact: true }).waitFor();
    await checkScreen(page, 'kyc-claims');
    await page.getByRole('button', { name: 'Revoke the claim' }).click();
    await table.getByText('Revoked', { exact: true }).waitFor();
  });

  test('investor answers a verifier\'s zero-knowledge request with a proof made in the page; the verifier checks it', async () => {
    const inv = story.investor!;
    await inv.goto(`${t.node.url}/#/investor/proofs`);
    const holderDid = await inv.getByLabel('Holder ID (did:masque)').inputValue();
    const encryptionKey = await inv.getByLabel('Encryption key for credentials (did:key)').inputValue();
    // The KYC provider's ZK issuer (its Baby Jubjub key in this process) issues the credential for the approved
    // application, sealed to the holder, and publishes its state with its own transition proof.
    const client = new MasqueClient(t.node.url);
    const kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
    const bjj = privateKeyFromSeed(new Uint8Array(32).fill(7));
    const issuer = new ZkIssuerAgent(client, Identity.create(new MemoryIdentityStore(), { keys: [publicKey(bjj)], network: Network.Test }), bjj, reviewer, artifactPaths('stateTransition'));
    await issuer.register(kycIssuer);
    const [app] = (await client.write('id_listKycApplications', { issuer: kycIssuer, status: 'approved' }, reviewer)).applications;
    await issuer.issueForApplication(app!.id, { id: holderDid, encryptionKey }, [{ schema: KYC_SCHEMA, expiration: Math.floor(Date.now() / 1000) + 365 * 86400, data: { birthDate: '2001-03-15', countryOfResidence: 'DE', nationality: 'FR' } }]);
    await issuer.publish();
    const verifier = story.verifier!;
    await verifier.goto(`${t.node.url}/#/verifier/proofs`);
    await verifier.getByText(/Hosted here: kyc/).waitFor();
    await verifier.getByLabel('Values').fill('2008-13-45');
    await verifier.getByRole('button', { name: 'Create the request' }).click();
    await verifier.locator('.field .error').first().waitFor();
    await verifier.getByLabel('Values').fill('2008-01-01');
    await verifier.getByRole('button', { name: 'Create the request' }).click();
    const request = await verifier.getByLabel('Request (send it to the holder)').inputValue();
    await inv.getByRole('button', { name: 'Fetch again' }).click();
    await inv.getByRole('table', { name: 'My credentials' }).getByText('published').waitFor();
    await inv.getByLabel('Request (JSON from the verifier)').fill('{"type": "nope"}');
    await inv.getByRole('button', { name: 'Prove in this browser' }).click();
    await inv.getByText(/^type: /).waitFor();
    await inv.getByLabel('Request (JSON from the verifier)').fill(request);
    await inv.getByRole('button', { name: 'Prove in this browser' }).click();
    await inv.getByText(/Proof made in this browser in/).waitFor({ timeout: 60_000 });
    await checkScreen(inv, 'investor-proofs');
    const response = await inv.getByLabel('Response (send it to the verifier)').inputValue();
    await verifier.getByLabel('Response (JSON from the holder)').fill(response);
    await verifier.getByRole('button', { name: 'Check the proof' }).click();
    await verifier.getByText('Proof verified').waitFor();
    await checkScreen(verifier, 'verifier-proofs');
    // The same response again: the nullifier is spent, and the refusal says so.
    await verifier.getByRole('button', { name: 'Check the proof' }).click();
    await verifier.getByText('Proof refused').waitFor();
  });

  test('no page error or console error in any role', () => {
    assert.deepEqual(pageErrors.flat(), []);
  });
});
