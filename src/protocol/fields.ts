// Field schemas the method schemas share (api.ts and the per-part files: issuers.ts, ...).
import { z } from 'zod';
import { bytes32Schema, hexSchema } from './auth.js';

export const topic = z.number().int().min(1).max(2 ** 32).describe('claim topic (1 = KYC, 2 = AML, ...)');
export const unix = z.number().int().min(0).max(2 ** 40).describe('unix seconds');
export const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'expected base64').min(1);
export const didKey = z.string().regex(/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/, 'expected a did:key');
// A claim's uri is public: restrict it to identifiers (a CID, a URL path) so no free text (a name) can ride along.
export const claimUri = z.string().max(200).regex(/^[A-Za-z0-9:/._?=#-]*$/, 'only identifier characters allowed (no personal data on chain)');
export const txHash = z.string().describe('transaction hash');
export const writeOut = z.object({ txHash });
/** The subject's EIP-712 `Execute` signature for Identity.executeSigned: the node relays it without a key there. */
export const execution = z.strictObject({
  nonce: bytes32Schema,
  deadline: z.number().int().positive(),
  signature: hexSchema,
}).describe('EIP-712 Execute signature of the call on the identity (domain "Masque Identity", verifyingContract = identity)');
