// Shared by the gas benchmarks (bench/gas.ts, bench/gas-suites.ts): the peers' published artifacts (T-REX 4.1.6,
// ONCHAINID 2.2.1), the run's accounts, and receipt-gas helpers.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { type Abi, type Address, type Hex, type TransactionReceipt, encodeAbiParameters, keccak256, toHex } from 'viem';
import type { HDAccount } from 'viem/accounts';
import type { TestChain } from '../src/chain/testkit.js';
import { write, type Reader, type Wallet } from '../src/chain/identity.js';

const require = createRequire(import.meta.url);
export type Artifact = { abi: Abi; bytecode: Hex };
export function trex(path: string): Artifact {
  return JSON.parse(readFileSync(require.resolve(`@tokenysolutions/t-rex/artifacts/contracts/${path}`), 'utf8')) as Artifact;
}
export function oid(path: string): Artifact {
  return JSON.parse(readFileSync(require.resolve(`@onchain-id/solidity/artifacts/contracts/${path}`), 'utf8')) as Artifact;
}

export const FR = 250;
export const DOC_HASH: Hex = keccak256(toHex('passport scan'));
export const CID_URI = 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi';
export const YEAR = 365n * 24n * 3600n;

export interface Env {
  chain: TestChain;
  reader: Reader;
  admin: Wallet;
  signer: HDAccount;
  alice: Wallet;
  bob: Wallet;
  carol: Wallet;
  probe: { address: Address; abi: Abi; stub: Address };
}

export async function gasOf(p: Promise<{ receipt: { gasUsed: bigint } }>): Promise<number> {
  return Number((await p).receipt.gasUsed);
}
export async function deployGas(env: Env, artifact: Artifact, args: readonly unknown[]): Promise<{ address: Address; gas: number }> {
  const hash = await env.admin.deployContract({ abi: artifact.abi, bytecode: artifact.bytecode, args, account: env.admin.account, chain: env.admin.chain } as never);
  const r = await env.reader.waitForTransactionReceipt({ hash });
  if (r.status !== 'success' || !r.contractAddress) throw new Error('deployment reverted');
  return { address: r.contractAddress, gas: Number(r.gasUsed) };
}
export function send(
  env: Env, address: Address, abi: Abi, functionName: string, args: readonly unknown[], from: Wallet = env.admin,
): Promise<{ receipt: TransactionReceipt; result: unknown }> {
  return write(from, env.reader, { address, abi, functionName: functionName as never, args: args as never });
}

/** ONCHAINID claims: the issuer's claim key signs keccak256(abi.encode(identity, topic, data)) as an eth message. */
export function signOidClaim(signer: HDAccount, identity: Address, topic: bigint, data: Hex): Promise<Hex> {
  const hash = keccak256(encodeAbiParameters([{ type: 'address' }, { type: 'uint256' }, { type: 'bytes' }], [identity, topic, data]));
  return signer.signMessage({ message: { raw: hash } });
}
