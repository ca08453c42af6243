// The GIST in TypeScript: updates, holder proofs and the circuit's update rule (gistUpdateRoot) against the
// tree's own root, and a hand-built root against circomlibjs's Poseidon.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { buildPoseidon } from 'circomlibjs';
import { verifyProof } from '../smt/index.js';
import { GIST_DEPTH, GIST_KEY_HIGH_BITS, GlobalStateTree, gistUpdateRoot, ZkError } from './index.js';

const FIVE_D = 5n ** BigInt(GIST_DEPTH);
const randomId = () => (BigInt(`0x${randomBytes(31).toString('hex')}`) % ((1n << 248n) - 1n)) + 1n;
const randomState = () => BigInt(`0x${randomBytes(31).toString('hex')}`);

test('the key bound of the circuits covers every 31-byte ID and stays below the field', () => {
  assert.ok(FIVE_D << BigInt(GIST_KEY_HIGH_BITS) >= 1n << 248n);
  assert.ok(FIVE_D << BigInt(GIST_KEY_HIGH_BITS) < 21888242871839275222246405745257275088548364400416034343698204186575808495617n);
});

test('an update witness recomputes the root the tree reaches: first transitions, later ones, splits past another leaf', () => {
  const gist = GlobalStateTree.empty();
  const ids: bigint[] = [];
  const base = randomId() % FIVE_D + 1n;
  // IDs sharing their first k digits with `base` force the new leaf down past another identity's leaf.
  ids.push(base);
  for (const k of [0, 1, 2, 5, 9, 20, 31]) ids.push(base + FIVE_D * BigInt(k + 1) + 5n ** BigInt(k) * BigInt(1 + (k % 3)));
  for (let i = 0; i < 20; i++) ids.push(randomId());
  let splits = 0;
  for (const round of [0, 1]) {
    for (const id of ids) {
      const state = randomState();
      const w = gist.updateWitness(id, state);
      assert.equal(w.oldRoot, gist.root);
      assert.equal(w.oldState === undefined, round === 0);
      if (w.newLevels > w.proof.siblings.length) splits++;
      const root = gist.applyTransition(id, state);
      assert.equal(w.newRoot, root, `round ${round}, id ${id}`);
      assert.equal(gistUpdateRoot(w), root);
      const p = gist.prove(id);
      assert.equal(p.state, state);
      assert.ok(verifyProof(p.root, id, state, p.proof, { maxDepth: GIST_DEPTH }));
    }
  }
  assert.ok(splits >= 5, `the vectors exercise splits (${splits})`);
  // Rebuilt from the transitions in order: the same root (anyone mirrors the registry's events).
  const again = GlobalStateTree.fromTransitions(ids.map((id) => ({ id, newState: gist.stateOf(id)! })));
  assert.equal(again.stateOf(ids[3]!), gist.stateOf(ids[3]!));
});

test('holder proofs: non-membership for an ID that never published, at older roots too', () => {
  const gist = GlobalStateTree.empty();
  const a = randomId();
  const b = randomId();
  const first = gist.applyTransition(a, 11n);
  const p = gist.prove(b);
  assert.equal(p.state, undefined);
  assert.ok(verifyProof(p.root, b, undefined, p.proof, { maxDepth: GIST_DEPTH }));
  gist.applyTransition(b, 12n);
  gist.applyTransition(a, 13n);
  assert.ok(gist.isRoot(first));
  assert.equal(gist.prove(a, { root: first }).state, 11n);
  assert.equal(gist.prove(b, { root: first }).state, undefined);
  assert.equal(gist.stateOf(a), 13n);
});

test('refusals: a lying witness, a state that does not change, a non-ID key, IDs colliding over the whole depth', () => {
  const gist = GlobalStateTree.empty();
  const a = randomId() % FIVE_D + FIVE_D;
  gist.applyTransition(a, 5n);
  assert.throws(() => gist.updateWitness(a, 5n), (e: unknown) => e instanceof ZkError && /already the state/.test(e.message));
  const w = gist.updateWitness(randomId(), 6n);
  assert.throws(() => gistUpdateRoot({ ...w, oldRoot: w.oldRoot + 1n }), /not the ID's GIST proof/);
  assert.throws(() => gistUpdateRoot({ ...w, newLevels: w.newLevels + 1 }), /newLevels/);
  assert.throws(() => gist.prove(0n), /identity ID/);
  assert.throws(() => gist.applyTransition(1n << 248n, 1n), /identity ID/);
  const twin = a + FIVE_D; // same first 32 digits
  assert.throws(() => gist.updateWitness(twin, 1n), (e: unknown) => e instanceof ZkError && /no place in the GIST/.test(e.message));
});

test('bit-exact with circomlib Poseidon: a two-leaf GIST hashed by hand with circomlibjs', async () => {
  const P = await buildPoseidon();
  const h = (xs: bigint[]) => P.F.toObject(P(xs)) as bigint;
  // Two IDs that differ in digit 0: both leaves sit in the root node.
  const a = 5n * 1234567n + 1n;
  const b = 5n * 7654321n + 3n;
  const gist = GlobalStateTree.fromTransitions([{ id: a, newState: 100n }, { id: b, newState: 200n }]);
  const children = [0n, h([a, 100n, 1n]), 0n, h([b, 200n, 1n]), 0n];
  assert.equal(gist.root, h(children));
  // One ID alone: the root is its leaf.
  assert.equal(GlobalStateTree.fromTransitions([{ id: a, newState: 7n }]).root, h([a, 7n, 1n]));
});

test('a batch of transitions (a mirror catching up) reaches the root of the same transitions one at a time; entries list the leaves', () => {
  const events = Array.from({ length: 40 }, (_, i) => ({ id: randomId(), newState: BigInt(i + 1) }));
  events.push({ id: events[3]!.id, newState: 999n }); // a later transition of the same ID wins
  const one = GlobalStateTree.fromTransitions(events);
  const batched = GlobalStateTree.empty();
  assert.equal(batched.applyTransitions(events.slice(0, 10)), GlobalStateTree.fromTransitions(events.slice(0, 10)).root);
  const firstRoot = batched.root;
  assert.equal(batched.applyTransitions(events.slice(10)), one.root);
  assert.equal(batched.stateOf(events[3]!.id), 999n);
  assert.equal([...batched.entries()].length, 40);
  assert.equal([...batched.entries({ root: firstRoot })].length, 10);
  assert.throws(() => batched.applyTransitions([{ id: 0n, newState: 1n }]), ZkError);
  assert.equal(batched.root, one.root, 'a refused batch changes nothing');
});
