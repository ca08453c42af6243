// Helpers for the selective-disclosure grants every identity holds (IAccessGrants, implemented by Identity).
import type { Address, Hex } from 'viem';
import { identityAbi } from './artifacts/Identity.js';
import { write, type Reader, type Wallet } from './identity.js';

export interface AccessGrant {
  /** Reference to the key envelope wrapped for the verifier (e.g. the digest of its CID). */
  envelopeRef: Hex;
  grantedAt: bigint;
  /** 0 = no expiry. */
  expiresAt: bigint;
}

/** Grants `verifier` access to `identity`'s documents for one claim topic (the wallet must be a management key). */
export function grantAccess(
  wallet: Wallet, reader: Reader, identity: Address,
  p: { verifier: Address; topic: bigint; envelopeRef: Hex; expiresAt?: bigint },
) {
  return write(wallet, reader, {
    address: identity, abi: identityAbi, functionName: 'grantAccess', args: [p.verifier, p.topic, p.envelopeRef, p.expiresAt ?? 0n],
  });
}

/** Revokes the grant of `verifier` for one topic (the wallet must be a management key). */
export function revokeAccess(wallet: Wallet, reader: Reader, identity: Address, p: { verifier: Address; topic: bigint }) {
  return write(wallet, reader, { address: identity, abi: identityAbi, functionName: 'revokeAccess', args: [p.verifier, p.topic] });
}

/** Whether `verifier` currently holds an unexpired grant for `topic` on `identity`. */
export function canAccess(reader: Reader, identity: Address, verifier: Address, topic: bigint): Promise<boolean> {
  return reader.readContract({ address: identity, abi: identityAbi, functionName: 'canAccess', args: [verifier, topic] });
}

export async function accessGrant(reader: Reader, identity: Address, verifier: Address, topic: bigint): Promise<AccessGrant> {
  const [envelopeRef, grantedAt, expiresAt] = await reader.readContract({
    address: identity, abi: identityAbi, functionName: 'getAccessGrant', args: [verifier, topic],
  });
  return { envelopeRef, grantedAt, expiresAt };
}
