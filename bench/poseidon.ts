/**
 * Poseidon hashes per second: Masque's WebAssembly implementation and its BigInt reference against
 * @iden3/js-crypto (BigInt) and circomlibjs (WebAssembly `buildPoseidon`, JS `buildPoseidonOpt`).
 * Every implementation returns a bigint (circomlibjs's field elements are converted with F.toObject,
 * as any caller must). Short rounds are interleaved across implementations so load from the other
 * users of the machine hits all of them alike; speeds are medians over rounds, and ratios are medians
 * of the per-round ratios (each round's figures were measured within a few hundred milliseconds).
 */
import { poseidon as jsCrypto } from '@iden3/js-crypto';
import { buildPoseidon, buildPoseidonOpt } from 'circomlibjs';
import { loadavg } from 'node:os';
import { FIELD_MODULUS } from '../src/crypto/field.js';
import { poseidon, poseidonUsesWasm } from '../src/crypto/poseidon.js';
import { poseidonReference } from '../src/crypto/poseidon-reference.js';
import { fmt, median, opsPerSecond, ratio, table } from './stats.js';
import type { BenchModule } from './types.js';

const ARITIES = [2, 3, 5, 6, 16];
const GOAL_ARITIES = [2, 5, 6];
const ROUNDS = 15;
const MIN_MS = 60;
const POOL = 64;

type Hash = (inputs: bigint[]) => bigint;

export const run: BenchModule = async () => {
  const wasmHash = await buildPoseidon();
  const optHash = await buildPoseidonOpt();
  const impls: [string, Hash][] = [
    ['Masque', poseidon],
    ['Masque reference', poseidonReference],
    ['@iden3/js-crypto', (x) => jsCrypto.hash(x)],
    ['circomlibjs wasm', (x) => wasmHash.F.toObject(wasmHash(x))],
    ['circomlibjs opt (JS)', (x) => optHash.F.toObject(optHash(x))],
  ];
  const names = impls.map(([name]) => name);
  const rows: (string | number)[][] = [];
  const goalRatios: number[] = [];
  let seed = 0x2545f4914f6cdd1dn;
  const random = () => {
    seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 256n) - 1n);
    return seed % FIELD_MODULUS;
  };
  for (const n of ARITIES) {
    const pool = Array.from({ length: POOL }, () => Array.from({ length: n }, random));
    // Same answers first, so a fast wrong hash cannot win.
    for (const [name, hash] of impls) {
      if (hash(pool[0]) !== poseidonReference(pool[0])) throw new Error(`${name} disagrees with the reference`);
    }
    const samples = impls.map(() => [] as number[]);
    for (let round = 0; round < ROUNDS; round++) {
      // rotate who goes first, so no implementation always follows the same neighbour's garbage
      for (let j = 0; j < impls.length; j++) {
        const i = (round + j) % impls.length;
        const hash = impls[i][1];
        let k = 0;
        samples[i].push(opsPerSecond(() => hash(pool[k++ % POOL]), { rounds: 1, minMs: MIN_MS }));
      }
    }
    const hz = samples.map(median);
    const paired = (j: number) => median(samples[0].map((x, round) => x / samples[j][round]));
    if (GOAL_ARITIES.includes(n)) goalRatios.push(paired(3));
    console.log(`${n} inputs: ${names.map((name, i) => `${name} ${fmt(hz[i])}/s`).join(', ')}`);
    rows.push([n, ...hz.map((x) => fmt(x)), ratio(paired(3), 1), ratio(paired(2), 1)]);
  }
  const worst = Math.min(...goalRatios);
  const met = worst >= 2;
  const markdown = [
    `Hashes per second (median of ${ROUNDS} interleaved rounds of ${MIN_MS} ms each) on random field elements;`,
    'ratios are medians of the per-round ratios.',
    `Machine load average at the end: ${loadavg()[0].toFixed(1)} (absolute speeds drop with it, ratios much less).`,
    poseidonUsesWasm ? '' : '\n**WebAssembly unavailable: "Masque" ran the reference fallback.**\n',
    table(['inputs', ...names, 'Masque / circomlibjs wasm', 'Masque / js-crypto'], rows),
    '',
    `Goal (Masque >= 2x circomlibjs wasm for 2, 5 and 6 inputs): **${met ? 'met' : 'not met'}** ` +
      `(lowest ratio ${worst.toFixed(2)}x).`,
  ].join('\n');
  return { name: 'poseidon', title: 'Poseidon throughput', markdown };
};
