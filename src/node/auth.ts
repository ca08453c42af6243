// The node's check of a caller's EIP-712 `Request` (typed data in src/protocol/auth.ts): signature, deadline window,
// one-time nonce.
import { hexToBytes, recoverTypedDataAddress, type Address } from 'viem';
import type { Auth } from '../protocol/auth.js';
import { requestTypedData } from '../protocol/request.js';
import { unauthorized } from './rpc/errors.js';
import { isCanonicalEcdsaSignature } from '../crypto/ecdsa.js';

/** Seconds a request's deadline may lie ahead; a spent nonce is worth keeping no longer than this (see pruning). */
export const MAX_DEADLINE_AHEAD = 24 * 3600;

export class RequestAuthenticator {
  constructor(private readonly chainId: number, private readonly spendNonce: (signer: string, nonce: string) => Promise<boolean> | boolean) {}

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
    if (!(await this.spendNonce(signer, auth.nonce))) throw unauthorized('authorization nonce already used (replay)', { field: 'auth.nonce' });
    return signer;
  }
}
