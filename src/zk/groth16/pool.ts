/**
 * Worker threads that each hold an instance of the prover's WebAssembly module (wasm.ts) and run small programs
 * of memory and call operations on it. Node's worker_threads or a browser's Web Workers, whichever exists; the
 * worker's code is the short script below (no file, no bundler step). All the arithmetic is in the module, all
 * the planning in the caller (prover.ts): a worker only allocates, copies bytes in and out, and calls exports.
 */
import { GROTH16_WASM_BASE64 } from './wasm.js';

/** A pointer into a worker's memory: absolute, or `[k, offset]` for the k-th `alloc` of the same program. */
export type Ptr = number | readonly [number, number];
export type Op =
  | readonly ['alloc', number]
  | readonly ['write', Ptr, Uint8Array]
  | readonly ['call', string, readonly Ptr[]]
  | readonly ['read', Ptr, number];
export interface Program {
  ops: readonly Op[];
  /** Free everything the program allocated once it ends (the default); false keeps it (keys loaded for good). */
  scratch?: boolean;
}
export interface ProgramResult {
  /** Addresses of the program's allocations, in order. */
  allocs: number[];
  /** What each `call` returned (undefined for void exports), in order. */
  returns: unknown[];
  /** Bytes of each `read`, in order. */
  reads: Uint8Array[];
}

const WORKER_SOURCE = `
'use strict';
const node = typeof require === 'function';
const port = node ? require('node:worker_threads').parentPort : self;
const post = (m, t) => port.postMessage(m, t);
let exports;
function ptr(p, allocs) { return typeof p === 'number' ? p : allocs[p[0]] + p[1]; }
function run(program) {
  const allocs = [], returns = [], reads = [];
  const mark = exports.mark();
  try {
    for (const op of program.ops) {
      switch (op[0]) {
        case 'alloc': allocs.push(exports.alloc(op[1])); break;
        case 'write': new Uint8Array(exports.memory.buffer).set(op[2], ptr(op[1], allocs)); break;
        case 'call': returns.push(exports[op[1]](...op[2].map((p) => ptr(p, allocs)))); break;
        case 'read': { const at = ptr(op[1], allocs); reads.push(new Uint8Array(exports.memory.buffer).slice(at, at + op[2])); break; }
        default: throw new Error('unknown op ' + op[0]);
      }
    }
  } finally {
    if (program.scratch !== false) exports.release(mark);
  }
  return { allocs, returns, reads };
}
function onMessage(m) {
  try {
    if (m.module) {
      exports = new WebAssembly.Instance(m.module, {}).exports;
      exports.init();
      post({ id: m.id, result: null });
      return;
    }
    const result = run(m.program);
    post({ id: m.id, result }, result.reads.map((r) => r.buffer));
  } catch (e) {
    post({ id: m.id, error: String(e && e.stack || e) });
  }
}
if (node) port.on('message', onMessage); else port.onmessage = (e) => onMessage(e.data);
`;

/** What both kinds of worker offer here. */
interface Thread {
  post(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (data: unknown) => void): void;
  onError(handler: (error: unknown) => void): void;
  /** Node: whether the worker keeps the process alive (only while it has work). */
  hold(busy: boolean): void;
  terminate(): void;
}

type NodeWorker = {
  postMessage(m: unknown, t?: ArrayBuffer[]): void;
  on(event: string, f: (x: unknown) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
};

function nodeWorkerThreads(): { Worker: new (code: string, options: { eval: true }) => NodeWorker } | undefined {
  const p = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process;
  return p?.getBuiltinModule?.('node:worker_threads') as ReturnType<typeof nodeWorkerThreads>;
}

function startThread(): Thread {
  const threads = nodeWorkerThreads();
  if (threads) {
    const w = new threads.Worker(WORKER_SOURCE, { eval: true });
    w.unref();
    return {
      post: (m, t) => w.postMessage(m, t),
      onMessage: (f) => w.on('message', f),
      onError: (f) => w.on('error', f),
      hold: (busy) => (busy ? w.ref() : w.unref()),
      terminate: () => void w.terminate(),
    };
  }
  const url = URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'text/javascript' }));
  const w = new Worker(url);
  URL.revokeObjectURL(url);
  return {
    post: (m, t) => w.postMessage(m, t ?? []),
    onMessage: (f) => { w.onmessage = (e) => f(e.data); },
    onError: (f) => { w.onerror = (e) => f(e); },
    hold: () => {},
    terminate: () => w.terminate(),
  };
}

/** Whether this environment has worker threads (node's worker_threads or Web Workers). */
export function workersAvailable(): boolean {
  return nodeWorkerThreads() !== undefined || typeof Worker === 'function';
}

let compiled: WebAssembly.Module | undefined;
function wasmModule(): WebAssembly.Module {
  if (!compiled) {
    const binary = atob(GROTH16_WASM_BASE64);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    compiled = new WebAssembly.Module(bytes);
  }
  return compiled;
}

/** One worker: programs run one at a time, in the order given. */
export class ProverWorker {
  readonly #thread: Thread;
  readonly #pending = new Map<number, { resolve(r: ProgramResult): void; reject(e: Error): void }>();
  #next = 0;
  #failed: Error | undefined;
  readonly ready: Promise<void>;

  constructor() {
    this.#thread = startThread();
    this.#thread.onMessage((data) => {
      const m = data as { id: number; result?: ProgramResult; error?: string };
      const p = this.#pending.get(m.id);
      if (!p) return;
      this.#pending.delete(m.id);
      if (this.#pending.size === 0) this.#thread.hold(false);
      if (m.error !== undefined) p.reject(new Error(`Groth16 prover worker: ${m.error}`));
      else p.resolve(m.result!);
    });
    this.#thread.onError((e) => this.#fail(e instanceof Error ? e : new Error(String((e as { message?: string }).message ?? e))));
    this.ready = this.#send({ module: wasmModule() }).then(() => undefined);
  }

  #fail(error: Error): void {
    this.#failed = error;
    for (const p of this.#pending.values()) p.reject(error);
    this.#pending.clear();
    this.#thread.hold(false);
  }

  #send(message: Record<string, unknown>, transfer?: ArrayBuffer[]): Promise<ProgramResult> {
    if (this.#failed) return Promise.reject(this.#failed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#thread.hold(true);
      this.#thread.post({ ...message, id }, transfer);
    });
  }

  /** Runs a program; byte arrays in `write` ops are copied (not transferred), so callers keep them. */
  run(program: Program): Promise<ProgramResult> {
    // Posting a view clones its whole buffer: send views of part of a buffer as copies of just that part.
    const ops = program.ops.map((op) => (op[0] === 'write' && op[2].byteLength !== op[2].buffer.byteLength ? ['write', op[1], op[2].slice()] as const : op));
    return this.#send({ program: { ...program, ops } });
  }

  get failed(): boolean {
    return this.#failed !== undefined;
  }

  terminate(): void {
    this.#fail(new Error('Groth16 prover worker terminated'));
    this.#thread.terminate();
  }
}

/** How many workers: one per core, at most 8 (2 here). */
export function defaultThreads(): number {
  const nav = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator;
  const os = (globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process?.getBuiltinModule?.('node:os') as
    | { availableParallelism?(): number; cpus(): unknown[] }
    | undefined;
  const n = os ? (os.availableParallelism?.() ?? os.cpus().length) : (nav?.hardwareConcurrency ?? 2);
  return Math.max(1, Math.min(8, n));
}
