// The `auth` param of every relayed write (the caller's EIP-712 `Request` signature, typed data in request.ts) and the
// field schemas the method schemas share.
import type { Address, Hex } from 'viem';
import { z } from 'zod';

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
