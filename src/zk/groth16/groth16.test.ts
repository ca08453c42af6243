/**
 * The WebAssembly prover against references: multi-scalar multiplications against @noble/curves' BN254 (edge
 * cases included: zero scalars, infinity, equal and opposite points, scalars near r), the FFT domain against
 * snarkjs's, whole proofs against snarkjs's verifier, and the committed module against its C sources.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bn254 } from '@noble/curves/bn254.js';
import * as snarkjs from 'snarkjs';
import { ProverWorker } from './pool.js';
import { Groth16Prover } from './prover.js';
import { releaseProverResources } from '../prover.js';
import { GROTH16_WASM_SOURCES_SHA256 } from './wasm.js';
import { R, bigIntToBytes, bytesToBigInt, domainRoots, parseZkey, wtnsValues, ZkeyError } from './zkey.js';
import { sourcesHash } from '../../../scripts/build-groth16-wasm.js';
import { artifactPaths, loadVerificationKey, CIRCUITS_BUILD_DIR } from '../node.js';

const G1 = bn254.G1.Point;
const G2 = bn254.G2.Point;
type P1 = InstanceType<typeof G1>;
type P2 = InstanceType<typeof G2>;

/** snarkjs's zkey encoding of coordinates: Montgomery form with R = 2^256. */
const Q = bn254.fields.Fp.ORDER;
const mont = (x: bigint) => (x * (1n << 256n)) % Q;

function g1Zkey(points: readonly P1[]): Uint8Array {
  const out = new Uint8Array(64 * points.length);
  points.forEach((p, i) => {
    if (p.is0()) return;
    const a = p.toAffine();
    bigIntToBytes(mont(a.x), out, 64 * i);
    bigIntToBytes(mont(a.y), out, 64 * i + 32);
  });
  return out;
}

function g2Zkey(points: readonly P2[]): Uint8Array {
  const out = new Uint8Array(128 * points.length);
  points.forEach((p, i) => {
    if (p.is0()) return;
    const a = p.toAffine();
    [a.x.c0, a.x.c1, a.y.c0, a.y.c1].forEach((v, j) => bigIntToBytes(mont(v), out, 128 * i + 32 * j));
  });
  return out;
}

function scalarBytes(s: readonly bigint[]): Uint8Array {
  const out = new Uint8Array(32 * s.length);
  s.forEach((v, i) => bigIntToBytes(v, out, 32 * i));
  return out;
}

const word = (b: Uint8Array, i: number) => bytesToBigInt(b.subarray(32 * i, 32 * i + 32));

function g1Result(b: Uint8Array): P1 {
  return b.every((x) => x === 0) ? G1.ZERO : G1.fromAffine({ x: word(b, 0), y: word(b, 1) });
}

function g2Result(b: Uint8Array): P2 {
  const Fp2 = bn254.fields.Fp2;
  if (b.every((x) => x === 0)) return G2.ZERO;
  return G2.fromAffine({ x: Fp2.create({ c0: word(b, 0), c1: word(b, 1) }), y: Fp2.create({ c0: word(b, 2), c1: word(b, 3) }) });
}

let worker: ProverWorker | undefined;
// snarkjs's verifier keeps its curve's worker threads until released: releaseProverResources ends them too.
after(async () => { worker?.terminate(); await releaseProverResources(); });

async function msm(group: 1 | 2, points: Uint8Array, s: readonly bigint[], c = 0): Promise<Uint8Array> {
  worker ??= new ProverWorker();
  await worker.ready;
  const sizes = await worker.run({ ops: [['call', 'g1_size', []], ['call', 'g2_size', []]] });
  const size = sizes.returns[group - 1] as number;
  const n = s.length;
  const r = await worker.run({
    ops: [
      ['alloc', points.length], ['write', [0, 0], points],
      ['alloc', n * size], ['call', `g${group}_load`, [[1, 0], [0, 0], n]],
      ['alloc', 32 * n], ['write', [2, 0], scalarBytes(s)],
      ['alloc', 128], ['call', `g${group}_msm`, [[3, 0], [1, 0], [2, 0], 32, n, c]],
      ['read', [3, 0], group === 1 ? 64 : 128],
    ],
  });
  return r.reads[0]!;
}

let seed = 12345n;
function random(): bigint {
  // A fixed-seed generator (reproducible failures); values spread over the whole scalar field.
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 256n);
  return seed % R;
}

function cases(): { name: string; scalars: bigint[]; bases: bigint[] }[] {
  const n = 150;
  const spread = Array.from({ length: n }, () => random());
  const small = Array.from({ length: n }, (_, i) => BigInt(i % 5));
  const edge = Array.from({ length: n }, (_, i) => [0n, 1n, R - 1n, R - 2n, 1n << 253n, (1n << 254n) % R][i % 6]!);
  const baseMultiples = Array.from({ length: n }, () => random() || 1n);
  // The same base many times and its negation: equal and opposite x in one bucket.
  const repeated = Array.from({ length: n }, (_, i) => (i % 3 === 2 ? R - 7n : 7n));
  return [
    { name: 'random scalars', scalars: spread, bases: baseMultiples },
    { name: 'small scalars (one hot bucket)', scalars: small, bases: baseMultiples },
    { name: 'zero, one, r - 1, 2^253 ...', scalars: edge, bases: baseMultiples },
    { name: 'equal and opposite points', scalars: spread.map((x, i) => (i % 2 ? x : 5n)), bases: repeated },
  ];
}

describe('Groth16 WebAssembly prover: multi-scalar multiplication', () => {
  for (const { name, scalars, bases } of cases()) {
    it(`G1 and G2 equal @noble/curves: ${name}`, async () => {
      const p1 = bases.map((k) => G1.BASE.multiply(k));
      const p2 = bases.map((k) => G2.BASE.multiply(k));
      // Infinity among the bases: the fifth point.
      p1[4] = G1.ZERO;
      p2[4] = G2.ZERO;
      const expect1 = p1.reduce((acc, p, i) => (scalars[i] ? acc.add(p.multiply(scalars[i]!)) : acc), G1.ZERO);
      const expect2 = p2.reduce((acc, p, i) => (scalars[i] ? acc.add(p.multiply(scalars[i]!)) : acc), G2.ZERO);
      for (const c of [0, 3]) {
        assert.ok(g1Result(await msm(1, g1Zkey(p1), scalars, c)).equals(expect1), `G1, window ${c}`);
        assert.ok(g2Result(await msm(2, g2Zkey(p2), scalars, c)).equals(expect2), `G2, window ${c}`);
      }
    });
  }

  it('an empty sum and all-zero scalars give infinity', async () => {
    const p = [G1.BASE, G1.BASE.multiply(3n)];
    assert.ok(g1Result(await msm(1, g1Zkey(p), [0n, 0n])).equals(G1.ZERO));
    assert.ok(g1Result(await msm(1, g1Zkey(p), [3n, R - 1n])).equals(G1.ZERO), '3 P - 3P = 0');
  });
});

describe('Groth16 WebAssembly prover: proofs', () => {
  it('the FFT domain is snarkjs\'s (ffjavascript Fr.w)', async () => {
    const curve = await (snarkjs as { curves: { getCurveFromName(n: string): Promise<{ Fr: { w: Uint8Array[]; toObject(x: Uint8Array): bigint }; terminate(): Promise<void> }> } })
      .curves.getCurveFromName('bn128');
    try {
      for (const power of [1, 10, 14, 15]) {
        const { omega, shift } = domainRoots(power);
        assert.equal(omega, curve.Fr.toObject(curve.Fr.w[power]!));
        assert.equal(shift, curve.Fr.toObject(curve.Fr.w[power + 1]!));
      }
    } finally {
      await curve.terminate();
    }
  });

  it('proofs for the three committed keys verify with snarkjs, twice with the key loaded once', async () => {
    for (const name of ['credentialQuery', 'holderAuth', 'stateTransition'] as const) {
      const a = artifactPaths(name);
      const prover = new Groth16Prover(new Uint8Array(readFileSync(a.zkey as string)));
      const wtns = await realWitness(name);
      for (let i = 0; i < 2; i++) {
        const { proof, publicSignals } = await prover.prove(wtns);
        assert.equal(await snarkjs.groth16.verify(loadVerificationKey(name), publicSignals, proof), true, `${name} proof ${i}`);
        const tampered = [...publicSignals];
        tampered[0] = ((BigInt(tampered[0]!) + 1n) % R).toString();
        assert.equal(await snarkjs.groth16.verify(loadVerificationKey(name), tampered, proof), false);
      }
    }
  });

  it('refuses a witness of the wrong size and keys that are not Groth16 BN254 zkeys', async () => {
    const prover = new Groth16Prover(new Uint8Array(readFileSync(artifactPaths('stateTransition').zkey as string)));
    const { wires } = (JSON.parse(readFileSync(join(CIRCUITS_BUILD_DIR, 'manifest.json'), 'utf8')) as { circuits: Record<string, { wires: number }> }).circuits.stateTransition!;
    await assert.rejects(prover.prove(new Uint8Array(64)), new RegExp(`witness: 2 values, the key has ${wires} wires`));
    assert.throws(() => parseZkey(new Uint8Array(100)), ZkeyError);
    const bytes = new Uint8Array(readFileSync(artifactPaths('stateTransition').zkey as string));
    assert.throws(() => parseZkey(bytes.subarray(0, bytes.length - 10)), /truncated/);
  });

  it('the committed WebAssembly module was built from the current C sources (npx tsx scripts/build-groth16-wasm.ts)', () => {
    assert.equal(GROTH16_WASM_SOURCES_SHA256, sourcesHash());
  });
});

/** A satisfying witness for each committed circuit, from the zk test fixture. */
async function realWitness(name: 'credentialQuery' | 'holderAuth' | 'stateTransition'): Promise<Uint8Array> {
  const { makeFixture } = await import('../test-fixtures.js');
  const { credentialQueryInputs, stateTransitionInputs } = await import('../inputs.js');
  const { holderAuthInputs } = await import('../holder-auth.js');
  const { GlobalStateTree } = await import('../gist.js');
  const f = makeFixture();
  const claim = f.issue();
  const [first] = f.issuer.transitions();
  const inputs = name === 'credentialQuery'
    ? credentialQueryInputs(f.queryHolder, f.credential(claim), f.query({ operator: 'IN_RANGE', values: [1n, 5000n] }))
    : name === 'holderAuth'
      ? holderAuthInputs(f.holder, { challenge: 5n, salt: f.queryHolder.salt })
      : stateTransitionInputs(first, GlobalStateTree.empty().updateWitness(f.issuer.id.bigint, first.newState));
  const out = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
  await snarkjs.wtns.calculate(inputs, artifactPaths(name).wasm, out);
  return wtnsValues(out.data!);
}
