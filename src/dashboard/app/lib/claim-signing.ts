// A claim signed in the page by the issuer's key (EIP-712 Claim): the node relays a claim it could not have made.
// The window starts a minute back (clock skew with the chain) and runs `days` (the caller checks the topic's policy).
import type { Address, Hex } from 'viem';
import type { Session } from '../keys/session.js';
import { client } from './rpc.js';

export async function signClaimWindow(s: Session, c: { issuer: Address; identity: Address; topic: number; documentHash: Hex; days: number }): Promise<{ issuedAt: number; expiresAt: number; signature: Hex }> {
  const { signClaim } = await import('../../../chain/identity.js');
  const chainId = await client.chainId();
  const issuedAt = Math.floor(Date.now() / 1000) - 60;
  const expiresAt = issuedAt + 60 + c.days * 86400;
  const { signature } = await signClaim(s.signer as never, { chainId, issuer: c.issuer, identity: c.identity, topic: BigInt(c.topic), documentHash: c.documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
  return { issuedAt, expiresAt, signature };
}
