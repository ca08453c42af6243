import { FIELD_MODULUS as P, assertFieldElement } from './field.js';
import { optimizedPoseidonParameters } from './poseidon-optimized.js';
import { assertArity, poseidonReference } from './poseidon-reference.js';
import { POSEIDON_WASM_BASE64 } from './poseidon-wasm.js';

/**
 * Fast Poseidon: the optimized permutation (poseidon-optimized.ts) in WebAssembly
 * (scripts/build-poseidon-wasm.ts), with the reference implementation as the fallback when
 * WebAssembly is unavailable. Inputs and the output cross the boundary as four u64 words each.
 */
interface PoseidonWasm {
  readonly memory: WebAssembly.Memory;
  readonly heap: WebAssembly.Global;
  readonly elementSize: WebAssembly.Global;
  hash(t: number, partial: number, constants: number, mds: number, preSparse: number, sparse: number): void;
  load(dst: number, src: number, count: number): void;
}

function instantiate(): PoseidonWasm | undefined {
  try {
    const bytes = Uint8Array.from(atob(POSEIDON_WASM_BASE64), (c) => c.charCodeAt(0));
    return new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports as unknown as PoseidonWasm;
  } catch {
    return undefined; // no WebAssembly (or a CSP forbidding it): use the reference
  }
}

const wasm = instantiate();
let words = new BigUint64Array(wasm ? wasm.memory.buffer : new ArrayBuffer(0));
let heapTop: number = wasm ? wasm.heap.value : 0;
/** Per arity: the arguments of wasm.hash, once its constants are in memory. */
const arities: (readonly [number, number, number, number, number, number] | undefined)[] = [];

function setup(wasm: PoseidonWasm, inputs: number) {
  const { t, roundsPartial, constants, mds, preSparse, sparse } = optimizedPoseidonParameters(inputs);
  const tables = [constants, mds.flat(), preSparse.flat(), sparse.flatMap((s) => [...s.row, ...s.column])];
  const all = tables.flat();
  const size: number = wasm.elementSize.value;
  const staging = heapTop + all.length * size; // canonical words, converted into place below
  const end = staging + all.length * 32;
  if (end > wasm.memory.buffer.byteLength) {
    wasm.memory.grow(Math.ceil((end - wasm.memory.buffer.byteLength) / 65536));
    words = new BigUint64Array(wasm.memory.buffer);
  }
  all.forEach((x, i) => writeWords(staging / 8 + 4 * i, x));
  wasm.load(heapTop, staging, all.length);
  const starts = tables.map((_, i) => heapTop + size * tables.slice(0, i).reduce((n, table) => n + table.length, 0));
  const args = [t, roundsPartial, starts[0], starts[1], starts[2], starts[3]] as const;
  heapTop = staging;
  arities[inputs] = args;
  return args;
}

function writeWords(at: number, x: bigint) {
  words[at] = x; // BigUint64Array stores x mod 2^64
  words[at + 1] = x >> 64n;
  words[at + 2] = x >> 128n;
  words[at + 3] = x >> 192n;
}

const pending: bigint[] = [];

/** Checks and stores input i (named `name`, or inputs[i], in the error). */
function put(i: number, x: bigint, name?: string) {
  if (typeof x !== 'bigint' || x < 0n || x >= P) assertFieldElement(x, name ?? `inputs[${i}]`);
  if (wasm) writeWords(4 * i, x);
  else pending[i] = x;
}

function run(inputs: number): bigint {
  if (!wasm) return poseidonReference(pending.slice(0, inputs));
  const a = arities[inputs] ?? setup(wasm, inputs); // setup leaves the inputs' words alone
  wasm.hash(a[0], a[1], a[2], a[3], a[4], a[5]);
  const out = words[0] | (words[1] << 64n) | (words[2] << 128n) | (words[3] << 192n);
  return out === P ? 0n : out; // leaving Montgomery form yields a value in [0, p]
}

/**
 * Poseidon hash of 1 to 16 field elements, equal to circomlib's `Poseidon(n)` template.
 * Inputs must be canonical field elements; anything else throws a RangeError naming the input.
 */
export function poseidon(inputs: readonly bigint[]): bigint {
  assertArity(inputs.length);
  for (let i = 0; i < inputs.length; i++) put(i, inputs[i]);
  return run(inputs.length);
}

// Fixed-arity forms for hot paths: no array per call.
export function poseidon2(a: bigint, b: bigint): bigint {
  put(0, a, 'a'), put(1, b, 'b');
  return run(2);
}

export function poseidon3(a: bigint, b: bigint, c: bigint): bigint {
  put(0, a, 'a'), put(1, b, 'b'), put(2, c, 'c');
  return run(3);
}

export function poseidon4(a: bigint, b: bigint, c: bigint, d: bigint): bigint {
  put(0, a, 'a'), put(1, b, 'b'), put(2, c, 'c'), put(3, d, 'd');
  return run(4);
}

export function poseidon5(a: bigint, b: bigint, c: bigint, d: bigint, e: bigint): bigint {
  put(0, a, 'a'), put(1, b, 'b'), put(2, c, 'c'), put(3, d, 'd'), put(4, e, 'e');
  return run(5);
}

/** True when the WebAssembly implementation is in use (false: the reference fallback). */
export const poseidonUsesWasm = wasm !== undefined;
