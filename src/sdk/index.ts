export { MasqueClient, MasqueRpcError, type RequestSigner, type Unsigned } from './client.js';
export { toBase64, fromBase64 } from './base64.js';
export { generateEncryptionKey, sealForClaim, openSealed, rewrapFor, type EncryptionKey, type SealedForClaim, type ClaimRef } from './crypto.js';
export { delegateRead, delegateToAdministrator, delegateOnward, readRequest, type UcanToken } from './capability.js';
export { mlKemKeyId } from '../did/index.js';
export { signClaim, claimTypedData, ClaimTopic } from '../chain/identity.js';
export type { Api, MethodName, Params, Result } from '../protocol/api.js';
export { sha256Hex } from './hash.js';
export { MasqueZk, nodeStateRegistry } from './zk.js';
