/**
 * `npx tsx scripts/build-poseidon-wasm.ts`: generates the WebAssembly Poseidon permutation as WAT,
 * assembles it with wabt and writes src/crypto/poseidon-wasm.ts (the module bytes, base64), which is
 * committed so nothing here runs at run time.
 *
 * Field elements are 9 limbs of 29 bits in i64 slots (72 bytes), in Montgomery form with R = 2^261.
 * Limb products are below 2^58 (2^59 for a square's doubled cross products) and a column never holds
 * more than 18 of them plus a carry, so column sums stay below 2^63: the multiplications add products
 * without carry handling (lazy carries), shifting only once per row to keep the limb that sets the
 * Montgomery quotient exact.
 *
 * Values are never fully reduced inside the permutation. A Montgomery product of a, b < R is below
 * p + a*b/R, and p/R < 2^-7.4. So a product by a constant (< 1.01p) of anything below 2^260.1 is below
 * 1.55p, a dot product of t such terms below (0.54t + 1)p, and a square of anything below 2^260.5 below
 * 2^261. The largest value is a sparse round's running state[k]: below 10.2p after the dense matrix,
 * plus one product below 1.02p per partial round (at most 70; the S-box output it multiplies stays
 * below 2.1p), so below 81p < 2^259.95 even with its next round constant; every value fits in 9 limbs.
 * Only the output is reduced: leaving Montgomery form gives a value <= p.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import wabt from 'wabt';
import { FIELD_MODULUS as P } from '../src/crypto/field.js';

const BITS = 29;
const LIMBS = 9;
const MASK = (1n << BigInt(BITS)) - 1n;
const R = 1n << BigInt(BITS * LIMBS);
const SIZE = LIMBS * 8;

// Memory layout (bytes). IO holds up to 16 inputs and then the output as 4 little-endian u64 words each.
const IO = 0;
const STATE = 1024;
const TMP = STATE + 17 * SIZE;
const SCRATCH = TMP + 17 * SIZE;
const R2 = SCRATCH + SIZE;
const ONE = R2 + SIZE;
const HEAP = 4096;

const limbs = (x: bigint) => Array.from({ length: LIMBS }, (_, i) => (x >> BigInt(BITS * i)) & MASK);
const pLimbs = limbs(P);
const modInverse = (a: bigint, m: bigint) => {
  let [r0, r1, s0, s1] = [a % m, m, 1n, 0n];
  while (r1) [r0, r1, s0, s1] = [r1, r0 % r1, s1, s0 - (r0 / r1) * s1];
  return ((s0 % m) + m) % m;
};
const MU = (1n << BigInt(BITS)) - modInverse(P, 1n << BigInt(BITS)); // -p^-1 mod 2^29

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const get = (name: string) => `(local.get $${name})`;
const i64 = (x: bigint | number) => `(i64.const ${x})`;
const load = (ptr: string, limb: number) => `(i64.load offset=${limb * 8} ${get(ptr)})`;
const store = (ptr: string, limb: number, value: string) => `(i64.store offset=${limb * 8} ${get(ptr)} ${value})`;
const locals = (prefix: string, n: number) => range(n).map((i) => `(local $${prefix}${i} i64)`).join(' ');

/** x * c for a constant c; BN254's p = 1 + 2^28 (mod 2^29) makes the low limb and -1/p cheap. */
function times(x: string, c: bigint): string {
  const log = (v: bigint) => v.toString(2).length - 1;
  if (c === 1n << BigInt(log(c))) return `(i64.shl ${get(x)} ${i64(log(c))})`;
  if (c - 1n === 1n << BigInt(log(c - 1n))) return `(i64.add (i64.shl ${get(x)} ${i64(log(c - 1n))}) ${get(x)})`;
  if (c + 1n === 1n << BigInt(log(c + 1n))) return `(i64.sub (i64.shl ${get(x)} ${i64(log(c + 1n))}) ${get(x)})`;
  return `(i64.mul ${get(x)} ${i64(c)})`;
}

type Kind = 'mul' | 'mulAdd' | 'sqr' | 'dot';

/**
 * Montgomery multiplication, operand scanning. The product's columns t_k are summed without carries;
 * then row i of the reduction adds q_i * p with q_i chosen so that t_i vanishes mod 2^29, and carries
 * t_i into t_(i+1). The result is t_9 .. t_17 with carries normalised.
 * - mul: out = a * b; out may alias a or b (everything is loaded before anything is stored).
 * - mulAdd: out += a * b.
 * - sqr: out = a * a, adding each cross product once with a doubled factor.
 * - dot: out = sum over n of a[k] * b[k] (vectors of n elements) with a single reduction: after each
 *   term every column's high bits move one column up, which keeps the columns below 2^62.
 */
function montgomery(kind: Kind): string {
  const body: string[] = [];
  const square = kind === 'sqr';
  const live = new Set<number>(kind === 'dot' ? range(2 * LIMBS) : []);
  const addTo = (k: number, term: string) => {
    body.push(`(local.set $t${k} ${live.has(k) ? `(i64.add ${get(`t${k}`)} ${term})` : term})`);
    live.add(k);
  };
  for (const i of range(LIMBS)) body.push(`(local.set $a${i} ${load('a', i)})`);
  if (square) for (const i of range(LIMBS)) body.push(`(local.set $b${i} (i64.shl ${get(`a${i}`)} ${i64(1)}))`);
  else for (const i of range(LIMBS)) body.push(`(local.set $b${i} ${load('b', i)})`);
  for (const i of range(LIMBS)) {
    for (const j of range(LIMBS)) {
      if (square && j < i) continue;
      addTo(i + j, `(i64.mul ${get(`a${i}`)} ${get(square && j === i ? `a${i}` : `b${j}`)})`);
    }
  }
  if (kind === 'dot') {
    for (let k = 2 * LIMBS - 1; k > 0; k--) {
      const kept = k === 2 * LIMBS - 1 ? get(`t${k}`) : `(i64.and ${get(`t${k}`)} ${i64(MASK)})`;
      body.push(`(local.set $t${k} (i64.add ${kept} (i64.shr_u ${get(`t${k - 1}`)} ${i64(BITS)})))`);
    }
    body.push(`(local.set $t0 (i64.and ${get('t0')} ${i64(MASK)}))`);
    body.push(
      `(local.set $a (i32.add ${get('a')} (i32.const ${SIZE})))`,
      `(local.set $b (i32.add ${get('b')} (i32.const ${SIZE})))`,
      `(local.set $n (i32.sub ${get('n')} (i32.const 1)))`,
    );
    body.splice(0, 0, '(loop $term');
    body.push('(br_if $term (local.get $n)))');
  }
  for (const i of range(LIMBS)) {
    body.push(`(local.set $q (i64.and ${times(`t${i}`, MU)} ${i64(MASK)}))`);
    for (const j of range(LIMBS)) if (pLimbs[j]) addTo(i + j, times('q', pLimbs[j]));
    addTo(i + 1, `(i64.shr_u ${get(`t${i}`)} ${i64(BITS)})`);
  }
  for (const k of range(LIMBS)) {
    const t = `t${LIMBS + k}`;
    if (kind === 'mulAdd') addTo(LIMBS + k, load('o', k));
    if (k === LIMBS - 1) {
      body.push(store('o', k, get(t)));
    } else {
      addTo(LIMBS + k + 1, `(i64.shr_u ${get(t)} ${i64(BITS)})`);
      body.push(store('o', k, `(i64.and ${get(t)} ${i64(MASK)})`));
    }
  }
  const params = ['(param $o i32) (param $a i32)', square ? '' : '(param $b i32)', kind === 'dot' ? '(param $n i32)' : ''];
  const vars = [locals('a', LIMBS), locals('b', LIMBS), locals('t', 2 * LIMBS), '(local $q i64)'];
  return `(func $${kind} ${params.join(' ')} ${vars.join(' ')}\n  ${body.join('\n  ')})`;
}

/** out = a + b with carries normalised (the bounds above keep the top limb below 2^29). */
function add(): string {
  const body = [`(local.set $c (i64.const 0))`];
  for (const k of range(LIMBS)) {
    body.push(`(local.set $c (i64.add (i64.add ${load('a', k)} ${load('b', k)}) ${get('c')}))`);
    if (k === LIMBS - 1) body.push(store('o', k, get('c')));
    else body.push(store('o', k, `(i64.and ${get('c')} ${i64(MASK)})`), `(local.set $c (i64.shr_u ${get('c')} ${i64(BITS)}))`);
  }
  return `(func $add (param $o i32) (param $a i32) (param $b i32) (local $c i64)\n  ${body.join('\n  ')})`;
}

/** Limb k takes bits [29k, 29k + 29) of the four 64-bit words at src; a field element is below 2^254. */
function decode(): string {
  const body = range(LIMBS).map((k) => {
    const bit = BITS * k;
    const [word, shift] = [Math.floor(bit / 64), bit % 64];
    let value = `(i64.shr_u ${load('src', word)} ${i64(shift)})`;
    if (shift + BITS > 64 && word < 3) value = `(i64.or ${value} (i64.shl ${load('src', word + 1)} ${i64(64 - shift)}))`;
    return store('dst', k, `(i64.and ${value} ${i64(MASK)})`);
  });
  return `(func $decode (param $dst i32) (param $src i32)\n  ${body.join('\n  ')})`;
}

/** The inverse of decode, for normalised limbs of a value below 2^256. */
function encode(): string {
  const body = range(4).map((word) => {
    const parts = range(LIMBS)
      .filter((k) => BITS * k < 64 * (word + 1) && BITS * (k + 1) > 64 * word)
      .map((k) => {
        const shift = BITS * k - 64 * word;
        return shift >= 0 ? `(i64.shl ${load('src', k)} ${i64(shift)})` : `(i64.shr_u ${load('src', k)} ${i64(-shift)})`;
      });
    return store('dst', word, parts.reduce((acc, part) => `(i64.or ${acc} ${part})`));
  });
  return `(func $encode (param $dst i32) (param $src i32)\n  ${body.join('\n  ')})`;
}

const dataBytes = (x: bigint) =>
  limbs(x)
    .flatMap((limb) => range(8).map((i) => Number((limb >> BigInt(8 * i)) & 0xffn)))
    .map((byte) => `\\${byte.toString(16).padStart(2, '0')}`)
    .join('');

/** The permutation driver; constants live in memory in the order of OptimizedPoseidonParameters. */
const driver = `
(func $pow5 (param $x i32)
  (call $sqr (i32.const ${SCRATCH}) (local.get $x))
  (call $sqr (i32.const ${SCRATCH}) (i32.const ${SCRATCH}))
  (call $mul (local.get $x) (local.get $x) (i32.const ${SCRATCH})))

;; state = matrix * state, for the first \`rows\` rows
(func $mix (param $matrix i32) (param $t i32) (param $rows i32)
  (local $i i32) (local $bytes i32)
  (local.set $bytes (i32.mul (local.get $t) (i32.const ${SIZE})))
  (loop $row
    (call $dot (i32.add (i32.const ${TMP}) (i32.mul (local.get $i) (i32.const ${SIZE})))
      (i32.add (local.get $matrix) (i32.mul (local.get $i) (local.get $bytes))) (i32.const ${STATE}) (local.get $t))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $row (i32.lt_u (local.get $i) (local.get $rows))))
  (memory.copy (i32.const ${STATE}) (i32.const ${TMP}) (i32.mul (local.get $rows) (i32.const ${SIZE}))))

;; full round: S-box on every element, then add the next t constants unless c is 0
(func $sbox (param $t i32) (param $c i32)
  (local $x i32) (local $end i32)
  (local.set $x (i32.const ${STATE}))
  (local.set $end (i32.add (i32.const ${STATE}) (i32.mul (local.get $t) (i32.const ${SIZE}))))
  (loop $next
    (call $pow5 (local.get $x))
    (if (local.get $c) (then
      (call $add (local.get $x) (local.get $x) (local.get $c))
      (local.set $c (i32.add (local.get $c) (i32.const ${SIZE})))))
    (local.set $x (i32.add (local.get $x) (i32.const ${SIZE})))
    (br_if $next (i32.lt_u (local.get $x) (local.get $end)))))

;; Hashes the t-1 field elements at IO (4 u64 words each) into the 4 words at IO.
(func (export "hash") (param $t i32) (param $partial i32) (param $c i32) (param $m i32) (param $pre i32) (param $s i32)
  (local $i i32) (local $x i32) (local $bytes i32)
  (local.set $bytes (i32.mul (local.get $t) (i32.const ${SIZE})))
  (memory.fill (i32.const ${STATE}) (i32.const 0) (i32.const ${SIZE}))
  (local.set $i (i32.const 1))
  (loop $input
    (local.set $x (i32.add (i32.const ${STATE}) (i32.mul (local.get $i) (i32.const ${SIZE}))))
    (call $decode (local.get $x) (i32.add (i32.const ${IO - 32}) (i32.shl (local.get $i) (i32.const 5))))
    (call $mul (local.get $x) (local.get $x) (i32.const ${R2}))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $input (i32.lt_u (local.get $i) (local.get $t))))
  (local.set $x (i32.const ${STATE}))
  (loop $initial
    (call $add (local.get $x) (local.get $x) (local.get $c))
    (local.set $c (i32.add (local.get $c) (i32.const ${SIZE})))
    (local.set $x (i32.add (local.get $x) (i32.const ${SIZE})))
    (br_if $initial (i32.lt_u (local.get $x) (i32.add (i32.const ${STATE}) (local.get $bytes)))))
  (local.set $i (i32.const 0))
  (loop $first
    (call $sbox (local.get $t) (local.get $c))
    (local.set $c (i32.add (local.get $c) (local.get $bytes)))
    (call $mix (select (local.get $pre) (local.get $m) (i32.eq (local.get $i) (i32.const 3))) (local.get $t) (local.get $t))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $first (i32.lt_u (local.get $i) (i32.const 4))))
  (loop $partial
    (call $pow5 (i32.const ${STATE}))
    (call $add (i32.const ${STATE}) (i32.const ${STATE}) (local.get $c))
    (local.set $c (i32.add (local.get $c) (i32.const ${SIZE})))
    (call $dot (i32.const ${TMP}) (local.get $s) (i32.const ${STATE}) (local.get $t))
    (local.set $s (i32.add (local.get $s) (local.get $bytes)))
    (local.set $x (i32.const ${STATE + SIZE}))
    (loop $column
      (call $mulAdd (local.get $x) (local.get $s) (i32.const ${STATE}))
      (local.set $s (i32.add (local.get $s) (i32.const ${SIZE})))
      (local.set $x (i32.add (local.get $x) (i32.const ${SIZE})))
      (br_if $column (i32.lt_u (local.get $x) (i32.add (i32.const ${STATE}) (local.get $bytes)))))
    (memory.copy (i32.const ${STATE}) (i32.const ${TMP}) (i32.const ${SIZE}))
    (local.set $partial (i32.sub (local.get $partial) (i32.const 1)))
    (br_if $partial (local.get $partial)))
  (local.set $i (i32.const 0))
  (loop $second
    (call $sbox (local.get $t) (local.get $c))
    (local.set $c (i32.add (local.get $c) (local.get $bytes)))
    (call $mix (local.get $m) (local.get $t) (local.get $t))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br_if $second (i32.lt_u (local.get $i) (i32.const 3))))
  (call $sbox (local.get $t) (i32.const 0))
  (call $mix (local.get $m) (local.get $t) (i32.const 1))
  (call $mul (i32.const ${TMP}) (i32.const ${STATE}) (i32.const ${ONE}))
  (call $encode (i32.const ${IO}) (i32.const ${TMP})))

;; Converts n canonical field elements (4 u64 words each) at src to Montgomery limbs at dst.
(func (export "load") (param $dst i32) (param $src i32) (param $n i32)
  (loop $next
    (call $decode (local.get $dst) (local.get $src))
    (call $mul (local.get $dst) (local.get $dst) (i32.const ${R2}))
    (local.set $dst (i32.add (local.get $dst) (i32.const ${SIZE})))
    (local.set $src (i32.add (local.get $src) (i32.const 32)))
    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
    (br_if $next (local.get $n))))
`;

export function poseidonWat(): string {
  return `(module
(memory (export "memory") 1)
(global (export "heap") i32 (i32.const ${HEAP}))
(global (export "elementSize") i32 (i32.const ${SIZE}))
(data (i32.const ${R2}) "${dataBytes((R * R) % P)}")
(data (i32.const ${ONE}) "${dataBytes(1n)}")
${montgomery('mul')}
${montgomery('mulAdd')}
${montgomery('sqr')}
${montgomery('dot')}
${add()}
${decode()}
${encode()}
${driver}
)`;
}

export async function buildPoseidonWasm(): Promise<Uint8Array> {
  const module = (await wabt()).parseWat('poseidon.wat', poseidonWat());
  try {
    module.validate();
    return module.toBinary({}).buffer;
  } finally {
    module.destroy();
  }
}

export function generatedSource(bytes: Uint8Array): string {
  const base64 = Buffer.from(bytes).toString('base64');
  const lines = base64.match(/.{1,100}/g) ?? [];
  return `// Generated by scripts/build-poseidon-wasm.ts; do not edit. The Poseidon permutation for poseidon.ts.
export const POSEIDON_WASM_BASE64 =
${lines.map((line) => `  '${line}'`).join(' +\n')};
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = fileURLToPath(new URL('../src/crypto/poseidon-wasm.ts', import.meta.url));
  writeFileSync(target, generatedSource(await buildPoseidonWasm()));
  console.log(`wrote ${target}`);
}
