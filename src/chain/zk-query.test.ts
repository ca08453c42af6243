// ZkQueryVerifier on anvil with real credential-query proofs (src/zk prover): a request registered on-chain, a holder
// proving for it with challenge = its wallet, every mismatching public signal refused, issuer state and timestamp
// rules, nullifier replay, the holder-auth proof (bound by commitment and challenge, its GIST root fresh), a holder
// that rotated its key proving with the new one and refused with the old, and the on-chain checkResponse agreeing
// with src/zk's off-chain verifyResponse.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Address, Hex } from 'viem';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import {
  holderAuthWitness,
  parseRequest,
  proveAnswer,
  proveStateTransition,
  releaseProverResources,
  responseToJson,
  verifyResponse,
  type CredentialQueryResponseJson,
  type ProofWithSignals,
} from '../zk/index.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
import { makeFixture, TEST_SCHEMA } from '../zk/test-fixtures.js';
import type { CredentialWitness } from '../zk/inputs.js';
import { zkQueryVerifierAbi } from './artifacts/index.js';
import { write } from './identity.js';
import { anvilRpc } from './anvil.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';
import { identityStateRegistry, type IdentityStateRegistryClient } from './identity-state.js';
import {
  QueryRefusal,
  checkResponse,
  createRequest,
  deployZkContracts,
  getRequest,
  holderRequest,
  isGistRootValid,
  isNullifierUsed,
  isStateValid,
  publishState,
  queryCallArgs,
  submitResponse,
  type OnchainRequest,
  type QueryRefusalName,
  type RequestQueryJson,
  type ZkContracts,
} from './zk.js';

const HOUR = 3600n;
const DAY = 24n * HOUR;
let chain: TestChain;
let zk: ZkContracts;
let snapshot: Hex;
let alice: Address;
let bob: Address;
const f = makeFixture();
const vkeys = { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') };
const artifacts = { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') };
let registry: IdentityStateRegistryClient;
const query = (over: Partial<RequestQueryJson> = {}): RequestQueryJson => ({
  schema: TEST_SCHEMA.hash.toString(),
  slotIndex: 5, // amount (v1) = 1000
  operator: 'GREATER_OR_EQUAL',
  values: ['500'],
  issuers: [f.issuer.id.string],
  ...over,
});

// Requests (owner: wallets[0] unless said otherwise) and the proofs made for them, once for the file.
const R = {} as Record<'main' | 'schema' | 'slot' | 'operator' | 'values' | 'otherOwner' | 'twin' | 'untrusted' | 'in' | 'disclose', OnchainRequest>;
const P = {} as Record<'ok' | 'future' | 'untrusted' | 'in' | 'disclose' | 'otherSalt', CredentialQueryResponseJson>;
let t0: bigint;
let laterTransition: ProofWithSignals; // the issuer's next state (s1 -> s2)

async function prove(r: OnchainRequest, cred: CredentialWitness, wallet: Address, timestamp: bigint): Promise<CredentialQueryResponseJson> {
  const request = parseRequest(holderRequest(r, { wallet, timestamp }));
  return responseToJson(r.requestId, await proveAnswer(f.holderAt(await registry.gistProof(f.holder.id)), cred, request, artifacts));
}

before(async () => {
  chain = await startTestChain();
  const [dapp, other] = chain.wallets;
  alice = chain.accounts[2].address;
  bob = chain.accounts[3].address;
  zk = await deployZkContracts(dapp, chain.reader);
  registry = identityStateRegistry({ reader: chain.reader, wallet: dapp, address: zk.identityStateRegistry });
  const claim = f.issue();
  const cred = f.credential(claim); // at s1
  const [first] = f.issuer.transitions();
  const gistUpdate = (t: typeof first) => registry.gistUpdateWitness(f.issuer.id.bigint, t.newState);
  await publishState(dapp, chain.reader, zk.identityStateRegistry, await proveStateTransition(first, await gistUpdate(first), artifactPaths('stateTransition')));
  f.issue(); // s1 -> s2, published only by the stale-state tests
  const second = f.issuer.transitions()[1];
  laterTransition = await proveStateTransition(second, await gistUpdate(second), artifactPaths('stateTransition'));

  const opts = { issuerStateMaxAge: HOUR, maxProofAge: DAY };
  const create = (q: RequestQueryJson, wallet = dapp) => createRequest(wallet, chain.reader, zk.zkQueryVerifier, q, opts);
  R.main = await create(query());
  R.schema = await create(query({ schema: (TEST_SCHEMA.hash + 1n).toString() }));
  R.slot = await create(query({ slotIndex: 6 }));
  R.operator = await create(query({ operator: 'GREATER_THAN' }));
  R.values = await create(query({ values: ['499'] }));
  R.otherOwner = await create(query(), other);
  R.twin = await create(query());
  R.untrusted = await create(query({ issuers: [f.holderIdentity.id.string] }));
  R.in = await create(query({ operator: 'IN', values: ['7', '1000', '12'] }));
  R.disclose = await create(query({ operator: 'DISCLOSE', values: [] }));

  t0 = (await chain.now()) - 60n;
  P.ok = await prove(R.main, cred, alice, t0);
  P.future = await prove(R.main, cred, alice, t0 + 3600n);
  P.untrusted = await prove(R.untrusted, cred, alice, t0);
  P.in = await prove(R.in, cred, alice, t0);
  P.disclose = await prove(R.disclose, cred, alice, t0);
  P.otherSalt = await prove(R.main, cred, alice, t0);
});
after(async () => {
  await chain?.stop();
  await releaseProverResources();
});
beforeEach(async () => { snapshot = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snapshot); });

const check = async (r: OnchainRequest, p: CredentialQueryResponseJson, sender = alice) =>
  (await checkResponse(chain.reader, zk.zkQueryVerifier, sender, { ...p, requestId: r.requestId.toString() })).reason;
const withSignal = (p: CredentialQueryResponseJson, i: number, value: bigint): CredentialQueryResponseJson =>
  ({ ...p, publicSignals: p.publicSignals.map((s, j) => (j === i ? value.toString() : s)) });

/** The off-chain verdict of src/zk on the same response, for `r` as the holder was asked it (challenge = sender). */
async function offChain(r: OnchainRequest, p: CredentialQueryResponseJson, sender = alice, timestamp = t0) {
  const request = parseRequest(holderRequest(r, { wallet: sender, timestamp }));
  return verifyResponse(request, { ...p, requestId: r.requestId.toString() }, vkeys, {
    issuerStateValid: (id, state) => isStateValid(chain.reader, zk.identityStateRegistry, id, state, r.issuerStateMaxAge),
    gistRootValid: (root) => isGistRootValid(chain.reader, zk.identityStateRegistry, root, r.issuerStateMaxAge),
    nullifierSeen: (n) => isNullifierUsed(chain.reader, zk.zkQueryVerifier, n),
  });
}

test('a request is registered with chain-assigned ids; views return it', async () => {
  assert.equal(R.main.verifierId, BigInt(chain.accounts[0].address));
  assert.ok(R.main.requestId > 0n && R.main.requestId < 1n << 248n);
  assert.notEqual(R.main.requestId, R.twin.requestId);
  const r = await getRequest(chain.reader, zk.zkQueryVerifier, R.in.requestId);
  assert.deepEqual(r.values, [7n, 1000n, 12n]);
  assert.deepEqual(r.trustedIssuers, [f.issuer.id.bigint]);
  assert.equal(r.operator, 4);
  assert.equal(r.slotIndex, 5);
  assert.equal(r.issuerStateMaxAge, HOUR);
  assert.equal(r.maxProofAge, DAY);
  assert.equal(r.active, true);
  const padded = await chain.reader.readContract({ address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, functionName: 'padValues', args: [[7n, 1000n, 12n]] });
  assert.deepEqual(padded.slice(0, 4), [7n, 1000n, 12n, 7n]);
});

test('createRequest refuses malformed requests', async () => {
  const [dapp] = chain.wallets;
  const bad = (q: Partial<RequestQueryJson>) => createRequest(dapp, chain.reader, zk.zkQueryVerifier, query(q));
  await expectRevert(bad({ slotIndex: 4 }), 'InvalidSlotIndex');
  await expectRevert(bad({ operator: 'IN_RANGE', values: ['1'] }), 'InvalidValues');
  await expectRevert(bad({ operator: 'NOOP', values: ['1'] }), 'InvalidValues');
  // The circuit leaves the public bounds' range to this check (circuits/lib/query.circom).
  await expectRevert(bad({ operator: 'LESS_THAN', values: [(1n << 252n).toString()] }), 'InvalidValues');
  await expectRevert(bad({ operator: 'NOT_IN_RANGE', values: ['0', (1n << 252n).toString()] }), 'InvalidValues');
  await expectRevert(bad({ operator: 'IN', values: Array.from({ length: 17 }, (_, i) => String(i)) }), 'InvalidValues');
  await expectRevert(createRequest(dapp, chain.reader, zk.zkQueryVerifier, query(), { maxProofAge: 0n }), 'InvalidMaxProofAge');
  await expectRevert(write(dapp, chain.reader, {
    address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, functionName: 'createRequest',
    args: [{ schema: 1n, slotIndex: 5, operator: 0, values: [], trustedIssuers: [f.issuer.id.bigint + 1n], issuerStateMaxAge: 0n, maxProofAge: 1n }],
  }), 'InvalidIssuers');
});

test('accepted: the holder submits from the challenged wallet; the nullifier is spent; the event names it', async () => {
  assert.equal(await check(R.main, P.ok), 'OK');
  const wallet = chain.wallets[2];
  const { nullifier, revealedValue, receipt } = await submitResponse(wallet, chain.reader, zk.zkQueryVerifier, P.ok);
  assert.equal(nullifier, BigInt(P.ok.publicSignals[0]));
  assert.equal(revealedValue, 0n);
  assert.equal(await isNullifierUsed(chain.reader, zk.zkQueryVerifier, nullifier), true);
  const [log] = await chain.reader.getContractEvents({ address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, eventName: 'ResponseAccepted', blockHash: receipt.blockHash });
  assert.equal(log.args.requestId, R.main.requestId);
  assert.equal(log.args.sender, alice);
  // Replay (same proof, and a new proof of the same holder for the same request: the same nullifier).
  await expectRevert(submitResponse(wallet, chain.reader, zk.zkQueryVerifier, P.ok), 'ResponseRefused', [QueryRefusal.NULLIFIER_USED]);
  await chain.travel(3600);
  assert.equal(P.future.publicSignals[0], P.ok.publicSignals[0]);
  assert.equal(await check(R.main, P.future), 'NULLIFIER_USED');
});

test('representative operators: IN (padded values) and DISCLOSE (revealed value in the event)', async () => {
  const wallet = chain.wallets[2];
  assert.equal(await check(R.in, P.in), 'OK');
  await submitResponse(wallet, chain.reader, zk.zkQueryVerifier, P.in);
  const d = await submitResponse(wallet, chain.reader, zk.zkQueryVerifier, P.disclose);
  assert.equal(d.revealedValue, 1000n);
  // One holder, three requests: three unrelated nullifiers.
  assert.equal(new Set([P.ok, P.in, P.disclose].map((p) => p.publicSignals[0])).size, 3);
});

test('every mismatching public signal is refused before the proof is checked', async () => {
  const cases: [OnchainRequest, QueryRefusalName][] = [
    [R.schema, 'WRONG_SCHEMA'],
    [R.slot, 'WRONG_SLOT'],
    [R.operator, 'WRONG_OPERATOR'],
    [R.values, 'WRONG_VALUES'],
    [R.in, 'WRONG_OPERATOR'],
    [R.otherOwner, 'WRONG_VERIFIER_ID'],
    [R.twin, 'WRONG_REQUEST_ID'],
  ];
  for (const [r, reason] of cases) assert.equal(await check(r, P.ok), reason, reason);
  assert.equal(await check(R.main, P.ok, bob), 'WRONG_CHALLENGE');
  await expectRevert(submitResponse(chain.wallets[3], chain.reader, zk.zkQueryVerifier, P.ok), 'ResponseRefused', [QueryRefusal.WRONG_CHALLENGE]);
  await expectRevert(submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, { ...P.ok, requestId: R.schema.requestId.toString() }),
    'ResponseRefused', [QueryRefusal.WRONG_SCHEMA]);
  assert.equal(await check(R.untrusted, P.untrusted), 'ISSUER_NOT_TRUSTED');
  assert.equal(await check({ ...R.main, requestId: 12345n }, P.ok), 'UNKNOWN_REQUEST');
  // Tampered signals the request does not fix: caught by the registry or by the Groth16 verifier.
  assert.equal(await check(R.main, withSignal(P.ok, 4, BigInt(P.ok.publicSignals[4]) + 1n)), 'ISSUER_STATE_INVALID');
  assert.equal(await check(R.main, withSignal(P.ok, 3, f.holderIdentity.id.bigint)), 'ISSUER_NOT_TRUSTED');
  assert.equal(await check(R.main, withSignal(P.ok, 1, 1000n)), 'INVALID_PROOF');
  assert.equal(await check(R.main, withSignal(P.ok, 0, 1n)), 'INVALID_PROOF');
  assert.equal(await check(R.main, withSignal(P.ok, 24, t0 - 1n)), 'INVALID_PROOF');
  const [q, signals, auth, authSignals] = queryCallArgs(P.ok);
  const code = (query: typeof q, a: typeof auth) => chain.reader.readContract({
    address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, functionName: 'checkResponse',
    args: [R.main.requestId, alice, query, signals, a, authSignals],
  });
  assert.equal(await code({ ...q, a: [q.a[0], q.a[1] + 1n] }, auth), QueryRefusal.INVALID_PROOF);
  assert.equal(await code(q, { ...auth, a: [auth.a[0], auth.a[1] + 1n] }), QueryRefusal.INVALID_AUTH_PROOF);
});

/** Mines a block at `ts` (views then run at that time). */
async function at(ts: bigint) {
  await anvilRpc.setNextBlockTimestamp(chain.anvil.rpcUrl, ts);
  await anvilRpc.mine(chain.anvil.rpcUrl, 1);
}

test('timestamp: not in the future, not older than the request allows', async () => {
  assert.equal(await check(R.main, P.future), 'TIMESTAMP_IN_FUTURE');
  await at(t0 + 3600n);
  assert.equal(await check(R.main, P.future), 'OK');
  await at(t0 + DAY);
  assert.equal(await check(R.main, P.ok), 'OK'); // exactly maxProofAge old
  await at(t0 + DAY + 1n);
  assert.equal(await check(R.main, P.ok), 'PROOF_TOO_OLD');
});

test('issuer state: a replaced state is accepted within the request grace period, refused after', async () => {
  const { receipt } = await publishState(chain.wallets[0], chain.reader, zk.identityStateRegistry, laterTransition);
  const replacedAt = (await chain.reader.getBlock({ blockHash: receipt.blockHash })).timestamp;
  assert.equal(await check(R.main, P.ok), 'OK');
  await at(replacedAt + HOUR);
  assert.equal(await check(R.main, P.ok), 'OK');
  await at(replacedAt + HOUR + 1n);
  assert.equal(await check(R.main, P.ok), 'ISSUER_STATE_INVALID');
  await expectRevert(submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, P.ok), 'ResponseRefused', [QueryRefusal.ISSUER_STATE_INVALID]);
});

test('holder-auth: bound to the query by commitment and challenge; its GIST root must be the registry\'s, or replaced within the grace period', async () => {
  // Another answer's auth proof (another salt): the commitments differ.
  assert.equal(await check(R.main, { ...P.ok, auth: P.otherSalt.auth }), 'AUTH_MISMATCH');
  const s = P.ok.auth.publicSignals;
  assert.equal(await check(R.main, { ...P.ok, auth: { ...P.ok.auth, publicSignals: [s[0], s[1], '7'] } }), 'AUTH_MISMATCH');
  assert.equal(await check(R.main, { ...P.ok, auth: { ...P.ok.auth, publicSignals: [s[0], '12345', s[2]] } }), 'GIST_ROOT_INVALID');
  // Another identity's first transition moves the GIST (the issuer's state stays the latest).
  const k = privateKeyFromSeed(new Uint8Array(32).fill(71));
  const other = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(k)], network: Network.Test });
  const t = other.addKey(k, publicKey(privateKeyFromSeed(new Uint8Array(32).fill(72))));
  const { receipt } = await publishState(chain.wallets[4], chain.reader, zk.identityStateRegistry,
    await proveStateTransition(t, await registry.gistUpdateWitness(other.id.bigint, t.newState), artifactPaths('stateTransition')));
  const replacedAt = (await chain.reader.getBlock({ blockHash: receipt.blockHash })).timestamp;
  await at(replacedAt + HOUR);
  assert.equal(await check(R.main, P.ok), 'OK');
  await at(replacedAt + HOUR + 1n);
  assert.equal(await check(R.main, P.ok), 'GIST_ROOT_INVALID');
  const off = await offChain(R.main, P.ok);
  assert.equal(off.ok ? 'OK' : off.code, 'GIST_ROOT_INVALID');
});

test('key rotation on chain: the holder publishes its rotation; the new key proves, the removed genesis key stops proving', async () => {
  const genesisKey = privateKeyFromSeed(new Uint8Array(32).fill(61));
  const newKey = privateKeyFromSeed(new Uint8Array(32).fill(62));
  const holder = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(genesisKey)], network: Network.Main });
  const { claim } = f.issuer.issueClaim(f.issuerKey, { schema: TEST_SCHEMA, data: { tier: 1, amount: 1000, digest: 5n }, subject: holder.id.bigint });
  const issuerT = f.issuer.transitionFrom(f.issuerKey, (await registry.latestState(f.issuer.id.bigint))!);
  await publishState(chain.wallets[0], chain.reader, zk.identityStateRegistry,
    await proveStateTransition(issuerT, await registry.gistUpdateWitness(f.issuer.id.bigint, issuerT.newState), artifactPaths('stateTransition')));
  const cred = f.credential(claim);
  const beforeRotation = await registry.gistProof(holder.id.bigint);
  assert.equal(beforeRotation.state, undefined);
  holder.addKey(genesisKey, publicKey(newKey));
  holder.removeKey(genesisKey, 0);
  const rotation = holder.transitionFrom(genesisKey, holder.genesisState);
  // Any wallet relays the holder's own transition: the proof is the authorization.
  const { receipt } = await publishState(chain.wallets[4], chain.reader, zk.identityStateRegistry,
    await proveStateTransition(rotation, await registry.gistUpdateWitness(holder.id.bigint, rotation.newState), artifactPaths('stateTransition')));
  const rotatedAt = (await chain.reader.getBlock({ blockHash: receipt.blockHash })).timestamp;
  const request = parseRequest(holderRequest(R.main, { wallet: alice, timestamp: rotatedAt }));
  const now = await registry.gistProof(holder.id.bigint);
  assert.equal(now.state, rotation.newState);
  const withNew = responseToJson(R.main.requestId, await proveAnswer(holderAuthWitness(holder, publicKey(newKey), newKey, now), cred, request, artifacts));
  assert.equal(await check(R.main, withNew), 'OK');
  // The genesis key has no witness at the current root; its proof at the root before the rotation lasts the grace period only.
  assert.throws(() => holderAuthWitness(holder, publicKey(genesisKey), genesisKey, now), /not an authentication key/);
  const withGenesis = responseToJson(R.main.requestId, await proveAnswer(holderAuthWitness(holder, publicKey(genesisKey), genesisKey, beforeRotation), cred, request, artifacts));
  assert.equal(await check(R.main, withGenesis), 'OK', 'within the request\'s grace period');
  await at(rotatedAt + HOUR + 1n);
  assert.equal(await check(R.main, withGenesis), 'GIST_ROOT_INVALID');
  assert.equal(await check(R.main, withNew), 'OK');
  await submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, withNew);
});

test('an inactive request takes no answers; only its owner switches it', async () => {
  await expectRevert(write(chain.wallets[1], chain.reader, {
    address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, functionName: 'setRequestActive', args: [R.main.requestId, false],
  }), 'NotRequestOwner');
  await write(chain.wallets[0], chain.reader, { address: zk.zkQueryVerifier, abi: zkQueryVerifierAbi, functionName: 'setRequestActive', args: [R.main.requestId, false] });
  assert.equal(await check(R.main, P.ok), 'REQUEST_INACTIVE');
});

test('on-chain checkResponse agrees with src/zk verifyResponse on accepted and refused responses', async () => {
  const cases: [string, OnchainRequest, CredentialQueryResponseJson, Address][] = [
    ['accepted', R.main, P.ok, alice],
    ['IN accepted', R.in, P.in, alice],
    ['wrong schema', R.schema, P.ok, alice],
    ['wrong values', R.values, P.ok, alice],
    ['another wallet', R.main, P.ok, bob],
    ['untrusted issuer', R.untrusted, P.untrusted, alice],
    ['unknown issuer state', R.main, withSignal(P.ok, 4, 42n), alice],
    ['auth of another answer', R.main, { ...P.ok, auth: P.otherSalt.auth }, alice],
    ['tampered revealed value', R.main, withSignal(P.ok, 1, 7n), alice],
  ];
  const verdicts = async () => {
    for (const [name, r, p, sender] of cases) {
      const on = await check(r, p, sender);
      const off = await offChain(r, p, sender);
      // Same verdict and, the checks being the same, the same refusal name.
      assert.equal(off.ok ? 'OK' : off.code, on, `${name}: on-chain ${on}, off-chain ${off.ok ? 'OK' : off.reason}`);
    }
  };
  await verdicts();
  await submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, P.ok); // nullifier spent: both refuse now
  cases[0][0] = 'replayed';
  assert.equal(await check(R.main, P.ok), 'NULLIFIER_USED');
  assert.deepEqual(await offChain(R.main, P.ok), { ok: false, code: 'NULLIFIER_USED', reason: 'nullifier already used' });
  await publishState(chain.wallets[0], chain.reader, zk.identityStateRegistry, laterTransition);
  await chain.travel(Number(HOUR) + 10);
  assert.equal(await check(R.in, P.in), 'ISSUER_STATE_INVALID');
  const off = await offChain(R.in, P.in);
  assert.deepEqual(off, { ok: false, code: 'ISSUER_STATE_INVALID', reason: 'unknown issuer state' });
});

test('gas: submitResponse', async (t) => {
  const { receipt } = await submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, P.ok);
  t.diagnostic(`submitResponse gas: ${receipt.gasUsed}`);
  const { receipt: r2 } = await submitResponse(chain.wallets[2], chain.reader, zk.zkQueryVerifier, P.disclose);
  t.diagnostic(`submitResponse (DISCLOSE) gas: ${r2.gasUsed}`);
});
