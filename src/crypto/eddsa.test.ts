import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hexToBytes, bytesToHex } from '@noble/hashes/utils.js';
import { buildEddsa } from 'circomlibjs';
import { publicKey, sign, verify, packSignature, unpackSignature, privateKeyFromSeed } from './eddsa.js';
import { BASE8, SUBGROUP_ORDER, mulBase8, toAffine, packPoint, unpackPoint, isInSubgroup } from './babyjub.js';

// Computed once with circomlibjs 0.1.7 (prv2pub, signPoseidon, packSignature).
const VECTORS = [
  { prv: '0d141b222930373e454c535a61686f767d848b9299a0a7aeb5bcc3cad1d8dfe6', msg: '1234', Ax: '14322643526651766475823822443186428507296782979146361851295299603082226649174', Ay: '13515810980478949275489400358132060007994571089902967335082125365916623350710', R8x: '20674055691766675298435314343675331712240241461949481601810987811930365654644', R8y: '10691811850354128696215324169650234489396220965287746666735723819711853067911', S: '297533510973182134763574144153514730966952241445818932493981717994020449182', packed: '877ec9ac5e1920bd9aac8f73a06a1156b8c94acfb0605ba7957ef4c5de59a3979eab4643eac6f411657c5b994f0bef8cf745170d17acc3c8ce61144ae365a800' },
  { prv: '1a21282f363d444b525960676e757c838a91989fa6adb4bbc2c9d0d7dee5ecf3', msg: '0', Ax: '15105380398510938283313625795466432790553885941616681728372378860990013637971', Ay: '6295629691847993955195632163717193636574737765124164551770096534478897438244', R8x: '8286660169463209333382927427355224284607410014134091224156003948856638751123', R8y: '18348934156855077527993545782623459244607282852972222414455351860472760652568', S: '1159413580295300878851677991307185658010902106118727047566956166041216895329', packed: '1853e2606c491ad0f886d20c3c6628a03997efe9db77dfec6b41e754f220912861497e6e3c5f831cd0df2c86b64e5485fbaa2785482c89034b460cd56f349002' },
  { prv: '272e353c434a51585f666d747b828990979ea5acb3bac1c8cfd6dde4ebf2f900', msg: '21888242871839275222246405745257275088548364400416034343698204186575808495616', Ax: '16059420526124289312385604083081005638828646531042584991899870332926266038142', Ay: '8372122523202389876629076709418135244866897245926793181896799324557552345016', R8x: '2126739506842886946416639028959577806229095764656137293355996616187008135378', R8y: '17603129190287448024387051390208523253104314541662898612436964259949670603380', S: '1959746426108895671564038942768585346324075505490993285679664344498624507678', packed: '749a10faad243b421e1d7f29e9ced5594cbeb7c61e2438a8c77dbca39e04eb261eaf5bdc2edc6465d0a107d66494a076856fcc87882eda9ae1aea0f95a2d5504' },
];

test('Base8 is 8 * circomlib Generator and generates the subgroup', () => {
  assert.deepEqual(toAffine(mulBase8(1n)), BASE8);
  assert.ok(mulBase8(SUBGROUP_ORDER).is0());
  assert.ok(isInSubgroup(BASE8));
});

test('public keys and signatures equal circomlibjs vectors', () => {
  for (const v of VECTORS) {
    const prv = hexToBytes(v.prv);
    const msg = BigInt(v.msg);
    assert.deepEqual(publicKey(prv), { x: BigInt(v.Ax), y: BigInt(v.Ay) });
    const sig = sign(prv, msg);
    assert.deepEqual(sig, { R8: { x: BigInt(v.R8x), y: BigInt(v.R8y) }, S: BigInt(v.S) });
    assert.equal(bytesToHex(packSignature(sig)), v.packed);
    assert.deepEqual(unpackSignature(hexToBytes(v.packed)), sig);
    assert.ok(verify(msg, sig, publicKey(prv)));
  }
});

test('signatures cross-verify with circomlibjs both ways', async () => {
  const eddsa = await buildEddsa();
  const F = eddsa.babyJub.F;
  for (let i = 0; i < 4; i++) {
    const prv = privateKeyFromSeed(new Uint8Array(32).fill(i + 1), i);
    const msg = BigInt(i) * 987654321987654321n + 5n;
    const pub = publicKey(prv);
    const theirPub = [F.e(pub.x), F.e(pub.y)];
    // ours -> theirs
    const ours = sign(prv, msg);
    assert.ok(eddsa.verifyPoseidon(F.e(msg), { R8: [F.e(ours.R8.x), F.e(ours.R8.y)], S: ours.S }, theirPub));
    // theirs -> ours
    const theirs = eddsa.signPoseidon(prv, F.e(msg));
    const converted = { R8: { x: F.toObject(theirs.R8[0]), y: F.toObject(theirs.R8[1]) }, S: theirs.S };
    assert.ok(verify(msg, converted, pub));
  }
});

test('verify refuses wrong message, wrong key, tampered or out-of-range S', () => {
  const prv = privateKeyFromSeed(new Uint8Array(16).fill(9));
  const other = publicKey(privateKeyFromSeed(new Uint8Array(16).fill(10)));
  const sig = sign(prv, 42n);
  const pub = publicKey(prv);
  assert.ok(verify(42n, sig, pub));
  assert.equal(verify(43n, sig, pub), false);
  assert.equal(verify(42n, sig, other), false);
  assert.equal(verify(42n, { ...sig, S: sig.S + 1n }, pub), false);
  assert.equal(verify(42n, { ...sig, S: sig.S + SUBGROUP_ORDER }, pub), false, 'S must be reduced (malleability)');
  assert.equal(verify(42n, { ...sig, R8: { x: 1n, y: 2n } }, pub), false, 'R8 off the curve');
  assert.equal(verify(42n, sig, { x: 0n, y: 1n }), false, 'identity point as key');
});

test('seed derivation is deterministic and index-separated; bad input is named', () => {
  const seed = new Uint8Array(32).fill(3);
  assert.deepEqual(privateKeyFromSeed(seed, 1), privateKeyFromSeed(seed, 1));
  assert.notDeepEqual(privateKeyFromSeed(seed, 1), privateKeyFromSeed(seed, 2));
  assert.throws(() => privateKeyFromSeed(new Uint8Array(8)), /seed/);
  assert.throws(() => sign(new Uint8Array(31), 1n), /privateKey/);
  assert.throws(() => sign(seed, -1n), /message/);
});

test('points pack and unpack like circomlib', () => {
  for (let k = 1n; k < 20n; k++) {
    const p = toAffine(mulBase8(k * 7919n));
    assert.deepEqual(unpackPoint(packPoint(p)), p);
  }
  assert.throws(() => unpackPoint(new Uint8Array(31)));
});
