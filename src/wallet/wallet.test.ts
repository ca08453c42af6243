import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { mulBase8, toAffine } from '../crypto/babyjub.js';
import { WrongPassphraseError } from '../crypto/passphrase-box.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity, MemoryIdentityStore, verifyStateTransition } from '../identity/index.js';
import { Wallet, WalletError } from './index.js';

const FAST = { N: 2 ** 10, r: 8, p: 1 };
const dir = mkdtempSync(join(tmpdir(), 'masque-wallet-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));

const issuerKey = privateKeyFromSeed(new Uint8Array(32).fill(1));
const issuer = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)] });
const kycData = { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FR' };

test('create, receive a claim, reopen: keys, identity and claims survive, sealed on disk', async () => {
  const path = join(dir, 'a.wallet');
  const wallet = await Wallet.create(path, 'pass phrase', { scrypt: FAST });
  const id = wallet.id.string;
  const issued = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: wallet.id.bigint, expiration: 2_000_000_000, data: kycData });
  const held = wallet.receiveClaim(issued);
  assert.equal(held.claim.indexHash, issued.claim.indexHash);
  const added = wallet.addKey(1);
  assert.ok(verifyStateTransition(added));
  const stateAfter = wallet.identity.state;

  const onDisk = readFileSync(path, 'utf8');
  for (const secret of ['1990', wallet.id.bigint.toString(), Buffer.from(wallet.privateKey()).toString('hex')]) {
    assert.ok(!onDisk.includes(secret), `the file does not hold ${secret.slice(0, 12)}… in clear`);
  }

  const again = await Wallet.open(path, 'pass phrase');
  assert.equal(again.id.string, id, 'the ID is the genesis one');
  assert.equal(again.identity.state, stateAfter, 'replayed key operations give the same state');
  assert.equal(again.identity.transitions().at(-1)?.newState, added.newState);
  const [claim] = again.claims({ schemaHash: KYC_SCHEMA.hash });
  assert.deepEqual(claim.claim.decode(KYC_SCHEMA), kycData);
  const status = issuer.revocationStatus(claim.claim.revocationNonce);
  assert.deepEqual(again.showClaim(claim, status), { issued: true, notRevoked: true });
  issuer.revokeClaim(issuerKey, claim.claim.revocationNonce);
  assert.deepEqual(again.showClaim(claim, issuer.revocationStatus(claim.claim.revocationNonce)), { issued: true, notRevoked: false });

  assert.deepEqual(toAffine(mulBase8(again.authKeyScalar(1))), again.publicKey(1));
  assert.notDeepEqual(toAffine(mulBase8(again.authKeyScalar(0))), again.publicKey(1));
  await assert.rejects(Wallet.open(path, 'wrong'), WrongPassphraseError);
});

test('claims for someone else, with a bad proof, or twice are refused', async () => {
  const wallet = await Wallet.create(join(dir, 'b.wallet'), 'pw', { scrypt: FAST });
  const other = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: 77n, data: kycData });
  assert.throws(() => wallet.receiveClaim(other), /subject/);
  const mine = issuer.issueClaim(issuerKey, { schema: KYC_SCHEMA, subject: wallet.id.bigint, data: kycData });
  assert.throws(() => wallet.receiveClaim({ ...mine, issuerRoots: { ...mine.issuerRoots, claims: 1n } }), /inclusion proof/);
  wallet.receiveClaim(mine);
  assert.throws(() => wallet.receiveClaim(mine), /already held/);
  assert.equal(wallet.claims().length, 1);
});

test('remove key, restore from seed, refuse to overwrite', async () => {
  const seed = new Uint8Array(32).fill(5);
  const path = join(dir, 'c.wallet');
  const wallet = await Wallet.create(path, 'pw', { scrypt: FAST, seed });
  wallet.addKey(3);
  wallet.removeKey(0);
  assert.deepEqual(wallet.identity.keys.map((k) => k.slot), [1]);
  assert.throws(() => wallet.removeKey(1), WalletError);
  const reopened = await Wallet.open(path, 'pw');
  assert.equal(reopened.identity.state, wallet.identity.state);
  const restored = await Wallet.create(join(dir, 'd.wallet'), 'other', { scrypt: FAST, seed });
  assert.equal(restored.id.string, wallet.id.string, 'same seed, same genesis ID');
  await assert.rejects(Wallet.create(path, 'pw', { scrypt: FAST }), /already exists/);
});
