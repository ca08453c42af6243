// PermissionedToken on anvil: ERC-20 core, roles, mint/burn, every transfer check and its custom error and reason
// code, pause, freezes (full, partial), forced transfer, recovery, batches and owner settings.
import { beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Abi, type Address, type Hex, maxUint256, zeroAddress, encodeDeployData, toEventSelector, toFunctionSelector } from 'viem';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expectRevert } from './testkit.js';
import {
  countryAllowModuleAbi, identityAbi, identityRegistryAbi, modularComplianceAbi, permissionedTokenAbi, permissionedTokenBytecode,
} from './artifacts/index.js';
import { KeyPurpose, ECDSA_KEY_TYPE, walletKey, write } from './identity.js';
import { useTokenWorld, Country, type TokenWorld } from './token-fixture.js';
import { TransferRefusal, canTransferReason, deployCompliance, refusalName, tokenErrorName, transferRefusals } from './token.js';
import { Role } from './roles.js';

let w: TokenWorld;
useTokenWorld((world) => {
  w = world;
});

const balance = (a: Address) => w.tokenRead<bigint>('balanceOf', [a]);
const reason = async (from: Address, to: Address, amount: bigint) => (await canTransferReason(w.reader, w.token, from, to, amount)).code;
async function mint(to: Address, amount: bigint) {
  return w.tokenWrite('mint', [to, amount]);
}

describe('deployment and metadata', () => {
  test('constructor wires registry, compliance and metadata, and the compliance is bound to the token', async () => {
    assert.equal(await w.tokenRead('name'), 'Masque Bond 2030');
    assert.equal(await w.tokenRead('symbol'), 'MB30');
    assert.equal(await w.tokenRead('decimals'), 6);
    assert.equal(await w.tokenRead('version'), '1.0.0');
    assert.equal(await w.tokenRead('onchainID'), zeroAddress);
    assert.equal((await w.tokenRead<Address>('identityRegistry')).toLowerCase(), w.stack.identityRegistry.toLowerCase());
    assert.equal((await w.tokenRead<Address>('compliance')).toLowerCase(), w.compliance.toLowerCase());
    assert.equal((await w.tokenRead<Address>('owner')).toLowerCase(), w.admin.account.address.toLowerCase());
    assert.equal(await w.tokenRead('paused'), false);
    assert.equal(await w.tokenRead('totalSupply'), 0n);
    const bound = await w.reader.readContract({ address: w.compliance, abi: modularComplianceAbi, functionName: 'getTokenBound' });
    assert.equal(bound.toLowerCase(), w.token.toLowerCase());
  });

  test('constructor rejects empty metadata and zero addresses', async () => {
    const compliance = await deployCompliance(w.admin, w.reader);
    const tryDeploy = async (args: readonly unknown[]) => {
      const data = encodeDeployData({ abi: permissionedTokenAbi, bytecode: permissionedTokenBytecode, args: args as never });
      try {
        await w.reader.call({ account: w.admin.account, data });
      } catch (e) {
        const raw = (e as { walk: (f: (x: unknown) => boolean) => { data?: Hex } | null }).walk((x) => typeof (x as { data?: unknown }).data === 'string')?.data;
        return raw ? tokenErrorName(raw) : undefined;
      }
      return 'deployed';
    };
    const me = w.admin.account.address;
    assert.equal(await tryDeploy(['', 'S', 6, w.stack.identityRegistry, compliance, zeroAddress, me]), 'EmptyTokenInformation');
    assert.equal(await tryDeploy(['N', '', 6, w.stack.identityRegistry, compliance, zeroAddress, me]), 'EmptyTokenInformation');
    assert.equal(await tryDeploy(['N', 'S', 6, zeroAddress, compliance, zeroAddress, me]), 'ZeroAddress');
    assert.equal(await tryDeploy(['N', 'S', 6, w.stack.identityRegistry, zeroAddress, zeroAddress, me]), 'ZeroAddress');
    // The compliance is already bound to w.token: a second token may not bind itself.
    assert.equal(await tryDeploy(['N', 'S', 6, w.stack.identityRegistry, w.compliance, zeroAddress, me]), 'UnauthorizedTokenBinding');
    assert.equal(await tryDeploy(['N', 'S', 6, w.stack.identityRegistry, compliance, zeroAddress, me]), 'deployed');
  });

  test('reason code table matches the contract constants and names', () => {
    assert.equal(Object.keys(transferRefusals).length, 16);
    for (const [code, r] of Object.entries(transferRefusals)) assert.equal(TransferRefusal[r.name], Number(code));
    assert.equal(refusalName(200), 'COMPLIANCE_REFUSED');
    assert.equal(tokenErrorName('0xe3fccd18'), 'ReceiverNotVerified');
    assert.equal(tokenErrorName('0xdeadbeef'), undefined);
  });
});

describe('roles', () => {
  test('owner adds and removes agents with events; errors for zero, duplicate, unknown and non-owner', async () => {
    const agent = w.spare[0].address;
    const { receipt } = await w.tokenWrite('addAgent', [agent]);
    assert.deepEqual(w.events(receipt).map((e) => e.eventName), ['RolesGranted', 'AgentAdded']);
    assert.equal(await w.tokenRead('isAgent', [agent]), true);
    await expectRevert(w.tokenSim('addAgent', [agent]), 'AgentAlreadyAdded', [agent]);
    await expectRevert(w.tokenSim('addAgent', [zeroAddress]), 'ZeroAddress');
    await expectRevert(w.tokenSim('addAgent', [agent], w.alice.wallet), 'OwnableUnauthorizedAccount', [w.alice.address]);
    const r2 = await w.tokenWrite('removeAgent', [agent]);
    assert.deepEqual(w.events(r2.receipt).map((e) => e.eventName), ['RolesRevoked', 'AgentRemoved']);
    await expectRevert(w.tokenSim('removeAgent', [agent]), 'AgentNotFound', [agent]);
    await expectRevert(w.tokenSim('removeAgent', [agent], w.alice.wallet), 'OwnableUnauthorizedAccount', [w.alice.address]);
  });

  test('every agent function refuses a non-agent', async () => {
    const a = w.alice.address;
    const b = w.bob.address;
    const calls: [string, unknown[]][] = [
      ['mint', [a, 1n]], ['burn', [a, 1n]], ['forcedTransfer', [a, b, 1n]], ['setAddressFrozen', [a, true]],
      ['freezePartialTokens', [a, 1n]], ['unfreezePartialTokens', [a, 1n]], ['pause', []], ['unpause', []],
      ['recoveryAddress', [a, b, w.alice.identity]], ['batchMint', [[a], [1n]]], ['batchBurn', [[a], [1n]]],
      ['batchForcedTransfer', [[a], [b], [1n]]], ['batchSetAddressFrozen', [[a], [true]]],
      ['batchFreezePartialTokens', [[a], [1n]]], ['batchUnfreezePartialTokens', [[a], [1n]]],
    ];
    const role = (fn: string) => /urn|int/.test(fn) ? Role.SUPPLY_MODIFIER : /orced/.test(fn) ? Role.TRANSFER_MANAGER
      : fn === 'recoveryAddress' ? Role.RECOVERY_AGENT : Role.FREEZER;
    for (const [fn, args] of calls) await expectRevert(w.tokenSim(fn, args, w.bob.wallet), 'MissingRole', [b, role(fn)]);
  });

  test('owner functions refuse a non-owner, including agents; token information is delegable', async () => {
    const calls: [string, unknown[]][] = [
      ['setIdentityRegistry', [w.stack.identityRegistry]], ['setCompliance', [w.compliance]],
      ['addAgent', [w.bob.address]], ['removeAgent', [w.admin.account.address]],
      ['grantRoles', [w.bob.address, Role.FREEZER]], ['revokeRoles', [w.admin.account.address, Role.FREEZER]],
    ];
    await w.tokenWrite('addAgent', [w.bob.address]);
    for (const [fn, args] of calls) await expectRevert(w.tokenSim(fn, args, w.bob.wallet), 'OwnableUnauthorizedAccount', [w.bob.address]);
    const info: [string, unknown[]][] = [['setName', ['x']], ['setSymbol', ['x']], ['setOnchainID', [w.alice.identity]]];
    for (const [fn, args] of info) await expectRevert(w.tokenSim(fn, args, w.bob.wallet), 'MissingRole', [w.bob.address, Role.TOKEN_INFO_SETTER]);
    await w.tokenWrite('grantRoles', [w.bob.address, Role.TOKEN_INFO_SETTER]);
    for (const [fn, args] of info) await w.tokenWrite(fn, args, w.bob.wallet);
    assert.equal(await w.tokenRead('name'), 'x');
  });

  test('ownership moves in two steps', async () => {
    await w.tokenWrite('transferOwnership', [w.bob.address]);
    assert.equal((await w.tokenRead<Address>('owner')).toLowerCase(), w.admin.account.address.toLowerCase());
    await w.tokenWrite('acceptOwnership', [], w.bob.wallet);
    assert.equal((await w.tokenRead<Address>('owner')).toLowerCase(), w.bob.address.toLowerCase());
  });
});

describe('owner settings', () => {
  test('setName, setSymbol, setOnchainID emit UpdatedTokenInformation; empty strings revert', async () => {
    const r1 = await w.tokenWrite('setName', ['Renamed']);
    const e1 = w.events(r1.receipt)[0];
    assert.equal(e1.eventName, 'UpdatedTokenInformation');
    assert.equal(e1.args.newDecimals, 6);
    assert.equal(e1.args.newVersion, '1.0.0');
    assert.equal(await w.tokenRead('name'), 'Renamed');
    await w.tokenWrite('setSymbol', ['RNM']);
    assert.equal(await w.tokenRead('symbol'), 'RNM');
    const r3 = await w.tokenWrite('setOnchainID', [w.alice.identity]);
    assert.equal((w.events(r3.receipt)[0].args.newOnchainID as string).toLowerCase(), w.alice.identity.toLowerCase());
    assert.equal((await w.tokenRead<Address>('onchainID')).toLowerCase(), w.alice.identity.toLowerCase());
    await expectRevert(w.tokenSim('setName', ['']), 'EmptyTokenInformation');
    await expectRevert(w.tokenSim('setSymbol', ['']), 'EmptyTokenInformation');
  });

  test('setIdentityRegistry emits and rejects zero', async () => {
    const { receipt } = await w.tokenWrite('setIdentityRegistry', [w.stack.identityRegistry]);
    assert.deepEqual(w.events(receipt).map((e) => e.eventName), ['IdentityRegistryAdded']);
    await expectRevert(w.tokenSim('setIdentityRegistry', [zeroAddress]), 'ZeroAddress');
  });

  test('setCompliance unbinds the old compliance and binds the new one', async () => {
    const next = await deployCompliance(w.admin, w.reader);
    const { receipt } = await w.tokenWrite('setCompliance', [next]);
    const names = w.events(receipt).map((e) => e.eventName);
    assert.deepEqual(names, ['TokenUnbound', 'TokenBound', 'ComplianceAdded']);
    const readBound = (c: Address) => w.reader.readContract({ address: c, abi: modularComplianceAbi, functionName: 'getTokenBound' });
    assert.equal(await readBound(w.compliance), zeroAddress);
    assert.equal((await readBound(next)).toLowerCase(), w.token.toLowerCase());
    await expectRevert(w.tokenSim('setCompliance', [zeroAddress]), 'ZeroAddress');
  });
});

describe('mint and burn', () => {
  test('mint credits a verified investor, emits Transfer and raises the supply', async () => {
    const { receipt } = await mint(w.alice.address, 1000n);
    const [t] = w.events(receipt);
    assert.equal(t.eventName, 'Transfer');
    assert.deepEqual([t.args.from, (t.args.to as string).toLowerCase(), t.args.value], [zeroAddress, w.alice.address.toLowerCase(), 1000n]);
    assert.equal(await balance(w.alice.address), 1000n);
    assert.equal(await w.tokenRead('totalSupply'), 1000n);
  });

  test('mint refuses the zero address, an unverified receiver and a supply above 2^128 - 1', async () => {
    await expectRevert(w.tokenSim('mint', [zeroAddress, 1n]), 'ERC20InvalidReceiver', [zeroAddress]);
    await expectRevert(w.tokenSim('mint', [w.spare[0].address, 1n]), 'ReceiverNotVerified');
    await mint(w.alice.address, 2n ** 128n - 1n);
    await expectRevert(w.tokenSim('mint', [w.bob.address, 1n]), 'SafeCastOverflowedUintDowncast', [128, 2n ** 128n]);
  });

  test('mint works while paused (agents distribute before opening transfers)', async () => {
    await w.tokenWrite('pause', []);
    await mint(w.alice.address, 5n);
    assert.equal(await balance(w.alice.address), 5n);
  });

  test('burn debits, lowers the supply, releases frozen tokens as needed; more than the balance reverts', async () => {
    await mint(w.alice.address, 100n);
    await w.tokenWrite('freezePartialTokens', [w.alice.address, 80n]);
    const { receipt } = await w.tokenWrite('burn', [w.alice.address, 50n]);
    const ev = w.events(receipt);
    assert.deepEqual(ev.map((e) => e.eventName), ['TokensUnfrozen', 'Transfer']);
    assert.equal(ev[0].args.amount, 30n);
    assert.equal(await balance(w.alice.address), 50n);
    assert.equal(await w.tokenRead('getFrozenTokens', [w.alice.address]), 50n);
    assert.equal(await w.tokenRead('totalSupply'), 50n);
    await expectRevert(w.tokenSim('burn', [w.alice.address, 51n]), 'ERC20InsufficientBalance', [w.alice.address, 50n, 51n]);
  });
});

describe('transfers', () => {
  beforeEach(async () => {
    await mint(w.alice.address, 1000n);
  });

  test('a verified pair transfers: balances, Transfer event, reason 0', async () => {
    assert.equal(await reason(w.alice.address, w.bob.address, 400n), TransferRefusal.OK);
    const { receipt } = await w.tokenWrite('transfer', [w.bob.address, 400n], w.alice.wallet);
    const [t] = w.events(receipt);
    assert.equal(t.eventName, 'Transfer');
    assert.equal(t.args.value, 400n);
    assert.equal(await balance(w.alice.address), 600n);
    assert.equal(await balance(w.bob.address), 400n);
    // Moving to oneself changes nothing.
    await w.tokenWrite('transfer', [w.alice.address, 600n], w.alice.wallet);
    assert.equal(await balance(w.alice.address), 600n);
  });

  test('each refusal reverts with its custom error and canTransferReason returns its code', async () => {
    const a = w.alice.address;
    const b = w.bob.address;
    const stranger = w.spare[0].address;
    const check = async (from: Address, to: Address, amount: bigint, code: number, error: string, wallet = w.alice.wallet) => {
      assert.equal(await reason(from, to, amount), code, `code for ${error}`);
      await expectRevert(w.tokenSim('transfer', [to, amount], wallet), error);
    };
    await check(a, zeroAddress, 1n, TransferRefusal.INVALID_RECEIVER, 'ERC20InvalidReceiver');
    await check(a, b, 1001n, TransferRefusal.INSUFFICIENT_BALANCE, 'ERC20InsufficientBalance');
    await check(a, stranger, 1n, TransferRefusal.RECEIVER_NOT_VERIFIED, 'ReceiverNotVerified');
    // The sender loses its registration: the sender check comes first.
    await write(w.admin, w.reader, { address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: 'deleteIdentity', args: [a] });
    await check(a, b, 1n, TransferRefusal.SENDER_NOT_VERIFIED, 'SenderNotVerified');
    assert.equal(await reason(a, stranger, 1n), TransferRefusal.SENDER_NOT_VERIFIED);
  });

  test('approve, transferFrom, allowance errors and infinite approvals', async () => {
    const { receipt } = await w.tokenWrite('approve', [w.carol.address, 300n], w.alice.wallet);
    assert.equal(w.events(receipt)[0].eventName, 'Approval');
    assert.equal(await w.tokenRead('allowance', [w.alice.address, w.carol.address]), 300n);
    await w.tokenWrite('transferFrom', [w.alice.address, w.bob.address, 100n], w.carol.wallet);
    assert.equal(await w.tokenRead('allowance', [w.alice.address, w.carol.address]), 200n);
    assert.equal(await balance(w.bob.address), 100n);
    await expectRevert(w.tokenSim('transferFrom', [w.alice.address, w.bob.address, 201n], w.carol.wallet),
      'ERC20InsufficientAllowance', [w.carol.address, 200n, 201n]);
    await expectRevert(w.tokenSim('approve', [zeroAddress, 1n], w.alice.wallet), 'ERC20InvalidSpender', [zeroAddress]);
    await w.tokenWrite('approve', [w.carol.address, maxUint256], w.alice.wallet);
    await w.tokenWrite('transferFrom', [w.alice.address, w.bob.address, 100n], w.carol.wallet);
    assert.equal(await w.tokenRead('allowance', [w.alice.address, w.carol.address]), maxUint256);
    // transferFrom runs the same checks as transfer.
    await expectRevert(w.tokenSim('transferFrom', [w.alice.address, w.spare[0].address, 1n], w.carol.wallet), 'ReceiverNotVerified');
  });

  test('pause blocks transfers (code 1) until unpause; double pause or unpause revert', async () => {
    const r = await w.tokenWrite('pause', []);
    assert.deepEqual(w.events(r.receipt).map((e) => [e.eventName, (e.args.userAddress as string).toLowerCase()]),
      [['Paused', w.admin.account.address.toLowerCase()]]);
    assert.equal(await w.tokenRead('paused'), true);
    assert.equal(await reason(w.alice.address, w.bob.address, 1n), TransferRefusal.PAUSED);
    await expectRevert(w.tokenSim('transfer', [w.bob.address, 1n], w.alice.wallet), 'EnforcedPause');
    await w.tokenWrite('approve', [w.carol.address, 1n], w.alice.wallet);
    await expectRevert(w.tokenSim('transferFrom', [w.alice.address, w.bob.address, 1n], w.carol.wallet), 'EnforcedPause');
    assert.deepEqual(await canTransferReason(w.reader, w.token, w.alice.address, w.bob.address, 1n),
      { code: 1, name: 'PAUSED', message: 'the token is paused' });
    await expectRevert(w.tokenSim('pause', []), 'EnforcedPause');
    const u = await w.tokenWrite('unpause', []);
    assert.equal(w.events(u.receipt)[0].eventName, 'Unpaused');
    await expectRevert(w.tokenSim('unpause', []), 'ExpectedPause');
    await w.tokenWrite('transfer', [w.bob.address, 1n], w.alice.wallet);
  });

  test('a frozen wallet can neither send (3) nor receive (4); unfreezing restores it', async () => {
    const r = await w.tokenWrite('setAddressFrozen', [w.alice.address, true]);
    const e = w.events(r.receipt)[0];
    assert.equal(e.eventName, 'AddressFrozen');
    assert.equal(e.args.isFrozen, true);
    assert.equal(await w.tokenRead('isFrozen', [w.alice.address]), true);
    assert.equal(await reason(w.alice.address, w.bob.address, 1n), TransferRefusal.SENDER_FROZEN);
    await expectRevert(w.tokenSim('transfer', [w.bob.address, 1n], w.alice.wallet), 'SenderFrozen');
    await w.tokenWrite('setAddressFrozen', [w.alice.address, false]);
    await w.tokenWrite('setAddressFrozen', [w.bob.address, true]);
    assert.equal(await reason(w.alice.address, w.bob.address, 1n), TransferRefusal.RECEIVER_FROZEN);
    await expectRevert(w.tokenSim('transfer', [w.bob.address, 1n], w.alice.wallet), 'ReceiverFrozen');
    await w.tokenWrite('setAddressFrozen', [w.bob.address, false]);
    await w.tokenWrite('transfer', [w.bob.address, 1n], w.alice.wallet);
  });

  test('partial freeze: only the unfrozen part moves (code 6); freeze and unfreeze bounds', async () => {
    const r = await w.tokenWrite('freezePartialTokens', [w.alice.address, 700n]);
    assert.deepEqual(w.events(r.receipt).map((e) => [e.eventName, e.args.amount]), [['TokensFrozen', 700n]]);
    assert.equal(await w.tokenRead('getFrozenTokens', [w.alice.address]), 700n);
    assert.equal(await reason(w.alice.address, w.bob.address, 301n), TransferRefusal.TOKENS_FROZEN);
    await expectRevert(w.tokenSim('transfer', [w.bob.address, 301n], w.alice.wallet), 'InsufficientUnfrozenBalance');
    await w.tokenWrite('transfer', [w.bob.address, 300n], w.alice.wallet);
    await expectRevert(w.tokenSim('freezePartialTokens', [w.alice.address, 1n]), 'FreezeExceedsBalance');
    await expectRevert(w.tokenSim('unfreezePartialTokens', [w.alice.address, 701n]), 'UnfreezeExceedsFrozen');
    const u = await w.tokenWrite('unfreezePartialTokens', [w.alice.address, 200n]);
    assert.deepEqual(w.events(u.receipt).map((e) => [e.eventName, e.args.amount]), [['TokensUnfrozen', 200n]]);
    await w.tokenWrite('transfer', [w.bob.address, 200n], w.alice.wallet);
    assert.equal(await balance(w.alice.address), 500n);
  });

  test('forced transfer ignores pause, wallet freezes and frozen tokens (released), but needs a verified receiver', async () => {
    await w.tokenWrite('freezePartialTokens', [w.alice.address, 900n]);
    await w.tokenWrite('setAddressFrozen', [w.alice.address, true]);
    await w.tokenWrite('pause', []);
    const { receipt } = await w.tokenWrite('forcedTransfer', [w.alice.address, w.bob.address, 500n]);
    const ev = w.events(receipt);
    assert.deepEqual(ev.map((e) => e.eventName), ['TokensUnfrozen', 'Transfer']);
    assert.equal(ev[0].args.amount, 400n);
    assert.equal(await balance(w.bob.address), 500n);
    assert.equal(await w.tokenRead('getFrozenTokens', [w.alice.address]), 500n);
    await expectRevert(w.tokenSim('forcedTransfer', [w.alice.address, w.spare[0].address, 1n]), 'ReceiverNotVerified');
    await expectRevert(w.tokenSim('forcedTransfer', [w.alice.address, w.bob.address, 501n]), 'ERC20InsufficientBalance', [w.alice.address, 500n, 501n]);
    await expectRevert(w.tokenSim('forcedTransfer', [w.alice.address, zeroAddress, 1n]), 'ERC20InvalidReceiver', [zeroAddress]);
  });
});

describe('recovery', () => {
  test('moves balance, frozen tokens, freeze flag and registration to a new wallet of the same identity', async () => {
    await mint(w.alice.address, 1000n);
    await w.tokenWrite('freezePartialTokens', [w.alice.address, 100n]);
    await w.tokenWrite('setAddressFrozen', [w.alice.address, true]);
    const fresh = w.spare[0].address;
    // The investor (management key of the identity) adds the new wallet as a management key.
    await write(w.alice.wallet, w.reader, {
      address: w.alice.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(fresh), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE],
    });
    const { receipt } = await w.tokenWrite('recoveryAddress', [w.alice.address, fresh, w.alice.identity]);
    const names = w.events(receipt).map((e) => e.eventName);
    assert.ok(names.includes('RecoverySuccess'));
    assert.ok(names.includes('AddressFrozen'));
    assert.ok(names.includes('IdentityRegistered'));
    assert.ok(names.includes('IdentityRemoved'));
    assert.equal(await balance(w.alice.address), 0n);
    assert.equal(await balance(fresh), 1000n);
    assert.equal(await w.tokenRead('getFrozenTokens', [fresh]), 100n);
    assert.equal(await w.tokenRead('getFrozenTokens', [w.alice.address]), 0n);
    assert.equal(await w.tokenRead('isFrozen', [fresh]), true);
    assert.equal(await w.tokenRead('isFrozen', [w.alice.address]), false);
    const ir = (fn: 'contains' | 'investorCountry', a: Address) =>
      w.reader.readContract({ address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: fn, args: [a] });
    assert.equal(await ir('contains', fresh), true);
    assert.equal(await ir('contains', w.alice.address), false);
    assert.equal(await ir('investorCountry', fresh), Country.FR);
    assert.equal(await w.tokenRead('totalSupply'), 1000n);
  });

  test('refuses an empty wallet, a new wallet without a management key, a wrong identity and a zero wallet', async () => {
    const fresh = w.spare[0].address;
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, fresh, w.alice.identity]), 'NothingToRecover');
    await mint(w.alice.address, 10n);
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, fresh, w.alice.identity]), 'RecoveryKeyMissing');
    await write(w.bob.wallet, w.reader, {
      address: w.bob.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(fresh), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE],
    });
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, fresh, w.bob.identity]), 'IdentityMismatch');
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, zeroAddress, w.alice.identity]), 'ZeroAddress');
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, w.alice.address, w.alice.identity]), 'RecoveryToSameWallet');
    // Bob's wallet is a key of alice's identity but registered to bob's identity: tokens may not go there.
    await write(w.alice.wallet, w.reader, {
      address: w.alice.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(w.bob.address), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE],
    });
    await expectRevert(w.tokenSim('recoveryAddress', [w.alice.address, w.bob.address, w.alice.identity]), 'IdentityMismatch');
  });

  test('recovery onto a wallet already registered to the same identity keeps that registration', async () => {
    await mint(w.alice.address, 10n);
    const second = w.spare[0].address;
    await write(w.admin, w.reader, { address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: 'registerIdentity', args: [second, w.alice.identity, Country.FR] });
    await write(w.alice.wallet, w.reader, {
      address: w.alice.identity, abi: identityAbi, functionName: 'addKey', args: [walletKey(second), KeyPurpose.MANAGEMENT, ECDSA_KEY_TYPE],
    });
    const { receipt } = await w.tokenWrite('recoveryAddress', [w.alice.address, second, w.alice.identity]);
    assert.ok(!w.events(receipt).some((e) => e.eventName === 'IdentityRegistered'));
    assert.equal(await balance(second), 10n);
    assert.equal(await w.reader.readContract({ address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: 'contains', args: [w.alice.address] }), false);
  });
});

describe('batches', () => {
  test('batch mint, transfer, freeze, partial freeze/unfreeze, forced transfer and burn', async () => {
    const [a, b, c] = [w.alice.address, w.bob.address, w.carol.address];
    await w.tokenWrite('batchMint', [[a, b], [100n, 200n]]);
    assert.deepEqual([await balance(a), await balance(b)], [100n, 200n]);
    await w.tokenWrite('batchTransfer', [[b, c], [10n, 20n]], w.alice.wallet);
    assert.deepEqual([await balance(a), await balance(b), await balance(c)], [70n, 210n, 20n]);
    await w.tokenWrite('batchSetAddressFrozen', [[a, c], [true, true]]);
    assert.deepEqual([await w.tokenRead('isFrozen', [a]), await w.tokenRead('isFrozen', [c])], [true, true]);
    await w.tokenWrite('batchSetAddressFrozen', [[a, c], [false, false]]);
    await w.tokenWrite('batchFreezePartialTokens', [[a, b], [50n, 60n]]);
    assert.deepEqual([await w.tokenRead('getFrozenTokens', [a]), await w.tokenRead('getFrozenTokens', [b])], [50n, 60n]);
    await w.tokenWrite('batchUnfreezePartialTokens', [[a, b], [50n, 10n]]);
    assert.deepEqual([await w.tokenRead('getFrozenTokens', [a]), await w.tokenRead('getFrozenTokens', [b])], [0n, 50n]);
    await w.tokenWrite('batchForcedTransfer', [[a, b], [c, c], [70n, 10n]]);
    assert.deepEqual([await balance(a), await balance(b), await balance(c)], [0n, 200n, 100n]);
    await w.tokenWrite('batchBurn', [[b, c], [200n, 100n]]);
    assert.equal(await w.tokenRead('totalSupply'), 0n);
  });

  test('a batch is all or nothing and mismatched arrays revert', async () => {
    await expectRevert(w.tokenSim('batchMint', [[w.alice.address, w.spare[0].address], [1n, 1n]]), 'ReceiverNotVerified');
    assert.equal(await w.tokenRead('totalSupply'), 0n);
    const a = [w.alice.address];
    const bad: [string, unknown[], boolean?][] = [
      ['batchTransfer', [a, [1n, 2n]], true], ['batchMint', [a, []]], ['batchBurn', [a, []]],
      ['batchSetAddressFrozen', [a, []]], ['batchFreezePartialTokens', [a, []]], ['batchUnfreezePartialTokens', [a, []]],
      ['batchForcedTransfer', [a, a, []]], ['batchForcedTransfer', [a, [], [1n]]],
    ];
    for (const [fn, args, asInvestor] of bad) {
      await expectRevert(w.tokenSim(fn, args, asInvestor ? w.alice.wallet : w.admin), 'ArrayLengthMismatch');
    }
  });
});

describe('T-REX 4.1.6 ABI compatibility', () => {
  const require = createRequire(import.meta.url);
  const trexAbi = (path: string) =>
    (JSON.parse(readFileSync(require.resolve(`@tokenysolutions/t-rex/artifacts/contracts/${path}`), 'utf8')) as { abi: Abi }).abi;
  const signatures = (abi: Abi, type: 'function' | 'event') =>
    new Set(abi.filter((x) => x.type === type).map((x) => (type === 'function' ? toFunctionSelector(x as never) : toEventSelector(x as never))));
  const cases: [string, string, Abi][] = [
    ['IToken', 'token/IToken.sol/IToken.json', permissionedTokenAbi],
    ['AgentRole', 'roles/AgentRole.sol/AgentRole.json', permissionedTokenAbi],
    ['IModularCompliance', 'compliance/modular/IModularCompliance.sol/IModularCompliance.json', modularComplianceAbi],
    ['IModule', 'compliance/modular/modules/IModule.sol/IModule.json', countryAllowModuleAbi],
  ];
  for (const [name, path, ours] of cases) {
    test(`every ${name} function selector and event topic exists here`, () => {
      const theirs = trexAbi(path);
      for (const type of ['function', 'event'] as const) {
        const mine = signatures(ours, type);
        for (const item of theirs.filter((x) => x.type === type)) {
          // T-REX's Ownable has renounceOwnership/transferOwnership too: both come from OpenZeppelin here.
          const sel = type === 'function' ? toFunctionSelector(item as never) : toEventSelector(item as never);
          assert.ok(mine.has(sel), `${name}.${(item as { name: string }).name} (${type}) missing`);
        }
      }
    });
  }
});
