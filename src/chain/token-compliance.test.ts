// ModularCompliance and its modules on anvil: binding rules, module management, each module accepting and
// refusing (with the token's custom error and reason code), risk score limits, and identity-side changes (issuer
// removal, claim expiry) taking effect on the very next transfer.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Abi, type Address, type Hex, encodeFunctionData, zeroAddress } from 'viem';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expectRevert } from './testkit.js';
import {
  countryAllowModuleAbi,
  identityRegistryAbi,
  maxBalanceModuleAbi,
  maxRiskScoreModuleAbi,
  trustedIssuersRegistryAbi,
} from './artifacts/index.js';
import { deployContract, setRiskScore, write } from './identity.js';
import { complianceAbi, useTokenWorld, tokenAbi, Country, type TokenWorld } from './token-fixture.js';
import {
  TransferRefusal, addModule, canTransferReason, configureModule, deployCompliance, deployModule, deployToken, onboard, predictOnboardedIdentity,
} from './token.js';
import { Role } from './roles.js';

let w: TokenWorld;
useTokenWorld(async (world) => {
  w = world;
  await w.tokenWrite('mint', [w.alice.address, 1000n]);
});

const reason = async (from: Address, to: Address, amount: bigint) => (await canTransferReason(w.reader, w.token, from, to, amount)).code;
const cWrite = (functionName: string, args: readonly unknown[], from = w.admin) =>
  write(from, w.reader, { address: w.compliance, abi: complianceAbi, functionName: functionName as never, args: args as never });
const cSim = (functionName: string, args: readonly unknown[], from = w.admin) =>
  w.reader.simulateContract({ address: w.compliance, abi: complianceAbi, functionName: functionName as never, args: args as never, account: from.account });
const cRead = <T>(functionName: string, args: readonly unknown[] = []) =>
  w.reader.readContract({ address: w.compliance, abi: complianceAbi, functionName: functionName as never, args: args as never }) as Promise<T>;

/** Asserts the alice -> to transfer is refused with `code` and `error`, by the view and by the transaction. */
async function refused(to: Address, amount: bigint, code: number, error: string, args?: readonly unknown[]) {
  assert.equal(await reason(w.alice.address, to, amount), code);
  await expectRevert(w.tokenSim('transfer', [to, amount], w.alice.wallet), error, args);
}
async function allowed(to: Address, amount: bigint) {
  assert.equal(await reason(w.alice.address, to, amount), TransferRefusal.OK);
  await w.tokenWrite('transfer', [to, amount], w.alice.wallet);
}

describe('compliance', () => {
  test('token binding: only the owner, or an unbound compliance binding its caller; unbinding by owner or token', async () => {
    const c = await deployCompliance(w.admin, w.reader);
    const write1 = (fn: string, args: unknown[], from = w.admin) =>
      write(from, w.reader, { address: c, abi: complianceAbi, functionName: fn as never, args: args as never });
    const sim1 = (fn: string, args: unknown[], from = w.admin) =>
      w.reader.simulateContract({ address: c, abi: complianceAbi, functionName: fn as never, args: args as never, account: from.account });
    await expectRevert(sim1('bindToken', [w.bob.address], w.alice.wallet), 'UnauthorizedTokenBinding', [w.alice.address]);
    await expectRevert(sim1('bindToken', [zeroAddress]), 'ZeroAddress');
    const r = await write1('bindToken', [w.bob.address]);
    assert.deepEqual(w.events(r.receipt).map((e) => e.eventName), ['TokenBound']);
    // Bound now: a token may no longer bind itself.
    await expectRevert(sim1('bindToken', [w.alice.address], w.alice.wallet), 'UnauthorizedTokenBinding', [w.alice.address]);
    await expectRevert(sim1('unbindToken', [w.carol.address]), 'TokenNotBound', [w.carol.address]);
    await expectRevert(sim1('unbindToken', [w.bob.address], w.alice.wallet), 'UnauthorizedTokenBinding', [w.alice.address]);
    const u = await write1('unbindToken', [w.bob.address], w.bob.wallet);
    assert.deepEqual(w.events(u.receipt).map((e) => e.eventName), ['TokenUnbound']);
    assert.equal(await w.reader.readContract({ address: c, abi: complianceAbi, functionName: 'getTokenBound' }), zeroAddress);
  });

  test('hooks are for the bound token only', async () => {
    await expectRevert(cSim('transferred', [w.alice.address, w.bob.address, 1n]), 'CallerNotToken', [w.admin.account.address]);
    await expectRevert(cSim('created', [w.alice.address, 1n]), 'CallerNotToken', [w.admin.account.address]);
    await expectRevert(cSim('destroyed', [w.alice.address, 1n]), 'CallerNotToken', [w.admin.account.address]);
  });

  test('modules: add, list, call, remove, with events; owner only; duplicates, unknown and zero rejected', async () => {
    const m = w.modules.CountryAllowModule;
    const r = await addModule(w.admin, w.reader, w.compliance, m);
    const names = w.events(r.receipt, [...complianceAbi, ...countryAllowModuleAbi] as Abi).map((e) => e.eventName);
    assert.deepEqual(names, ['ComplianceBound', 'ModuleAdded']);
    assert.deepEqual(await cRead('getModules'), [m]);
    assert.equal(await cRead('isModuleBound', [m]), true);
    await expectRevert(cSim('addModule', [m]), 'ModuleAlreadyBound', [m]);
    await expectRevert(cSim('addModule', [zeroAddress]), 'ZeroAddress');
    await expectRevert(cSim('addModule', [w.modules.CountryRestrictModule], w.alice.wallet), 'MissingRole', [w.alice.address, Role.COMPLIANCE_SETTER]);
    const data = encodeFunctionData({ abi: countryAllowModuleAbi, functionName: 'addAllowedCountry', args: [Country.DE] });
    const call = await cWrite('callModuleFunction', [data, m]);
    const ev = w.events(call.receipt, [...complianceAbi, ...countryAllowModuleAbi] as Abi);
    assert.deepEqual(ev.map((e) => e.eventName), ['CountryAllowed', 'ModuleInteraction']);
    assert.equal(ev[1].args.selector, data.slice(0, 10));
    // A module's own error comes back unchanged.
    await expectRevert(cSim('callModuleFunction', [data, m]), 'CountryAlreadyAllowed', [Country.DE]);
    await expectRevert(cSim('callModuleFunction', ['0x01', m]), 'InvalidModuleCall');
    for (const fn of ['bindCompliance', 'unbindCompliance'] as const) {
      const bindData = encodeFunctionData({ abi: countryAllowModuleAbi, functionName: fn, args: [w.compliance] });
      await expectRevert(cSim('callModuleFunction', [bindData, m]), 'InvalidModuleCall');
    }
    await expectRevert(cSim('callModuleFunction', [data, w.modules.MaxBalanceModule]), 'ModuleNotBound', [w.modules.MaxBalanceModule]);
    await expectRevert(cSim('callModuleFunction', [data, m], w.alice.wallet), 'MissingRole', [w.alice.address, Role.COMPLIANCE_SETTER | Role.COMPLIANCE_AGENT]);
    await expectRevert(cSim('removeModule', [w.modules.MaxBalanceModule]), 'ModuleNotBound', [w.modules.MaxBalanceModule]);
    await addModule(w.admin, w.reader, w.compliance, w.modules.CountryRestrictModule);
    const rm = await cWrite('removeModule', [m]);
    assert.deepEqual(w.events(rm.receipt, [...complianceAbi, ...countryAllowModuleAbi] as Abi).map((e) => e.eventName),
      ['ComplianceUnbound', 'ModuleRemoved']);
    assert.deepEqual(await cRead('getModules'), [w.modules.CountryRestrictModule]);
    assert.equal(await cRead('isModuleBound', [m]), false);
  });

  test('transferRefusal names the first refusing module; removal keeps the other modules in place', async () => {
    const allow = w.modules.CountryAllowModule;
    const restrict = w.modules.CountryRestrictModule;
    const risk = w.modules.MaxRiskScoreModule;
    for (const m of [allow, restrict, risk]) await addModule(w.admin, w.reader, w.compliance, m);
    await configureModule(w.admin, w.reader, w.compliance, allow, 'CountryAllowModule', 'addAllowedCountry', [Country.DE]);
    await configureModule(w.admin, w.reader, w.compliance, restrict, 'CountryRestrictModule', 'addCountryRestriction', [Country.DE]);
    assert.deepEqual(await cRead('transferRefusal', [w.alice.address, w.bob.address, 1n]), [TransferRefusal.COUNTRY_RESTRICTED, restrict]);
    assert.deepEqual(await cRead('transferRefusal', [w.alice.address, w.carol.address, 1n]), [TransferRefusal.COUNTRY_NOT_ALLOWED, allow]);
    assert.equal(await cRead('canTransfer', [w.alice.address, w.bob.address, 1n]), false);
    await cWrite('removeModule', [allow]);
    assert.deepEqual(await cRead('getModules'), [risk, restrict]);
    await cWrite('removeModule', [restrict]);
    assert.deepEqual(await cRead('transferRefusal', [w.alice.address, w.bob.address, 1n]), [TransferRefusal.RISK_SCORE_TOO_HIGH, risk]);
    await cWrite('removeModule', [risk]);
    assert.deepEqual(await cRead('getModules'), []);
    assert.deepEqual(await cRead('transferRefusal', [w.alice.address, w.bob.address, 1n]), [TransferRefusal.OK, zeroAddress]);
    assert.equal(await cRead('canTransfer', [w.alice.address, w.bob.address, 1n]), true);
  });

  test('at most 25 modules', async () => {
    for (let i = 0; i < 25; i++) await addModule(w.admin, w.reader, w.compliance, await deployModule(w.admin, w.reader, 'CountryRestrictModule'));
    await expectRevert(cSim('addModule', [w.modules.CountryAllowModule]), 'TooManyModules');
    // 25 stateless modules still leave transfers working.
    await allowed(w.bob.address, 1n);
  });

  test('module configuration is reachable only through a bound compliance, and a compliance binds only itself', async () => {
    const m = w.modules.CountryAllowModule;
    await expectRevert(
      w.reader.simulateContract({ address: m, abi: countryAllowModuleAbi, functionName: 'addAllowedCountry', args: [1], account: w.admin.account }),
      'ComplianceNotBound', [w.admin.account.address]);
    await expectRevert(
      w.reader.simulateContract({ address: m, abi: countryAllowModuleAbi, functionName: 'bindCompliance', args: [w.compliance], account: w.admin.account }),
      'CallerNotCompliance', [w.admin.account.address]);
    await expectRevert(
      w.reader.simulateContract({ address: m, abi: countryAllowModuleAbi, functionName: 'moduleTransferAction', args: [w.alice.address, w.bob.address, 1n], account: w.admin.account }),
      'ComplianceNotBound', [w.admin.account.address]);
    assert.equal(await w.reader.readContract({ address: m, abi: countryAllowModuleAbi, functionName: 'name' }), 'CountryAllowModule');
  });

  test('module binding guards: bind once, unbind only oneself, only when bound', async () => {
    // Any caller may bind itself as a "compliance": its configuration is its own and touches no one else's.
    const m = w.modules.CountryRestrictModule;
    const mw = (fn: string, args: unknown[], from = w.bob.wallet) =>
      write(from, w.reader, { address: m, abi: countryAllowModuleAbi, functionName: fn as never, args: args as never });
    const ms = (fn: string, args: unknown[], from = w.bob.wallet) =>
      w.reader.simulateContract({ address: m, abi: countryAllowModuleAbi, functionName: fn as never, args: args as never, account: from.account });
    const b = w.bob.address;
    const r = await mw('bindCompliance', [b]);
    assert.deepEqual(w.events(r.receipt, countryAllowModuleAbi).map((e) => e.eventName), ['ComplianceBound']);
    await expectRevert(ms('bindCompliance', [b]), 'ComplianceAlreadyBound', [b]);
    await expectRevert(ms('unbindCompliance', [b], w.alice.wallet), 'CallerNotCompliance', [w.alice.address]);
    const u = await mw('unbindCompliance', [b]);
    assert.deepEqual(w.events(u.receipt, countryAllowModuleAbi).map((e) => e.eventName), ['ComplianceUnbound']);
    await expectRevert(ms('unbindCompliance', [b]), 'ComplianceNotBound', [b]);
  });
});

test('module views: name, plug-and-play, statelessness, reason code, binding state', async () => {
  const { moduleArtifacts } = await import('./token.js');
  const expected = {
    CountryAllowModule: [true, true, TransferRefusal.COUNTRY_NOT_ALLOWED],
    CountryRestrictModule: [true, true, TransferRefusal.COUNTRY_RESTRICTED],
    MaxBalanceModule: [false, false, TransferRefusal.MAX_BALANCE_EXCEEDED],
    MaxRiskScoreModule: [true, true, TransferRefusal.RISK_SCORE_TOO_HIGH],
  } as const;
  for (const [name, [plug, stateless, code]] of Object.entries(expected)) {
    const address = w.modules[name as keyof typeof expected];
    const read = (fn: string, args: readonly unknown[] = []) =>
      w.reader.readContract({ address, abi: moduleArtifacts[name as keyof typeof expected].abi as Abi, functionName: fn, args });
    assert.equal(await read('name'), name);
    assert.equal(await read('isPlugAndPlay'), plug, name);
    assert.equal(await read('isStateless'), stateless, name);
    assert.equal(await read('refusalCode'), code, name);
    assert.equal(await read('isComplianceBound', [w.compliance]), false, name);
    // The token has supply: only the max balance module refuses to bind.
    assert.equal(await read('canComplianceBind', [w.compliance]), name !== 'MaxBalanceModule', name);
  }
  await addModule(w.admin, w.reader, w.compliance, w.modules.CountryAllowModule);
  assert.equal(await w.reader.readContract({ address: w.modules.CountryAllowModule, abi: countryAllowModuleAbi, functionName: 'isComplianceBound', args: [w.compliance] }), true);
});

describe('country modules', () => {
  test('allow list: listed receivers pass, others are refused with CountryNotAllowed (10)', async () => {
    const m = w.modules.CountryAllowModule;
    await addModule(w.admin, w.reader, w.compliance, m);
    // Nothing listed yet: everybody is refused, minting included.
    await refused(w.bob.address, 1n, TransferRefusal.COUNTRY_NOT_ALLOWED, 'CountryNotAllowed');
    await expectRevert(w.tokenSim('mint', [w.bob.address, 1n]), 'CountryNotAllowed');
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryAllowModule', 'batchAllowCountries', [[Country.DE, Country.FR]]);
    assert.equal(await w.reader.readContract({ address: m, abi: countryAllowModuleAbi, functionName: 'isCountryAllowed', args: [w.compliance, Country.DE] }), true);
    await allowed(w.bob.address, 10n);
    await refused(w.carol.address, 1n, TransferRefusal.COUNTRY_NOT_ALLOWED, 'CountryNotAllowed');
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryAllowModule', 'removeAllowedCountry', [Country.DE]);
    await refused(w.bob.address, 1n, TransferRefusal.COUNTRY_NOT_ALLOWED, 'CountryNotAllowed');
    await expectRevert(configureModule(w.admin, w.reader, w.compliance, m, 'CountryAllowModule', 'removeAllowedCountry', [Country.DE]),
      'CountryNotAllowedYet', [Country.DE]);
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryAllowModule', 'batchDisallowCountries', [[Country.FR]]);
  });

  test('restrict list: restricted receivers are refused with CountryRestricted (11)', async () => {
    const m = w.modules.CountryRestrictModule;
    await addModule(w.admin, w.reader, w.compliance, m);
    await allowed(w.bob.address, 1n);
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryRestrictModule', 'batchRestrictCountries', [[Country.DE, Country.US]]);
    await refused(w.bob.address, 1n, TransferRefusal.COUNTRY_RESTRICTED, 'CountryRestricted');
    assert.deepEqual(await canTransferReason(w.reader, w.token, w.alice.address, w.bob.address, 1n), {
      code: 11, name: 'COUNTRY_RESTRICTED', message: "the receiver's country is restricted", module: m,
    });
    await refused(w.carol.address, 1n, TransferRefusal.COUNTRY_RESTRICTED, 'CountryRestricted');
    await expectRevert(configureModule(w.admin, w.reader, w.compliance, m, 'CountryRestrictModule', 'addCountryRestriction', [Country.DE]),
      'CountryAlreadyRestricted', [Country.DE]);
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryRestrictModule', 'batchUnrestrictCountries', [[Country.DE]]);
    await allowed(w.bob.address, 1n);
    await expectRevert(configureModule(w.admin, w.reader, w.compliance, m, 'CountryRestrictModule', 'removeCountryRestriction', [Country.DE]),
      'CountryNotRestricted', [Country.DE]);
  });

  test('a country change in the registry applies to the next transfer', async () => {
    const m = w.modules.CountryRestrictModule;
    await addModule(w.admin, w.reader, w.compliance, m);
    await configureModule(w.admin, w.reader, w.compliance, m, 'CountryRestrictModule', 'addCountryRestriction', [Country.US]);
    await allowed(w.bob.address, 1n);
    await write(w.admin, w.reader, { address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: 'updateCountry', args: [w.bob.address, Country.US] });
    await refused(w.bob.address, 1n, TransferRefusal.COUNTRY_RESTRICTED, 'CountryRestricted');
  });

  test('a T-REX 4.1.6 module (no reason code) works and is reported as COMPLIANCE_REFUSED (9)', async () => {
    const require = createRequire(import.meta.url);
    const artifact = JSON.parse(readFileSync(require.resolve(
      '@tokenysolutions/t-rex/artifacts/contracts/compliance/modular/modules/CountryAllowModule.sol/CountryAllowModule.json'), 'utf8')) as { abi: Abi; bytecode: Hex };
    const m = await deployContract(w.admin, w.reader, artifact);
    await write(w.admin, w.reader, { address: m, abi: artifact.abi, functionName: 'initialize' as never, args: [] as never });
    await addModule(w.admin, w.reader, w.compliance, m);
    await refused(w.bob.address, 1n, TransferRefusal.COMPLIANCE_REFUSED, 'ComplianceRefused', [TransferRefusal.COMPLIANCE_REFUSED]);
    const data = encodeFunctionData({ abi: artifact.abi, functionName: 'addAllowedCountry', args: [Country.DE] });
    await cWrite('callModuleFunction', [data, m]);
    await allowed(w.bob.address, 1n);
  });
});

describe('max balance module', () => {
  test('binds only while the token has no supply', async () => {
    await expectRevert(cSim('addModule', [w.modules.MaxBalanceModule]), 'ModuleCannotBind', [w.modules.MaxBalanceModule]);
  });

  test('caps each identity across its wallets; refusals are MaxBalanceExceeded (12)', async () => {
    const compliance = await deployCompliance(w.admin, w.reader);
    const token = await deployToken(w.admin, w.reader, { name: 'Capped', symbol: 'CAP', identityRegistry: w.stack.identityRegistry, compliance });
    const m = w.modules.MaxBalanceModule;
    await addModule(w.admin, w.reader, compliance, m);
    const set = await configureModule(w.admin, w.reader, compliance, m, 'MaxBalanceModule', 'setMaxBalance', [500n]);
    const setEv = w.events(set.receipt, maxBalanceModuleAbi)[0];
    assert.deepEqual([setEv.eventName, setEv.args.maxBalance], ['MaxBalanceSet', 500n]);
    const t = (fn: string, args: unknown[], from = w.admin) =>
      write(from, w.reader, { address: token, abi: tokenAbi, functionName: fn as never, args: args as never });
    const sim = (fn: string, args: unknown[], from = w.admin) =>
      w.reader.simulateContract({ address: token, abi: tokenAbi, functionName: fn as never, args: args as never, account: from.account });
    const idBalance = (id: Address) => w.reader.readContract({ address: m, abi: maxBalanceModuleAbi, functionName: 'getIDBalance', args: [compliance, id] });
    await t('addAgent', [w.admin.account.address]);
    await t('mint', [w.alice.address, 400n]);
    await t('mint', [w.bob.address, 400n]);
    await expectRevert(sim('mint', [w.alice.address, 101n]), 'MaxBalanceExceeded');
    await expectRevert(sim('transfer', [w.alice.address, 101n], w.bob.wallet), 'MaxBalanceExceeded');
    assert.equal(await canTransferReason(w.reader, token, w.bob.address, w.alice.address, 101n).then((r) => r.code), TransferRefusal.MAX_BALANCE_EXCEEDED);
    await t('transfer', [w.alice.address, 100n], w.bob.wallet);
    assert.deepEqual([await idBalance(w.alice.identity), await idBalance(w.bob.identity)], [500n, 300n]);
    // A second wallet of alice's identity: moving between her own wallets is fine even at the cap, and receiving
    // on the second wallet counts against the same cap.
    const second = w.spare[0];
    await write(w.admin, w.reader, { address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: 'registerIdentity', args: [second.address, w.alice.identity, Country.FR] });
    await t('transfer', [second.address, 200n], w.alice.wallet);
    assert.equal(await idBalance(w.alice.identity), 500n);
    await expectRevert(sim('transfer', [second.address, 1n], w.bob.wallet), 'MaxBalanceExceeded');
    await t('burn', [w.alice.address, 300n]);
    assert.equal(await idBalance(w.alice.identity), 200n);
    await t('transfer', [second.address, 300n], w.bob.wallet);
    assert.deepEqual([await idBalance(w.alice.identity), await idBalance(w.bob.identity)], [500n, 0n]);
    assert.equal(await w.reader.readContract({ address: m, abi: maxBalanceModuleAbi, functionName: 'getMaxBalance', args: [compliance] }), 500n);
  });
});

describe('max risk score module', () => {
  async function bindRisk(maxScore: number, allowUnscored: boolean) {
    const m = w.modules.MaxRiskScoreModule;
    await addModule(w.admin, w.reader, w.compliance, m);
    return configureModule(w.admin, w.reader, w.compliance, m, 'MaxRiskScoreModule', 'setRiskLimit', [w.stack.riskScoreRegistry, maxScore, allowUnscored]);
  }
  const score = (id: Address, s: number) => setRiskScore(w.admin, w.reader, w.stack.riskScoreRegistry, id, s);

  test('unconfigured refuses everything (fail closed); invalid settings revert', async () => {
    const m = w.modules.MaxRiskScoreModule;
    await addModule(w.admin, w.reader, w.compliance, m);
    await refused(w.bob.address, 1n, TransferRefusal.RISK_SCORE_TOO_HIGH, 'RiskScoreTooHigh');
    await expectRevert(configureModule(w.admin, w.reader, w.compliance, m, 'MaxRiskScoreModule', 'setRiskLimit', [zeroAddress, 50, false]), 'ZeroRiskRegistry');
    await expectRevert(configureModule(w.admin, w.reader, w.compliance, m, 'MaxRiskScoreModule', 'setRiskLimit', [w.stack.riskScoreRegistry, 101, false]),
      'InvalidMaxScore', [101]);
  });

  test('scores at or under the limit pass; a raised score blocks at once, for sender and receiver', async () => {
    const r = await bindRisk(50, false);
    const ev = w.events(r.receipt, [...complianceAbi, ...maxRiskScoreModuleAbi] as Abi);
    assert.equal(ev[0].eventName, 'RiskLimitSet');
    assert.equal(ev[0].args.maxScore, 50);
    // Unscored parties are refused.
    await refused(w.bob.address, 1n, TransferRefusal.RISK_SCORE_TOO_HIGH, 'RiskScoreTooHigh');
    await score(w.alice.identity, 10);
    await score(w.bob.identity, 50);
    await allowed(w.bob.address, 1n);
    await score(w.bob.identity, 51);
    await refused(w.bob.address, 1n, TransferRefusal.RISK_SCORE_TOO_HIGH, 'RiskScoreTooHigh');
    await score(w.bob.identity, 20);
    await score(w.alice.identity, 90);
    await refused(w.bob.address, 1n, TransferRefusal.RISK_SCORE_TOO_HIGH, 'RiskScoreTooHigh');
    const limit = await w.reader.readContract({ address: w.modules.MaxRiskScoreModule, abi: maxRiskScoreModuleAbi, functionName: 'getRiskLimit', args: [w.compliance] });
    assert.deepEqual([limit[1], limit[2]], [50, false]);
  });

  test('allowUnscored lets unscored parties through; mints check the receiver only', async () => {
    await bindRisk(30, true);
    await allowed(w.bob.address, 1n);
    await score(w.carol.identity, 31);
    await expectRevert(w.tokenSim('mint', [w.carol.address, 1n]), 'RiskScoreTooHigh');
    await w.tokenWrite('mint', [w.bob.address, 1n]);
  });
});

describe('identity changes apply at once', () => {
  test('removing the trusted issuer makes the next transfer fail (SenderNotVerified, 7)', async () => {
    await allowed(w.bob.address, 1n);
    await write(w.admin, w.reader, { address: w.stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [w.issuer] });
    await refused(w.bob.address, 1n, TransferRefusal.SENDER_NOT_VERIFIED, 'SenderNotVerified');
    await expectRevert(w.tokenSim('mint', [w.bob.address, 1n]), 'ReceiverNotVerified');
  });

  test('an expired claim fails the transfer after evm_increaseTime; only the expired party is named', async () => {
    // dave's KYC claim expires in one hour.
    const dave = w.spare[1];
    const predicted = await predictOnboardedIdentity(w.reader, w.onboarding, dave.address);
    const claim = await w.claim(predicted, 1n, { expiresAt: (await w.chain.now()) + 3600n });
    await onboard(w.admin, w.reader, w.onboarding, { investor: dave.address, country: Country.FR, claims: [claim] });
    await allowed(dave.address, 10n);
    await w.chain.travel(3601);
    await refused(dave.address, 1n, TransferRefusal.RECEIVER_NOT_VERIFIED, 'ReceiverNotVerified');
    const daveWallet = w.spareWallets[1];
    assert.equal(await reason(dave.address, w.bob.address, 1n), TransferRefusal.SENDER_NOT_VERIFIED);
    await expectRevert(w.tokenSim('transfer', [w.bob.address, 1n], daveWallet), 'SenderNotVerified');
    // Alice's one-year claim is still fine.
    await allowed(w.bob.address, 1n);
  });
});
