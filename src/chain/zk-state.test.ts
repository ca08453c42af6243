// IdentityStateRegistry on anvil with real state-transition proofs (src/zk prover): first transition from the
// genesis state, a chain of transitions, refusals (wrong old state, replayed state, tampered proof, not the genesis
// ID), and the validity of replaced states within and after a grace period.
import { after, afterEach, before, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEventLogs, type Hex } from 'viem';
import * as snarkjs from 'snarkjs';
import { GlobalStateTree, proveStateTransition, releaseProverResources, type ProofWithSignals } from '../zk/index.js';
import type { StateTransition } from '../identity/index.js';
import { artifactPaths } from '../zk/node.js';
import { makeFixture } from '../zk/test-fixtures.js';
import { idFromGenesisState, Network } from '../identity/index.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { identityStateRegistryAbi } from './artifacts/index.js';
import { write } from './identity.js';
import { expectRevert, startTestChain, type TestChain } from './testkit.js';
import {
  deployZkContracts, getGistRoot, getLatestState, getState, getStateHistory, getStateTransitions, isGistRootValid, isStateValid, publishState,
  toSolidityProof, type ZkContracts,
} from './zk.js';
import { anvilRpc } from './anvil.js';

const MasqueFieldOrder = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

let chain: TestChain;
let zk: ZkContracts;
let snapshot: Hex;
const f = makeFixture();
const issuer = f.issuer;
const issuerId = issuer.id.bigint;
const genesis = issuer.genesisState;
// Transitions of the issuer: t1 genesis -> s1 (a claim), t2 s1 -> s2 (a key), t3 s2 -> s1' back to s1's content
// (the key removed again: the same roots, so the same state as s1).
let t1: ProofWithSignals;
let t2: ProofWithSignals;
let t3: ProofWithSignals;
let s1: bigint;
let s2: bigint;

before(async () => {
  chain = await startTestChain();
  zk = await deployZkContracts(chain.wallets[0], chain.reader);
  f.issue();
  const extraKey = publicKey(privateKeyFromSeed(new Uint8Array(32).fill(9)));
  issuer.addKey(f.issuerKey, extraKey);
  const slot = issuer.keys.find((k) => k.key.x === extraKey.x)!.slot;
  issuer.removeKey(f.issuerKey, slot);
  const [tr1, tr2, tr3] = issuer.transitions();
  s1 = tr1.newState;
  s2 = tr2.newState;
  assert.equal(tr3.newState, s1, 'removing the key restores s1');
  // The GIST as the registry will hold it when each is published: empty, then s1, then s2.
  const gist = GlobalStateTree.empty();
  const update = (t: StateTransition) => {
    const w = gist.updateWitness(issuerId, t.newState);
    gist.applyTransition(issuerId, t.newState);
    return w;
  };
  const [w1, w2, w3] = [update(tr1), update(tr2), update(tr3)];
  // One after the other: snarkjs shares one curve (and its worker threads) per process.
  t1 = await proveStateTransition(tr1, w1, artifactPaths('stateTransition'));
  t2 = await proveStateTransition(tr2, w2, artifactPaths('stateTransition'));
  t3 = await proveStateTransition(tr3, w3, artifactPaths('stateTransition'));
});
after(async () => {
  await chain?.stop();
  await releaseProverResources();
});
beforeEach(async () => { snapshot = await chain.snapshot(); });
afterEach(async () => { await chain.revert(snapshot); });

const registry = () => zk.identityStateRegistry;
const HOUR = 3600n;

test('before any publication: the genesis state is valid (ID bytes checked in Solidity), others are not', async () => {
  assert.equal(await getLatestState(chain.reader, registry(), issuerId), 0n);
  assert.equal(await isStateValid(chain.reader, registry(), issuerId, genesis, 0n), true);
  assert.equal(await isStateValid(chain.reader, registry(), issuerId, s1, 10n ** 9n), false);
  // Another network byte, or another identity's genesis state: not this ID.
  const other = f.holderIdentity.genesisState;
  assert.equal(await isStateValid(chain.reader, registry(), issuerId, other, 0n), false);
  assert.equal(await isStateValid(chain.reader, registry(), idFromGenesisState(genesis, Network.Main).bigint, genesis, 0n), true);
  const isGenesisId = (id: bigint, state: bigint) =>
    chain.reader.readContract({ address: registry(), abi: identityStateRegistryAbi, functionName: 'isGenesisId', args: [id, state] });
  assert.equal(await isGenesisId(issuerId, genesis), true);
  assert.equal(await isGenesisId(issuerId ^ (1n << 100n), genesis), false);
  assert.equal(await isGenesisId(f.holderIdentity.id.bigint, f.holderIdentity.genesisState), true);
});

test('first transition from the genesis state, then a chain of transitions; history with times and blocks', async () => {
  await expectRevert(publishState(chain.wallets[1], chain.reader, registry(), t2), 'NoPublishedState');
  const r1 = await publishState(chain.wallets[1], chain.reader, registry(), t1); // anyone may submit
  const time1 = Number(await chain.now());
  assert.equal(await getLatestState(chain.reader, registry(), issuerId), s1);
  await chain.travel(100);
  await publishState(chain.wallets[2], chain.reader, registry(), t2);
  const time2 = Number(await chain.now());
  assert.equal(await getLatestState(chain.reader, registry(), issuerId), s2);
  assert.deepEqual(await getStateHistory(chain.reader, registry(), issuerId), [genesis, s1, s2]);

  const g = await getState(chain.reader, registry(), issuerId, genesis);
  assert.deepEqual(g, { id: issuerId, state: genesis, replacedByState: s1, createdAt: 0, createdBlock: 0, replacedAt: time1, replacedBlock: Number(r1.receipt.blockNumber) });
  const i1 = await getState(chain.reader, registry(), issuerId, s1);
  assert.equal(i1?.createdAt, time1);
  assert.equal(i1?.replacedAt, time2);
  assert.equal(i1?.replacedByState, s2);
  const i2 = await getState(chain.reader, registry(), issuerId, s2);
  assert.equal(i2?.replacedAt, 0);
  assert.equal(i2?.replacedByState, 0n);
  assert.equal(await getState(chain.reader, registry(), issuerId, 12345n), undefined);

  const logs = await chain.reader.getContractEvents({ address: registry(), abi: identityStateRegistryAbi, eventName: 'StateTransitioned', fromBlock: 0n });
  assert.deepEqual(logs.map((l) => [l.args.oldState, l.args.newState, l.args.isOldStateGenesis]), [[genesis, s1, true], [s1, s2, false]]);
});

test('refused: genesis replayed, wrong old state, replayed state', async () => {
  await publishState(chain.wallets[0], chain.reader, registry(), t1);
  await expectRevert(publishState(chain.wallets[0], chain.reader, registry(), t1), 'AlreadyPublished');
  await expectRevert(publishState(chain.wallets[0], chain.reader, registry(), t3), 'OldStateNotLatest'); // starts from s2
  await publishState(chain.wallets[0], chain.reader, registry(), t2);
  // s2 -> s1: a valid proof, but s1 was already a state of this identity.
  await expectRevert(publishState(chain.wallets[0], chain.reader, registry(), t3), 'StateAlreadyPublished');
  assert.equal(await getLatestState(chain.reader, registry(), issuerId), s2);
});

test('refused: a tampered proof, tampered signals, an ID that is not the genesis ID of the old state', async () => {
  const [id, oldState, newState, , gistOld, gistNew] = t1.publicSignals.map(BigInt);
  const { a, b, c } = toSolidityProof(t1.proof);
  const send = (args: readonly [bigint, bigint, bigint, boolean], roots: readonly [bigint, bigint] = [gistOld, gistNew]) => write(chain.wallets[0], chain.reader, {
    address: registry(), abi: identityStateRegistryAbi, functionName: 'transitState', args: [...args, ...roots, a, b, c],
  });
  const badA = [a[0], a[1] + 1n] as const;
  await expectRevert(write(chain.wallets[0], chain.reader, {
    address: registry(), abi: identityStateRegistryAbi, functionName: 'transitState', args: [id, oldState, newState, true, gistOld, gistNew, badA, b, c],
  }), 'InvalidProof');
  await expectRevert(send([id, oldState, newState + 1n, true]), 'InvalidProof');
  // The GIST: another new root is not what the proof proves; another old root is not the registry's.
  await expectRevert(send([id, oldState, newState, true], [gistOld, gistNew + 1n]), 'InvalidProof');
  await expectRevert(send([id, oldState, newState, true], [gistOld + 1n, gistNew]), 'StaleGistRoot');
  await expectRevert(send([id, oldState, newState, true], [gistOld, MasqueFieldOrder]), 'InvalidSignal');
  // The holder's ID with the issuer's genesis state: caught by the byte check before the proof.
  await expectRevert(send([f.holderIdentity.id.bigint, oldState, newState, true]), 'NotGenesisState');
  await expectRevert(send([id + 1n, oldState, newState, true]), 'InvalidSignal'); // bad checksum
  await expectRevert(send([id, oldState, oldState, true]), 'StateAlreadyPublished');
  assert.equal(await getLatestState(chain.reader, registry(), issuerId), 0n);
});

test('a replaced state stays valid for the grace period the caller chooses; the latest always; unknown never', async () => {
  await publishState(chain.wallets[0], chain.reader, registry(), t1);
  // The genesis state is now a replaced state, like any other.
  assert.equal(await isStateValid(chain.reader, registry(), issuerId, genesis, HOUR), true);
  await publishState(chain.wallets[0], chain.reader, registry(), t2);
  const valid = (state: bigint, maxAge: bigint) => isStateValid(chain.reader, registry(), issuerId, state, maxAge);
  assert.equal(await valid(s1, HOUR), true);
  assert.equal(await valid(s1, 0n), true); // replaced in this very second
  await chain.travel(Number(HOUR) - 10);
  assert.equal(await valid(s1, HOUR), true);
  assert.equal(await valid(s1, 60n), false);
  await chain.travel(20);
  assert.equal(await valid(s1, HOUR), false);
  assert.equal(await valid(s1, 2n * HOUR), true);
  assert.equal(await valid(genesis, HOUR), false);
  assert.equal(await valid(s2, 0n), true);
  await chain.travel(10 * 365 * 24 * 3600);
  assert.equal(await valid(s2, 0n), true);
  assert.equal(await valid(12345n, 2n ** 64n), false);
});

test('toSolidityProof encodes what snarkjs.groth16.exportSolidityCallData does', async () => {
  const calldata = JSON.parse(`[${await snarkjs.groth16.exportSolidityCallData(t1.proof, t1.publicSignals)}]`) as unknown[];
  const big = (x: unknown): unknown => (Array.isArray(x) ? x.map(big) : BigInt(x as string));
  const p = toSolidityProof(t1.proof);
  assert.deepEqual([p.a, p.b, p.c, t1.publicSignals.map(BigInt)], calldata.map(big));
});

test('the GIST root moves with each transition; replaced roots stay valid for the grace period asked; a transition proven on a replaced root is refused', async () => {
  assert.equal(await getGistRoot(chain.reader, registry()), 0n);
  const first = await publishState(chain.wallets[0], chain.reader, registry(), t1);
  const root1 = BigInt(t1.publicSignals[5]);
  assert.equal(await getGistRoot(chain.reader, registry()), root1);
  const [event] = parseEventLogs({ abi: identityStateRegistryAbi, logs: first.receipt.logs, eventName: 'GistRootUpdated' });
  assert.deepEqual([event.args.oldRoot, event.args.newRoot], [0n, root1]);
  const second = await publishState(chain.wallets[0], chain.reader, registry(), t2);
  const replacedAt = (await chain.reader.getBlock({ blockHash: second.receipt.blockHash })).timestamp;
  assert.equal(await isGistRootValid(chain.reader, registry(), BigInt(t2.publicSignals[5]), 0n), true, 'the current root');
  assert.equal(await isGistRootValid(chain.reader, registry(), root1, HOUR), true);
  assert.equal(await isGistRootValid(chain.reader, registry(), 12345n, HOUR), false, 'never a root');
  await anvilRpc.setNextBlockTimestamp(chain.anvil.rpcUrl, replacedAt + HOUR + 1n);
  await anvilRpc.mine(chain.anvil.rpcUrl, 1);
  assert.equal(await isGistRootValid(chain.reader, registry(), root1, HOUR), false);
  // Rebuilt from the events, the GIST has the registry's root.
  const rebuilt = GlobalStateTree.fromTransitions(await getStateTransitions(chain.reader, registry()));
  assert.equal(rebuilt.root, await getGistRoot(chain.reader, registry()));
});

test('gas: transitState', async (t) => {
  const first = await publishState(chain.wallets[0], chain.reader, registry(), t1);
  const next = await publishState(chain.wallets[0], chain.reader, registry(), t2);
  t.diagnostic(`transitState gas: first (genesis) ${first.receipt.gasUsed}, next ${next.receipt.gasUsed}`);
});
