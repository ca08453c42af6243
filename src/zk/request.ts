/**
 * The request/response JSON exchanged between a verifier and a holder (documented in README.md here),
 * and the verifier-side check of a response: the proof, and that its public signals answer this request.
 * Pure: no node APIs.
 */
import { isFieldElement } from '../crypto/field.js';
import { parseId } from '../identity/index.js';
import { checkQuery, padValues, type CredentialQuery } from './inputs.js';
import { parseCredentialQuerySignals, parseHolderAuthSignals, verifyProof, type AnswerProofs } from './prover.js';
import { Operator, ZkError, type CredentialQueryPublic, type Groth16Proof, type HolderAuthPublic, type OperatorName, type VerificationKey } from './types.js';

import { REQUEST_TYPE, RESPONSE_TYPE } from './types.js';

/** JSON request. Field elements are decimal strings. */
export interface CredentialQueryRequestJson {
  readonly type: typeof REQUEST_TYPE;
  readonly verifierId: string;
  readonly requestId: string;
  readonly challenge: string;
  /** Issuer IDs (string form or DID) whose claims are accepted. */
  readonly issuers: readonly string[];
  readonly schema: string;
  readonly slotIndex: number;
  readonly operator: OperatorName;
  readonly values: readonly string[];
  /** Unix seconds. */
  readonly timestamp: number | string;
}

export interface CredentialQueryResponseJson {
  readonly type: typeof RESPONSE_TYPE;
  readonly requestId: string;
  /** The credential query proof and its 28 public signals. */
  readonly proof: Groth16Proof;
  readonly publicSignals: readonly string[];
  /** The holder-auth proof and its 3 public signals (commitment, gistRoot, challenge). */
  readonly auth: { readonly proof: Groth16Proof; readonly publicSignals: readonly string[] };
}

export interface CredentialQueryRequest extends CredentialQuery {
  readonly issuers: readonly bigint[];
}

function field(value: unknown, name: string): bigint {
  if (typeof value !== 'string' || !/^\d{1,78}$/.test(value)) throw new ZkError('BAD_INPUT', `${name}: expected a decimal string`);
  const x = BigInt(value);
  if (!isFieldElement(x)) throw new ZkError('BAD_INPUT', `${name}: not a field element`);
  return x;
}

export function parseRequest(json: unknown): CredentialQueryRequest {
  const r = json as Partial<CredentialQueryRequestJson>;
  if (typeof r !== 'object' || r === null || r.type !== REQUEST_TYPE) throw new ZkError('BAD_INPUT', `type: expected ${REQUEST_TYPE}`);
  if (!Array.isArray(r.values)) throw new ZkError('BAD_INPUT', 'values: expected an array');
  if (!Array.isArray(r.issuers) || r.issuers.length === 0) throw new ZkError('BAD_INPUT', 'issuers: expected a non-empty array');
  const timestamp = typeof r.timestamp === 'number' ? BigInt(r.timestamp) : field(r.timestamp, 'timestamp');
  const request: CredentialQueryRequest = {
    verifierId: field(r.verifierId, 'verifierId'),
    requestId: field(r.requestId, 'requestId'),
    challenge: field(r.challenge, 'challenge'),
    issuers: r.issuers.map((i, n) => {
      try { return parseId(i).bigint; } catch { throw new ZkError('BAD_INPUT', `issuers[${n}]: not a Masque ID`); }
    }),
    schema: field(r.schema, 'schema'),
    slotIndex: Number(r.slotIndex),
    operator: r.operator as OperatorName,
    values: r.values.map((v, i) => field(v, `values[${i}]`)),
    timestamp,
  };
  checkQuery(request);
  return request;
}

export function requestToJson(r: CredentialQueryRequest, issuers: readonly string[]): CredentialQueryRequestJson {
  return {
    type: REQUEST_TYPE,
    verifierId: r.verifierId.toString(),
    requestId: r.requestId.toString(),
    challenge: r.challenge.toString(),
    issuers,
    schema: r.schema.toString(),
    slotIndex: r.slotIndex,
    operator: r.operator,
    values: r.values.map(String),
    timestamp: r.timestamp.toString(),
  };
}

export function responseToJson(requestId: bigint, p: AnswerProofs): CredentialQueryResponseJson {
  return {
    type: RESPONSE_TYPE, requestId: requestId.toString(), proof: p.query.proof, publicSignals: p.query.publicSignals,
    auth: { proof: p.auth.proof, publicSignals: p.auth.publicSignals },
  };
}

/** The verification keys of both proofs of a response (src/zk/node.ts loadVerificationKey in node). */
export interface ResponseVerificationKeys {
  readonly credentialQuery: VerificationKey;
  readonly holderAuth: VerificationKey;
}

export interface VerifyResponseOptions {
  /** Is `state` a state of issuer `issuerId` the verifier accepts (the on-chain registry, in production)? */
  readonly issuerStateValid: (issuerId: bigint, state: bigint) => boolean | Promise<boolean>;
  /** Is `root` a GIST root the verifier accepts (the registry's current one or a recent one)? */
  readonly gistRootValid: (root: bigint) => boolean | Promise<boolean>;
  /** Has this nullifier already answered this request? */
  readonly nullifierSeen?: (nullifier: bigint) => boolean | Promise<boolean>;
}

/**
 * Why a response is refused: the same names, for the same checks, as ZkQueryVerifier's refusal codes
 * (src/chain/zk.ts QueryRefusal), plus BAD_RESPONSE for a malformed one.
 */
export type RefusalCode =
  | 'BAD_RESPONSE' | 'WRONG_SCHEMA' | 'WRONG_SLOT' | 'WRONG_OPERATOR' | 'WRONG_VALUES' | 'WRONG_TIMESTAMP'
  | 'WRONG_VERIFIER_ID' | 'WRONG_REQUEST_ID' | 'WRONG_CHALLENGE' | 'ISSUER_NOT_TRUSTED' | 'ISSUER_STATE_INVALID'
  | 'NULLIFIER_USED' | 'INVALID_PROOF' | 'AUTH_MISMATCH' | 'GIST_ROOT_INVALID' | 'INVALID_AUTH_PROOF';

export type VerifyResponseResult =
  | { readonly ok: true; readonly signals: CredentialQueryPublic; readonly auth: HolderAuthPublic }
  | { readonly ok: false; readonly code: RefusalCode; readonly reason: string };

/**
 * Verifier side: the response answers exactly `request` (every public input matches), the holder-auth proof is
 * bound to the query (equal commitments and challenges), the issuer is accepted and its state valid, the GIST root
 * of the auth proof accepted, the nullifier is fresh, and both Groth16 proofs verify. Throws ZkError
 * BAD_INPUT when `request` itself is malformed (checkQuery): the circuit leaves the range of the public
 * ordering bounds to the verifier, so a request outside it must never be read.
 */
export async function verifyResponse(
  request: CredentialQueryRequest,
  response: CredentialQueryResponseJson,
  vkeys: ResponseVerificationKeys,
  options: VerifyResponseOptions,
): Promise<VerifyResponseResult> {
  checkQuery(request);
  const fail = (code: RefusalCode, reason: string) => ({ ok: false as const, code, reason });
  if (response?.type !== RESPONSE_TYPE) return fail('BAD_RESPONSE', 'not a credential query response');
  let s: CredentialQueryPublic;
  let a: HolderAuthPublic;
  try {
    s = parseCredentialQuerySignals(response.publicSignals);
    if (typeof response.auth !== 'object' || response.auth === null) throw new ZkError('BAD_RESPONSE', 'auth: the holder-auth proof is missing');
    a = parseHolderAuthSignals(response.auth.publicSignals);
  } catch (e) {
    return fail('BAD_RESPONSE', (e as Error).message);
  }
  const padded = padValues(request.values);
  const mismatch: [RefusalCode, string] | undefined =
    s.schema !== request.schema ? ['WRONG_SCHEMA', 'schema'] :
    s.slotIndex !== request.slotIndex ? ['WRONG_SLOT', 'slotIndex'] :
    s.operator !== Operator[request.operator] ? ['WRONG_OPERATOR', 'operator'] :
    s.values.some((v, i) => v !== padded[i]) ? ['WRONG_VALUES', 'values'] :
    s.timestamp !== request.timestamp ? ['WRONG_TIMESTAMP', 'timestamp'] :
    s.verifierId !== request.verifierId ? ['WRONG_VERIFIER_ID', 'verifierId'] :
    s.requestId !== request.requestId ? ['WRONG_REQUEST_ID', 'requestId'] :
    s.challenge !== request.challenge ? ['WRONG_CHALLENGE', 'challenge'] :
    undefined;
  if (mismatch) return fail(mismatch[0], `the response answers another request (${mismatch[1]})`);
  if (a.commitment !== s.commitment || a.challenge !== s.challenge) return fail('AUTH_MISMATCH', 'the holder-auth proof is not bound to the query (commitment or challenge)');
  if (!request.issuers.includes(s.issuerId)) return fail('ISSUER_NOT_TRUSTED', 'issuer not accepted');
  if (!(await options.issuerStateValid(s.issuerId, s.issuerState))) return fail('ISSUER_STATE_INVALID', 'unknown issuer state');
  if (!(await options.gistRootValid(a.gistRoot))) return fail('GIST_ROOT_INVALID', 'the holder-auth proof\'s GIST root is unknown or too old');
  if (options.nullifierSeen && (await options.nullifierSeen(s.nullifier))) return fail('NULLIFIER_USED', 'nullifier already used');
  if (!(await verifyProof(vkeys.credentialQuery, response))) return fail('INVALID_PROOF', 'invalid proof');
  if (!(await verifyProof(vkeys.holderAuth, response.auth))) return fail('INVALID_AUTH_PROOF', 'invalid holder-auth proof');
  return { ok: true, signals: s, auth: a };
}
