// The `auth` param of every relayed write (the caller's EIP-712 `Request` signature, typed data in request.ts) and the
// field schemas the method schemas share.
import { checksumAddress, type Address, type Hex } from 'viem';
import { z } from 'zod';

/** Mixed case is an EIP-55 checksum and must be right (a typo is refused, not sent to some other address); one case is none. */
const oneCase = (hex: string) => hex === hex.toLowerCase() || hex === hex.toUpperCase();
export const addressSchema = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 0x-prefixed 20-byte address')
  .refine((s) => oneCase(s.slice(2)) || checksumAddress(s as Address) === s, 'address checksum (EIP-55 mixed case) does not match: a typo?')
  .transform((s) => (oneCase(s.slice(2)) ? s.toLowerCase() : s) as Address);
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
