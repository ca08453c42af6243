/**
 * Privado ID's (iden3) deployed Groth16 verifiers from the npm package @iden3/contracts, compiled here with the
 * project's solc and deployed on the same anvil as Masque's: the gas of a verification through the wrapper their
 * request validators call (`verify(a, b, c, uint256[] signals)`).
 *
 * No proof for iden3's circuits can be made offline (their proving keys are not in the package), so the proof is
 * well-formed but false: points on the curves (random multiples of the generators) and public signals below r. A
 * snarkjs-generated verifier does the same work for a false proof as for a true one: every public signal's ecMul
 * and ecAdd, and the 4-pair pairing check, whose precompile price depends on the number of pairs, not on the
 * result; it then returns false instead of true. bench/zk.ts checks that on Masque's own verifier (a false proof
 * costs what a real one does).
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bn254 } from '@noble/curves/bn254.js';
import { decodeFunctionResult, encodeFunctionData, type Abi, type Address, type Hex, type PublicClient, type WalletClient } from 'viem';

const require = createRequire(import.meta.url);
const R = bn254.fields.Fr.ORDER;

/** The iden3 verifiers compared, with the circuits they verify (their public signal counts are read from the sources). */
export const IDEN3_VERIFIERS = [
  { contract: 'Groth16VerifierMTPWrapper', circuit: 'credentialAtomicQueryMTPV2OnChain' },
  { contract: 'Groth16VerifierSigWrapper', circuit: 'credentialAtomicQuerySigV2OnChain' },
  { contract: 'Groth16VerifierV3Wrapper', circuit: 'credentialAtomicQueryV3OnChain' },
  // The holder-ownership proof iden3's newer flow sends beside a query (UniversalVerifier's auth: userID, challenge, gistRoot).
  { contract: 'Groth16VerifierAuthV2Wrapper', circuit: 'authV2' },
  { contract: 'Groth16VerifierStateTransition', circuit: 'stateTransition' },
] as const;

type Compiled = Record<string, { abi: Abi; bytecode: Hex; signals: number }>;

/** Compiles the verifiers (their exact `pragma solidity 0.8.27` relaxed to ^0.8.27 for the project's solc). */
export function compileIden3Verifiers(): { compiled: Compiled; version: string } {
  const pkg = dirname(require.resolve('@iden3/contracts/package.json'));
  const read = (path: string) => readFileSync(join(pkg, path), 'utf8').replace(/pragma solidity 0\.8\.27;/g, 'pragma solidity ^0.8.27;');
  const sources: Record<string, { content: string }> = {};
  for (const v of IDEN3_VERIFIERS) {
    const file = `lib/groth16-verifiers/${v.contract}.sol`;
    sources[file] = { content: read(file) };
  }
  const solc = require('solc') as { compile(input: string, options?: unknown): string; version(): string };
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity',
    sources,
    settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: 'cancun', outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  }), { import: (path: string) => ({ contents: read(path.replace(/^.*?(lib|interfaces)\//, '$1/')) }) })) as {
    contracts?: Record<string, Record<string, { abi: Abi; evm: { bytecode: { object: string } } }>>;
    errors?: { severity: string; formattedMessage: string }[];
  };
  const errors = (out.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length) throw new Error(`@iden3/contracts verifiers: ${errors.map((e) => e.formattedMessage).join('\n')}`);
  const compiled: Compiled = {};
  for (const v of IDEN3_VERIFIERS) {
    const c = out.contracts![`lib/groth16-verifiers/${v.contract}.sol`]![v.contract]!;
    // The wrapper's PUBSIGNALS_LENGTH, or verifyProof's fixed-size signal array.
    const verifyProof = c.abi.find((x) => x.type === 'function' && x.name === 'verifyProof') as unknown as { inputs: { type: string }[] };
    const signals = Number(/\[(\d+)\]$/.exec(verifyProof.inputs[3]!.type)![1]);
    compiled[v.contract] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}`, signals };
  }
  return { compiled, version: solc.version() };
}

let seed = 987654321n;
function scalar(): bigint {
  seed = (seed * 6364136223846793005n + 1442695040888963407n) % (1n << 256n);
  return (seed % (R - 1n)) + 1n;
}

/** A false but well-formed proof in snarkjs's Solidity calldata layout (b's coordinates as [c1, c0]). */
export function wellFormedProof(signals: number): { a: [bigint, bigint]; b: [[bigint, bigint], [bigint, bigint]]; c: [bigint, bigint]; input: bigint[] } {
  const a = bn254.G1.Point.BASE.multiply(scalar()).toAffine();
  const b = bn254.G2.Point.BASE.multiply(scalar()).toAffine();
  const c = bn254.G1.Point.BASE.multiply(scalar()).toAffine();
  return {
    a: [a.x, a.y],
    b: [[b.x.c1, b.x.c0], [b.y.c1, b.y.c0]],
    c: [c.x, c.y],
    input: Array.from({ length: signals }, () => scalar()),
  };
}

export interface Iden3Gas {
  contract: string;
  circuit: string;
  signals: number;
  /** gasUsed of a transaction calling the wrapper's verify(a, b, c, signals). */
  gas: number;
  calldataGas: number;
}

const calldataGas = (data: Hex) => Buffer.from(data.slice(2), 'hex').reduce((acc, x) => acc + (x === 0 ? 4 : 16), 0);

/** Deploys each verifier and sends one verification; checks it returns false (the proof is false) without reverting. */
export async function iden3VerifierGas(wallet: WalletClient, reader: PublicClient, account: Address): Promise<{ rows: Iden3Gas[]; solc: string }> {
  const { compiled, version } = compileIden3Verifiers();
  const rows: Iden3Gas[] = [];
  for (const v of IDEN3_VERIFIERS) {
    const c = compiled[v.contract]!;
    const hash = await wallet.deployContract({ abi: c.abi, bytecode: c.bytecode, account, chain: wallet.chain });
    const address = (await reader.waitForTransactionReceipt({ hash })).contractAddress!;
    const p = wellFormedProof(c.signals);
    const wrapped = c.abi.some((x) => x.type === 'function' && x.name === 'verify');
    const data = wrapped
      ? encodeFunctionData({ abi: c.abi, functionName: 'verify', args: [p.a, p.b, p.c, p.input] })
      : encodeFunctionData({ abi: c.abi, functionName: 'verifyProof', args: [p.a, p.b, p.c, p.input] });
    const r = await reader.call({ account, to: address, data });
    const verdict = decodeFunctionResult({ abi: c.abi, functionName: wrapped ? 'verify' : 'verifyProof', data: r.data! });
    if (verdict !== false) throw new Error(`${v.contract}: a false proof was not refused`);
    const tx = await wallet.sendTransaction({ account, to: address, data, gas: 3_000_000n, chain: wallet.chain });
    const gas = Number((await reader.waitForTransactionReceipt({ hash: tx })).gasUsed);
    rows.push({ contract: v.contract, circuit: v.circuit, signals: c.signals, gas, calldataGas: calldataGas(data) });
  }
  return { rows, solc: version };
}
