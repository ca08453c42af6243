import { randomBytes } from '@noble/hashes/utils.js';
import { Delegation } from 'iso-ucan/delegation';
import * as Envelope from 'iso-ucan/envelope';
import { validate } from 'iso-ucan/policy';
import { CID } from 'multiformats/cid';
import type { Address } from 'viem';
import { checksumAddress, canonicalPkh } from '../did/pkh.js';
import type { InvocationStore, RevocationStore } from './revocation.js';
import type { UcanSigner } from './signers.js';
import { commandCovers, decodeToken, TokenFormatError, tokenCid, verifyToken, type DecodedToken, type DelegationPayload, type InvocationPayload } from './token.js';

/**
 * The UCAN layer of document access (layer one of three: this, then the on-chain
 * `canAccess(verifier, topic)`, then the envelope only the verifier can open).
 *
 * Capability: command `/masque/document/read`, args `{identity, topic}` (identity: the EIP-55
 * address of the identity contract; topic: the uint256 claim topic as a decimal string). A
 * delegation scopes it with a policy, e.g. `[["==", ".identity", "0x…"], ["==", ".topic", "42"]]`;
 * the invocation's args must satisfy the policy of every delegation in the chain, so a delegate can
 * narrow but never widen (a wider policy further down still has the narrower one above it).
 *
 * The chain's root is issued by the subject (`iss == sub`), the wallet (did:pkh) that controls the
 * identity. That the subject really is a management key of that identity is a chain fact: the
 * caller passes the known controllers as `subjects`, or checks `result.subject` afterwards.
 */
export const DOCUMENT_READ = '/masque/document/read';

export interface UcanToken {
  readonly cid: string;
  readonly bytes: Uint8Array;
}

export interface DocumentReadArgs {
  readonly identity: Address;
  readonly topic: bigint;
}

function argsOf(identity: Address, topic: bigint): { identity: string; topic: string } {
  if (typeof topic !== 'bigint' || topic < 0n || topic >= 1n << 256n) throw new TypeError('topic must be a uint256 bigint');
  return { identity: checksumAddress(identity), topic: topic.toString(10) };
}

export interface DelegateOptions {
  readonly issuer: UcanSigner;
  /** DID of the delegate. */
  readonly audience: string;
  /** DID of the subject (the identity's controlling wallet); equals issuer.did for a root delegation. */
  readonly subject: string;
  /** Scope; omitted = any identity (only sensible with a narrower delegation above it). */
  readonly identity?: Address;
  /** Scope; omitted = any topic of the identity. */
  readonly topic?: bigint;
  /** Scope: any one of these topics (a fund administrator's named topics); not with `topic`. */
  readonly topics?: readonly bigint[];
  /** Unix seconds. */
  readonly expiration: number;
  readonly notBefore?: number;
  /** Defaults to DOCUMENT_READ; a broader command (e.g. "/masque/document") delegates more. */
  readonly command?: string;
}

export async function delegateDocumentRead(o: DelegateOptions): Promise<UcanToken> {
  const pol: unknown[] = [];
  if (o.identity !== undefined) pol.push(['==', '.identity', checksumAddress(o.identity)]);
  const topicArg = (t: bigint) => argsOf('0x0000000000000000000000000000000000000000', t).topic;
  if (o.topic !== undefined && o.topics !== undefined) throw new TypeError('give topic or topics, not both');
  if (o.topic !== undefined) pol.push(['==', '.topic', topicArg(o.topic)]);
  if (o.topics !== undefined) {
    if (o.topics.length === 0) throw new TypeError('topics must name at least one topic');
    pol.push(['or', o.topics.map((t) => ['==', '.topic', topicArg(t)])]);
  }
  const dlg = await Delegation.create({
    iss: o.issuer as never,
    aud: o.audience as never,
    sub: o.subject as never,
    cmd: o.command ?? DOCUMENT_READ,
    pol: pol as never,
    exp: o.expiration,
    ...(o.notBefore !== undefined ? { nbf: o.notBefore } : {}),
    nonce: randomBytes(12),
    now: 0, // creation is not validation: expiry is judged by the verifier, with its own clock
  } as never);
  return { cid: dlg.cid.toString(), bytes: dlg.bytes };
}

export interface InvokeOptions extends DocumentReadArgs {
  readonly issuer: UcanSigner;
  readonly subject: string;
  /** The node that will execute it; binds the invocation to that node. */
  readonly audience?: string;
  /** Root first, ending with the delegation to `issuer`. */
  readonly proofs: readonly UcanToken[];
  readonly expiration: number;
  readonly issuedAt?: number;
}

export async function invokeDocumentRead(o: InvokeOptions): Promise<UcanToken> {
  const payload: Record<string, unknown> = {
    iss: o.issuer.toString(),
    sub: o.subject,
    cmd: DOCUMENT_READ,
    args: argsOf(o.identity, o.topic),
    nonce: randomBytes(12),
    exp: o.expiration,
    prf: o.proofs.map((p) => CID.parse(p.cid)),
  };
  if (o.audience) payload.aud = o.audience;
  if (o.issuedAt !== undefined) payload.iat = o.issuedAt;
  const { signature, signaturePayload } = await Envelope.sign({ spec: 'inv', signer: o.issuer as never, payload: payload as never });
  const bytes = Envelope.encode({ signature, signaturePayload });
  return { cid: (await tokenCid(bytes)).toString(), bytes };
}

/** What the RPC layer receives: the invocation and the delegations its `prf` names. */
export interface DocumentReadRequest {
  readonly invocation: Uint8Array;
  readonly proofs: readonly Uint8Array[];
}

export interface DocumentAccessContext extends DocumentReadArgs {
  /** DID of the party asking (its did:pkh wallet or did:key), authenticated by the invocation signature. */
  readonly verifier: string;
  /** Unix seconds. */
  readonly now: number;
  readonly revocations: RevocationStore;
  /** When given, the invocation must name this audience (the node's DID). */
  readonly audience?: string;
  /** When given, the chain's subject must be one of these DIDs (the identity's management wallets). */
  readonly subjects?: readonly string[];
  /**
   * When given, an invocation may be valid for at most this many seconds from `now` (`exp - now`): a leaked
   * invocation is then worth minutes, not years. Delegations keep their own expiry.
   */
  readonly maxInvocationLifetime?: number;
  /** When given, the invocation is single-use: spent here once everything else holds, refused as `replayed` after. */
  readonly invocations?: InvocationStore;
}

export type DocumentAccessRefusal =
  | 'malformed'
  | 'unsupported-principal'
  | 'bad-signature'
  | 'wrong-command'
  | 'wrong-verifier'
  | 'wrong-audience'
  | 'wrong-subject'
  | 'wrong-identity'
  | 'wrong-topic'
  | 'missing-proof'
  | 'broken-chain'
  | 'policy-violation'
  | 'expired'
  | 'not-yet-valid'
  | 'too-long-lived'
  | 'revoked'
  | 'replayed';

export type DocumentAccessResult =
  | {
    readonly ok: true; readonly subject: string; readonly invocation: string; readonly chain: readonly string[];
    /** Each delegation's audience, root first: `audiences[0]` is whom the subject delegated to (a fund administrator, in a chain of two). */
    readonly audiences: readonly string[];
    readonly nonce: Uint8Array; readonly expiration: number;
  }
  | { readonly ok: false; readonly reason: DocumentAccessRefusal; readonly detail: string };

const refuse = (reason: DocumentAccessRefusal, detail: string): DocumentAccessResult => ({ ok: false, reason, detail });

/** A DID in canonical form (did:pkh addresses are case-insensitive); others as written. */
function canonicalDid(did: string): string {
  if (!did.startsWith('did:pkh:')) return did;
  try {
    return canonicalPkh(did);
  } catch {
    return did;
  }
}

/** DIDs compared in canonical form (did:pkh addresses are case-insensitive). */
function sameDid(a: string | null | undefined, b: string | null | undefined): boolean {
  if (typeof a !== 'string' || typeof b !== 'string') return false;
  if (a.startsWith('did:pkh:') && b.startsWith('did:pkh:')) {
    try {
      return canonicalPkh(a) === canonicalPkh(b);
    } catch {
      return false;
    }
  }
  return a === b;
}

function timeRefusal(what: string, p: { exp: number | null; nbf?: number }, now: number): DocumentAccessResult | null {
  if (p.exp !== null && p.exp <= now) return refuse('expired', `${what} expired at ${p.exp}`);
  if (p.nbf !== undefined && p.nbf > now) return refuse('not-yet-valid', `${what} not valid before ${p.nbf}`);
  return null;
}

/**
 * Checks a `/masque/document/read` invocation for one request, before any contract call. Pure but
 * for the revocation look-up. Order: decode, the request's own terms (command, invoker, identity,
 * topic), signatures, then the chain (alignment, attenuation, time, revocation).
 */
export async function checkDocumentAccess(request: DocumentReadRequest, ctx: DocumentAccessContext): Promise<DocumentAccessResult> {
  let inv: DecodedToken<InvocationPayload>;
  const byCid = new Map<string, DecodedToken<DelegationPayload>>();
  try {
    inv = await decodeToken(request.invocation, 'inv');
    for (const bytes of request.proofs) {
      const d = await decodeToken(bytes, 'dlg');
      byCid.set(d.cid, d);
    }
  } catch (e) {
    if (e instanceof TokenFormatError) return refuse('malformed', e.message);
    throw e;
  }
  const p = inv.payload;
  if (p.cmd !== DOCUMENT_READ) return refuse('wrong-command', `invocation is for ${p.cmd}`);
  if (!sameDid(p.iss, ctx.verifier)) return refuse('wrong-verifier', `invoked by ${p.iss}, not by the requesting verifier`);
  if (ctx.audience !== undefined && !sameDid(p.aud, ctx.audience)) return refuse('wrong-audience', `invocation is addressed to ${p.aud ?? 'nobody'}`);
  const keys = Object.keys(p.args).sort().join(',');
  if (keys !== 'identity,topic' || typeof p.args.identity !== 'string' || typeof p.args.topic !== 'string') {
    return refuse('malformed', 'args must be exactly {identity, topic} as strings');
  }
  const want = argsOf(ctx.identity, ctx.topic);
  if (p.args.identity !== want.identity) return refuse('wrong-identity', `invocation is for identity ${p.args.identity}`);
  if (p.args.topic !== want.topic) return refuse('wrong-topic', `invocation is for topic ${p.args.topic}`);
  if (p.exp === null) return refuse('expired', 'an invocation must carry an expiry');
  const invTime = timeRefusal('invocation', p, ctx.now);
  if (invTime) return invTime;
  if (ctx.maxInvocationLifetime !== undefined && p.exp - ctx.now > ctx.maxInvocationLifetime) {
    return refuse('too-long-lived', `invocation valid for ${p.exp - ctx.now} s from now; at most ${ctx.maxInvocationLifetime} s are accepted (make a fresh invocation per request)`);
  }
  if (ctx.subjects !== undefined && !ctx.subjects.some((s) => sameDid(s, p.sub))) return refuse('wrong-subject', `${p.sub} is not a controller of the identity`);

  const invSig = await verifyToken(inv);
  if (invSig !== 'ok') return refuse(invSig, `invocation signature by ${p.iss}`);

  // A subject invoking on itself needs no proofs; otherwise the chain runs root -> ... -> invoker.
  const chain: DecodedToken<DelegationPayload>[] = [];
  for (const ref of p.prf) {
    const d = byCid.get(ref.toString());
    if (!d) return refuse('missing-proof', `proof ${ref} not supplied`);
    chain.push(d);
  }
  if (chain.length === 0 && !sameDid(p.iss, p.sub)) return refuse('broken-chain', 'no proofs, and the invoker is not the subject');
  for (const [i, d] of chain.entries()) {
    const dp = d.payload;
    const sig = await verifyToken(d);
    if (sig !== 'ok') return refuse(sig, `delegation ${i} (${d.cid}) signature by ${dp.iss}`);
    // Powerline delegations (sub = null) are not accepted: every link names the subject.
    if (!sameDid(dp.sub, p.sub)) return refuse('broken-chain', `delegation ${i} is for subject ${dp.sub}, not ${p.sub}`);
    if (i === 0 && !sameDid(dp.iss, p.sub)) return refuse('broken-chain', 'root delegation is not issued by the subject');
    const nextIssuer = i + 1 < chain.length ? chain[i + 1].payload.iss : p.iss;
    if (!sameDid(dp.aud, nextIssuer)) return refuse('broken-chain', `delegation ${i} is to ${dp.aud}, but the next link is issued by ${nextIssuer}`);
    const nextCmd = i + 1 < chain.length ? chain[i + 1].payload.cmd : p.cmd;
    if (!commandCovers(dp.cmd, nextCmd)) return refuse('broken-chain', `delegation ${i} grants ${dp.cmd}, which does not cover ${nextCmd}`);
    let holds: boolean;
    try {
      holds = validate(p.args, dp.pol as never);
    } catch {
      holds = false; // a policy we cannot evaluate grants nothing
    }
    if (!holds) return refuse('policy-violation', `args ${JSON.stringify(p.args)} are outside delegation ${i}'s policy ${JSON.stringify(dp.pol)}`);
    const t = timeRefusal(`delegation ${i}`, dp, ctx.now);
    if (t) return t;
    if (await ctx.revocations.isRevoked(d.cid)) return refuse('revoked', `delegation ${i} (${d.cid}) is revoked`);
  }
  // Last, once everything else holds (a refused invocation spends nothing), and atomically: of two concurrent
  // presentations of one invocation, one passes.
  if (ctx.invocations && !(await ctx.invocations.spend({ issuer: canonicalDid(p.iss), nonce: p.nonce, cid: inv.cid, expiration: p.exp }))) {
    return refuse('replayed', `invocation ${inv.cid} (nonce of ${p.iss}) was already used: invocations are single-use`);
  }
  return { ok: true, subject: p.sub, invocation: inv.cid, chain: chain.map((d) => d.cid), audiences: chain.map((d) => String(d.payload.aud)), nonce: p.nonce, expiration: p.exp };
}
