// Typed reads the methods share (one place that knows which contract answers what).
import type { Address, Hex, PublicClient } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { trustedIssuersRegistryAbi } from '../../chain/artifacts/TrustedIssuersRegistry.js';
import { decodeClaimData, walletKey } from '../../chain/identity.js';
import type { ChainHead } from '../cache.js';

export interface OnChainClaim {
  claimId: Hex;
  topic: number;
  scheme: number;
  issuer: Address;
  signature: Hex;
  data: Hex;
  uri: string;
  documentHash: Hex;
  issuedAt: number;
  expiresAt: number;
}

export async function isContract(r: PublicClient, a: Address): Promise<boolean> {
  const code = await r.getCode({ address: a });
  return !!code && code !== '0x';
}

// `at`: the block to read at (the request's head, see cache.ts); omitted = latest.
export function keyHasPurpose(r: PublicClient, identity: Address, wallet: Address, purpose: bigint, at?: bigint): Promise<boolean> {
  return r.readContract({ address: identity, abi: identityAbi, functionName: 'keyHasPurpose', args: [walletKey(wallet), purpose], blockNumber: at });
}

export async function getClaim(r: PublicClient, identity: Address, claimId: Hex, at?: bigint): Promise<OnChainClaim | undefined> {
  const [topic, scheme, issuer, signature, data, uri] = await r.readContract({ address: identity, abi: identityAbi, functionName: 'getClaim', args: [claimId], blockNumber: at });
  if (/^0x0{40}$/.test(issuer)) return undefined;
  let documentHash = `0x${'00'.repeat(32)}` as Hex; let issuedAt = 0n; let expiresAt = 0n;
  try { ({ documentHash, issuedAt, expiresAt } = decodeClaimData(data)); } catch { /* malformed data: reported as invalid by verify */ }
  return { claimId, topic: Number(topic), scheme: Number(scheme), issuer, signature, data, uri, documentHash, issuedAt: Number(issuedAt), expiresAt: Number(expiresAt) };
}

export async function claimsOfTopic(r: PublicClient, identity: Address, topic: number, at?: bigint): Promise<OnChainClaim[]> {
  const ids = await r.readContract({ address: identity, abi: identityAbi, functionName: 'getClaimIdsByTopic', args: [BigInt(topic)], blockNumber: at });
  const all = await Promise.all(ids.map((id) => getClaim(r, identity, id, at)));
  return all.filter((c): c is OnChainClaim => c !== undefined);
}

export function isTrustedFor(r: PublicClient, tir: Address, issuer: Address, topic: number, at?: bigint): Promise<boolean> {
  return r.readContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName: 'hasClaimTopic', args: [issuer, BigInt(topic)], blockNumber: at });
}

export async function issuerSaysValid(r: PublicClient, c: OnChainClaim, identity: Address, at?: bigint): Promise<boolean> {
  try {
    return await r.readContract({ address: c.issuer, abi: claimIssuerAbi, functionName: 'isClaimValid', args: [identity, BigInt(c.topic), c.signature, c.data], blockNumber: at });
  } catch {
    // An issuer that is not a ClaimIssuer (or reverts) cannot vouch for anything.
    return false;
  }
}

export type VerifyReason = 'VALID' | 'NO_CLAIM' | 'UNTRUSTED_ISSUER' | 'NOT_YET_VALID' | 'EXPIRED' | 'REVOKED_OR_INVALID';

export interface Verification { valid: boolean; reason: VerifyReason; claim?: OnChainClaim }

const RANK: Record<VerifyReason, number> = { VALID: 5, REVOKED_OR_INVALID: 4, EXPIRED: 3, NOT_YET_VALID: 2, UNTRUSTED_ISSUER: 1, NO_CLAIM: 0 };

/** Whether `identity` holds a claim on `topic` from an issuer trusted for it that is in its window and not revoked. */
export async function verifyTopic(
  r: PublicClient, tir: Address, identity: Address, topic: number, opts: { issuer?: Address; now?: number; at?: bigint } = {},
): Promise<Verification> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  let claims = await claimsOfTopic(r, identity, topic, opts.at);
  if (opts.issuer) claims = claims.filter((c) => c.issuer.toLowerCase() === opts.issuer!.toLowerCase());
  let best: Verification = { valid: false, reason: 'NO_CLAIM' };
  for (const c of claims) {
    let reason: VerifyReason;
    if (!(await isTrustedFor(r, tir, c.issuer, topic, opts.at))) reason = 'UNTRUSTED_ISSUER';
    else if (now < c.issuedAt) reason = 'NOT_YET_VALID';
    else if (c.expiresAt !== 0 && now >= c.expiresAt) reason = 'EXPIRED';
    else if (!(await issuerSaysValid(r, c, identity, opts.at))) reason = 'REVOKED_OR_INVALID';
    else return { valid: true, reason: 'VALID', claim: c };
    if (RANK[reason] > RANK[best.reason]) best = { valid: false, reason, claim: c };
  }
  return best;
}

export async function canAccess(r: PublicClient, identity: Address, verifier: Address, topic: number): Promise<boolean> {
  return r.readContract({ address: identity, abi: identityAbi, functionName: 'canAccess', args: [verifier, BigInt(topic)] });
}

export async function accessGrant(r: PublicClient, identity: Address, verifier: Address, topic: number) {
  const [envelopeRef, grantedAt, expiresAt] = await r.readContract({ address: identity, abi: identityAbi, functionName: 'getAccessGrant', args: [verifier, BigInt(topic)] });
  return { envelopeRef, grantedAt: Number(grantedAt), expiresAt: Number(expiresAt) };
}

/** The latest block's number, hash and time in one round trip (the request's view of the chain, see cache.ts). */
export async function latestHead(r: PublicClient): Promise<ChainHead> {
  const b = await r.request({ method: 'eth_getBlockByNumber', params: ['latest', false] });
  if (!b || b.number === null || b.hash === null) throw new Error('the chain returned no latest block');
  return { number: BigInt(b.number), hash: b.hash, timestamp: Number(BigInt(b.timestamp)) };
}
