/**
 * snarkjs's binary files: the Groth16 proving key (`.zkey`, "zkey" version 1), the sections the prover needs as
 * views into the given bytes; and a witness file's values (`.wtns`). Points stay in snarkjs's encoding (32-byte little-endian coordinates in Montgomery
 * form, R = 2^256; (0, 0) is infinity): the WebAssembly module converts the large sections itself, and the few
 * header points are converted here.
 */

/** BN254's base field modulus q and scalar field modulus r. */
export const Q = 21888242871839275222246405745257275088696311157297823662689037894645226208583n;
export const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;

/** An affine point as plain coordinates (G2: [c0, c1] pairs); undefined for infinity. */
export type G1Point = readonly [bigint, bigint] | undefined;
export type G2Point = readonly [readonly [bigint, bigint], readonly [bigint, bigint]] | undefined;

export interface ProvingKey {
  nVars: number;
  nPublic: number;
  domainSize: number;
  /** log2(domainSize) */
  power: number;
  alpha1: G1Point;
  beta1: G1Point;
  beta2: G2Point;
  delta1: G1Point;
  delta2: G2Point;
  /** Section 4: a u32 count, then per term (matrix, constraint, signal) as u32 and a 32-byte coefficient. */
  coefficients: Uint8Array;
  /** Sections 5-9: per-wire points for A, B (in G1 and G2), C (the private wires), and H (the domain). */
  a: Uint8Array;
  b1: Uint8Array;
  b2: Uint8Array;
  c: Uint8Array;
  h: Uint8Array;
}

export class ZkeyError extends Error {}

export function bytesToBigInt(b: Uint8Array): bigint {
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  return v;
}

export function bigIntToBytes(v: bigint, out: Uint8Array = new Uint8Array(32), offset = 0): Uint8Array {
  for (let i = 0; i < 32; i++) {
    out[offset + i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  let result = 1n;
  base %= m;
  while (exp > 0n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
    exp >>= 1n;
  }
  return result;
}

const R_INV_Q = modPow(2n ** 256n % Q, Q - 2n, Q);
const fromMontgomery = (b: Uint8Array) => (bytesToBigInt(b) * R_INV_Q) % Q;

function g1(b: Uint8Array): G1Point {
  if (b.every((x) => x === 0)) return undefined;
  return [fromMontgomery(b.subarray(0, 32)), fromMontgomery(b.subarray(32, 64))];
}

function g2(b: Uint8Array): G2Point {
  if (b.every((x) => x === 0)) return undefined;
  const c = [0, 1, 2, 3].map((i) => fromMontgomery(b.subarray(32 * i, 32 * i + 32)));
  return [[c[0]!, c[1]!], [c[2]!, c[3]!]];
}

/** The sections of one of snarkjs's binary files ("zkey", "wtns"...), as views into `bytes`. */
function binSections(bytes: Uint8Array, magic: string): Map<number, Uint8Array> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 12 || String.fromCharCode(...bytes.subarray(0, 4)) !== magic) throw new ZkeyError(`not a ${magic} file`);
  const sections = new Map<number, Uint8Array>();
  let p = 12;
  for (let i = view.getUint32(8, true); i > 0; i--) {
    if (p + 12 > bytes.length) throw new ZkeyError('truncated section table');
    const type = view.getUint32(p, true);
    const size = Number(view.getBigUint64(p + 4, true));
    if (p + 12 + size > bytes.length) throw new ZkeyError(`section ${type} is truncated`);
    sections.set(type, bytes.subarray(p + 12, p + 12 + size));
    p += 12 + size;
  }
  return sections;
}

/** A .wtns file's values: 32 bytes little-endian each (what Groth16Prover.prove takes). */
export function wtnsValues(wtns: Uint8Array): Uint8Array {
  const values = binSections(wtns, 'wtns').get(2);
  if (!values) throw new ZkeyError('witness: no values section');
  return values;
}

/** Reads a Groth16 BN254 zkey; the returned sections are views into `bytes`. */
export function parseZkey(bytes: Uint8Array): ProvingKey {
  const sections = binSections(bytes, 'zkey');
  const section = (n: number) => {
    const s = sections.get(n);
    if (!s) throw new ZkeyError(`section ${n} is missing`);
    return s;
  };
  const header = section(1);
  if (header.length < 4 || new DataView(header.buffer, header.byteOffset).getUint32(0, true) !== 1) throw new ZkeyError('not a Groth16 key');
  const h = section(2);
  const hv = new DataView(h.buffer, h.byteOffset, h.byteLength);
  const n8q = hv.getUint32(0, true);
  if (n8q !== 32 || bytesToBigInt(h.subarray(4, 36)) !== Q) throw new ZkeyError('not a BN254 key');
  const n8r = hv.getUint32(36, true);
  if (n8r !== 32 || bytesToBigInt(h.subarray(40, 72)) !== R) throw new ZkeyError('not a BN254 key');
  const nVars = hv.getUint32(72, true);
  const nPublic = hv.getUint32(76, true);
  const domainSize = hv.getUint32(80, true);
  const power = Math.log2(domainSize);
  if (!Number.isInteger(power) || power > 28) throw new ZkeyError(`domain size ${domainSize} is not a power of two`);
  let q = 84;
  const take = (n: number) => h.subarray(q, (q += n));
  const alpha1 = g1(take(64));
  const beta1 = g1(take(64));
  const beta2 = g2(take(128));
  take(128); // gamma2: the verifier's
  const delta1 = g1(take(64));
  const delta2 = g2(take(128));
  const key: ProvingKey = {
    nVars, nPublic, domainSize, power, alpha1, beta1, beta2, delta1, delta2,
    coefficients: section(4), a: section(5), b1: section(6), b2: section(7), c: section(8), h: section(9),
  };
  const expect = (name: string, s: Uint8Array, size: number) => {
    if (s.length !== size) throw new ZkeyError(`section ${name}: ${s.length} bytes, expected ${size}`);
  };
  expect('A', key.a, nVars * 64);
  expect('B1', key.b1, nVars * 64);
  expect('B2', key.b2, nVars * 128);
  expect('C', key.c, (nVars - nPublic - 1) * 64);
  expect('H', key.h, domainSize * 64);
  if (key.coefficients.length < 4 || key.coefficients.length !== 4 + 44 * new DataView(key.coefficients.buffer, key.coefficients.byteOffset).getUint32(0, true)) {
    throw new ZkeyError('coefficient section: bad length');
  }
  return key;
}

/** snarkjs's roots of unity for the FFT domain (ffjavascript's Fr.w): 2^28-th from the smallest non-residue, 5. */
export function domainRoots(power: number): { omega: bigint; shift: bigint } {
  // r - 1 = 2^28 * t; w28 = 5^t has order 2^28; w_k = w28^(2^(28 - k)).
  const t = (R - 1n) >> 28n;
  let w = modPow(5n, t, R);
  const roots: bigint[] = [];
  for (let k = 28; k >= 0; k--) {
    roots[k] = w;
    w = (w * w) % R;
  }
  return { omega: roots[power]!, shift: roots[power + 1]! };
}
