// Caller authorization for relayed writes: the caller signs an EIP-712 `Request` binding the method, a hash of
// the other params, a one-time nonce and a deadline. The node checks it (src/node/auth.ts), spends the nonce (no
// replays), and only then relays with its own key. The node never sees the caller's private key. Shared by the
// node and its clients: both hash and sign the same typed data. No zod here: the SDK signs without loading schemas.
import { bytesToHex, type Hex } from 'viem';
import { sha256 } from '@noble/hashes/sha2.js';

export const REQUEST_TYPES = {
  Request: [
    { name: 'method', type: 'string' },
    { name: 'params', type: 'bytes32' },
    { name: 'nonce', type: 'bytes32' },
    { name: 'deadline', type: 'uint64' },
  ],
} as const;

export function requestDomain(chainId: number) {
  return { name: 'Masque Node', version: '1', chainId } as const;
}

/** Canonical JSON: keys sorted, no whitespace, bigints as decimal strings; what both sides hash. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(typeof v === 'bigint' ? v.toString() : v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
}

/**
 * SHA-256 of the canonical JSON of the params without `auth`. SHA-256, not keccak: params carry whole sealed
 * documents, and JS keccak runs at ~3 MB/s against SHA-256's ~100 MB/s.
 */
export function paramsHash(params: Record<string, unknown>): Hex {
  const { auth: _auth, ...rest } = params;
  return bytesToHex(sha256(new TextEncoder().encode(canonicalJson(rest))));
}

export function requestTypedData(chainId: number, method: string, params: Record<string, unknown>, nonce: Hex, deadline: number) {
  return {
    domain: requestDomain(chainId),
    types: REQUEST_TYPES,
    primaryType: 'Request' as const,
    message: { method, params: paramsHash(params), nonce, deadline: BigInt(deadline) },
  };
}
