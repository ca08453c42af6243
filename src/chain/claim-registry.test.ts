// What the node's issuer and registry methods stand on: registries run by their owner's signature (RoleControl's
// SignedCalls, relayed by someone holding no role), ClaimTopicsRegistry.setClaimTopics, ClaimIssuers complete in their
// deploying transaction, and identities that accept claims from the issuers a claim registry of theirs trusts
// (Identity.CLAIM_REGISTRY), renewal included.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex, encodeFunctionData, keccak256, parseEventLogs, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { identityAbi } from './artifacts/Identity.js';
import { claimIssuerAbi } from './artifacts/ClaimIssuer.js';
import { claimTopicsRegistryAbi } from './artifacts/ClaimTopicsRegistry.js';
import { trustedIssuersRegistryAbi } from './artifacts/TrustedIssuersRegistry.js';
import {
  ClaimTopic,
  ECDSA_KEY_TYPE,
  KeyPurpose,
  addTrustedIssuer,
  claimId,
  deployClaimIssuer,
  deployIdentity,
  deployIdentityStack,
  registryKey,
  signClaim,
  walletKey,
  write,
  type IdentityStack,
} from './identity.js';
import { Role, signedCallTypedData } from './roles.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';

const DOC = keccak256(toHex('doc'));
let chain: TestChain;
let stack: IdentityStack;
let snap: Hex;
const owner = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const issuerKey = privateKeyToAccount(generatePrivateKey());
const w = (i: number) => chain.wallets[i]!;
const a = (i: number) => chain.accounts[i]!.address;
let nextNonce = 1n;

before(async () => {
  chain = await startTestChain();
  // Registries owned by a key that never sends a transaction: only its signatures act.
  stack = await deployIdentityStack(w(0), chain.reader, { requiredTopics: [ClaimTopic.KYC], owner: owner.address });
  // Ownable2Step: the new owner accepts, by signature too.
  const accept = encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'acceptOwnership' });
  // (The stack's identity registry is its own trusted issuers and claim topics registry: one contract to accept.)
  for (const registry of new Set([stack.trustedIssuersRegistry, stack.claimTopicsRegistry])) {
    await signed(registry, trustedIssuersRegistryAbi, accept);
  }
});
after(async () => { await chain.stop(); });
beforeEach(async () => { snap = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snap); });

/** `by` signs `data` on `contract`; account 5 relays it (it holds no role anywhere). */
async function signed(contract: Address, abi: typeof trustedIssuersRegistryAbi | typeof claimTopicsRegistryAbi, data: Hex, by = owner, o: { nonce?: bigint; deadline?: bigint; signature?: Hex } = {}) {
  const nonce = o.nonce ?? nextNonce++;
  const deadline = o.deadline ?? (await chain.now()) + 600n;
  const signature = o.signature ?? await by.signTypedData(signedCallTypedData({ chainId: chain.chainId, contract, data, nonce, deadline }));
  return write(w(5), chain.reader, { address: contract, abi, functionName: 'executeSigned', args: [data, nonce, deadline, signature] } as never);
}
const tir = (functionName: 'addTrustedIssuer' | 'removeTrustedIssuer' | 'updateIssuerClaimTopics', args: readonly unknown[]) =>
  encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName, args } as never);
const trusted = (issuer: Address) => chain.reader.readContract({ address: stack.trustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'getTrustedIssuerClaimTopics', args: [issuer] });

describe('SignedCalls on the registries', () => {
  test("the owner's signature adds, updates and removes a trusted issuer; the relayer holds no role", async () => {
    const issuer = await deployClaimIssuer(w(0), chain.reader, { signers: [issuerKey.address] });
    const t = stack.trustedIssuersRegistry;
    const { receipt } = await signed(t, trustedIssuersRegistryAbi, tir('addTrustedIssuer', [issuer, [1n, 2n]]));
    assert.deepEqual(await trusted(issuer), [1n, 2n]);
    const [ev] = parseEventLogs({ abi: trustedIssuersRegistryAbi, logs: receipt.logs, eventName: 'SignedCallExecuted' });
    assert.equal(ev!.args.signer, owner.address);
    assert.equal(ev!.args.selector, tir('addTrustedIssuer', [issuer, [1n]]).slice(0, 10));
    await signed(t, trustedIssuersRegistryAbi, tir('updateIssuerClaimTopics', [issuer, [7n]]));
    assert.deepEqual(await trusted(issuer), [7n]);
    await signed(t, trustedIssuersRegistryAbi, tir('removeTrustedIssuer', [issuer]));
    assert.deepEqual(await trusted(issuer), []);
    // The relayer itself cannot do any of it.
    await expectRevert(write(w(5), chain.reader, { address: t, abi: trustedIssuersRegistryAbi, functionName: 'addTrustedIssuer', args: [issuer, [1n]] }), 'MissingRole', [a(5), Role.ISSUERS_SETTER]);
  });

  test('refused: a signer that is neither owner nor issuers setter; an issuers setter acts like the owner', async () => {
    const issuer = await deployClaimIssuer(w(0), chain.reader, { signers: [issuerKey.address] });
    const t = stack.trustedIssuersRegistry;
    await expectRevert(signed(t, trustedIssuersRegistryAbi, tir('addTrustedIssuer', [issuer, [1n]]), stranger), 'MissingRole', [stranger.address, Role.ISSUERS_SETTER]);
    await signed(t, trustedIssuersRegistryAbi, encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'grantRoles', args: [stranger.address, Role.ISSUERS_SETTER] }));
    await signed(t, trustedIssuersRegistryAbi, tir('addTrustedIssuer', [issuer, [1n]]), stranger);
    assert.deepEqual(await trusted(issuer), [1n]);
  });

  test('ClaimTopicsRegistry.setClaimTopics replaces the list in one signed call, with events for the difference', async () => {
    const c = stack.claimTopicsRegistry;
    const set = (topics: bigint[]) => encodeFunctionData({ abi: claimTopicsRegistryAbi, functionName: 'setClaimTopics', args: [topics] });
    const topics = () => chain.reader.readContract({ address: c, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics' });
    const { receipt } = await signed(c, claimTopicsRegistryAbi, set([2n, 1n, 70_000n]));
    assert.deepEqual(await topics(), [2n, 1n, 70_000n]);
    assert.deepEqual(parseEventLogs({ abi: claimTopicsRegistryAbi, logs: receipt.logs, eventName: 'ClaimTopicAdded' }).map((e) => e.args.claimTopic), [2n, 70_000n]);
    const r2 = await signed(c, claimTopicsRegistryAbi, set([2n, 4n]));
    assert.deepEqual(await topics(), [2n, 4n]);
    assert.deepEqual(parseEventLogs({ abi: claimTopicsRegistryAbi, logs: r2.receipt.logs, eventName: 'ClaimTopicRemoved' }).map((e) => e.args.claimTopic), [1n, 70_000n]);
    assert.deepEqual(parseEventLogs({ abi: claimTopicsRegistryAbi, logs: r2.receipt.logs, eventName: 'ClaimTopicAdded' }).map((e) => e.args.claimTopic), [4n]);
    await expectRevert(signed(c, claimTopicsRegistryAbi, set([3n, 3n])), 'TopicAlreadyRequired', [3n]);
    await expectRevert(signed(c, claimTopicsRegistryAbi, set(Array.from({ length: 16 }, (_, i) => BigInt(i + 1)))), 'TooManyTopics');
    await expectRevert(signed(c, claimTopicsRegistryAbi, set([9n]), stranger), 'MissingRole', [stranger.address, Role.CLAIM_TOPICS_SETTER]);
    await signed(c, claimTopicsRegistryAbi, set([]));
    assert.deepEqual(await topics(), []);
  });
});

describe('ClaimIssuer constructor', () => {
  test('the manager and the claim signers are set in the deploying transaction; the deployer gets no key', async () => {
    const issuer = await deployClaimIssuer(w(0), chain.reader, { manager: issuerKey.address, signers: [issuerKey.address, stranger.address] });
    const has = (wallet: Address, purpose: bigint) => chain.reader.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'keyHasPurpose', args: [walletKey(wallet), purpose] });
    assert.equal(await has(issuerKey.address, KeyPurpose.MANAGEMENT), true);
    assert.equal(await has(issuerKey.address, KeyPurpose.CLAIM_SIGNER), true);
    assert.equal(await has(stranger.address, KeyPurpose.CLAIM_SIGNER), true);
    assert.equal(await has(a(0), KeyPurpose.MANAGEMENT), false);
    assert.equal(await has(a(0), KeyPurpose.CLAIM_SIGNER), false);
  });
});

describe('claim registries (Identity.CLAIM_REGISTRY)', () => {
  let holder: Address;
  let issuer: Address;
  const claim = async (p: { topic: bigint; issuer?: Address; issuedAt?: bigint }) => {
    const now = p.issuedAt ?? (await chain.now());
    return signClaim(issuerKey, { chainId: chain.chainId, issuer: p.issuer ?? issuer, identity: holder, topic: p.topic, documentHash: DOC, issuedAt: now, expiresAt: now + 86_400n });
  };
  const push = async (c: Awaited<ReturnType<typeof claim>>, fn: 'issueClaim' | 'renewClaim' = 'issueClaim', relayer = 4) =>
    write(w(relayer), chain.reader, { address: c.issuer, abi: claimIssuerAbi, functionName: fn, args: [holder, c.topic, c.scheme, c.signature, c.data, c.uri] });
  const held = (topic: bigint, by = issuer) => chain.reader.readContract({ address: holder, abi: identityAbi, functionName: 'getClaim', args: [claimId(by, topic)] });

  beforeEach(async () => {
    // The holder's identity names the registry once; the issuer is deployed and trusted only afterwards.
    holder = await deployIdentity(w(1), chain.reader, {
      factory: stack.identityFactory, wallet: a(1), keys: [{ key: registryKey(stack.trustedIssuersRegistry), purpose: KeyPurpose.CLAIM_REGISTRY }],
    });
    issuer = await deployClaimIssuer(w(0), chain.reader, { manager: issuerKey.address, signers: [issuerKey.address] });
    await signed(stack.trustedIssuersRegistry, trustedIssuersRegistryAbi, tir('addTrustedIssuer', [issuer, [ClaimTopic.KYC]]));
  });

  test('an issuer trusted after the identity was created pushes and renews its claims; the holder signs nothing', async () => {
    const first = await claim({ topic: ClaimTopic.KYC });
    await push(first);
    assert.equal((await held(ClaimTopic.KYC))[2], issuer);
    await chain.travel(10);
    const renewed = await claim({ topic: ClaimTopic.KYC });
    await push(renewed, 'renewClaim');
    assert.equal((await held(ClaimTopic.KYC))[4], renewed.data);
    assert.equal(await chain.reader.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [first.signature] }), true);
  });

  test('refused: a topic the registry does not trust it for, an issuer removed from it, a caller that is not the issuer', async () => {
    await expectRevert(push(await claim({ topic: ClaimTopic.AML })), 'NotClaimKey');
    const c = await claim({ topic: ClaimTopic.KYC });
    // Someone else relaying the issuer's claim straight to addClaim is not the issuer pushing it.
    await expectRevert(write(w(4), chain.reader, { address: holder, abi: identityAbi, functionName: 'addClaim', args: [c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri] }), 'NotClaimKey');
    await push(c);
    await signed(stack.trustedIssuersRegistry, trustedIssuersRegistryAbi, tir('removeTrustedIssuer', [issuer]));
    await chain.travel(10);
    await expectRevert(push(await claim({ topic: ClaimTopic.KYC }), 'renewClaim'), 'NotClaimKey');
  });

  test('the holder withdraws its consent by removing the key; a registry key must be an address; a registry that is no contract trusts nobody', async () => {
    const key = registryKey(stack.trustedIssuersRegistry);
    await write(w(1), chain.reader, { address: holder, abi: identityAbi, functionName: 'removeKey', args: [key, KeyPurpose.CLAIM_REGISTRY] });
    await expectRevert(push(await claim({ topic: ClaimTopic.KYC })), 'NotClaimKey');
    await expectRevert(write(w(1), chain.reader, { address: holder, abi: identityAbi, functionName: 'addKey', args: [walletKey(stack.trustedIssuersRegistry), KeyPurpose.CLAIM_REGISTRY, ECDSA_KEY_TYPE] }), 'InvalidKey');
    await write(w(1), chain.reader, { address: holder, abi: identityAbi, functionName: 'addKey', args: [registryKey(a(3)), KeyPurpose.CLAIM_REGISTRY, ECDSA_KEY_TYPE] });
    await expectRevert(push(await claim({ topic: ClaimTopic.KYC })), 'NotClaimKey');
    await write(w(1), chain.reader, { address: holder, abi: identityAbi, functionName: 'addKey', args: [key, KeyPurpose.CLAIM_REGISTRY, ECDSA_KEY_TYPE] });
    await push(await claim({ topic: ClaimTopic.KYC }));
    assert.equal((await held(ClaimTopic.KYC))[2], issuer);
  });
});
