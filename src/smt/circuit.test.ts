import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryStore, SparseMerkleTree, fromCircuitProof, toCircuitProof, verifyCircuitProof } from './index.js';

const D = 5;
const t = SparseMerkleTree.open(new MemoryStore(), { maxDepth: D });
for (const k of [7n, 12n, 1n, 3n, 57n]) t.insert(k, k * 10n);

test('fixed-size proofs: padded, flagged, round-trip, verify', () => {
  const cases: [bigint, bigint | undefined][] = [[7n, 70n], [57n, 570n], [1n, 10n], [4n, undefined], [6n, undefined], [32n, undefined]];
  for (const [key, value] of cases) {
    const proof = t.prove(key);
    const c = toCircuitProof({ root: t.root, key, value, proof, maxDepth: D });
    assert.equal(c.siblings.length, 4 * D);
    assert.equal(c.levels, BigInt(proof.siblings.length));
    assert.equal(c.fnc, value === undefined ? 1n : 0n);
    assert.equal(c.isAux0, value === undefined && !proof.auxLeaf ? 1n : 0n);
    assert.deepEqual(fromCircuitProof(c), { root: t.root, key, value, proof });
    assert.ok(verifyCircuitProof(c), `key ${key}`);
  }
});

test('fixed-size proofs: inconsistent flags or tampering fail', () => {
  const c = toCircuitProof({ root: t.root, key: 6n, value: undefined, proof: t.prove(6n), maxDepth: D });
  assert.ok(c.auxKey !== 0n);
  assert.equal(verifyCircuitProof({ ...c, isAux0: 1n }), false);
  assert.equal(verifyCircuitProof({ ...c, fnc: 0n }), false);
  assert.equal(verifyCircuitProof({ ...c, auxValue: c.auxValue + 1n }), false);
  const siblings = [...c.siblings];
  siblings[1] += 1n;
  assert.equal(verifyCircuitProof({ ...c, siblings }), false);
  assert.equal(verifyCircuitProof({ ...c, levels: c.levels + 1n }), false);
  assert.equal(verifyCircuitProof({ ...c, levels: BigInt(D + 1) }), false);
  assert.equal(verifyCircuitProof({ ...c, levels: -1n }), false);
  assert.throws(() => toCircuitProof({ root: t.root, key: 7n, value: undefined, proof: t.prove(7n), maxDepth: D }), /value/);
  assert.throws(() => toCircuitProof({ root: t.root, key: 7n, value: 70n, proof: t.prove(7n), maxDepth: 1 }), /maxDepth/);
});

test('fixed-size proofs: groups past the path\'s end are ignored, as in the circuit', () => {
  const c = toCircuitProof({ root: t.root, key: 7n, value: 70n, proof: t.prove(7n), maxDepth: D });
  assert.ok(c.levels < BigInt(D));
  const siblings = [...c.siblings];
  siblings[4 * (D - 1)] = 99n;
  assert.ok(verifyCircuitProof({ ...c, siblings }));
});
