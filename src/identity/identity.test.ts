import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA } from '../claims/index.js';
import {
  Identity, IdentityError, MemoryIdentityStore, verifyIssuedClaim, verifyNotRevoked, checkStateTransition,
  verifyStateTransition, identityState, isGenesisOf, parseId, REVOCATION_NONCE_SPACE, type StateTransition,
} from './index.js';

const seed = new Uint8Array(32).fill(7);
const issuerKey = privateKeyFromSeed(seed, 0);
const secondKey = privateKeyFromSeed(seed, 1);
const strangerKey = privateKeyFromSeed(new Uint8Array(32).fill(8), 0);

function newIssuer() {
  return Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)] });
}
const holder = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(9)))] });
const kycData = { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FR' };

test('genesis: state hashes the three roots and fixes the ID', () => {
  const issuer = newIssuer();
  assert.equal(issuer.state, identityState(issuer.roots));
  assert.ok(isGenesisOf(issuer.id, issuer.state));
  assert.ok(issuer.isGenesis);
  assert.equal(issuer.roots.claims, 0n);
  assert.equal(issuer.roots.revocations, 0n);
  assert.equal(parseId(issuer.id.did).bigint, issuer.id.bigint);
  const sameKeys = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)] });
  assert.equal(sameKeys.id.string, issuer.id.string, 'the ID is a function of the genesis state');
});

test('issue, prove, revoke: every change is a verifiable transition', () => {
  const issuer = newIssuer();
  const genesisId = issuer.id.string;
  const issued = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, expiration: 2_000_000_000, data: kycData });
  assert.ok(issued.claim.revocationNonce < REVOCATION_NONCE_SPACE);
  assert.equal(issued.issuerState, issuer.state);
  assert.ok(verifyIssuedClaim(issued));
  assert.ok(issued.transition.isOldStateGenesis);
  assert.equal(checkStateTransition(issued.transition), undefined);
  assert.equal(issuer.id.string, genesisId, 'the ID does not move with the state');

  const notRevoked = issuer.revocationStatus(issued.claim.revocationNonce);
  assert.equal(notRevoked.revoked, false);
  assert.ok(verifyNotRevoked(issued.claim, notRevoked));

  const revocation = issuer.revokeClaim(issuerKey, issued.claim.revocationNonce);
  assert.equal(revocation.isOldStateGenesis, false);
  assert.equal(revocation.oldState, issued.transition.newState, 'transitions chain');
  assert.ok(verifyStateTransition(revocation));
  const revoked = issuer.revocationStatus(issued.claim.revocationNonce);
  assert.equal(revoked.revoked, true);
  assert.equal(verifyNotRevoked(issued.claim, revoked), false);
  // the claim is still provably issued, at the old state and the new
  assert.ok(verifyIssuedClaim(issued));
  assert.ok(verifyIssuedClaim({ ...issued, issuerState: issuer.state, issuerRoots: issuer.roots, proof: issuer.proveClaim(issued.claim) }));
  assert.deepEqual(issuer.transitions().map((t) => t.newState), [issued.transition.newState, revocation.newState]);
  assert.ok(issuer.issuedClaim(issued.claim.indexHash)?.revokedAt);
  assert.throws(() => issuer.revokeClaim(issuerKey, issued.claim.revocationNonce), (e: unknown) => e instanceof IdentityError && e.code === 'ALREADY_REVOKED');
});

test('a claim index is issued once; an existing nonce is refused', () => {
  const issuer = newIssuer();
  const first = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, data: kycData });
  const stateBefore = issuer.state;
  assert.throws(
    () => issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, data: { ...kycData, nationality: 'DE' } }),
    (e: unknown) => e instanceof IdentityError && e.code === 'CLAIM_EXISTS',
  );
  assert.throws(
    () => issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: 5n, revocationNonce: first.claim.revocationNonce, data: kycData }),
    /revocationNonce/,
  );
  assert.equal(issuer.state, stateBefore, 'refusals change nothing');
});

test('keys: add, sign with the new key, remove; strangers and the last key refused', () => {
  const issuer = newIssuer();
  assert.throws(() => issuer.issueClaim(strangerKey, { schema: KYC_SCHEMA, subject: 1n, data: kycData }), (e: unknown) => e instanceof IdentityError && e.code === 'NOT_A_KEY');
  const add = issuer.addKey(issuerKey, publicKey(secondKey));
  assert.ok(verifyStateTransition(add));
  assert.throws(() => issuer.addKey(issuerKey, publicKey(secondKey)), /already/);
  const bySecond = issuer.issueClaim(secondKey, { schema: KYC_SCHEMA, subject: 1n, data: kycData });
  assert.equal(bySecond.transition.signerSlot, 1);
  assert.ok(verifyStateTransition(bySecond.transition));
  const removal = issuer.removeKey(secondKey, 0);
  assert.ok(verifyStateTransition(removal));
  assert.throws(() => issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: 2n, data: kycData }), /not an authentication key/);
  assert.throws(() => issuer.removeKey(secondKey, 1), (e: unknown) => e instanceof IdentityError && e.code === 'LAST_KEY');
  assert.deepEqual(issuer.keys.map((k) => k.slot), [1]);
});

test('a tampered or forged transition does not verify', () => {
  const issuer = newIssuer();
  const t = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: 3n, data: kycData }).transition;
  const tamper = (patch: Partial<StateTransition>) => checkStateTransition({ ...t, ...patch });
  assert.match(tamper({ newState: t.newState + 1n }) ?? '', /new roots/);
  assert.match(tamper({ newRoots: { ...t.newRoots, claims: 1n }, newState: identityState({ ...t.newRoots, claims: 1n }) }) ?? '', /signature/);
  assert.match(tamper({ signerKey: publicKey(strangerKey) }) ?? '', /not in the old authentication tree/);
  assert.match(tamper({ id: newIssuerWithOtherKey().id.string }) ?? '', /genesis ID/);
  assert.match(tamper({ signerSlot: 700 }) ?? '', /slot/);
});

function newIssuerWithOtherKey() {
  return Identity.create(new MemoryIdentityStore(), { keys: [publicKey(strangerKey)] });
}

test('create refuses no keys and a used store', () => {
  assert.throws(() => Identity.create(new MemoryIdentityStore(), { keys: [] }), /at least one key/);
  const store = new MemoryIdentityStore();
  Identity.create(store, { keys: [publicKey(issuerKey)] });
  assert.throws(() => Identity.create(store, { keys: [publicKey(issuerKey)] }), /already holds/);
  assert.equal(Identity.open(store).keys.length, 1);
});

test('transitionFrom: one signed transition over a batch of local changes; statuses at earlier states', () => {
  const issuer = newIssuer();
  const genesis = issuer.state;
  const first = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, expiration: 2_000_000_000, data: kycData });
  const published = issuer.state;
  issuer.addKey(issuerKey, publicKey(secondKey));
  issuer.revokeClaim(issuerKey, first.claim.revocationNonce);

  const fromGenesis = issuer.transitionFrom(issuerKey, genesis);
  assert.equal(checkStateTransition(fromGenesis), undefined);
  assert.ok(fromGenesis.isOldStateGenesis);
  assert.equal(fromGenesis.newState, issuer.state);
  const batch = issuer.transitionFrom(issuerKey, published);
  assert.equal(checkStateTransition(batch), undefined);
  assert.equal(batch.isOldStateGenesis, false);
  // The second key joined after `published`: it cannot sign a transition from there, but it can from now on.
  assert.throws(() => issuer.transitionFrom(secondKey, published), (e: unknown) => e instanceof IdentityError && e.code === 'NOT_A_KEY');
  assert.throws(() => issuer.transitionFrom(issuerKey, issuer.state), (e: unknown) => e instanceof IdentityError && e.code === 'UNKNOWN_STATE');
  assert.throws(() => issuer.transitionFrom(issuerKey, 12345n), (e: unknown) => e instanceof IdentityError && e.code === 'UNKNOWN_STATE');

  // The claim is not revoked at the published state, revoked now; both statuses verify against their own state.
  const then = issuer.revocationStatus(first.claim.revocationNonce, { state: published });
  assert.equal(then.revoked, false);
  assert.equal(then.issuerState, published);
  assert.ok(verifyNotRevoked(first.claim, then));
  const now = issuer.revocationStatus(first.claim.revocationNonce);
  assert.equal(now.revoked, true);
  assert.deepEqual(issuer.rootsAt(genesis), fromGenesis.oldRoots);
});

test('renewClaim: the old revision is revoked and the next one issued in one transition', () => {
  const issuer = newIssuer();
  const first = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, expiration: 2_000_000_000, data: kycData });
  // Same index data: without a new revision the index would collide.
  assert.throws(() => issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: holder.id.bigint, expiration: 2_100_000_000, data: kycData }),
    (e: unknown) => e instanceof IdentityError && e.code === 'CLAIM_EXISTS');
  const before = issuer.transitions().length;
  const renewed = issuer.renewClaim(issuerKey, first.claim, { schema: KYC_SCHEMA, subject: holder.id.bigint, expiration: 2_100_000_000, data: kycData });
  assert.equal(issuer.transitions().length, before + 1, 'one transition');
  assert.equal(renewed.claim.revision, 1);
  assert.equal(renewed.claim.expiration, 2_100_000_000n);
  assert.notEqual(renewed.claim.indexHash, first.claim.indexHash);
  assert.ok(verifyIssuedClaim(renewed));
  assert.equal(issuer.revocationStatus(first.claim.revocationNonce).revoked, true);
  assert.equal(issuer.revocationStatus(renewed.claim.revocationNonce).revoked, false);
  // Renewing the replaced revision again, another subject, or another schema: refused, nothing changes.
  const state = issuer.state;
  assert.throws(() => issuer.renewClaim(issuerKey, first.claim, { schema: KYC_SCHEMA, subject: holder.id.bigint, data: kycData }), (e: unknown) => e instanceof IdentityError && e.code === 'ALREADY_REVOKED');
  assert.throws(() => issuer.renewClaim(issuerKey, renewed.claim, { schema: KYC_SCHEMA, subject: 5n, data: kycData }), (e: unknown) => e instanceof IdentityError && e.code === 'NO_SUCH_CLAIM');
  assert.throws(() => issuer.renewClaim(strangerKey, renewed.claim, { schema: KYC_SCHEMA, subject: holder.id.bigint, data: kycData }), (e: unknown) => e instanceof IdentityError && e.code === 'NOT_A_KEY');
  assert.equal(issuer.state, state);
});
