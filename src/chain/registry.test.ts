// IERC3643 registries (topics, trusted issuers, storage, identity registry), isVerified and the risk score registry.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { type Abi, type Address, type Hex, encodeFunctionData, keccak256, parseEventLogs, toHex, zeroAddress } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { identityAbi } from './artifacts/Identity.js';
import { claimIssuerAbi } from './artifacts/ClaimIssuer.js';
import { claimTopicsRegistryAbi } from './artifacts/ClaimTopicsRegistry.js';
import { trustedIssuersRegistryAbi } from './artifacts/TrustedIssuersRegistry.js';
import { identityRegistryStorageAbi, identityRegistryStorageBytecode } from './artifacts/IdentityRegistryStorage.js';
import { identityRegistryAbi, identityRegistryBytecode } from './artifacts/IdentityRegistry.js';
import { identityFactoryAbi } from './artifacts/IdentityFactory.js';
import { riskScoreRegistryAbi } from './artifacts/RiskScoreRegistry.js';
import { claimTopicCatalogAbi, claimTopicCatalogBytecode } from './artifacts/ClaimTopicCatalog.js';
import { forgedClaimIssuerAbi, forgedClaimIssuerBytecode } from './artifacts/ForgedClaimIssuer.js';
import { recordForgingIdentityAbi, recordForgingIdentityBytecode } from './artifacts/RecordForgingIdentity.js';
import {
  ClaimTopic,
  addClaim,
  addTrustedIssuer,
  claimId,
  deployClaimIssuer,
  deployContract,
  deployIdentity,
  deployIdentityStack,
  isVerified,
  predictIdentityAddress,
  registerIdentity,
  setRiskScore,
  signClaim,
  verificationRecords,
  walletKey,
  write,
  type IdentityStack,
  type SignedClaim,
} from './identity.js';
import { canAccess, grantAccess } from './access.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';
import { Role } from './roles.js';

const DOC = keccak256(toHex('doc'));
const FR = 250;
const DE = 276;

let chain: TestChain;
let stack: IdentityStack;
let issuer: Address;
const signer = privateKeyToAccount(generatePrivateKey());
let alice: Address; // identity of accounts[1], registered, KYC + AML claims from `issuer`
let snap: Hex;
const w = (i: number) => chain.wallets[i]!;
const a = (i: number) => chain.accounts[i]!.address;

async function claim(p: { identity?: Address; topic: bigint; issuer?: Address; ttl?: bigint; by?: typeof signer }): Promise<SignedClaim> {
  const now = await chain.now();
  return signClaim(p.by ?? signer, {
    chainId: chain.chainId, issuer: p.issuer ?? issuer, identity: p.identity ?? alice, topic: p.topic,
    documentHash: DOC, issuedAt: now, expiresAt: now + (p.ttl ?? 86_400n),
    // A realistic CIDv1 uri (63 bytes: three storage slots the registry's fast path never reads).
    uri: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
  });
}
const verified = (wallet: Address = a(1)) => isVerified(chain.reader, stack.identityRegistry, wallet);

before(async () => {
  chain = await startTestChain();
  const r = chain.reader;
  stack = await deployIdentityStack(w(0), r, { requiredTopics: [ClaimTopic.KYC, ClaimTopic.AML] });
  issuer = await deployClaimIssuer(w(0), r, { signers: [signer.address], claimIndex: stack.identityImplementation });
  await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, issuer, [ClaimTopic.KYC, ClaimTopic.AML]);
  alice = await deployIdentity(w(1), r, { factory: stack.identityFactory, wallet: a(1) });
  await registerIdentity(w(0), r, stack.identityRegistry, a(1), alice, FR);
  await addClaim(w(1), r, alice, await claim({ topic: ClaimTopic.KYC }));
  await addClaim(w(1), r, alice, await claim({ topic: ClaimTopic.AML }));
});
after(async () => { await chain.stop(); });
beforeEach(async () => { snap = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snap); });

describe('ClaimTopicsRegistry', () => {
  test('add / remove / list topics, owner only, bounded', async () => {
    const r = chain.reader;
    const t = stack.claimTopicsRegistry;
    assert.deepEqual(await r.readContract({ address: t, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics' }), [1n, 2n]);
    const { receipt } = await write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [ClaimTopic.SANCTIONS_CLEAR] });
    assert.equal(parseEventLogs({ abi: claimTopicsRegistryAbi, logs: receipt.logs, eventName: 'ClaimTopicAdded' })[0]!.args.claimTopic, 4n);
    await expectRevert(write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [4n] }), 'TopicAlreadyRequired', [4n]);
    await expectRevert(write(w(1), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [5n] }), 'MissingRole', [a(1), Role.CLAIM_TOPICS_SETTER]);
    await expectRevert(write(w(1), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [1n] }), 'MissingRole', [a(1), Role.CLAIM_TOPICS_SETTER]);
    const rm = await write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [1n] });
    assert.equal(parseEventLogs({ abi: claimTopicsRegistryAbi, logs: rm.receipt.logs, eventName: 'ClaimTopicRemoved' })[0]!.args.claimTopic, 1n);
    assert.deepEqual(await r.readContract({ address: t, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics' }), [4n, 2n]);
    await expectRevert(write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [1n] }), 'TopicNotRequired', [1n]);
    for (let i = 100n; i < 113n; ++i) await write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [i] });
    await expectRevert(write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [200n] }), 'TooManyTopics');
  });
});

describe('TrustedIssuersRegistry', () => {
  test('add / update / remove issuers and their topics, with every revert', async () => {
    const r = chain.reader;
    const t = stack.trustedIssuersRegistry;
    const read = <F extends 'getTrustedIssuers' | 'isTrustedIssuer' | 'hasClaimTopic' | 'getTrustedIssuersForClaimTopic' | 'getTrustedIssuerClaimTopics'>(functionName: F, args: readonly unknown[] = []) =>
      r.readContract({ address: t, abi: trustedIssuersRegistryAbi, functionName, args } as never) as Promise<unknown>;
    const issuer2 = await deployClaimIssuer(w(0), r);
    assert.deepEqual(await read('getTrustedIssuers'), [issuer]);
    const { receipt } = await addTrustedIssuer(w(0), r, t, issuer2, [ClaimTopic.AML, ClaimTopic.PEP_STATUS]);
    assert.deepEqual(parseEventLogs({ abi: trustedIssuersRegistryAbi, logs: receipt.logs, eventName: 'TrustedIssuerAdded' })[0]!.args, { trustedIssuer: issuer2, claimTopics: [2n, 7n] });
    assert.deepEqual(await read('getTrustedIssuersForClaimTopic', [2n]), [issuer, issuer2]);
    assert.deepEqual(await read('getTrustedIssuerClaimTopics', [issuer2]), [2n, 7n]);
    assert.equal(await read('hasClaimTopic', [issuer2, 7n]), true);
    assert.equal(await read('hasClaimTopic', [issuer2, 1n]), false);
    assert.equal(await read('isTrustedIssuer', [issuer2]), true);

    await expectRevert(addTrustedIssuer(w(0), r, t, issuer2, [1n]), 'IssuerAlreadyTrusted');
    await expectRevert(addTrustedIssuer(w(0), r, t, '0x0000000000000000000000000000000000000000', [1n]), 'ZeroAddress');
    const issuer3 = await deployClaimIssuer(w(0), r);
    await expectRevert(addTrustedIssuer(w(0), r, t, issuer3, []), 'NoTopics');
    await expectRevert(addTrustedIssuer(w(0), r, t, issuer3, [1n, 1n]), 'DuplicateTopic', [1n]);
    await expectRevert(addTrustedIssuer(w(0), r, t, issuer3, Array.from({ length: 16 }, (_, i) => BigInt(i + 1))), 'TooManyIssuerTopics');
    await expectRevert(addTrustedIssuer(w(1), r, t, issuer3, [1n]), 'MissingRole', [a(1), Role.ISSUERS_SETTER]);

    const up = await write(w(0), r, { address: t, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer2, [ClaimTopic.UBO]] });
    assert.equal(parseEventLogs({ abi: trustedIssuersRegistryAbi, logs: up.receipt.logs, eventName: 'ClaimTopicsUpdated' }).length, 1);
    assert.equal(await read('hasClaimTopic', [issuer2, 2n]), false);
    assert.equal(await read('hasClaimTopic', [issuer2, 6n]), true);
    assert.deepEqual(await read('getTrustedIssuersForClaimTopic', [2n]), [issuer]);
    await expectRevert(write(w(0), r, { address: t, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer3, [1n]] }), 'IssuerNotTrusted');

    const rm = await write(w(0), r, { address: t, abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [issuer] });
    assert.equal(parseEventLogs({ abi: trustedIssuersRegistryAbi, logs: rm.receipt.logs, eventName: 'TrustedIssuerRemoved' })[0]!.args.trustedIssuer, issuer);
    assert.deepEqual(await read('getTrustedIssuers'), [issuer2]);
    assert.deepEqual(await read('getTrustedIssuersForClaimTopic', [1n]), []);
    assert.equal(await read('isTrustedIssuer', [issuer]), false);
    await expectRevert(write(w(0), r, { address: t, abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [issuer] }), 'IssuerNotTrusted');
  });
});

describe('IdentityRegistryStorage', () => {
  test('writers are bound registries and agents; entries, binding and every revert', async () => {
    const r = chain.reader;
    // The stack's registry is its own storage: nothing bound, its whitelist managers write it.
    assert.deepEqual(await r.readContract({ address: stack.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'linkedIdentityRegistries' }), []);
    // A storage of its own (T-REX layout, or one investor list shared by several tokens), bound to the registry.
    const s = await deployContract(w(0), r, { abi: identityRegistryStorageAbi, bytecode: identityRegistryStorageBytecode }, [a(0)]);
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [stack.identityRegistry] });
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addAgent', args: [a(0)] });
    await write(w(0), r, { address: stack.identityRegistry, abi: identityRegistryAbi, functionName: 'setIdentityRegistryStorage', args: [s] });
    await registerIdentity(w(0), r, stack.identityRegistry, a(1), alice, FR);
    assert.equal(await verified(), true, 'verified through the external storage');
    assert.equal(await r.readContract({ address: s, abi: identityRegistryStorageAbi, functionName: 'storedIdentity', args: [a(1)] }), alice);
    assert.equal(await r.readContract({ address: s, abi: identityRegistryStorageAbi, functionName: 'storedInvestorCountry', args: [a(1)] }), FR);
    assert.deepEqual(await r.readContract({ address: s, abi: identityRegistryStorageAbi, functionName: 'linkedIdentityRegistries' }), [stack.identityRegistry]);
    await expectRevert(write(w(2), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addIdentityToStorage', args: [a(2), alice, DE] }), 'NotAuthorized');
    // The owner's account is an agent of the storage too (deployIdentityStack default).
    const { receipt } = await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addIdentityToStorage', args: [a(2), alice, DE] });
    assert.deepEqual(parseEventLogs({ abi: identityRegistryStorageAbi, logs: receipt.logs }).map((l) => l.eventName), ['IdentityStored', 'CountryModified']);
    await expectRevert(write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addIdentityToStorage', args: [a(2), alice, DE] }), 'WalletAlreadyStored');
    await expectRevert(write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addIdentityToStorage', args: [a(3), '0x0000000000000000000000000000000000000000', DE] }), 'ZeroAddress');
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'modifyStoredInvestorCountry', args: [a(2), FR] });
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'modifyStoredIdentity', args: [a(2), issuer] });
    assert.equal(await r.readContract({ address: s, abi: identityRegistryStorageAbi, functionName: 'storedIdentity', args: [a(2)] }), issuer);
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'removeIdentityFromStorage', args: [a(2)] });
    for (const fn of ['removeIdentityFromStorage', 'modifyStoredInvestorCountry', 'modifyStoredIdentity'] as const) {
      const args = fn === 'removeIdentityFromStorage' ? [a(2)] : fn === 'modifyStoredInvestorCountry' ? [a(2), FR] : [a(2), alice];
      await expectRevert(write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: fn, args } as never), 'WalletNotStored');
    }
    await expectRevert(write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [stack.identityRegistry] }), 'RegistryAlreadyBound');
    await expectRevert(write(w(1), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [a(5)] }), 'OwnableUnauthorizedAccount', [a(1)]);
    await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [a(5)] });
    await write(w(5), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'addIdentityToStorage', args: [a(5), alice, DE] });
    const ub = await write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'unbindIdentityRegistry', args: [a(5)] });
    assert.equal(parseEventLogs({ abi: identityRegistryStorageAbi, logs: ub.receipt.logs, eventName: 'IdentityRegistryUnbound' }).length, 1);
    await expectRevert(write(w(5), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'removeIdentityFromStorage', args: [a(5)] }), 'NotAuthorized');
    await expectRevert(write(w(0), r, { address: s, abi: identityRegistryStorageAbi, functionName: 'unbindIdentityRegistry', args: [a(5)] }), 'RegistryNotBound');
  });
});

describe('IdentityRegistry', () => {
  test('register / update / delete / batch, agents only, and the IERC3643 views', async () => {
    const r = chain.reader;
    const reg = stack.identityRegistry;
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'identity', args: [a(1)] }), alice);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'investorCountry', args: [a(1)] }), FR);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'contains', args: [a(1)] }), true);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'contains', args: [a(2)] }), false);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'identityStorage' }), stack.identityRegistryStorage);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'issuersRegistry' }), stack.trustedIssuersRegistry);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'topicsRegistry' }), stack.claimTopicsRegistry);

    const bob = await deployIdentity(w(2), r, { factory: stack.identityFactory, wallet: a(2) });
    await expectRevert(registerIdentity(w(2), r, reg, a(2), bob, DE), 'MissingRole', [a(2), Role.WHITELIST_MANAGER]);
    const { receipt } = await registerIdentity(w(0), r, reg, a(2), bob, DE);
    assert.deepEqual(parseEventLogs({ abi: identityRegistryAbi, logs: receipt.logs, eventName: 'IdentityRegistered' })[0]!.args, { investorAddress: a(2), identity: bob });
    await expectRevert(registerIdentity(w(0), r, reg, a(2), bob, DE), 'WalletAlreadyStored');
    const uc = await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'updateCountry', args: [a(2), FR] });
    assert.deepEqual(parseEventLogs({ abi: identityRegistryAbi, logs: uc.receipt.logs, eventName: 'CountryUpdated' })[0]!.args, { investorAddress: a(2), country: FR });
    const ui = await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'updateIdentity', args: [a(2), alice] });
    assert.deepEqual(parseEventLogs({ abi: identityRegistryAbi, logs: ui.receipt.logs, eventName: 'IdentityUpdated' })[0]!.args, { oldIdentity: bob, newIdentity: alice });
    const del = await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'deleteIdentity', args: [a(2)] });
    assert.deepEqual(parseEventLogs({ abi: identityRegistryAbi, logs: del.receipt.logs, eventName: 'IdentityRemoved' })[0]!.args, { investorAddress: a(2), identity: alice });
    await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'deleteIdentity', args: [a(2)] }), 'WalletNotStored');
    for (const [fn, args] of [['deleteIdentity', [a(1)]], ['updateCountry', [a(1), DE]], ['updateIdentity', [a(1), bob]]] as const) {
      await expectRevert(write(w(3), r, { address: reg, abi: identityRegistryAbi, functionName: fn, args } as never), 'MissingRole', [a(3), Role.WHITELIST_MANAGER]);
    }

    await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'batchRegisterIdentity', args: [[a(2), a(3)], [bob, bob], [DE, FR]] });
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'investorCountry', args: [a(3)] }), FR);
    await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'batchRegisterIdentity', args: [[a(4)], [], [DE]] }), 'LengthMismatch');
  });

  test('replacing a registry takes effect at once (the constructor\'s are immutables until replaced)', async () => {
    const r = chain.reader;
    const reg = stack.identityRegistry;
    const set = (fn: 'setIdentityRegistryStorage' | 'setClaimTopicsRegistry' | 'setTrustedIssuersRegistry', x: Address) =>
      write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: fn, args: [x] });
    const other = await deployIdentityStack(w(0), r, { requiredTopics: [ClaimTopic.KYC] });
    assert.equal(await verified(), true);
    await set('setTrustedIssuersRegistry', other.trustedIssuersRegistry);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'issuersRegistry' }), other.trustedIssuersRegistry);
    assert.equal(await verified(), false, 'issuer not trusted by the new registry');
    await addTrustedIssuer(w(0), r, other.trustedIssuersRegistry, issuer, [1n]);
    assert.equal(await verified(), false, 'AML still required by the old topics registry');
    await set('setClaimTopicsRegistry', other.claimTopicsRegistry);
    assert.equal(await verified(), true, 'KYC only');
    await set('setIdentityRegistryStorage', other.identityRegistryStorage);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'identityStorage' }), other.identityRegistryStorage);
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'contains', args: [a(1)] }), false);
    assert.equal(await verified(), false, 'unknown to the new storage');
    await set('setTrustedIssuersRegistry', stack.trustedIssuersRegistry);
    await set('setClaimTopicsRegistry', stack.claimTopicsRegistry);
    await set('setIdentityRegistryStorage', stack.identityRegistryStorage);
    assert.equal(await verified(), true);
  });

  test('owner-only setters and agent management', async () => {
    const r = chain.reader;
    const reg = stack.identityRegistry;
    for (const [fn, ev] of [['setIdentityRegistryStorage', 'IdentityStorageSet'], ['setClaimTopicsRegistry', 'ClaimTopicsRegistrySet'], ['setTrustedIssuersRegistry', 'TrustedIssuersRegistrySet']] as const) {
      await expectRevert(write(w(1), r, { address: reg, abi: identityRegistryAbi, functionName: fn, args: [a(5)] }), 'MissingRole', [a(1), Role.REGISTRY_SETTER]);
      await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: fn, args: ['0x0000000000000000000000000000000000000000'] }), 'ZeroAddress');
      const { receipt } = await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: fn, args: [a(5)] });
      assert.equal(parseEventLogs({ abi: identityRegistryAbi, logs: receipt.logs, eventName: ev }).length, 1);
    }
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'topicsRegistry' }), a(5));
    const ag = await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'addAgent', args: [a(4)] });
    assert.equal(parseEventLogs({ abi: identityRegistryAbi, logs: ag.receipt.logs, eventName: 'AgentAdded' })[0]!.args.agent, a(4));
    assert.equal(await r.readContract({ address: reg, abi: identityRegistryAbi, functionName: 'isAgent', args: [a(4)] }), true);
    await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'addAgent', args: [a(4)] }), 'AgentAlreadyAdded', [a(4)]);
    await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'addAgent', args: ['0x0000000000000000000000000000000000000000'] }), 'ZeroAddress');
    await expectRevert(write(w(4), r, { address: reg, abi: identityRegistryAbi, functionName: 'addAgent', args: [a(5)] }), 'OwnableUnauthorizedAccount', [a(4)]);
    await write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'removeAgent', args: [a(4)] });
    await expectRevert(write(w(0), r, { address: reg, abi: identityRegistryAbi, functionName: 'removeAgent', args: [a(4)] }), 'AgentNotFound', [a(4)]);
  });
});

describe('isVerified', () => {
  test('true with a valid claim for every required topic; false when one is missing or the wallet is unknown', async () => {
    assert.equal(await verified(), true);
    assert.equal(await verified(a(4)), false);
    // A wallet registered to an address without code is not verified (and isVerified does not revert).
    await registerIdentity(w(0), chain.reader, stack.identityRegistry, a(3), a(5), DE);
    assert.equal(await verified(a(3)), false);
    await write(w(0), chain.reader, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [ClaimTopic.SANCTIONS_CLEAR] });
    assert.equal(await verified(), false);
    // A valid claim from an issuer not trusted for the topic does not help; trusting it for the topic does.
    await addClaim(w(1), chain.reader, alice, await claim({ topic: ClaimTopic.SANCTIONS_CLEAR }));
    assert.equal(await verified(), false);
    await write(w(0), chain.reader, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [1n, 2n, 4n]] });
    assert.equal(await verified(), true);
  });

  test('no required topics: every registered wallet is verified', async () => {
    for (const t of [1n, 2n]) await write(w(0), chain.reader, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [t] });
    const bob = await deployIdentity(w(2), chain.reader, { factory: stack.identityFactory, wallet: a(2) });
    await registerIdentity(w(0), chain.reader, stack.identityRegistry, a(2), bob, DE);
    assert.equal(await verified(a(2)), true);
  });

  test('removing the issuer invalidates its claims at once, without touching them; re-trusting restores them', async () => {
    const r = chain.reader;
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [issuer] });
    assert.equal(await verified(), false);
    assert.equal((await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] })).length, 1);
    await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, issuer, [1n, 2n]);
    assert.equal(await verified(), true);
    // Trusted for KYC only: its AML claim stops counting.
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [1n]] });
    assert.equal(await verified(), false);
  });

  test('expiry: a claim counts inside its window only (anvil time travel)', async () => {
    assert.equal(await verified(), true);
    await chain.travel(86_400 - 10);
    assert.equal(await verified(), true);
    await chain.travel(20);
    assert.equal(await verified(), false);
  });

  test('revocation by the issuer; renewal restores it in one transaction', async () => {
    const r = chain.reader;
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimId(issuer, 2n), alice] });
    assert.equal(await verified(), false);
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [walletKey(issuer), 3n, 1n] });
    const fresh = await claim({ topic: 2n, ttl: 30n * 86_400n });
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'renewClaim', args: [alice, 2n, fresh.scheme, fresh.signature, fresh.data, fresh.uri] });
    assert.equal(await verified(), true);
    await chain.travel(2 * 86_400);
    assert.equal(await verified(), false, 'KYC expired, AML renewed');
  });

  test('forged issuer (ERC-3643 issue 101): untrusted issuers never count, even if they call everything valid', async () => {
    const r = chain.reader;
    const forged = await deployContract(w(0), r, { abi: forgedClaimIssuerAbi, bytecode: forgedClaimIssuerBytecode });
    await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [ClaimTopic.ACCREDITATION] });
    const junk = await claim({ topic: ClaimTopic.ACCREDITATION, issuer: forged });
    // The identity accepts it (the forged issuer vouches for itself), the registry does not.
    await addClaim(w(1), r, alice, junk);
    assert.equal(await verified(), false);
    // Trusted for another topic is not trusted for this one.
    await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, forged, [ClaimTopic.UBO]);
    assert.equal(await verified(), false);
    // Genuine issuer's signature but on an untrusted issuer's claim id: a claim whose stored issuer differs is
    // looked up under keccak256(stored issuer, topic), which is the forged one, untrusted for the topic.
    const realSig = await claim({ topic: ClaimTopic.ACCREDITATION });
    await addClaim(w(1), r, alice, { ...realSig, issuer: forged });
    assert.equal(await verified(), false);
    // Only a claim from an issuer trusted for the topic counts.
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [1n, 2n, 3n]] });
    await addClaim(w(1), r, alice, realSig);
    assert.equal(await verified(), true);
    assert.equal(await r.readContract({ address: stack.identityRegistry, abi: identityRegistryAbi, functionName: 'hasValidClaim', args: [alice, 3n] }), true);
  });

  test('gas grows with required topics, not with the number of trusted issuers', async () => {
    const r = chain.reader;
    // Measured as a real transaction calling the view: eth_estimateGas would find the smallest gas at which the
    // caught out-of-gas inner calls make it return false instead of reverting.
    const gas = async () => {
      const hash = await w(0).sendTransaction({
        to: stack.identityRegistry, gas: 5_000_000n, chain: w(0).chain,
        data: encodeFunctionData({ abi: identityRegistryAbi, functionName: 'isVerified', args: [a(1)] }),
      });
      return (await r.waitForTransactionReceipt({ hash })).gasUsed;
    };
    const topics = [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n];
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, topics] });
    for (const t of topics.slice(2)) await addClaim(w(1), r, alice, await claim({ topic: t }));
    for (const t of [1n, 2n]) await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [t] });
    const byTopics: bigint[] = [];
    for (const t of topics) {
      await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [t] });
      assert.equal(await verified(), true);
      byTopics.push(await gas());
    }
    // Nine more issuers trusted for all eight topics (T-REX would try each of them per topic).
    for (let i = 0; i < 9; ++i) {
      const other = await deployClaimIssuer(w(0), r, { signers: [signer.address], claimIndex: stack.identityImplementation });
      await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, other, topics);
    }
    const with10Issuers = await gas();
    const perTopic = (byTopics[7]! - byTopics[0]!) / 7n;
    console.log(`      isVerified gas (as a tx, incl. 21000 base): ${byTopics.join(', ')} for 1..8 topics; ~${perTopic}/topic; 8 topics with 10 trusted issuers: ${with10Issuers}`);
    const drift = with10Issuers > byTopics[7]! ? with10Issuers - byTopics[7]! : byTopics[7]! - with10Issuers;
    assert.ok(drift * 100n < byTopics[7]!, 'trusted issuer count does not change the cost');
    for (let i = 1; i < 8; ++i) {
      const step = byTopics[i]! - byTopics[i - 1]!;
      assert.ok(step > 0n && step < 2n * perTopic, `linear in topics (step ${step})`);
    }
  });
});

describe('RiskScoreRegistry', () => {
  test('agents set and clear scores per identity; views by identity and by wallet', async () => {
    const r = chain.reader;
    const rs = stack.riskScoreRegistry;
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'riskScoreOf', args: [alice] }), [0, 0n, false]);
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'walletRiskScore', args: [a(1)] }), [0, false]);
    const { receipt } = await setRiskScore(w(0), r, rs, alice, 42);
    const now = await chain.now();
    assert.deepEqual(parseEventLogs({ abi: riskScoreRegistryAbi, logs: receipt.logs, eventName: 'RiskScoreSet' })[0]!.args, { identity: alice, score: 42, updatedAt: now });
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'riskScoreOf', args: [alice] }), [42, now, true]);
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'walletRiskScore', args: [a(1)] }), [42, true]);
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'walletRiskScore', args: [a(4)] }), [0, false]);
    await setRiskScore(w(0), r, rs, alice, 0);
    assert.deepEqual(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'walletRiskScore', args: [a(1)] }), [0, true]);
    await expectRevert(setRiskScore(w(0), r, rs, alice, 101), 'ScoreOutOfRange');
    await expectRevert(setRiskScore(w(0), r, rs, '0x0000000000000000000000000000000000000000', 1), 'ZeroAddress');
    await expectRevert(setRiskScore(w(1), r, rs, alice, 1), 'MissingRole', [a(1), Role.AGENT]);
    await expectRevert(write(w(1), r, { address: rs, abi: riskScoreRegistryAbi, functionName: 'clearRiskScore', args: [alice] }), 'MissingRole', [a(1), Role.AGENT]);
    const cl = await write(w(0), r, { address: rs, abi: riskScoreRegistryAbi, functionName: 'clearRiskScore', args: [alice] });
    assert.equal(parseEventLogs({ abi: riskScoreRegistryAbi, logs: cl.receipt.logs, eventName: 'RiskScoreCleared' }).length, 1);
    await expectRevert(write(w(0), r, { address: rs, abi: riskScoreRegistryAbi, functionName: 'clearRiskScore', args: [alice] }), 'NotScored');
    assert.equal(await r.readContract({ address: rs, abi: riskScoreRegistryAbi, functionName: 'identityStorage' }), stack.identityRegistryStorage);
  });
});

describe('ClaimTopicCatalog', () => {
  test('topics 1-8 are named at construction; the owner registers more, once each', async () => {
    const r = chain.reader;
    const cat = await deployContract(w(0), r, { abi: claimTopicCatalogAbi, bytecode: claimTopicCatalogBytecode }, [a(0)]);
    assert.deepEqual(await r.readContract({ address: cat, abi: claimTopicCatalogAbi, functionName: 'registeredTopics' }), [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n]);
    assert.equal(await r.readContract({ address: cat, abi: claimTopicCatalogAbi, functionName: 'topicName', args: [8n] }), 'Travel Rule');
    const { receipt } = await write(w(0), r, { address: cat, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [ClaimTopic.JURISDICTION, 'Jurisdiction'] });
    assert.deepEqual(parseEventLogs({ abi: claimTopicCatalogAbi, logs: receipt.logs, eventName: 'TopicRegistered' })[0]!.args, { topic: 9n, name: 'Jurisdiction' });
    assert.equal(await r.readContract({ address: cat, abi: claimTopicCatalogAbi, functionName: 'isRegistered', args: [9n] }), true);
    assert.equal(await r.readContract({ address: cat, abi: claimTopicCatalogAbi, functionName: 'isRegistered', args: [10n] }), false);
    await expectRevert(write(w(0), r, { address: cat, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [1n, 'KYC again'] }), 'TopicAlreadyRegistered', [1n]);
    await expectRevert(write(w(0), r, { address: cat, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [10n, ''] }), 'InvalidTopic');
    await expectRevert(write(w(0), r, { address: cat, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [0n, 'zero'] }), 'InvalidTopic');
    await expectRevert(write(w(1), r, { address: cat, abi: claimTopicCatalogAbi, functionName: 'registerTopic', args: [10n, 'Risk Score'] }), 'OwnableUnauthorizedAccount', [a(1)]);
  });
});

describe('end to end', () => {
  test('claims signed for a predicted identity before it exists; deploy, add, register, verified, grant access', async () => {
    const r = chain.reader;
    const salt = keccak256(toHex('carol'));
    const carol = predictIdentityAddress({ factory: stack.identityFactory, implementation: stack.identityImplementation, wallet: a(4), salt });
    assert.equal(await r.getCode({ address: carol }), undefined);
    // The issuer signs for the address the identity will have.
    const kyc = await claim({ identity: carol, topic: ClaimTopic.KYC });
    const aml = await claim({ identity: carol, topic: ClaimTopic.AML });
    assert.equal(await deployIdentity(w(4), r, { factory: stack.identityFactory, wallet: a(4), salt }), carol);
    await addClaim(w(4), r, carol, kyc);
    await addClaim(w(4), r, carol, aml);
    assert.equal(await verified(a(4)), false, 'not registered yet');
    await registerIdentity(w(0), r, stack.identityRegistry, a(4), carol, DE);
    assert.equal(await verified(a(4)), true);
    await grantAccess(w(4), r, carol, { verifier: a(5), topic: ClaimTopic.KYC, envelopeRef: keccak256(toHex('envelope')) });
    assert.equal(await canAccess(r, carol, a(5), ClaimTopic.KYC), true);
    assert.equal(await canAccess(r, carol, a(5), ClaimTopic.AML), false);
  });
});

describe('isVerified fast path (verification records in the claim index)', () => {
  const index = () => stack.identityImplementation;
  const rec = async (identity: Address, topic: bigint) => (await verificationRecords(chain.reader, index(), identity, [topic]))[0]!;
  const epochOf = (iss: Address = issuer) =>
    chain.reader.readContract({ address: index(), abi: identityAbi, functionName: 'issuerEpoch', args: [iss] });
  const refresh = (identity: Address, topic: bigint) =>
    write(w(5), chain.reader, { address: identity, abi: identityAbi, functionName: 'refreshClaimRecord', args: [topic] });
  async function bobWithClaims(): Promise<Address> {
    const bob = await deployIdentity(w(2), chain.reader, { factory: stack.identityFactory, wallet: a(2) });
    await registerIdentity(w(0), chain.reader, stack.identityRegistry, a(2), bob, DE);
    for (const t of [1n, 2n]) await addClaim(w(2), chain.reader, bob, await claim({ identity: bob, topic: t }));
    return bob;
  }

  test('records are written in the implementation when a clone adds a claim; the registry reads that index', async () => {
    const r = chain.reader;
    assert.equal(await epochOf(), 1n, 'the issuer registered at construction');
    assert.equal(await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'claimIndex' }), index());
    const [kyc, aml] = await verificationRecords(r, index(), alice, [1n, 2n]);
    for (const x of [kyc!, aml!]) {
      assert.equal(x.issuer, issuer);
      assert.equal(x.epoch, 1n);
      assert.equal(x.count, 1);
      assert.equal(x.current, true);
      assert.ok(x.expiresAt > await chain.now());
    }
    assert.deepEqual(await verificationRecords(r, index(), alice, [9n]), [{ issuer: zeroAddress, expiresAt: 0n, epoch: 0n, count: 0, current: false }]);
    assert.equal(await r.readContract({ address: stack.identityRegistry, abi: identityRegistryAbi, functionName: 'claimIndex' }), index());
    assert.equal(await verified(), true);
  });

  test('only clones write the index, only contracts under construction register as issuers, a clone cannot execute into it', async () => {
    const r = chain.reader;
    const liar = await deployContract(w(0), r, { abi: recordForgingIdentityAbi, bytecode: recordForgingIdentityBytecode }, [index(), issuer]);
    await expectRevert(write(w(0), r, { address: liar, abi: recordForgingIdentityAbi, functionName: 'forge', args: [1n] }), 'NotAClone', [liar]);
    await expectRevert(write(w(0), r, { address: liar, abi: recordForgingIdentityAbi, functionName: 'register', args: [] }), 'RegistrationClosed');
    await expectRevert(write(w(0), r, { address: index(), abi: identityAbi, functionName: 'indexLink', args: [1n, issuer, 2n ** 40n - 1n, false] }), 'NotAClone', [a(0)]);
    await expectRevert(write(w(0), r, { address: index(), abi: identityAbi, functionName: 'registerIssuer', args: [] }), 'RegistrationClosed');
    // A management key of a clone may not make it call its index (which would skip the issuer's check).
    const forged = encodeFunctionData({ abi: identityAbi, functionName: 'indexLink', args: [9n, issuer, 2n ** 40n - 1n, false] });
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [index(), 0n, forged] }), 'IndexCallRefused');
    await registerIdentity(w(0), r, stack.identityRegistry, a(3), liar, DE);
    assert.equal(await verified(a(3)), false);
    // A registry built without an index never uses records, and still verifies clones in full.
    const plain = await deployContract(w(0), r, { abi: identityRegistryAbi, bytecode: identityRegistryBytecode }, [
      a(0), stack.trustedIssuersRegistry, stack.claimTopicsRegistry, stack.identityRegistryStorage, zeroAddress,
    ]);
    await write(w(0), r, { address: stack.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [plain] });
    assert.equal(await isVerified(r, plain, a(1)), true);
    assert.equal(await isVerified(r, plain, a(3)), false);
  });

  test('an issuer without an index: its claims hold no current record and are verified in full', async () => {
    const r = chain.reader;
    const signer2 = privateKeyToAccount(generatePrivateKey());
    const plainIssuer = await deployClaimIssuer(w(0), r, { signers: [signer2.address] });
    assert.equal(await epochOf(plainIssuer), 0n);
    await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, plainIssuer, [3n]);
    await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [3n] });
    await addClaim(w(1), r, alice, await claim({ topic: 3n, issuer: plainIssuer, by: signer2 }));
    const x = await rec(alice, 3n);
    assert.equal(x.issuer, plainIssuer);
    assert.equal(x.epoch, 0n);
    assert.equal(x.current, false);
    assert.equal(await verified(), true);
    await write(w(0), r, { address: plainIssuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimId(plainIssuer, 3n), alice] });
    assert.equal(await verified(), false);
  });

  test('revocation clears the holder\'s record only, in the same transaction; other holders keep theirs', async () => {
    const r = chain.reader;
    const bob = await bobWithClaims();
    const { receipt } = await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimId(issuer, 2n), alice] });
    assert.deepEqual(parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'RecordRevoked' })[0]!.args, { identity: alice, topic: 2n, issuer });
    assert.equal((await rec(alice, 2n)).current, false);
    assert.equal(await verified(), false);
    assert.equal((await rec(bob, 2n)).current, true, 'bob untouched');
    assert.equal(await epochOf(), 1n);
    assert.equal(await verified(a(2)), true);
    // Refreshing a revoked claim's record records "no record": still not verified.
    await refresh(alice, 2n);
    assert.equal((await rec(alice, 2n)).epoch, 0n);
    assert.equal(await verified(), false);
  });

  test('revocation by signature alone advances the issuer\'s epoch: every record of its claims stops counting', async () => {
    const r = chain.reader;
    const bob = await bobWithClaims();
    const [, , , bobSig] = await r.readContract({ address: bob, abi: identityAbi, functionName: 'getClaim', args: [claimId(issuer, 1n)] });
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaimBySignature', args: [bobSig] });
    assert.equal(await epochOf(), 2n);
    assert.equal(await verified(a(2)), false);
    // alice's records no longer count, but her claims are still valid: the full check says so, and a refresh
    // (by anyone) brings her back to the fast path.
    assert.equal((await rec(alice, 1n)).current, false);
    assert.equal(await verified(), true);
    await refresh(alice, 1n);
    await refresh(alice, 2n);
    assert.equal((await rec(alice, 1n)).epoch, 2n);
    assert.equal((await rec(alice, 1n)).current, true);
    assert.equal(await verified(), true);
    // bob's revoked claim refreshes to no record.
    await refresh(bob, 1n);
    assert.equal((await rec(bob, 1n)).epoch, 0n);
    assert.equal(await verified(a(2)), false);
  });

  test('removing the claim-signer key invalidates at once; topic added; claim removed', async () => {
    const r = chain.reader;
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'removeKey', args: [walletKey(signer.address), 3n] });
    assert.equal((await rec(alice, 1n)).current, false);
    assert.equal(await verified(), false);
    await refresh(alice, 1n);
    assert.equal((await rec(alice, 1n)).epoch, 0n, 'the signature no longer verifies');
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'addKey', args: [walletKey(signer.address), 3n, 1n] });
    assert.equal(await verified(), true, 'full check: the signer is back');
  });

  test('an expired record and an issuer removed from the trusted list stop counting without any write', async () => {
    const r = chain.reader;
    assert.equal(await verified(), true);
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [issuer] });
    assert.equal((await rec(alice, 1n)).current, true, 'the index still holds it; trust is the registry\'s to check');
    assert.equal(await verified(), false);
    await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, issuer, [1n, 2n]);
    assert.equal(await verified(), true);
    await chain.travel(86_401);
    assert.equal(await verified(), false);
  });

  test('a required topic added, or the claim removed, fails at once', async () => {
    const r = chain.reader;
    await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [ClaimTopic.UBO] });
    assert.equal(await verified(), false);
    await write(w(0), r, { address: stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [ClaimTopic.UBO] });
    assert.equal(await verified(), true);
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [claimId(issuer, 1n)] });
    assert.equal((await rec(alice, 1n)).issuer, zeroAddress);
    assert.equal(await verified(), false);
    await expectRevert(refresh(alice, 1n), 'ClaimNotFound');
  });

  test('the first claim removed: the next one takes over without a record (full check) until refreshClaimRecord', async () => {
    const r = chain.reader;
    const signer2 = privateKeyToAccount(generatePrivateKey());
    const issuer2 = await deployClaimIssuer(w(0), r, { signers: [signer2.address], claimIndex: index() });
    await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, issuer2, [1n]);
    const c2 = await claim({ topic: 1n, issuer: issuer2, by: signer2 });
    await addClaim(w(1), r, alice, c2);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), [claimId(issuer, 1n), claimId(issuer2, 1n)]);
    assert.equal((await rec(alice, 1n)).issuer, issuer, 'the first claim keeps the record');
    assert.equal((await rec(alice, 1n)).count, 2);
    // issuer loses KYC trust: its record fails, the full check finds issuer2's claim.
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [2n]] });
    assert.equal(await verified(), true);
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [claimId(issuer, 1n)] });
    const moved = await rec(alice, 1n);
    assert.equal(moved.issuer, issuer2);
    assert.equal(moved.epoch, 0n);
    assert.equal(await verified(), true);
    const { receipt } = await refresh(alice, 1n);
    const ev = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'ClaimRecordRefreshed' })[0]!.args;
    assert.equal(ev.issuer, issuer2);
    assert.equal(ev.valid, true);
    const refreshed = await rec(alice, 1n);
    assert.equal(refreshed.current, true);
    assert.equal(refreshed.expiresAt, (await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimValidity', args: [claimId(issuer2, 1n)] }))[1]);
    assert.equal(await verified(), true);
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [claimId(issuer2, 1n)] });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), []);
    assert.equal(await verified(), false);
  });

  test('topics beyond 16 bits (unpacked list) and beyond 255 (issuer topic mapping) work the same', async () => {
    const r = chain.reader;
    const t = stack.claimTopicsRegistry;
    const big = 70_000n;
    const mid = 300n;
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [1n, 2n, mid, big]] });
    for (const x of [mid, big]) await write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [x] });
    assert.deepEqual(await r.readContract({ address: t, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics' }), [1n, 2n, mid, big]);
    assert.equal(await r.readContract({ address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'hasClaimTopic', args: [issuer, big] }), true);
    assert.equal(await r.readContract({ address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'hasClaimTopic', args: [issuer, 3n] }), false);
    assert.equal(await verified(), false);
    await addClaim(w(1), r, alice, await claim({ topic: mid }));
    assert.equal(await verified(), false);
    await addClaim(w(1), r, alice, await claim({ topic: big }));
    assert.equal(await verified(), true);
    await write(w(0), r, { address: t, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [big] });
    assert.deepEqual(await r.readContract({ address: t, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics' }), [1n, 2n, mid]);
    await write(w(0), r, { address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [issuer, [1n, 2n]] });
    assert.equal(await verified(), false);
  });
});

describe('compatibility', () => {
  test('an ONCHAINID 2.2 identity holding a Masque claim is verified through the generic ERC-735 path', async () => {
    const r = chain.reader;
    const require = createRequire(import.meta.url);
    const oid = JSON.parse(readFileSync(require.resolve('@onchain-id/solidity/artifacts/contracts/Identity.sol/Identity.json'), 'utf8')) as { abi: Abi; bytecode: Hex };
    const foreign = await deployContract(w(4), r, oid, [a(4), false]);
    const c = await claim({ identity: foreign, topic: ClaimTopic.KYC });
    const c2 = await claim({ identity: foreign, topic: ClaimTopic.AML });
    // ONCHAINID's addClaim asks our ClaimIssuer.isClaimValid, like the registry does.
    for (const x of [c, c2]) {
      await write(w(4), r, { address: foreign, abi: oid.abi, functionName: 'addClaim', args: [x.topic, x.scheme, x.issuer, x.signature, x.data, x.uri] } as never);
    }
    await registerIdentity(w(0), r, stack.identityRegistry, a(4), foreign, DE);
    assert.equal(await verified(a(4)), true);
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimId(issuer, ClaimTopic.AML), foreign] });
    assert.equal(await verified(a(4)), false);
  });
});

describe('bounds and constructors', () => {
  test('constructor arguments are checked', async () => {
    const r = chain.reader;
    const Z = '0x0000000000000000000000000000000000000000' as Address;
    const { riskScoreRegistryBytecode } = await import('./artifacts/RiskScoreRegistry.js');
    const { identityFactoryAbi, identityFactoryBytecode } = await import('./artifacts/IdentityFactory.js');
    const { claimIssuerBytecode } = await import('./artifacts/ClaimIssuer.js');
    await expectRevert(deployContract(w(0), r, { abi: riskScoreRegistryAbi, bytecode: riskScoreRegistryBytecode }, [a(0), Z]), 'ZeroAddress');
    await expectRevert(deployContract(w(0), r, { abi: identityFactoryAbi, bytecode: identityFactoryBytecode }, [Z]), 'ZeroAddress');
    await expectRevert(deployContract(w(0), r, { abi: claimIssuerAbi, bytecode: claimIssuerBytecode }, [Z, [], Z]), 'InvalidKey');
  });

  test('at most 50 trusted issuers and 300 bound registries', async () => {
    const r = chain.reader;
    const addr = (i: number) => `0x${(0x1000 + i).toString(16).padStart(40, '0')}` as Address;
    for (let i = 1; i < 50; ++i) await addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, addr(i), [1n]);
    await expectRevert(addTrustedIssuer(w(0), r, stack.trustedIssuersRegistry, addr(50), [1n]), 'TooManyIssuers');
    for (let i = 0; i < 300; ++i) {
      await write(w(0), r, { address: stack.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [addr(i)] });
    }
    await expectRevert(write(w(0), r, { address: stack.identityRegistryStorage, abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [addr(300)] }), 'TooManyRegistries');
  });
});
