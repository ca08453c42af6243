// Public chain reads through the node's eth_call pass-through (the same JSON-RPC endpoint, no private API).
import { decodeFunctionResult, encodeFunctionData, parseAbi, type Address } from 'viem';
import { client } from './rpc.js';

const registryAbi = parseAbi(['function getTrustedIssuerClaimTopics(address) view returns (uint256[])', 'function getTrustedIssuers() view returns (address[])']);

async function ethCall(to: Address, data: `0x${string}`): Promise<`0x${string}`> {
  const res = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'eth_call', params: [{ to, data }, 'latest'] })) as { result?: `0x${string}`; error?: { message: string } };
  if (res.error) throw new Error(res.error.message);
  return res.result!;
}

/** Trusted issuers of the node's registry and the topics each is trusted for. */
export async function trustedIssuerTopics(registry: Address): Promise<{ issuer: Address; topics: number[] }[]> {
  const issuers = decodeFunctionResult({ abi: registryAbi, functionName: 'getTrustedIssuers', data: await ethCall(registry, encodeFunctionData({ abi: registryAbi, functionName: 'getTrustedIssuers' })) }) as readonly Address[];
  return Promise.all(issuers.map(async (issuer) => {
    const data = await ethCall(registry, encodeFunctionData({ abi: registryAbi, functionName: 'getTrustedIssuerClaimTopics', args: [issuer] }));
    const topics = decodeFunctionResult({ abi: registryAbi, functionName: 'getTrustedIssuerClaimTopics', data }) as readonly bigint[];
    return { issuer, topics: topics.map(Number) };
  }));
}

export async function blockNumber(): Promise<number> {
  const res = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber', params: [] })) as { result: string };
  return Number(res.result);
}

export async function chainTime(): Promise<number> {
  const res = (await client.raw({ jsonrpc: '2.0', id: 1, method: 'eth_getBlockByNumber', params: ['latest', false] })) as { result: { timestamp: string } };
  return Number(res.result.timestamp);
}
