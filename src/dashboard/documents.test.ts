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
import { MasqueClient, openSealed, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import type { UnlockedKey } from '../wallet/keystore.js';
import { checkScreen, importKeyAndUnlock, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';
const UPLOAD = 'PASSPORT\nName: Bertha Example-Testperson\nNumber: P7654321\n';
const AML_REPORT = 'AML screening report\nLists: OFAC SDN, UN: no match\n';
const KYC_REPORT = 'KYC report\nPassport verified, liveness passed, address verified\nReviewer: desk 4\n';

describe("documents in chromium: the issuer's report, grants by topic", () => {
  let t: TestNode;
  let browser: Browser;
  let client: MasqueClient;
  const errors: string[][] = [];
  const who: { investor?: UnlockedKey; verifier?: UnlockedKey; reviewer?: UnlockedKey } = {};
  const pages: { kyc?: Page; investor?: Page; verifier?: Page } = {};
  let identity: Address;
  let link = '';
  let newDid = '';

  before(async () => {
    [t, browser] = await Promise.all([startTestNode(), launchChromium()]);
    client = new MasqueClient(t.node.url);
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  /** The investor publishes its encryption key on its identity (purpose 4) from the page, so issuers can seal for it. */
  async function publishEncryptionKey(): Promise<void> {
    const page = pages.investor!;
    await page.goto(`${t.node.url}/#/investor/keys`);
    await page.getByRole('button', { name: 'Publish my encryption key' }).click();
    await page.getByRole('table', { name: 'Encryption keys on my identity' }).getByText('current, in this browser').waitFor();
    assert.deepEqual((await client.rpc.id_getIdentity({ identity })).encryptionKeys.map((k) => k.did), [who.investor!.encryption.did]);
  }

  async function rolePage(path: string, name: string, privateKey: `0x${string}`): Promise<{ page: Page; key: UnlockedKey }> {
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    const opened = await openPage(ctx, `${t.node.url}/#${path}`);
    errors.push(opened.errors);
    return { page: opened.page, key: await importKeyAndUnlock(opened.page, name, privateKey, PASS) };
  }

  test("investor: identity and KYC upload from the page; the KYC provider approves with its own report sealed in the page", async () => {
    ({ page: pages.kyc, key: who.reviewer } = await rolePage('/kyc/queue', 'kyc-reviewer', t.issuerPrivateKey));
    ({ page: pages.investor, key: who.investor } = await rolePage('/investor/onboarding', 'bertha', generatePrivateKey()));
    const inv = pages.investor;
    await inv.getByLabel('Country (ISO 3166-1 numeric, optional)').fill('276');
    await inv.getByRole('button', { name: 'Create my identity' }).click();
    await inv.getByRole('heading', { name: 'Submit a KYC document' }).waitFor();
    // No encryption key on the new identity: onboarding says to publish one, on the keys screen.
    const noKey = inv.getByRole('status').filter({ hasText: 'No encryption key on your identity' });
    assert.equal(await noKey.getByRole('link', { name: 'Publish your encryption key' }).getAttribute('href'), '#/investor/keys');
    await inv.getByLabel("Issuer's encryption key (did:key)").fill(who.reviewer.encryption.did);
    await inv.getByLabel('Document', { exact: true }).setInputFiles({ name: 'passport.txt', mimeType: 'text/plain', buffer: Buffer.from(UPLOAD) });
    await inv.getByRole('button', { name: 'Encrypt and submit' }).click();
    await inv.getByRole('table', { name: 'My applications' }).getByText('pending').waitFor();
    await checkScreen(inv, 'documents-onboarding-no-key');
    identity = (await client.rpc.id_getIdentity({ wallet: who.investor.account.address })).identity as Address;

    const kyc = pages.kyc;
    await kyc.goto(`${t.node.url}/#/kyc/claims`);
    await kyc.goto(`${t.node.url}/#/kyc/queue`);
    await kyc.getByRole('table', { name: 'Applications' }).getByRole('link', { name: /Open/ }).click();
    await kyc.getByLabel('Validity (days)').fill('90');
    await kyc.getByLabel('Your KYC report (optional)').fill(KYC_REPORT);
    // A report replaces the claim's document: the field says grants of the current one stop opening (none yet).
    await kyc.getByRole('status').filter({ hasText: "The report replaces the claim's document." }).getByText(/none is active now/).waitFor();
    // The subject has no encryption key on chain yet: nothing to seal the report for, refused at the field.
    await kyc.getByRole('button', { name: 'Approve and issue the claim' }).click();
    await kyc.getByText(/the subject has no encryption key on chain/).waitFor();
    await checkScreen(kyc, 'documents-kyc-report-form');
    await publishEncryptionKey();
    await inv.goto(`${t.node.url}/#/investor/onboarding`);
    await inv.getByRole('table', { name: 'My applications' }).getByText('pending').waitFor();
    assert.equal(await inv.getByText('No encryption key on your identity').count(), 0, 'gone once a key is published');
    await kyc.getByRole('button', { name: 'Approve and issue the claim' }).click();
    await kyc.getByText('Application approved').waitFor();
    await kyc.getByText('It binds your KYC report').waitFor();
    await checkScreen(kyc, 'documents-kyc-report');
    const claim = await client.rpc.id_getClaim({ identity, issuer: (await client.rpc.node_info({})).issuers.kyc!.address as Address, topic: 1 });
    const app = (await client.write('id_listKycApplications', { identity }, who.investor.account)).applications[0]!;
    assert.notEqual(claim.documentHash, app.documentHash, 'the claim binds the report, not the upload');
    assert.match(claim.uri, /^ipfs:\/\/b/);
  });

  test("investor: the KYC provider's report next to the upload, opened in the page with the claim's hash checked, granted by did:key", async () => {
    const page = pages.investor!;
    await page.goto(`${t.node.url}/#/investor/documents`);
    const docs = page.getByRole('table', { name: 'Documents of my claims' });
    await docs.getByText("Issuer's report").waitFor();
    await page.getByRole('table', { name: 'My uploads' }).getByText('approved').waitFor();
    await page.getByRole('button', { name: 'Open KYC report', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    await page.getByText('Bound by the claim on chain').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /liveness passed/);

    ({ page: pages.verifier, key: who.verifier } = await rolePage('/verifier/documents', 'auditor', generatePrivateKey()));
    await page.getByLabel('Document', { exact: true }).selectOption({ label: 'KYC · report by kyc' });
    await page.getByLabel('Verifier wallet').fill(who.verifier.account.address);
    await page.getByLabel('Verifier encryption key (did:key)').fill('did:web:auditor.example');
    await page.getByRole('button', { name: 'Grant access' }).click();
    await page.getByText('expected a did:key', { exact: true }).waitFor();
    await page.getByLabel('Verifier encryption key (did:key)').fill(who.verifier.encryption.did);
    await page.getByRole('button', { name: 'Grant access' }).click();
    link = await page.getByLabel('Access link').inputValue();
    const grants = page.getByRole('table', { name: 'Grants' });
    await grants.getByText('active').waitFor();
    await page.getByLabel('Topic', { exact: true }).selectOption({ label: 'AML' });
    await page.getByText('No grant on AML.').waitFor();
    await page.getByLabel('Topic', { exact: true }).selectOption({ label: 'KYC' });
    await grants.getByText('active').waitFor();
    await checkScreen(page, 'documents-investor');

    // The KYC provider about to renew with a new report is told this grant would stop opening; it leaves it there.
    const kyc = pages.kyc!;
    await kyc.goto(`${t.node.url}/#/kyc/claims`);
    await kyc.getByRole('button', { name: /^Manage KYC claim/ }).click();
    await kyc.getByLabel('A new report (optional)').fill('draft');
    await kyc.getByRole('status').filter({ hasText: "The report replaces the claim's document." }).getByText(/1 active grant will be refused until the subject grants the new document/).waitFor();
    await checkScreen(kyc, 'documents-kyc-renewal-warning');
    await kyc.getByLabel('A new report (optional)').fill('');
    assert.equal(await kyc.getByText("The report replaces the claim's document.").count(), 0, 'no report, no replacement');
    await kyc.goto(`${t.node.url}/#/kyc/queue`);
  });

  test("verifier: the issuer's report decrypted in the verifier's page", async () => {
    const page = pages.verifier!;
    await page.goto(link);
    await page.getByRole('table', { name: 'Granted documents' }).getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /liveness passed/);
    await checkScreen(page, 'documents-verifier');
  });

  test('investor: encryption key rotated in the page (new key in the vault, documents re-wrapped here, old key removed on chain)', async () => {
    const page = pages.investor!;
    const oldDid = who.investor!.encryption.did;
    await page.goto(`${t.node.url}/#/investor/keys`);
    await page.getByLabel('Your passphrase').fill('not my passphrase');
    await page.getByRole('button', { name: 'Rotate my encryption key' }).click();
    await page.getByText('wrong passphrase', { exact: true }).waitFor();
    await page.getByLabel('Your passphrase').fill(PASS);
    await page.getByRole('button', { name: 'Rotate my encryption key' }).click();
    await page.getByText('Rotation complete').waitFor();
    await page.getByRole('list', { name: 'Rotation' }).getByText(/1 document re-wrapped/).waitFor();
    const keys = (await client.rpc.id_getIdentity({ identity })).encryptionKeys;
    assert.equal(keys.length, 1);
    assert.notEqual(keys[0]!.did, oldDid, 'the old key is removed on chain');
    newDid = keys[0]!.did!;
    // The DID document follows: the wallet's keyAgreement is the new key only.
    const doc = await client.rpc.id_resolveDid({ did: `did:pkh:eip155:${(await client.rpc.node_info({})).chainId}:${who.investor!.account.address}` }) as { keyAgreement?: string[]; verificationMethod: { id: string; publicKeyMultibase?: string }[] };
    assert.deepEqual(doc.keyAgreement?.map((ref) => `did:key:${doc.verificationMethod.find((m) => m.id === ref)!.publicKeyMultibase}`), [newDid]);
    await page.getByRole('table', { name: 'Active grants' }).getByText('valid', { exact: true }).waitFor();
    await page.getByRole('table', { name: 'Retired keys' }).waitFor();
    await checkScreen(page, 'documents-key-rotation');
    // The vault kept the new key under the passphrase: locked and unlocked again, the page opens the re-wrapped report with it.
    await page.locator('.topbar').getByRole('button', { name: 'Lock' }).click();
    await page.goto(`${t.node.url}/#/investor/documents`);
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    const docs = page.getByRole('table', { name: 'Documents of my claims' });
    await docs.getByText('your current key').waitFor();
    await page.getByRole('button', { name: 'Open KYC report', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /liveness passed/);
  });

  test('verifier: the grant made under the old key still opens after the rotation', async () => {
    const page = pages.verifier!;
    await page.goto(`${t.node.url}/#/verifier/audit`);
    await page.goto(`${t.node.url}/#/verifier/documents`);
    await page.getByRole('table', { name: 'Granted documents' }).getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /liveness passed/);
  });

  test('a report issued after the rotation is sealed for the new key: the old key opens nothing of it', async () => {
    // The AML desk (outside the browser here) seals for the keys the wallet's DID document lists: the new key only.
    const chainId = (await client.rpc.node_info({})).chainId;
    const sealed = await sealForClaim(new TextEncoder().encode(AML_REPORT), { chainId, identity, topic: 2 }, [newDid]);
    const amlIssuer = (await client.rpc.node_info({})).issuers.aml!.address as Address;
    const issuedAt = Math.floor(Date.now() / 1000) - 60;
    const expiresAt = issuedAt + 20 * 86400;
    const { signature } = await signClaim(t.amlSigner, { chainId, issuer: amlIssuer, identity, topic: 2n, documentHash: sealed.documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
    const old = await sealForClaim(new TextEncoder().encode(AML_REPORT), { chainId, identity, topic: 2 }, [who.investor!.encryption.did]);
    // Sealed for the old key, it is refused: no longer a key of the subject.
    await assert.rejects(client.rpc.id_issueClaim({ identity, topic: 2, issuer: amlIssuer, documentHash: old.documentHash, issuedAt, expiresAt, signature, document: { ciphertext: toBase64(old.bytes) }, envelopes: old.envelopes }), /current encryption key/);
    await client.rpc.id_issueClaim({ identity, topic: 2, issuer: amlIssuer, documentHash: sealed.documentHash, issuedAt, expiresAt, signature, document: { ciphertext: toBase64(sealed.bytes), mediaType: 'text/plain' }, envelopes: sealed.envelopes });
    for (const e of sealed.envelopes) await assert.rejects(openSealed(sealed.bytes, e.envelope, { ...who.investor!.encryption, did: e.recipient }, { chainId, identity, topic: 2 }));

    const page = pages.investor!;
    await page.goto(`${t.node.url}/#/investor/claims`);
    await page.goto(`${t.node.url}/#/investor/documents`);
    await page.getByRole('button', { name: 'Open AML report', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /no match/);
    await checkScreen(page, 'documents-after-rotation');
  });

  test('investor revokes the old grant: the verifier is refused, the reason shown', async () => {
    const inv = pages.investor!;
    await inv.getByRole('button', { name: /^Revoke KYC grant/ }).click();
    await inv.getByRole('table', { name: 'Grants' }).getByText('revoked', { exact: true }).waitFor();
    const page = pages.verifier!;
    await page.goto(`${t.node.url}/#/verifier/audit`);
    await page.goto(`${t.node.url}/#/verifier/documents`);
    await page.getByRole('button', { name: /Fetch and decrypt/ }).click();
    await page.getByRole('alert').filter({ hasText: 'Not authorized' }).waitFor();
  });

  test('KYC provider: claims issued, the claim renewed with a new report sealed in the page for the new key', async () => {
    const kyc = pages.kyc!;
    await kyc.goto(`${t.node.url}/#/kyc/claims`);
    await kyc.getByRole('button', { name: /^Manage KYC claim/ }).click();
    await kyc.getByLabel('Renew for (days)').fill('60');
    await kyc.getByLabel('A new report (optional)').fill(`${KYC_REPORT}Renewed: address re-verified\n`);
    await kyc.getByRole('button', { name: 'Renew the claim' }).click();
    await kyc.getByText('Claim issued with your new report').waitFor();
    await checkScreen(kyc, 'documents-kyc-claims-report');
    const claim = await client.rpc.id_getClaim({ identity, issuer: (await client.rpc.node_info({})).issuers.kyc!.address as Address, topic: 1 });
    const [doc] = await client.write('id_listClaimDocuments', { identity, topic: 1 }, who.investor!.account);
    assert.equal(doc!.documentHash, claim.documentHash);
    assert.deepEqual(doc!.envelopes.map((e) => e.recipient), [newDid], 'sealed for the current key only');
    const page = pages.investor!;
    await page.goto(`${t.node.url}/#/investor/claims`);
    await page.goto(`${t.node.url}/#/investor/documents`);
    await page.getByRole('button', { name: 'Open KYC report', exact: true }).click();
    await page.getByText('Integrity verified').waitFor();
    assert.match(await page.getByLabel('Decrypted document').innerText(), /address re-verified/);
  });

  test('no page error in any role', () => {
    assert.deepEqual(errors.flat(), []);
  });
});
