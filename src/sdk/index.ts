export { MasqueClient, MasqueRpcError, type RequestSigner, type Unsigned } from './client.js';
export { generateEncryptionKey, encryptDocument, decryptDocument, wrapKey, unwrapKey, rewrap, toBase64, fromBase64, type EncryptionKey, type SealedDocument } from './crypto.js';
export { delegate, invoke, READ_DOCUMENT, type MessageSigner } from '../node/capability.js';
export { signClaim, claimTypedData, ClaimTopic } from '../chain/identity.js';
export type { Api, MethodName, Params, Result } from '../node/api.js';
export { sha256Hex } from './hash.js';
