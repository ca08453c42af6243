/**
 * Bundled by bench/zk-browser.ts (esbuild) and run in headless Chromium: the credential query proof in a page,
 * with Masque's prover (src/zk) and snarkjs side by side on the same witness and key.
 */
import * as snarkjs from 'snarkjs';
import { proveInputs, verifyProof } from '../src/zk/prover.js';
import { Groth16Prover } from '../src/zk/groth16/prover.js';
import { wtnsValues } from '../src/zk/groth16/zkey.js';
import type { CircuitInputs } from '../src/zk/inputs.js';
import type { VerificationKey } from '../src/zk/types.js';

export interface PageBenchInput {
  inputs: CircuitInputs;
  wasmUrl: string;
  zkeyUrl: string;
  vkey: VerificationKey;
  runs: number;
  /** The holder-auth proof of the same answer: timed alone, then the whole answer (both proofs) two ways. */
  auth?: { inputs: CircuitInputs; wasmUrl: string; zkeyUrl: string; vkey: VerificationKey };
}

export interface PageBenchResult {
  threads: number;
  /** Milliseconds per run. */
  witness: number[];
  prove: number[];
  snarkjsProve: number[];
  full: number[];
  /** With `auth`: witness + proof of the holder-auth circuit; both proofs one after the other; both started at once. */
  authFull?: number[];
  answerSequential?: number[];
  answerParallel?: number[];
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, performance.now() - t];
}

async function bench({ inputs, wasmUrl, zkeyUrl, vkey, runs, auth }: PageBenchInput): Promise<PageBenchResult> {
  const zkey = new Uint8Array(await (await fetch(zkeyUrl)).arrayBuffer());
  const wasm = new Uint8Array(await (await fetch(wasmUrl)).arrayBuffer());
  const prover = new Groth16Prover(zkey);
  const artifacts = { wasm: wasmUrl, zkey: zkeyUrl };
  // Untimed: compiles the modules, loads the key into the workers, warms the JIT (as in node).
  await proveInputs(inputs, artifacts);
  const out: PageBenchResult = { threads: navigator.hardwareConcurrency, witness: [], prove: [], snarkjsProve: [], full: [] };
  for (let i = -1; i < runs; i++) {
    const wtns = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
    const [, w] = await time(() => snarkjs.wtns.calculate(inputs, wasm, wtns));
    const [ours, p] = await time(() => prover.prove(wtnsValues(wtns.data!)));
    const [theirs, s] = await time(() => snarkjs.groth16.prove({ type: 'mem', data: zkey }, wtns) as Promise<typeof ours>);
    const [whole, f] = await time(() => proveInputs(inputs, artifacts));
    for (const proof of [ours, theirs, whole]) {
      if (!(await verifyProof(vkey, proof as never))) throw new Error('a proof made in the page did not verify');
    }
    if (i < 0) continue; // snarkjs's first proof in the page warms its own curve
    out.witness.push(w);
    out.prove.push(p);
    out.snarkjsProve.push(s);
    out.full.push(f);
  }
  if (auth) {
    const authArtifacts = { wasm: auth.wasmUrl, zkey: auth.zkeyUrl };
    await proveInputs(auth.inputs, authArtifacts);
    out.authFull = []; out.answerSequential = []; out.answerParallel = [];
    for (let i = 0; i < runs; i++) {
      const [a, t] = await time(() => proveInputs(auth.inputs, authArtifacts));
      const [, seq] = await time(async () => [await proveInputs(auth.inputs, authArtifacts), await proveInputs(inputs, artifacts)]);
      const [both, par] = await time(() => Promise.all([proveInputs(auth.inputs, authArtifacts), proveInputs(inputs, artifacts)]));
      if (!(await verifyProof(auth.vkey, a as never)) || !(await verifyProof(auth.vkey, both[0] as never)) || !(await verifyProof(vkey, both[1] as never))) {
        throw new Error('an answer made in the page did not verify');
      }
      out.authFull.push(t); out.answerSequential.push(seq); out.answerParallel.push(par);
    }
  }
  return out;
}

(globalThis as { zkBench?: typeof bench }).zkBench = bench;
