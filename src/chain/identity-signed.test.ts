// Identity.executeSigned on anvil: a relayer (an account with no key on the identity) runs calls authorized by a
// key holder's EIP-712 Execute signature. Also the on-chain expiry of an access grant (time travel).
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex, concat, encodeFunctionData, hexToBigInt, keccak256, numberToHex, parseEventLogs, slice, toHex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { identityAbi } from './artifacts/Identity.js';
import {
  ECDSA_KEY_TYPE, KeyPurpose, deployIdentity, deployIdentityStack, executeTypedData, randomExecuteNonce, signExecute, walletKey, write,
  type IdentityStack,
} from './identity.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

let chain: TestChain;
let stack: IdentityStack;
let alice: Address; // identity managed only by `owner` (a key that never sends a transaction)
let bob: Address; // another identity of the same owner
let snap: Hex;
const owner = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const actor = privateKeyToAccount(generatePrivateKey()); // action key on alice

const w = (i: number) => chain.wallets[i]!;
const a = (i: number) => chain.accounts[i]!.address;
const relayer = () => w(3);

function malleate(sig: Hex): Hex {
  const s = hexToBigInt(slice(sig, 32, 64));
  const v = hexToBigInt(slice(sig, 64, 65));
  return concat([slice(sig, 0, 32), numberToHex(N - s, { size: 32 }), numberToHex(v === 27n ? 28n : 27n, { size: 1 })]);
}

const addKeyData = (key: Hex, purpose: bigint) => encodeFunctionData({ abi: identityAbi, functionName: 'addKey', args: [key, purpose, ECDSA_KEY_TYPE] });

/** Signs `data` to run on `identity` (to = identity by default) and returns executeSigned's arguments. */
async function signed(p: { by?: typeof owner; identity?: Address; to?: Address; value?: bigint; data: Hex; nonce?: bigint; deadline?: bigint; chainId?: number }) {
  const identity = p.identity ?? alice;
  const call = {
    to: p.to ?? identity, value: p.value ?? 0n, data: p.data, nonce: p.nonce ?? randomExecuteNonce(),
    deadline: p.deadline ?? (await chain.now()) + 600n,
  };
  const signature = await signExecute(p.by ?? owner, { chainId: p.chainId ?? chain.chainId, identity, ...call });
  return [call.to, call.value, call.data, call.nonce, call.deadline, signature] as const;
}

function relay(args: readonly [Address, bigint, Hex, bigint, bigint, Hex], identity = alice, value = 0n) {
  return write(relayer(), chain.reader, { address: identity, abi: identityAbi, functionName: 'executeSigned', args, value });
}

const hasKey = (identity: Address, who: Address, purpose: bigint) =>
  chain.reader.readContract({ address: identity, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(who), purpose] });

before(async () => {
  chain = await startTestChain();
  stack = await deployIdentityStack(w(0), chain.reader);
  alice = await deployIdentity(w(0), chain.reader, {
    factory: stack.identityFactory, wallet: owner.address, keys: [{ key: walletKey(actor.address), purpose: KeyPurpose.ACTION }],
  });
  bob = await deployIdentity(w(0), chain.reader, { factory: stack.identityFactory, wallet: owner.address, salt: keccak256(toHex('bob')) });
});
after(async () => { await chain.stop(); });
beforeEach(async () => { snap = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snap); });

describe('executeSigned', () => {
  test('a management signature adds a key through a relayer that holds no key; nonce spent, event emitted', async () => {
    assert.equal(await hasKey(alice, a(3), KeyPurpose.MANAGEMENT), false);
    const args = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.CLAIM_SIGNER) });
    const digest = await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'executeDigest', args: [args[0], args[1], args[2], args[3], args[4]] });
    const { hashTypedData } = await import('viem');
    assert.equal(digest, hashTypedData(executeTypedData({ chainId: chain.chainId, identity: alice, to: args[0], value: args[1], data: args[2], nonce: args[3], deadline: args[4] })));
    const { receipt } = await relay(args);
    assert.equal(await hasKey(alice, a(4), KeyPurpose.CLAIM_SIGNER), true);
    const [ev] = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'SignedExecution' });
    assert.deepEqual(ev!.args, { signer: owner.address, nonce: args[3], to: alice, value: 0n, data: args[2] });
    assert.equal(await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'isSignedNonceUsed', args: [args[3]] }), true);
    assert.equal(await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'isSignedNonceUsed', args: [args[3] ^ 1n] }), false);
  });

  test('grants and revokes access with a management signature', async () => {
    const ref = keccak256(toHex('envelope'));
    await relay(await signed({ data: encodeFunctionData({ abi: identityAbi, functionName: 'grantAccess', args: [a(5), 1n, ref, 0n] }) }));
    assert.equal(await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'canAccess', args: [a(5), 1n] }), true);
    await relay(await signed({ data: encodeFunctionData({ abi: identityAbi, functionName: 'revokeAccess', args: [a(5), 1n] }) }));
    assert.equal(await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'canAccess', args: [a(5), 1n] }), false);
  });

  test('a signer without a key on the identity is refused', async () => {
    const args = await signed({ by: stranger, data: addKeyData(walletKey(stranger.address), KeyPurpose.MANAGEMENT) });
    await expectRevert(relay(args), 'SignerLacksPurpose', [stranger.address, KeyPurpose.MANAGEMENT]);
  });

  test('an action key cannot change the identity, but can make external calls', async () => {
    await expectRevert(relay(await signed({ by: actor, data: addKeyData(walletKey(actor.address), KeyPurpose.MANAGEMENT) })), 'SignerLacksPurpose', [actor.address, KeyPurpose.MANAGEMENT]);
    // External call: alice pays 1 wei (sent along by the relayer) to account 5.
    const before_ = await chain.reader.getBalance({ address: a(5) });
    await relay(await signed({ by: actor, to: a(5), value: 1n, data: '0x' }), alice, 1n);
    assert.equal(await chain.reader.getBalance({ address: a(5) }), before_ + 1n);
    // A stranger cannot make external calls either.
    await expectRevert(relay(await signed({ by: stranger, to: a(5), data: '0x' })), 'SignerLacksPurpose', [stranger.address, KeyPurpose.ACTION]);
  });

  test('replay is refused; a reverted call leaves its nonce unspent and bubbles its error', async () => {
    const args = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION) });
    await relay(args);
    await expectRevert(relay(args), 'SignedNonceUsed', [args[3]]);
    // Same nonce, other call: still spent.
    await expectRevert(relay(await signed({ data: addKeyData(walletKey(a(5)), KeyPurpose.ACTION), nonce: args[3] })), 'SignedNonceUsed', [args[3]]);
    const last = await signed({ data: encodeFunctionData({ abi: identityAbi, functionName: 'removeKey', args: [walletKey(owner.address), KeyPurpose.MANAGEMENT] }) });
    await expectRevert(relay(last), 'LastManagementKey');
    assert.equal(await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'isSignedNonceUsed', args: [last[3]] }), false);
  });

  test('an expired deadline is refused (block time past the deadline)', async () => {
    const now = await chain.now();
    const args = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION), deadline: now + 10n });
    await chain.travel(60);
    await expectRevert(relay(args), 'SignatureExpired', [now + 10n]);
  });

  test('a malleated (high-s) signature, a bad v and a short signature are refused', async () => {
    const args = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION) });
    await expectRevert(relay([args[0], args[1], args[2], args[3], args[4], malleate(args[5])]), 'InvalidExecutionSignature');
    await expectRevert(relay([args[0], args[1], args[2], args[3], args[4], concat([slice(args[5], 0, 64), '0x01'])]), 'InvalidExecutionSignature');
    await expectRevert(relay([args[0], args[1], args[2], args[3], args[4], slice(args[5], 0, 64)]), 'InvalidExecutionSignature');
    await relay(args); // the original still works
  });

  test('a signature for another chain or another identity recovers another address', async () => {
    const wrongChain = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION), chainId: chain.chainId + 1 });
    await expectRevert(relay(wrongChain), 'SignerLacksPurpose');
    // Signed for bob (same owner), submitted to alice: the domain's verifyingContract differs.
    const forBob = await signed({ identity: bob, data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION) });
    await expectRevert(relay([alice, forBob[1], forBob[2], forBob[3], forBob[4], forBob[5]]), 'SignerLacksPurpose');
    await relay(forBob, bob);
    assert.equal(await hasKey(bob, a(4), KeyPurpose.ACTION), true);
  });

  test('changing any signed field invalidates the signature', async () => {
    const args = await signed({ data: addKeyData(walletKey(a(4)), KeyPurpose.ACTION) });
    await expectRevert(relay([args[0], args[1], addKeyData(walletKey(a(4)), KeyPurpose.MANAGEMENT), args[3], args[4], args[5]]), 'SignerLacksPurpose');
    await expectRevert(relay([args[0], args[1], args[2], args[3], args[4] + 1n, args[5]]), 'SignerLacksPurpose');
  });
});

describe('access grant expiry on chain', () => {
  test('a grant with expiresAt stops opening at that block time', async () => {
    const now = await chain.now();
    const ref = keccak256(toHex('envelope'));
    await relay(await signed({ data: encodeFunctionData({ abi: identityAbi, functionName: 'grantAccess', args: [a(5), 2n, ref, now + 100n] }) }));
    const can = () => chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'canAccess', args: [a(5), 2n] });
    assert.equal(await can(), true);
    await chain.travel(50);
    assert.equal(await can(), true);
    await chain.travel(60);
    assert.equal(await can(), false);
    // The record stays (for audit) until revoked; granting again with a past expiry is refused.
    const g = await chain.reader.readContract({ address: alice, abi: identityAbi, functionName: 'getAccessGrant', args: [a(5), 2n] });
    assert.equal(g[0], ref);
    await expectRevert(relay(await signed({ data: encodeFunctionData({ abi: identityAbi, functionName: 'grantAccess', args: [a(5), 2n, ref, now] }) })), 'InvalidGrant');
  });
});
