// InvestorOnboarding on anvil: one agent call deploys the identity (CREATE2), adds the signed claims, registers
// it and checks verification, all or nothing; then the investor trades.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type Hex, zeroAddress } from 'viem';
import { expectRevert } from './testkit.js';
import { claimTopicsRegistryAbi, identityAbi, identityFactoryAbi, identityRegistryAbi, investorOnboardingAbi } from './artifacts/index.js';
import { ClaimTopic, KeyPurpose, claimId, deployClaimIssuer, registryKey, walletKey, write } from './identity.js';
import { allErrors, useTokenWorld, Country, DOCUMENT_URI, type TokenWorld } from './token-fixture.js';
import { onboard, predictOnboardedIdentity } from './token.js';
import { Role } from './roles.js';

let w: TokenWorld;
useTokenWorld((world) => {
  w = world;
});

const ir = <T>(functionName: string, args: readonly unknown[]) =>
  w.reader.readContract({ address: w.stack.identityRegistry, abi: identityRegistryAbi, functionName: functionName as never, args: args as never }) as Promise<T>;
const onboardSim = (args: readonly unknown[], from = w.admin) =>
  w.reader.simulateContract({
    address: w.onboarding,
    abi: [...investorOnboardingAbi, ...allErrors()],
    functionName: 'onboard',
    args: args as never,
    account: from.account,
  });
const ZERO: Hex = `0x${'00'.repeat(32)}`;

test('one call: identity deployed at the predicted address, claims added, registered, verified; then it trades', async () => {
  const dave = w.spare[0];
  await write(w.admin, w.reader, { address: w.stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'addClaimTopic', args: [ClaimTopic.AML] });
  const predicted = await predictOnboardedIdentity(w.reader, w.onboarding, dave.address);
  assert.equal(await w.reader.getCode({ address: predicted }), undefined);
  const claims = [await w.claim(predicted, ClaimTopic.KYC), await w.claim(predicted, ClaimTopic.AML)];
  const { identity, receipt } = await onboard(w.admin, w.reader, w.onboarding, { investor: dave.address, country: Country.DE, claims });
  assert.equal(identity, predicted);
  const names = w.events(receipt, [...investorOnboardingAbi, ...identityAbi, ...identityRegistryAbi, ...identityFactoryAbi]).map((e) => e.eventName);
  assert.deepEqual(names.filter((n) => ['IdentityCreated', 'ClaimAdded', 'KeyRemoved', 'IdentityRegistered', 'InvestorOnboarded'].includes(n)),
    ['IdentityCreated', 'ClaimAdded', 'ClaimAdded', 'KeyRemoved', 'IdentityRegistered', 'InvestorOnboarded']);
  assert.equal(await ir('isVerified', [dave.address]), true);
  assert.equal(await ir('investorCountry', [dave.address]), Country.DE);
  assert.equal((await ir<string>('identity', [dave.address])).toLowerCase(), identity.toLowerCase());
  // The wallet is the identity's only management key: the onboarding contract removed its own.
  const managers = await w.reader.readContract({ address: identity, abi: identityAbi, functionName: 'getKeysByPurpose', args: [KeyPurpose.MANAGEMENT] });
  assert.deepEqual(managers, [walletKey(dave.address)]);
  // ...and the registry's trusted issuers registry is its claim registry: issuers trusted later push and renew there.
  const registries = await w.reader.readContract({ address: identity, abi: identityAbi, functionName: 'getKeysByPurpose', args: [KeyPurpose.CLAIM_REGISTRY] });
  assert.deepEqual(registries, [registryKey(w.stack.trustedIssuersRegistry)]);
  const [, , issuer, , , uri] = await w.reader.readContract({ address: identity, abi: identityAbi, functionName: 'getClaim', args: [claimId(w.issuer, ClaimTopic.KYC)] });
  assert.equal(issuer.toLowerCase(), w.issuer.toLowerCase());
  assert.equal(uri, DOCUMENT_URI);
  await w.tokenWrite('mint', [dave.address, 100n]);
  // Alice holds KYC only: drop the AML requirement so she can receive.
  await write(w.admin, w.reader, { address: w.stack.claimTopicsRegistry, abi: claimTopicsRegistryAbi, functionName: 'removeClaimTopic', args: [ClaimTopic.AML] });
  await w.tokenWrite('transfer', [w.alice.address, 40n], w.spareWallets[0]);
  assert.equal(await w.tokenRead('balanceOf', [w.alice.address]), 40n);
});

test('all or nothing: a bad signature, a missing topic or a registered wallet leave nothing behind', async () => {
  const dave = w.spare[0];
  const predicted = await predictOnboardedIdentity(w.reader, w.onboarding, dave.address);
  // Claim signed for another identity: addClaim refuses it.
  const wrong = await w.claim(w.alice.identity, ClaimTopic.KYC);
  await expectRevert(onboardSim([dave.address, Country.FR, ZERO, [wrong]]), 'InvalidClaim');
  // No claim at all: the wallet would not be verified.
  await expectRevert(onboardSim([dave.address, Country.FR, ZERO, []]), 'NotVerifiedAfterOnboarding');
  // A claim by an untrusted issuer (signed by a key of a foreign issuer contract) is accepted by the identity but
  // does not verify.
  const rogue = await deployClaimIssuer(w.admin, w.reader, { signers: [w.signer.address], claimIndex: w.stack.identityImplementation });
  const untrusted = await w.claim(predicted, ClaimTopic.KYC, { issuer: rogue });
  await expectRevert(onboardSim([dave.address, Country.FR, ZERO, [untrusted]]), 'NotVerifiedAfterOnboarding');
  // Alice is registered already.
  const alicePredicted = await predictOnboardedIdentity(w.reader, w.onboarding, w.alice.address, `0x${'11'.repeat(32)}`);
  const aliceClaim = await w.claim(alicePredicted, ClaimTopic.KYC);
  await expectRevert(onboardSim([w.alice.address, Country.FR, `0x${'11'.repeat(32)}`, [aliceClaim]]), 'WalletAlreadyStored');
  assert.equal(await w.reader.getCode({ address: predicted }), undefined);
  assert.equal(await ir('contains', [dave.address]), false);
});

test('agent only; zero wallet rejected; owner manages agents', async () => {
  const good = await w.claim(await predictOnboardedIdentity(w.reader, w.onboarding, w.spare[0].address), ClaimTopic.KYC);
  await expectRevert(onboardSim([w.spare[0].address, Country.FR, ZERO, [good]], w.alice.wallet), 'MissingRole', [w.alice.address, Role.AGENT]);
  await expectRevert(onboardSim([zeroAddress, Country.FR, ZERO, []]), 'ZeroAddress');
  await write(w.admin, w.reader, { address: w.onboarding, abi: investorOnboardingAbi, functionName: 'addAgent', args: [w.alice.address] });
  await onboard(w.alice.wallet, w.reader, w.onboarding, { investor: w.spare[0].address, country: Country.FR, claims: [good] });
  assert.equal(await ir('isVerified', [w.spare[0].address]), true);
});

test('an identity someone else deployed first at the predicted address is reused', async () => {
  const dave = w.spare[0].address;
  const predicted = await predictOnboardedIdentity(w.reader, w.onboarding, dave);
  // The factory is permissionless: anyone may deploy the predicted identity with the same arguments.
  await write(w.bob.wallet, w.reader, {
    address: w.stack.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentityWithKeys',
    args: [w.onboarding, ZERO, [walletKey(dave), registryKey(w.stack.trustedIssuersRegistry)], [KeyPurpose.MANAGEMENT, KeyPurpose.CLAIM_REGISTRY]],
  });
  assert.notEqual(await w.reader.getCode({ address: predicted }), undefined);
  const { identity } = await onboard(w.admin, w.reader, w.onboarding, { investor: dave, country: Country.FR, claims: [await w.claim(predicted, ClaimTopic.KYC)] });
  assert.equal(identity, predicted);
  assert.equal(await ir('isVerified', [dave]), true);
});

test('the onboarding contract exposes its factory and registry', async () => {
  const read = (fn: 'factory' | 'identityRegistry') => w.reader.readContract({ address: w.onboarding, abi: investorOnboardingAbi, functionName: fn });
  assert.equal((await read('factory')).toLowerCase(), w.stack.identityFactory.toLowerCase());
  assert.equal((await read('identityRegistry')).toLowerCase(), w.stack.identityRegistry.toLowerCase());
});
