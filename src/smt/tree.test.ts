import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIELD_MODULUS } from '../crypto/field.js';
import { poseidon } from '../crypto/poseidon.js';
import { MemoryStore, SmtError, SparseMerkleTree, keyDigits, leafHash, middleHash, verifyProof } from './index.js';
import { ModelTree, digitAt } from './test-helpers.js';

const tree = (maxDepth = 4) => SparseMerkleTree.open(new MemoryStore(), { maxDepth, now: () => 1000 });
const code = (c: string) => (e: unknown) => e instanceof SmtError && e.code === c;

test('key digits are base 5, least significant first', () => {
  assert.deepEqual([...keyDigits(0n, 3)], [0, 0, 0]);
  assert.deepEqual([...keyDigits(7n, 3)], [2, 1, 0]);
  const big = FIELD_MODULUS - 1n;
  const d = keyDigits(big, 60);
  for (let l = 0; l < 60; l++) assert.equal(d[l], digitAt(big, l));
});

test('node hashes follow the spec', () => {
  assert.equal(leafHash(3n, 4n), poseidon([3n, 4n, 1n]));
  assert.equal(middleHash([1n, 0n, 2n, 0n, 3n]), poseidon([1n, 0n, 2n, 0n, 3n]));
});

test('empty tree: root 0, nothing in it, history entry 0', () => {
  const t = tree();
  assert.equal(t.root, 0n);
  assert.equal(t.get(5n), undefined);
  assert.deepEqual(t.rootHistory(), [{ seq: 0, root: 0n, timestamp: 1000 }]);
  assert.ok(t.isHistoricalRoot(0n));
});

test('single leaf sits at the root; a second one splits at the first differing digit', () => {
  const t = tree();
  t.insert(7n, 70n); // digits 2,1,0,0
  assert.equal(t.root, leafHash(7n, 70n));
  t.insert(12n, 120n); // digits 2,2,0,0: same level-0 digit, parts at level 1
  const inner = middleHash([0n, leafHash(7n, 70n), leafHash(12n, 120n), 0n, 0n]);
  assert.equal(t.root, middleHash([0n, 0n, inner, 0n, 0n]));
  assert.equal(t.get(7n), 70n);
  assert.equal(t.get(12n), 120n);
  assert.equal(t.get(2n), undefined);
  assert.equal(t.has(12n), true);
});

test('insert refuses an existing key; update and set change values; update/delete refuse a missing key', () => {
  const t = tree();
  t.insert(1n, 10n);
  const before = t.root;
  assert.throws(() => t.insert(1n, 11n), code('KEY_EXISTS'));
  assert.equal(t.root, before);
  assert.equal(t.get(1n), 10n);
  t.update(1n, 11n);
  assert.equal(t.get(1n), 11n);
  t.set(1n, 12n);
  t.set(2n, 20n);
  assert.equal(t.get(1n), 12n);
  assert.equal(t.get(2n), 20n);
  assert.throws(() => t.update(3n, 1n), code('KEY_NOT_FOUND'));
  assert.throws(() => t.delete(3n), code('KEY_NOT_FOUND'));
});

test('path collision at maximum depth', () => {
  const t = tree(2);
  t.insert(3n, 1n);
  assert.throws(() => t.insert(3n + 25n, 1n), code('PATH_COLLISION'));
  t.insert(3n + 5n, 1n); // differs at digit 1: fine
  assert.equal(t.get(28n), undefined);
});

test('delete collapses back to the same shape and root', () => {
  const t = tree(6);
  const roots: bigint[] = [t.root];
  const keys = [7n, 7n + 5n ** 3n, 7n + 2n * 5n ** 3n, 1n, 7n + 5n ** 4n];
  for (const k of keys) {
    t.insert(k, k * 2n);
    roots.push(t.root);
  }
  for (let i = keys.length - 1; i >= 0; i--) {
    assert.equal(t.root, roots[i + 1]);
    t.delete(keys[i]);
    assert.equal(t.root, roots[i]);
  }
  assert.equal(t.root, 0n);
});

test('matches the model on a hand-picked set', () => {
  const t = tree(5);
  const m = new ModelTree(5);
  for (const k of [0n, 5n, 25n, 125n, 624n, 3n, 8n, 13n, 999999n]) {
    t.insert(k, k + 1n);
    assert.equal(m.insert(k, k + 1n), undefined);
    assert.equal(t.root, m.root());
  }
  t.delete(25n);
  m.entries.delete(25n);
  assert.equal(t.root, m.root());
});

test('non-field keys and values are refused, naming the argument', () => {
  const t = tree();
  assert.throws(() => t.insert(-1n, 0n), /key/);
  assert.throws(() => t.insert(FIELD_MODULUS, 0n), /key/);
  assert.throws(() => t.insert(1n, FIELD_MODULUS), /value/);
  assert.throws(() => t.update(1n, -5n), /value/);
  assert.throws(() => t.get(FIELD_MODULUS + 1n), /key/);
  assert.throws(() => t.insert(1 as unknown as bigint, 0n), /key must be a bigint/);
  assert.throws(() => verifyProof(FIELD_MODULUS, 1n, 1n, { existence: true, siblings: [] }), /root/);
  assert.equal(t.root, 0n);
  assert.throws(() => SparseMerkleTree.open(new MemoryStore(), { maxDepth: 0 }), /maxDepth/);
});

test('batch: many ops, one commit, atomic on error', () => {
  const t = tree(6);
  t.insert(1n, 1n);
  const seq = t.latest.seq;
  const rec = t.batch([
    { op: 'insert', key: 2n, value: 2n },
    { op: 'insert', key: 7n, value: 7n },
    { op: 'update', key: 1n, value: 11n },
    { op: 'insert', key: 32n, value: 32n },
    { op: 'delete', key: 2n },
  ]);
  assert.equal(rec.seq, seq + 1);
  const single = tree(6);
  single.insert(1n, 11n);
  single.insert(7n, 7n);
  single.insert(32n, 32n);
  assert.equal(t.root, single.root);

  const before = t.root;
  assert.throws(
    () => t.batch([{ op: 'insert', key: 100n, value: 1n }, { op: 'insert', key: 7n, value: 1n }]),
    code('KEY_EXISTS'),
  );
  assert.equal(t.root, before);
  assert.equal(t.get(100n), undefined);
  assert.throws(() =>
    t.transaction((tx) => {
      tx.insert(200n, 1n);
      assert.equal(tx.get(200n), 1n); // reads see the batch's own writes
      throw new Error('boom');
    }),
  /boom/);
  assert.equal(t.root, before);
  assert.equal(t.latest.seq, seq + 1);
  const escaped = t.transaction((tx) => tx).result;
  assert.throws(() => escaped.insert(300n, 1n), /transaction is over/);
});

test('batch hashes each touched node once', async () => {
  // 25 keys that all share the root and fill level 1: a batch should hash 25 leaves + 5 + 1 middles.
  const keys = Array.from({ length: 25 }, (_, i) => BigInt(i));
  const store = new MemoryStore();
  const t = SparseMerkleTree.open(store, { maxDepth: 4 });
  const { result } = t.transaction((tx) => {
    for (const k of keys) tx.insert(k, k);
    return 'done';
  });
  assert.equal(result, 'done');
  assert.equal(store.size, 25 + 5 + 1); // one stored node per hash computed
  const seq = tree(4);
  for (const k of keys) seq.insert(k, k);
  assert.equal(t.root, seq.root);
  assert.equal(t.rootHistory().length, 2);
});

test('a batch that changes nothing appends no history', () => {
  const t = tree();
  t.insert(1n, 1n);
  const n = t.rootHistory().length;
  t.batch([{ op: 'insert', key: 2n, value: 2n }, { op: 'delete', key: 2n }]);
  t.update(1n, 1n);
  assert.equal(t.rootHistory().length, n);
});

test('entries lists every pair', () => {
  const t = tree();
  for (const k of [4n, 9n, 14n, 600n]) t.insert(k, k);
  assert.deepEqual(new Map(t.entries()), new Map([[4n, 4n], [9n, 9n], [14n, 14n], [600n, 600n]]));
});
