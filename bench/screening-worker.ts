/**
 * One screening worker of bench/screening.ts: imports the official lists, builds its own index, screens its share of
 * holder profiles and reports counts and times. Node-only (worker_threads); the library itself stays browser-safe.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { ScreeningIndex, type Query } from '../src/screening/index.js';
import { loadRealLists } from './screening-quality.js';

const { dir, profiles } = workerData as { dir: string; profiles: Query[] };
const t0 = performance.now();
const index = ScreeningIndex.build(loadRealLists(dir));
const built = performance.now();
let hits = 0;
let flagged = 0;
for (const p of profiles) {
  const h = index.search(p);
  hits += h.length;
  if (h.length) flagged++;
}
parentPort!.postMessage({ buildMs: built - t0, screenMs: performance.now() - built, hits, flagged, profiles: profiles.length });
