// token_ methods end to end over HTTP against one started node: an issuer deploys its own suite in one transaction
// (its wallet owns everything, the node pays gas and holds no role), its agents run every admin write as signed calls
// the contracts check, every role refusal names the missing role, and bad params name the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { getAddress, keccak256, toFunctionSelector, toHex, type Address, type Hex } from 'viem';
import { signClaim, type MasqueClient } from '../sdk/index.js';
import { suiteContractAbis, type SuiteAddresses } from '../protocol/token-calls.js';
import { connectClient, expectRpcRefusal as refused, startTestNode, type TestNode } from './test-helpers.js';
import { makeClients } from './chain/clients.js';
import { moduleDirectoryOf } from './methods/token-admin.js';
import { readModules } from './methods/token-modules.js';
import { RpcError } from './rpc/errors.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let kycIssuer: Address;
let suite: SuiteAddresses;

const key = () => privateKeyToAccount(generatePrivateKey());
const owner = key();
const minter = key(); // SUPPLY_MODIFIER
const freezer = key(); // FREEZER
const manager = key(); // TRANSFER_MANAGER
const recoverer = key(); // RECOVERY_AGENT
const whitelister = key(); // WHITELIST_MANAGER
const stranger = key();
const alice = key();
const bob = key();
const carol = key();
const aliceNewWallet = key();
const identities = new Map<Address, Address>();
const salt = keccak256(toHex('token.test suite'));
const now = () => Math.floor(Date.now() / 1000);

/** Creates `who`'s identity with a KYC claim of the node's issuer (token_onboardInvestor). */
async function onboard(who: PrivateKeyAccount): Promise<Address> {
  const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: who.address });
  const issuedAt = now() - 5; const expiresAt = now() + 86_400 * 30;
  const documentHash = keccak256(toHex(`kyc of ${who.address}`));
  const { signature } = await signClaim(t.issuerSigner, {
    chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt),
  });
  await client.write('token_onboardInvestor', { wallet: who.address, country: 250, claims: [{ topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature }] }, who);
  identities.set(who.address, identity as Address);
  return identity as Address;
}

const rolesOf = (contract: keyof SuiteAddresses, account: Address) =>
  t.node.ctx.clients.publicClient.readContract({ address: suite[contract], abi: suiteContractAbis[contract], functionName: 'rolesOf', args: [account] } as never) as Promise<bigint>;
const balance = async (who: PrivateKeyAccount) => (await client.rpc.token_balanceOf({ token: suite.token, wallet: who.address }));

/** Deploys `runtime` (hex, no 0x) as a contract from the chain's first unlocked account. */
async function deployRuntime(runtime: string): Promise<Address> {
  const reader = t.node.ctx.clients.publicClient;
  const [from] = (await reader.request({ method: 'eth_accounts' } as never)) as Address[];
  const size = (runtime.length / 2).toString(16).padStart(2, '0');
  // codecopy(0, 12, size) return(0, size): the 12 bytes of this init code, then the runtime.
  const init = `0x60${size}600c60003960${size}6000f3${runtime}` as Hex;
  const hash = (await reader.request({ method: 'eth_sendTransaction', params: [{ from, data: init }] } as never)) as Hex;
  return (await reader.waitForTransactionReceipt({ hash })).contractAddress!;
}

/**
 * A contract whose name() is `name` (at most 32 bytes) and that refuses every other call: `revert` reverts, `empty`
 * returns no data. What an incompatible version of a module Masque knows looks like to token_info.
 */
function moduleImpostor(name: string, refusal: 'revert' | 'empty'): string {
  const word = Buffer.alloc(32); word.write(name);
  return '60003560e01c' + '6306fdde03' + '14' + '601357' // selector == name() ? jump to 0x13
    + (refusal === 'revert' ? '600080fd' : '600080f3') // revert(0, 0) | return(0, 0)
    + '5b' + '6020600052' + `60${name.length.toString(16).padStart(2, '0')}602052` + `7f${word.toString('hex')}604052` + '60606000f3'; // abi.encode(name)
}

before(async () => {
  t = await startTestNode();
  ({ client, chainId, kycIssuer } = await connectClient(t));
  for (const who of [alice, bob, carol]) await onboard(who);
});
after(async () => { await t?.stop(); });

describe('token_deploy', () => {
  const request = () => ({
    owner: owner.address, name: 'Acme Fund I', symbol: 'ACME1', decimals: 0, salt,
    claimTopics: [1], trustedIssuers: [{ issuer: kycIssuer, topics: [1] }],
    modules: [{ module: 'CountryAllowModule' as const, settings: [{ kind: 'allowCountries' as const, countries: [250, 276] }] }],
    agents: [
      { address: minter.address, roles: ['SUPPLY_MODIFIER' as const] },
      { address: freezer.address, roles: ['FREEZER' as const] },
      { address: manager.address, roles: ['TRANSFER_MANAGER' as const] },
      { address: recoverer.address, roles: ['RECOVERY_AGENT' as const] },
      { address: whitelister.address, roles: ['WHITELIST_MANAGER' as const] },
    ],
  });

  it('refuses a request not signed by the owner, an authorization of other params, and params naming the field', async () => {
    await refused(client.write('token_deploy', request(), stranger), -32001, /owner's wallet/);
    // The owner's DeploySuite signature covers every param: a changed name after signing is refused before any gas.
    const signed = await client.sign('token_deploy', request(), owner);
    const tampered = await client.sign('token_deploy', { ...request(), name: 'Other', authorization: signed.authorization }, owner);
    const e = await refused(client.call('token_deploy', tampered), -32001);
    assert.equal(e.field, 'authorization.signature');
    const bad = await refused(client.write('token_deploy', { ...request(), modules: [{ module: 'MaxBalanceModule', settings: [{ kind: 'allowCountries', countries: [250] }] }] }, owner), -32602);
    assert.equal(bad.field, 'modules.0.settings.0.kind');
    assert.equal((await refused(client.write('token_deploy', { ...request(), symbol: 'bad symbol!' }, owner), -32602)).field, 'symbol');
    assert.equal((await refused(client.write('token_deploy', { ...request(), agents: [{ address: minter.address, roles: ['MINTER' as never] }] }, owner), -32602)).field, 'agents.0.roles.0');
  });

  it("deploys the issuer's whole suite in one transaction: the owner owns it, agents hold their roles, the node holds nothing", async () => {
    const relayer = t.node.ctx.relayerAddress;
    const before = await t.node.ctx.clients.publicClient.getBalance({ address: owner.address });
    const r = await client.write('token_deploy', request(), owner);
    suite = r as unknown as SuiteAddresses;
    assert.ok(BigInt(r.gasUsed) > 0n);
    assert.equal(await t.node.ctx.clients.publicClient.getBalance({ address: owner.address }), before, 'the owner paid no gas');
    const predicted = await client.rpc.token_predictSuite({ owner: owner.address, salt });
    assert.equal(predicted.token, r.token);
    const info = await client.rpc.token_info({ token: r.token as Address });
    assert.equal(info.owner, owner.address);
    assert.equal(info.name, 'Acme Fund I');
    assert.equal(info.symbol, 'ACME1');
    assert.deepEqual(info.claimTopics, [1]);
    assert.deepEqual(info.trustedIssuers, [{ issuer: kycIssuer, topics: [1] }]);
    assert.deepEqual(info.modules.map((m) => m.name), ['CountryAllowModule']);
    const roles = Object.fromEntries(info.agents.map((a) => [a.address, a.roles]));
    assert.deepEqual(roles, {
      [minter.address]: ['SUPPLY_MODIFIER'], [freezer.address]: ['FREEZER'], [manager.address]: ['TRANSFER_MANAGER'],
      [recoverer.address]: ['RECOVERY_AGENT'], [whitelister.address]: ['WHITELIST_MANAGER'],
    });
    for (const c of ['token', 'identityRegistry', 'compliance', 'trustedIssuersRegistry', 'claimTopicsRegistry'] as const) {
      assert.equal(await rolesOf(c, relayer), 0n, `relayer holds a role on the ${c}`);
      const contractOwner = await t.node.ctx.clients.publicClient.readContract({ address: suite[c], abi: suiteContractAbis[c], functionName: 'owner' } as never);
      assert.equal(contractOwner, owner.address, `${c} owner`);
    }
    const again = await refused(client.write('token_deploy', request(), owner), -32003, /already deployed/);
    assert.equal(again.field, 'salt');
  });
});

describe('admin writes (signed calls the contracts check)', () => {
  const tok = () => ({ token: suite.token });

  it('registers investors (WHITELIST_MANAGER); anyone else is refused naming the role', async () => {
    const e = await refused(client.write('token_registerInvestor', { ...tok(), wallet: alice.address, identity: identities.get(alice.address)!, country: 250 }, minter), -32001, /WHITELIST_MANAGER/);
    assert.deepEqual((e.data as { roles: string[] }).roles, ['WHITELIST_MANAGER']);
    for (const who of [alice, bob, carol]) {
      await client.write('token_registerInvestor', { ...tok(), wallet: who.address, identity: identities.get(who.address)!, country: 250 }, whitelister);
      assert.equal((await balance(who)).verified, true);
    }
  });

  it('mints and batch-mints (SUPPLY_MODIFIER) to verified wallets only', async () => {
    await refused(client.write('token_mint', { ...tok(), to: alice.address, amount: '100' }, freezer), -32001, /SUPPLY_MODIFIER/);
    await refused(client.write('token_mint', { ...tok(), to: alice.address, amount: '100' }, owner), -32001, /SUPPLY_MODIFIER/);
    const e = await refused(client.write('token_mint', { ...tok(), to: stranger.address, amount: '1' }, minter), -32004);
    assert.equal((e.data as { reason: string }).reason, 'RECEIVER_NOT_VERIFIED');
    const r = await client.write('token_mint', { ...tok(), to: alice.address, amount: '1000' }, minter);
    assert.equal(r.txHashes.length, 1);
    await client.write('token_batchMint', { ...tok(), recipients: [{ to: bob.address, amount: '500' }, { to: carol.address, amount: '250' }] }, minter);
    assert.equal((await balance(alice)).balance, '1000');
    assert.equal((await balance(bob)).balance, '500');
    // All or nothing: one unverified recipient refuses the whole batch.
    await refused(client.write('token_batchMint', { ...tok(), recipients: [{ to: bob.address, amount: '1' }, { to: stranger.address, amount: '1' }] }, minter), -32004);
    assert.equal((await balance(bob)).balance, '500');
  });

  it('holders transfer through the node without ether; refusals name the rule', async () => {
    await client.write('token_transfer', { ...tok(), to: bob.address, amount: '100' }, alice);
    assert.equal((await balance(bob)).balance, '600');
    const e = await refused(client.write('token_transfer', { ...tok(), to: stranger.address, amount: '1' }, alice), -32004);
    assert.equal((e.data as { reason: string }).reason, 'RECEIVER_NOT_VERIFIED');
  });

  it('pauses and unpauses (FREEZER)', async () => {
    await refused(client.write('token_pause', tok(), minter), -32001, /FREEZER/);
    await client.write('token_pause', tok(), freezer);
    assert.equal((await client.rpc.token_info(tok())).paused, true);
    const e = await refused(client.write('token_transfer', { ...tok(), to: bob.address, amount: '1' }, alice), -32004);
    assert.equal((e.data as { reason: string }).reason, 'PAUSED');
    await refused(client.write('token_unpause', tok(), manager), -32001, /FREEZER/);
    await client.write('token_unpause', tok(), freezer);
    assert.equal((await client.rpc.token_info(tok())).paused, false);
  });

  it('freezes a wallet and part of a balance (FREEZER)', async () => {
    await refused(client.write('token_freeze', { ...tok(), wallet: bob.address }, minter), -32001, /FREEZER/);
    await client.write('token_freeze', { ...tok(), wallet: bob.address }, freezer);
    assert.equal((await balance(bob)).frozen, true);
    let e = await refused(client.write('token_transfer', { ...tok(), to: alice.address, amount: '1' }, bob), -32004);
    assert.equal((e.data as { reason: string }).reason, 'SENDER_FROZEN');
    await client.write('token_unfreeze', { ...tok(), wallet: bob.address }, freezer);
    await client.write('token_freeze', { ...tok(), wallet: bob.address, amount: '550' }, freezer);
    const b = await balance(bob);
    assert.deepEqual([b.frozen, b.frozenTokens, b.available], [false, '550', '50']);
    e = await refused(client.write('token_transfer', { ...tok(), to: alice.address, amount: '51' }, bob), -32004);
    assert.equal((e.data as { reason: string }).reason, 'TOKENS_FROZEN');
    await client.write('token_unfreeze', { ...tok(), wallet: bob.address, amount: '50' }, freezer);
    assert.equal((await balance(bob)).frozenTokens, '500');
  });

  it('forced transfers (TRANSFER_MANAGER) move frozen tokens; burns (SUPPLY_MODIFIER) too', async () => {
    await refused(client.write('token_forcedTransfer', { ...tok(), from: bob.address, to: carol.address, amount: '300' }, freezer), -32001, /TRANSFER_MANAGER/);
    await client.write('token_forcedTransfer', { ...tok(), from: bob.address, to: carol.address, amount: '300' }, manager);
    assert.equal((await balance(carol)).balance, '550');
    await refused(client.write('token_burn', { ...tok(), from: carol.address, amount: '50' }, manager), -32001, /SUPPLY_MODIFIER/);
    await client.write('token_burn', { ...tok(), from: carol.address, amount: '50' }, minter);
    assert.equal((await balance(carol)).balance, '500');
  });

  it("recovers a lost wallet to a management key of the investor's identity (RECOVERY_AGENT)", async () => {
    const identity = identities.get(alice.address)!;
    const args = { ...tok(), lostWallet: alice.address, newWallet: aliceNewWallet.address, identity };
    await refused(client.write('token_recover', args, manager), -32001, /RECOVERY_AGENT/);
    // The new wallet must first be a management key of the identity: the identity's owner adds it.
    const e = await refused(client.write('token_recover', args, recoverer), -32004);
    assert.match(e.message, /RecoveryKeyMissing/);
    await client.write('id_addKey', { identity, key: aliceNewWallet.address, purpose: 1 }, alice);
    const before = await balance(alice);
    await client.write('token_recover', args, recoverer);
    assert.equal((await balance(aliceNewWallet)).balance, before.balance);
    assert.equal((await balance(alice)).balance, '0');
    assert.equal((await balance(aliceNewWallet)).verified, true);
  });

  it('grants and revokes roles (owner only), on the contract that checks each', async () => {
    const e = await refused(client.write('token_addAgent', { ...tok(), agent: stranger.address, roles: ['SUPPLY_MODIFIER'] }, minter), -32001, /owner/);
    assert.deepEqual((e.data as { roles: string[] }).roles, ['OWNER']);
    const r = await client.write('token_addAgent', { ...tok(), agent: stranger.address, roles: ['SUPPLY_MODIFIER', 'WHITELIST_MANAGER', 'COMPLIANCE_AGENT'] }, owner);
    assert.equal(r.txHashes.length, 3, 'one signed call each on the token, identity registry and compliance');
    assert.equal(await rolesOf('identityRegistry', stranger.address), 1n << 5n);
    await client.write('token_mint', { ...tok(), to: carol.address, amount: '1' }, stranger);
    await client.write('token_removeAgent', { ...tok(), agent: stranger.address, roles: ['SUPPLY_MODIFIER', 'WHITELIST_MANAGER', 'COMPLIANCE_AGENT'] }, owner);
    await refused(client.write('token_mint', { ...tok(), to: carol.address, amount: '1' }, stranger), -32001, /SUPPLY_MODIFIER/);
    const info = await client.rpc.token_info(tok());
    assert.equal(info.agents.find((a) => a.address === stranger.address), undefined);
  });

  it('changes compliance (COMPLIANCE_SETTER or owner) and refuses others', async () => {
    await refused(client.write('token_setCompliance', { ...tok(), action: 'add', module: 'CountryRestrictModule' }, minter), -32001, /COMPLIANCE_SETTER|owner/);
    await client.write('token_setCompliance', { ...tok(), action: 'add', module: 'CountryRestrictModule' }, owner);
    await client.write('token_setCompliance', { ...tok(), action: 'configure', setting: { kind: 'restrictCountries', countries: [250] } }, owner);
    const e = await refused(client.write('token_mint', { ...tok(), to: carol.address, amount: '1' }, minter), -32004);
    assert.equal((e.data as { reason: string }).reason, 'COUNTRY_RESTRICTED');
    assert.deepEqual((await client.rpc.token_info(tok())).modules.map((m) => m.name), ['CountryAllowModule', 'CountryRestrictModule']);
    await client.write('token_setCompliance', { ...tok(), action: 'remove', module: 'CountryRestrictModule' }, owner);
    await client.write('token_mint', { ...tok(), to: carol.address, amount: '1' }, minter);
  });

  it('refuses signed calls that are not the signer\'s, replayed, or miscounted, naming the field', async () => {
    // Executions signed by someone else than auth.signer.
    const byMinter = await client.sign('token_mint', { ...tok(), to: carol.address, amount: '1' }, minter);
    const forged = await client.sign('token_mint', { ...tok(), to: carol.address, amount: '1', executions: byMinter.executions }, stranger);
    assert.equal((await refused(client.call('token_mint', forged), -32001)).field, 'executions.0.signature');
    // Executions for other params (amount changed after signing).
    const other = await client.sign('token_mint', { ...tok(), to: carol.address, amount: '2', executions: byMinter.executions }, minter);
    assert.equal((await refused(client.call('token_mint', other), -32001)).field, 'executions.0.signature');
    await client.call('token_mint', byMinter);
    // The same signed call again, under a fresh request: its nonce is spent on-chain.
    const replay = await client.sign('token_mint', { ...tok(), to: carol.address, amount: '1', executions: byMinter.executions }, minter);
    assert.equal((await refused(client.call('token_mint', replay), -32001, /used already/)).field, 'executions');
    const two = await client.sign('token_mint', { ...tok(), to: carol.address, amount: '1', executions: [...byMinter.executions, ...byMinter.executions] }, minter);
    assert.equal((await refused(client.call('token_mint', two), -32602)).field, 'executions');
    assert.equal((await refused(client.write('token_mint', { ...tok(), to: carol.address, amount: '0' }, minter), -32602)).field, 'amount');
    assert.equal((await refused(client.write('token_mint', { ...tok(), to: '0x1234' as Address, amount: '1' }, minter), -32602)).field, 'to');
    assert.equal((await refused(client.write('token_mint', { token: stranger.address, to: carol.address, amount: '1' }, minter), -32602)).field, 'token');
    assert.equal((await refused(client.write('token_freeze', { ...tok(), wallet: bob.address, amount: '-1' }, freezer), -32602)).field, 'amount');
    // A configure without its setting (the signed calls cannot even be built: any well-formed ones reach the check).
    assert.equal((await refused(client.write('token_setCompliance', { ...tok(), action: 'configure', executions: byMinter.executions }, owner), -32602)).field, 'setting');
  });

  it('the cap table follows every write (token_holders), largest first', async () => {
    const h = await client.rpc.token_holders(tok());
    const supply = BigInt(h.totalSupply);
    assert.equal(h.holders.reduce((s, x) => s + BigInt(x.balance), 0n), supply);
    for (const x of h.holders) assert.equal(x.balance, (await client.rpc.token_balanceOf({ ...tok(), wallet: x.wallet as Address })).balance);
    assert.deepEqual(h.holders.map((x) => BigInt(x.balance)), h.holders.map((x) => BigInt(x.balance)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0)));
    assert.equal(h.total, h.holders.length);
  });
});

describe('token_info: module settings read from the chain', () => {
  const salt2 = keccak256(toHex('token.test modules'));
  const byName = async (token: Address) => Object.fromEntries((await client.rpc.token_info({ token })).modules.map((m) => [m.name, m]));

  it("gives each module's current settings, typed per module; an unknown module by address with settings unknown", async () => {
    const r = await client.write('token_deploy', {
      owner: owner.address, name: 'Modules Fund', symbol: 'MODS', salt: salt2,
      modules: [
        { module: 'CountryAllowModule', settings: [{ kind: 'allowCountries', countries: [276, 250] }] },
        { module: 'CountryRestrictModule', settings: [{ kind: 'restrictCountries', countries: [408] }] },
        { module: 'MaxBalanceModule', settings: [{ kind: 'maxBalance', amount: '1000' }] },
        { module: 'MaxRiskScoreModule', settings: [{ kind: 'riskLimit', maxScore: 60, allowUnscored: true }] },
        { module: 'JurisdictionModule', settings: [{ kind: 'jurisdictionRules', allowListOnly: true }, { kind: 'jurisdictions', countries: [250, 999], status: 'allowed' }, { kind: 'jurisdictions', countries: [643], status: 'blocked' }] },
        { module: 'FreshKycModule' },
      ],
    }, owner);
    const token = r.token as Address;
    const risk = t.node.ctx.deployment.riskScoreRegistry;
    const m = await byName(token);
    assert.deepEqual(Object.keys(m), ['CountryAllowModule', 'CountryRestrictModule', 'MaxBalanceModule', 'MaxRiskScoreModule', 'JurisdictionModule', 'FreshKycModule']);
    assert.ok(Object.values(m).every((x) => x.configurable), "the node's instances: token_setCompliance reaches them");
    assert.deepEqual(m.CountryAllowModule!.settings, { module: 'CountryAllowModule', allowedCountries: [250, 276] });
    assert.deepEqual(m.CountryRestrictModule!.settings, { module: 'CountryRestrictModule', restrictedCountries: [408] });
    assert.deepEqual(m.MaxBalanceModule!.settings, { module: 'MaxBalanceModule', maxBalance: '1000' });
    assert.deepEqual(m.MaxRiskScoreModule!.settings, { module: 'MaxRiskScoreModule', riskRegistry: risk, maxScore: 60, allowUnscored: true });
    assert.deepEqual(m.JurisdictionModule!.settings, { module: 'JurisdictionModule', topic: 9, allowListOnly: true, allowedCountries: [250, 999], blockedCountries: [643] });
    // Bound but never configured: no registry, so it refuses every transfer; token_info says so with null.
    assert.deepEqual(m.FreshKycModule!.settings, { module: 'FreshKycModule', riskRegistry: null, scoreAbove: 0, maxAgeSeconds: 0, topic: 0 });

    // Configured through token_setCompliance: token_info reads the new state.
    const tok = { token };
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: { kind: 'disallowCountries', countries: [276] } }, owner);
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: { kind: 'maxBalance', amount: '5' } }, owner);
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: { kind: 'freshKyc', scoreAbove: 50, maxAgeDays: 90 } }, owner);
    await client.write('token_setCompliance', { ...tok, action: 'configure', setting: { kind: 'jurisdictions', countries: [643], status: 'none' } }, owner);
    const after = await byName(token);
    assert.deepEqual(after.CountryAllowModule!.settings, { module: 'CountryAllowModule', allowedCountries: [250] });
    assert.deepEqual(after.MaxBalanceModule!.settings, { module: 'MaxBalanceModule', maxBalance: '5' });
    assert.deepEqual(after.FreshKycModule!.settings, { module: 'FreshKycModule', riskRegistry: risk, scoreAbove: 50, maxAgeSeconds: 90 * 86_400, topic: 1 });
    assert.deepEqual((after.JurisdictionModule!.settings as { blockedCountries: number[] }).blockedCountries, []);

    // A module Masque does not know (no name(), answers 1 to any call): listed by address, settings unknown, not configurable.
    const foreign = await deployRuntime('600160005260206000f3'); // mstore(0, 1) return(0, 32)
    await client.write('token_setCompliance', { ...tok, action: 'add', module: foreign }, owner);
    const last = (await client.rpc.token_info(tok)).modules.at(-1)!;
    assert.deepEqual(last, { address: getAddress(foreign), name: 'unknown', settings: null, configurable: false });
  });

  it('a known module that refuses its getters has settings unknown; a chain that drops the connection is retried once, then -32006', async () => {
    const ctx = t.node.ctx;
    const dir = moduleDirectoryOf(ctx);
    const { compliance } = await client.rpc.token_info({});
    const real = dir.modules.MaxBalanceModule;
    const impostors: Address[] = [];
    for (const name of ['MaxBalanceModule', 'CountryAllowModule'] as const) for (const refusal of ['revert', 'empty'] as const) impostors.push(await deployRuntime(moduleImpostor(name, refusal)));
    const direct = await readModules(ctx.clients.publicClient, compliance as Address, [...impostors, real], dir);
    assert.deepEqual(direct.map((m) => [m.name, m.settings]), [
      ['MaxBalanceModule', null], ['MaxBalanceModule', null], ['CountryAllowModule', null], ['CountryAllowModule', null],
      ['MaxBalanceModule', { module: 'MaxBalanceModule', maxBalance: '0' }],
    ]);

    // The same chain behind a proxy that closes the connection of the requests `drop` picks, as a failing link does.
    let drop = (_body: string) => false;
    let dropped = 0;
    const proxy = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', async () => {
        if (drop(body)) { dropped++; req.socket.destroy(); return; }
        const answer = await fetch(ctx.embeddedChain!.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
      });
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const viaProxy = makeClients(`http://127.0.0.1:${(proxy.address() as { port: number }).port}`, ctx.clients.chain.id, privateKeyToAccount(generatePrivateKey())).publicClient;
      const getter = toFunctionSelector('getMaxBalance(address)').slice(2);
      const failing = (selector: string, times: number) => { dropped = 0; drop = (body) => body.includes(selector) && dropped < times; };
      failing(getter, 1);
      assert.deepEqual(await readModules(viaProxy, compliance as Address, [real], dir), [direct.at(-1)], 'one dropped read, retried');
      assert.equal(dropped, 1);
      // The country probe (one eth_call per list) likewise.
      const country = dir.modules.CountryAllowModule;
      const [expected] = await readModules(ctx.clients.publicClient, compliance as Address, [country], dir);
      failing(toFunctionSelector('isCountryAllowed(address,uint16)').slice(2), 1);
      assert.deepEqual(await readModules(viaProxy, compliance as Address, [country], dir), [expected]);
      assert.equal(dropped, 1);
      for (const selector of [getter, '06fdde03']) { // the settings, then name() itself
        failing(selector, 2);
        const e = await readModules(viaProxy, compliance as Address, [real], dir).then(() => assert.fail('read through a dropped connection'), (x: unknown) => x);
        assert.ok(e instanceof RpcError && e.code === -32006, String(e));
        assert.match(e.message, /could not be reached.*retry/);
        assert.deepEqual(e.data, { module: getAddress(real) });
        assert.equal(dropped, 2);
      }
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });
});

describe('the cap-table index job', () => {
  it('folds new blocks with no read asking, and keeps a few rows of its recurring job, not one per period', async () => {
    // indexedBlock is the next block to fold.
    const next = (await t.node.ctx.repos.tokens.get(suite.token))!.indexedBlock;
    await client.write('token_mint', { token: suite.token, to: carol.address, amount: '7' }, minter); // a write: no catch-up
    const head = Number(await t.node.ctx.clients.publicClient.getBlockNumber({ cacheTime: 0 }));
    assert.ok(head >= next, `the mint's block ${head} is not folded yet (next ${next})`);
    for (let i = 0; (await t.node.ctx.repos.tokens.get(suite.token))!.indexedBlock <= head; i++) {
      assert.ok(i < 200, 'the recurring job indexed the new block within 20 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    const rows = await t.node.ctx.repos.jobs.list({ kind: 'token.index' });
    assert.ok(rows.every((r) => r.key?.startsWith('every:token.index:5000:')), 'one series');
    // Periods that ended more than keepRecurringMs (60 s) ago are pruned as new ones open: 13 done at most, plus the open one.
    assert.ok(rows.length >= 1 && rows.length <= 15, `${rows.length} rows`);
  });
});

describe('the demo token', () => {
  it('is deployed through the factory for an owner key in the data directory; the node holds no role on it', async () => {
    const info = await client.rpc.token_info({});
    const ownerKey = readFileSync(join(t.dataDir, 'keys', 'demo-owner.key'), 'utf8').trim() as Hex;
    assert.equal(info.owner, privateKeyToAccount(ownerKey).address);
    assert.equal(info.symbol, 'MSQ');
    assert.ok(info.agents.length === 1 && info.agents[0]!.roles.includes('SUPPLY_MODIFIER'));
    assert.ok(!info.agents.some((a) => a.address.toLowerCase() === t.node.ctx.relayerAddress.toLowerCase()));
  });
});
