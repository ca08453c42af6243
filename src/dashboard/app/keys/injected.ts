// An injected EIP-1193 wallet (window.ethereum) as the signer of the secp256k1 part: requests, claims and UCAN
// delegations are signed there; the ML-KEM-768 key still comes from the vault (wallets have no ML-KEM).
import { getAddress, toHex, type Address, type Hex } from 'viem';
import type { Signer } from './session.js';

interface Eip1193 { request(args: { method: string; params?: unknown[] }): Promise<unknown> }

export const injectedProvider = (): Eip1193 | undefined => (globalThis as { ethereum?: Eip1193 }).ethereum;

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));

export async function connectInjected(): Promise<Signer> {
  const eth = injectedProvider();
  if (!eth) throw new Error('no browser wallet (EIP-1193) in this page');
  const [first] = (await eth.request({ method: 'eth_requestAccounts' })) as string[];
  if (!first) throw new Error('the browser wallet shared no account');
  const address = getAddress(first) as Address;
  return {
    address,
    async signTypedData(args) {
      const a = args as { domain: unknown; types: Record<string, unknown>; primaryType: string; message: unknown };
      // eth_signTypedData_v4 wants EIP712Domain spelled out; viem's helpers leave it implicit.
      const domain = a.domain as Record<string, unknown>;
      const fields = [['name', 'string'], ['version', 'string'], ['chainId', 'uint256'], ['verifyingContract', 'address']].filter(([k]) => domain[k!] !== undefined);
      const typed = { ...a, types: { EIP712Domain: fields.map(([name, type]) => ({ name, type })), ...a.types } };
      return (await eth.request({ method: 'eth_signTypedData_v4', params: [address, json(typed)] })) as Hex;
    },
    async signMessage({ message }) {
      const data = typeof message === 'string' ? toHex(new TextEncoder().encode(message)) : toHex(message.raw);
      return (await eth.request({ method: 'personal_sign', params: [data, address] })) as Hex;
    },
  };
}
