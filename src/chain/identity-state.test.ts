// The issuer, holder and verifier roles of src/zk against the on-chain IdentityStateRegistry and ZkQueryVerifier:
// an issuer publishes batches of changes with one proof each, a holder answers from a real sealed wallet, a
// verifier checks off-chain and the same answer is accepted on-chain.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { Wallet } from '../wallet/index.js';
import { ZkHolder, ZkIssuer, ZkVerifier, ZkError, proveStateTransition, releaseProverResources, type CredentialQueryResponseJson } from '../zk/index.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
import { identityStateRegistry, type IdentityStateRegistryClient } from './identity-state.js';
import { startTestChain, type TestChain } from './testkit.js';
import { createRequest, deployZkContracts, holderRequest, submitResponse, type ZkContracts } from './zk.js';

const FAST_SCRYPT = { N: 2 ** 10, r: 8, p: 1 };
const dir = mkdtempSync(join(tmpdir(), 'masque-roles-'));
let chain: TestChain;
let zk: ZkContracts;
let registry: IdentityStateRegistryClient;
let issuer: ZkIssuer;
let wallet: Wallet;
let holder: ZkHolder;
const issuerKey = privateKeyFromSeed(new Uint8Array(32).fill(41));
const birthDate = KYC_SCHEMA.slotIndex('birthDate');
const sources = (id: bigint) => (id === issuer.id ? issuer : undefined);

before(async () => {
  chain = await startTestChain();
  zk = await deployZkContracts(chain.wallets[0], chain.reader);
  // The issuer publishes from its own funded account; anyone could (the proof is the authorization).
  registry = identityStateRegistry({ reader: chain.reader, wallet: chain.wallets[1], address: zk.identityStateRegistry });
  const identity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)], network: Network.Test });
  issuer = new ZkIssuer(identity, issuerKey, registry, artifactPaths('stateTransition'));
  wallet = await Wallet.create(join(dir, 'holder.wallet'), 'holder pass', { scrypt: FAST_SCRYPT, network: Network.Main });
  holder = new ZkHolder(wallet, { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') }, registry);
});
after(async () => {
  await chain?.stop();
  await releaseProverResources();
  rmSync(dir, { recursive: true, force: true });
});

const vkeys = { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') };
const verifier = (maxStateAge?: number) => new ZkVerifier({
  verifierId: 0x5eaf00dn, verificationKeys: vkeys, registry, maxStateAge,
  now: () => Math.floor(Date.now() / 1000),
});
const adultRequest = (v: ZkVerifier) => v.createRequest({
  issuers: [issuer.identity.id.string], schema: KYC_SCHEMA.hash, slotIndex: birthDate, operator: 'LESS_THAN', values: [20080101n],
});
const kyc = (birth: string) => ({ schema: KYC_SCHEMA, subject: holder.subject, expiration: 2_000_000_000, data: { birthDate: birth, countryOfResidence: 'CH', nationality: 'FR' } });

let first: ReturnType<ZkIssuer['issue']>;
let earlyResponse: CredentialQueryResponseJson;
let earlyRequest: ReturnType<ZkVerifier['createRequest']>;

test('issuer: nothing is provable before publication; publish() puts the state on-chain once', async () => {
  first = issuer.issue(kyc('1990-04-17'));
  wallet.receiveClaim(first);
  const v = verifier();
  await assert.rejects(holder.respond(adultRequest(v), sources), (e: unknown) => e instanceof ZkError && /not issued at the published state/.test(e.message));

  const published = await issuer.publish();
  assert.ok(published);
  assert.equal(published.oldState, issuer.identity.genesisState);
  assert.equal(await registry.latestState(issuer.id), issuer.identity.state);
  assert.equal(await issuer.publish(), undefined, 'nothing new to publish');
});

test('holder answers from its wallet, verifier accepts once; a second answer of the same holder is a replay', async () => {
  const v = verifier();
  const request = adultRequest(v);
  const response = await holder.respond(request, sources);
  const accepted = await v.verify(request, response);
  assert.ok(accepted.ok, accepted.ok ? '' : accepted.reason);
  assert.deepEqual(await v.verify(request, await holder.respond(request, sources)), { ok: false, code: 'NULLIFIER_USED', reason: 'nullifier already used' });
  // Another verifier's request, or a request that asks what the claim does not say, is answered / refused.
  const minor = v.createRequest({ issuers: [issuer.identity.id.string], schema: KYC_SCHEMA.hash, slotIndex: birthDate, operator: 'GREATER_THAN', values: [20080101n] });
  await assert.rejects(holder.respond(minor, sources), (e: unknown) => e instanceof ZkError && e.code === 'UNSATISFIED' && /does not satisfy/.test(e.message));
  const stranger = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(42)))] });
  const untrusted = v.createRequest({ issuers: [stranger.id.string], schema: KYC_SCHEMA.hash, slotIndex: birthDate, operator: 'NOOP' });
  await assert.rejects(holder.respond(untrusted, sources), /issuer not accepted/);
});

test('a batch (renewal + another issue) is one publication; the replaced revision cannot answer; older states expire with the grace period', async () => {
  const v = verifier(60);
  earlyRequest = adultRequest(v);
  earlyResponse = await holder.respond(earlyRequest, sources); // proven at the state before the batch
  const before = await registry.latestState(issuer.id);

  // The holder moved: the issuer renews its KYC claim (revoke + next revision, one local transition) and
  // issues an unrelated claim to someone else; one publication covers both.
  const second = issuer.renew(first.claim, { ...kyc('1990-04-17'), data: { birthDate: '1990-04-17', countryOfResidence: 'DE', nationality: 'FR' } });
  assert.equal(second.claim.revision, 1);
  issuer.issue({ ...kyc('1970-01-01'), subject: 12345n });
  const published = await issuer.publish();
  assert.equal(published?.oldState, before, 'one transition over both changes');
  assert.equal(issuer.identity.transitions().length, 3, 'three local transitions, two publications');

  // The early answer was made before the revocation: accepted while its state is within 60 s of replacement...
  const within = await v.verify(earlyRequest, earlyResponse);
  assert.ok(within.ok, within.ok ? '' : within.reason);
  // ...and refused once the grace period is over (the chain's clock decides).
  const late = verifier(60);
  const lateRequest = { ...earlyRequest };
  await chain.travel(61);
  assert.deepEqual(await late.verify(lateRequest, earlyResponse), { ok: false, code: 'ISSUER_STATE_INVALID', reason: 'unknown issuer state' });

  // The wallet only holds the revoked claim: refused with the reason. After receiving the new claim it answers.
  await assert.rejects(holder.respond(adultRequest(v), sources), (e: unknown) => e instanceof ZkError && /revoked/.test(e.message));
  wallet.receiveClaim(second);
  const fresh = adultRequest(v);
  const ok = await v.verify(fresh, await holder.respond(fresh, sources));
  assert.ok(ok.ok, ok.ok ? '' : ok.reason);
});

test('on-chain: the same roles answer a ZkQueryVerifier request, submitted by the wallet the proof names', async () => {
  const dapp = chain.wallets[2];
  const investor = chain.wallets[3];
  const onchain = await createRequest(dapp, chain.reader, zk.zkQueryVerifier, {
    issuers: [issuer.identity.id.string], schema: KYC_SCHEMA.hash.toString(), slotIndex: birthDate, operator: 'LESS_THAN', values: ['20080101'],
  });
  const request = holderRequest(onchain, { wallet: investor.account.address, timestamp: await chain.now() });
  const response = await holder.respond(request, sources);
  // Off-chain first (a verifier with the on-chain request's id and owner), then on-chain: both accept.
  const offchain = new ZkVerifier({ verifierId: onchain.verifierId, verificationKeys: vkeys, registry });
  const off = await offchain.verify(request, response);
  assert.ok(off.ok, off.ok ? '' : off.reason);
  const { nullifier } = await submitResponse(investor, chain.reader, zk.zkQueryVerifier, response);
  assert.equal(nullifier, off.signals.nullifier);
});

test('the holder rotates its key (publishing its own transition) and answers with the new key; the old one no longer authenticates', async () => {
  const genesisSlots = wallet.identity.keys.map((k) => k.slot);
  const next = Math.max(...wallet.keyIndexes()) + 1;
  wallet.addKey(next);
  for (const slot of genesisSlots) wallet.removeKey(slot);
  const rotation = wallet.transitionFrom(wallet.identity.genesisState);
  await registry.publishState(await proveStateTransition(rotation, await registry.gistUpdateWitness(wallet.id.bigint, rotation.newState), artifactPaths('stateTransition')));
  assert.equal((await registry.gistProof(wallet.id.bigint)).state, rotation.newState);
  const v = verifier();
  const request = adultRequest(v);
  const response = await holder.respond(request, sources);
  const accepted = await v.verify(request, response);
  assert.ok(accepted.ok, accepted.ok ? '' : accepted.reason);
  // The wallet's key at the GIST's state is the new one: the genesis key has no witness there.
  assert.equal(wallet.keyAt(rotation.newState)?.index, next);
});
