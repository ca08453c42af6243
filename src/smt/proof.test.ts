import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore, SmtError, SparseMerkleTree, leafHash, verifyProof, type Proof } from './index.js';

function sample() {
  const t = SparseMerkleTree.open(new MemoryStore(), { maxDepth: 6 });
  // 7 and 12 share digit 2 at level 0 and part at level 1; 1 sits alone under the root.
  for (const [k, v] of [[7n, 70n], [12n, 120n], [1n, 10n], [3n, 30n]] as const) t.insert(k, v);
  return t;
}

test('membership proofs verify, with the right value only', () => {
  const t = sample();
  for (const [k, v] of t.entries()) {
    const proof = t.prove(k);
    assert.equal(proof.existence, true);
    assert.equal(proof.auxLeaf, undefined);
    assert.ok(verifyProof(t.root, k, v, proof));
    assert.equal(verifyProof(t.root, k, v + 1n, proof), false);
    assert.equal(verifyProof(t.root, k, undefined, proof), false);
  }
  assert.equal(t.prove(7n).siblings.length, 2);
  assert.equal(t.prove(1n).siblings.length, 1);
});

test('non-membership at an empty slot', () => {
  const t = sample();
  const proof = t.prove(4n); // digit 4 at level 0: empty
  assert.equal(proof.existence, false);
  assert.equal(proof.auxLeaf, undefined);
  assert.equal(proof.siblings.length, 1);
  assert.ok(verifyProof(t.root, 4n, undefined, proof));
  assert.equal(verifyProof(t.root, 4n, 0n, proof), false);
});

test('non-membership past an auxiliary leaf', () => {
  const t = sample();
  const proof = t.prove(6n); // digit 1 at level 0 holds key 1
  assert.equal(proof.existence, false);
  assert.deepEqual(proof.auxLeaf, { key: 1n, value: 10n });
  assert.ok(verifyProof(t.root, 6n, undefined, proof));
  // The aux leaf cannot be passed off as the key itself, nor moved to another key's path.
  assert.equal(verifyProof(t.root, 1n, undefined, proof), false);
  assert.equal(verifyProof(t.root, 6n, undefined, { ...proof, auxLeaf: { key: 11n, value: 10n } }), false);
});

test('single-leaf and empty trees', () => {
  const t = SparseMerkleTree.open(new MemoryStore(), { maxDepth: 4 });
  const empty = t.prove(9n);
  assert.deepEqual(empty, { existence: false, siblings: [] });
  assert.ok(verifyProof(0n, 9n, undefined, empty));
  t.insert(9n, 1n);
  assert.equal(t.root, leafHash(9n, 1n));
  assert.ok(verifyProof(t.root, 9n, 1n, t.prove(9n)));
  const other = t.prove(4n);
  assert.deepEqual(other.auxLeaf, { key: 9n, value: 1n });
  assert.ok(verifyProof(t.root, 4n, undefined, other));
});

test('tampered siblings, a wrong root or a changed tree fail', () => {
  const t = sample();
  const proof = t.prove(7n);
  const root = t.root;
  for (let l = 0; l < proof.siblings.length; l++) {
    for (let i = 0; i < 4; i++) {
      const siblings = proof.siblings.map((g) => [...g]);
      siblings[l][i] += 1n;
      assert.equal(verifyProof(root, 7n, 70n, { ...proof, siblings }), false, `sibling ${l}.${i}`);
    }
  }
  assert.equal(verifyProof(root + 1n, 7n, 70n, proof), false);
  assert.equal(verifyProof(root, 7n, 70n, { ...proof, siblings: proof.siblings.slice(1) }), false);
  assert.equal(verifyProof(root, 7n, 70n, { ...proof, existence: false }), false);
  t.insert(2n, 20n);
  assert.equal(verifyProof(t.root, 7n, 70n, proof), false);
  assert.ok(verifyProof(t.root, 7n, 70n, t.prove(7n)));
});

test('malformed proofs are rejected, not thrown on', () => {
  const t = sample();
  const proof = t.prove(7n);
  const bad: unknown[] = [
    { ...proof, siblings: [[1n, 2n, 3n]] },
    { ...proof, siblings: [[1n, 2n, 3n, -1n]] },
    { ...proof, siblings: [[1n, 2n, 3n, 4]] },
    { ...proof, siblings: 'x' },
    { existence: 'yes', siblings: [] },
    null,
  ];
  for (const p of bad) assert.equal(verifyProof(t.root, 7n, 70n, p as Proof), false);
  assert.equal(verifyProof(t.root, 7n, 70n, proof, { maxDepth: 1 }), false);
});

test('proofs at an earlier root via the history', () => {
  const t = sample();
  const old = t.root;
  t.update(7n, 71n);
  t.delete(1n);
  t.insert(4n, 40n);
  assert.ok(t.isHistoricalRoot(old));
  assert.equal(t.isHistoricalRoot(12345n), false);
  const then = t.prove(7n, { root: old });
  assert.ok(verifyProof(old, 7n, 70n, then));
  assert.equal(t.get(7n, { root: old }), 70n);
  assert.equal(t.get(1n, { root: old }), 10n);
  assert.ok(verifyProof(old, 1n, 10n, t.prove(1n, { root: old })));
  assert.ok(verifyProof(old, 4n, undefined, t.prove(4n, { root: old })));
  assert.ok(verifyProof(t.root, 1n, undefined, t.prove(1n)));
  assert.throws(() => t.prove(7n, { root: 12345n }), (e) => e instanceof SmtError && e.code === 'UNKNOWN_ROOT');
  const history = t.rootHistory();
  assert.deepEqual(history.map((r) => r.seq), [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(history.at(-1)!.root, t.root);
  assert.equal(t.findRoot(old)!.seq, 4);
  assert.deepEqual(t.rootHistory(2).map((r) => r.seq), [6, 7]);
});
