import * as dagCbor from '@ipld/dag-cbor';
import { CID } from 'multiformats/cid';
import { sha256 } from 'multiformats/hashes/sha2';
import * as varsig from 'iso-ucan/varsig';
import { equalBytes } from '../crypto/bytes.js';
import { verifyIssuerSignature, type VerifyOutcome } from './verify.js';

/**
 * UCAN 1.0 envelopes (DAG-CBOR `[signature, {h: varsig header, "ucan/<dlg|inv>@1.0.0-rc.1": payload}]`),
 * as iso-ucan writes them, decoded and checked here without trusting iso-ucan's verification: the
 * bytes must be canonical DAG-CBOR (re-encoding gives the same bytes, so the CID = sha2-256 of the
 * bytes as received is the one every party computes), and the signature is checked by `verify.ts`.
 */
export const UCAN_VERSION = '1.0.0-rc.1';

export interface DelegationPayload {
  readonly iss: string;
  readonly aud: string;
  readonly sub: string | null;
  readonly cmd: string;
  readonly pol: readonly unknown[];
  readonly nonce: Uint8Array;
  readonly exp: number | null;
  readonly nbf?: number;
  readonly meta?: Record<string, unknown>;
}

export interface InvocationPayload {
  readonly iss: string;
  readonly sub: string;
  readonly aud?: string;
  readonly cmd: string;
  readonly args: Record<string, unknown>;
  readonly nonce: Uint8Array;
  readonly exp: number | null;
  readonly prf: readonly { toString(): string }[];
  readonly nbf?: number;
  readonly iat?: number;
  readonly meta?: Record<string, unknown>;
}

export interface DecodedToken<P> {
  readonly spec: 'dlg' | 'inv';
  readonly cid: string;
  readonly alg: string;
  readonly payload: P;
  readonly signature: Uint8Array;
  /** The exact bytes that were signed: DAG-CBOR of the signature payload. */
  readonly signed: Uint8Array;
}

export class TokenFormatError extends Error {
  override readonly name = 'TokenFormatError';
}

export async function tokenCid(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(dagCbor.code, await sha256.digest(bytes));
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
const isTime = (v: unknown) => v === null || Number.isSafeInteger(v);

/** Segment-wise UCAN command check: "/" covers everything, "/a/b" covers "/a/b" and "/a/b/…", not "/a/bc". */
export function commandCovers(delegated: string, invoked: string): boolean {
  return delegated === '/' || invoked === delegated || invoked.startsWith(`${delegated}/`);
}

export function isValidCommand(cmd: unknown): cmd is string {
  return typeof cmd === 'string' && (cmd === '/' || /^(\/[a-z0-9_.-]+)+$/.test(cmd));
}

export async function decodeToken<S extends 'dlg' | 'inv'>(
  bytes: Uint8Array,
  spec: S,
): Promise<DecodedToken<S extends 'dlg' ? DelegationPayload : InvocationPayload>> {
  let decoded: unknown;
  try {
    decoded = dagCbor.decode(bytes);
  } catch {
    throw new TokenFormatError('not DAG-CBOR');
  }
  if (!equalBytes(dagCbor.encode(decoded), bytes)) throw new TokenFormatError('not canonical DAG-CBOR');
  if (!Array.isArray(decoded) || decoded.length !== 2 || !(decoded[0] instanceof Uint8Array) || !isRecord(decoded[1])) {
    throw new TokenFormatError('not a UCAN envelope');
  }
  const [signature, sigPayload] = decoded as [Uint8Array, Record<string, unknown>];
  const keys = Object.keys(sigPayload);
  const tag = `ucan/${spec}@${UCAN_VERSION}`;
  if (keys.length !== 2 || !(sigPayload.h instanceof Uint8Array) || !isRecord(sigPayload[tag])) {
    throw new TokenFormatError(`not a ${tag} envelope`);
  }
  let header: { alg: string; enc: string };
  try {
    header = varsig.decode(sigPayload.h);
  } catch {
    throw new TokenFormatError('bad varsig header');
  }
  if (header.enc !== 'DAG-CBOR') throw new TokenFormatError(`payload encoding ${header.enc} not accepted`);
  const p = sigPayload[tag] as Record<string, unknown>;
  const common =
    typeof p.iss === 'string' && isValidCommand(p.cmd) && p.nonce instanceof Uint8Array && isTime(p.exp) && (p.nbf === undefined || Number.isSafeInteger(p.nbf)) && (p.meta === undefined || isRecord(p.meta));
  const specific =
    spec === 'dlg'
      ? typeof p.aud === 'string' && (p.sub === null || typeof p.sub === 'string') && Array.isArray(p.pol)
      : typeof p.sub === 'string' && (p.aud === undefined || typeof p.aud === 'string') && isRecord(p.args) && Array.isArray(p.prf) && p.prf.every((c) => CID.asCID(c) !== null);
  if (!common || !specific) throw new TokenFormatError(`malformed ${spec} payload`);
  return {
    spec,
    cid: (await tokenCid(bytes)).toString(),
    alg: header.alg,
    payload: p as never,
    signature,
    signed: dagCbor.encode(sigPayload),
  };
}

export function verifyToken(token: DecodedToken<{ iss: string }>): Promise<VerifyOutcome> {
  return verifyIssuerSignature(token.payload.iss, token.alg, token.signed, token.signature);
}
