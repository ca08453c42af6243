/**
 * Zero-knowledge circuits: constraint counts, artifact sizes, witness / proving / verification times
 * (medians), the on-chain gas of each exported Groth16 verifier, beside iden3's circuits for the same jobs.
 * Uses the committed artifacts in circuits/build and the compiled verifiers in src/chain/artifacts.
 */
import { readFileSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as snarkjs from 'snarkjs';
import { createPublicClient, createWalletClient, encodeFunctionData, http, type Abi, type Hex, type PublicClient, type WalletClient } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import type { BenchModule } from './types.js';
import { fmt, median, table } from './stats.js';
import {
  credentialQueryInputs, holderAuthInputs, stateTransitionInputs, releaseProverResources, verifyProof, proveInputs, witnessSatisfies, GlobalStateTree,
  parseRequest, proveAnswer, proveStateTransition, responseToJson, type CircuitInputs, type ProofWithSignals,
} from '../src/zk/index.js';
import { Groth16Prover } from '../src/zk/groth16/prover.js';
import { wtnsValues } from '../src/zk/groth16/zkey.js';
import { browserProvingTimes } from './zk-browser.js';
import { iden3VerifierGas, wellFormedProof } from './zk-iden3.js';
import { startAnvil } from '../src/chain/anvil.js';
import { createRequest, deployZkContracts, holderRequest, publishState, submitResponse } from '../src/chain/zk.js';
import { identityStateRegistry } from '../src/chain/identity-state.js';
import {
  credentialQueryVerifierAbi, credentialQueryVerifierBytecode, holderAuthVerifierAbi, holderAuthVerifierBytecode, stateTransitionVerifierAbi,
  stateTransitionVerifierBytecode,
} from '../src/chain/artifacts/index.js';
import { artifactPaths, loadVerificationKey, CIRCUITS_BUILD_DIR, type CircuitName } from '../src/zk/node.js';
import { makeFixture, TEST_SCHEMA } from '../src/zk/test-fixtures.js';

/** iden3 circuits (v1.0 release) for the same jobs; proving time measured on this 2-core machine with snarkjs. */
const IDEN3 = [
  ['credentialAtomicQueryMTPV2OnChain', '96,930', 'query + auth + GIST, on-chain variant'],
  ['credentialAtomicQueryMTPV2', '41,350', 'query (off-chain variant); 3.9-4.2 s proving here'],
  ['authV2', '52,070', 'holder ownership (auth + GIST)'],
  ['stateTransition', '45,259', 'state transition'],
] as const;

interface Manifest {
  circuits: Record<CircuitName, { constraints: number; wires: number; publicSignals: number }>;
}

async function time<T>(f: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const r = await f();
  return [r, performance.now() - start];
}

async function cpuTime<T>(f: () => Promise<T>): Promise<[T, number, number]> {
  const cpu0 = process.cpuUsage();
  const [r, t] = await time(f);
  const cpu = process.cpuUsage(cpu0);
  return [r, t, (cpu.user + cpu.system) / 1000];
}

/**
 * Per run, on the same witness and key bytes: Masque's prover and snarkjs's groth16.prove one after the other
 * (the peer in the same conditions), then witness + proof through proveInputs as a wallet runs it.
 */
async function measure(name: CircuitName, inputs: CircuitInputs, runs: number) {
  const a = artifactPaths(name);
  const vkey = loadVerificationKey(name);
  const zkeyBytes = new Uint8Array(readFileSync(a.zkey as string));
  const wasmBytes = new Uint8Array(readFileSync(a.wasm as string));
  const prover = new Groth16Prover(zkeyBytes);
  const r = { witness: [] as number[], proving: [] as number[], provingCpu: [] as number[], snarkjs: [] as number[], snarkjsCpu: [] as number[], full: [] as number[], verifying: [] as number[] };
  // One untimed round: compiles the wasm, loads the key into the workers, warms the JIT, fills the caches.
  await proveInputs(inputs, a);
  let proof: ProofWithSignals | undefined;
  for (let i = -1; i < runs; i++) {
    const wtns = { type: 'mem' } as { type: 'mem'; data?: Uint8Array };
    await snarkjs.wtns.calculate(inputs, wasmBytes, wtns);
    const [ours, t, cpu] = await cpuTime(() => prover.prove(wtnsValues(wtns.data!)));
    const [theirs, ts, cpus] = await cpuTime(() => snarkjs.groth16.prove({ type: 'mem', data: zkeyBytes } as never, wtns) as Promise<ProofWithSignals>);
    const [, w] = await time(() => witnessSatisfies(inputs, a.wasm));
    const [whole, tf] = await time(() => proveInputs(inputs, a));
    for (const p of [ours as ProofWithSignals, theirs, whole]) if (!(await verifyProof(vkey, p))) throw new Error(`${name}: proof did not verify`);
    const [, v] = await time(() => verifyProof(vkey, ours as ProofWithSignals));
    if (i < 0) continue; // snarkjs's first proof warms its curve
    r.proving.push(t); r.provingCpu.push(cpu); r.snarkjs.push(ts); r.snarkjsCpu.push(cpus);
    r.witness.push(w); r.full.push(tf); r.verifying.push(v);
    proof = ours as ProofWithSignals;
  }
  return {
    proof: proof!,
    witness: median(r.witness),
    proving: median(r.proving),
    provingCpu: median(r.provingCpu),
    snarkjs: median(r.snarkjs),
    snarkjsCpu: median(r.snarkjsCpu),
    full: median(r.full),
    verifying: median(r.verifying),
    zkeyMB: statSync(a.zkey as string).size / 2 ** 20,
    wasmMB: statSync(a.wasm as string).size / 2 ** 20,
  };
}

/**
 * The whole answer as a holder makes it (src/zk proveAnswer): the holder-auth proof and the credential query proof,
 * witness + proof each through proveInputs, one after the other and both started at once (the prover runs one
 * proof at a time over its workers, so "at once" overlaps one proof's witness with the other's multiplications).
 */
async function measureAnswer(queryInputs: CircuitInputs, authInputs: CircuitInputs, runs: number) {
  const q = artifactPaths('credentialQuery');
  const h = artifactPaths('holderAuth');
  await Promise.all([proveInputs(authInputs, h), proveInputs(queryInputs, q)]);
  const sequential: number[] = [];
  const parallel: number[] = [];
  for (let i = 0; i < runs; i++) {
    const [, seq] = await time(async () => [await proveInputs(authInputs, h), await proveInputs(queryInputs, q)]);
    const [both, par] = await time(() => Promise.all([proveInputs(authInputs, h), proveInputs(queryInputs, q)]));
    if (!(await verifyProof(loadVerificationKey('holderAuth'), both[0])) || !(await verifyProof(loadVerificationKey('credentialQuery'), both[1]))) {
      throw new Error('answer: a proof did not verify');
    }
    sequential.push(seq);
    parallel.push(par);
  }
  return { sequential: median(sequential), parallel: median(parallel) };
}

// anvil's first default account (public test key).
const DEV_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const VERIFIERS: Record<CircuitName, { contract: string; abi: Abi; bytecode: Hex }> = {
  credentialQuery: { contract: 'CredentialQueryVerifier', abi: credentialQueryVerifierAbi as Abi, bytecode: credentialQueryVerifierBytecode as Hex },
  holderAuth: { contract: 'HolderAuthVerifier', abi: holderAuthVerifierAbi as Abi, bytecode: holderAuthVerifierBytecode as Hex },
  stateTransition: { contract: 'StateTransitionVerifier', abi: stateTransitionVerifierAbi as Abi, bytecode: stateTransitionVerifierBytecode as Hex },
};

/**
 * The contracts' whole calls with real proofs, on a fresh fixture: IdentityStateRegistry.transitState (the issuer's
 * first transition, its GIST update proven: rules, Groth16 check, history and GIST root writes) and
 * ZkQueryVerifier.submitResponse (request checks, issuer state and GIST root lookups, nullifier, the query and
 * holder-auth Groth16 checks), challenge = the submitting wallet.
 */
async function contractGas(wallet: WalletClient, reader: PublicClient): Promise<{ transitState: bigint; submitResponse: bigint }> {
  const w = wallet as never;
  const zk = await deployZkContracts(w, reader);
  const registry = identityStateRegistry({ reader, wallet: w, address: zk.identityStateRegistry });
  const f = makeFixture();
  const credential = f.credential(f.issue());
  const t = f.issuer.transitions()[0]!;
  const st = await proveStateTransition(t, await registry.gistUpdateWitness(f.issuer.id.bigint, t.newState), artifactPaths('stateTransition'));
  const published = await publishState(w, reader, zk.identityStateRegistry, st);
  const onchain = await createRequest(w, reader, zk.zkQueryVerifier, {
    schema: TEST_SCHEMA.hash.toString(), slotIndex: 5, operator: 'GREATER_OR_EQUAL', values: ['500'], issuers: [f.issuer.id.string],
  }, { issuerStateMaxAge: 3600n, maxProofAge: 86_400n });
  const timestamp = (await reader.getBlock()).timestamp - 60n;
  const request = parseRequest(holderRequest(onchain, { wallet: wallet.account!.address, timestamp }));
  const answer = await proveAnswer(f.holderAt(await registry.gistProof(f.holder.id)), credential, request, {
    credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth'),
  });
  const submitted = await submitResponse(w, reader, zk.zkQueryVerifier, responseToJson(onchain.requestId, answer));
  return { transitState: published.receipt.gasUsed, submitResponse: submitted.receipt.gasUsed };
}

/**
 * Gas of verifyProof(proof, signals) on each deployed raw verifier: the gasUsed of a transaction calling it with a
 * real proof (21,000 base + calldata + execution), checked to return true at that gas. Not eth_estimateGas: the
 * snarkjs verifier does not revert when a precompile call runs out of gas, it returns false, so the estimator's
 * "lowest gas that does not revert" is the cost of a failed verification (a fraction of the real one).
 */
export async function verifierGas(proofs: Record<CircuitName, ProofWithSignals>): Promise<{
  ours: Record<CircuitName, { gas: bigint; falseProofGas: bigint; estimate: bigint; calldataGas: bigint }>;
  iden3: Awaited<ReturnType<typeof iden3VerifierGas>>;
  calls: Awaited<ReturnType<typeof contractGas>>;
}> {
  const anvil = await startAnvil();
  try {
    const account = privateKeyToAccount(DEV_KEY);
    const chain = { ...foundry, id: anvil.chainId };
    const transport = http(anvil.rpcUrl);
    const wallet = createWalletClient({ account, chain, transport });
    const reader = createPublicClient({ chain, transport });
    const out = {} as Record<CircuitName, { gas: bigint; falseProofGas: bigint; estimate: bigint; calldataGas: bigint }>;
    for (const name of Object.keys(proofs) as CircuitName[]) {
      const v = VERIFIERS[name];
      const deployed = await wallet.deployContract({ abi: v.abi, bytecode: v.bytecode, account });
      const address = (await reader.waitForTransactionReceipt({ hash: deployed })).contractAddress!;
      const args = JSON.parse(`[${await snarkjs.groth16.exportSolidityCallData(proofs[name].proof, proofs[name].publicSignals)}]`) as unknown[];
      const data = encodeFunctionData({ abi: v.abi, functionName: 'verifyProof', args });
      const returnsTrue = async (gas?: bigint) => {
        const r = await reader.call({ account, to: address, data, gas });
        return r.data !== undefined && BigInt(r.data) === 1n;
      };
      if (!(await returnsTrue())) throw new Error(`${v.contract} refused a valid proof`);
      const hash = await wallet.sendTransaction({ account, to: address, data, gas: 3_000_000n });
      const gas = (await reader.waitForTransactionReceipt({ hash })).gasUsed;
      if (!(await returnsTrue(gas + gas / 50n))) throw new Error(`${v.contract}: does not verify with ${gas} gas`);
      const estimate = await reader.estimateGas({ account, to: address, data });
      // EIP-2028: 4 gas per zero calldata byte, 16 per other byte.
      const calldataGas = Buffer.from(data.slice(2), 'hex').reduce((acc, b) => acc + (b === 0 ? 4n : 16n), 0n);
      // The same verifier on a well-formed false proof, as iden3's are measured below: same work, false returned.
      const f = wellFormedProof(proofs[name].publicSignals.length);
      const falseData = encodeFunctionData({ abi: v.abi, functionName: 'verifyProof', args: [f.a, f.b, f.c, f.input] });
      const falseHash = await wallet.sendTransaction({ account, to: address, data: falseData, gas: 3_000_000n });
      const falseCalldata = Buffer.from(falseData.slice(2), 'hex').reduce((acc, b) => acc + (b === 0 ? 4n : 16n), 0n);
      const falseProofGas = (await reader.waitForTransactionReceipt({ hash: falseHash })).gasUsed - falseCalldata + calldataGas;
      out[name] = { gas, falseProofGas, estimate, calldataGas };
    }
    const iden3 = await iden3VerifierGas(wallet, reader as never, account.address);
    const calls = await contractGas(wallet, reader as never);
    return { ours: out, iden3, calls };
  } finally {
    await anvil.stop();
  }
}

export const run: BenchModule = async ({ large }) => {
  const runs = large ? 10 : 5;
  const loadBefore = loadavg()[0];
  const manifest = JSON.parse(readFileSync(join(CIRCUITS_BUILD_DIR, 'manifest.json'), 'utf8')) as Manifest;
  const f = makeFixture();
  const claim = f.issue();
  const query = f.query({ operator: 'IN_RANGE', values: [1n, 5000n] });
  const queryInputs = credentialQueryInputs(f.queryHolder, f.credential(claim), query);
  const authInputs = holderAuthInputs(f.holder, { challenge: query.challenge, salt: f.queryHolder.salt });
  // The issuer's latest transition with the GIST update it makes (the issuer and 500 other identities in the GIST).
  const t = f.issuer.transitions().at(-1)!;
  const gist = GlobalStateTree.fromTransitions(Array.from({ length: 500 }, (_, i) => ({ id: BigInt(i + 1) * 7919n ** 9n % (1n << 247n), newState: BigInt(i + 1) })));
  if (!t.isOldStateGenesis) gist.applyTransition(f.issuer.id.bigint, t.oldState);
  const stInputs = stateTransitionInputs(t, gist.updateWitness(f.issuer.id.bigint, t.newState));
  const results = {
    credentialQuery: await measure('credentialQuery', queryInputs, runs),
    holderAuth: await measure('holderAuth', authInputs, runs),
    stateTransition: await measure('stateTransition', stInputs, runs),
  };
  const answer = await measureAnswer(queryInputs, authInputs, runs);
  await releaseProverResources();
  const loadMiddle = loadavg()[0];
  const browser = await browserProvingTimes(queryInputs, runs, authInputs);
  const loadAfter = loadavg()[0];
  const { ours: gas, iden3, calls } = await verifierGas({
    credentialQuery: results.credentialQuery.proof, holderAuth: results.holderAuth.proof, stateTransition: results.stateTransition.proof,
  });

  const q = results.credentialQuery;
  const rows = (Object.keys(results) as CircuitName[]).map((name) => {
    const r = results[name];
    const m = manifest.circuits[name];
    return [name, fmt(m.constraints), fmt(m.wires), fmt(m.publicSignals), `${fmt(r.zkeyMB, 1)} MB`, `${fmt(r.wasmMB, 1)} MB`,
      `${fmt(r.witness)} ms`, `**${fmt(r.proving)} ms**`, `${fmt(r.provingCpu)} ms`, `${fmt(r.snarkjs)} ms`, `${fmt(r.snarkjsCpu)} ms`,
      `${(r.proving / r.snarkjs).toFixed(2)}`, `${fmt(r.full)} ms`, `${fmt(r.verifying)} ms`];
  });
  const browserRows = browser
    ? [['credentialQuery', `${fmt(median(browser.witness))} ms`, `**${fmt(median(browser.prove))} ms**`, `${fmt(median(browser.snarkjsProve))} ms`,
      `${(median(browser.prove) / median(browser.snarkjsProve)).toFixed(2)}`, `${fmt(median(browser.full))} ms`]]
    : [];
  const gasRows = (Object.keys(gas) as CircuitName[]).map((name) => [
    `Masque ${VERIFIERS[name].contract}`, name, fmt(manifest.circuits[name].publicSignals), fmt(Number(gas[name].gas)),
    fmt(Number(gas[name].falseProofGas)), fmt(Number(gas[name].gas - 21000n - gas[name].calldataGas)),
  ]);
  const iden3Rows = iden3.rows.map((r) => [`iden3 ${r.contract}`, r.circuit, fmt(r.signals), '', fmt(r.gas), fmt(r.gas - 21000 - r.calldataGas)]);
  const answerRows = [
    ['node', `${fmt(results.holderAuth.full)} ms`, `${fmt(q.full)} ms`, `${fmt(answer.sequential)} ms`, `${fmt(answer.parallel)} ms`],
    ...(browser?.answerSequential ? [['Chromium', `${fmt(median(browser.authFull!))} ms`, `${fmt(median(browser.full))} ms`,
      `${fmt(median(browser.answerSequential))} ms`, `${fmt(median(browser.answerParallel!))} ms`]] : []),
  ];
  const exec = (name: CircuitName) => Number(gas[name].gas - 21000n - gas[name].calldataGas);
  const iden3Exec = (contract: string) => {
    const r = iden3.rows.find((x) => x.contract === contract)!;
    return r.gas - 21000 - r.calldataGas;
  };
  const answerGasRows = [
    ['Masque (credentialQuery + holderAuth)', '2', fmt(exec('credentialQuery') + exec('holderAuth'))],
    ['iden3 credentialAtomicQueryV3OnChain + authV2', '2', fmt(iden3Exec('Groth16VerifierV3Wrapper') + iden3Exec('Groth16VerifierAuthV2Wrapper'))],
    ['iden3 credentialAtomicQueryMTPV2OnChain (auth and GIST inside)', '1', fmt(iden3Exec('Groth16VerifierMTPWrapper'))],
  ];
  const proveMet = q.proving < 1000;
  const browserMet = browser ? median(browser.prove) < 2500 : false;
  const markdown = [
    `Groth16, BN254. Medians of ${runs} runs after one warm-up; load average (1 min) ${loadBefore.toFixed(2)} before the node timings, `
      + `${loadMiddle.toFixed(2)} after them, ${loadAfter.toFixed(2)} after the browser's (2 shared cores: other jobs run alongside; `
      + 'the ratio to snarkjs, measured on the same witness in the same runs, is the figure to read).',
    '',
    '"prove" is Masque\'s prover (src/zk/groth16: WebAssembly on one worker thread per core) given the witness, with the',
    'proving key already loaded; "snarkjs" is snarkjs 0.7 groth16.prove on the same witness and key bytes, right after it;',
    '"CPU" is the process\'s CPU time over all threads during that proof; "full" is witness + proof through proveInputs,',
    'as a wallet runs it. Every proof made here is checked with snarkjs\'s verifier.',
    '',
    '## Node',
    '',
    table(['circuit', 'constraints', 'wires', 'public signals', 'zkey', 'wasm', 'witness', 'prove', 'prove CPU', 'snarkjs prove', 'snarkjs CPU', 'prove / snarkjs', 'full', 'verify'], rows),
    '',
    `Goal: the credential query proof under 1 s in node: **${proveMet ? 'met' : 'NOT met'}** in this run (${fmt(q.proving)} ms; `
      + `${(q.proving / q.snarkjs).toFixed(2)}x snarkjs's time and ${(q.provingCpu / q.snarkjsCpu).toFixed(2)}x its CPU). iden3's `
      + `credentialAtomicQueryMTPV2 takes 3.9-4.2 s with snarkjs on this machine (the issue's figure; its 25-60 MB keys cannot be fetched here): `
      + `${(q.proving / 4200).toFixed(2)}-${(q.proving / 3900).toFixed(2)}x of that; the whole answer (holder ownership included, `
      + `both proofs in sequence) takes ${fmt(answer.sequential)} ms.`,
    '',
    '## The whole answer: holder-auth + credential query',
    '',
    'A response is two proofs (src/zk/README.md): holder-auth (a key of the holder\'s latest state, through the GIST) and the',
    'credential query, bound by one commitment H(holderId, salt) and one challenge. Witness + proof each, through',
    'proveInputs; "in sequence" is what proveAnswer does, "at once" starts both together (the prover runs one proof at a',
    'time over its workers: what overlaps is one proof\'s witness and the other\'s multiplications).',
    '',
    table(['where', 'holder-auth (full)', 'credential query (full)', 'answer, in sequence', 'answer, at once'], answerRows),
    '',
    `At once vs in sequence: ${(answer.parallel / answer.sequential).toFixed(2)}x in node`
      + (browser?.answerSequential ? `, ${(median(browser.answerParallel!) / median(browser.answerSequential)).toFixed(2)}x in Chromium` : '')
      + ': the prover runs one proof at a time and its workers already hold both cores, so starting both together can only '
      + 'overlap a witness (0.1-0.3 s) and adds contention; proveAnswer proves in sequence (one witness in memory at a time).',
    '',
    'Off chain the verifier\'s challenge is fresh per request and both proofs bind it, so the holder-auth proof cannot be',
    'made before the request arrives: the whole answer is what a holder waits for. On chain (challenge = the submitting',
    'wallet, known in advance) it can be prepared (proveAnswer\'s `prepared`), leaving the query alone on the critical path.',
    '',
    '## Headless Chromium',
    '',
    browser
      ? [`Chromium ${browser.version} (Debian), headless, ${browser.threads} hardware threads, driven by playwright-core; the page is`,
        'bench/zk-browser-page.ts bundled by esbuild, served from 127.0.0.1 with the committed artifacts. Same measurements as',
        'in node: Masque\'s prover (Web Workers) and snarkjs\'s on the same witness, then witness + proof through proveInputs.',
        '',
        table(['circuit', 'witness', 'prove', 'snarkjs prove', 'prove / snarkjs', 'full'], browserRows),
        '',
        `Goal: under 2.5 s in headless Chromium: **${browserMet ? 'met' : 'NOT met'}** in this run (${fmt(median(browser.prove))} ms).`].join('\n')
      : 'Not measured: no Chromium at /usr/bin/chromium (`apt-get install -y chromium`; CHROMIUM_PATH to use another).',
    '',
    '## On-chain verification gas, beside Privado ID\'s verifiers',
    '',
    'Masque\'s raw Groth16 verifiers (contracts/zk/verifiers, compiled by npm run build:contracts) and Privado ID\'s from the',
    `npm package @iden3/contracts (lib/groth16-verifiers, the wrappers its request validators call; compiled here with solc ${iden3.solc.split('+')[0]}`,
    'after relaxing their exact `pragma solidity 0.8.27`), deployed on the same anvil. "gas" is the gasUsed of a transaction',
    'verifying a real proof; "false proof" verifies a well-formed false proof (random curve points, signals below r): iden3\'s',
    'proving keys are not in the package, so no real proof for their circuits can be made offline, and a snarkjs-generated',
    'verifier does exactly the same work for a false proof (every signal\'s ecMul + ecAdd, the 4-pair pairing check, priced by',
    'pairs, not by outcome) before returning false: Masque\'s rows show both figures agree up to calldata (zero bytes).',
    '"execution" subtracts the 21,000 base and the calldata.',
    '',
    table(['verifier', 'circuit', 'public signals', 'gas (real proof)', 'gas (false proof)', 'execution'], [...gasRows, ...iden3Rows]),
    '',
    'Per answer, the Groth16 checks a verifier contract makes (execution gas, summed):',
    '',
    table(['answer', 'proofs', 'execution'], answerGasRows),
    '',
    'The contracts\' whole calls, with real proofs on the same anvil (base and calldata included): '
      + `IdentityStateRegistry.transitState **${fmt(Number(calls.transitState))}** (a first transition: its GIST update proven, the root and `
      + `history written), ZkQueryVerifier.submitResponse **${fmt(Number(calls.submitResponse))}** (both proofs, issuer state and GIST root `
      + 'lookups, request match, nullifier spent).',
    '',
    'What is compared: the Groth16 check alone. Its cost is 45,000 + 4 x 34,000 for the pairing plus about 6,150 per public',
    'signal (EIP-1108 ecMul + ecAdd) and calldata, so it follows the public signals, not the circuit: Masque\'s query has 28',
    '(16 query values in the clear, so any verifier reads the request from the signals), iden3\'s on-chain V2 queries 11 and',
    'V3 14 (their values enter as one hash, circuitQueryHash, which their validator recomputes from the stored request).',
    'A Masque answer is checked with two Groth16 verifications (query + holder-auth, 3 signals), iden3\'s on-chain query',
    'with one (its circuit carries auth and GIST itself): the second pairing check is the price of keeping each circuit small.',
    'Around the Groth16 check, iden3\'s on-chain flow adds its validator (request parsing, GIST root and issuer state',
    'lookups in the State contract, the query hash) and the UniversalVerifier\'s bookkeeping, which need a deployed State',
    'with real identity states and are not measured here; Masque\'s ZkQueryVerifier adds its own checks (issuer state in',
    'IdentityStateRegistry, GIST root, request match, nullifier): the whole submitResponse is measured above.',
    '',
    'iden3 circuits for the same jobs (constraints as published; iden3 zkeys are 25-60 MB):',
    '',
    table(['iden3 circuit', 'constraints', 'note'], IDEN3.map((r) => [...r])),
    '',
    `credentialQuery vs credentialAtomicQueryMTPV2: ${(manifest.circuits.credentialQuery.constraints / 41350).toFixed(2)}x the constraints; `
      + `holderAuth vs authV2: ${(manifest.circuits.holderAuth.constraints / 52070).toFixed(2)}x; both together vs the on-chain variant (query + auth + GIST in one): `
      + `${((manifest.circuits.credentialQuery.constraints + manifest.circuits.holderAuth.constraints) / 96930).toFixed(2)}x. `
      + `stateTransition: ${(manifest.circuits.stateTransition.constraints / 45259).toFixed(2)}x iden3's.`,
  ].join('\n');
  return { name: 'zk', title: 'Zero-knowledge circuits (Groth16)', markdown };
};
