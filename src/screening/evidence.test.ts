import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkEvidence, evidenceLeaf, merkleProof, merkleRoot, runMessage, verifyMerkleProof, type EvidenceRecord, type RunHeader } from './evidence.js';

const record = (i: number, extra: Partial<EvidenceRecord> = {}): EvidenceRecord => ({
  format: 'masque-screening-evidence/1', chainId: 31337, identity: `0x${i.toString(16).padStart(40, '0')}`,
  profileCommitment: `0x${'ab'.repeat(32)}`, kind: 'full', screenedAt: '2026-06-01T02:00:00.000Z',
  lists: [{ source: 'ofac-sdn', hash: `sha256:${'11'.repeat(32)}`, entryCount: 9, publishedAt: '2026-05-30' }],
  matcher: { version: 'm/1', reviewThreshold: 0.8, autoActionThreshold: 0.95 },
  bestScore: 0.31, hits: [], decision: 'clear', topics: { 2: 'clear', 4: 'clear', 7: 'clear' }, ...extra,
});

test('a leaf hashes the canonical record: key order does not matter, every field does', () => {
  const r = record(1);
  const reordered = Object.fromEntries(Object.entries(r).reverse()) as unknown as EvidenceRecord;
  assert.equal(evidenceLeaf(r), evidenceLeaf(reordered));
  assert.match(evidenceLeaf(r), /^0x[0-9a-f]{64}$/);
  assert.notEqual(evidenceLeaf(r), evidenceLeaf(record(1, { bestScore: 0.32 })));
  assert.notEqual(evidenceLeaf(r), evidenceLeaf(record(1, { decision: 'review' })));
  assert.throws(() => evidenceLeaf({ ...r, format: 'x' } as never), /format/);
});

test('Merkle proofs verify for every leaf of trees of every size, and fail for another leaf, index or root', () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), fc.nat(), (n, k) => {
    const leaves = Array.from({ length: n }, (_, i) => evidenceLeaf(record(i)));
    const root = merkleRoot(leaves);
    const i = k % n;
    const proof = merkleProof(leaves, i);
    assert.ok(verifyMerkleProof(leaves[i], proof, root));
    if (n > 1) assert.ok(!verifyMerkleProof(leaves[(i + 1) % n], proof, root));
    assert.ok(!verifyMerkleProof(leaves[i], proof, merkleRoot([...leaves, leaves[0]])));
    assert.ok(proof.length <= Math.ceil(Math.log2(n)));
  }), { numRuns: 60 });
  // One record: its leaf is the root, with an empty path.
  const one = evidenceLeaf(record(1));
  assert.equal(merkleRoot([one]), one);
  assert.deepEqual(merkleProof([one], 0), []);
});

test('checkEvidence: the record, its path and its run; run headers sign as a fixed message', () => {
  const records = [record(1), record(2), record(3, { decision: 'hit', topics: { 2: 'hit', 4: 'hit', 7: 'clear' } })];
  const leaves = records.map(evidenceLeaf);
  const header: RunHeader = {
    format: 'masque-screening-run/1', chainId: 31337, runId: 7, kind: 'full', startedAt: 'a', finishedAt: 'b', records: 3,
    root: merkleRoot(leaves), operator: `0x${'cd'.repeat(20)}`,
  };
  assert.deepEqual(checkEvidence(records[2], merkleProof(leaves, 2), header), { ok: true, leaf: leaves[2] });
  const forged = { ...records[2], decision: 'clear' as const };
  assert.equal(checkEvidence(forged, merkleProof(leaves, 2), header).ok, false);
  assert.equal(checkEvidence(records[2], merkleProof(leaves, 2), { ...header, chainId: 1 }).ok, false);
  assert.match(runMessage(header), /^Masque screening run\n\{"chainId":31337,/);
});
