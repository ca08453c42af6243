/**
 * Quinary Poseidon SMT (src/smt), in memory and on SQLite, against @iden3/js-merkletree (binary, 40 levels,
 * its InMemoryDB) at the same leaf counts and with the same keys, in the same run.
 *
 * The trees grow side by side through the sizes. Rates at a size N are windows measured as the trees reach N:
 * one batch of W inserts (N - 2W -> N - W), then W single inserts (-> N), then P proof generations and P
 * verifications at N, the last three interleaved across implementations. js-merkletree has no batch API, so it
 * is filled by single inserts; its whole-fill time is reported next to the window. SMT_BENCH_SIZES=3000,6000
 * overrides the sizes (quick runs).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore, SparseMerkleTree, verifyProof, type Proof, type TreeStore } from '../src/smt/index.js';
import { SqliteStore } from '../src/smt/sqlite-store.js';
import { collectGarbage, fmt, ratio, table } from './stats.js';
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
  collectGarbage();
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

/**
 * One implementation under test, behind a uniform async face so that the windows can interleave them: the
 * machine is shared, and measuring one library for minutes and then the other turns load drift into fake ratios.
 */
interface Subject {
  readonly name: string;
  count: number;
  heap: number;
  rss: number;
  fillMs: number;
  /** Grows the tree to `n` leaves its own fastest way (ours: batches; js-merkletree: one by one). */
  fill(n: number): Promise<void>;
  /** Inserts keys[count .. count + w) as one batch, if the implementation has batches. */
  batch?(w: number): void;
  insert(key: bigint): Promise<void> | void;
  prove(key: bigint): Promise<unknown> | unknown;
  root(): Promise<unknown> | unknown;
  verify(root: unknown, key: bigint, proof: unknown): Promise<boolean> | boolean;
  proofLevels(proof: unknown): number;
  disk(): number | undefined;
  close(): void;
}

function ourSubject(kind: 'memory' | 'FULL' | 'NORMAL', keys: readonly bigint[], dir: string): Subject {
  const { tree, store, disk } = ourTree(kind, dir);
  const subject: Subject = {
    name: kind === 'memory' ? 'smt memory' : `smt SQLite ${kind}`,
    count: 0,
    heap: 0,
    rss: 0,
    fillMs: 0,
    async fill(n) {
      while (subject.count < n) {
        const end = Math.min(n, subject.count + FILL_BATCH);
        tree.batch(keys.slice(subject.count, end).map((key) => ({ op: 'insert' as const, key, value: key })));
        subject.count = end;
      }
    },
    batch(w) {
      tree.batch(keys.slice(subject.count, subject.count + w).map((key) => ({ op: 'insert' as const, key, value: key })));
      subject.count += w;
    },
    insert: (key) => {
      tree.insert(key, key);
      subject.count++;
    },
    prove: (key) => tree.prove(key),
    root: () => tree.root,
    verify: (root, key, proof) => verifyProof(root as bigint, key, key, proof as Proof),
    proofLevels: (proof) => (proof as Proof).siblings.length,
    disk,
    close: () => store.close(),
  };
  return subject;
}

async function jsSubject(keys: readonly bigint[]): Promise<Subject> {
  const js = (await import('@iden3/js-merkletree')) as unknown as JsMerkletreeModule;
  const mt = new js.Merkletree(new js.InMemoryDB(js.str2Bytes('')), true, 40);
  const subject: Subject = {
    name: 'js-merkletree',
    count: 0,
    heap: 0,
    rss: 0,
    fillMs: 0,
    async fill(n) {
      const start = performance.now();
      while (subject.count < n) {
        await mt.add(keys[subject.count]!, keys[subject.count]!);
        subject.count++;
        if (subject.count % JS_PROGRESS_EVERY === 0) {
          console.log(`  js-merkletree filling: ${subject.count} leaves, ${fmt((performance.now() - start) / 1000, 1)} s`);
        }
      }
    },
    insert: async (key) => {
      await mt.add(key, key);
      subject.count++;
    },
    prove: async (key) => (await mt.generateProof(key)).proof,
    root: () => mt.root(),
    verify: (root, key, proof) => js.verifyProof(root as JsHash, proof as JsProof, key, key),
    proofLevels: (proof) => (proof as JsProof).allSiblings().length,
    disk: () => undefined,
    close: () => {},
  };
  return subject;
}

/** Runs `phase` for one subject and charges it the heap/RSS growth (after GC) and the time. */
async function charged(subject: Subject, phase: () => Promise<unknown> | unknown): Promise<number> {
  const before = memory();
  const start = performance.now();
  await phase();
  const ms = performance.now() - start;
  const after = memory();
  subject.heap += after.heap - before.heap;
  subject.rss += after.rss - before.rss;
  return ms;
}

const CHUNKS = 4;

async function measureAt(subjects: readonly Subject[], keys: readonly bigint[], size: number): Promise<Map<Subject, Measure>> {
  const singleMs = new Map<Subject, number>();
  const batchMs = new Map<Subject, number>();
  for (const s of subjects) {
    const start = performance.now();
    await charged(s, () => s.fill(size - (s.batch ? 2 * W : W)));
    if (s.batch) batchMs.set(s, await charged(s, () => s.batch!(W)));
    s.fillMs += performance.now() - start;
  }
  // Single inserts, interleaved by chunks: every implementation sees the same neighbours' load.
  for (let c = 0; c < CHUNKS; c++) {
    for (const s of subjects) {
      const from = s.count;
      const chunk = keys.slice(from, from + W / CHUNKS);
      const ms = await charged(s, async () => {
        for (const key of chunk) await s.insert(key);
      });
      singleMs.set(s, (singleMs.get(s) ?? 0) + ms);
      s.fillMs += ms;
    }
  }
  const members = sample(keys.slice(0, size), P, size);
  const proveMs = new Map<Subject, number>();
  const verifyMs = new Map<Subject, number>();
  const proofs = new Map<Subject, unknown[]>();
  const roots = new Map<Subject, unknown>();
  for (const s of subjects) {
    proofs.set(s, []);
    roots.set(s, await s.root());
  }
  const step = P / CHUNKS;
  for (let c = 0; c < CHUNKS; c++) {
    for (const s of subjects) {
      const start = performance.now();
      for (const key of members.slice(c * step, (c + 1) * step)) proofs.get(s)!.push(await s.prove(key));
      proveMs.set(s, (proveMs.get(s) ?? 0) + performance.now() - start);
    }
  }
  for (let c = 0; c < CHUNKS; c++) {
    for (const s of subjects) {
      const start = performance.now();
      for (let i = c * step; i < (c + 1) * step; i++) {
        if (!(await s.verify(roots.get(s), members[i]!, proofs.get(s)![i]))) throw new Error(`${s.name}: proof failed`);
      }
      verifyMs.set(s, (verifyMs.get(s) ?? 0) + performance.now() - start);
    }
  }
  const out = new Map<Subject, Measure>();
  for (const s of subjects) {
    const m: Measure = {
      fillSeconds: s.fillMs / 1000,
      singlePerSec: (W * 1000) / singleMs.get(s)!,
      batchPerSec: batchMs.has(s) ? (W * 1000) / batchMs.get(s)! : undefined,
      provePerSec: (P * 1000) / proveMs.get(s)!,
      verifyPerSec: (P * 1000) / verifyMs.get(s)!,
      proofLevels: proofs.get(s)!.reduce<number>((a, p) => a + s.proofLevels(p), 0) / P,
      heapBytes: s.heap,
      rssBytes: s.rss,
      diskBytes: s.disk(),
    };
    out.set(s, m);
    console.log(
      `  ${s.name} @ ${size}: ${fmt(m.singlePerSec)} single/s, ${rate(m.batchPerSec)} batched/s, ` +
        `${fmt(m.provePerSec)} proofs/s, ${fmt(m.verifyPerSec)} verifications/s`,
    );
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
  const ours = (['memory', 'FULL', 'NORMAL'] as const).map((kind) => ourSubject(kind, keys, dir));
  const js = await jsSubject(keys);
  try {
    for (const size of sizes) {
      const subjects = jsSizes.includes(size) ? [...ours, js] : ours;
      for (const [s, m] of await measureAt(subjects, keys, size)) {
        if (!results.has(s.name)) results.set(s.name, new Map());
        results.get(s.name)!.set(size, m);
      }
    }
  } finally {
    for (const s of ours) s.close();
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
    `How it is measured: all trees grow side by side through the sizes; the rates at N are **windows**, not ` +
    `whole-fill averages: one batch of ${fmt(W)} inserts (N - ${fmt(2 * W)} to N - ${fmt(W)}; js-merkletree has no ` +
    `batch API, so its single-insert rate stands in), then ${fmt(W)} single inserts ending at N, then ${P} proofs of ` +
    `random members generated, then verified, at N. The single-insert, proof and verification windows are ` +
    `**interleaved** in ${CHUNKS} chunks across the implementations (A, B, C, D, A, B, ...) so that load from other ` +
    `processes on this shared 2-core machine lands on all of them alike. The whole-fill time is every insert from ` +
    `the previous size to N (ours: batches of ${fmt(FILL_BATCH)}; js-merkletree: one by one). Heap/RSS: the growth ` +
    `charged to each tree's own phases (after forced GCs), cumulative; the memory store keeps every node version ` +
    `(history), as SQLite does on disk. Verification is the same pure function for our three columns. ` +
    `Poseidon: src/crypto/poseidon.ts as of this run (WebAssembly); js-merkletree uses @iden3/js-crypto's.\n\n` +
    sections.join('\n\n') +
    (jsSizes.length < sizes.length ? '\n\njs-merkletree is not run at 1M leaves (hours); SMT_BENCH_JS_LARGE=1 forces it.' : '');
  return { name: 'smt', title: 'Sparse Merkle tree: src/smt vs @iden3/js-merkletree', markdown };
};
