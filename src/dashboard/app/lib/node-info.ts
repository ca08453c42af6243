// node_info, asked once per page load and shared (the chain id, contracts and issuers every screen needs).
import { client } from './rpc.js';
import type { Result } from '../../../protocol/api.js';

export type NodeInfo = Result<'node_info'>;
let info: Promise<NodeInfo> | undefined;
export const nodeInfo = (): Promise<NodeInfo> => (info ??= client.rpc.node_info({}).catch((e) => { info = undefined; throw e; }));

/** The issuers the node knows, as { name, address } (node_info maps name -> address). */
export async function issuers(): Promise<{ name: string; address: `0x${string}` }[]> {
  const i = await nodeInfo();
  return Object.entries(i.issuers).map(([name, v]) => ({ name, address: (typeof v === 'string' ? v : (v as { address: string }).address) as `0x${string}` }));
}
