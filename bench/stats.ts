/** Small helpers shared by the benchmarks: timing, medians, markdown tables, the machine's load and heap. */
import { loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Operations per second of `op`, as the median of `rounds` rounds of at least `minMs` each,
 * so a noisy neighbour on the shared machine disturbs one round rather than the result.
 */
export function opsPerSecond(op: () => unknown, { rounds = 5, minMs = 200 } = {}): number {
  for (let i = 0; i < 20; i++) op(); // warm-up: JIT and caches
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      op();
      n++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    samples.push((n * 1000) / elapsed);
  }
  return median(samples);
}

/**
 * Seconds per call of an async `op`: the median of `rounds` rounds of at least `minMs` each (one
 * warm-up call first). The async sibling of opsPerSecond, for I/O and WebCrypto paths.
 */
export async function secondsPerAsyncOp(op: () => Promise<unknown>, { rounds = 3, minMs = 200 } = {}): Promise<number> {
  await op();
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    let n = 0;
    const start = performance.now();
    let elapsed = 0;
    do {
      await op();
      n++;
      elapsed = performance.now() - start;
    } while (elapsed < minMs);
    samples.push(elapsed / 1000 / n);
  }
  return median(samples);
}

export type Row = readonly (string | number)[];

export function table(header: readonly string[], rows: readonly Row[]): string {
  const line = (cells: Row) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function ratio(a: number, b: number): string {
  return `${(a / b).toFixed(2)}x`;
}

/** A seeded PRNG (mulberry32): the same synthetic data on every run. */
export function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The load averages over 1, 5 and 15 minutes, for a report: absolute figures drop with them, ratios much less. */
export const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(', ');

let gc: (() => void) | undefined;

/** Two full garbage collections (V8's --expose-gc, turned on at first use), so a heap reading counts what is kept. */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  gc();
  gc();
}

/** Heap in use after two full collections, in MB: the difference of two readings is what was kept in between. */
export function heapUsedMb(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed / 1e6;
}
