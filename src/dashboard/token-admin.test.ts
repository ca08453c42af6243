// The token administrator's screens in chromium against a started node: a token deployed from the page (fields refused
// by the API's schemas first), then the demo token run by its agent key imported into the page: mint with the
// compliance refusal named, cap table, wallet and partial freeze, forced transfer, burn, pause, recovery, a compliance
// module added and configured and its refusal named, the frozen wallets; a missing role named. Every write is signed in
// the page (EIP-712); the results are checked on the node too. axe-core on every screen.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { keccak256, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { signClaim, type MasqueClient } from '../sdk/index.js';
import { connectClient, startTestNode, until, type TestNode } from '../node/test-helpers.js';
import { checkScreen, importKeyAndUnlock, launchChromium, openPage } from './test-helpers.js';

const PASS = 'correct horse battery staple';
const FIXTURES = join(import.meta.dirname, '../screening/fixtures');
const TOKEN = 10n ** 18n;
const now = () => Math.floor(Date.now() / 1000);

describe('token administrator in chromium', () => {
  let t: TestNode;
  let browser: Browser;
  let client: MasqueClient;
  let page: Page;
  let pageErrors: string[] = [];
  let agentKey: Hex;
  const key = () => privateKeyToAccount(generatePrivateKey());
  const [alice, bob, carol, aliceNew, stranger] = [key(), key(), key(), key(), key()];
  const riskOperatorKey = generatePrivateKey();
  const riskOperator = privateKeyToAccount(riskOperatorKey);
  const [analystKey, fundAdminKey] = [generatePrivateKey(), generatePrivateKey()];
  const [analyst, fundAdmin] = [privateKeyToAccount(analystKey), privateKeyToAccount(fundAdminKey)];
  const dave = key();
  let chainId: number;
  let kycIssuer: Address;

  /** An investor with a KYC claim of the node's issuer, registered (France by default) for the node's demo token. */
  async function onboard(who: PrivateKeyAccount, chainId: number, kycIssuer: Address, country = 250): Promise<Address> {
    const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: who.address });
    const issuedAt = now() - 5; const expiresAt = now() + 86_400 * 30;
    const documentHash = keccak256(toHex(`kyc of ${who.address}`));
    const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
    await client.write('token_onboardInvestor', { wallet: who.address, country, claims: [{ topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature }] }, who);
    return identity as Address;
  }

  before(async () => {
    [t, browser] = await Promise.all([startTestNode({
      risk: { intervalMs: 0, operators: [riskOperator.address] },
      // Screening on, serving the demo token with a fund administrator; an analyst decides cases.
      screening: { enabled: true, analysts: [analyst.address], tokens: [{ fundAdministrators: [{ name: 'Acme Fund Services', address: fundAdmin.address }] }] },
    }), launchChromium()]);
    const c = await connectClient(t);
    client = c.client;
    ({ chainId, kycIssuer } = c);
    for (const who of [alice, bob, carol]) await onboard(who, c.chainId, c.kycIssuer);
    // Recovery moves alice's position to a wallet that is already a management key of her identity.
    const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: alice.address });
    await client.write('id_addKey', { identity: identity as Address, key: aliceNew.address, purpose: 1 }, alice);
    agentKey = readFileSync(join(t.dataDir, 'keys', 'demo-agent.key'), 'utf8').trim() as Hex;
    const ctx = await browser.newContext({ viewport: { width: 1360, height: 900 } });
    ({ page, errors: pageErrors } = await openPage(ctx, `${t.node.url}/#/token/deploy`));
  });
  after(async () => {
    await browser?.close();
    await t?.stop();
  });

  const balance = async (who: { address: Address }) => (await client.rpc.token_balanceOf({ wallet: who.address }));
  const capTable = () => page.getByRole('table', { name: 'Cap table' });
  const rowOf = (who: { address: Address }) => capTable().getByRole('row').filter({ has: page.locator(`[title="${who.address}" i]`) });
  const ops = () => page.getByRole('region', { name: 'Operations' });
  async function operation(tab: string, fields: Record<string, string>, submit: string): Promise<void> {
    await ops().getByRole('tab', { name: tab, exact: true }).click();
    for (const [label, v] of Object.entries(fields)) await ops().getByLabel(label, { exact: false }).fill(v);
    await ops().getByRole('button', { name: submit, exact: true }).click();
  }
  const lock = () => page.locator('.topbar').getByRole('button', { name: 'Lock' }).click();
  const signed = (what: string | RegExp) => page.locator('.toasts').getByText(what).first().waitFor();

  test('deploys a token from the page: bad fields refused at their field; the owner lacking a role is told which, grants it, registers an investor, mints', async () => {
    await importKeyAndUnlock(page, 'issuer-agent', agentKey, PASS);
    const me = privateKeyToAccount(agentKey).address;
    await page.getByLabel('Name', { exact: true }).fill('Acme Fund I');
    await page.getByLabel('Symbol', { exact: true }).fill('bad symbol!');
    await page.getByLabel('Decimals', { exact: true }).fill('0');
    await page.getByRole('checkbox', { name: /CountryAllowModule/ }).check();
    await page.getByLabel('Countries (ISO 3166-1 numeric, comma separated)').fill('250, 9999');
    // Only SUPPLY_MODIFIER for the owner's own agent row: pausing will be refused for want of FREEZER.
    for (const r of ['FREEZER', 'TRANSFER_MANAGER', 'RECOVERY_AGENT', 'COMPLIANCE_AGENT', 'WHITELIST_MANAGER']) {
      await page.getByRole('group', { name: 'Roles of agent 1' }).getByRole('checkbox', { name: r, exact: true }).uncheck();
    }
    await page.getByRole('button', { name: 'Sign and deploy' }).click();
    await page.getByText('letters, digits, . and - only', { exact: true }).waitFor();
    await page.getByText(/<=\s*999|less than or equal to 999/).waitFor();
    await checkScreen(page, 'token-deploy');
    await page.getByLabel('Symbol', { exact: true }).fill('ACME1');
    await page.getByLabel('Countries (ISO 3166-1 numeric, comma separated)').fill('250, 276');
    await page.getByRole('button', { name: 'Sign and deploy' }).click();
    await page.getByRole('heading', { name: 'Acme Fund I (ACME1)' }).waitFor({ timeout: 30_000 });
    const moduleTable = page.getByRole('table', { name: 'Compliance modules' });
    await moduleTable.getByText('CountryAllowModule').waitFor();
    const token = new URLSearchParams(page.url().split('?')[1]).get('token') as Address;
    // The module's current settings, read from the chain: the countries allowed at deployment, each removable in place.
    await moduleTable.getByRole('button', { name: 'Remove 276 from allowed (CountryAllowModule)' }).waitFor();
    await moduleTable.getByRole('button', { name: 'Remove 250 from allowed (CountryAllowModule)' }).waitFor();
    // The owner adds a maximum balance (the supply is still 0), unset so far; "Edit" fills the form with its value.
    const modules = page.getByRole('region', { name: 'Compliance modules' });
    await modules.getByLabel('Add a module').selectOption('MaxBalanceModule');
    await modules.getByRole('button', { name: 'Add', exact: true }).click();
    await moduleTable.getByText('maximum 0: refuses every incoming transfer').waitFor();
    await moduleTable.getByRole('button', { name: 'Edit MaxBalanceModule' }).click();
    const max = modules.getByLabel('Maximum balance per investor (ACME1)');
    assert.equal(await max.inputValue(), '0');
    await max.fill('100');
    await modules.getByRole('button', { name: 'Apply setting' }).click();
    await moduleTable.getByText('At most').filter({ hasText: '100 ACME1 per investor' }).waitFor();
    // Germany taken off the allow list by its chip.
    await moduleTable.getByRole('button', { name: 'Remove 276 from allowed (CountryAllowModule)' }).click();
    await signed('Country 276 removed');
    await moduleTable.getByRole('button', { name: 'Remove 276 from allowed (CountryAllowModule)' }).waitFor({ state: 'detached' });
    const settings = Object.fromEntries((await client.rpc.token_info({ token })).modules.map((m) => [m.name, m.settings]));
    assert.deepEqual(settings, {
      CountryAllowModule: { module: 'CountryAllowModule', allowedCountries: [250] },
      MaxBalanceModule: { module: 'MaxBalanceModule', maxBalance: '100' },
    });
    const info = await client.rpc.token_info({ token });
    assert.equal(info.owner, me);
    assert.deepEqual(info.claimTopics, [1]);
    assert.deepEqual(info.agents.map((a) => [a.address, a.roles]), [[me, ['SUPPLY_MODIFIER']]]);
    await ops().getByRole('tab', { name: 'Pause', exact: true }).click();
    await ops().getByRole('button', { name: 'Pause all transfers' }).click();
    await ops().getByRole('alert').getByText(/lacks the FREEZER role on the token/).waitFor();
    assert.equal((await client.rpc.token_info({ token })).paused, false);
    // The owner grants itself the roles it lacks (one signed call per contract checking them), registers an investor
    // of the node (identity looked up from the wallet) and mints to her.
    const roles = page.getByRole('form', { name: 'Grant or revoke roles' });
    await roles.getByLabel('Agent wallet').fill(me);
    await roles.getByRole('button', { name: 'Grant roles' }).click();
    await roles.getByText('choose at least one role').waitFor();
    for (const r of ['FREEZER', 'WHITELIST_MANAGER']) await roles.getByRole('checkbox', { name: r, exact: true }).check();
    await roles.getByRole('button', { name: 'Grant roles' }).click();
    await page.getByRole('table', { name: 'Agents' }).getByText('WHITELIST_MANAGER').waitFor();
    await operation('Register investor', { Wallet: bob.address, Country: 'France' }, 'Register');
    await ops().getByText('expected an ISO 3166-1 numeric code, e.g. 250').waitFor();
    await operation('Register investor', { Wallet: bob.address, Country: '250' }, 'Register');
    await signed('Registration signed in this page and relayed');
    await operation('Mint', { 'Recipient wallet': bob.address, Amount: '10' }, 'Mint');
    await rowOf(bob).getByText('10', { exact: true }).waitFor();
    assert.equal((await client.rpc.token_balanceOf({ token, wallet: bob.address })).balance, '10');
  });

  test("runs the demo token: mint (refusal named), cap table, freezes, forced transfer, burn, pause, recovery", async () => {
    await page.goto(`${t.node.url}/#/token/admin`);
    await page.getByRole('heading', { name: 'Masque Security (MSQ)' }).waitFor();
    await operation('Mint', { 'Recipient wallet': stranger.address, Amount: '10' }, 'Mint');
    await ops().getByRole('alert').getByText('RECEIVER_NOT_VERIFIED', { exact: true }).waitFor();
    await operation('Mint', { 'Recipient wallet': alice.address, Amount: 'ten' }, 'Mint');
    await ops().getByText('expected a number of tokens, e.g. 100 or 2.5').waitFor();
    await operation('Mint', { 'Recipient wallet': alice.address, Amount: '1000' }, 'Mint');
    await rowOf(alice).getByText('1,000').waitFor();
    await operation('Mint', { 'Recipient wallet': bob.address, Amount: '500' }, 'Mint');
    await rowOf(bob).getByText('500').waitFor();
    await operation('Mint', { 'Recipient wallet': carol.address, Amount: '250.5' }, 'Mint');
    await rowOf(carol).getByText('250.5').waitFor();
    assert.equal((await balance(carol)).balance, String(2505n * TOKEN / 10n));

    // The selected holder fills the wallet fields.
    await rowOf(bob).getByRole('button', { name: /Select/ }).click();
    await operation('Freeze', {}, 'Freeze');
    await rowOf(bob).getByText('wallet frozen').waitFor();
    await page.getByRole('table', { name: 'Frozen wallets' }).getByText('wallet frozen').waitFor();
    assert.equal((await balance(bob)).frozen, true);
    await operation('Unfreeze', {}, 'Unfreeze');
    await signed('Wallet unfreeze signed in this page and relayed');
    await operation('Freeze', { Amount: '100' }, 'Freeze');
    await rowOf(bob).getByText('100 frozen').waitFor();
    const b = await balance(bob);
    assert.deepEqual([b.frozen, b.frozenTokens], [false, String(100n * TOKEN)]);

    await operation('Forced transfer', { 'From wallet': bob.address, 'To wallet': carol.address, Amount: '450' }, 'Forced transfer');
    await rowOf(bob).getByText('50', { exact: true }).waitFor();
    await operation('Burn', { Wallet: carol.address, Amount: '0.5' }, 'Burn');
    await rowOf(carol).getByText('700', { exact: true }).waitFor();
    assert.equal((await balance(carol)).balance, String(700n * TOKEN));

    await ops().getByRole('tab', { name: 'Pause', exact: true }).click();
    await ops().getByRole('button', { name: 'Pause all transfers' }).click();
    await page.getByText('paused', { exact: true }).waitFor();
    assert.equal((await client.rpc.token_info({})).paused, true);
    await ops().getByRole('button', { name: 'Unpause transfers' }).click();
    await page.getByText('running', { exact: true }).waitFor();

    await rowOf(alice).getByRole('button', { name: /Select/ }).click();
    await operation('Recovery', { 'New wallet': aliceNew.address }, 'Recover');
    await rowOf(aliceNew).getByText('1,000').waitFor();
    assert.equal((await balance(alice)).balance, '0');
    assert.equal((await balance(aliceNew)).verified, true);
    // The holders' KYC claims (the token's required topic) on a timeline: three identities, one claim each.
    await page.getByRole('img', { name: /^Expiry timeline of 3 claims: KYC/ }).waitFor();
    await checkScreen(page, 'token-admin');
  });

  test('compliance modules: added and configured in the page; the module refusal is named; alerts say who may read cases', async () => {
    const modules = page.getByRole('region', { name: 'Compliance modules' });
    const add = async () => {
      await modules.getByLabel('Add a module').selectOption('CountryRestrictModule');
      await modules.getByRole('button', { name: 'Add', exact: true }).click();
    };
    // The agent may configure modules (COMPLIANCE_AGENT) but not add them: the refusal names who may.
    await add();
    await modules.getByRole('alert').getByText(/lacks the COMPLIANCE_SETTER role|only the owner/).waitFor();
    // The token's owner adds it, with its own key imported into the page; then the agent's key again.
    await lock();
    await importKeyAndUnlock(page, 'demo-owner', readFileSync(join(t.dataDir, 'keys', 'demo-owner.key'), 'utf8').trim() as Hex, PASS);
    await add();
    await page.getByRole('table', { name: 'Compliance modules' }).getByText('CountryRestrictModule').waitFor();
    await lock();
    await page.getByLabel('Key', { exact: true }).selectOption('issuer-agent');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASS);
    await page.getByRole('button', { name: 'Unlock', exact: true }).click();
    await page.locator('.keychip').getByText('issuer-agent').waitFor();
    await modules.getByLabel('Configure', { exact: true }).selectOption('restrictCountries');
    await modules.getByLabel('Countries (ISO 3166-1 numeric, comma separated)').fill('250, 0');
    await modules.getByRole('button', { name: 'Apply setting' }).click();
    await modules.getByText(/>=\s*1|greater than or equal to 1/).waitFor();
    await modules.getByLabel('Countries (ISO 3166-1 numeric, comma separated)').fill('250');
    await modules.getByRole('button', { name: 'Apply setting' }).click();
    await signed('Module configured');
    const moduleTable = page.getByRole('table', { name: 'Compliance modules' });
    await moduleTable.getByRole('button', { name: 'Remove 250 from blocked (CountryRestrictModule)' }).waitFor();
    // Carol is registered in France (250), now blocked: the mint is refused with the module's reason.
    await operation('Mint', { 'Recipient wallet': carol.address, Amount: '200' }, 'Mint');
    await ops().getByRole('alert').getByText('COUNTRY_RESTRICTED', { exact: true }).waitFor();
    assert.equal((await balance(carol)).balance, String(700n * TOKEN));
    const restrict = (await client.rpc.token_info({})).modules.find((m) => m.name === 'CountryRestrictModule')!;
    assert.deepEqual([restrict.settings, restrict.configurable], [{ module: 'CountryRestrictModule', restrictedCountries: [250] }, true]);
    // The agent is no analyst nor fund administrator: the alerts panel says who may read cases, never a blank.
    await page.getByRole('region', { name: 'Alerts: screening cases of holders' }).getByRole('alert').getByText(/only the screening operator, an analyst or a served token's fund administrator/).waitFor();
    await checkScreen(page, 'token-admin-modules');
  });

  test('risk: holders by band as a chart, a recompute, an explanation, a country table imported, all signed in the page', async () => {
    await page.goto(`${t.node.url}/#/token/risk`);
    const chart = page.getByRole('img', { name: /^Holders by risk band/ });
    await chart.waitFor();
    // The agent's key may not read explanations: the on-chain numbers, and an import refused naming who may.
    await page.getByText('this key may not read explanations').waitFor();
    const form = page.getByRole('form', { name: 'Import a country table' });
    const importTable = async (csv: string) => {
      await form.getByLabel('Table id').fill('ops-1');
      await form.getByLabel('Name', { exact: true }).fill('Internal country policy');
      await form.getByLabel('Source', { exact: true }).fill('ops desk');
      await form.getByLabel('Table (CSV)').fill(csv);
      await form.getByRole('button', { name: 'Import and rescore' }).click();
    };
    await importTable('country,score,label\nFR,100,internal policy');
    await form.getByRole('alert').getByText(/only a risk operator/).waitFor();
    await lock();
    await importKeyAndUnlock(page, 'risk-operator', riskOperatorKey, PASS);
    await page.getByRole('button', { name: 'Recompute all scores' }).click();
    await signed(/^Recomputed \d+ identities/);
    await page.getByRole('img', { name: /low 3 holders \(100\.0% of the supply\)/ }).waitFor();
    await page.getByText('bands as the node computes them').waitFor();
    const holders = page.getByRole('table', { name: 'Holders and their scores' });
    await holders.getByRole('row').filter({ has: page.locator(`[title="${carol.address}" i]`) }).getByRole('button', { name: /Explain/ }).click();
    const factors = page.getByRole('table', { name: 'Risk factors' });
    await factors.getByText('country.table', { exact: true }).waitFor();
    await checkScreen(page, 'risk');
    // A bad line is refused naming it; a table rating France 100 moves the three French holders up at once.
    await importTable('country,score\nXX,100');
    await form.getByRole('alert').getByText('line 2.country', { exact: true }).waitFor();
    await importTable('country,score,label\nFR,100,internal policy');
    await signed('Table ops-1 active');
    await page.getByRole('img', { name: /(high|severe) 3 holders/ }).waitFor();
    await page.getByRole('region', { name: 'Country risk table' }).getByText('imported', { exact: true }).waitFor();
    const carolIdentity = (await client.rpc.token_balanceOf({ wallet: carol.address })).identity as Address;
    const onchain = await client.rpc.risk_getScore({ identity: carolIdentity });
    assert.ok((onchain.onchain.score ?? 0) >= 50, `carol's on-chain score ${onchain.onchain.score}`);
    await checkScreen(page, 'risk-imported');
  });

  test("holders' cases with screening on: a holder hit and frozen, the case read by the fund administrator, reviewed and dismissed by an analyst, the holder restored", async () => {
    // Dave holds the demo token; the operator imports an OFAC fixture and an analyst enrols dave under a listed name:
    // the service screens him at once, opens a case and, the match being exact, freezes his wallet on the served token.
    await onboard(dave, chainId, kycIssuer, 276); // France is blocked on the demo token since the modules test
    await client.write('token_mint', { to: dave.address, amount: String(40n * TOKEN) }, privateKeyToAccount(agentKey));
    await client.write('screening_importList', { source: 'ofac-sdn', files: [{ name: 'SDN.CSV', data: readFileSync(join(FIXTURES, 'ofac/sdn.csv')).toString('base64') }] }, t.node.ctx.screening!.keys.account);
    const daveIdentity = (await balance(dave)).identity as Address;
    const enrol = await client.write('screening_submitProfile', { identity: daveIdentity, profile: { names: ['Juan M. de la Cruz'], wallets: [dave.address] } }, analyst);
    assert.equal(enrol.screening.casesOpened.length, 1);
    const caseId = enrol.screening.casesOpened[0]!;
    await until('dave frozen by the screening service', async () => (await balance(dave)).frozen);

    await page.goto(`${t.node.url}/#/token/admin`);
    const frozenTable = page.getByRole('table', { name: 'Frozen wallets' });
    const daveFrozen = frozenTable.getByRole('row').filter({ has: page.locator(`[title="${dave.address}" i]`) });
    await daveFrozen.getByText('wallet frozen').waitFor();
    // The risk operator's key may not read cases: the refusal names who may, and the freeze's origin stays unknown.
    const alerts = page.getByRole('region', { name: 'Alerts: screening cases of holders' });
    await alerts.getByRole('alert').getByText(/only the screening operator, an analyst or a served token's fund administrator/).waitFor();
    await daveFrozen.getByText('unknown to this key').waitFor();

    // The token's fund administrator reads the case: alert triggered, restrictions applied, the freeze traced to it.
    await lock();
    await importKeyAndUnlock(page, 'fund-admin', fundAdminKey, PASS);
    const cases = page.getByRole('table', { name: 'Screening cases of holders' });
    const daveCase = cases.getByRole('row').filter({ has: page.locator(`[title="${daveIdentity}" i]`) });
    await daveCase.getByText('triggered', { exact: true }).waitFor();
    await daveCase.getByText('claims revoked, wallets frozen').waitFor();
    await daveCase.getByText('ofac-sdn', { exact: true }).waitFor();
    await daveFrozen.getByRole('link', { name: 'screening case (ofac-sdn)' }).waitFor();
    await page.getByRole('img', { name: /^Cases opened per day: 1 in 14 days/ }).waitFor();
    await checkScreen(page, 'token-admin-alerts');
    // Deciding is for analysts: the fund administrator's review is refused with the node's reason.
    await daveCase.getByRole('link', { name: /Review/ }).click();
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.getByText('only the screening operator or an analyst may do this').waitFor();

    // The analyst opens the case from the token's alerts, reviews it and dismisses it as a false positive.
    await lock();
    await importKeyAndUnlock(page, 'analyst', analystKey, PASS);
    await page.goto(`${t.node.url}/#/token/admin`);
    await daveCase.getByRole('link', { name: /Review/ }).click();
    await page.getByRole('button', { name: 'Start review' }).click();
    await page.getByRole('table', { name: 'Decision history' }).getByText('Under review').first().waitFor();
    await page.getByLabel('Reason').fill('Different person: date of birth and nationality differ from the listed entry.');
    await page.getByRole('button', { name: 'Dismiss as a false positive' }).click();
    await page.getByText('Case dismissed').first().waitFor();
    await until('dave restored', async () => !(await balance(dave)).frozen);

    await page.goto(`${t.node.url}/#/token/admin`);
    await daveCase.getByText('dismissed', { exact: true }).waitFor();
    await daveCase.getByText(/holder restored|restoring the holder/).waitFor();
    await daveFrozen.waitFor({ state: 'detached' });
    const c = await client.write('screening_getCase', { caseId }, analyst);
    assert.equal(c.status, 'dismissed');
    assert.deepEqual(c.history.map((h) => h.toStatus).filter(Boolean), ['triggered', 'under_review', 'dismissed']);
  });

  test('no page error or console error', () => {
    assert.deepEqual(pageErrors, []);
  });
});
