/**
 * Zero-knowledge proofs for Masque (README.md here): credential queries and state transitions, proven with
 * Groth16 over the circuits in circuits/. Browser-safe; node helpers that load the committed artifacts from
 * disk are in ./node.ts.
 */
export * from './types.js';
export {
  credentialQueryInputs, stateTransitionInputs, genesisHolder, holderSubject, siblingsMatrix, nullifierOf, padValues, checkQuery, evaluateOperator,
  type CircuitInputs, type HolderWitness, type QueryHolder, type CredentialWitness, type CredentialQuery,
} from './inputs.js';
export {
  proveInputs, proveCredentialQuery, proveHolderAuth, proveAnswer, proveStateTransition, witnessSatisfies, verifyProof,
  parseCredentialQuerySignals, parseStateTransitionSignals, parseHolderAuthSignals, releaseProverResources, type AnswerProofs,
} from './prover.js';
export {
  parseRequest, requestToJson, responseToJson, verifyResponse,
  type CredentialQueryRequest, type CredentialQueryRequestJson, type CredentialQueryResponseJson, type ResponseVerificationKeys, type VerifyResponseOptions, type VerifyResponseResult, type RefusalCode,
} from './request.js';
export {
  GlobalStateTree, gistUpdateRoot, GIST_DEPTH, GIST_KEY_HIGH_BITS, type GistProof, type GistUpdateWitness,
} from './gist.js';
export {
  holderAuthInputs, holderAuthWitness, holderCommitment, freshSalt, type HolderAuthWitness, type HolderAuthParams,
} from './holder-auth.js';
export { onchainHolderRequest, type RequestQueryJson } from './onchain.js';
export { MemoryNullifierStore, type GistReader, type IdentityStateReader, type IdentityStatePublisher, type PublicationReceipt, type NullifierStore } from './registry.js';
export { ZkIssuer, type CredentialSource, type PublishResult } from './issuer.js';
export { ZkHolder, walletHolderWitness, type HolderKeys, type HolderArtifacts } from './holder.js';
export { ZkVerifier, type ZkVerifierOptions, type RequestParams } from './verifier.js';
