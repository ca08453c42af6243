// Typed reads the methods share (one place that knows which contract answers what).
import { recoverAddress, type Address, type Hex, type PublicClient } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { trustedIssuersRegistryAbi } from '../../chain/artifacts/TrustedIssuersRegistry.js';
import { KeyPurpose, decodeClaimData, walletKey } from '../../chain/identity.js';
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

/**
 * A claim registry (purpose 5 key) of the identity trusts the issuer for the topic: the issuer's contract may push and
 * renew its claims of that topic there (Identity._registryTrusts, read the same way).
 */
export async function registryTrusts(r: PublicClient, identity: Address, issuer: Address, topic: number, at?: bigint): Promise<boolean> {
  const registries = await r.readContract({ address: identity, abi: identityAbi, functionName: 'getKeysByPurpose', args: [KeyPurpose.CLAIM_REGISTRY], blockNumber: at });
  for (const key of registries) {
    const tir = `0x${key.slice(26)}` as Address;
    if (await isTrustedFor(r, tir, issuer, topic, at).catch(() => false)) return true;
  }
  return false;
}

export async function issuerSaysValid(r: PublicClient, c: OnChainClaim, identity: Address, at?: bigint): Promise<boolean> {
  try {
    return await r.readContract({ address: c.issuer, abi: claimIssuerAbi, functionName: 'isClaimValid', args: [identity, BigInt(c.topic), c.signature, c.data], blockNumber: at });
  } catch {
    // An issuer that is not a ClaimIssuer (or reverts) cannot vouch for anything.
    return false;
  }
}

/**
 * A claim's lifecycle state at one block, judged at that block's timestamp (the chain's time, which on-chain
 * `isVerified` uses), never the node's clock. Definitions in src/node/README.md ("Claim lifecycle").
 */
export type ClaimState = 'valid' | 'issued' | 'expired' | 'revoked' | 'issuer-untrusted';
/** A topic's state for an identity: its best claim's, or `pending` (an application awaiting review), or `none`. */
export type TopicState = ClaimState | 'pending' | 'none';

/** Nearest to valid first: what `verifyTopic` reports when an identity holds several claims on a topic. */
export const TOPIC_STATE_RANK: Record<TopicState, number> = { valid: 6, issued: 5, pending: 4, expired: 3, revoked: 2, 'issuer-untrusted': 1, none: 0 };

/** What the chain says about one claim at one block; `vouched` / `withdrawn` are only asked where they decide. */
export interface ClaimFacts {
  /** The TrustedIssuersRegistry trusts the issuer for the topic. */
  trusted: boolean;
  issuedAt: number;
  expiresAt: number;
  /** In its window: the issuer's isClaimValid (signature by a current claim signer, nothing revoked). */
  vouched?: boolean;
  /** Outside its window: the issuer revoked its signature or digest, or removed the key that signed it. */
  withdrawn?: boolean;
}

/** The state of one claim at chain time `t` (pure: the facts were read at the block whose timestamp is `t`). */
export function claimState(f: ClaimFacts, t: number): ClaimState {
  if (!f.trusted) return 'issuer-untrusted';
  // The contracts accept only windows with expiresAt > issuedAt (ClaimData.decode): anything else never verifies.
  if (f.expiresAt <= f.issuedAt || f.withdrawn) return 'revoked';
  if (t < f.issuedAt) return 'issued';
  if (t >= f.expiresAt) return 'expired';
  return f.vouched ? 'valid' : 'revoked';
}

/** Outside its window isClaimValid is false anyway; ask the issuer whether it withdrew the claim. */
async function issuerWithdrew(r: PublicClient, c: OnChainClaim, identity: Address, at?: bigint): Promise<boolean> {
  try {
    const digest = await r.readContract({ address: c.issuer, abi: claimIssuerAbi, functionName: 'claimDigest', args: [identity, BigInt(c.topic), c.data], blockNumber: at });
    const signer = await recoverAddress({ hash: digest, signature: c.signature }).catch(() => undefined);
    const [byDigest, bySignature, signerKept] = await Promise.all([
      r.readContract({ address: c.issuer, abi: claimIssuerAbi, functionName: 'isDigestRevoked', args: [digest], blockNumber: at }),
      r.readContract({ address: c.issuer, abi: claimIssuerAbi, functionName: 'isClaimRevoked', args: [c.signature], blockNumber: at }),
      signer ? keyHasPurpose(r, c.issuer, signer, KeyPurpose.CLAIM_SIGNER, at) : false,
    ]);
    return byDigest || bySignature || !signerKept;
  } catch {
    // Not a Masque ClaimIssuer: it cannot say, and the window already decides.
    return false;
  }
}

export interface Verification { state: TopicState; claim?: OnChainClaim }

/**
 * The best state among the claims `identity` holds on `topic` (from `issuer` only, when given), read at block `at`
 * and judged at `chainTime`, that block's timestamp. `valid` here is exactly what IdentityRegistry.hasValidClaim
 * answers at that block.
 */
export async function verifyTopic(
  r: PublicClient, tir: Address, identity: Address, topic: number, opts: { at: bigint; chainTime: number; issuer?: Address },
): Promise<Verification> {
  let claims = await claimsOfTopic(r, identity, topic, opts.at);
  if (opts.issuer) claims = claims.filter((c) => c.issuer.toLowerCase() === opts.issuer!.toLowerCase());
  const judged = await Promise.all(claims.map(async (c) => {
    const facts: ClaimFacts = { trusted: await isTrustedFor(r, tir, c.issuer, topic, opts.at), issuedAt: c.issuedAt, expiresAt: c.expiresAt };
    if (facts.trusted) {
      const inWindow = opts.chainTime >= c.issuedAt && opts.chainTime < c.expiresAt;
      if (inWindow) facts.vouched = await issuerSaysValid(r, c, identity, opts.at);
      else facts.withdrawn = await issuerWithdrew(r, c, identity, opts.at);
    }
    return { state: claimState(facts, opts.chainTime) as TopicState, claim: c };
  }));
  let best: Verification = { state: 'none' };
  for (const v of judged) if (TOPIC_STATE_RANK[v.state] > TOPIC_STATE_RANK[best.state]) best = v;
  return best;
}

export async function canAccess(r: PublicClient, identity: Address, verifier: Address, topic: number | bigint): Promise<boolean> {
  return r.readContract({ address: identity, abi: identityAbi, functionName: 'canAccess', args: [verifier, BigInt(topic)] });
}

export async function accessGrant(r: PublicClient, identity: Address, verifier: Address, topic: number | bigint) {
  const [envelopeRef, grantedAt, expiresAt] = await r.readContract({ address: identity, abi: identityAbi, functionName: 'getAccessGrant', args: [verifier, BigInt(topic)] });
  return { envelopeRef, grantedAt: Number(grantedAt), expiresAt: Number(expiresAt) };
}

/** The latest block's number, hash and time in one round trip (the request's view of the chain, see cache.ts). */
export async function latestHead(r: PublicClient): Promise<ChainHead> {
  const b = await r.request({ method: 'eth_getBlockByNumber', params: ['latest', false] });
  if (!b || b.number === null || b.hash === null) throw new Error('the chain returned no latest block');
  return { number: BigInt(b.number), hash: b.hash, timestamp: Number(BigInt(b.timestamp)) };
}

/**
 * The embedded anvil mines only for transactions, so while idle its latest block's time falls behind the clock, and
 * every claim window judged at it with it (a claim would stay valid hours past its expiry, though a transfer sent
 * now would be refused). Before answering at a head more than `maxLagSeconds` behind the node's clock, the node
 * mines an empty block, as a block producer would have. External chains make their own blocks: never done there.
 * A chain whose clock was set behind ours (anvil_setTime to the past) stays behind after mining: that lag is learned,
 * so the node does not mine on every request.
 */
export function embeddedChainHead(r: PublicClient, maxLagSeconds = 1): () => Promise<ChainHead> {
  let chainClockLag = 0;
  return async () => {
    const h = await latestHead(r);
    if (Math.floor(Date.now() / 1000) - h.timestamp <= chainClockLag + maxLagSeconds) return h;
    await r.request({ method: 'evm_mine' as never, params: [] as never });
    const mined = await latestHead(r);
    chainClockLag = Math.max(0, Math.floor(Date.now() / 1000) - mined.timestamp);
    return mined;
  };
}
