import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MemoryStore, SmtError, SparseMerkleTree, verifyProof, type Proof } from './index.js';
import { SqliteStore } from './sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'masque-smt-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshFile = () => join(dir, `t${n++}.sqlite`);
const code = (c: string) => (e: unknown) => e instanceof SmtError && e.code === c;

test('sqlite: same roots as memory, survives reopen, history and old proofs', () => {
  const file = freshFile();
  const mem = SparseMerkleTree.open(new MemoryStore(), { maxDepth: 14 });
  let store = SqliteStore.open(file);
  let tree = SparseMerkleTree.open(store, { maxDepth: 14 });
  for (let i = 0n; i < 60n; i++) {
    const key = (i * 7919n) ** 5n;
    mem.insert(key, i);
    tree.insert(key, i);
  }
  tree.delete(7919n ** 5n);
  mem.delete(7919n ** 5n);
  tree.update(0n, 5n);
  mem.update(0n, 5n);
  assert.equal(tree.root, mem.root);
  const old = tree.rootHistory()[30]!;
  const oldProof = tree.prove((20n * 7919n) ** 5n, { root: old.root });
  store.close();

  store = SqliteStore.open(file);
  tree = SparseMerkleTree.open(store, { maxDepth: 14 });
  assert.equal(tree.root, mem.root);
  assert.equal(tree.latest.seq, 62); // 60 inserts, a delete, an update
  assert.ok(tree.isHistoricalRoot(old.root));
  assert.deepEqual(tree.findRoot(old.root), old);
  assert.deepEqual(tree.prove((20n * 7919n) ** 5n, { root: old.root }), oldProof);
  assert.ok(verifyProof(old.root, (20n * 7919n) ** 5n, 20n, oldProof));
  assert.equal(tree.get(7919n ** 5n), undefined);
  assert.equal(tree.get(7919n ** 5n, { root: old.root }), 1n);
  assert.equal(tree.rootHistory().length, 63);
  assert.deepEqual(tree.rootHistory(2).map((r) => r.seq), [61, 62]);
  assert.deepEqual(new Map(tree.entries()), new Map(mem.entries()));
  assert.throws(() => SparseMerkleTree.open(store, { maxDepth: 4 }), code('CONFIG_MISMATCH'));
  store.close();
});

test('sqlite: several named trees in one database, sharing nodes', () => {
  const db = new Database(freshFile());
  db.pragma('journal_mode = WAL');
  const auth = SparseMerkleTree.open(SqliteStore.open(db, { tree: 'auth' }), { maxDepth: 4 });
  const claims = SparseMerkleTree.open(SqliteStore.open(db, { tree: 'claims' }), { maxDepth: 14 });
  auth.insert(1n, 10n);
  claims.insert(1n, 10n);
  claims.insert(2n, 20n);
  assert.equal(auth.rootHistory().length, 2);
  assert.equal(claims.rootHistory().length, 3);
  assert.equal(auth.isHistoricalRoot(claims.root), false);
  // Leaf 1 -> 10 (auth's root, and a child of claims' root) is stored once: 2 leaves + 1 middle.
  assert.equal(db.prepare('SELECT count(*) FROM smt_nodes').pluck().get(), 3);
  db.close();
});

test('sqlite: two writers on one tree get CONFLICT instead of forking it', () => {
  const file = freshFile();
  const a = SparseMerkleTree.open(SqliteStore.open(file), { maxDepth: 14 });
  const b = SparseMerkleTree.open(SqliteStore.open(file), { maxDepth: 14 });
  a.insert(1n, 1n);
  assert.throws(() => b.insert(2n, 2n), code('CONFLICT'));
  b.refresh();
  b.insert(2n, 2n);
  a.refresh();
  assert.equal(a.get(2n), 2n);
});

test('sqlite: a batch that throws midway leaves the previous root and its proofs intact', () => {
  const file = freshFile();
  const store = SqliteStore.open(file);
  const tree = SparseMerkleTree.open(store, { maxDepth: 14 });
  tree.batch(Array.from({ length: 50 }, (_, i) => ({ op: 'insert' as const, key: BigInt(i) * 1000003n, value: 1n })));
  const root = tree.root;
  const proofs = [0n, 1000003n, 5n].map((k) => tree.prove(k));
  const rows = () => store.db.prepare('SELECT count(*) FROM smt_nodes').pluck().get();
  const before = rows();
  assert.throws(() =>
    tree.transaction((tx) => {
      for (let i = 0n; i < 30n; i++) tx.insert(7n + i * 999983n, 2n);
      throw new Error('midway');
    }),
  /midway/);
  // A failing store write inside the transaction: the duplicate-free node rows must roll back too.
  assert.throws(
    () => store.commit((function* () { yield [1n, { kind: 'leaf', key: 1n, value: 1n }] as const; throw new Error('disk'); })(), 99n, 0, tree.latest.seq),
    /disk/,
  );
  assert.equal(rows(), before);
  store.close();
  const reopened = SparseMerkleTree.open(SqliteStore.open(file), { maxDepth: 14 });
  assert.equal(reopened.root, root);
  [0n, 1000003n, 5n].forEach((k, i) => assert.deepEqual(reopened.prove(k), proofs[i]));
  assert.ok(verifyProof(root, 1000003n, 1n, proofs[1]!));
  assert.ok(verifyProof(root, 5n, undefined, proofs[2]!));
});

function runChild(file: string, mode: string, onLine: (line: string, kill: () => void) => void): Promise<{ signal: NodeJS.Signals | null; lines: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-child.ts'), file, mode, '42'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const lines: string[] = [];
    let buffer = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let i: number;
      while ((i = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, i);
        buffer = buffer.slice(i + 1);
        lines.push(line);
        onLine(line, () => child.kill('SIGKILL'));
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => resolve({ signal, lines }));
  });
}

const spread = (i: number) => (BigInt(i + 1) * 6364136223846793005n) ** 3n % 2n ** 250n;

function seeded(file: string): { root: bigint; proofs: [bigint, bigint | undefined, Proof][] } {
  const store = SqliteStore.open(file, { tree: 'crash' });
  const tree = SparseMerkleTree.open(store, { maxDepth: 14 });
  tree.batch(Array.from({ length: 100 }, (_, i) => ({ op: 'insert' as const, key: spread(i), value: BigInt(i) })));
  const keys = [spread(0), spread(3), spread(99), 12345n];
  const proofs = keys.map((k) => [k, tree.get(k), tree.prove(k)] as [bigint, bigint | undefined, Proof]);
  const root = tree.root;
  store.close();
  return { root, proofs };
}

function checkIntact(file: string, root: bigint, proofs: [bigint, bigint | undefined, Proof][]): SparseMerkleTree {
  const tree = SparseMerkleTree.open(SqliteStore.open(file, { tree: 'crash' }), { maxDepth: 14 });
  assert.ok(tree.isHistoricalRoot(root));
  for (const [key, value, proof] of proofs) {
    assert.deepEqual(tree.prove(key, { root }), proof);
    assert.ok(verifyProof(root, key, value, proof));
  }
  // The latest root is whole: rebuilding it from its own entries gives it back.
  const copy = SparseMerkleTree.open(new MemoryStore(), { maxDepth: 14 });
  copy.batch([...tree.entries()].map(([key, value]) => ({ op: 'insert' as const, key, value })));
  assert.equal(copy.root, tree.root);
  return tree;
}

test('sqlite: SIGKILL inside the commit transaction leaves the previous root intact', async () => {
  const file = freshFile();
  const { root, proofs } = seeded(file);
  const { signal, lines } = await runChild(file, 'self-kill', () => {});
  assert.equal(signal, 'SIGKILL');
  assert.match(lines[0] ?? '', /^writing \d+/);
  assert.ok(statSync(`${file}-wal`).size > 0, 'uncommitted pages reached the WAL');
  const tree = checkIntact(file, root, proofs);
  assert.equal(tree.root, root);
  assert.equal(tree.latest.seq, 1);
});

test('sqlite: a writer SIGKILLed at a random point mid-batch leaves a committed root', async () => {
  const file = freshFile();
  const { root, proofs } = seeded(file);
  const committed: bigint[] = [root];
  const { signal } = await runChild(file, 'loop', (line, kill) => {
    const m = /^committed (\d+) (\d+)$/.exec(line);
    if (!m) return;
    committed.push(BigInt(m[2]!));
    if (committed.length === 3) setTimeout(kill, Math.floor(Math.random() * 150));
  });
  assert.equal(signal, 'SIGKILL');
  const tree = checkIntact(file, root, proofs);
  // Either the last root the child reported, or one it committed but was killed before printing.
  assert.ok(tree.latest.seq >= committed.length - 1);
  assert.ok(tree.latest.seq <= committed.length);
  if (tree.latest.seq === committed.length - 1) assert.equal(tree.root, committed.at(-1));
});
