// Identity (ERC-734/735), IdentityFactory (CREATE2 clones) and ClaimIssuer on anvil.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  type Address,
  type Hex,
  concat,
  encodeFunctionData,
  hexToBigInt,
  keccak256,
  numberToHex,
  parseEventLogs,
  size,
  slice,
  toHex,
} from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { hashTypedData } from 'viem';
import { identityAbi, identityBytecode } from './artifacts/Identity.js';
import { claimIssuerAbi } from './artifacts/ClaimIssuer.js';
import { identityFactoryAbi } from './artifacts/IdentityFactory.js';
import { forgedClaimIssuerAbi, forgedClaimIssuerBytecode } from './artifacts/ForgedClaimIssuer.js';
import {
  ClaimTopic,
  ECDSA_KEY_TYPE,
  KeyPurpose,
  addClaim,
  claimId,
  claimTypedData,
  decodeClaimData,
  deployClaimIssuer,
  deployContract,
  deployIdentity,
  deployIdentityStack,
  encodeClaimData,
  predictIdentityAddress,
  signClaim,
  walletKey,
  write,
  type IdentityStack,
  type SignedClaim,
} from './identity.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const DOC = keccak256(toHex('encrypted KYC document CID'));
const ZERO = '0x0000000000000000000000000000000000000000' as Address;

let chain: TestChain;
let stack: IdentityStack;
let issuer: Address; // ClaimIssuer managed by accounts[0]
const signerKey = generatePrivateKey();
const signer = privateKeyToAccount(signerKey);
let alice: Address; // accounts[1]'s identity
let snap: Hex;

async function freshClaim(p: Partial<{ identity: Address; topic: bigint; issuer: Address; ttl: bigint; chainId: number; issuedAt: bigint; by: typeof signer }> = {}): Promise<SignedClaim> {
  const now = await chain.now();
  const issuedAt = p.issuedAt ?? now;
  return signClaim(p.by ?? signer, {
    chainId: p.chainId ?? chain.chainId,
    issuer: p.issuer ?? issuer,
    identity: p.identity ?? alice,
    topic: p.topic ?? ClaimTopic.KYC,
    documentHash: DOC,
    issuedAt,
    expiresAt: issuedAt + (p.ttl ?? 86_400n),
    uri: 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi',
  });
}

const w = (i: number) => chain.wallets[i]!;
const a = (i: number) => chain.accounts[i]!.address;

async function isValid(c: SignedClaim, identity = alice, via = issuer): Promise<boolean> {
  return chain.reader.readContract({ address: via, abi: claimIssuerAbi, functionName: 'isClaimValid', args: [identity, c.topic, c.signature, c.data] });
}

/** The other low-s/high-s twin of a signature: (r, n - s, v ^ 1). */
function malleate(sig: Hex): Hex {
  const r = slice(sig, 0, 32);
  const s = hexToBigInt(slice(sig, 32, 64));
  const v = hexToBigInt(slice(sig, 64, 65));
  return concat([r, numberToHex(N - s, { size: 32 }), numberToHex(v === 27n ? 28n : 27n, { size: 1 })]);
}

function withV(sig: Hex, v: number): Hex {
  return concat([slice(sig, 0, 64), numberToHex(v, { size: 1 })]);
}

before(async () => {
  chain = await startTestChain();
  stack = await deployIdentityStack(w(0), chain.reader);
  issuer = await deployClaimIssuer(w(0), chain.reader, { signers: [signer.address], claimIndex: stack.identityImplementation });
  alice = await deployIdentity(w(1), chain.reader, { factory: stack.identityFactory, wallet: a(1) });
});
after(async () => { await chain.stop(); });
beforeEach(async () => { snap = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snap); });

describe('ERC-734 keys', () => {
  test('a new identity has its wallet as the only management key; keyHasPurpose is exact', async () => {
    const r = chain.reader;
    const k = walletKey(a(1));
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKey', args: [k] }), [[1n], 1n, k]);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKeysByPurpose', args: [1n] }), [k]);
    assert.equal(await r.readContract({ address: alice, abi: identityAbi, functionName: 'keyHasPurpose', args: [k, 1n] }), true);
    // ONCHAINID lets a management key pass for any purpose; here it is not a claim signer.
    assert.equal(await r.readContract({ address: alice, abi: identityAbi, functionName: 'keyHasPurpose', args: [k, 3n] }), false);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKey', args: [walletKey(a(2))] }),
      [[], 0n, `0x${'00'.repeat(32)}`]);
  });

  test('addKey / removeKey with events, several purposes per key, and every revert', async () => {
    const r = chain.reader;
    const k2 = walletKey(a(2));
    const { receipt } = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, KeyPurpose.ACTION, ECDSA_KEY_TYPE] });
    const [ev] = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'KeyAdded' });
    assert.deepEqual(ev!.args, { key: k2, purpose: 2n, keyType: 1n });
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, KeyPurpose.ENCRYPTION, ECDSA_KEY_TYPE] });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKeyPurposes', args: [k2] }), [2n, 4n]);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKeysByPurpose', args: [4n] }), [k2]);

    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, 2n, 1n] }), 'KeyAlreadyHasPurpose', [2n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, 0n, 1n] }), 'InvalidPurpose', [0n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, 128n, 1n] }), 'InvalidPurpose', [128n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [`0x${'00'.repeat(32)}`, 2n, 1n] }), 'InvalidKey');
    await expectRevert(write(w(2), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, 1n, 1n] }), 'NotManagementKey');
    await expectRevert(write(w(2), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [k2, 2n] }), 'NotManagementKey');
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [k2, 3n] }), 'KeyDoesNotHavePurpose', [3n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [k2, 0n] }), 'InvalidPurpose', [0n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [walletKey(a(1)), 1n] }), 'LastManagementKey');

    const rm = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [k2, 2n] });
    assert.deepEqual(parseEventLogs({ abi: identityAbi, logs: rm.receipt.logs, eventName: 'KeyRemoved' })[0]!.args, { key: k2, purpose: 2n, keyType: 1n });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKeyPurposes', args: [k2] }), [4n]);
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [k2, 4n] });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKey', args: [k2] }), [[], 0n, `0x${'00'.repeat(32)}`]);
    // A second management key makes removing the first one possible.
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, 1n, 1n] });
    await write(w(2), r, { address: alice, abi: identityAbi, functionName: 'removeKey', args: [walletKey(a(1)), 1n] });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getKeysByPurpose', args: [1n] }), [k2]);
  });

  test('execute / approve: managers run at once, action keys only outside, others wait for approval', async () => {
    const r = chain.reader;
    const k2 = walletKey(a(2));
    const k3 = walletKey(a(3));
    const addK3 = encodeFunctionData({ abi: identityAbi, functionName: 'addKey', args: [k3, 4n, 1n] });
    // Management key: immediate.
    const e0 = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [alice, 0n, addK3] });
    assert.equal(e0.result, 0n);
    const names0 = parseEventLogs({ abi: identityAbi, logs: e0.receipt.logs }).map((l) => l.eventName);
    assert.deepEqual(names0, ['ExecutionRequested', 'Approved', 'KeyAdded', 'Executed']);
    assert.equal(await r.readContract({ address: alice, abi: identityAbi, functionName: 'keyHasPurpose', args: [k3, 4n] }), true);

    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k2, KeyPurpose.ACTION, 1n] });
    // Action key calling the identity itself: pending until a manager approves.
    const addK2Mgmt = encodeFunctionData({ abi: identityAbi, functionName: 'addKey', args: [k2, 1n, 1n] });
    const e1 = await write(w(2), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [alice, 0n, addK2Mgmt] });
    assert.deepEqual(parseEventLogs({ abi: identityAbi, logs: e1.receipt.logs }).map((l) => l.eventName), ['ExecutionRequested']);
    await expectRevert(write(w(2), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [1n, true] }), 'NotManagementKey');
    const ap = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [1n, true] });
    assert.equal(ap.result, true);
    assert.equal(await r.readContract({ address: alice, abi: identityAbi, functionName: 'keyHasPurpose', args: [k2, 1n] }), true);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [1n, true] }), 'ExecutionAlreadyDone', [1n]);
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [99n, true] }), 'ExecutionNotFound', [99n]);

    // Action key to an outside contract: immediate; a failing call is reported, not reverted.
    const k4 = walletKey(a(4));
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [k4, KeyPurpose.ACTION, 1n] });
    const failing = encodeFunctionData({ abi: claimIssuerAbi, functionName: 'revokeClaimBySignature', args: ['0x01'] });
    const e2 = await write(w(4), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [issuer, 0n, failing] });
    assert.ok(parseEventLogs({ abi: identityAbi, logs: e2.receipt.logs }).some((l) => l.eventName === 'ExecutionFailed'));

    // A stranger's request waits; an action key approves outside calls, a rejection closes the request.
    const e3 = await write(w(5), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [issuer, 0n, failing] });
    await expectRevert(write(w(5), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [e3.result as bigint, true] }), 'NotActionKey');
    const rej = await write(w(4), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [e3.result as bigint, false] });
    assert.equal(rej.result, false);
    assert.deepEqual(parseEventLogs({ abi: identityAbi, logs: rej.receipt.logs, eventName: 'Approved' })[0]!.args, { executionId: e3.result, approved: false });
    await expectRevert(write(w(4), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [e3.result as bigint, true] }), 'ExecutionAlreadyDone', [e3.result]);
  });

  test('execute forwards value', async () => {
    const r = chain.reader;
    const before = await r.getBalance({ address: a(5) });
    const { receipt } = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [a(5), 1234n, '0x'], value: 1234n });
    assert.equal(parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'Executed' })[0]!.args.value, 1234n);
    assert.equal(await r.getBalance({ address: a(5) }), before + 1234n);
  });

  test('clones initialise once; the implementation is locked', async () => {
    await expectRevert(write(w(1), chain.reader, { address: alice, abi: identityAbi, functionName: 'initialize', args: [a(2), [], []] }), 'AlreadyInitialized');
    await expectRevert(write(w(1), chain.reader, { address: stack.identityImplementation, abi: identityAbi, functionName: 'initialize', args: [a(2), [], []] }), 'AlreadyInitialized');
  });
});

describe('IdentityFactory', () => {
  test('CREATE2 address is known before deployment (off chain and on chain agree), clones are cheap', async () => {
    const r = chain.reader;
    const salt = keccak256(toHex('bob-1'));
    const predicted = predictIdentityAddress({ factory: stack.identityFactory, implementation: stack.identityImplementation, wallet: a(2), salt });
    assert.equal(await r.readContract({ address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'predictIdentity', args: [a(2), salt] }), predicted);
    assert.equal(await r.getCode({ address: predicted }), undefined);
    // Anyone may pay for the deployment: the result is the same identity, managed by the wallet.
    const { receipt, result } = await write(w(5), r, { address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentity', args: [a(2), salt] });
    assert.equal(result, predicted);
    const fullHash = await w(5).deployContract({ abi: identityAbi, bytecode: identityBytecode, args: [a(2)], chain: w(5).chain });
    const full = (await r.waitForTransactionReceipt({ hash: fullHash })).gasUsed;
    console.log(`      createIdentity (clone + init) gas: ${receipt.gasUsed}; full Identity deployment: ${full}`);
    assert.ok(receipt.gasUsed < 180_000n, `clone deployment costs ${receipt.gasUsed}`);
    assert.ok(receipt.gasUsed * 8n < full);
    assert.equal(size((await r.getCode({ address: predicted }))!), 45, 'ERC-1167 runtime is 45 bytes');
    assert.equal(await r.readContract({ address: predicted, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(a(2)), 1n] }), true);
    assert.equal(await r.readContract({ address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'isFactoryIdentity', args: [predicted] }), true);
    const ev = parseEventLogs({ abi: identityFactoryAbi, logs: receipt.logs, eventName: 'IdentityCreated' })[0]!;
    assert.deepEqual(ev.args, { identity: predicted, wallet: a(2), salt });
    await expectRevert(write(w(2), r, { address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentity', args: [a(2), salt] }), 'IdentityAlreadyDeployed');
    await expectRevert(write(w(2), r, { address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentity', args: [ZERO, salt] }), 'ZeroAddress');
  });

  test('initial keys are part of the salt, so nobody can pre-deploy a predicted address with other keys', async () => {
    const keys = [{ key: walletKey(issuer), purpose: KeyPurpose.CLAIM_SIGNER }];
    const plain = predictIdentityAddress({ factory: stack.identityFactory, implementation: stack.identityImplementation, wallet: a(3) });
    const withKeys = predictIdentityAddress({ factory: stack.identityFactory, implementation: stack.identityImplementation, wallet: a(3), keys });
    assert.notEqual(plain, withKeys);
    assert.equal(await chain.reader.readContract({ address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'predictIdentityWithKeys', args: [a(3), `0x${'00'.repeat(32)}`, [keys[0]!.key], [3n]] }), withKeys);
    const id = await deployIdentity(w(3), chain.reader, { factory: stack.identityFactory, wallet: a(3), keys });
    assert.equal(id, withKeys);
    assert.equal(await chain.reader.readContract({ address: id, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(issuer), 3n] }), true);
    await expectRevert(write(w(3), chain.reader, { address: stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentityWithKeys', args: [a(3), `0x${'00'.repeat(32)}`, [keys[0]!.key], []] }), 'LengthMismatch');
  });
});

describe('ERC-735 claims', () => {
  test('addClaim stores a valid claim under keccak256(issuer, topic), with its window; re-adding replaces it', async () => {
    const r = chain.reader;
    const c = await freshClaim();
    const { receipt, result } = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addClaim', args: [c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri] });
    const id = claimId(issuer, ClaimTopic.KYC);
    assert.equal(result, id);
    console.log(`      first addClaim gas (63-byte CID uri): ${receipt.gasUsed}`);
    assert.ok(receipt.gasUsed < 210_000n);
    const ev = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'ClaimAdded' })[0]!;
    assert.deepEqual(ev.args, { claimId: id, topic: 1n, scheme: 1n, issuer, signature: c.signature, data: c.data, uri: c.uri });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaim', args: [id] }), [1n, 1n, issuer, c.signature, c.data, c.uri]);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), [id]);
    const { issuedAt, expiresAt } = decodeClaimData(c.data);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimValidity', args: [id] }), [issuedAt, expiresAt]);
    // The contract's digest is the EIP-712 hash viem computes: the documented message layout.
    const digest = await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'claimDigest', args: [alice, 1n, c.data] });
    assert.equal(digest, hashTypedData(claimTypedData({ chainId: chain.chainId, issuer, identity: alice, topic: 1n, ...decodeClaimData(c.data) })));

    const c2 = await freshClaim({ ttl: 1000n });
    const again = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addClaim', args: [c2.topic, c2.scheme, c2.issuer, c2.signature, c2.data, c2.uri] });
    assert.equal(parseEventLogs({ abi: identityAbi, logs: again.receipt.logs, eventName: 'ClaimChanged' }).length, 1);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), [id]);
  });

  test('claims are stored as contract code: every field comes back byte for byte (empty, long, non-ASCII uri); uri bounded by the code size limit', async () => {
    const r = chain.reader;
    const id = claimId(issuer, ClaimTopic.KYC);
    for (const uri of ['', 'ipfs://été/☃', 'x'.repeat(5_000), 'y'.repeat(24_576 - 174)]) {
      const c = { ...(await freshClaim()), uri };
      await addClaim(w(1), r, alice, c);
      assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaim', args: [id] }), [1n, 1n, issuer, c.signature, c.data, uri]);
    }
    const tooLong = { ...(await freshClaim()), uri: 'z'.repeat(24_576 - 173) };
    await expectRevert(addClaim(w(1), r, alice, tooLong), 'UriTooLong');
    // Removal emits every field, read back from the code.
    const { receipt } = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [id] });
    const ev = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'ClaimRemoved' })[0]!.args;
    assert.equal(ev.uri, 'y'.repeat(24_576 - 174));
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaim', args: [id] }), [0n, 0n, '0x0000000000000000000000000000000000000000', '0x', '0x', '']);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimValidity', args: [id] }), [0n, 0n]);
  });

  test('addClaim reverts: not a claim key, bad data layout, invalid, expired or future claim, non-contract issuer', async () => {
    const r = chain.reader;
    const add = (c: SignedClaim, by = 1) =>
      write(w(by), r, { address: alice, abi: identityAbi, functionName: 'addClaim', args: [c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri] });
    const c = await freshClaim();
    await expectRevert(add(c, 2), 'NotClaimKey');
    await expectRevert(add({ ...c, data: concat([c.data, '0x00']) }), 'InvalidClaimData');
    const now = await chain.now();
    await expectRevert(add({ ...c, data: encodeClaimData({ documentHash: DOC, issuedAt: now, expiresAt: now }) }), 'InvalidClaimData');
    // A uint64 field with dirty high bits is a second encoding of the same window: rejected.
    const dirty = concat([slice(c.data, 0, 32), numberToHex((1n << 64n) + now, { size: 32 }), slice(c.data, 64, 96)]);
    await expectRevert(add({ ...c, data: dirty }), 'InvalidClaimData');
    await expectRevert(add({ ...c, scheme: 1n << 64n }), 'InvalidClaimData');
    await expectRevert(add({ ...c, signature: slice(c.signature, 0, 64) }), 'UnsupportedSignature');
    await expectRevert(add({ ...c, topic: ClaimTopic.AML }), 'InvalidClaim');
    await expectRevert(add(await freshClaim({ issuedAt: now - 100n, ttl: 50n })), 'InvalidClaim');
    await expectRevert(add(await freshClaim({ issuedAt: now + 3600n })), 'InvalidClaim');
    await expectRevert(add({ ...c, issuer: a(3) }), 'InvalidClaim');
    // A claim key (purpose 3) on the identity may add claims.
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [walletKey(a(2)), 3n, 1n] });
    await add(c, 2);
  });

  test('removeClaim by the holder, a claim key or the issuer; reverts otherwise', async () => {
    const r = chain.reader;
    const c = await freshClaim();
    await addClaim(w(1), r, alice, c);
    const id = claimId(issuer, c.topic);
    await expectRevert(write(w(2), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [id] }), 'NotClaimKey');
    await expectRevert(write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [keccak256('0x01')] }), 'ClaimNotFound');
    const { receipt } = await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'removeClaim', args: [id] });
    assert.equal(parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'ClaimRemoved' })[0]!.args.claimId, id);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), []);
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaim', args: [id] }), [0n, 0n, ZERO, '0x', '0x', '']);
    // The issuer (through its own execute) removes its claim.
    await addClaim(w(1), r, alice, await freshClaim());
    const rm = encodeFunctionData({ abi: identityAbi, functionName: 'removeClaim', args: [id] });
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'execute', args: [alice, 0n, rm] });
    assert.deepEqual(await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [1n] }), []);
  });

  test('self-issued claims need a claim-signer key of the identity itself, not just a management key', async () => {
    const r = chain.reader;
    const own = privateKeyToAccount(generatePrivateKey());
    const c = await freshClaim({ issuer: alice, by: own, topic: ClaimTopic.TAX_RESIDENCY });
    await expectRevert(addClaim(w(1), r, alice, c), 'InvalidClaim');
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [walletKey(own.address), 3n, 1n] });
    assert.equal(await addClaim(w(1), r, alice, c), claimId(alice, ClaimTopic.TAX_RESIDENCY));
  });

  test('at most MAX_CLAIMS_PER_TOPIC claims per topic', async () => {
    const r = chain.reader;
    const max = await r.readContract({ address: alice, abi: identityAbi, functionName: 'MAX_CLAIMS_PER_TOPIC' });
    const forged = await deployContract(w(0), r, { abi: forgedClaimIssuerAbi, bytecode: forgedClaimIssuerBytecode });
    const c = await freshClaim();
    for (let i = 0n; i < max; ++i) await addClaim(w(1), r, alice, { ...c, topic: 42n, issuer: i === 0n ? forged : await deployContract(w(0), r, { abi: forgedClaimIssuerAbi, bytecode: forgedClaimIssuerBytecode }) });
    await expectRevert(addClaim(w(1), r, alice, { ...c, topic: 42n, issuer: await deployContract(w(0), r, { abi: forgedClaimIssuerAbi, bytecode: forgedClaimIssuerBytecode }) }), 'TooManyClaimsForTopic', [42n]);
  });
});

describe('claim signatures (ONCHAINID weaknesses fixed)', () => {
  test('a valid claim verifies; malleated (high-s) and v not in {27, 28} are rejected', async () => {
    const c = await freshClaim();
    assert.equal(await isValid(c), true);
    const twin = malleate(c.signature);
    // The twin recovers the same signer with plain ecrecover, which is exactly why it must be refused.
    assert.equal(await isValid({ ...c, signature: twin }), false);
    for (const v of [0, 1, 29, 35]) {
      const fixedV = withV(c.signature, v);
      assert.equal(await isValid({ ...c, signature: fixedV }), false, `v = ${v}`);
    }
    assert.equal(await isValid({ ...c, signature: slice(c.signature, 0, 64) }), false, '64-byte (EIP-2098) form');
    await expectRevert(addClaim(w(1), chain.reader, alice, { ...c, signature: twin }), 'InvalidClaim');
  });

  test('signatures bound to another chain, identity, topic or issuer are rejected', async () => {
    const r = chain.reader;
    assert.equal(await isValid(await freshClaim({ chainId: 1 })), false, 'other chain');
    const bob = await deployIdentity(w(2), r, { factory: stack.identityFactory, wallet: a(2) });
    const forBob = await freshClaim({ identity: bob });
    assert.equal(await isValid(forBob, bob), true);
    assert.equal(await isValid(forBob, alice), false, 'other identity');
    await expectRevert(addClaim(w(1), r, alice, forBob), 'InvalidClaim');
    const c = await freshClaim();
    assert.equal(await isValid({ ...c, topic: ClaimTopic.AML }), false, 'other topic');
    // Same signing key on a second issuer contract: a claim for one issuer is not a claim for the other.
    const issuer2 = await deployClaimIssuer(w(0), r, { signers: [signer.address] });
    assert.equal(await isValid(c, alice, issuer2), false, 'other issuer');
  });

  test('only claim-signer keys sign: a management key cannot, and removing a signer invalidates its claims', async () => {
    const r = chain.reader;
    const byManager = await freshClaim({ by: chain.accounts[0]! as unknown as typeof signer });
    assert.equal(await isValid(byManager), false);
    const c = await freshClaim();
    await addClaim(w(1), r, alice, c);
    await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'removeKey', args: [walletKey(signer.address), 3n] });
    assert.equal(await isValid(c), false);
  });
});

describe('ClaimIssuer revocation and renewal', () => {
  test('revokeClaim by claim id revokes signature and digest (no malleated or re-signed come-back)', async () => {
    const r = chain.reader;
    const c = await freshClaim();
    await addClaim(w(1), r, alice, c);
    const id = claimId(issuer, c.topic);
    await expectRevert(write(w(1), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [id, alice] }), 'NotManagementKey');
    const { receipt } = await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [id, alice] });
    const names = parseEventLogs({ abi: claimIssuerAbi, logs: receipt.logs }).map((l) => l.eventName);
    // RecordRevoked (from the claim index): alice's verification record of this claim no longer counts.
    assert.deepEqual(names, ['ClaimRevoked', 'ClaimDigestRevoked', 'RecordRevoked']);
    assert.equal(await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [c.signature] }), true);
    assert.equal(await isValid(c), false);
    const revokedDigest = await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'claimDigest', args: [alice, c.topic, c.data] });
    assert.equal(await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'isDigestRevoked', args: [revokedDigest] }), true);
    await expectRevert(write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [id, alice] }), 'ClaimAlreadyRevoked');

    // A different valid low-s signature of the same content (fresh nonce) stays dead: the digest is revoked.
    const digest = await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'claimDigest', args: [alice, c.topic, c.data] });
    const sig2 = secp256k1.sign(Buffer.from(digest.slice(2), 'hex'), Buffer.from(signerKey.slice(2), 'hex'), { extraEntropy: true, prehash: false, format: 'recovered' } as never) as Uint8Array;
    const reSigned = concat([toHex(sig2.slice(1, 65)), numberToHex(27 + sig2[0]!, { size: 1 })]);
    assert.notEqual(reSigned, c.signature);
    assert.equal(await r.readContract({ address: issuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [reSigned] }), false);
    assert.equal(await isValid({ ...c, signature: reSigned }), false);
    await expectRevert(addClaim(w(1), r, alice, { ...c, signature: reSigned }), 'InvalidClaim');
    await expectRevert(addClaim(w(1), r, alice, { ...c, signature: malleate(c.signature) }), 'InvalidClaim');
    await expectRevert(write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimId(issuer, 9n), alice] }), 'NotIssuerOfClaim');
  });

  test('revokeClaimBySignature', async () => {
    const r = chain.reader;
    const c = await freshClaim();
    await expectRevert(write(w(1), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaimBySignature', args: [c.signature] }), 'NotManagementKey');
    const { receipt } = await write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaimBySignature', args: [c.signature] });
    assert.equal(parseEventLogs({ abi: claimIssuerAbi, logs: receipt.logs, eventName: 'ClaimRevoked' }).length, 1);
    assert.equal(await isValid(c), false);
    await expectRevert(addClaim(w(1), r, alice, c), 'InvalidClaim');
    await expectRevert(write(w(0), r, { address: issuer, abi: claimIssuerAbi, functionName: 'revokeClaimBySignature', args: [c.signature] }), 'ClaimAlreadyRevoked');
  });

  test('issueClaim and renewClaim push through the issuer (needs its claim key); renewal revokes the old claim atomically', async () => {
    const r = chain.reader;
    const c = await freshClaim();
    const push = (by: number, x: SignedClaim, fn: 'issueClaim' | 'renewClaim' = 'issueClaim') =>
      write(w(by), r, { address: issuer, abi: claimIssuerAbi, functionName: fn, args: [alice, x.topic, x.scheme, x.signature, x.data, x.uri] });
    await expectRevert(push(0, c), 'NotClaimKey');
    await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [walletKey(issuer), 3n, 1n] });
    await expectRevert(push(0, c, 'renewClaim'), 'NotIssuerOfClaim');
    // Anyone may push (a relayer holding no key of the issuer): the issuer's signature is the authorization ...
    await push(2, c);
    assert.equal(await isValid(c), true);
    // ... so a claim it did not sign, or signed for another identity, is refused by the identity.
    await expectRevert(push(2, await freshClaim({ by: privateKeyToAccount(generatePrivateKey()), issuedAt: (await chain.now()) + 1n })), 'InvalidClaim');
    // The same claim again is harmless; an older one cannot replace it, by issueClaim or renewClaim.
    await push(2, c);
    const older = await freshClaim({ issuedAt: decodeClaimData(c.data).issuedAt - 10n });
    await expectRevert(push(2, older), 'StaleClaim');
    await expectRevert(push(0, older, 'renewClaim'), 'StaleClaim');
    // Renewing with the held claim itself revokes it first, so the add fails and the whole renewal reverts.
    await expectRevert(push(0, c, 'renewClaim'), 'InvalidClaim');
    assert.equal(await isValid(c), true);

    await chain.travel(60);
    const renewed = await freshClaim({ ttl: 365n * 86_400n });
    // A renewal that fails (not signed by a signer of the issuer) reverts whole: the old claim stays, unrevoked.
    await expectRevert(push(2, await freshClaim({ by: privateKeyToAccount(generatePrivateKey()) }), 'renewClaim'), 'InvalidClaim');
    assert.equal(await isValid(c), true);
    const { receipt } = await push(2, renewed, 'renewClaim');
    const names = parseEventLogs({ abi: [...claimIssuerAbi], logs: receipt.logs }).map((l) => l.eventName);
    assert.deepEqual(names, ['ClaimRevoked', 'ClaimDigestRevoked', 'RecordRevoked', 'ClaimChanged', 'ClaimRenewed']);
    assert.equal(await isValid(c), false, 'old claim revoked');
    assert.equal(await isValid(renewed), true);
    const id = claimId(issuer, c.topic);
    const [, , , sig] = await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaim', args: [id] });
    assert.equal(sig, renewed.signature);
    assert.equal((await r.readContract({ address: alice, abi: identityAbi, functionName: 'getClaimValidity', args: [id] }))[1], decodeClaimData(renewed.data).expiresAt);
  });
});
