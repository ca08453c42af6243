// Signing of the node's token_ writes, done by `MasqueClient.sign` for every token_ method: the signed calls each write
// makes on its suite (EIP-712 SignedCall, one per contract), the owner's DeploySuite authorization of token_deploy and,
// for a shared storage, its binding. The calls come from the protocol (token-calls.ts), so the client signs exactly what
// the node rebuilds and the contracts check.
import { bytesToHex, encodeFunctionData, type Address, type Hex } from 'viem';
import { identityRegistryStorageAbi } from '../chain/artifacts/index.js';
import { signedCallTypedData } from '../chain/roles.js';
import { suiteTypedData } from '../chain/suite.js';
import {
  moduleDirectory, suiteParamsOf, tokenCallTypedData, tokenCalls, type DeployRequest, type SuiteAddresses, type TokenCallMethod,
} from '../protocol/token-calls.js';
import type { Params, Result } from '../protocol/api.js';

/** Signs the typed data of token writes (a viem LocalAccount fits). */
export interface TokenSigner {
  signTypedData(args: TokenTypedData['call']): Promise<Hex>;
  signTypedData(args: TokenTypedData['deploy']): Promise<Hex>;
}
export interface TokenTypedData { call: ReturnType<typeof signedCallTypedData>; deploy: ReturnType<typeof suiteTypedData> }

/** What token signing needs from the client: the node's contracts and a token's suite. */
export interface TokenContext {
  contracts(): Promise<Record<string, string>>;
  suite(token?: Address): Promise<SuiteAddresses>;
  call(method: 'token_predictSuite', params: Params<'token_predictSuite'>): Promise<Result<'token_predictSuite'>>;
}

const nonce = (): Hex => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));

/** One signature per suite contract `method` touches, in the node's order. */
export async function signTokenCalls(
  client: TokenContext, chainId: number, method: TokenCallMethod, p: Record<string, unknown>, signer: TokenSigner, deadline: number,
): Promise<{ nonce: Hex; deadline: number; signature: Hex }[]> {
  const [suite, contracts] = await Promise.all([client.suite(p.token as Address | undefined), client.contracts()]);
  const out = [];
  for (const call of tokenCalls(method, p, suite, moduleDirectory(contracts))) {
    const e = { nonce: nonce(), deadline };
    out.push({ ...e, signature: await signer.signTypedData(tokenCallTypedData(chainId, call, e)) });
  }
  return out;
}

/**
 * token_deploy's signatures the caller did not bring: the owner's DeploySuite authorization and, with a shared storage,
 * the storage owner's binding of the predicted registry (signed by `signer`, who must then own that storage).
 */
export async function signDeployment(
  client: TokenContext, chainId: number, p: Record<string, unknown>, signer: TokenSigner, deadline: number,
): Promise<{ authorization?: { deadline: number; signature: Hex }; storageBinding?: { nonce: Hex; deadline: number; signature: Hex } }> {
  const contracts = await client.contracts();
  const out: Awaited<ReturnType<typeof signDeployment>> = {};
  if (p.authorization === undefined) {
    const params = suiteParamsOf(p as unknown as DeployRequest, moduleDirectory(contracts));
    const typed = suiteTypedData({ chainId, factory: contracts.tokenFactory as Address, params, deadline: BigInt(deadline) });
    out.authorization = { deadline, signature: await signer.signTypedData(typed) };
  }
  const storage = p.identityRegistryStorage as Address | undefined;
  if (storage && p.storageBinding === undefined) {
    const predicted = await client.call('token_predictSuite', {
      owner: p.owner as Address, salt: p.salt as Hex, ownStorage: false, createOnchainID: p.onchainID === undefined,
    });
    const e = { nonce: nonce(), deadline };
    const data = encodeFunctionData({ abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [predicted.identityRegistry as Address] });
    const signature = await signer.signTypedData(signedCallTypedData({ chainId, contract: storage, data, nonce: BigInt(e.nonce), deadline: BigInt(deadline) }));
    out.storageBinding = { ...e, signature };
  }
  return out;
}
