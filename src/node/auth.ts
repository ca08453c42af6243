// Caller authorization for relayed writes: the caller signs an EIP-712 `Request` binding the method, a hash of
// the other params, a one-time nonce and a deadline. The node checks it, spends the nonce (no replays), and only
// then relays with its own key. The node never sees the caller's private key.
import { bytesToHex, hexToBytes, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { sha256 } from '@noble/hashes/sha2.js';
import { z } from 'zod';
import { unauthorized } from './rpc/errors.js';
import { isCanonicalEcdsaSignature } from '../crypto/ecdsa.js';

export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address').transform((s) => s as Address);
export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected 0x-prefixed 32 bytes').transform((s) => s.toLowerCase() as Hex);
export const hexSchema = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected 0x-prefixed hex bytes').transform((s) => s as Hex);

export const authSchema = z.strictObject({
  signer: addressSchema,
  nonce: bytes32Schema,
  /** Unix seconds after which the signature is void. */
  deadline: z.number().int().positive(),
  signature: hexSchema,
}).describe('EIP-712 Request signature of the caller (see docs: domain "Masque Node")');
export type Auth = z.output<typeof authSchema>;

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

const MAX_DEADLINE_AHEAD = 24 * 3600;

export class RequestAuthenticator {
  constructor(private readonly chainId: number, private readonly spendNonce: (signer: string, nonce: string) => boolean) {}

  /**
   * Checks the signature over `rawParams` (the params as sent, before schema transforms) and spends the nonce.
   * Returns the signer. Throws -32001 naming what is wrong.
   */
  async verify(method: string, rawParams: Record<string, unknown>, auth: Auth): Promise<Address> {
    const now = Math.floor(Date.now() / 1000);
    if (auth.deadline < now) throw unauthorized('authorization expired (deadline passed)', { field: 'auth.deadline' });
    if (auth.deadline > now + MAX_DEADLINE_AHEAD) throw unauthorized('authorization deadline too far ahead', { field: 'auth.deadline' });
    // Low s and v in {27, 28} only, as the contracts accept: the malleable twin of a signature is refused, not
    // merely kept from replay by the nonce.
    if (!isCanonicalEcdsaSignature(hexToBytes(auth.signature))) {
      throw unauthorized('authorization signature is not a canonical 65-byte signature (low s, v = 27 or 28)', { field: 'auth.signature' });
    }
    let signer: Address;
    try {
      signer = await recoverTypedDataAddress({ ...requestTypedData(this.chainId, method, rawParams, auth.nonce, auth.deadline), signature: auth.signature });
    } catch {
      throw unauthorized('malformed authorization signature', { field: 'auth.signature' });
    }
    if (signer.toLowerCase() !== auth.signer.toLowerCase()) throw unauthorized('authorization signature is not by auth.signer', { field: 'auth.signature' });
    if (!this.spendNonce(signer, auth.nonce)) throw unauthorized('authorization nonce already used (replay)', { field: 'auth.nonce' });
    return signer;
  }
}
