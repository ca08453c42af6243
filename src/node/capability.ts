// Capability tokens for reading claim documents (layer one of three). Until src/ucan lands, this is a compact
// UCAN-shaped stand-in: the holder's wallet delegates `/claim/document/read` on (identity, topic) to a verifier's
// did:pkh with an expiry (EIP-191 signature), and the verifier invokes it by signing a fresh invocation that
// points at the delegation. Checked entirely off chain, before any contract call.
import { keccak256, recoverMessageAddress, toBytes, type Address, type Hex } from 'viem';
import { canonicalJson } from './auth.js';

export const READ_DOCUMENT = '/claim/document/read';

export interface DelegationPayload {
  v: 1; iss: string; aud: string; cmd: typeof READ_DOCUMENT; sub: string; topic: number;
  /** Milliseconds: issued at, expires at. */
  iat: number; exp: number; nonce: string;
}
export interface InvocationPayload { v: 1; iss: string; cmd: typeof READ_DOCUMENT; sub: string; topic: number; prf: Hex; iat: number; nonce: string }
export interface Signed<T> { payload: T; sig: Hex }
export interface CapabilityToken { delegation: Signed<DelegationPayload>; invocation: Signed<InvocationPayload> }

export const pkhDid = (chainId: number, a: string) => `did:pkh:eip155:${chainId}:${a.toLowerCase()}`;
export const delegationHash = (d: Signed<DelegationPayload>): Hex => keccak256(toBytes(canonicalJson(d)));

export interface MessageSigner { address: Address; signMessage(args: { message: string }): Promise<Hex> }

export async function delegate(holder: MessageSigner, p: { chainId: number; verifier: Address; identity: Address; topic: number; expiresInMs: number; now?: number }): Promise<Signed<DelegationPayload>> {
  const iat = p.now ?? Date.now();
  const payload: DelegationPayload = {
    v: 1, iss: pkhDid(p.chainId, holder.address), aud: pkhDid(p.chainId, p.verifier), cmd: READ_DOCUMENT,
    sub: p.identity.toLowerCase(), topic: p.topic, iat, exp: iat + p.expiresInMs, nonce: crypto.randomUUID(),
  };
  return { payload, sig: await holder.signMessage({ message: canonicalJson(payload) }) };
}

export async function invoke(verifier: MessageSigner, chainId: number, d: Signed<DelegationPayload>, now = Date.now()): Promise<string> {
  const payload: InvocationPayload = {
    v: 1, iss: pkhDid(chainId, verifier.address), cmd: READ_DOCUMENT, sub: d.payload.sub, topic: d.payload.topic,
    prf: delegationHash(d), iat: now, nonce: crypto.randomUUID(),
  };
  const token: CapabilityToken = { delegation: d, invocation: { payload, sig: await verifier.signMessage({ message: canonicalJson(payload) }) } };
  return Buffer.from(JSON.stringify(token)).toString('base64url');
}

export class CapabilityError extends Error {
  override readonly name = 'CapabilityError';
}

const INVOCATION_MAX_AGE_MS = 5 * 60_000;

/**
 * Verifies a token for reading `topic` of `identity`, whose management wallet is `holder`. Returns the verifier's
 * address. `revokedAfter(verifier)` gives the time of the last revocation for that verifier and topic, which voids
 * delegations issued before it.
 */
export async function checkCapability(
  token: string,
  want: { chainId: number; identity: string; topic: number; holder: string; revokedAt?: (verifier: string) => number | undefined; now?: number },
): Promise<Address> {
  let t: CapabilityToken;
  try {
    t = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as CapabilityToken;
  } catch {
    throw new CapabilityError('capability token is not valid base64url JSON');
  }
  const d = t?.delegation?.payload;
  const i = t?.invocation?.payload;
  if (!d || !i || typeof t.delegation.sig !== 'string' || typeof t.invocation.sig !== 'string') throw new CapabilityError('malformed capability token');
  const now = want.now ?? Date.now();
  if (d.cmd !== READ_DOCUMENT || i.cmd !== READ_DOCUMENT) throw new CapabilityError('capability does not grant document reads');
  if (d.sub !== want.identity.toLowerCase() || i.sub !== d.sub) throw new CapabilityError('capability is for another identity');
  if (d.topic !== want.topic || i.topic !== d.topic) throw new CapabilityError(`capability is for topic ${d.topic}, not ${want.topic}`);
  if (typeof d.exp !== 'number' || now >= d.exp) throw new CapabilityError('capability expired');
  if (typeof d.iat !== 'number' || d.iat > now + 60_000) throw new CapabilityError('capability not yet valid');
  if (typeof i.iat !== 'number' || Math.abs(now - i.iat) > INVOCATION_MAX_AGE_MS) throw new CapabilityError('invocation is stale');
  if (d.iss !== pkhDid(want.chainId, want.holder)) throw new CapabilityError('capability not issued by the identity holder');
  let issuer: Address; let invoker: Address;
  try {
    issuer = await recoverMessageAddress({ message: canonicalJson(d), signature: t.delegation.sig });
    invoker = await recoverMessageAddress({ message: canonicalJson(i), signature: t.invocation.sig });
  } catch {
    throw new CapabilityError('malformed capability signature');
  }
  if (pkhDid(want.chainId, issuer) !== d.iss) throw new CapabilityError('delegation signature is not by its issuer (forged)');
  if (pkhDid(want.chainId, invoker) !== i.iss || i.iss !== d.aud) throw new CapabilityError('invocation not signed by the delegation audience');
  if (i.prf !== delegationHash(t.delegation)) throw new CapabilityError('invocation does not reference this delegation');
  const revokedAt = want.revokedAt?.(invoker);
  if (revokedAt !== undefined && d.iat <= revokedAt) throw new CapabilityError('capability revoked');
  return invoker;
}
