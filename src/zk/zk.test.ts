// Fast suite: the circuits' constraints checked at witness level (no proof) across the operator matrix and
// every refusal, plus a few real Groth16 proofs with the committed keys (circuits/build/).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import * as snarkjs from 'snarkjs';
import { poseidon } from '../crypto/poseidon.js';
import { keyScalar, privateKeyFromSeed, publicKey, sign } from '../crypto/eddsa.js';
import { parseId, type StateTransition } from '../identity/index.js';
import { SparseMerkleTree, MemoryStore, type Proof } from '../smt/index.js';
import type { Claim } from '../claims/index.js';
import {
  credentialQueryInputs, stateTransitionInputs, witnessSatisfies, proveCredentialQuery, proveStateTransition, proveAnswer, verifyProof,
  parseCredentialQuerySignals, parseStateTransitionSignals, releaseProverResources, evaluateOperator, padValues, holderCommitment,
  nullifierOf, genesisHolder, GlobalStateTree, GIST_DEPTH, checkQuery, parseRequest, requestToJson, responseToJson, verifyResponse, Operator, ZkError, ZkVerifier,
  type CircuitInputs, type OperatorName,
} from './index.js';
import { artifactPaths, loadVerificationKey, CIRCUITS_BUILD_DIR } from './node.js';
import { AMOUNT, HUGE, TEST_SCHEMA, makeFixture } from './test-fixtures.js';
import { CIRCUITS_DIR, sourcesHash } from '../../scripts/zk-build.js';

const cq = artifactPaths('credentialQuery');
const st = artifactPaths('stateTransition');
const ha = artifactPaths('holderAuth');
after(releaseProverResources);

const f = makeFixture();
const claim = f.issue({ tier: 7, amount: Number(AMOUNT), digest: HUGE });
const base = credentialQueryInputs(f.queryHolder, f.credential(claim), f.query());
const ok = (inputs: CircuitInputs) => witnessSatisfies(inputs, cq.wasm);
/**
 * Inputs for `target` built without the TypeScript pre-checks: the honest inputs of a fresh valid claim at the
 * issuer's latest state, with `target` and its proofs at that state swapped in (the circuit must refuse).
 */
function swapClaim(target: Claim): CircuitInputs {
  const inputs = credentialQueryInputs(f.queryHolder, f.credential(f.issue()), f.query());
  const cred = f.credential(target);
  const matrix = (proof: Proof) => Array.from({ length: 14 }, (_, l) => (proof.siblings[l] ?? [0n, 0n, 0n, 0n]).map(String));
  return {
    ...inputs,
    claim: target.slots.map(String),
    claimSiblings: matrix(cred.claimProof),
    claimLevels: String(cred.claimProof.siblings.length),
    revSiblings: matrix(cred.revocationProof),
    revLevels: String(cred.revocationProof.siblings.length),
    revAuxKey: String(cred.revocationProof.auxLeaf?.key ?? 0n),
    revAuxValue: String(cred.revocationProof.auxLeaf?.value ?? 0n),
    revAuxEmpty: cred.revocationProof.existence || cred.revocationProof.auxLeaf ? '0' : '1',
  };
}

/** The base inputs with the query replaced: only public inputs change, the witness is otherwise honest. */
function withQuery(operator: OperatorName, values: bigint[], slotIndex = 5): CircuitInputs {
  return { ...base, operator: String(Operator[operator]), values: padValues(values).map(String), slotIndex: String(slotIndex) };
}

test('committed circuit artifacts match the circuit sources (rerun npm run zk:ceremony)', () => {
  const manifest = JSON.parse(readFileSync(join(CIRCUITS_BUILD_DIR, 'manifest.json'), 'utf8')) as {
    sourcesHash: string;
    circuits: Record<string, { wasmSha256: string; zkeySha256?: string }>;
  };
  assert.equal(manifest.sourcesHash, sourcesHash());
  const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
  // The witness generators and keys are the ones this manifest describes (one build/ceremony, not a mix).
  for (const [name, a] of [['credentialQuery', cq], ['holderAuth', ha], ['stateTransition', st]] as const) {
    assert.equal(sha(a.wasm as string), manifest.circuits[name].wasmSha256, `${name}.wasm is not this manifest's`);
    assert.ok(existsSync(a.zkey as string), `${name}.zkey is committed`);
    assert.equal(sha(a.zkey as string), manifest.circuits[name].zkeySha256, `${name}.zkey is not this manifest's`);
  }
});

test('the FFT domains the proving times rest on: credential query and holder-auth 2^14, state transition 2^15', () => {
  // snarkjs's domain holds the constraints plus one row per public signal plus one; one more constraint
  // than that doubles the domain, the H multi-exponentiation and the FFTs (circuits/README.md, "Sizes").
  const { circuits } = JSON.parse(readFileSync(join(CIRCUITS_BUILD_DIR, 'manifest.json'), 'utf8')) as {
    circuits: Record<string, { constraints: number; publicSignals: number }>;
  };
  const rows = (name: string) => circuits[name].constraints + circuits[name].publicSignals + 1;
  assert.ok(rows('credentialQuery') <= 2 ** 14, `credentialQuery needs ${rows('credentialQuery')} rows`);
  assert.ok(rows('holderAuth') <= 2 ** 14, `holderAuth needs ${rows('holderAuth')} rows`);
  assert.ok(rows('stateTransition') <= 2 ** 15, `stateTransition needs ${rows('stateTransition')} rows`);
});

// circuits/lib/poseidon_lean.circom re-lays out circomlib's Poseidon for the prover (dense linear layers moved
// to the C side). It must stay the same function, bit for bit: everything in src/crypto and every test vector
// depends on it. circuits/test/lean_poseidon.circom computes circomlib's Poseidon and LeanPoseidon for t = 2..6
// side by side.
describe('LeanPoseidon is circomlib Poseidon', () => {
  const R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
  const dir = mkdtempSync(join(tmpdir(), 'masque-lean-poseidon-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const compiled = (() => {
    let done: { wasm: string; r1cs: string; sym: string } | undefined;
    return () => {
      if (done) return done;
      const cli = createRequire(import.meta.url).resolve('circom2/cli.js');
      const run = spawnSync(process.execPath, [cli, join(CIRCUITS_DIR, 'test', 'lean_poseidon.circom'), '--r1cs', '--wasm', '--sym', '--O2', '-o', dir], { encoding: 'utf8' });
      assert.equal(run.status, 0, run.stdout + run.stderr);
      return (done = { wasm: join(dir, 'lean_poseidon_js', 'lean_poseidon.wasm'), r1cs: join(dir, 'lean_poseidon.r1cs'), sym: join(dir, 'lean_poseidon.sym') });
    };
  })();
  const witness = async (inputs: bigint[]) => {
    const w = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
    await snarkjs.wtns.calculate({ in: inputs.map(String) }, compiled().wasm, w);
    return { mem: w, values: (await snarkjs.wtns.exportJson(w)) as bigint[] };
  };
  const random = () => BigInt(`0x${randomBytes(32).toString('hex')}`) % R;
  const vectors = [[0n, 0n, 0n, 0n, 0n], [R - 1n, R - 1n, R - 1n, R - 1n, R - 1n], [1n, 2n, 3n, 4n, 5n], ...Array.from({ length: 12 }, () => Array.from({ length: 5 }, random))];

  test('same output as circomlib and src/crypto for t = 2..6, on edge and random inputs', async () => {
    for (const v of vectors) {
      const { values } = await witness(v);
      // Outputs: wire 0 is the constant 1, then ref[5], lean[5].
      for (let n = 1; n <= 5; n++) {
        const expected = poseidon(v.slice(0, n));
        assert.equal(values[n], expected, `circomlib Poseidon(${n})`);
        assert.equal(values[5 + n], expected, `LeanPoseidon(${n}) on [${v.slice(0, n)}]`);
      }
    }
  });

  test('the witness satisfies the R1CS, and changing any single LeanPoseidon wire breaks it', async () => {
    const { mem, values } = await witness(vectors[3]);
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    assert.equal(await snarkjs.wtns.check(compiled().r1cs, mem, quiet), true);
    const r1cs = (await snarkjs.r1cs.exportJson(compiled().r1cs, quiet)) as { constraints: Record<string, string>[][] };
    const dot = (lc: Record<string, string>, w: bigint[]) => Object.entries(lc).reduce((acc, [k, c]) => (acc + BigInt(c) * w[Number(k)]) % R, 0n);
    const satisfied = (w: bigint[]) => r1cs.constraints.every(([a, b, c]) => (dot(a, w) * dot(b, w) - dot(c, w)) % R === 0n);
    assert.equal(satisfied(values), true);
    // Every wire of the lean hashes (y wires defined on the C side only included) is pinned by some constraint.
    const wires = new Set<number>();
    for (const line of readFileSync(compiled().sym, 'utf8').split('\n')) {
      const [, wire, , name] = line.split(',');
      if (name && /^main\.l\[/.test(name) && Number(wire) > 10) wires.add(Number(wire));
    }
    assert.ok(wires.size > 1300, `${wires.size} wires`);
    const pinned = new Set<number>();
    for (const [a, b, c] of r1cs.constraints) for (const lc of [a, b, c]) for (const k of Object.keys(lc)) pinned.add(Number(k));
    for (const wire of wires) assert.ok(pinned.has(wire), `wire ${wire} is in no constraint`);
    // Spot checks: a changed wire makes the system unsatisfied (every 97th wire, to keep it fast).
    for (const wire of [...wires].filter((_, i) => i % 97 === 0)) {
      const w = [...values];
      w[wire] = (w[wire] + 1n) % R;
      assert.equal(satisfied(w), false, `wire ${wire} changed`);
    }
  });
});

describe('credential query: every operator accepted and refused at the boundary (witness)', () => {
  const v = AMOUNT;
  const cases: [OperatorName, bigint[], boolean][] = [
    ['NOOP', [], true],
    ['DISCLOSE', [], true],
    ['EQUAL', [v], true], ['EQUAL', [v - 1n], false], ['EQUAL', [v + 1n], false],
    ['NOT_EQUAL', [v], false], ['NOT_EQUAL', [v + 1n], true],
    ['LESS_THAN', [v + 1n], true], ['LESS_THAN', [v], false],
    ['GREATER_THAN', [v - 1n], true], ['GREATER_THAN', [v], false],
    ['LESS_OR_EQUAL', [v], true], ['LESS_OR_EQUAL', [v - 1n], false],
    ['GREATER_OR_EQUAL', [v], true], ['GREATER_OR_EQUAL', [v + 1n], false],
    ['IN_RANGE', [v, v + 10n], true], ['IN_RANGE', [v - 10n, v], true], ['IN_RANGE', [v, v], true],
    ['IN_RANGE', [v + 1n, v + 10n], false], ['IN_RANGE', [v - 10n, v - 1n], false],
    ['NOT_IN_RANGE', [v + 1n, v + 10n], true], ['NOT_IN_RANGE', [v - 10n, v - 1n], true],
    ['NOT_IN_RANGE', [v, v + 10n], false], ['NOT_IN_RANGE', [v - 10n, v], false],
    // Full set of 16 with the member last, and a 1-element set (padding repeats it).
    ['IN', [...Array.from({ length: 15 }, (_, i) => BigInt(i)), v], true],
    ['IN', [v], true],
    ['IN', Array.from({ length: 16 }, (_, i) => v + 1n + BigInt(i)), false],
    ['NOT_IN', Array.from({ length: 16 }, (_, i) => v + 1n + BigInt(i)), true],
    ['NOT_IN', [...Array.from({ length: 15 }, (_, i) => BigInt(i)), v], false],
    // The largest orderable bound works (larger bounds: the request is refused, next test).
    ['LESS_THAN', [(1n << 252n) - 1n], true],
    ['IN_RANGE', [0n, (1n << 252n) - 1n], true],
  ];
  for (const [op, values, expected] of cases) {
    test(`${op} [${values.length > 3 ? `${values.length} values` : values.join(', ')}] on ${v}: ${expected ? 'accepted' : 'refused'}`, async () => {
      assert.equal(evaluateOperator(op, v, padValues(values)), expected, 'the TypeScript model agrees');
      assert.equal(await ok(withQuery(op, values)), expected);
    });
  }

  // The bounds are public: the circuit leaves their range to the verifier, who refuses such a request before
  // any proof (here; ZkQueryVerifier.setRequest on-chain, src/chain/zk.test.ts), so no proof is ever read
  // against a bound the comparators cannot handle.
  test('an ordering bound of 2^252 or more: the request is refused', () => {
    for (const [operator, values] of [['LESS_THAN', [1n << 252n]], ['GREATER_THAN', [1n << 253n]], ['NOT_IN_RANGE', [0n, 1n << 252n]], ['IN_RANGE', [1n << 252n, 1n << 253n]]] as const) {
      assert.throws(() => checkQuery({ operator, values: [...values], slotIndex: 5 }), /values: orderings compare integers below 2\^252/, operator);
      assert.equal(evaluateOperator(operator, v, padValues([...values])), false);
      const request = { ...requestToJson({ ...f.query(), issuers: [parseId(f.issuer.id.string).bigint] }, [f.issuer.id.string]), operator, values: values.map(String) };
      assert.throws(() => parseRequest(request), /values: orderings/, operator);
    }
  });

  test('a value of 2^252 or more: EQUAL, IN, NOT_IN and DISCLOSE work, orderings are refused', async () => {
    assert.equal(await ok(withQuery('EQUAL', [HUGE], 6)), true);
    assert.equal(await ok(withQuery('IN', [1n, HUGE], 6)), true);
    assert.equal(await ok(withQuery('NOT_IN', [HUGE - 1n], 6)), true);
    assert.equal(await ok(withQuery('DISCLOSE', [], 6)), true);
    assert.equal(await ok(withQuery('GREATER_THAN', [1n], 6)), false);
    assert.equal(await ok(withQuery('LESS_THAN', [HUGE + 1n], 6)), false);
  });

  test('index slot i2 and an empty slot (v3 = 0): padding never adds 0 to a set', async () => {
    assert.equal(await ok(withQuery('EQUAL', [7n], 2)), true);
    assert.equal(await ok(withQuery('IN', [5n], 7)), false);
    assert.equal(await ok(withQuery('NOT_IN', [5n], 7)), true);
    assert.equal(await ok(withQuery('EQUAL', [0n], 7)), true);
  });

  test('only data slots can be queried; unknown operators are refused', async () => {
    for (const slot of [0, 1, 4, 8]) assert.equal(await ok(withQuery('NOOP', [], slot)), false, `slot ${slot}`);
    assert.equal(await ok({ ...withQuery('NOOP', []), operator: '12' }), false);
    assert.equal(await ok({ ...withQuery('EQUAL', [AMOUNT]), operator: String(Operator.EQUAL + 2 ** 20) }), false);
  });
});

describe('credential query: claim and holder checks (witness)', () => {
  test('wrong schema or wrong issuer state are refused', async () => {
    assert.equal(await ok(base), true);
    assert.equal(await ok({ ...base, schema: String(TEST_SCHEMA.hash + 1n) }), false);
    assert.equal(await ok({ ...base, issuerState: String(BigInt(base.issuerState as string) + 1n) }), false);
  });

  test('a claim about another identity (wrong subject) is refused', async () => {
    const other = f.issue({}, { subject: parseId(f.issuer.id.string).bigint });
    assert.throws(() => credentialQueryInputs(f.queryHolder, f.credential(other), f.query()), (e: unknown) => e instanceof ZkError && e.code === 'UNSATISFIED');
    // The circuit itself, past the TypeScript pre-check: honest proofs of the other claim swapped in.
    assert.equal(await ok(swapClaim(other)), false);
    assert.equal(await ok(swapClaim(f.issue())), true, 'the same swap with the holder\'s own claim passes');
  });

  test('expired claim refused, one second before expiry accepted, timeless claims never expire', async () => {
    const expiration = 1_800_000_000n;
    const expiring = f.issue({}, { expiration });
    const inputs = (timestamp: bigint) => ({ ...credentialQueryInputs(f.queryHolder, f.credential(expiring), f.query({ timestamp: expiration - 1n })), timestamp: String(timestamp) });
    assert.equal(await ok(inputs(expiration - 1n)), true);
    assert.equal(await ok(inputs(expiration)), false);
    assert.equal(await ok(inputs(expiration + 1000n)), false);
    assert.throws(() => credentialQueryInputs(f.queryHolder, f.credential(expiring), f.query({ timestamp: expiration })), /expired/);
    const timeless = credentialQueryInputs(f.queryHolder, f.credential(f.issue()), f.query());
    assert.equal(await ok({ ...timeless, timestamp: String((1n << 64n) - 1n) }), true);
    assert.equal(await ok({ ...timeless, timestamp: String(1n << 64n) }), false, 'timestamps are 64-bit');
  });

  test('revoked claim refused: neither an empty path nor the nonce itself as aux leaf passes', async () => {
    const c = f.issue();
    const before = credentialQueryInputs(f.queryHolder, f.credential(c), f.query());
    assert.equal(await ok(before), true);
    f.issuer.revokeClaim(f.issuerKey, c.revocationNonce);
    const cred = f.credential(c);
    assert.equal(cred.revocationProof.existence, true);
    assert.throws(() => credentialQueryInputs(f.queryHolder, cred, f.query()), /revoked/);
    // Best forgeries at the new state: an exclusion claim over the membership proof's siblings, ending the
    // path at any level (the path's length is the prover's hint).
    const forged = swapClaim(c);
    for (let levels = 0; levels <= 14; levels++) {
      assert.equal(await ok({ ...forged, revLevels: String(levels), revAuxEmpty: '1', revAuxKey: '0', revAuxValue: '0' }), false, `empty at ${levels}`);
      assert.equal(await ok({ ...forged, revLevels: String(levels), revAuxEmpty: '0', revAuxKey: String(c.revocationNonce), revAuxValue: '0' }), false, `aux at ${levels}`);
    }
  });

  test('non-revocation past an aux leaf (a revoked nonce sharing the path) is accepted', async () => {
    const nonce = 1234n;
    const c = f.issue({}, { revocationNonce: nonce });
    const neighbour = f.issue({}, { revocationNonce: nonce + 5n ** 6n }); // same first 6 base-5 digits
    f.issuer.revokeClaim(f.issuerKey, neighbour.revocationNonce);
    const cred = f.credential(c);
    assert.equal(cred.revocationProof.existence, false);
    assert.equal(cred.revocationProof.auxLeaf?.key, neighbour.revocationNonce);
    const inputs = credentialQueryInputs(f.queryHolder, cred, f.query());
    assert.equal(inputs.revAuxEmpty, '0');
    assert.equal(await ok(inputs), true);
    // The same aux leaf cannot stand in for a nonce off its path (non-canonical digits are impossible).
    assert.equal(await ok({ ...inputs, revAuxKey: String(nonce) }), false);
  });

  test('the paths\' lengths: only the true one hashes to the root; out of range or non-integer refused', async () => {
    for (const field of ['claimLevels', 'revLevels'] as const) {
      const levels = Number(base[field]);
      for (const wrong of [levels - 1, levels + 1, 15, 2 ** 20]) {
        if (wrong >= 0) assert.equal(await ok({ ...base, [field]: String(wrong) }), false, `${field} ${wrong}`);
      }
    }
  });

  test('the holder ID is bound by the commitment: another ID or salt gives another commitment, and a claim about another ID fails', async () => {
    const other = { ...f.queryHolder, salt: f.queryHolder.salt + 1n };
    assert.notEqual(holderCommitment(other.id, other.salt), holderCommitment(f.queryHolder.id, f.queryHolder.salt));
    assert.equal(await ok({ ...base, holderId: String(f.issuer.id.bigint) }), false, 'the claim names the holder, not this ID');
    assert.throws(() => credentialQueryInputs({ ...f.queryHolder, salt: -1n }, f.credential(claim), f.query()), /holder\.salt/);
  });

  test('profiles: a claim to H(holderId, profileNonce) proves with that nonce only', async () => {
    const profiled = { ...f.queryHolder, profileNonce: 99n };
    const c = f.issue({}, { subject: poseidon([f.holder.id, 99n]) });
    const inputs = credentialQueryInputs(profiled, f.credential(c), f.query());
    assert.equal(await ok(inputs), true);
    assert.equal(await ok({ ...inputs, profileNonce: '98' }), false);
    assert.equal(await ok({ ...inputs, profileNonce: '0' }), false);
  });
});

describe('state transition circuit (witness)', () => {
  // Looked up when the tests run: by then the issuer has made many transitions.
  const genesisOf = () => f.issuer.transitions().find((t) => t.isOldStateGenesis)!;
  const laterOf = () => f.issuer.transitions().find((t) => !t.isOldStateGenesis)!;
  // The GIST as the registry would have it: empty before the issuer's first transition, then that one applied.
  const genesisInputs = (t: StateTransition) => stateTransitionInputs(t, GlobalStateTree.empty().updateWitness(parseId(t.id).bigint, t.newState));
  const laterInputs = (t: StateTransition) => {
    const gist = GlobalStateTree.fromTransitions([{ id: f.holderIdentity.id.bigint, newState: 5n }, { id: parseId(t.id).bigint, newState: t.oldState }]);
    return stateTransitionInputs(t, gist.updateWitness(parseId(t.id).bigint, t.newState));
  };

  test('genesis and later transitions from src/identity are accepted', async () => {
    const [genesis, later] = [genesisOf(), laterOf()];
    assert.equal(await witnessSatisfies(genesisInputs(genesis), st.wasm), true);
    assert.equal(await witnessSatisfies(laterInputs(later), st.wasm), true);
  });

  test('the GIST update: the new root is the tree with id -> newState, its old state bound, splits past another ID checked', async () => {
    const [genesis, later] = [genesisOf(), laterOf()];
    const g = genesisInputs(genesis);
    const l = laterInputs(later);
    const plus = (x: Signal) => String(BigInt(x as string) + 1n);
    type Signal = CircuitInputs[string];
    assert.equal(await witnessSatisfies({ ...g, gistNewRoot: plus(g.gistNewRoot) }, st.wasm), false, 'another new root');
    assert.equal(await witnessSatisfies({ ...l, gistOldRoot: plus(l.gistOldRoot) }, st.wasm), false, 'another old root');
    assert.equal(await witnessSatisfies({ ...l, isOldStateGenesis: '1' }, st.wasm), false, 'claiming absence for an ID in the GIST');
    assert.equal(await witnessSatisfies({ ...l, gistNewLevels: plus(l.gistNewLevels) }, st.wasm), false, 'the new leaf elsewhere');
    // An ID sharing its first digits with one already there: both go down to where their digits differ.
    const id = parseId(genesis.id).bigint;
    const FIVE_D = 5n ** BigInt(GIST_DEPTH);
    const twin = (id % 5n ** 3n) + FIVE_D * 3n + 5n ** 3n * ((id / 5n ** 3n + 1n) % 5n);
    const gist = GlobalStateTree.fromTransitions([{ id: twin, newState: 77n }]);
    const w = gist.updateWitness(id, genesis.newState);
    assert.ok(w.newLevels > w.proof.siblings.length, 'the path passes the twin\'s leaf');
    const split = stateTransitionInputs(genesis, w);
    assert.equal(await witnessSatisfies(split, st.wasm), true);
    for (const levels of [w.newLevels - 1, w.newLevels + 1]) {
      assert.equal(await witnessSatisfies({ ...split, gistNewLevels: String(levels) }, st.wasm), false, `split at ${levels}`);
    }
    assert.throws(() => stateTransitionInputs(genesis, { ...w, newState: w.newState + 1n }), /another transition/);
  });

  test('refused: another ID at genesis, tampered new state, a key outside the old tree, no change', async () => {
    const [genesis, later] = [genesisOf(), laterOf()];
    const g = genesisInputs(genesis);
    const holderIdValue = parseId(f.holderIdentity.id.string).bigint;
    assert.equal(await witnessSatisfies({ ...g, id: String(holderIdValue) }, st.wasm), false);
    assert.equal(await witnessSatisfies({ ...g, network: '1' }, st.wasm), false);
    assert.equal(await witnessSatisfies({ ...g, newState: String(BigInt(g.newState as string) + 1n) }, st.wasm), false);
    // Not genesis: another ID is refused by the GIST path (its leaf holds this ID's old state).
    assert.equal(await witnessSatisfies({ ...laterInputs(later), id: String(holderIdValue) }, st.wasm), false);
    const stranger = privateKeyFromSeed(new Uint8Array(32).fill(8));
    const forged: StateTransition = { ...later, signerKey: publicKey(stranger), signature: sign(stranger, poseidon([later.oldState, later.newState])) };
    assert.equal(await witnessSatisfies(laterInputs(forged), st.wasm), false);
    const same = { ...laterInputs(later) };
    assert.equal(await witnessSatisfies({ ...same, newState: same.oldState, newAuthRoot: same.oldAuthRoot, newClaimsRoot: same.oldClaimsRoot, newRevRoot: same.oldRevRoot }, st.wasm), false);
  });
});

// Both proving keys are committed (circuits/build): these run on a clean clone; the slow suite makes fresh keys.
describe('Groth16 proofs with the committed keys', () => {
  const vkey = loadVerificationKey('credentialQuery');
  const vkeys = { credentialQuery: vkey, holderAuth: loadVerificationKey('holderAuth') };
  const c = f.issue({ amount: 5000 });

  test('LESS_THAN: proof verifies; public signals parse; tampered signals or proof are refused', async () => {
    const q = f.query({ operator: 'IN_RANGE', values: [4000n, 5000n], requestId: 1n });
    const p = await proveCredentialQuery(f.queryHolder, f.credential(c), q, cq);
    assert.equal(await verifyProof(vkey, p), true);
    const s = parseCredentialQuerySignals(p.publicSignals);
    assert.equal(s.nullifier, nullifierOf(f.holder.id, q.verifierId, q.requestId));
    assert.equal(s.commitment, holderCommitment(f.queryHolder.id, f.queryHolder.salt));
    assert.equal(s.revealedValue, 0n);
    assert.equal(s.operator, Operator.IN_RANGE);
    assert.equal(s.issuerState, f.issuer.state);
    for (let i = 0; i < p.publicSignals.length; i++) {
      const signals = [...p.publicSignals];
      signals[i] = (BigInt(signals[i]) + 1n).toString();
      assert.equal(await verifyProof(vkey, { ...p, publicSignals: signals }), false, `signal ${i} tampered`);
    }
    const badProof = { ...p.proof, pi_a: [p.proof.pi_c[0], p.proof.pi_c[1], '1'] };
    assert.equal(await verifyProof(vkey, { ...p, proof: badProof }), false);
    assert.equal(await verifyProof(vkey, { ...p, publicSignals: p.publicSignals.slice(1) }), false);
  });

  test('DISCLOSE reveals the slot; request/response JSON round trip; verifier checks', async () => {
    const request = parseRequest(JSON.parse(JSON.stringify(requestToJson(
      { ...f.query({ operator: 'DISCLOSE', slotIndex: 5, requestId: 2n }), issuers: [parseId(f.issuer.id.string).bigint] },
      [f.issuer.id.did],
    ))));
    const p = await proveAnswer(f.holder, f.credential(c), request, { credentialQuery: cq, holderAuth: ha });
    const response = JSON.parse(JSON.stringify(responseToJson(request.requestId, p)));
    const seen = new Set<bigint>();
    const gistRootValid = (root: bigint) => root === f.gist.root;
    const options = { issuerStateValid: (_: bigint, state: bigint) => state === f.issuer.state, gistRootValid, nullifierSeen: (n: bigint) => seen.has(n) };
    const result = await verifyResponse(request, response, vkeys, options);
    assert.ok(result.ok, !result.ok ? result.reason : '');
    assert.equal(result.signals.revealedValue, 5000n);
    seen.add(result.signals.nullifier);
    assert.deepEqual(await verifyResponse(request, response, vkeys, options), { ok: false, code: 'NULLIFIER_USED', reason: 'nullifier already used' });
    const refusal = async (r: typeof request, o: Parameters<typeof verifyResponse>[3], res = response) => {
      const v = await verifyResponse(r, res, vkeys, o);
      return v.ok ? 'OK' : v.code;
    };
    const fresh = { issuerStateValid: () => true, gistRootValid };
    assert.equal(await refusal({ ...request, requestId: 3n }, options), 'WRONG_REQUEST_ID');
    assert.equal(await refusal(request, { ...fresh, issuerStateValid: () => false }), 'ISSUER_STATE_INVALID');
    assert.equal(await refusal(request, { ...fresh, gistRootValid: () => false }), 'GIST_ROOT_INVALID', 'a stale GIST root');
    assert.equal(await refusal({ ...request, issuers: [1n] }, options), 'ISSUER_NOT_TRUSTED');
    assert.equal(await refusal(request, fresh), 'OK', 'without a nullifier memory the same answer passes again');
    // Mismatched commitments: an auth proof of another answer (another salt) with this query.
    const other = await proveAnswer(f.holder, f.credential(c), request, { credentialQuery: cq, holderAuth: ha });
    assert.equal(await refusal(request, fresh, { ...response, auth: other.auth }), 'AUTH_MISMATCH');
    const tamperedAuth = { ...response.auth, publicSignals: [response.auth.publicSignals[0], response.auth.publicSignals[1], '1'] };
    assert.equal(await refusal(request, fresh, { ...response, auth: tamperedAuth }), 'AUTH_MISMATCH', 'another challenge');
    // A prepared auth proof is checked before the query is proven: another challenge, or another salt, is refused.
    const arts = { credentialQuery: cq, holderAuth: ha };
    await assert.rejects(() => proveAnswer(f.holder, f.credential(c), { ...request, challenge: request.challenge + 1n }, arts, { auth: other.auth, salt: 1n }), /another challenge/);
    await assert.rejects(() => proveAnswer(f.holder, f.credential(c), request, arts, { auth: other.auth, salt: 1n }), /with this salt/);
    const forgedAuth = { ...response.auth, proof: other.auth.proof };
    assert.equal(await refusal(request, fresh, { ...response, auth: forgedAuth }), 'INVALID_AUTH_PROOF');
    assert.equal(await refusal(request, fresh, { ...response, auth: undefined }), 'BAD_RESPONSE');
  });

  test('a false statement does not prove (UNSATISFIED), even bypassing the TypeScript pre-checks', async () => {
    const inputs = { ...credentialQueryInputs(f.queryHolder, f.credential(c), f.query()), operator: String(Operator.LESS_THAN), values: Array(16).fill('5000') };
    await assert.rejects(() => import('./prover.js').then((m) => m.proveInputs(inputs, cq)), (e: unknown) => e instanceof ZkError && e.code === 'UNSATISFIED');
  });

});

describe('Groth16 state transition proofs with the committed keys', () => {
  test('state transition: proof verifies, parses; tampered signals refused', async () => {
    const stKey = loadVerificationKey('stateTransition');
    const t = f.issuer.transitions()[0];
    const w = GlobalStateTree.empty().updateWitness(parseId(t.id).bigint, t.newState);
    const p = await proveStateTransition(t, w, st);
    assert.equal(await verifyProof(stKey, p), true);
    assert.deepEqual(parseStateTransitionSignals(p.publicSignals), {
      id: parseId(t.id).bigint, oldState: t.oldState, newState: t.newState, isOldStateGenesis: true, gistOldRoot: 0n, gistNewRoot: w.newRoot,
    });
    for (let i = 0; i < 6; i++) {
      const signals = [...p.publicSignals];
      signals[i] = i === 3 ? '0' : (BigInt(signals[i]) + 1n).toString();
      assert.equal(await verifyProof(stKey, { ...p, publicSignals: signals }), false);
    }
  });
});

test('genesisHolder rebuilds the genesis authentication tree', () => {
  const tree = SparseMerkleTree.open(new MemoryStore(), { maxDepth: 4 });
  assert.equal(tree.root, 0n);
  const gist = GlobalStateTree.empty().prove(f.holderIdentity.id.bigint);
  const h = genesisHolder({ keys: f.holderIdentity.keys.map((k) => k.key), network: 1, keySlot: 0, authKey: f.holderKey, gist });
  assert.equal(h.roots.auth, f.holderIdentity.roots.auth);
  assert.equal(h.id, f.holderIdentity.id.bigint);
  assert.throws(() => genesisHolder({ keys: f.holderIdentity.keys.map((k) => k.key), network: 1, keySlot: 0, authKey: f.holderKey, gist: GlobalStateTree.empty().prove(5n) }), /another ID/);
});

test('ZkVerifier.createRequest: a fresh challenge and request id each time; a malformed request is refused before any holder sees it', () => {
  const registry = {
    latestState: () => assert.fail('createRequest reads no state'),
    isStateValid: () => assert.fail('createRequest reads no state'),
    isGistRootValid: () => assert.fail('createRequest reads no state'),
  };
  const vkeys = { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') };
  const verifier = new ZkVerifier({ verifierId: 7n, verificationKeys: vkeys, registry, now: () => 1_800_000_000 });
  const params = { issuers: [makeFixture().issuer.id.string], schema: TEST_SCHEMA.hash, slotIndex: 5, operator: 'GREATER_THAN' as const, values: [10n] };
  const a = verifier.createRequest(params);
  const b = verifier.createRequest(params);
  assert.notEqual(a.challenge, b.challenge);
  assert.notEqual(a.requestId, b.requestId);
  assert.ok(BigInt(a.challenge) < 1n << 248n);
  assert.equal(a.timestamp, '1800000000');
  assert.equal(a.verifierId, '7');
  assert.equal(verifier.createRequest({ ...params, requestId: 9n }).requestId, '9');
  const refused = (overrides: object, field: RegExp) =>
    assert.throws(() => verifier.createRequest({ ...params, ...overrides }), (e: unknown) => e instanceof ZkError && e.code === 'BAD_INPUT' && field.test(e.message));
  refused({ issuers: ['not-an-id'] }, /^issuers\[0\]/);
  refused({ slotIndex: 4 }, /^slotIndex/);
  refused({ operator: 'IN_RANGE', values: [1n] }, /values/);
  refused({ operator: 'SOMETIMES' }, /^operator/);
});
