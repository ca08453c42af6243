/**
 * A Groth16 prover for snarkjs proving keys (BN254), bit-compatible with snarkjs: same zkey, same witness, and
 * proofs that snarkjs's verifier and its exported Solidity verifiers accept. The arithmetic runs in the WebAssembly
 * module of prover.c on worker threads (pool.ts), one per core: the QAP and its FFTs, then the five multi-scalar
 * multiplications split across the workers; the caller's thread only plans and adds up the results.
 *
 * Each worker keeps the proving key's points in its memory (converted once), so a proof sends only the witness.
 */
import { ProverWorker, defaultThreads, type Op, type Ptr } from './pool.js';

export { workersAvailable } from './pool.js';
import { R, bigIntToBytes, bytesToBigInt, domainRoots, parseZkey, type G1Point, type G2Point, type ProvingKey } from './zkey.js';

export interface SnarkjsProof {
  pi_a: [string, string, string];
  pi_b: [[string, string], [string, string], [string, string]];
  pi_c: [string, string, string];
  protocol: 'groth16';
  curve: 'bn128';
}

const G1_BYTES = 64;
const G2_BYTES = 128;

/** Where a key lives in one worker's memory. */
interface Loaded {
  a: number; b1: number; b2: number; c: number; h: number;
  g1Size: number; g2Size: number;
  terms: number; nTerms: number;
  domain: number;
}

type MsmName = 'a' | 'b1' | 'b2' | 'c' | 'h';

interface MsmTask {
  msm: MsmName;
  lo: number;
  hi: number;
  cost: number;
}

let workers: ProverWorker[] = [];
let threadCount = 0;
/** Proofs run one at a time over the shared workers. */
let queue: Promise<unknown> = Promise.resolve();

function pool(): ProverWorker[] {
  if (workers.length === 0 || workers.some((w) => w.failed)) {
    for (const w of workers) w.terminate();
    workers = Array.from({ length: threadCount || defaultThreads() }, () => new ProverWorker());
    generation++;
  }
  return workers;
}
let generation = 0;

/** Stops the workers (they start again on the next proof); every loaded key must be loaded again. */
export function terminateProverWorkers(): void {
  for (const w of workers) w.terminate();
  workers = [];
  generation++;
}

/** The number of worker threads for the next pool (default: one per core, at most 8). */
export function setProverThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError('threads: a positive integer');
  threadCount = n;
  terminateProverWorkers();
}

function g1Bytes(p: G1Point): Uint8Array {
  const out = new Uint8Array(G1_BYTES);
  if (p) { bigIntToBytes(p[0], out, 0); bigIntToBytes(p[1], out, 32); }
  return out;
}

function g2Bytes(p: G2Point): Uint8Array {
  const out = new Uint8Array(G2_BYTES);
  if (p) { bigIntToBytes(p[0][0], out, 0); bigIntToBytes(p[0][1], out, 32); bigIntToBytes(p[1][0], out, 64); bigIntToBytes(p[1][1], out, 96); }
  return out;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

function scalars(values: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(32 * values.length);
  values.forEach((v, i) => bigIntToBytes(((v % R) + R) % R, out, 32 * i));
  return out;
}

function randomScalar(): bigint {
  const b = new Uint8Array(64);
  crypto.getRandomValues(b);
  return bytesToBigInt(b) % R;
}

const dec = (b: Uint8Array, offset: number) => bytesToBigInt(b.subarray(offset, offset + 32)).toString();

export class Groth16Prover {
  readonly key: ProvingKey;
  readonly #loaded = new Map<ProverWorker, Promise<Loaded>>();
  #generation = -1;

  constructor(zkey: Uint8Array) {
    this.key = parseZkey(zkey);
    if (this.key.power >= 28) throw new RangeError('domains of 2^28 and more are not supported');
  }

  /** Converts the key's points into a worker's memory, once per worker. */
  #load(w: ProverWorker): Promise<Loaded> {
    if (this.#generation !== generation) { this.#loaded.clear(); this.#generation = generation; }
    let l = this.#loaded.get(w);
    if (!l) {
      l = this.#loadInto(w);
      this.#loaded.set(w, l);
    }
    return l;
  }

  async #loadInto(w: ProverWorker): Promise<Loaded> {
    await w.ready;
    const k = this.key;
    const sizes = await w.run({ ops: [['call', 'g1_size', []], ['call', 'g2_size', []], ['call', 'qap_term_size', []]] });
    const [g1Size, g2Size, termSize] = sizes.returns as number[];
    const nTerms = new DataView(k.coefficients.buffer, k.coefficients.byteOffset).getUint32(0, true);
    // Kept: the converted points, the QAP terms and the domain's tables.
    const kept = await w.run({
      scratch: false,
      ops: [
        ['alloc', k.a.length / G1_BYTES * g1Size!],
        ['alloc', k.b1.length / G1_BYTES * g1Size!],
        ['alloc', k.b2.length / G2_BYTES * g2Size!],
        ['alloc', k.c.length / G1_BYTES * g1Size!],
        ['alloc', k.h.length / G1_BYTES * g1Size!],
        ['alloc', nTerms * termSize!],
      ],
    });
    const [a, b1, b2, c, h, terms] = kept.allocs as [number, number, number, number, number, number];
    // One section at a time through a scratch buffer.
    const convert = (fn: string, dst: number, src: Uint8Array, size: number) =>
      w.run({ ops: [['alloc', src.length], ['write', [0, 0], src], ['call', fn, [dst, [0, 0], src.length / size]]] });
    await convert('g1_load', a, k.a, G1_BYTES);
    await convert('g1_load', b1, k.b1, G1_BYTES);
    await convert('g2_load', b2, k.b2, G2_BYTES);
    await convert('g1_load', c, k.c, G1_BYTES);
    await convert('g1_load', h, k.h, G1_BYTES);
    await w.run({ ops: [['alloc', k.coefficients.length], ['write', [0, 0], k.coefficients], ['call', 'qap_load', [terms, [0, 0]]]] });
    const { omega, shift } = domainRoots(k.power);
    const d = await w.run({
      scratch: false,
      ops: [
        ['alloc', 64],
        ['write', [0, 0], concat([bigIntToBytes(omega), bigIntToBytes(shift)])],
        ['call', 'domain_new', [k.power, [0, 0], [0, 32]]],
      ],
    });
    return { a, b1, b2, c, h, g1Size: g1Size!, g2Size: g2Size!, terms, nTerms, domain: d.returns[0] as number };
  }

  /** Loads the key into every worker now instead of at the first proof. */
  warm(): Promise<void> {
    const run = queue.then(() => Promise.all(pool().map((w) => this.#load(w))));
    queue = run.catch(() => undefined);
    return run.then(() => undefined);
  }

  /**
   * A proof for a full witness: nVars values, 32 bytes little-endian each (snarkjs's .wtns section 2, or
   * circom's calculateBinWitness). Public signals are the witness's values 1..nPublic.
   */
  prove(witness: Uint8Array): Promise<{ proof: SnarkjsProof; publicSignals: string[] }> {
    const k = this.key;
    if (witness.length !== k.nVars * 32) {
      return Promise.reject(new RangeError(`witness: ${witness.length / 32} values, the key has ${k.nVars} wires`));
    }
    const run = queue.then(() => this.#prove(witness));
    queue = run.catch(() => undefined);
    return run;
  }

  async #prove(witness: Uint8Array): Promise<{ proof: SnarkjsProof; publicSignals: string[] }> {
    const k = this.key;
    const ws = pool();
    const loaded = await Promise.all(ws.map((w) => this.#load(w)));
    // The witness goes to every worker for the duration of the proof.
    const sessions = await Promise.all(ws.map((w) => w.run({
      scratch: false,
      ops: [['call', 'mark', []], ['alloc', witness.length], ['write', [0, 0], witness]],
    })));
    try {
      const parts = await this.#schedule(ws, loaded, sessions.map((s) => s.allocs[0]!));
      return await this.#finish(ws[0]!, parts, witness);
    } finally {
      await Promise.all(ws.map((w, i) => w.run({ scratch: false, ops: [['call', 'release', [sessions[i]!.returns[0] as number]]] }).catch(() => undefined)));
    }
  }

  /** The MSMs in chunks, largest first, over whichever worker is free; H's chunks wait for the QAP. */
  async #schedule(ws: ProverWorker[], loaded: Loaded[], witnessAt: number[]): Promise<Record<MsmName, Uint8Array[]>> {
    const k = this.key;
    const n = ws.length;
    const sizes: Record<MsmName, number> = { a: k.nVars, b1: k.nVars, b2: k.nVars, c: k.nVars - k.nPublic - 1, h: k.domainSize };
    const tasks: MsmTask[] = [];
    for (const msm of Object.keys(sizes) as MsmName[]) {
      const total = sizes[msm];
      for (let i = 0; i < n; i++) {
        const lo = Math.floor((total * i) / n), hi = Math.floor((total * (i + 1)) / n);
        if (hi > lo) tasks.push({ msm, lo, hi, cost: (hi - lo) * (msm === 'b2' ? 2.6 : 1) });
      }
    }
    tasks.sort((x, y) => y.cost - x.cost);
    const parts: Record<MsmName, Uint8Array[]> = { a: [], b1: [], b2: [], c: [], h: [] };
    let hScalars: Uint8Array | undefined;
    let qapDone: (() => void) | undefined;
    const qapReady = new Promise<void>((resolve) => { qapDone = resolve; });

    const runMsm = async (i: number, t: MsmTask) => {
      const w = ws[i]!, l = loaded[i]!;
      const g2 = t.msm === 'b2';
      const size = g2 ? l.g2Size : l.g1Size;
      const bases = l[t.msm] + t.lo * size;
      const ops: Op[] = [['alloc', g2 ? G2_BYTES : G1_BYTES]];
      let scalarsAt: Ptr;
      if (t.msm === 'h') {
        ops.push(['alloc', (t.hi - t.lo) * 32], ['write', [1, 0], hScalars!.subarray(t.lo * 32, t.hi * 32)]);
        scalarsAt = [1, 0];
      } else {
        scalarsAt = witnessAt[i]! + (t.lo + (t.msm === 'c' ? k.nPublic + 1 : 0)) * 32;
      }
      ops.push(['call', g2 ? 'g2_msm' : 'g1_msm', [[0, 0], bases, scalarsAt, 32, t.hi - t.lo, 0]], ['read', [0, 0], g2 ? G2_BYTES : G1_BYTES]);
      const r = await w.run({ ops });
      parts[t.msm].push(r.reads[0]!);
    };

    const workerLoop = async (i: number) => {
      if (i === 0) {
        const l = loaded[0]!;
        const r = await ws[0]!.run({
          ops: [
            ['alloc', k.domainSize * 32],
            ['call', 'qap_h', [[0, 0], l.domain, l.terms, l.nTerms, witnessAt[0]!, k.nVars]],
            ['read', [0, 0], k.domainSize * 32],
          ],
        });
        hScalars = r.reads[0]!;
        qapDone!();
      }
      for (;;) {
        let next = tasks.findIndex((t) => t.msm !== 'h' || hScalars);
        if (next < 0) {
          if (tasks.length === 0) return;
          await qapReady;
          continue;
        }
        const [t] = tasks.splice(next, 1);
        await runMsm(i, t!);
      }
    };
    await Promise.all(ws.map((_, i) => workerLoop(i)));
    return parts;
  }

  /** pi_a = A + alpha + r delta, pi_b = B + beta + s delta, pi_c = C + H + s pi_a + r B1' - r s delta (snarkjs's). */
  async #finish(w: ProverWorker, parts: Record<MsmName, Uint8Array[]>, witness: Uint8Array): Promise<{ proof: SnarkjsProof; publicSignals: string[] }> {
    const k = this.key;
    const r = randomScalar(), s = randomScalar();
    const ones = (n: number) => Array.from({ length: n }, () => 1n);
    // pi_c's inputs: C and H parts, then slots for pi_a and B1' (written by the first two calls), then delta1.
    const cParts = [...parts.c, ...parts.h];
    const slotA = cParts.length * G1_BYTES, slotB1 = slotA + G1_BYTES;
    const cPoints = concat([...cParts, new Uint8Array(2 * G1_BYTES), g1Bytes(k.delta1)]);
    const aPoints = concat([...parts.a, g1Bytes(k.alpha1), g1Bytes(k.delta1)]);
    const b1Points = concat([...parts.b1, g1Bytes(k.beta1), g1Bytes(k.delta1)]);
    const b2Points = concat([...parts.b2, g2Bytes(k.beta2), g2Bytes(k.delta2)]);
    const na = parts.a.length + 2, nb1 = parts.b1.length + 2, nb2 = parts.b2.length + 2, nc = cParts.length + 3;
    const result = await w.run({
      ops: [
        ['alloc', cPoints.length], ['write', [0, 0], cPoints],
        ['alloc', aPoints.length], ['write', [1, 0], aPoints],
        ['alloc', b1Points.length], ['write', [2, 0], b1Points],
        ['alloc', b2Points.length], ['write', [3, 0], b2Points],
        ['alloc', 32 * (na + nb1 + nb2 + nc)],
        ['write', [4, 0], scalars([...ones(na - 1), r, ...ones(nb1 - 1), s, ...ones(nb2 - 1), s, ...ones(nc - 3), s, r, -r * s])],
        ['alloc', G2_BYTES + G1_BYTES],
        ['call', 'g1_msm_plain', [[0, slotA], [1, 0], [4, 0], na]],
        ['call', 'g1_msm_plain', [[0, slotB1], [2, 0], [4, 32 * na], nb1]],
        ['call', 'g2_msm_plain', [[5, 0], [3, 0], [4, 32 * (na + nb1)], nb2]],
        ['call', 'g1_msm_plain', [[5, G2_BYTES], [0, 0], [4, 32 * (na + nb1 + nb2)], nc]],
        ['read', [0, slotA], G1_BYTES],
        ['read', [5, 0], G2_BYTES + G1_BYTES],
      ],
    });
    const [pa, bc] = result.reads as [Uint8Array, Uint8Array];
    const proof: SnarkjsProof = {
      pi_a: [dec(pa, 0), dec(pa, 32), '1'],
      pi_b: [[dec(bc, 0), dec(bc, 32)], [dec(bc, 64), dec(bc, 96)], ['1', '0']],
      pi_c: [dec(bc, 128), dec(bc, 160), '1'],
      protocol: 'groth16',
      curve: 'bn128',
    };
    const publicSignals = Array.from({ length: k.nPublic }, (_, i) => dec(witness, 32 * (i + 1)));
    return { proof, publicSignals };
  }
}
