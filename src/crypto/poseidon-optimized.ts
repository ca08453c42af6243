import { Fr } from './field.js';
import { poseidonParameters } from './poseidon-reference.js';

/**
 * Poseidon's optimized form (Poseidon paper, appendix B; the layout of circomlibjs's `poseidon_opt`),
 * derived here from the reference parameters instead of shipping precomputed tables.
 *
 *   state = [0, ...inputs] + C[0..t)
 *   rounds 0 .. RF/2-2:  S-box all; add C (next t); multiply by M
 *   round RF/2-1:        S-box all; add C (next t); multiply by P (dense)
 *   partial round r:     S-box state[0]; add C (next 1) to state[0]; multiply by the sparse S[r]
 *   rounds RF/2 .. RF-2: S-box all; add C (next t); multiply by M
 *   last round:          S-box all; multiply by M; the hash is state[0]
 *
 * Matrices are rows, out[i] = sum_j m[i][j] * in[j]. Sparse matrix r is given by its first row
 * `row` (t entries) and first column below the diagonal `column` (t-1 entries); the rest is the identity:
 * out[0] = row . in, out[k] = in[k] + column[k-1] * in[0].
 */
export interface OptimizedPoseidonParameters {
  readonly t: number;
  readonly roundsFull: number;
  readonly roundsPartial: number;
  readonly constants: readonly bigint[];
  readonly mds: readonly (readonly bigint[])[];
  readonly preSparse: readonly (readonly bigint[])[];
  readonly sparse: readonly { readonly row: readonly bigint[]; readonly column: readonly bigint[] }[];
}

type Matrix = bigint[][];

const dot = (a: readonly bigint[], b: readonly bigint[]) => a.reduce((acc, x, i) => Fr.add(acc, Fr.mul(x, b[i])), 0n);
const apply = (m: readonly (readonly bigint[])[], v: readonly bigint[]) => m.map((row) => dot(row, v));
const transpose = (m: readonly (readonly bigint[])[]): Matrix => m[0].map((_, j) => m.map((row) => row[j]));
const matmul = (a: Matrix, b: Matrix): Matrix => {
  const bt = transpose(b);
  return a.map((row) => bt.map((col) => dot(row, col)));
};
const identity = (n: number): Matrix =>
  Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1n : 0n)));

function power(m: Matrix, e: number): Matrix {
  let result = identity(m.length);
  for (let base = m; e > 0; e >>= 1, base = matmul(base, base)) if (e & 1) result = matmul(result, base);
  return result;
}

/** Gauss-Jordan inverse; MDS matrices and their square submatrices are invertible by construction. */
function invert(m: readonly (readonly bigint[])[]): Matrix {
  const n = m.length;
  const a = m.map((row, i) => [...row, ...identity(n)[i]]);
  for (let col = 0; col < n; col++) {
    const pivot = a.findIndex((row, i) => i >= col && row[col] !== 0n);
    if (pivot < 0) throw new Error('Poseidon: singular matrix');
    [a[col], a[pivot]] = [a[pivot], a[col]];
    const inv = Fr.inv(a[col][col]);
    a[col] = a[col].map((x) => Fr.mul(x, inv));
    for (let i = 0; i < n; i++) {
      const f = a[i][col];
      if (i !== col && f !== 0n) a[i] = a[i].map((x, j) => Fr.sub(x, Fr.mul(f, a[col][j])));
    }
  }
  return a.map((row) => row.slice(n));
}

const cache = new Map<number, OptimizedPoseidonParameters>();

export function optimizedPoseidonParameters(inputs: number): OptimizedPoseidonParameters {
  const cached = cache.get(inputs);
  if (cached) return cached;
  const { t, roundsFull, roundsPartial, roundConstants: rc, mds } = poseidonParameters(inputs);
  const half = roundsFull / 2;
  const mdsInv = invert(mds);
  // A constant added before round j's S-box equals mdsInv * constant added before round j-1's matrix.
  const constants: bigint[] = [...rc[0]];
  for (let r = 1; r < half; r++) constants.push(...apply(mdsInv, rc[r]));
  // Partial rounds can only take a constant on state[0] after their S-box: push the rest of each
  // constant backwards through the matrix and the (state[0]-only) S-box, from the second full half down.
  const scalars: bigint[] = [];
  let pushed = rc[half + roundsPartial];
  for (let r = roundsPartial - 1; r >= 0; r--) {
    const back = apply(mdsInv, pushed);
    scalars[r] = back[0];
    pushed = rc[half + r].map((c, i) => (i === 0 ? c : Fr.add(c, back[i])));
  }
  constants.push(...apply(mdsInv, pushed), ...scalars);
  for (let r = half + roundsPartial + 1; r < roundsFull + roundsPartial; r++) constants.push(...apply(mdsInv, rc[r]));

  // M = [[m00, w], [v, mHat]] factors as sparse * diag(1, mHat); the diagonal block commutes with the
  // partial S-box, so it moves into the previous round's matrix, and finally into the dense preSparse.
  // Partial round r then uses row [m00, w * mHat^-(P-r)] and column mHat^(P-1-r) * v.
  const w = mds[0].slice(1);
  const v = mds.slice(1).map((row) => row[0]);
  const mHat = mds.slice(1).map((row) => row.slice(1));
  const mHatInvT = transpose(invert(mHat));
  const rows: bigint[][] = [];
  const columns: bigint[][] = [];
  for (let k = 1, wk = w, vk = v; k <= roundsPartial; k++) {
    wk = apply(mHatInvT, wk);
    rows[roundsPartial - k] = [mds[0][0], ...wk];
    columns[roundsPartial - k] = vk;
    vk = apply(mHat, vk);
  }
  const sparse = rows.map((row, r) => ({ row, column: columns[r] }));
  const lower = matmul(power(mHat, roundsPartial), mds.slice(1).map((row) => [...row]));
  const preSparse = [[...mds[0]], ...lower];

  const result = { t, roundsFull, roundsPartial, constants, mds, preSparse, sparse };
  cache.set(inputs, result);
  return result;
}
