// The exported Solidity verifiers (contracts/zk/verifiers/<Name>Verifier.sol) accept the proofs the TypeScript prover makes and refuse
// tampered public signals, on a local anvil node.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import * as snarkjs from 'snarkjs';
import { createPublicClient, createWalletClient, http, type Abi, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { foundry } from 'viem/chains';
import { startAnvil, type Anvil } from '../chain/anvil.js';
import { GlobalStateTree, proveCredentialQuery, proveHolderAuth, proveStateTransition, releaseProverResources, type ProofWithSignals } from './index.js';
import { parseId } from '../identity/index.js';
import { artifactPaths } from './node.js';
import { makeFixture } from './test-fixtures.js';

const require = createRequire(import.meta.url);
const solc = require('solc') as { compile(input: string): string };
const ROOT = join(import.meta.dirname, '..', '..');
// anvil's first default account (public test key).
const DEV_KEY: Hex = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

function compileVerifier(name: string): { abi: Abi; bytecode: Hex } {
  const file = `contracts/zk/verifiers/${name}.sol`;
  const out = JSON.parse(solc.compile(JSON.stringify({
    language: 'Solidity',
    sources: { [file]: { content: readFileSync(join(ROOT, file), 'utf8') } },
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  })));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === 'error');
  if (errors.length) throw new Error(JSON.stringify(errors));
  const c = out.contracts[file][name];
  return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
}

let anvil: Anvil | undefined;
async function node(): Promise<Anvil> {
  return (anvil ??= await startAnvil());
}
after(async () => { await anvil?.stop(); await releaseProverResources(); });

async function deployAndCheck(name: string, p: ProofWithSignals): Promise<void> {
  const { abi, bytecode } = compileVerifier(name);
  const account = privateKeyToAccount(DEV_KEY);
  const a = await node();
  const transport = http(a.rpcUrl);
  const wallet = createWalletClient({ account, chain: { ...foundry, id: a.chainId }, transport });
  const reader = createPublicClient({ chain: { ...foundry, id: a.chainId }, transport });
  const hash = await wallet.deployContract({ abi, bytecode, account });
  const address = (await reader.waitForTransactionReceipt({ hash })).contractAddress!;
  const calldata = JSON.parse(`[${await snarkjs.groth16.exportSolidityCallData(p.proof, p.publicSignals)}]`) as [string[], string[][], string[], string[]];
  const call = (signals: string[]) => reader.readContract({ address, abi, functionName: 'verifyProof', args: [calldata[0], calldata[1], calldata[2], signals] });
  assert.equal(await call(calldata[3]), true);
  const tampered = [...calldata[3]];
  tampered[0] = `0x${(BigInt(tampered[0]) + 1n).toString(16)}`;
  assert.equal(await call(tampered), false);
}

const f = makeFixture();

test('StateTransitionVerifier.sol verifies a real proof on-chain and refuses a tampered one', async () => {
  f.issue();
  const t = f.issuer.transitions()[0];
  const st = await proveStateTransition(t, GlobalStateTree.empty().updateWitness(parseId(t.id).bigint, t.newState), artifactPaths('stateTransition'));
  await deployAndCheck('StateTransitionVerifier', st);
});

// The proving keys are committed (circuits/build), so these run on a clean clone too.
test('CredentialQueryVerifier.sol verifies a real proof on-chain and refuses a tampered one', async () => {
  const claim = f.issue();
  const q = await proveCredentialQuery(f.queryHolder, f.credential(claim), f.query({ operator: 'GREATER_OR_EQUAL', values: [18n] }), artifactPaths('credentialQuery'));
  await deployAndCheck('CredentialQueryVerifier', q);
});

test('HolderAuthVerifier.sol verifies a real proof on-chain and refuses a tampered one', async () => {
  const auth = await proveHolderAuth(f.holder, { salt: f.queryHolder.salt, challenge: 99n }, artifactPaths('holderAuth'));
  await deployAndCheck('HolderAuthVerifier', auth);
});
