// The zk_ namespace over HTTP against a node running as its own process (so it can be killed with -9), with real
// proofs from src/zk: an issuer publishes its state through the node (ZkIssuer over the SDK's nodeStateRegistry),
// refused publications are named and send nothing, a verifier checks answers off-chain through the node (nullifiers
// kept across kill -9), and the node's verdicts agree with ZkQueryVerifier's on an on-chain request.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, createWalletClient, defineChain, http, type Address, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MasqueClient, nodeStateRegistry } from '../sdk/index.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { identityStateRegistryAbi } from '../chain/artifacts/index.js';
import { KYC_SCHEMA } from '../claims/index.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { Wallet } from '../wallet/index.js';
import {
  ZkHolder, ZkIssuer, ZkVerifier, parseCredentialQuerySignals, proveStateTransition, releaseProverResources,
  type CredentialQueryRequestJson, type CredentialQueryResponseJson, type IdentityStatePublisher, type ProofWithSignals,
} from '../zk/index.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
import { createRequest, holderRequest, submitResponse, type OnchainRequest } from '../chain/zk.js';
import type { Wallet as ChainWallet } from '../chain/identity.js';
import { openRepos } from './db/index.js';
import { dataDirLayout } from './datadir.js';
import type { Deployment } from './chain/deploy.js';
import { expectRpcRefusal, spawnNode } from './test-helpers.js';

const dataDir = mkdtempSync(join(tmpdir(), 'masque-zk-node-'));
const kycSigner = privateKeyToAccount(generatePrivateKey());
const children: ChildProcess[] = [];
// anvil's well-known development accounts (the embedded chain runs with two): a dapp and an investor with funds.
const DAPP_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const INVESTOR_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';

function startChild(): Promise<{ child: ChildProcess; url: string }> {
  return spawnNode(dataDir, { MASQUE_ISSUERS: JSON.stringify([{ name: 'kyc', signer: kycSigner.address, topics: [1] }]) }, children);
}
const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));

let node: { child: ChildProcess; url: string };
let client: MasqueClient;
let reader: PublicClient;
let contracts: Record<string, string>;
let issuer: ZkIssuer;
let wallet: Wallet;
let holder: ZkHolder;
const issuerKey = privateKeyFromSeed(new Uint8Array(32).fill(51));
const birthDate = KYC_SCHEMA.slotIndex('birthDate');
const sources = (id: bigint) => (id === issuer.id ? issuer : undefined);
/** Every proof the issuer published through the node, in order. */
const published: ProofWithSignals[] = [];

function connect(url: string) {
  client = new MasqueClient(url);
  reader = createPublicClient({ transport: http(url) }) as PublicClient;
}
const refused = expectRpcRefusal;
/** Relayer transactions and chain height: a refusal that sent nothing leaves both unchanged. */
/** The relayer's nonce (mined and pending) and the head; see assertNoTransactionSince. */
async function relayerActivity(): Promise<{ nonce: number; pending: number; block: bigint }> {
  const info = await client.rpc.node_info({});
  const relayer = info.relayer as Address;
  return {
    nonce: await reader.getTransactionCount({ address: relayer }),
    pending: await reader.getTransactionCount({ address: relayer, blockTag: 'pending' }),
    block: await reader.getBlockNumber({ cacheTime: 0 }),
  };
}
/**
 * Nothing was sent since `before`: the relayer's nonce is unchanged and every block mined since is empty. (The node
 * mines empty blocks on the embedded chain when its head lags the clock, so the block number alone may move.)
 */
async function assertNoTransactionSince(before: Awaited<ReturnType<typeof relayerActivity>>, message: string): Promise<void> {
  const now = await relayerActivity();
  assert.deepEqual([now.nonce, now.pending], [before.nonce, before.pending], message);
  for (let n = before.block + 1n; n <= now.block; n++) {
    assert.equal((await reader.getBlock({ blockNumber: n })).transactions.length, 0, `${message}: block ${n} is empty`);
  }
}
function chainWallet(key: `0x${string}`, chainId: number): ChainWallet {
  const chain = defineChain({ id: chainId, name: 'masque', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [node.url] } } });
  return createWalletClient({ chain, transport: http(node.url), account: privateKeyToAccount(key) }) as ChainWallet;
}

before(async () => {
  node = await startChild();
  connect(node.url);
  contracts = (await client.rpc.node_info({})).contracts;
  const registry = nodeStateRegistry(client);
  // The issuer publishes through the node; the proofs are kept to replay them.
  const recording: IdentityStatePublisher = {
    latestState: (id) => registry.latestState(id),
    isStateValid: (id, s, age) => registry.isStateValid(id, s, age),
    isGistRootValid: (root, age) => registry.isGistRootValid(root, age),
    gistUpdateWitness: (id, newState) => registry.gistUpdateWitness(id, newState),
    publishState: async (p) => { published.push(p); return registry.publishState(p); },
  };
  const identity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)], network: Network.Test });
  issuer = new ZkIssuer(identity, issuerKey, recording, artifactPaths('stateTransition'));
  wallet = await Wallet.create(join(dataDir, 'holder.wallet'), 'holder pass', { scrypt: { N: 2 ** 10, r: 8, p: 1 }, network: Network.Main });
  holder = new ZkHolder(wallet, { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth') }, { gistProof: (id) => client.zk.gistProof(id) });
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map(exited));
  await releaseProverResources();
  rmSync(dataDir, { recursive: true, force: true });
});

const kyc = (birth: string) => ({ schema: KYC_SCHEMA, subject: holder.subject, expiration: 2_000_000_000, data: { birthDate: birth, countryOfResidence: 'CH', nationality: 'FR' } });
const adultQuery = () => ({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: birthDate, operator: 'LESS_THAN' as const, values: [20080101n] });
const withSignal = (r: CredentialQueryResponseJson, i: number, v: string): CredentialQueryResponseJson => ({ ...r, publicSignals: r.publicSignals.map((s, j) => (j === i ? v : s)) });

let requestA: CredentialQueryRequestJson;
let responseA: CredentialQueryResponseJson;
let onchain: OnchainRequest;
let requestB: CredentialQueryRequestJson;
let responseB: CredentialQueryResponseJson;

describe('zk_ over a started node', () => {
  it('deploys the ZK contracts once with the rest (node_info); rpc.discover lists the zk_ methods', async () => {
    for (const k of ['stateTransitionVerifier', 'credentialQueryVerifier', 'holderAuthVerifier', 'identityStateRegistry', 'zkQueryVerifier']) {
      assert.match(contracts[k] ?? '', /^0x[0-9a-fA-F]{40}$/, k);
      assert.ok((await reader.getCode({ address: contracts[k] as Address }))?.length, `${k} has code`);
    }
    assert.equal(contracts.zkComplianceGate, undefined, 'no gate: a gate has an owner, the node holds no authority');
    const doc = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'rpc.discover' })) as { result: { methods: { name: string }[] } };
    const names = doc.result.methods.map((m) => m.name);
    for (const m of ['zk_getIdentityState', 'zk_isStateValid', 'zk_publishState', 'zk_getRequest', 'zk_checkResponse', 'zk_verifyResponse']) assert.ok(names.includes(m), m);
  });

  it('an ID that never published: no state, its genesis state counts (same answer for ID, DID and decimal)', async () => {
    const id = issuer.identity.id;
    const s = await client.zk.identityState(id.did);
    assert.deepEqual(s, {
      id: id.string, did: id.did, idDecimal: id.bigint.toString(), registry: contracts.identityStateRegistry,
      published: false, latestState: null, historyLength: 0, history: [],
    });
    assert.deepEqual(await client.zk.identityState(id.string), s);
    assert.deepEqual(await client.zk.identityState(id.bigint), s);
  });

  it('ZkIssuer publishes through the node (relayed, the proof is the authorization) and the state reads back with its history', async () => {
    wallet.receiveClaim(issuer.issue(kyc('1990-04-17')));
    const genesis = issuer.identity.genesisState;
    const res = await issuer.publish();
    assert.ok(res?.receipt.transactionHash);
    assert.equal(published.length, 1);
    const s = await client.zk.identityState(issuer.identity.id.string);
    assert.equal(s.published, true);
    assert.equal(s.latestState, issuer.identity.state.toString());
    assert.equal(s.historyLength, 2);
    const receipt = await reader.getTransactionReceipt({ hash: res.receipt.transactionHash as `0x${string}` });
    const block = await reader.getBlock({ blockNumber: receipt.blockNumber });
    assert.deepEqual(s.history, [
      { state: genesis.toString(), genesis: true, replacedByState: issuer.identity.state.toString(), createdAt: 0, createdBlock: 0,
        replacedAt: Number(block.timestamp), replacedBlock: Number(receipt.blockNumber) },
      { state: issuer.identity.state.toString(), genesis: false, replacedByState: null, createdAt: Number(block.timestamp),
        createdBlock: Number(receipt.blockNumber), replacedAt: null, replacedBlock: null },
    ]);
  });

  it('zk_isStateValid is the chain\'s verdict: latest valid, replaced valid only within the grace period, unknown never', async () => {
    const id = issuer.identity.id;
    const genesis = issuer.identity.genesisState;
    const latest = issuer.identity.state;
    const valid = async (state: bigint, age: number) => (await client.zk.isStateValid(id.did, state, age)).valid;
    assert.equal(await valid(latest, 0), true);
    assert.equal(await valid(genesis, 2 ** 40), true, 'replaced, inside a long grace period');
    // The same verdict as the contract read directly, at the same block (with no grace, it depends on the clock).
    const { valid: noGrace, blockNumber: at } = await client.zk.isStateValid(id.did, genesis, 0);
    const direct = await reader.readContract({
      address: contracts.identityStateRegistry as Address, abi: identityStateRegistryAbi, functionName: 'isStateValid',
      args: [id.bigint, genesis, 0n], blockNumber: BigInt(at),
    });
    assert.equal(noGrace, direct);
    assert.equal(await valid(latest + 1n, 2 ** 40), false, 'unknown');
    const never = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(3)))], network: Network.Test });
    assert.equal((await client.zk.isStateValid(never.id.string, never.genesisState, 0)).valid, true, 'an ID that never published: its genesis state');
    // (The genesis ID holds bytes 5-31 of the state: a state differing only in its low 40 bits would also count,
    // but finding roots that hash to one is a 216-bit preimage search.)
    assert.equal((await client.zk.isStateValid(never.id.string, never.genesisState ^ (1n << 100n), 0)).valid, false);
    const { blockNumber } = await client.zk.isStateValid(id.string, latest, 0);
    assert.equal(blockNumber, Number(await reader.getBlockNumber({ cacheTime: 0 })));
    await refused(client.call('zk_isStateValid', { id: 'nope', state: '1', maxAgeAfterReplacement: 0 }), -32602, /id/);
    await refused(client.call('zk_isStateValid', { id: id.string, state: '1', maxAgeAfterReplacement: -1 }), -32602, /maxAgeAfterReplacement/);
  });

  it('refused publications name the reason and send no transaction: tampered proof, replayed genesis proof, old state not latest', async () => {
    const s1 = issuer.identity.state;
    issuer.issue({ ...kyc('1970-01-01'), subject: 12345n }); // another holder's claim: a second batch
    const t2 = issuer.identity.transitionFrom(issuerKey, s1);
    const p2 = await proveStateTransition(t2, await client.zk.gistUpdate(issuer.identity.id.bigint, t2.newState), artifactPaths('stateTransition'));
    const before = await relayerActivity();

    const tampered = { ...p2, publicSignals: p2.publicSignals.map((x, i) => (i === 2 ? (BigInt(x) + 1n).toString() : x)) };
    let e = await refused(client.zk.publishState(tampered), -32004, /InvalidProof/);
    assert.deepEqual(e.data, { error: 'InvalidProof', reason: 'the Groth16 proof does not verify for these public signals' });
    e = await refused(client.zk.publishState(published[0]!), -32004, /AlreadyPublished/);
    assert.equal((e.data as { error: string }).error, 'AlreadyPublished');
    await assertNoTransactionSince(before, 'no transaction for a refusal');

    const ok = await client.zk.publishState(p2);
    assert.equal(ok.newState, issuer.identity.state.toString());
    assert.equal(ok.isOldStateGenesis, false);
    assert.ok(Number(ok.gasUsed) > 200_000);
    const afterPublish = await relayerActivity();
    e = await refused(client.zk.publishState(p2), -32004, /OldStateNotLatest.*latest published state/);
    assert.equal((e.data as { error: string }).error, 'OldStateNotLatest');
    await assertNoTransactionSince(afterPublish, 'no transaction for a refusal');
    assert.equal((await client.zk.identityState(issuer.identity.id.did)).historyLength, 3);
  });

  it('zk_verifyResponse: accepted once, then the same nullifier is a replay; another request, an unknown issuer state refused', async () => {
    const v = new ZkVerifier({ verifierId: 0x5eaf00dn, verificationKeys: { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') }, registry: nodeStateRegistry(client) });
    requestA = v.createRequest(adultQuery());
    responseA = await holder.respond(requestA, sources);
    const signals = parseCredentialQuerySignals(responseA.publicSignals);
    const ok = await client.zk.verifyResponse(requestA, responseA);
    assert.deepEqual(ok, {
      ok: true, reason: 'OK', nullifier: signals.nullifier.toString(), revealedValue: '0', issuerId: issuer.identity.id.string,
      issuerState: issuer.identity.state.toString(), verifierId: requestA.verifierId, requestId: requestA.requestId,
    });
    assert.deepEqual(await client.zk.verifyResponse(requestA, responseA), { ok: false, reason: 'NULLIFIER_USED', message: 'nullifier already used' });
    const other = { ...requestA, requestId: (BigInt(requestA.requestId) + 1n).toString() };
    assert.deepEqual(await client.zk.verifyResponse(other, responseA), { ok: false, reason: 'WRONG_REQUEST_ID', message: 'the response answers another request (requestId)' });
    assert.deepEqual(await client.zk.verifyResponse(requestA, withSignal(responseA, 4, '12345')), { ok: false, reason: 'ISSUER_STATE_INVALID', message: 'unknown issuer state' });
    const stranger = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(52)))] });
    assert.equal((await client.zk.verifyResponse({ ...requestA, issuers: [stranger.id.string] }, responseA)).reason, 'ISSUER_NOT_TRUSTED');
  });

  it('on-chain request: zk_getRequest gives the request JSON pieces; zk_checkResponse agrees with the contract and the off-chain verdict', async () => {
    const { chainId } = await client.rpc.node_info({});
    const dapp = chainWallet(DAPP_KEY, chainId);
    const investor = chainWallet(INVESTOR_KEY, chainId);
    onchain = await createRequest(dapp, reader, contracts.zkQueryVerifier as Address, {
      issuers: [issuer.identity.id.string], schema: KYC_SCHEMA.hash.toString(), slotIndex: birthDate, operator: 'LESS_THAN', values: ['20080101'],
    });
    const r = await client.zk.request(onchain.requestId);
    assert.deepEqual(r, {
      requestId: onchain.requestId.toString(), queryVerifier: contracts.zkQueryVerifier, owner: dapp.account.address, verifierId: onchain.verifierId.toString(),
      active: true, query: { schema: KYC_SCHEMA.hash.toString(), slotIndex: birthDate, operator: 'LESS_THAN', values: ['20080101'], issuers: [issuer.identity.id.string] },
      issuerStateMaxAge: 3600, maxProofAge: 3600,
    });
    const timestamp = (await reader.getBlock()).timestamp;
    requestB = await client.zk.holderRequest(onchain.requestId, { wallet: investor.account.address, timestamp });
    assert.deepEqual(requestB, holderRequest(onchain, { wallet: investor.account.address, timestamp }));
    responseB = await holder.respond(requestB, sources);

    const check = (sender: Address, resp = responseB) => client.zk.checkResponse(onchain.requestId, sender, resp);
    assert.deepEqual(await check(investor.account.address), { ok: true, code: 0, reason: 'OK' });
    assert.deepEqual(await check(dapp.account.address), { ok: false, code: 9, reason: 'WRONG_CHALLENGE' });
    assert.deepEqual(await check(investor.account.address, withSignal(responseB, 4, '12345')), { ok: false, code: 13, reason: 'ISSUER_STATE_INVALID' });
    assert.equal((await client.zk.verifyResponse(requestB, withSignal(responseB, 4, '12345'))).reason, 'ISSUER_STATE_INVALID', 'same name off-chain');
    assert.deepEqual(await client.zk.checkResponse(123n, investor.account.address, responseB), { ok: false, code: 1, reason: 'UNKNOWN_REQUEST' });
    await refused(client.zk.request(123n), -32002, /no request 123/);

    const off = await client.zk.verifyResponse(requestB, responseB);
    assert.ok(off.ok, off.reason);
    assert.deepEqual(await check(investor.account.address), { ok: true, code: 0, reason: 'OK' }, 'the node\'s nullifiers are its own, not the contract\'s');
    const { nullifier } = await submitResponse(investor, reader, contracts.zkQueryVerifier as Address, responseB);
    assert.equal(nullifier.toString(), off.nullifier);
    assert.deepEqual(await check(investor.account.address), { ok: false, code: 14, reason: 'NULLIFIER_USED' });
  });

  it('accepted nullifiers survive kill -9: after a restart the same answers are replays; states and contracts are kept', async () => {
    node.child.kill('SIGKILL');
    await exited(node.child);
    node = await startChild();
    connect(node.url);
    assert.deepEqual((await client.rpc.node_info({})).contracts, contracts, 'nothing deployed again');
    assert.equal((await client.zk.identityState(issuer.identity.id.did)).latestState, issuer.identity.state.toString());
    assert.equal((await client.zk.verifyResponse(requestA, responseA)).reason, 'NULLIFIER_USED');
    assert.equal((await client.zk.verifyResponse(requestB, responseB)).reason, 'NULLIFIER_USED');
  });

  it('bad params for every zk_ method name the field (-32602)', async () => {
    const field = async (p: Promise<unknown>, name: string) => assert.equal((await refused(p, -32602)).field, name);
    await field(client.rpc.zk_getIdentityState({ id: 'not an id!' }), 'id');
    await field(client.rpc.zk_getIdentityState({ id: 'z3DNYLmzNdsCzg' }), 'id'); // base58, not a Masque ID
    await field(client.rpc.zk_publishState({ proof: published[0]!.proof, publicSignals: published[0]!.publicSignals.slice(0, 3) } as never), 'publicSignals');
    await field(client.rpc.zk_publishState({ proof: published[0]!.proof, publicSignals: ['1', '2', '3', 'x', '5', '6'] } as never), 'publicSignals.3');
    await field(client.rpc.zk_publishState({ proof: published[0]!.proof, publicSignals: ['1', '2', '3', '2', '5', '6'] } as never), 'publicSignals.3');
    await field(client.rpc.zk_publishState({ proof: { ...published[0]!.proof, protocol: 'plonk' }, publicSignals: published[0]!.publicSignals } as never), 'proof.protocol');
    await field(client.rpc.zk_getRequest({ requestId: '-1' }), 'requestId');
    await field(client.rpc.zk_getRequest({ requestId: '1'.repeat(78) }), 'requestId'); // not a field element
    await field(client.rpc.zk_checkResponse({ requestId: '1', sender: '0x12', response: responseB } as never), 'sender');
    await field(client.rpc.zk_checkResponse({ requestId: '1', sender: onchain.owner, response: { ...responseB, publicSignals: [] } } as never), 'response.publicSignals');
    await field(client.rpc.zk_verifyResponse({ request: { ...requestA, operator: 'ABOUT' }, response: responseA } as never), 'request.operator');
    await field(client.rpc.zk_verifyResponse({ request: { ...requestA, issuers: ['abc'] }, response: responseA } as never), 'request.issuers.0');
    await field(client.rpc.zk_verifyResponse({ request: { ...requestA, values: [] }, response: responseA } as never), 'request.values');
    await field(client.rpc.zk_verifyResponse({ request: requestA, response: responseA, maxStateAge: -1 } as never), 'maxStateAge');
    await field(client.rpc.zk_verifyResponse({ request: requestA, response: { ...responseA, type: 'x' } } as never), 'response.type');
  });

  it('a data directory recorded without the ZK contracts (earlier version) gets them on the next start', async () => {
    node.child.kill('SIGTERM');
    await exited(node.child);
    const repos = await openRepos({ type: 'sqlite', path: dataDirLayout(dataDir).db });
    const d = (await repos.meta.get<Deployment>('deployment'))!;
    const { stateTransitionVerifier: _a, credentialQueryVerifier: _b, identityStateRegistry: _c, zkQueryVerifier: _d, holderAuthVerifier: _e, ...older } = d;
    await repos.meta.set('deployment', older);
    await repos.close();
    node = await startChild();
    connect(node.url);
    const now = (await client.rpc.node_info({})).contracts;
    assert.equal(now.identityFactory, contracts.identityFactory, 'the rest is kept');
    assert.notEqual(now.identityStateRegistry, contracts.identityStateRegistry, 'a new registry');
    assert.ok((await reader.getCode({ address: now.identityStateRegistry as Address }))?.length);
    assert.equal((await client.zk.identityState(issuer.identity.id.did)).published, false);
  });
});
