// Roles of a factory suite on anvil: every role unlocks its functions for its holder (by a signed call the relayer
// pays for) and for nobody else (MissingRole names the account and the role); role management is the owner's; the
// signed-call entry point refuses expired, malformed, high-s and replayed signatures.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex, encodeFunctionData, hashTypedData, parseEventLogs, zeroAddress } from 'viem';
import { expectRevert } from './testkit.js';
import { ClaimTopic, KeyPurpose, ECDSA_KEY_TYPE, deployContract, walletKey, write } from './identity.js';
import { Role, SUITE_ROLES, roleHome, signedCallTypedData, type SuiteContract } from './roles.js';
import { signCall, suiteErrors } from './suite.js';
import { moduleCall } from './token.js';
import { setupSuiteWorld, suiteAbis, type SuiteRole, type SuiteWorld } from './suite-fixture.js';
import { Country } from './token-fixture.js';
import { claimTopicsRegistryAbi, claimTopicsRegistryBytecode, identityAbi } from './artifacts/index.js';

let w: SuiteWorld;
let snapshot: Hex;
before(async () => { w = await setupSuiteWorld(); });
after(async () => { await w?.chain.stop(); });
beforeEach(async () => { snapshot = await w.chain.snapshot(); });
afterEach(async () => { await w.chain.revert(snapshot); });

type Call = [SuiteContract, string, () => readonly unknown[]];
const NEW_WALLETS: Address[] = ['0x00000000000000000000000000000000000a11ce', '0x0000000000000000000000000000000000000b0b'];

/** Every function each role unlocks, with arguments valid right after `prepare` (mint, freeze, pause first). */
function callsOf(role: SuiteRole): Call[] {
  const a = w.alice.address;
  const b = w.bob.address;
  const restrict = () => [moduleCall('CountryRestrictModule', 'addCountryRestriction', [Country.FR]), w.modules.CountryRestrictModule];
  switch (role) {
    case 'SUPPLY_MODIFIER': return [['token', 'mint', () => [a, 5n]], ['token', 'batchMint', () => [[a, b], [1n, 1n]]], ['token', 'burn', () => [a, 1n]], ['token', 'batchBurn', () => [[a], [1n]]]];
    case 'FREEZER': return [['token', 'setAddressFrozen', () => [a, true]], ['token', 'batchSetAddressFrozen', () => [[a], [false]]],
      ['token', 'freezePartialTokens', () => [a, 2n]], ['token', 'batchFreezePartialTokens', () => [[a], [1n]]], ['token', 'unfreezePartialTokens', () => [a, 1n]],
      ['token', 'batchUnfreezePartialTokens', () => [[a], [1n]]], ['token', 'pause', () => []], ['token', 'unpause', () => []]];
    case 'TRANSFER_MANAGER': return [['token', 'forcedTransfer', () => [a, b, 1n]], ['token', 'batchForcedTransfer', () => [[a], [b], [1n]]]];
    case 'RECOVERY_AGENT': return [['token', 'recoveryAddress', () => [a, w.spare[2].address, w.alice.identity]]];
    case 'TOKEN_INFO_SETTER': return [['token', 'setName', () => ['Renamed']], ['token', 'setSymbol', () => ['RN']], ['token', 'setOnchainID', () => [w.alice.identity]]];
    case 'WHITELIST_MANAGER': return [['identityRegistry', 'registerIdentity', () => [NEW_WALLETS[0], w.carol.identity, Country.DE]],
      ['identityRegistry', 'batchRegisterIdentity', () => [[NEW_WALLETS[1]], [w.carol.identity], [Country.DE]]],
      ['identityRegistry', 'updateCountry', () => [NEW_WALLETS[0], Country.FR]], ['identityRegistry', 'updateIdentity', () => [NEW_WALLETS[0], w.bob.identity]],
      ['identityRegistry', 'deleteIdentity', () => [NEW_WALLETS[0]]]];
    case 'REGISTRY_SETTER': return [['identityRegistry', 'setClaimTopicsRegistry', () => [w.suite.claimTopicsRegistry]],
      ['identityRegistry', 'setTrustedIssuersRegistry', () => [w.suite.trustedIssuersRegistry]],
      ['identityRegistry', 'setIdentityRegistryStorage', () => [w.suite.identityRegistryStorage]], ['identityRegistry', 'setZkComplianceGate', () => [zeroAddress]]];
    case 'COMPLIANCE_AGENT': return [['compliance', 'callModuleFunction', restrict]];
    case 'COMPLIANCE_SETTER': return [['compliance', 'addModule', () => [w.modules.CountryAllowModule]], ['compliance', 'callModuleFunction', restrict],
      ['compliance', 'removeModule', () => [w.modules.CountryAllowModule]]];
    case 'ISSUERS_SETTER': return [['trustedIssuersRegistry', 'updateIssuerClaimTopics', () => [w.issuer, [ClaimTopic.KYC]]],
      ['trustedIssuersRegistry', 'removeTrustedIssuer', () => [w.issuer]], ['trustedIssuersRegistry', 'addTrustedIssuer', () => [w.issuer, [ClaimTopic.KYC]]]];
    case 'CLAIM_TOPICS_SETTER': return [['claimTopicsRegistry', 'addClaimTopic', () => [ClaimTopic.AML]], ['claimTopicsRegistry', 'removeClaimTopic', () => [ClaimTopic.AML]]];
  }
}

const OWNER_ROLES: SuiteRole[] = ['REGISTRY_SETTER', 'COMPLIANCE_SETTER', 'ISSUERS_SETTER', 'CLAIM_TOPICS_SETTER', 'TOKEN_INFO_SETTER'];
/** The role a function's MissingRole names (callModuleFunction accepts either compliance role). */
const required = (role: SuiteRole, fn: string) => (fn === 'callModuleFunction' ? Role.COMPLIANCE_SETTER | Role.COMPLIANCE_AGENT : Role[role]);

describe('every role', () => {
  for (const role of SUITE_ROLES) {
    test(`${role}: its holder runs every function it unlocks; everybody else is refused, naming the role`, async () => {
      await w.signed(w.holders.SUPPLY_MODIFIER, 'token', 'mint', [w.alice.address, 10n]);
      if (role === 'RECOVERY_AGENT') {
        await write(w.alice.wallet, w.reader, { address: w.alice.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(w.spare[2].address), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE] });
      }
      const others = [...SUITE_ROLES.filter((r) => r !== role && !(r.startsWith('COMPLIANCE') && role.startsWith('COMPLIANCE'))).map((r) => w.holders[r]), w.stranger];
      for (const [contract, fn, args] of callsOf(role)) {
        for (const other of others) {
          await expectRevert(w.signedSim(other, contract, fn, args()), 'MissingRole', [other.address, required(role, fn)]);
        }
        // The relayer, which pays for every call, holds no role either.
        await expectRevert(w.reader.simulateContract({ address: w.suite[contract], abi: [...suiteAbis[contract], ...suiteErrors()], functionName: fn, args: args(), account: w.relayer.account } as never),
          'MissingRole', [w.relayer.account.address, required(role, fn)]);
        const { receipt } = await w.signed(w.holders[role], contract, fn, args());
        assert.equal(receipt.status, 'success', `${role} ${fn}`);
      }
    });
  }

  test('owner roles are the owner\'s too; agent roles are not (the owner grants them, as in T-REX)', async () => {
    for (const role of OWNER_ROLES) {
      const [contract, fn, args] = callsOf(role)[0];
      await w.signed(w.owner, contract, fn, args());
    }
    await expectRevert(w.signedSim(w.owner, 'token', 'mint', [w.alice.address, 1n]), 'MissingRole', [w.owner.address, Role.SUPPLY_MODIFIER]);
    await expectRevert(w.signedSim(w.owner, 'identityRegistry', 'deleteIdentity', [w.alice.address]), 'MissingRole', [w.owner.address, Role.WHITELIST_MANAGER]);
    // Replacing the token's registry or compliance, and role management, stay with the owner alone.
    for (const role of SUITE_ROLES) {
      await expectRevert(w.signedSim(w.holders[role], 'token', 'setCompliance', [w.suite.compliance]), 'OwnableUnauthorizedAccount', [w.holders[role].address]);
      await expectRevert(w.signedSim(w.holders[role], roleHome[role], 'grantRoles', [w.stranger.address, Role[role]]), 'OwnableUnauthorizedAccount', [w.holders[role].address]);
    }
  });

  test('a compliance agent configures the bound modules but cannot bind or unbind one', async () => {
    const agent = w.holders.COMPLIANCE_AGENT;
    await w.signed(agent, 'compliance', 'callModuleFunction', [moduleCall('CountryRestrictModule', 'addCountryRestriction', [Country.DE]), w.modules.CountryRestrictModule]);
    await expectRevert(w.signedSim(agent, 'compliance', 'addModule', [w.modules.CountryAllowModule]), 'MissingRole', [agent.address, Role.COMPLIANCE_SETTER]);
    await expectRevert(w.signedSim(agent, 'compliance', 'removeModule', [w.modules.CountryRestrictModule]), 'MissingRole', [agent.address, Role.COMPLIANCE_SETTER]);
  });
});

describe('role management', () => {
  test('the owner grants and revokes roles by signed calls; a revoked role stops at once', async () => {
    const x = w.stranger;
    const { receipt } = await w.signed(w.owner, 'token', 'grantRoles', [x.address, Role.SUPPLY_MODIFIER | Role.FREEZER]);
    const names = parseEventLogs({ abi: suiteAbis.token, logs: receipt.logs }).map((l) => l.eventName);
    assert.deepEqual(names.filter((n) => n !== 'SignedCallExecuted'), ['RolesGranted', 'AgentAdded']);
    assert.equal(await w.read('token', 'rolesOf', [x.address]), Role.SUPPLY_MODIFIER | Role.FREEZER);
    assert.equal(await w.read('token', 'isAgent', [x.address]), true);
    assert.equal(await w.read('token', 'hasRoles', [x.address, Role.FREEZER]), true);
    await w.signed(x, 'token', 'mint', [w.alice.address, 1n]);
    const rev = await w.signed(w.owner, 'token', 'revokeRoles', [x.address, Role.SUPPLY_MODIFIER]);
    assert.deepEqual(parseEventLogs({ abi: suiteAbis.token, logs: rev.receipt.logs, eventName: 'RolesRevoked' })[0]!.args, { account: x.address, roles: Role.SUPPLY_MODIFIER });
    await expectRevert(w.signedSim(x, 'token', 'mint', [w.alice.address, 1n]), 'MissingRole', [x.address, Role.SUPPLY_MODIFIER]);
    await w.signed(x, 'token', 'pause', []);
    const last = await w.signed(w.owner, 'token', 'revokeRoles', [x.address, Role.FREEZER]);
    assert.ok(parseEventLogs({ abi: suiteAbis.token, logs: last.receipt.logs, eventName: 'AgentRemoved' }).length === 1);
    assert.equal(await w.read('token', 'isAgent', [x.address]), false);
  });

  test('refusals: roles of another contract, none, not held, zero account, duplicate and unknown agents', async () => {
    const x = w.stranger.address;
    await expectRevert(w.signedSim(w.owner, 'token', 'grantRoles', [x, Role.WHITELIST_MANAGER | Role.FREEZER]), 'RolesNotSupported', [Role.WHITELIST_MANAGER]);
    await expectRevert(w.signedSim(w.owner, 'identityRegistry', 'grantRoles', [x, Role.SUPPLY_MODIFIER]), 'RolesNotSupported', [Role.SUPPLY_MODIFIER]);
    await expectRevert(w.signedSim(w.owner, 'token', 'grantRoles', [x, 0n]), 'NoRoles');
    await expectRevert(w.signedSim(w.owner, 'token', 'grantRoles', [zeroAddress, Role.FREEZER]), 'ZeroAddress');
    await expectRevert(w.signedSim(w.owner, 'token', 'revokeRoles', [x, Role.FREEZER]), 'RolesNotHeld', [x, Role.FREEZER]);
    await expectRevert(w.signedSim(w.owner, 'token', 'removeAgent', [x]), 'AgentNotFound', [x]);
    await w.signed(w.owner, 'token', 'addAgent', [x]);
    assert.equal(await w.read('token', 'rolesOf', [x]), Role.SUPPLY_MODIFIER | Role.FREEZER | Role.TRANSFER_MANAGER | Role.RECOVERY_AGENT);
    await expectRevert(w.signedSim(w.owner, 'token', 'addAgent', [x]), 'AgentAlreadyAdded', [x]);
    // A contract without agent roles (a standalone ClaimTopicsRegistry): addAgent has nothing to grant.
    const topics = await deployContract(w.admin, w.reader, { abi: claimTopicsRegistryAbi, bytecode: claimTopicsRegistryBytecode }, [w.admin.account.address]);
    await expectRevert(write(w.admin, w.reader, { address: topics, abi: claimTopicsRegistryAbi, functionName: 'addAgent', args: [x] }), 'NoRoles');
    assert.deepEqual(await w.read('token', 'supportedRoles'), [Role.SUPPLY_MODIFIER | Role.FREEZER | Role.TRANSFER_MANAGER | Role.RECOVERY_AGENT, Role.TOKEN_INFO_SETTER]);
    assert.deepEqual(await w.read('compliance', 'supportedRoles'), [Role.COMPLIANCE_AGENT, Role.COMPLIANCE_SETTER]);
    // The identity registry is also the suite's trusted issuers and claim topics registry.
    assert.deepEqual(await w.read('identityRegistry', 'supportedRoles'), [Role.WHITELIST_MANAGER, Role.REGISTRY_SETTER | Role.ISSUERS_SETTER | Role.CLAIM_TOPICS_SETTER]);
  });

  test('ownership moves in two steps, both signed', async () => {
    await w.signed(w.owner, 'token', 'transferOwnership', [w.stranger.address]);
    assert.equal(await w.read('token', 'owner'), w.owner.address);
    await expectRevert(w.signedSim(w.holders.FREEZER, 'token', 'acceptOwnership', []), 'OwnableUnauthorizedAccount', [w.holders.FREEZER.address]);
    await w.signed(w.stranger, 'token', 'acceptOwnership', []);
    assert.equal(await w.read('token', 'owner'), w.stranger.address);
    await expectRevert(w.signedSim(w.owner, 'token', 'grantRoles', [w.owner.address, Role.FREEZER]), 'OwnableUnauthorizedAccount', [w.owner.address]);
  });
});

describe('signed calls', () => {
  const mintData = () => encodeFunctionData({ abi: suiteAbis.token, functionName: 'mint', args: [w.alice.address, 1n] } as never);
  const execute = (data: Hex, nonce: bigint, deadline: bigint, signature: Hex) => w.reader.simulateContract({
    address: w.suite.token, abi: [...suiteAbis.token, ...suiteErrors()], functionName: 'executeSigned', args: [data, nonce, deadline, signature], account: w.relayer.account,
  } as never);

  test('the digest is EIP-712 SignedCall; the event names signer, nonce and selector; the nonce is spent once', async () => {
    const data = mintData();
    const deadline = (await w.chain.now()) + 600n;
    const onChain = await w.read('token', 'signedCallDigest', [data, 7n, deadline]);
    assert.equal(onChain, hashTypedData(signedCallTypedData({ chainId: w.chain.chainId, contract: w.suite.token, data, nonce: 7n, deadline })));
    const s = await signCall(w.holders.SUPPLY_MODIFIER, { chainId: w.chain.chainId, contract: w.suite.token, data, deadline, nonce: 7n });
    const { receipt } = await write(w.relayer, w.reader, { address: w.suite.token, abi: suiteAbis.token, functionName: 'executeSigned' as never, args: [data, s.nonce, s.deadline, s.signature] as never });
    const [ev] = parseEventLogs({ abi: suiteAbis.token, logs: receipt.logs, eventName: 'SignedCallExecuted' }) as unknown as { args: { signer: Address; nonce: bigint; selector: Hex } }[];
    assert.deepEqual(ev.args, { signer: w.holders.SUPPLY_MODIFIER.address, nonce: 7n, selector: data.slice(0, 10) });
    assert.equal(await w.read('token', 'isSignedNonceUsed', [7n]), true);
    await expectRevert(execute(data, s.nonce, s.deadline, s.signature), 'SignedNonceUsed', [7n]);
  });

  test('expired, malformed, high-s, bad v and foreign signatures are refused; a failing call leaves its nonce unspent', async () => {
    const data = mintData();
    const now = await w.chain.now();
    const s = await signCall(w.holders.SUPPLY_MODIFIER, { chainId: w.chain.chainId, contract: w.suite.token, data, deadline: now - 1n });
    await expectRevert(execute(data, s.nonce, s.deadline, s.signature), 'SignatureExpired', [now - 1n]);
    const ok = await signCall(w.holders.SUPPLY_MODIFIER, { chainId: w.chain.chainId, contract: w.suite.token, data, deadline: now + 600n });
    await expectRevert(execute(data, ok.nonce, ok.deadline, ok.signature.slice(0, 130) as Hex), 'InvalidExecutionSignature');
    // The malleated twin (n - s, flipped v) recovers the same signer: refused.
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    const r = ok.signature.slice(2, 66);
    const sHigh = (n - BigInt(`0x${ok.signature.slice(66, 130)}`)).toString(16).padStart(64, '0');
    const v = parseInt(ok.signature.slice(130, 132), 16) === 27 ? '1c' : '1b';
    await expectRevert(execute(data, ok.nonce, ok.deadline, `0x${r}${sHigh}${v}`), 'InvalidExecutionSignature');
    await expectRevert(execute(data, ok.nonce, ok.deadline, `${ok.signature.slice(0, 130)}1d` as Hex), 'InvalidExecutionSignature');
    // Signed for another contract (the registry): here it recovers to some other address, which holds no role.
    const foreign = await signCall(w.holders.SUPPLY_MODIFIER, { chainId: w.chain.chainId, contract: w.suite.identityRegistry, data, deadline: now + 600n });
    const err = await execute(data, foreign.nonce, foreign.deadline, foreign.signature).catch((e) => e);
    assert.match(String(err), /MissingRole/);
    // Tampered calldata: another signer recovered, refused.
    const more = encodeFunctionData({ abi: suiteAbis.token, functionName: 'mint', args: [w.alice.address, 1000n] } as never);
    assert.match(String(await execute(more, ok.nonce, ok.deadline, ok.signature).catch((e) => e)), /MissingRole/);
    // A call that reverts (nobody verified at the zero address) keeps its nonce.
    const bad = encodeFunctionData({ abi: suiteAbis.token, functionName: 'mint', args: [zeroAddress, 1n] } as never);
    const sb = await signCall(w.holders.SUPPLY_MODIFIER, { chainId: w.chain.chainId, contract: w.suite.token, data: bad, deadline: now + 600n });
    await expectRevert(execute(bad, sb.nonce, sb.deadline, sb.signature), 'ERC20InvalidReceiver');
    assert.equal(await w.read('token', 'isSignedNonceUsed', [sb.nonce]), false);
  });

  test('a signed call cannot make a contract act as itself (self-call spoofing)', async () => {
    // The compliance's hooks trust msg.sender == token; a signed call runs with msg.sender == the compliance, and the
    // compliance refuses to be bound as its own token.
    await expectRevert(w.signedSim(w.owner, 'compliance', 'bindToken', [w.suite.compliance]), 'UnauthorizedTokenBinding', [w.suite.compliance]);
    await expectRevert(w.signedSim(w.stranger, 'compliance', 'transferred', [w.alice.address, w.bob.address, 1n]), 'CallerNotToken', [w.suite.compliance]);
  });
});
