import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPoseidon } from 'circomlibjs';
import { FIELD_MODULUS as P } from './field.js';
import { poseidon, poseidon2, poseidon3, poseidon4, poseidon5, poseidonUsesWasm } from './poseidon.js';
import { poseidonReference } from './poseidon-reference.js';
import { optimizedPoseidonParameters } from './poseidon-optimized.js';
import { POSEIDON_WASM_BASE64 } from './poseidon-wasm.js';
import { buildPoseidonWasm } from '../../scripts/build-poseidon-wasm.js';

const ARITIES = Array.from({ length: 16 }, (_, i) => i + 1);

// Inputs of each vector kind; 'large' is a fixed pattern of values in (p/2, p).
const INPUTS: Record<string, (n: number) => bigint[]> = {
  zero: (n) => Array(n).fill(0n),
  max: (n) => Array(n).fill(P - 1n),
  small: (n) => Array.from({ length: n }, (_, i) => BigInt(i + 1)),
  large: (n) => Array.from({ length: n }, (_, i) => P - 1n - (0x5deece66dn ** BigInt(i + 3)) % (P / 2n)),
};

// circomlibjs 0.1.7 `buildPoseidon()(INPUTS[kind](n))`, computed once; entry n-1 is for n inputs.
const VECTORS: Record<string, string[]> = {
  zero: [
    '2a09a9fd93c590c26b91effbb2499f07e8f7aa12e2b4940a3aed2411cb65e11c',
    '2098f5fb9e239eab3ceac3f27b81e481dc3124d55ffed523a839ee8446b64864',
    '0bc188d27dcceadc1dcfb6af0a7af08fe2864eecec96c5ae7cee6db31ba599aa',
    '0532fd436e19c70e51209694d9c215250937921b8b79060488c1206db73e9946',
    '2066be41bebe6caf7e079360abe14fbf9118c62eabc42e2fe75e342b160a95bc',
    '1fdb1d1757a3a3502bec7084abc047ae86a4f442b8a073d5b3482bb02eb353d5',
    '0a47ead74da5372e7d2598e4f93c389bf03e8330219f8bf1e49b362f73491a26',
    '035ebc384d320413c9b97d446bf7de69e04d6278d68d52934a4f5f653348622a',
    '01c4da168cbfb5014e1dc256d82ba808033c11cc3bd113ef0a44ad86b2075728',
    '121abf316742b318e84638b1fd477962b2bb4b352a5abdcf8a4850cc5e863a4f',
    '23376b08cad4f9a7c9c0cfeb9c8a1c1b9aa6de067dcffda16198f3180d6d4d7f',
    '14b1efe6a1d69ba28d677d97f02e5063aa47e82e9b139396eb39dafa33f48453',
    '06531d729193679b88a6ed82a1952d130d95cb5dfce1ddb1078b7eaebb3aa8ee',
    '0295f5d4bf0af585d3113b2db9af3fec838c220b9ac4c5313503f0e6bdceb476',
    '0c6178ead896a67420872ef453ae2b1e5bad901cec6671deffe84c15d8e00c73',
    '0f63cd0c9fbe679a562469831d8e810c9d33cc2409695b8e6a893e627ea952d1',
  ],
  max: [
    '0771743e7ade0f56f51d16544f60059ba3029ba556d63697612900fe5f020b16',
    '2c6bd813a6338781378d8706cb82fd4216ab52b752ccd41564d7b98756a6e0fb',
    '294e7ab38f79bf9f691b3ab92039bbc5718f4c6b69c785cb44032662ea0111f2',
    '0f016f2ae58607e93c16a2451c31773bf9807892becb9a3d6aaeed4cfb3af3f3',
    '1f7e9a4037108c812f86810cea80ea3a239fb4e1a0b5ee45f259d1d20714b40c',
    '1864ca75de675b4d3295bd19b556bf2d3f46029f09a0fc5438ecb3d857ebc3e5',
    '2ddd31414f40ba7eeec1a5c2ae00989f671554fd63c30edc712aa7cbd57585ba',
    '12311ba39f972fc3c925715ce305efdf39e10796233585cab3843003b727e069',
    '096b655da808a5866052ccb7702e52d9722eb196845b886dc4a73a823b438ce9',
    '191c620523754a8a4f15d8b1771093b0b30325e9830d6b577241960d44e7557c',
    '0e6a3b4d80225457a0feb34df25a3ccf158bce01fe16ac07d2b1c2c6d6d65d45',
    '2c1ddf69d58816a11cc388eeaa19453b49b73d0b1b57b5dea5589107db2d30ab',
    '03d961eee487e13ce02b2cdff2bb635c6de5d36b92cd5d3377016d034899553b',
    '21c57b2a7761a1c5aabf6b565fc95eb2c9e4a80a2dcacc0ae5b6c4239a14d612',
    '1582a8b59dc7faf1a8949e58ae70aa4a81e49206a6039fc17a54d045b486ce1d',
    '241becd2532d9b17ec7d4e6a44b3d030b53d9ba0fbe2f06f792237f97c3ccebb',
  ],
  small: [
    '29176100eaa962bdc1fe6c654d6a3c130e96a4d1168b33848b897dc502820133',
    '115cc0f5e7d690413df64c6b9662e9cf2a3617f2743245519e19607a4417189a',
    '0e7732d89e6939c0ff03d5e58dab6302f3230e269dc5b968f725df34ab36d732',
    '299c867db6c1fdd79dcefa40e4510b9837e60ebb1ce0663dbaa525df65250465',
    '0dab9449e4a1398a15224c0b15a49d598b2174d305a316c918125f8feeb123c0',
    '2d1a03850084442813c8ebf094dea47538490a68b05f2239134a4cca2f6302e1',
    '1c2f3482dbb140c4ebb9ada49abdbc374a9a85fcfc6533ec2e9df45b4921c318',
    '2921ab9bd0140cbc98e40395c0fefb40337a4d54fbbecd9a4d43b3d8d0c4d8d1',
    '1e0b893aa2ad802275e749d260330b7675b22bb3aaa4461d204af32e60cd9078',
    '0816126a09c29ecfcc0628461dacfb9459816fc60d6738b78db9ad07206fdc21',
    '07e5b070aa2dba008f30a6b785b6c5ae2429e211f71cacdbdae0e07fc05b47a8',
    '058814945232937db248a01e7cc55b3d681cc08702c8168494e856c1ef7693b5',
    '0f918939632fadca6456a2fe6e65a124828d4c3920d379cc744e90a666887806',
    '1278779aaafc5ca58bf573151005830cdb4683fb26591c85a7464d4f0e527776',
    '094ae33b67a845998abb55e917642d4022d078d96f7c36ea11da4273ecf20f50',
    '16159a551cbb66108281a48099fff949ae08afd7f1f2ec06de2ffb96b919b765',
  ],
  large: [
    '273de7ac931a63cf912799e704d36a0b08e92b942788d0c3fc62f0bdd547eb75',
    '297499f74101b8d4f1b9a97d1f7fffcac2b00f64730a84802b2ca514200446e2',
    '0635caef108870d97a7a725961cc26f6114b4d182b7f81b4a8c7a362765d0bfe',
    '2cbb66f01b3ff55798f30eb8f66f05ba042bad0cad0c9cbb488aebf877204d34',
    '08aeba5206830e7204fc8192eab313142f5c7744fe7766b01bf42c5645d93ede',
    '196b57721eb5e7b5682c03540faa97bec668f8a9968aa729348e17d4d41b0b43',
    '0b8435a00b3871296d15ea7a5999376fd530ae1f1aa2039c86a2f57124850dee',
    '1c75b5745aeb0927ce14caba285577394aa184f327a872f9ad5e05f676a39ae5',
    '0dceff3d6937567947a8b73df5a2bed2d2c9846454631ebe426331b36ceb957f',
    '09c682490294fe790dcdde51d3df96fd30bd0dba9598085dc39f66a3007b38d8',
    '25fa462a2b121b755a78294d249dd15c586822d8cb000434b6d85b7897da6399',
    '2f50bc65da733bd8fdb20b73406575c5e444cb146a0b97fb74eb2efa3e0795bd',
    '1c0cf7a4d8c1caea01b663d2a42119528dcf42dd3a5e89bfc6847da6a729ae35',
    '2cd9bed6a1ac19b8df5d9ce38f47478072deb590677617c330bcbaaad6ce2178',
    '2da61ae3ca3e70442c0adcd2e2eec8e37fd63cdc26337889c41aca1b59c7a521',
    '114295140b02f5e9548bdfbdb7168c05cf96ab4f4323adb3b74aeec07ec92265',
  ],
};

const randomField = () => {
  const bytes = crypto.getRandomValues(new Uint8Array(40));
  return bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n) % P;
};

describe('poseidon', () => {
  it('runs the WebAssembly implementation here', () => {
    assert.equal(poseidonUsesWasm, true);
  });

  for (const [kind, make] of Object.entries(INPUTS)) {
    it(`matches circomlibjs vectors for 1..16 inputs (${kind})`, () => {
      for (const n of ARITIES) {
        const expected = BigInt('0x' + VECTORS[kind][n - 1]);
        assert.equal(poseidon(make(n)), expected, `fast, ${n} inputs`);
        assert.equal(poseidonReference(make(n)), expected, `reference, ${n} inputs`);
      }
    });
  }

  it('agrees with circomlibjs on random inputs for 1..16 inputs', async () => {
    const circomlib = await buildPoseidon();
    for (const n of ARITIES) {
      for (let k = 0; k < 4; k++) {
        // half the inputs near p, where unreduced intermediate values are largest
        const inputs = Array.from({ length: n }, (_, i) => ((k + i) % 2 ? P - 1n - (randomField() >> 200n) : randomField()));
        assert.equal(poseidon(inputs), circomlib.F.toObject(circomlib(inputs)), `${n} inputs: ${inputs}`);
      }
    }
  });

  it('agrees with the reference on random inputs', () => {
    for (const n of [2, 3, 5, 6]) {
      for (let k = 0; k < 5; k++) {
        const inputs = Array.from({ length: n }, randomField);
        assert.equal(poseidon(inputs), poseidonReference(inputs));
      }
    }
  });

  it('fixed-arity forms equal poseidon', () => {
    const [a, b, c, d, e] = Array.from({ length: 5 }, randomField);
    assert.equal(poseidon2(a, b), poseidon([a, b]));
    assert.equal(poseidon3(a, b, c), poseidon([a, b, c]));
    assert.equal(poseidon4(a, b, c, d), poseidon([a, b, c, d]));
    assert.equal(poseidon5(a, b, c, d, e), poseidon([a, b, c, d, e]));
  });

  it('rejects non-field inputs with an error naming the input', () => {
    for (const bad of [-1n, P, P + 1n, 1n << 256n]) {
      assert.throws(() => poseidon([1n, 2n, bad]), { name: 'RangeError', message: /inputs\[2\]/ });
      assert.throws(() => poseidonReference([bad]), { name: 'RangeError', message: /inputs\[0\]/ });
      assert.throws(() => poseidon2(bad, 0n), { name: 'RangeError', message: /\ba\b/ });
      assert.throws(() => poseidon5(0n, 0n, 0n, 0n, bad), { name: 'RangeError', message: /\be\b/ });
    }
    assert.throws(() => poseidon([1n, 2 as unknown as bigint]), { name: 'TypeError', message: /inputs\[1\]/ });
    // a rejected call leaves no stale input behind
    assert.equal(poseidon2(1n, 2n), poseidonReference([1n, 2n]));
  });

  it('rejects bad arities', () => {
    for (const n of [0, 17]) {
      assert.throws(() => poseidon(Array(n).fill(0n)), { name: 'RangeError', message: /1 to 16 inputs/ });
    }
  });

  it('falls back to the reference without WebAssembly', async () => {
    const saved = globalThis.WebAssembly;
    Reflect.deleteProperty(globalThis, 'WebAssembly');
    try {
      const fresh = './poseidon.js?no-wasm'; // a second, independent instance of the module
      const fallback = (await import(fresh)) as typeof import('./poseidon.js');
      assert.equal(fallback.poseidonUsesWasm, false);
      assert.equal(fallback.poseidon([1n, 2n]), BigInt('0x' + VECTORS.small[1]));
      assert.equal(fallback.poseidon2(1n, 2n), BigInt('0x' + VECTORS.small[1]));
    } finally {
      globalThis.WebAssembly = saved;
    }
  });
});

describe('poseidon optimized constants', () => {
  it('equal circomlibjs poseidon_constants_opt.json, derived from the reference parameters', () => {
    const dir = dirname(fileURLToPath(import.meta.resolve('circomlibjs')));
    const json = JSON.parse(readFileSync(join(dir, 'src', 'poseidon_constants_opt.json'), 'utf8'));
    const big = (xs: string[]) => xs.map((x) => BigInt(x));
    // circomlibjs stores M and P transposed (column-major)
    const columns = (m: string[][]) => m[0].map((_, j) => m.map((row) => BigInt(row[j])));
    for (const n of ARITIES) {
      const o = optimizedPoseidonParameters(n);
      assert.deepEqual(o.constants, big(json.C[n - 1]), `C, ${n} inputs`);
      assert.deepEqual(o.mds, columns(json.M[n - 1]), `M, ${n} inputs`);
      assert.deepEqual(o.preSparse, columns(json.P[n - 1]), `P, ${n} inputs`);
      assert.deepEqual(o.sparse.flatMap((s) => [...s.row, ...s.column]), big(json.S[n - 1]), `S, ${n} inputs`);
    }
  });

  it('the committed WebAssembly module is what scripts/build-poseidon-wasm.ts generates', async () => {
    assert.equal(POSEIDON_WASM_BASE64, Buffer.from(await buildPoseidonWasm()).toString('base64'));
  });
});
