// ZK identities (README.md here). Browser-safe: the SQLite store (better-sqlite3, Node only) is its own entry point,
// ./sqlite-store.js, so a bundle of this module never pulls it in.
export { Identity, IdentityError, verifyIssuedClaim, verifyNotRevoked, type IssuedClaim, type RevocationStatus, type CreateIdentityOptions } from './identity.js';
export { idFromGenesisState, parseId, isGenesisOf, IdError, Network, DID_PREFIX, type Id } from './id.js';
export {
  identityState, authLeafValue, genesisAuthTree, transitionMessage, checkStateTransition, verifyStateTransition,
  AUTH_TREE_DEPTH, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH, MAX_KEY_SLOTS, REVOCATION_NONCE_SPACE,
  type IdentityRoots, type StateTransition,
} from './state.js';
export { MemoryIdentityStore, type IdentityStore, type IdentityRecord, type IssuedClaimRecord } from './store.js';
export { stringifyWithBigints, parseWithBigints } from './json.js';
