// Selective-disclosure access grants held by each identity (layer two of document access).
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Address, type Hex, encodeFunctionData, keccak256, parseEventLogs, toHex } from 'viem';
import { identityAbi } from './artifacts/Identity.js';
import { ClaimTopic, deployIdentity, deployIdentityStack, walletKey, write } from './identity.js';
import {
  accessGrant,
  canAccess,
  grantAccess,
  revokeAccess,
} from './access.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';

let chain: TestChain;
let alice: Address;
let bob: Address;
let snap: Hex;
const w = (i: number) => chain.wallets[i]!;
const a = (i: number) => chain.accounts[i]!.address;
const ENVELOPE = keccak256(toHex('wrapped key envelope for verifier 3, KYC'));

before(async () => {
  chain = await startTestChain();
  const stack = await deployIdentityStack(w(0), chain.reader);
  alice = await deployIdentity(w(1), chain.reader, { factory: stack.identityFactory, wallet: a(1) });
  bob = await deployIdentity(w(2), chain.reader, { factory: stack.identityFactory, wallet: a(2) });
});
after(async () => { await chain.stop(); });
beforeEach(async () => { snap = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snap); });

test('a grant opens one topic for one verifier on one identity, with its envelope reference and event', async () => {
  const r = chain.reader;
  const verifier = a(3);
  assert.equal(await canAccess(r, alice, verifier, ClaimTopic.KYC), false);
  const { receipt } = await grantAccess(w(1), r, alice, { verifier, topic: ClaimTopic.KYC, envelopeRef: ENVELOPE });
  const ev = parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'AccessGranted' })[0]!;
  assert.deepEqual(ev.args, { verifier, claimTopic: 1n, envelopeRef: ENVELOPE, expiresAt: 0n });
  assert.equal(await canAccess(r, alice, verifier, ClaimTopic.KYC), true);
  assert.equal(await canAccess(r, alice, verifier, ClaimTopic.AML), false, 'another topic stays closed');
  assert.equal(await canAccess(r, alice, a(4), ClaimTopic.KYC), false, 'another verifier stays closed');
  assert.equal(await canAccess(r, bob, verifier, ClaimTopic.KYC), false, 'another identity stays closed');
  const g = await accessGrant(r, alice, verifier, ClaimTopic.KYC);
  assert.equal(g.envelopeRef, ENVELOPE);
  assert.equal(g.grantedAt, await chain.now());
  assert.equal(g.expiresAt, 0n);
});

test('revoking affects that verifier only; a grant can expire; re-granting replaces the envelope', async () => {
  const r = chain.reader;
  await grantAccess(w(1), r, alice, { verifier: a(3), topic: ClaimTopic.KYC, envelopeRef: ENVELOPE });
  await grantAccess(w(1), r, alice, { verifier: a(4), topic: ClaimTopic.KYC, envelopeRef: ENVELOPE });
  const { receipt } = await revokeAccess(w(1), r, alice, { verifier: a(3), topic: ClaimTopic.KYC });
  assert.deepEqual(parseEventLogs({ abi: identityAbi, logs: receipt.logs, eventName: 'AccessRevoked' })[0]!.args, { verifier: a(3), claimTopic: 1n });
  assert.equal(await canAccess(r, alice, a(3), ClaimTopic.KYC), false);
  assert.equal(await canAccess(r, alice, a(4), ClaimTopic.KYC), true);
  assert.deepEqual(await accessGrant(r, alice, a(3), ClaimTopic.KYC), { envelopeRef: `0x${'00'.repeat(32)}`, grantedAt: 0n, expiresAt: 0n });

  const until = (await chain.now()) + 3600n;
  await grantAccess(w(1), r, alice, { verifier: a(5), topic: ClaimTopic.AML, envelopeRef: ENVELOPE, expiresAt: until });
  assert.equal(await canAccess(r, alice, a(5), ClaimTopic.AML), true);
  await chain.travel(3600);
  assert.equal(await canAccess(r, alice, a(5), ClaimTopic.AML), false);

  const other = keccak256(toHex('re-wrapped'));
  await grantAccess(w(1), r, alice, { verifier: a(4), topic: ClaimTopic.KYC, envelopeRef: other });
  assert.equal((await accessGrant(r, alice, a(4), ClaimTopic.KYC)).envelopeRef, other);
});

test('only a management key grants and revokes (directly or through execute); bad grants revert', async () => {
  const r = chain.reader;
  await expectRevert(grantAccess(w(3), r, alice, { verifier: a(3), topic: 1n, envelopeRef: ENVELOPE }), 'NotManagementKey');
  await expectRevert(grantAccess(w(2), r, alice, { verifier: a(3), topic: 1n, envelopeRef: ENVELOPE }), 'NotManagementKey');
  await expectRevert(grantAccess(w(1), r, alice, { verifier: '0x0000000000000000000000000000000000000000', topic: 1n, envelopeRef: ENVELOPE }), 'InvalidGrant');
  await expectRevert(grantAccess(w(1), r, alice, { verifier: a(3), topic: 1n, envelopeRef: `0x${'00'.repeat(32)}` }), 'InvalidGrant');
  await expectRevert(grantAccess(w(1), r, alice, { verifier: a(3), topic: 1n, envelopeRef: ENVELOPE, expiresAt: await chain.now() }), 'InvalidGrant');
  await expectRevert(revokeAccess(w(1), r, alice, { verifier: a(3), topic: 1n }), 'GrantNotFound');
  await grantAccess(w(1), r, alice, { verifier: a(3), topic: 1n, envelopeRef: ENVELOPE });
  await expectRevert(revokeAccess(w(3), r, alice, { verifier: a(3), topic: 1n }), 'NotManagementKey');
  // An action key cannot grant through execute either: calls to the identity itself need a management approval.
  await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'addKey', args: [walletKey(a(4)), 2n, 1n] });
  const call = encodeFunctionData({ abi: identityAbi, functionName: 'revokeAccess', args: [a(3), 1n] });
  await write(w(4), r, { address: alice, abi: identityAbi, functionName: 'execute', args: [alice, 0n, call] });
  assert.equal(await canAccess(r, alice, a(3), 1n), true, 'still pending');
  await write(w(1), r, { address: alice, abi: identityAbi, functionName: 'approve', args: [0n, true] });
  assert.equal(await canAccess(r, alice, a(3), 1n), false);
});
