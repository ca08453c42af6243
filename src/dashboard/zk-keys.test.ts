// The investor's zero-knowledge keys screen in a real browser (src/dashboard/app/screens/investor-zk-keys): the
// holder identity derived in the page starts at its genesis key; a rotation made in the page (transition signed by
// the outgoing key and proven in Chromium) reaches the chain and the node's GIST mirror; a new page of the same key
// recovers the rotated keys from the chain alone and proves with the new key on the proofs screen
// (#/investor/proofs): a verifier reading nothing but the chain accepts. axe: no serious or critical violation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { createPublicClient, http, type Address, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { approvedKycApplication } from '../node/zk-test-helpers.js';
import { MasqueClient } from '../sdk/index.js';
import { ZkIssuerAgent } from '../sdk/zk-parties.js';
import { identityStateRegistry } from '../chain/identity-state.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { ZkVerifier, releaseProverResources, type CredentialQueryResponseJson } from '../zk/index.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
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
    await releaseProverResources();
    await browser?.close();
    await t?.stop();
  });

  const stateShown = (page: Page) => page.locator('dl.kv dd').nth(1).locator('[title]').getAttribute('title');

  test('rotation in the page: genesis key out, key #1 in, on chain and in the GIST; recovered by a new page from the chain, which proves with key #1', { timeout: 600_000 }, async () => {
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

    // The proofs screen of that page: a KYC provider's ZK issuer (its key in this process) issues a credential to the
    // holder for an approved application and publishes; the page fetches it and answers a verifier's request with
    // proofs made in Chromium with key #1 (holder-auth at the GIST root that holds the rotated state).
    const proofs = second.page;
    await proofs.goto(`${t.node.url}/#/investor/proofs`);
    const encryptionKey = await proofs.getByLabel('Encryption key for credentials (did:key)').inputValue({ timeout: 60_000 });
    assert.equal(await proofs.getByLabel('Holder ID (did:masque)').inputValue(), holderDid);
    const kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
    const bjj = privateKeyFromSeed(new Uint8Array(32).fill(9));
    const issuer = new ZkIssuerAgent(client, Identity.create(new MemoryIdentityStore(), { keys: [publicKey(bjj)], network: Network.Test }), bjj, t.issuerSigner, artifactPaths('stateTransition'));
    await issuer.register(kycIssuer);
    const applicationId = await approvedKycApplication(client, t.issuerSigner, privateKeyToAccount(generatePrivateKey()), encryptionKey);
    await issuer.issueForApplication(applicationId, { id: holderDid!, encryptionKey }, [{ schema: KYC_SCHEMA, expiration: Math.floor(Date.now() / 1000) + 365 * 86400, data: { birthDate: '2001-03-15', countryOfResidence: 'DE', nationality: 'FR' } }]);
    await issuer.publish();
    const reader = createPublicClient({ transport: http(t.node.url) }) as PublicClient;
    const verifier = new ZkVerifier({
      verifierId: 77n, verificationKeys: { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') },
      registry: identityStateRegistry({ reader, address: t.node.ctx.deployment.identityStateRegistry as Address }),
    });
    const request = verifier.createRequest({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: [20080101n] });
    await proofs.getByRole('button', { name: 'Fetch again' }).click();
    await proofs.getByRole('table', { name: 'My credentials' }).getByText('published').waitFor({ timeout: 60_000 });
    await proofs.getByLabel('Request (JSON from the verifier)').fill(JSON.stringify(request));
    await proofs.getByRole('button', { name: 'Prove in this browser' }).click();
    await proofs.getByText(/Proof made in this browser in/).waitFor({ timeout: 120_000 });
    await proofs.getByText(/Made with key #1, the current key/).waitFor();
    await checkScreen(proofs, 'investor-proofs-rotated');
    const response = JSON.parse(await proofs.getByLabel('Response (send it to the verifier)').inputValue()) as CredentialQueryResponseJson;
    const gist = await client.zk.gistProof(holderDid!);
    assert.equal(gist.state?.toString(), rotatedState, 'the GIST holds the rotated state');
    assert.equal(response.auth.publicSignals[1], gist.root.toString(), 'proven at that root: by a key of the rotated state');
    const verdict = await verifier.verify(request, response);
    assert.equal(verdict.ok, true, verdict.ok ? '' : verdict.reason);
    await context.close();
    assert.deepEqual(errors.flat(), [], 'no page error');
  });
});
