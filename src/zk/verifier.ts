/**
 * The verifier role, off-chain: creates requests with a fresh challenge and request id, and checks responses
 * against the request it made, the issuer states in the registry and the nullifiers it already accepted. The
 * on-chain counterpart is contracts/zk/ZkQueryVerifier.sol (src/chain/zk.ts).
 */
import { bytesToBigintLE } from '../crypto/bytes.js';
import type { IdentityStateReader, NullifierStore } from './registry.js';
import { MemoryNullifierStore } from './registry.js';
import {
  parseRequest, requestToJson, verifyResponse, type CredentialQueryRequestJson, type CredentialQueryResponseJson, type ResponseVerificationKeys,
  type VerifyResponseResult,
} from './request.js';
import type { OperatorName } from './types.js';

export interface ZkVerifierOptions {
  /** Who asks: scopes the holders' nullifiers (e.g. an address as an integer). */
  readonly verifierId: bigint;
  readonly verificationKeys: ResponseVerificationKeys;
  readonly registry: IdentityStateReader;
  /**
   * How long (seconds) an issuer state, or a GIST root, stays acceptable after it was replaced; default one hour
   * (a claim revoked, or a holder key rotated out, still proves for that long).
   */
  readonly maxStateAge?: number;
  readonly nullifiers?: NullifierStore;
  /** Unix seconds; the request's `timestamp` (claims must not be expired then). */
  readonly now?: () => number;
}

export interface RequestParams {
  /** Accepted issuers: IDs (string form or DID). */
  readonly issuers: readonly string[];
  readonly schema: bigint;
  readonly slotIndex: number;
  readonly operator: OperatorName;
  readonly values?: readonly bigint[];
  /** Default: a fresh random 64-bit id (the nullifier scope: one answer per holder and request id). */
  readonly requestId?: bigint;
}

/** Below 2^248 for 31 bytes: always a field element. */
const randomField = (bytes: number) => bytesToBigintLE(crypto.getRandomValues(new Uint8Array(bytes)));

export class ZkVerifier {
  private readonly nullifiers: NullifierStore;
  private readonly maxStateAge: number;
  private readonly now: () => number;

  constructor(private readonly options: ZkVerifierOptions) {
    this.nullifiers = options.nullifiers ?? new MemoryNullifierStore();
    this.maxStateAge = options.maxStateAge ?? 3600;
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
  }

  /** A request with a fresh 248-bit challenge; keep it (it is what `verify` checks the response against). */
  createRequest(params: RequestParams): CredentialQueryRequestJson {
    const json = requestToJson({
      verifierId: this.options.verifierId,
      requestId: params.requestId ?? randomField(8),
      challenge: randomField(31),
      issuers: [],
      schema: params.schema,
      slotIndex: params.slotIndex,
      operator: params.operator,
      values: [...(params.values ?? [])],
      timestamp: BigInt(this.now()),
    }, params.issuers);
    parseRequest(json); // the checks a holder will run (issuer IDs, slot, operator, values): a bad request fails here
    return json;
  }

  /**
   * Checks `response` against `request` (every public input, the issuer, its state in the registry, a fresh
   * nullifier, the proof) and records the nullifier when it is accepted.
   */
  async verify(request: CredentialQueryRequestJson, response: CredentialQueryResponseJson): Promise<VerifyResponseResult> {
    const parsed = parseRequest(request);
    const result = await verifyResponse(parsed, response, this.options.verificationKeys, {
      issuerStateValid: (id, state) => this.options.registry.isStateValid(id, state, this.maxStateAge),
      gistRootValid: (root) => this.options.registry.isGistRootValid(root, this.maxStateAge),
      nullifierSeen: (nullifier) => this.nullifiers.has(parsed.requestId, nullifier),
    });
    // add() is the atomic check: two concurrent answers of one holder both pass `has`, only one is added.
    if (result.ok && !(await this.nullifiers.add(parsed.requestId, result.signals.nullifier))) return { ok: false, code: 'NULLIFIER_USED', reason: 'nullifier already used' };
    return result;
  }
}
