import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA, Claim } from '../claims/index.js';
import { Identity, verifyIssuedClaim, verifyStateTransition, identityState } from './index.js';
import { SqliteIdentityStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'masque-identity-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const signer = privateKeyFromSeed(new Uint8Array(32).fill(1));
const data = { birthDate: '1990-01-01', countryOfResidence: 'CH', nationality: 'FR' };

test('an identity persists: reopened, it has the same ID, state, claims and transitions', () => {
  const file = join(dir, 'a.sqlite');
  const store = SqliteIdentityStore.open(file);
  const identity = Identity.create(store, { keys: [publicKey(signer)] });
  const issued = identity.issueClaim(signer, { schema: KYC_SCHEMA, subject: 5n, data });
  identity.revokeClaim(signer, issued.claim.revocationNonce);
  const { state, id } = identity;
  store.close();

  const reopened = Identity.open(SqliteIdentityStore.open(file));
  assert.equal(reopened.id.string, id.string);
  assert.equal(reopened.state, state);
  assert.equal(reopened.transitions().length, 2);
  assert.ok(reopened.transitions().every(verifyStateTransition));
  assert.ok(reopened.issuedClaim(issued.claim.indexHash)?.revokedAt);
  assert.ok(reopened.revocationStatus(issued.claim.revocationNonce).revoked);
  assert.ok(verifyIssuedClaim({ ...issued, issuerState: reopened.state, issuerRoots: reopened.roots, proof: reopened.proveClaim(issued.claim) }));
});

test('several identities share one database without mixing', () => {
  const file = join(dir, 'b.sqlite');
  const a = Identity.create(SqliteIdentityStore.open(file, { name: 'a' }), { keys: [publicKey(signer)] });
  const b = Identity.create(SqliteIdentityStore.open(file, { name: 'b' }), { keys: [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(2)))] });
  a.issueClaim(signer, { schema: KYC_SCHEMA, subject: 9n, data });
  assert.notEqual(a.id.string, b.id.string);
  assert.equal(b.roots.claims, 0n);
  assert.equal(Identity.open(SqliteIdentityStore.open(file, { name: 'b' })).transitions().length, 0);
});

test('an operation that fails inside the transaction leaves nothing behind', () => {
  const store = SqliteIdentityStore.open(join(dir, 'c.sqlite'));
  const identity = Identity.create(store, { keys: [publicKey(signer)] });
  const before = identity.state;
  const original = store.appendTransition.bind(store);
  store.appendTransition = () => {
    throw new Error('disk full');
  };
  assert.throws(() => identity.issueClaim(signer, { schema: KYC_SCHEMA, subject: 5n, data }), /disk full/);
  store.appendTransition = original;
  assert.equal(identity.state, before, 'the tree commit was rolled back with the failed record');
  assert.equal(Identity.open(SqliteIdentityStore.open(join(dir, 'c.sqlite'))).state, before);
  // and the same claim can then be issued normally
  assert.ok(verifyStateTransition(identity.issueClaim(signer, { schema: KYC_SCHEMA, subject: 5n, data }).transition));
});

test('kill -9 during a burst of issues: the identity reopens consistent', async () => {
  const file = join(dir, 'd.sqlite');
  const store = SqliteIdentityStore.open(file);
  Identity.create(store, { keys: [publicKey(signer)] });
  store.close();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), file], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    child.on('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
  await new Promise((r) => setTimeout(r, 300));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));

  const identity = Identity.open(SqliteIdentityStore.open(file));
  const transitions = identity.transitions();
  assert.ok(transitions.length >= 6);
  assert.equal(transitions.at(-1)!.newState, identity.state, 'the last logged transition is the current state');
  assert.equal(identityState(identity.roots), identity.state);
  for (let i = 1; i < transitions.length; i++) assert.equal(transitions[i].oldState, transitions[i - 1].newState);
  // every logged claim is in the tree, and the identity keeps working
  for (let subject = 1_000n; subject < 1_000n + BigInt(transitions.length); subject++) {
    const claim = Claim.create({ schema: KYC_SCHEMA, subject, revocationNonce: 0n, data });
    assert.ok(identity.issuedClaim(claim.indexHash), `claim for subject ${subject} recorded`);
  }
  assert.ok(verifyStateTransition(identity.issueClaim(signer, { schema: KYC_SCHEMA, subject: 1n, data }).transition));
});
