// ZkComplianceGate + IdentityRegistry + PermissionedToken on anvil with real credential-query proofs: an investor
// registered in the identity registry with no public claim is admitted to an ERC-3643 token by a zero-knowledge
// proof, until its mark expires; the nullifier admits one wallet only; the same wallet refreshes with a newer proof.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFunctionData, type Address } from 'viem';
import type { HDAccount } from 'viem/accounts';
import { parseRequest, proveAnswer, proveStateTransition, releaseProverResources, responseToJson, type CredentialQueryResponseJson } from '../zk/index.js';
import { identityStateRegistry, type IdentityStateRegistryClient } from './identity-state.js';
import { artifactPaths } from '../zk/node.js';
import { makeFixture, TEST_SCHEMA } from '../zk/test-fixtures.js';
import type { CredentialWitness } from '../zk/inputs.js';
import { identityAbi, identityRegistryAbi, zkComplianceGateAbi } from './artifacts/index.js';
import { ClaimTopic, deployIdentity, isVerified, registerIdentity, type Wallet } from './identity.js';
import { expectRevert } from './testkit.js';
import { Country, useTokenWorld, type TokenWorld } from './token-fixture.js';
import {
  QueryRefusal,
  createRequest,
  deployZkComplianceGate,
  deployZkContracts,
  getGateTopic,
  getZkComplianceGate,
  holderRequest,
  isVerifiedByGate,
  proveToGate,
  publishState,
  removeGateTopic,
  requestNullifier,
  restoreGateNullifier,
  revokeGateMark,
  suspendGateNullifier,
  setGateTopic,
  setZkComplianceGate,
  type OnchainRequest,
  type ZkContracts,
} from './zk.js';
import { Role } from './roles.js';

const DAY = 24n * 3600n;
const VALIDITY = 7n * DAY;
let w: TokenWorld;
let zk: ZkContracts;
let gate: Address;
let request: OnchainRequest;
let dave: { account: HDAccount; wallet: Wallet; address: Address; identity: Address };
let erin: typeof dave;
let frank: { account: HDAccount; wallet: Wallet; address: Address };
const f = makeFixture();
// Proofs of one holder for the gate's request: for dave (twice, the second one newer), erin and frank (unregistered).
const P = {} as Record<'dave' | 'dave2' | 'erin' | 'frank', CredentialQueryResponseJson>;
let registry: IdentityStateRegistryClient;

async function prove(cred: CredentialWitness, wallet: Address, timestamp: bigint) {
  const q = parseRequest(holderRequest(request, { wallet, timestamp }));
  const holder = f.holderAt(await registry.gistProof(f.holder.id));
  return responseToJson(request.requestId, await proveAnswer(holder, cred, q, { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') }));
}

useTokenWorld(async (world) => {
  w = world;
  zk = await deployZkContracts(w.admin, w.reader);
  registry = identityStateRegistry({ reader: w.reader, address: zk.identityStateRegistry });
  const cred = f.credential(f.issue());
  const [first] = f.issuer.transitions();
  await publishState(w.admin, w.reader, zk.identityStateRegistry,
    await proveStateTransition(first, await registry.gistUpdateWitness(f.issuer.id.bigint, first.newState), artifactPaths('stateTransition')));
  // KYC, privately: "my issuer says my amount is at least 500".
  request = await createRequest(w.admin, w.reader, zk.zkQueryVerifier, {
    schema: TEST_SCHEMA.hash.toString(), slotIndex: 5, operator: 'GREATER_OR_EQUAL', values: ['500'], issuers: [f.issuer.id.string],
  }, { issuerStateMaxAge: 3600n, maxProofAge: DAY });
  gate = await deployZkComplianceGate(w.admin, w.reader, { queryVerifier: zk.zkQueryVerifier });
  await setGateTopic(w.admin, w.reader, gate, ClaimTopic.KYC, request.requestId, VALIDITY);

  // dave and erin: registered (identity + country) with no claim at all; frank: not registered.
  const register = async (i: number) => {
    const account = w.spare[i];
    const identity = await deployIdentity(w.admin, w.reader, { factory: w.stack.identityFactory, wallet: account.address });
    await registerIdentity(w.admin, w.reader, w.stack.identityRegistry, account.address, identity, Country.FR);
    return { account, wallet: w.spareWallets[i], address: account.address, identity };
  };
  dave = await register(0);
  erin = await register(1);
  frank = { account: w.spare[2], wallet: w.spareWallets[2], address: w.spare[2].address };

  const now = await w.chain.now();
  P.dave = await prove(cred, dave.address, now - 120n);
  P.dave2 = await prove(cred, dave.address, now - 60n);
  P.erin = await prove(cred, erin.address, now - 120n);
  P.frank = await prove(cred, frank.address, now - 120n);
  await releaseProverResources();
});

const mint = (to: Address, amount = 100n) => w.tokenWrite('mint', [to, amount]);
const transfer = (from: { wallet: Wallet }, to: Address, amount = 10n) => w.tokenWrite('transfer', [to, amount], from.wallet);

test('no gate on the registry: a wallet without claims is not verified, whatever the gate says (unchanged behaviour)', async () => {
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  assert.equal(await isVerifiedByGate(w.reader, gate, dave.address, ClaimTopic.KYC), true);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await expectRevert(w.tokenSim('mint', [dave.address, 100n]), 'ReceiverNotVerified');
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, w.alice.address), true);
});

test('admitted on a ZK proof: a registered wallet with no public claim receives and sends tokens through the gate', async () => {
  assert.equal(await getZkComplianceGate(w.reader, w.stack.identityRegistry), undefined);
  await expectRevert(setZkComplianceGate(w.alice.wallet, w.reader, w.stack.identityRegistry, gate), 'MissingRole', [w.alice.address, Role.REGISTRY_SETTER]);
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  assert.equal(await getZkComplianceGate(w.reader, w.stack.identityRegistry), gate);
  await mint(w.alice.address);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await expectRevert(w.tokenSim('transfer', [dave.address, 10n], w.alice.wallet), 'ReceiverNotVerified');
  const { expiresAt, receipt } = await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  assert.equal(expiresAt, (await w.reader.getBlock({ blockHash: receipt.blockHash })).timestamp + VALIDITY);
  const claimIds = await w.reader.readContract({ address: dave.identity, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [ClaimTopic.KYC] });
  assert.equal(claimIds.length, 0, 'dave holds no public claim');
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), true);
  await mint(dave.address);
  await transfer(w.alice, dave.address);
  await transfer(dave, w.bob.address);
  assert.equal(await w.tokenRead<bigint>('balanceOf', [dave.address]), 100n);

  // The gate removed from the registry: back to claims only.
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry);
  assert.equal(await getZkComplianceGate(w.reader, w.stack.identityRegistry), undefined);
  await expectRevert(w.tokenSim('transfer', [dave.address, 10n], w.alice.wallet), 'ReceiverNotVerified');
});

test('the mark expires after the topic validity', async () => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  await mint(w.alice.address);
  await transfer(w.alice, dave.address);
  await w.chain.travel(Number(VALIDITY) + 1);
  assert.equal(await isVerifiedByGate(w.reader, gate, dave.address, ClaimTopic.KYC), false);
  await expectRevert(w.tokenSim('transfer', [dave.address, 10n], w.alice.wallet), 'ReceiverNotVerified');
  await expectRevert(w.tokenSim('transfer', [w.bob.address, 1n], dave.wallet), 'SenderNotVerified');
});

test('a removed topic or a revoked mark stops counting at once', async () => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  await revokeGateMark(w.admin, w.reader, gate, dave.address, ClaimTopic.KYC);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await expectRevert(proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave), 'ProofNotNewer'); // no replay
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), true);
  assert.deepEqual(await getGateTopic(w.reader, gate, ClaimTopic.KYC), { requestId: request.requestId, validity: VALIDITY, active: true });
  await removeGateTopic(w.admin, w.reader, gate, ClaimTopic.KYC);
  assert.equal((await getGateTopic(w.reader, gate, ClaimTopic.KYC)).active, false);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await expectRevert(proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2), 'TopicNotConfigured');
  await setGateTopic(w.admin, w.reader, gate, ClaimTopic.KYC, request.requestId, VALIDITY);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false, 'a new configuration starts with no marks');
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), true);
  await expectRevert(setGateTopic(w.bob.wallet, w.reader, gate, ClaimTopic.KYC, request.requestId, VALIDITY), 'NotOwnerOrAgent');
  await expectRevert(setGateTopic(w.admin, w.reader, gate, ClaimTopic.KYC, 12345n, VALIDITY), 'UnknownRequest');
});

test('screening hit: the issuer computes the holder\'s nullifier, the gate suspends it: out at once, no newer proof admits it', async () => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  // The KYC provider knows the holder's ID (its claim names it) and the public request: nothing else is needed.
  const nullifier = requestNullifier(f.holder.id, request);
  assert.equal(nullifier, BigInt(P.dave.publicSignals[0]));
  await expectRevert(suspendGateNullifier(w.bob.wallet, w.reader, gate, ClaimTopic.KYC, nullifier), 'NotOwnerOrAgent');
  const { receipt } = await suspendGateNullifier(w.admin, w.reader, gate, ClaimTopic.KYC, nullifier);
  const [event] = w.events(receipt, zkComplianceGateAbi);
  assert.deepEqual(event.args, { nullifier, topic: ClaimTopic.KYC, wallet: dave.address });
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await expectRevert(w.tokenSim('mint', [dave.address, 10n]), 'ReceiverNotVerified');
  await expectRevert(proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2), 'NullifierIsSuspended');
  await expectRevert(proveToGate(erin.wallet, w.reader, gate, ClaimTopic.KYC, P.erin), 'NullifierIsSuspended');
  // Cleared: restored, the holder proves again (the lost mark is not given back by itself).
  await restoreGateNullifier(w.admin, w.reader, gate, nullifier);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), false);
  await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, dave.address), true);
});

test('Sybil rule: the nullifier admits its first wallet only; that wallet refreshes with a newer proof', async () => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  assert.equal(P.erin.publicSignals[0], P.dave.publicSignals[0], 'one holder, one request: one nullifier');
  const first = await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  await expectRevert(proveToGate(erin.wallet, w.reader, gate, ClaimTopic.KYC, P.erin), 'NullifierBoundToAnotherWallet');
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, erin.address), false);
  // Refresh: the same proof again is refused, a newer one extends the mark.
  await w.chain.travel(3600);
  await expectRevert(proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave), 'ProofNotNewer');
  const refreshed = await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2);
  assert.ok(refreshed.expiresAt > first.expiresAt);
  // A proof for dave is useless to anyone else (challenge = wallet), and its nullifier is dave's anyway.
  const nullifierWallet = await w.reader.readContract({ address: gate, abi: zkComplianceGateAbi, functionName: 'nullifierWallet', args: [BigInt(P.dave.publicSignals[0])] });
  assert.equal(nullifierWallet, dave.address);
});

test('the proof is bound to the wallet, and the wallet must be registered in the identity registry', async () => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  // erin submitting dave's proof first: the challenge names dave.
  await expectRevert(proveToGate(erin.wallet, w.reader, gate, ClaimTopic.KYC, P.dave), 'ProofRefused', [QueryRefusal.WRONG_CHALLENGE]);
  // frank proves (the gate marks him) but is not registered: no identity, no country, not verified.
  await proveToGate(frank.wallet, w.reader, gate, ClaimTopic.KYC, P.frank);
  assert.equal(await isVerifiedByGate(w.reader, gate, frank.address, ClaimTopic.KYC), true);
  assert.equal(await isVerified(w.reader, w.stack.identityRegistry, frank.address), false);
  await expectRevert(w.tokenSim('mint', [frank.address, 1n]), 'ReceiverNotVerified');
});

test('gas: gate prove, and isVerified through the gate', async (t) => {
  await setZkComplianceGate(w.admin, w.reader, w.stack.identityRegistry, gate);
  const { receipt } = await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave);
  t.diagnostic(`gate prove gas (first use of the nullifier): ${receipt.gasUsed}`);
  await w.chain.travel(60);
  const { receipt: r2 } = await proveToGate(dave.wallet, w.reader, gate, ClaimTopic.KYC, P.dave2);
  t.diagnostic(`gate prove gas (refresh): ${r2.gasUsed}`);
  // eth_estimateGas is misleading here (isVerified catches failing sub-calls, see bench/results/gas.md): find the
  // least gas limit at which an eth_call of isVerified still answers true.
  const gas = async (who: Address) => {
    const data = encodeFunctionData({ abi: identityRegistryAbi, functionName: 'isVerified', args: [who] });
    const ok = async (limit: bigint) => {
      try {
        const r = await w.reader.call({ to: w.stack.identityRegistry, data, gas: limit });
        return BigInt(r.data ?? '0x0') === 1n;
      } catch { return false; }
    };
    let [lo, hi] = [21_000n, 1_000_000n];
    while (hi - lo > 1n) { const mid = (lo + hi) / 2n; if (await ok(mid)) hi = mid; else lo = mid; }
    return hi;
  };
  t.diagnostic(`isVerified, least eth_call gas answering true (21,000 included): claims (alice) ${await gas(w.alice.address)}, gate (dave) ${await gas(dave.address)}`);
});
