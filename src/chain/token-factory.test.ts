// TokenFactory on anvil: one transaction deploys and wires a whole suite (clones), relayed for an owner who signs;
// every refusal of the factory; templates and clones cannot be initialised twice; the suite works end to end.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex, encodeFunctionData, keccak256, parseEventLogs, toHex, zeroAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { expectRevert, addrEq } from './testkit.js';
import { ClaimTopic, KeyPurpose, ECDSA_KEY_TYPE, walletKey, isVerified, deployContract, write } from './identity.js';
import { Role } from './roles.js';
import { deploySuite, deployTokenFactory, predictSuite, signCall, suiteArgs, suiteErrors, suiteTypedData, type SuiteParams } from './suite.js';
import { setupSuiteWorld, suiteAbis, SALT, type SuiteWorld } from './suite-fixture.js';
import { Country } from './token-fixture.js';
import {
  identityAbi, identityFactoryAbi, identityRegistryAbi, identityRegistryBytecode, identityRegistryStorageAbi, modularComplianceAbi, tokenFactoryAbi,
  tokenFactoryBytecode, countryRestrictModuleAbi, permissionedTokenAbi, claimTopicsRegistryAbi,
} from './artifacts/index.js';

let w: SuiteWorld;
let snapshot: Hex;
before(async () => { w = await setupSuiteWorld(); });
after(async () => { await w?.chain.stop(); });
beforeEach(async () => { snapshot = await w.chain.snapshot(); });
afterEach(async () => { await w.chain.revert(snapshot); });

const factoryAbi = [...tokenFactoryAbi, ...suiteErrors()] as unknown as typeof tokenFactoryAbi;

/** A fresh owner's suite with its own storage, authorized by the owner's signature. */
async function ownSuite(over: Partial<SuiteParams> = {}) {
  const owner = privateKeyToAccount(generatePrivateKey());
  const params: SuiteParams = {
    owner: owner.address, salt: keccak256(toHex('own')), name: 'Own', symbol: 'OWN', decimals: 2,
    claimTopics: [ClaimTopic.KYC], issuers: [{ issuer: w.issuer, topics: [ClaimTopic.KYC] }], modules: [], agents: [], ...over,
  };
  const deadline = (await w.chain.now()) + 600n;
  const signature = await owner.signTypedData(suiteTypedData({ chainId: w.chain.chainId, factory: w.factory, params, deadline }));
  return { owner, params, authorization: { deadline, signature } };
}

function simulateDeploy(params: SuiteParams, authorization = { deadline: 0n, signature: '0x' as Hex }, binding = { nonce: 0n, deadline: 0n, signature: '0x' as Hex }) {
  return w.reader.simulateContract({
    address: w.factory, abi: factoryAbi, functionName: 'deploySuite', args: [suiteArgs(params), authorization, binding], account: w.relayer.account,
  });
}

describe('deploySuite', () => {
  test('one relayed transaction wires the whole suite; the owner owns everything, the relayer and factory nothing', async () => {
    const s = w.suite;
    const predicted = await predictSuite(w.reader, w.factory, { owner: w.owner.address, salt: SALT, ownStorage: false, createOnchainID: true });
    assert.deepEqual({ ...predicted, identityRegistryStorage: s.identityRegistryStorage }, s);
    assert.ok(addrEq(s.identityRegistryStorage, w.stack.identityRegistryStorage), 'bound to the shared storage');
    for (const c of ['token', 'identityRegistry', 'compliance', 'trustedIssuersRegistry', 'claimTopicsRegistry'] as const) {
      assert.ok(addrEq(await w.read<Address>(c, 'owner'), w.owner.address), `${c} owner`);
      for (const nobody of [w.relayer.account.address, w.factory]) assert.equal(await w.read(c, 'rolesOf', [nobody]), 0n, `${c}: ${nobody} holds nothing`);
    }
    assert.equal(await w.read('token', 'name'), 'Masque Fund I');
    assert.equal(await w.read('token', 'decimals'), 0);
    assert.ok(addrEq(await w.read('token', 'identityRegistry'), s.identityRegistry));
    assert.ok(addrEq(await w.read('token', 'compliance'), s.compliance));
    assert.ok(addrEq(await w.read('compliance', 'getTokenBound'), s.token));
    assert.deepEqual(await w.read('compliance', 'getModules'), [w.modules.CountryRestrictModule]);
    assert.equal(await w.reader.readContract({ address: w.modules.CountryRestrictModule, abi: countryRestrictModuleAbi, functionName: 'isCountryRestricted', args: [s.compliance, Country.US] }), true);
    assert.deepEqual(await w.read('claimTopicsRegistry', 'getClaimTopics'), [ClaimTopic.KYC]);
    assert.deepEqual(await w.read('trustedIssuersRegistry', 'getTrustedIssuerClaimTopics', [w.issuer]), [ClaimTopic.KYC, ClaimTopic.AML]);
    assert.ok(addrEq(await w.read('identityRegistry', 'identityStorage'), s.identityRegistryStorage));
    assert.ok(addrEq(await w.read('identityRegistry', 'topicsRegistry'), s.claimTopicsRegistry));
    assert.ok(addrEq(await w.read('identityRegistry', 'issuersRegistry'), s.trustedIssuersRegistry));
    // Recovery moves registry entries: the token is a whitelist manager of its registry.
    assert.equal(await w.read('identityRegistry', 'rolesOf', [s.token]), Role.WHITELIST_MANAGER);
    // Each agent got its role on the contract that checks it, and nowhere else.
    for (const [name, holder] of Object.entries(w.holders)) {
      const role = Role[name as keyof typeof Role];
      let found = 0;
      // The identity registry is also the suite's trusted issuers and claim topics registry: one contract, counted once.
      assert.ok(addrEq(s.trustedIssuersRegistry, s.identityRegistry) && addrEq(s.claimTopicsRegistry, s.identityRegistry));
      for (const c of ['token', 'identityRegistry', 'compliance'] as const) {
        const roles = await w.read<bigint>(c, 'rolesOf', [holder.address]);
        if (roles !== 0n) { assert.equal(roles, role, `${name} on ${c}`); found++; }
      }
      assert.equal(found, 1, `${name} lives on one contract`);
    }
    // The token's identity, managed by the owner.
    assert.ok(addrEq(await w.read('token', 'onchainID'), s.onchainID));
    assert.equal(await w.reader.readContract({ address: s.onchainID, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(w.owner.address), KeyPurpose.MANAGEMENT] }), true);
    // Investors registered in the shared storage are verified by the new registry at once.
    assert.equal(await isVerified(w.reader, s.identityRegistry, w.alice.address), true);
    assert.ok((await w.reader.readContract({ address: w.stack.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'linkedIdentityRegistries' })).some((r) => addrEq(r, s.identityRegistry)));
  });

  test('the event names every contract; gas is measured by the bench', async () => {
    const { params, authorization } = await ownSuite({ createOnchainID: true });
    const { receipt, suite } = await deploySuite(w.relayer, w.reader, w.factory, params, { authorization });
    const [ev] = parseEventLogs({ abi: tokenFactoryAbi, logs: receipt.logs, eventName: 'SuiteDeployed' });
    assert.ok(addrEq(ev!.args.token, suite.token) && addrEq(ev!.args.identityRegistryStorage, suite.identityRegistryStorage) && addrEq(ev!.args.onchainID, suite.onchainID));
    assert.ok(addrEq(ev!.args.owner, params.owner));
    // Its own storage: the new registry itself (owned by the owner), nothing bound to it.
    assert.ok(addrEq(suite.identityRegistryStorage, suite.identityRegistry));
    assert.ok(addrEq(await w.reader.readContract({ address: suite.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'owner' }), params.owner));
    assert.deepEqual(await w.reader.readContract({ address: suite.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'linkedIdentityRegistries' }), []);
    assert.ok(receipt.gasUsed < 3_000_000n, `suite deployment ${receipt.gasUsed} gas`);
  });

  test('the owner may deploy directly without a signature', async () => {
    const params: SuiteParams = {
      owner: w.admin.account.address, salt: keccak256(toHex('direct')), name: 'D', symbol: 'D', decimals: 0,
      claimTopics: [], issuers: [], modules: [], agents: [{ account: w.bob.address, roles: Role.SUPPLY_MODIFIER | Role.WHITELIST_MANAGER }],
    };
    const { suite } = await deploySuite(w.admin, w.reader, w.factory, params);
    assert.equal(await w.reader.readContract({ address: suite.token, abi: permissionedTokenAbi, functionName: 'rolesOf', args: [w.bob.address] }), Role.SUPPLY_MODIFIER);
    assert.equal(await w.reader.readContract({ address: suite.identityRegistry, abi: identityRegistryAbi, functionName: 'rolesOf', args: [w.bob.address] }), Role.WHITELIST_MANAGER | 0n);
  });

  test('refusals: someone else\'s signature, tampered params, expired, replayed salt, unknown roles', async () => {
    const { params, authorization } = await ownSuite();
    const intruder = privateKeyToAccount(generatePrivateKey());
    const bad = { ...authorization, signature: await intruder.signTypedData(suiteTypedData({ chainId: w.chain.chainId, factory: w.factory, params, deadline: authorization.deadline })) };
    await expectRevert(simulateDeploy(params, bad), 'UnauthorizedDeployment', [intruder.address]);
    // The owner's signature does not cover different agents (someone adding itself as supply modifier).
    const tampered = { ...params, agents: [{ account: intruder.address, roles: Role.SUPPLY_MODIFIER }] };
    const err = await simulateDeploy(tampered, authorization).catch((e) => e);
    assert.match(String(err), /UnauthorizedDeployment/);
    await expectRevert(simulateDeploy(params, { ...authorization, signature: '0x1234' }), 'UnauthorizedDeployment', [zeroAddress]);
    await expectRevert(simulateDeploy(params), 'AuthorizationExpired', [0n]);
    await w.chain.travel(601);
    await expectRevert(simulateDeploy(params, authorization), 'AuthorizationExpired', [authorization.deadline]);
    const fresh = await ownSuite({ salt: params.salt });
    await deploySuite(w.relayer, w.reader, w.factory, fresh.params, { authorization: fresh.authorization });
    const replay = { ...fresh.params };
    const deadline = (await w.chain.now()) + 600n;
    const sig = await fresh.owner.signTypedData(suiteTypedData({ chainId: w.chain.chainId, factory: w.factory, params: replay, deadline }));
    const predicted = await predictSuite(w.reader, w.factory, { owner: fresh.owner.address, salt: params.salt, ownStorage: true, createOnchainID: false });
    await expectRevert(simulateDeploy(replay, { deadline, signature: sig }), 'SuiteAlreadyDeployed', [predicted.token]);
    const unknown = await ownSuite({ agents: [{ account: w.bob.address, roles: Role.AGENT }] });
    await expectRevert(simulateDeploy(unknown.params, unknown.authorization), 'UnknownRoles', [w.bob.address, Role.AGENT]);
    const none = await ownSuite({ agents: [{ account: w.bob.address, roles: 0n }] });
    await expectRevert(simulateDeploy(none.params, none.authorization), 'UnknownRoles', [w.bob.address, 0n]);
  });

  test('a shared storage needs its owner\'s signed binding of the predicted registry', async () => {
    const { params, authorization } = await ownSuite({ identityRegistryStorage: w.stack.identityRegistryStorage });
    await expectRevert(simulateDeploy(params, authorization), 'StorageBindingMissing');
    // Signed by someone who does not own the storage: the storage itself refuses.
    const predicted = await predictSuite(w.reader, w.factory, { owner: params.owner, salt: params.salt, ownStorage: false, createOnchainID: false });
    const data = encodeFunctionData({ abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [predicted.identityRegistry] });
    const deadline = (await w.chain.now()) + 600n;
    const notOwner = await signCall(w.chain.accounts[2], { chainId: w.chain.chainId, contract: w.stack.identityRegistryStorage, data, deadline });
    await expectRevert(simulateDeploy(params, authorization, notOwner), 'OwnableUnauthorizedAccount', [w.chain.accounts[2].address]);
    // A binding of another registry address cannot be used either (the calldata is fixed by the factory).
    const other = await signCall(w.chain.accounts[0], { chainId: w.chain.chainId, contract: w.stack.identityRegistryStorage, deadline,
      data: encodeFunctionData({ abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [w.bob.address] }) });
    const err = await simulateDeploy(params, authorization, other).catch((e) => e);
    assert.match(String(err), /OwnableUnauthorizedAccount/, 'recovers to another signer');
    const good = await signCall(w.chain.accounts[0], { chainId: w.chain.chainId, contract: w.stack.identityRegistryStorage, data, deadline });
    const { suite } = await deploySuite(w.relayer, w.reader, w.factory, params, { authorization, binding: good });
    assert.equal(await isVerified(w.reader, suite.identityRegistry, w.bob.address), true);
  });

  test('a token identity someone deployed first at the predicted address is reused', async () => {
    const { params, authorization } = await ownSuite({ createOnchainID: true });
    const predicted = await predictSuite(w.reader, w.factory, { owner: params.owner, salt: params.salt, ownStorage: true, createOnchainID: true });
    await write(w.bob.wallet, w.reader, { address: w.stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentity', args: [params.owner, `0x${predicted.token.slice(2).padStart(64, '0')}` as Hex] });
    const { suite } = await deploySuite(w.relayer, w.reader, w.factory, params, { authorization });
    assert.ok(addrEq(suite.onchainID, predicted.onchainID));
  });
});

describe('templates and clones', () => {
  test('templates have no owner and cannot be initialised; clones cannot be initialised twice', async () => {
    const t = await w.reader.readContract({ address: w.factory, abi: tokenFactoryAbi, functionName: 'templates' });
    for (const [name, address] of Object.entries(t)) {
      if (name === 'identityFactory') continue;
      const abi = name === 'token' ? permissionedTokenAbi : name === 'compliance' ? modularComplianceAbi : identityRegistryAbi;
      assert.equal(await w.reader.readContract({ address, abi, functionName: 'owner' } as never), zeroAddress, `${name} template has no owner`);
    }
    const me = w.admin.account.address;
    const registryInit = [me, zeroAddress, [], [], [], [], []];
    const attempts: [Address, typeof permissionedTokenAbi | typeof identityRegistryAbi, string, unknown[]][] = [
      [t.token, permissionedTokenAbi, 'initialize', [me, { name: 'x', symbol: 'x', decimals: 0, identityRegistry: me, compliance: me, onchainID: me }, [], []]],
      [w.suite.token, permissionedTokenAbi, 'initialize', [me, { name: 'x', symbol: 'x', decimals: 0, identityRegistry: me, compliance: me, onchainID: me }, [], []]],
      [t.identityRegistry, identityRegistryAbi, 'initialize', registryInit],
      [w.suite.identityRegistry, identityRegistryAbi, 'initialize', registryInit],
      // A directly deployed contract is no clone either.
      [w.stack.identityRegistry, identityRegistryAbi, 'initialize', registryInit],
    ];
    for (const [address, abi, fn, args] of attempts) {
      await expectRevert(w.reader.simulateContract({ address, abi: [...abi, ...suiteErrors()], functionName: fn, args, account: w.admin.account } as never), 'AlreadyInitialized');
    }
    // Renouncing ownership does not reopen initialisation.
    await w.signed(w.owner, 'identityRegistry', 'renounceOwnership', []);
    await expectRevert(w.reader.simulateContract({ address: w.suite.identityRegistry, abi: [...identityRegistryAbi, ...suiteErrors()], functionName: 'initialize', args: registryInit, account: w.admin.account } as never), 'AlreadyInitialized');
  });

  test('the factory refuses an identity registry template that does not know the identity factory\'s clones', async () => {
    const t = await w.reader.readContract({ address: w.factory, abi: tokenFactoryAbi, functionName: 'templates' });
    const foreign = await deployContract(w.admin, w.reader, { abi: identityRegistryAbi, bytecode: identityRegistryBytecode }, [zeroAddress, zeroAddress, zeroAddress, zeroAddress, w.bob.address]);
    await expectRevert(deployContract(w.admin, w.reader, { abi: tokenFactoryAbi, bytecode: tokenFactoryBytecode }, [{ ...t, identityRegistry: foreign }]), 'IdentityImplementationMismatch');
    await expectRevert(deployContract(w.admin, w.reader, { abi: tokenFactoryAbi, bytecode: tokenFactoryBytecode }, [{ ...t, token: zeroAddress }]), 'ZeroAddress');
  });

  test('deployTokenFactory is repeatable and its suites verify through the clone fast path', async () => {
    const f2 = await deployTokenFactory(w.admin, w.reader, { identityFactory: w.stack.identityFactory });
    assert.notEqual(f2, w.factory);
    const t = await w.reader.readContract({ address: f2, abi: tokenFactoryAbi, functionName: 'templates' });
    assert.ok(addrEq(t.identityFactory, w.stack.identityFactory));
  });
});

describe('a factory suite end to end, every write signed and relayed', () => {
  test('mint, transfer by a holder\'s signature, freeze, forced transfer, compliance refusal, recovery', async () => {
    const h = w.holders;
    await w.signed(h.SUPPLY_MODIFIER, 'token', 'mint', [w.alice.address, 100n]);
    // The holder signs its transfer; the relayer pays.
    const { receipt } = await w.signed(holderKey(w, 2), 'token', 'transfer', [w.bob.address, 30n]);
    assert.equal(parseEventLogs({ abi: permissionedTokenAbi, logs: receipt.logs, eventName: 'Transfer' })[0]!.args.from, w.alice.address);
    assert.equal(await w.read('token', 'balanceOf', [w.bob.address]), 30n);
    // Carol is American: the country restriction set at deployment refuses her.
    await expectRevert(w.signedSim(holderKey(w, 2), 'token', 'transfer', [w.carol.address, 1n]), 'CountryRestricted');
    await w.signed(h.FREEZER, 'token', 'freezePartialTokens', [w.alice.address, 60n]);
    await expectRevert(w.signedSim(holderKey(w, 2), 'token', 'transfer', [w.bob.address, 11n]), 'InsufficientUnfrozenBalance');
    await w.signed(h.TRANSFER_MANAGER, 'token', 'forcedTransfer', [w.alice.address, w.bob.address, 70n]);
    assert.equal(await w.read('token', 'getFrozenTokens', [w.alice.address]), 0n);
    // Recovery: bob's new wallet is a management key of his identity.
    const fresh = w.spare[1].address;
    await write(w.bob.wallet, w.reader, { address: w.bob.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(fresh), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE] });
    await w.signed(h.RECOVERY_AGENT, 'token', 'recoveryAddress', [w.bob.address, fresh, w.bob.identity]);
    assert.equal(await w.read('token', 'balanceOf', [fresh]), 100n);
    assert.equal(await w.read('token', 'balanceOf', [w.bob.address]), 0n);
    assert.equal(await isVerified(w.reader, w.suite.identityRegistry, fresh), true);
  });
});

/** The token world's HD accounts sign typed data like any local account. */
function holderKey(world: SuiteWorld, index: number) {
  return world.chain.accounts[index] as unknown as ReturnType<typeof privateKeyToAccount>;
}
