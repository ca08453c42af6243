/**
 * Quinary Poseidon SMT (src/smt), in memory and on SQLite, against @iden3/js-merkletree (binary, 40 levels,
 * its InMemoryDB) at the same leaf counts and with the same keys, in the same run.
 *
 * Every tree grows through the sizes in order. Rates at a size N are windows measured as the tree reaches N:
 * one batch of W inserts (N - 2W -> N - W), then W single inserts (-> N), then P proof generations and P
 * verifications at N. js-merkletree has no batch API, so it is filled by single inserts; its whole-fill
 * average is reported next to the window. SMT_BENCH_SIZES=2000,5000 overrides the sizes (quick runs).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MemoryStore, SparseMerkleTree, SqliteStore, verifyProof, type Proof, type TreeStore } from '../src/smt/index.js';
import { fmt, median, ratio, table } from './stats.js';
import type { BenchModule, BenchOptions, BenchReport } from './types.js';

/**
 * The slice of @iden3/js-merkletree used here. Its package.json points TypeScript's NodeNext resolution at
 * dist/node/esm without declarations, so the types are spelled out instead of imported.
 */
interface JsHash {
  bigInt(): bigint;
}
interface JsProof {
  allSiblings(): unknown[];
}
interface JsMerkletree {
  add(k: bigint, v: bigint): Promise<void>;
  root(): Promise<JsHash>;
  generateProof(k: bigint): Promise<{ proof: JsProof; value: bigint }>;
}
interface JsMerkletreeModule {
  Merkletree: new (db: unknown, writable: boolean, maxLevels: number) => JsMerkletree;
  InMemoryDB: new (prefix: Uint8Array) => unknown;
  str2Bytes(s: string): Uint8Array;
  verifyProof(root: JsHash, proof: JsProof, k: bigint, v: bigint): Promise<boolean>;
}

const W = 1000; // insert windows
const P = 500; // proofs generated and verified per window
const FILL_BATCH = 10_000;
const JS_PROGRESS_EVERY = 10_000;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

interface Measure {
  fillSeconds: number;
  singlePerSec: number;
  batchPerSec: number | undefined;
  provePerSec: number;
  verifyPerSec: number;
  proofLevels: number;
  heapBytes: number;
  rssBytes: number;
  diskBytes: number | undefined;
}

type Results = Map<string, Map<number, Measure>>;

/**
 * Deterministic pseudo-random 250-bit keys, the same for every implementation. Keys whose first 14 base-5 digits
 * repeat an earlier key's are skipped: at D = 14 there are only 5^14 (6.1e9) paths, so random keys collide by the
 * birthday bound (about 0.8 expected collisions at 100k keys, 80 at 1M).
 */
function makeKeys(count: number): bigint[] {
  const keys: bigint[] = [];
  const paths = new Set<number>();
  let s = 0x9e3779b97f4a7c15n;
  const mask = (1n << 250n) - 1n;
  while (keys.length < count) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & ((1n << 256n) - 1n);
    const key = (s ^ (s >> 97n)) & mask;
    const path = Number(key % 5n ** 14n);
    if (paths.has(path)) continue;
    paths.add(path);
    keys.push(key);
  }
  return keys;
}

function memory(): { heap: number; rss: number } {
  gc();
  gc();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

function sample<T>(items: readonly T[], count: number, seed: number): T[] {
  const out: T[] = [];
  let x = seed;
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out.push(items[x % items.length]!);
  }
  return out;
}

/** Median over `rounds` passes of `fn` over `items`, in items per second. */
function passRate<T>(items: readonly T[], fn: (item: T) => unknown, rounds = 3): number {
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const start = performance.now();
    for (const item of items) fn(item);
    rates.push((items.length * 1000) / (performance.now() - start));
  }
  return median(rates);
}

function ourTree(kind: 'memory' | 'FULL' | 'NORMAL', dir: string): { tree: SparseMerkleTree; store: TreeStore; disk: () => number | undefined } {
  if (kind === 'memory') {
    const store = new MemoryStore();
    return { tree: SparseMerkleTree.open(store, { maxDepth: 14 }), store, disk: () => undefined };
  }
  const file = join(dir, `smt-${kind}.sqlite`);
  const store = SqliteStore.open(file, { synchronous: kind, cacheSize: 400_000 });
  const disk = () => {
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const size = (f: string) => {
      try {
        return statSync(f).size;
      } catch {
        return 0;
      }
    };
    return size(file) + size(`${file}-wal`);
  };
  return { tree: SparseMerkleTree.open(store, { maxDepth: 14 }), store, disk };
}

function benchOurs(kind: 'memory' | 'FULL' | 'NORMAL', keys: readonly bigint[], sizes: readonly number[], dir: string): Map<number, Measure> {
  const base = memory();
  const { tree, store, disk } = ourTree(kind, dir);
  const out = new Map<number, Measure>();
  let count = 0;
  let fillMs = 0;
  for (const size of sizes) {
    const fillStart = performance.now();
    while (count < size - 2 * W) {
      const end = Math.min(size - 2 * W, count + FILL_BATCH);
      tree.batch(keys.slice(count, end).map((key) => ({ op: 'insert' as const, key, value: key })));
      count = end;
    }
    let start = performance.now();
    tree.batch(keys.slice(count, count + W).map((key) => ({ op: 'insert' as const, key, value: key })));
    const batchPerSec = (W * 1000) / (performance.now() - start);
    count += W;
    start = performance.now();
    for (const key of keys.slice(count, count + W)) tree.insert(key, key);
    const singlePerSec = (W * 1000) / (performance.now() - start);
    count += W;
    fillMs += performance.now() - fillStart;

    const members = sample(keys.slice(0, count), P, size);
    let proofs: Proof[] = [];
    const proveRate = passRate(members, (k) => tree.prove(k));
    proofs = members.map((k) => tree.prove(k));
    const root = tree.root;
    let i = 0;
    const verifyRate = passRate(proofs, (p) => {
      const k = members[i++ % P]!;
      if (!verifyProof(root, k, k, p)) throw new Error('proof failed');
    });
    const proofLevels = proofs.reduce((a, p) => a + p.siblings.length, 0) / P;
    const mem = memory();
    out.set(size, {
      fillSeconds: fillMs / 1000,
      singlePerSec,
      batchPerSec,
      provePerSec: proveRate,
      verifyPerSec: verifyRate,
      proofLevels,
      heapBytes: mem.heap - base.heap,
      rssBytes: mem.rss - base.rss,
      diskBytes: disk(),
    });
    console.log(`  smt ${kind} @ ${size}: ${fmt(singlePerSec)} single/s, ${fmt(batchPerSec)} batched/s, ${fmt(proveRate)} proofs/s, ${fmt(verifyRate)} verifications/s`);
  }
  store.close();
  return out;
}

async function benchJs(keys: readonly bigint[], sizes: readonly number[]): Promise<Map<number, Measure>> {
  const js = (await import('@iden3/js-merkletree')) as unknown as JsMerkletreeModule;
  const base = memory();
  const mt = new js.Merkletree(new js.InMemoryDB(js.str2Bytes('')), true, 40);
  const out = new Map<number, Measure>();
  let count = 0;
  let fillMs = 0;
  for (const size of sizes) {
    const fillStart = performance.now();
    while (count < size - W) {
      await mt.add(keys[count]!, keys[count]!);
      count++;
      if (count % JS_PROGRESS_EVERY === 0) console.log(`  js-merkletree filling: ${count} leaves, ${fmt((performance.now() - fillStart) / 1000, 1)} s`);
    }
    const start = performance.now();
    for (const key of keys.slice(count, count + W)) await mt.add(key, key);
    const singlePerSec = (W * 1000) / (performance.now() - start);
    count += W;
    fillMs += performance.now() - fillStart;

    const members = sample(keys.slice(0, count), P, size);
    let t = performance.now();
    const proofs: JsProof[] = [];
    for (const k of members) proofs.push((await mt.generateProof(k)).proof);
    const proveRate = (P * 1000) / (performance.now() - t);
    const root = await mt.root();
    t = performance.now();
    for (let i = 0; i < P; i++) {
      if (!(await js.verifyProof(root, proofs[i]!, members[i]!, members[i]!))) throw new Error('js-merkletree proof failed');
    }
    const verifyRate = (P * 1000) / (performance.now() - t);
    const proofLevels = proofs.reduce((a, p) => a + p.allSiblings().length, 0) / P;
    const mem = memory();
    out.set(size, {
      fillSeconds: fillMs / 1000,
      singlePerSec,
      batchPerSec: undefined,
      provePerSec: proveRate,
      verifyPerSec: verifyRate,
      proofLevels,
      heapBytes: mem.heap - base.heap,
      rssBytes: mem.rss - base.rss,
      diskBytes: undefined,
    });
    console.log(`  js-merkletree @ ${size}: ${fmt(singlePerSec)} inserts/s, ${fmt(proveRate)} proofs/s, ${fmt(verifyRate)} verifications/s`);
  }
  return out;
}

const mb = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : `${fmt(bytes / 2 ** 20, 1)} MB`);
const rate = (x: number | undefined) => (x === undefined ? 'n/a' : fmt(x));

function sizeTable(results: Results, size: number): string {
  const names = [...results.keys()].filter((n) => results.get(n)!.has(size));
  const js = results.get('js-merkletree')?.get(size);
  const ours = names.filter((n) => n !== 'js-merkletree');
  const header = ['metric', ...names, ...(js ? ours.map((n) => `${n} / js`) : [])];
  const row = (label: string, pick: (m: Measure) => number | undefined, show: (x: number | undefined) => string, withRatio: boolean) => {
    const cells = names.map((n) => show(pick(results.get(n)!.get(size)!)));
    const ratios = js
      ? ours.map((n) => {
          const a = pick(results.get(n)!.get(size)!);
          const b = pick(js);
          return withRatio && a !== undefined && b !== undefined ? ratio(a, b) : '';
        })
      : [];
    return [label, ...cells, ...ratios];
  };
  return table(header, [
    row(`single inserts/s (window: ${fmt(W)} inserts up to N)`, (m) => m.singlePerSec, rate, true),
    row(`batched inserts/s (one batch of ${fmt(W)}; js: single)`, (m) => m.batchPerSec ?? (m === js ? m.singlePerSec : undefined), rate, true),
    row('whole fill to N, seconds', (m) => m.fillSeconds, (x) => fmt(x ?? 0, 1), false),
    row(`proof generations/s (${P} members)`, (m) => m.provePerSec, rate, true),
    row(`proof verifications/s (${P} members)`, (m) => m.verifyPerSec, rate, true),
    row('mean proof levels (hashes per verification - 1)', (m) => m.proofLevels, (x) => fmt(x ?? 0, 1), false),
    row('heap delta (after GC)', (m) => m.heapBytes, mb, false),
    row('RSS delta', (m) => m.rssBytes, mb, false),
    row('disk (db + WAL after checkpoint)', (m) => m.diskBytes, mb, false),
  ]);
}

export const run: BenchModule = async (options: BenchOptions): Promise<BenchReport> => {
  const envSizes = process.env.SMT_BENCH_SIZES?.split(',').map(Number).filter((n) => n >= 2 * W + P);
  const sizes = envSizes?.length ? envSizes : options.large ? [10_000, 100_000, 1_000_000] : [10_000, 100_000];
  // js-merkletree at 1M would take hours; it stops at 100k unless asked.
  const jsSizes = sizes.filter((s) => s <= 100_000 || process.env.SMT_BENCH_JS_LARGE === '1');
  const keys = makeKeys(Math.max(...sizes));
  const dir = mkdtempSync(join(tmpdir(), 'masque-bench-smt-'));
  const results: Results = new Map();
  try {
    results.set('smt memory', benchOurs('memory', keys, sizes, dir));
    results.set('smt SQLite FULL', benchOurs('FULL', keys, sizes, dir));
    results.set('smt SQLite NORMAL', benchOurs('NORMAL', keys, sizes, dir));
    results.set('js-merkletree', await benchJs(keys, jsSizes));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const sections = sizes.map((size) => `### ${fmt(size)} leaves\n\n${sizeTable(results, size)}`);
  const at100k = (name: string) => results.get(name)?.get(100_000);
  const goal = (() => {
    const ours = at100k('smt memory');
    const js = at100k('js-merkletree');
    if (!ours || !js) return '';
    const single = ours.singlePerSec / js.singlePerSec;
    const batched = (ours.batchPerSec ?? 0) / js.singlePerSec;
    const verify = ours.verifyPerSec / js.verifyPerSec;
    const ok = (x: number) => (x >= 10 ? 'met' : 'not met');
    return (
      `**Goal at 100k leaves (>= 10x js-merkletree):** single inserts ${single.toFixed(1)}x (${ok(single)}), ` +
      `batched inserts ${batched.toFixed(1)}x (${ok(batched)}), proof verifications ${verify.toFixed(1)}x (${ok(verify)}).\n\n`
    );
  })();
  const markdown =
    `Quinary Poseidon SMT (maxDepth 14) in memory and on SQLite (WAL; synchronous FULL is the default, NORMAL shown ` +
    `for comparison) against @iden3/js-merkletree 1.5 (binary, 40 levels, InMemoryDB), same keys (random 250-bit), ` +
    `value = key, same run; keys whose 14-digit paths collide are skipped (see makeKeys).\n\n` +
    goal +
    `How it is measured: each tree grows through the sizes; the rates at N are **windows**, not whole-fill averages: ` +
    `one batch of ${fmt(W)} inserts (N - ${fmt(2 * W)} to N - ${fmt(W)}; js-merkletree has no batch API, so its ` +
    `single-insert rate stands in), then ${fmt(W)} single inserts ending at N, then ${P} proofs of random members ` +
    `generated and verified at N (ours: median of 3 passes; js-merkletree: one pass, it is async and slow). ` +
    `The whole-fill time is all the inserts from the previous size to N (ours: batches of ${fmt(FILL_BATCH)}; ` +
    `js-merkletree: one by one). Memory is the heap/RSS growth since the tree was created, after two forced GCs; ` +
    `the memory store keeps every node version (history), as SQLite does on disk. Verification is the same pure ` +
    `function for all three of our columns; its rate differs only by noise. Poseidon: src/crypto/poseidon.ts as of ` +
    `this run; js-merkletree uses @iden3/js-crypto's Poseidon.\n\n` +
    sections.join('\n\n') +
    (jsSizes.length < sizes.length ? '\n\njs-merkletree is not run at 1M leaves (hours); SMT_BENCH_JS_LARGE=1 forces it.' : '');
  return { name: 'smt', title: 'Sparse Merkle tree: src/smt vs @iden3/js-merkletree', markdown };
};
