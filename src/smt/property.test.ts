import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MemoryStore, SmtError, SparseMerkleTree, verifyProof, type TreeStore } from './index.js';
import { SqliteStore } from './sqlite-store.js';
import { ModelTree } from './test-helpers.js';

/**
 * Small depth and a small key space so that paths share prefixes, leaves get pushed down and collide at the
 * maximum depth; a few large keys keep the high digits honest.
 */
const D = 3;
const keyArb = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 5n ** 4n }) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: 2n ** 253n }) },
);
const valueArb = fc.bigInt({ min: 0n, max: 2n ** 64n });
type Op = { kind: 'insert' | 'update' | 'delete'; key: bigint; value: bigint };
const opArb: fc.Arbitrary<Op> = fc.record({
  kind: fc.constantFrom('insert' as const, 'insert' as const, 'update' as const, 'delete' as const),
  key: keyArb,
  value: valueArb,
});
const runs = { numRuns: 100 };

function applyToBoth(tree: SparseMerkleTree, model: ModelTree, op: Op): string | undefined {
  let expected: string | undefined;
  if (op.kind === 'insert') expected = model.insert(op.key, op.value);
  else if (!model.entries.has(op.key)) expected = 'KEY_NOT_FOUND';
  else if (op.kind === 'update') model.entries.set(op.key, op.value);
  else model.entries.delete(op.key);
  let actual: string | undefined;
  try {
    if (op.kind === 'insert') tree.insert(op.key, op.value);
    else if (op.kind === 'update') tree.update(op.key, op.value);
    else tree.delete(op.key);
  } catch (e) {
    if (!(e instanceof SmtError)) throw e;
    actual = e.code;
  }
  assert.equal(actual, expected, `${op.kind} ${op.key}`);
  return actual;
}

const open = (store: TreeStore = new MemoryStore()) => SparseMerkleTree.open(store, { maxDepth: D });

test('property: same answers, roots and valid proofs as the naive model', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 25 }), fc.array(keyArb, { maxLength: 5 }), (ops, probes) => {
      const tree = open();
      const model = new ModelTree(D);
      for (const op of ops) applyToBoth(tree, model, op);
      assert.equal(tree.root, model.root());
      assert.deepEqual(new Map(tree.entries()), model.entries);
      for (const key of [...model.entries.keys(), ...probes]) {
        const value = model.entries.get(key);
        assert.equal(tree.get(key), value);
        const proof = tree.prove(key);
        assert.equal(proof.existence, value !== undefined);
        assert.ok(verifyProof(tree.root, key, value, proof, { maxDepth: D }));
      }
    }),
    runs,
  );
});

test('property: the root depends only on the set, not on insertion order or deleted keys', () => {
  const setArb = fc.uniqueArray(fc.tuple(keyArb, valueArb), { maxLength: 20, selector: ([k]) => k });
  fc.assert(
    fc.property(setArb, setArb, fc.integer(), (kept, extra, seed) => {
      const model = new ModelTree(D);
      const accepted = kept.filter(([k, v]) => model.insert(k, v) === undefined);
      const a = open();
      for (const [k, v] of accepted) a.insert(k, v);
      // Same set, shuffled, with other keys inserted in between and then deleted.
      const b = open();
      const shuffled = [...accepted].sort(() => ((seed = (seed * 1103515245 + 12345) | 0) & 1 ? 1 : -1));
      const transient: bigint[] = [];
      for (const [k, v] of extra) {
        if (model.insert(k, v) === undefined) {
          transient.push(k);
          b.insert(k, v);
        }
      }
      for (const [k, v] of shuffled) b.insert(k, v);
      for (const k of transient) b.delete(k);
      assert.equal(a.root, b.root);
      // And as one batch.
      const c = open();
      c.batch(shuffled.map(([key, value]) => ({ op: 'insert' as const, key, value })));
      assert.equal(c.root, a.root);
    }),
    runs,
  );
});

test('property: a batch equals the same ops applied one by one', () => {
  fc.assert(
    fc.property(fc.array(opArb, { maxLength: 25 }), (ops) => {
      const single = open();
      const model = new ModelTree(D);
      const valid: Op[] = [];
      for (const op of ops) {
        if (applyToBoth(single, model, op) === undefined) valid.push(op);
      }
      const batched = open();
      batched.batch(valid.map((op) => (op.kind === 'delete' ? { op: op.kind, key: op.key } : { op: op.kind, key: op.key, value: op.value })));
      assert.equal(batched.root, single.root);
    }),
    runs,
  );
});

test('property: in-memory and SQLite stores give the same roots, history and proofs', () => {
  fc.assert(
    fc.property(fc.array(fc.array(opArb, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), (batches) => {
      const single = open();
      const mem = open();
      const sqlite = SqliteStore.open(':memory:', { cacheSize: 7 }); // tiny cache: most reads hit SQL
      const lite = open(sqlite);
      const model = new ModelTree(D);
      for (const ops of batches) {
        const valid = ops.filter((op) => applyToBoth(single, model, op) === undefined);
        const batch = valid.map((op) => (op.kind === 'delete' ? { op: op.kind, key: op.key } : { op: op.kind, key: op.key, value: op.value }));
        mem.batch(batch);
        lite.batch(batch);
        assert.equal(lite.root, single.root);
        assert.equal(mem.root, single.root);
      }
      const oldRoots = mem.rootHistory().map((r) => r.root);
      assert.deepEqual(lite.rootHistory().map((r) => r.root), oldRoots);
      const keys = [...new Set(batches.flat().map((op) => op.key))];
      const past = oldRoots[oldRoots.length >> 1]!;
      for (const key of keys) {
        assert.deepEqual(lite.prove(key), mem.prove(key));
        const then = lite.prove(key, { root: past });
        assert.deepEqual(then, mem.prove(key, { root: past }));
        assert.ok(verifyProof(past, key, lite.get(key, { root: past }), then));
      }
      sqlite.close();
    }),
    { numRuns: 60 },
  );
});
