// The `masque` binary end to end against a started node: keys, identity, KYC submit/review, claim, grant,
// UCAN delegation, fetch and decrypt, revoke.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { cli } from './main.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, 'masque.mjs');
let t: TestNode;
let home: string;

const env = () => ({ ...process.env, MASQUE_NODE_URL: t.node.url, MASQUE_KEYSTORE: join(home, 'keys'), MASQUE_PASSPHRASE: 'correct horse battery staple', MASQUE_SCRYPT_LOG_N: '12' });

// In process (one tsx start per command would cost seconds each); the binary itself is run once below.
async function masque(...args: string[]): Promise<any> {
  return cli(args, env());
}

before(async () => {
  t = await startTestNode();
  home = mkdtempSync(join(tmpdir(), 'masque-cli-'));
});
after(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
});

it('runs the onboarding story through the CLI', { timeout: 120_000 }, async () => {
  const [holder, issuer, verifier] = await Promise.all([
    masque('keys', 'new', 'holder'),
    masque('keys', 'new', 'issuer', '--private-key', t.issuerPrivateKey),
    masque('keys', 'new', 'verifier'),
  ]);
  assert.equal(issuer.address, t.issuerSigner.address);
  const { stdout } = await run(process.execPath, [bin, 'keys', 'list'], { env: env() });
  const listed = JSON.parse(stdout);
  assert.equal(listed.length, 3);
  // The keystore holds no plaintext secret.
  assert.ok(!readFileSync(join(home, 'keys', 'issuer.json'), 'utf8').includes(t.issuerPrivateKey.slice(2)));

  const created = await masque('identity', 'create', '--as', 'holder', '--country', '276');
  const identity = created.identity;
  const doc = join(home, 'passport.txt');
  writeFileSync(doc, 'Name: Cli Testperson\nPassport: P1234567\n');
  const sub = await masque('kyc', 'submit', '--as', 'holder', '--file', doc, '--issuer', 'kyc', '--issuer-key', issuer.encryptionDid);
  assert.equal(sub.status, 'pending');
  // Signed by the applicant, the pending application is reported; unsigned, nobody learns of it.
  assert.deepEqual([(await masque('claim', 'verify', '--as', 'holder', '--identity', identity, '--topic', '1')).state, (await masque('claim', 'verify', '--identity', identity, '--topic', '1')).state], ['pending', 'none']);
  const reviewed = join(home, 'reviewed.txt');
  const approved = await masque('kyc', 'review', sub.applicationId, '--as', 'issuer', '--approve', '--days', '30', '--out', reviewed);
  assert.equal(approved.status, 'approved');
  assert.equal(readFileSync(reviewed, 'utf8'), readFileSync(doc, 'utf8'));
  const verified = await masque('claim', 'verify', '--identity', identity, '--topic', '1');
  assert.deepEqual([verified.valid, verified.state], [true, 'valid']);

  await masque('grant', '--as', 'holder', '--application', sub.applicationId, '--verifier', verifier.address, '--verifier-key', verifier.encryptionDid);
  const { delegation } = await masque('delegate', '--as', 'holder', '--verifier', verifier.address, '--topic', '1');
  const out = join(home, 'fetched.txt');
  const fetched = await masque('fetch', '--as', 'verifier', '--holder', holder.address, '--identity', identity, '--topic', '1', '--delegation', delegation, '--out', out);
  assert.equal(fetched.cid, sub.cid);
  assert.equal(readFileSync(out, 'utf8'), readFileSync(doc, 'utf8'));

  await masque('revoke-access', '--as', 'holder', '--topic', '1', '--verifier', verifier.address);
  await assert.rejects(masque('fetch', '--as', 'verifier', '--holder', holder.address, '--identity', identity, '--topic', '1', '--delegation', delegation, '--out', out), /revoked|grant/);
  const claim = await masque('claim', 'show', '--identity', identity, '--topic', '1', '--issuer', 'kyc');
  await masque('claim', 'revoke', '--as', 'issuer', '--identity', identity, '--claim-id', claim.claimId);
  assert.equal((await masque('claim', 'verify', '--identity', identity, '--topic', '1')).state, 'revoked');
  // The binary exits 2 when the claim is not valid (scripts branch on it).
  const verify = await run(process.execPath, [bin, 'claim', 'verify', '--identity', identity, '--topic', '1'], { env: env() }).catch((e: { code?: number; stdout?: string }) => e);
  assert.equal((verify as { code?: number }).code, 2);
  assert.equal(JSON.parse((verify as { stdout: string }).stdout).state, 'revoked');
});

it('zk: publishes a state-transition proof, reads the state, verifies an answer off-chain (a replay exits 2)', { timeout: 120_000 }, async () => {
  const { privateKeyFromSeed, publicKey } = await import('../crypto/eddsa.js');
  const { KYC_SCHEMA } = await import('../claims/index.js');
  const { Identity, MemoryIdentityStore, Network } = await import('../identity/index.js');
  const { ZkVerifier, proveAnswer, genesisHolder, holderSubject, responseToJson, releaseProverResources } = await import('../zk/index.js');
  const { MasqueClient } = await import('../sdk/client.js');
  const client = new MasqueClient(t.node.url);
  const { artifactPaths, loadVerificationKey } = await import('../zk/node.js');
  const { proveStateTransition } = await import('../zk/index.js');
  const key = privateKeyFromSeed(new Uint8Array(32).fill(61));
  const issuer = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(key)], network: Network.Test });
  const holderKey = privateKeyFromSeed(new Uint8Array(32).fill(62));
  const holderIdentity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(holderKey)], network: Network.Main });
  // The holder never published: its GIST proof (non-membership) from the node's mirror.
  const holder = genesisHolder({ keys: [publicKey(holderKey)], network: Network.Main, keySlot: 0, authKey: holderKey, gist: await client.zk.gistProof(holderIdentity.id.bigint) });
  const { claim } = issuer.issueClaim(key, {
    schema: KYC_SCHEMA, subject: holderSubject(holder), expiration: 2_000_000_000,
    data: { birthDate: '1990-04-17', countryOfResidence: 'CH', nationality: 'FR' },
  });
  const transition = issuer.transitionFrom(key, issuer.genesisState);
  const proofFile = join(home, 'transition.json');
  const gistUpdate = await client.zk.gistUpdate(issuer.id.bigint, transition.newState);
  writeFileSync(proofFile, JSON.stringify(await proveStateTransition(transition, gistUpdate, artifactPaths('stateTransition'))));

  assert.equal((await masque('zk', 'state', issuer.id.did)).published, false);
  const pub = await masque('zk', 'publish', proofFile);
  assert.equal(pub.newState, issuer.state.toString());
  assert.equal((await masque('zk', 'state', issuer.id.string)).latestState, issuer.state.toString());
  await assert.rejects(masque('zk', 'publish', proofFile), /AlreadyPublished/);
  assert.equal((await masque('zk', 'valid', issuer.id.string, issuer.state.toString())).valid, true);
  assert.equal((await masque('zk', 'valid', issuer.id.did, issuer.genesisState.toString(), '--max-state-age', '100000')).valid, true);
  assert.equal((await masque('zk', 'valid', issuer.id.did, (issuer.state + 1n).toString())).valid, false);

  const verifier = new ZkVerifier({
    verifierId: 77n, verificationKeys: { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') },
    registry: { latestState: async () => undefined, isStateValid: async () => true, isGistRootValid: async () => true },
  });
  const request = verifier.createRequest({ issuers: [issuer.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: [20080101n] });
  const credential = {
    claim, issuerId: issuer.id.string, issuerState: issuer.state, issuerRoots: issuer.roots,
    claimProof: issuer.proveClaim(claim), revocationProof: issuer.revocationStatus(claim.revocationNonce).proof,
  };
  const { parseRequest } = await import('../zk/index.js');
  const proof = await proveAnswer(holder, credential, parseRequest(request), { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') });
  await releaseProverResources();
  const requestFile = join(home, 'request.json');
  const responseFile = join(home, 'response.json');
  writeFileSync(requestFile, JSON.stringify(request));
  writeFileSync(responseFile, JSON.stringify(responseToJson(BigInt(request.requestId), proof)));
  const ok = await masque('zk', 'verify', requestFile, responseFile);
  assert.equal(ok.ok, true, ok.message);
  // The binary: a refused answer (the replay) prints the verdict and exits with status 2.
  const replay = await run(process.execPath, [bin, 'zk', 'verify', requestFile, responseFile], { env: env() }).then(() => assert.fail('expected exit 2'), (e: { code: number; stdout: string }) => e);
  assert.equal(replay.code, 2);
  assert.equal(JSON.parse(replay.stdout).reason, 'NULLIFIER_USED');
  await assert.rejects(masque('zk', 'request', '123'), /no request 123/);
});
