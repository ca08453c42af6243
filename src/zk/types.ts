/**
 * Shapes shared by the credential-query and state-transition provers. Numbers and orders here mirror the
 * circuits (circuits/lib/query.circom, circuits/credentialQuery.circom): change them together.
 */

/** The `type` of the request and response JSON (src/zk/README.md). */
export const REQUEST_TYPE = 'masque/credential-query-request@1';
export const RESPONSE_TYPE = 'masque/credential-query-response@1';

/** Operator numbers of circuits/lib/query.circom. */
export const Operator = {
  NOOP: 0,
  EQUAL: 1,
  LESS_THAN: 2,
  GREATER_THAN: 3,
  IN: 4,
  NOT_IN: 5,
  NOT_EQUAL: 6,
  LESS_OR_EQUAL: 7,
  GREATER_OR_EQUAL: 8,
  IN_RANGE: 9,
  NOT_IN_RANGE: 10,
  DISCLOSE: 11,
} as const;
export type OperatorName = keyof typeof Operator;
export type OperatorCode = (typeof Operator)[OperatorName];

/** Size of the public `values` array: sets of up to 16 values; unused entries repeat values[0]. */
export const QUERY_VALUES = 16;
/** Slots a query may read: the data slots i2, i3, v1, v2, v3 (docs/protocol.md). */
export const QUERYABLE_SLOTS = [2, 3, 5, 6, 7] as const;
/** Orderings are proven for integers below 2^252 (circomlib LessThan(252)). */
export const MAX_ORDERED_VALUE = (1n << 252n) - 1n;

/** Public signals of circuits/credentialQuery.circom, in circom's order: outputs, then public inputs. */
export const CREDENTIAL_QUERY_SIGNALS = [
  'nullifier',
  'revealedValue',
  'commitment',
  'issuerId',
  'issuerState',
  'schema',
  'slotIndex',
  'operator',
  ...Array.from({ length: QUERY_VALUES }, (_, i) => `values[${i}]`),
  'timestamp',
  'verifierId',
  'requestId',
  'challenge',
] as const;

export const STATE_TRANSITION_SIGNALS = ['id', 'oldState', 'newState', 'isOldStateGenesis', 'gistOldRoot', 'gistNewRoot'] as const;

/**
 * Public signals of circuits/holderAuth.circom: commitment = H(holderId, salt) (output), the GIST root it proves
 * against (the verifier checks it is a recent root of the registry), the challenge (equal to the query's).
 */
export const HOLDER_AUTH_SIGNALS = ['commitment', 'gistRoot', 'challenge'] as const;

export interface HolderAuthPublic {
  readonly commitment: bigint;
  readonly gistRoot: bigint;
  readonly challenge: bigint;
}

export interface CredentialQueryPublic {
  readonly nullifier: bigint;
  /** The slot's value for DISCLOSE, 0 otherwise. */
  readonly revealedValue: bigint;
  /** H(holderId, salt): equal to the holder-auth proof's. */
  readonly commitment: bigint;
  readonly issuerId: bigint;
  readonly issuerState: bigint;
  readonly schema: bigint;
  readonly slotIndex: number;
  readonly operator: OperatorCode;
  readonly values: readonly bigint[];
  readonly timestamp: bigint;
  readonly verifierId: bigint;
  readonly requestId: bigint;
  readonly challenge: bigint;
}

export interface StateTransitionPublic {
  readonly id: bigint;
  readonly oldState: bigint;
  readonly newState: bigint;
  readonly isOldStateGenesis: boolean;
  readonly gistOldRoot: bigint;
  readonly gistNewRoot: bigint;
}

/** snarkjs's Groth16 proof object (decimal strings, projective coordinates). */
export interface Groth16Proof {
  readonly pi_a: readonly string[];
  readonly pi_b: readonly (readonly string[])[];
  readonly pi_c: readonly string[];
  readonly protocol: 'groth16';
  readonly curve: 'bn128';
}

export interface ProofWithSignals {
  readonly proof: Groth16Proof;
  /** Decimal strings, in the circuit's public-signal order. */
  readonly publicSignals: readonly string[];
}

/** Where a prover finds a circuit's witness generator and proving key: file paths or URLs (node) or bytes. */
export interface ProverArtifacts {
  readonly wasm: string | Uint8Array;
  readonly zkey: string | Uint8Array;
}

/** snarkjs's verification key JSON (exportVerificationKey). */
export type VerificationKey = Record<string, unknown> & { readonly nPublic: number; readonly protocol: string };

export class ZkError extends Error {
  override readonly name = 'ZkError';
  constructor(
    readonly code: 'BAD_INPUT' | 'UNSATISFIED' | 'BAD_RESPONSE',
    message: string,
  ) {
    super(message);
  }
}
