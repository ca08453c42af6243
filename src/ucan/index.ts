export { eip191Signer, ed25519Signer, type UcanSigner, type Ed25519UcanSigner, type MessageSigningAccount } from './signers.js';
export { verifyIssuerSignature, type VerifyOutcome } from './verify.js';
export { MemoryRevocationStore, type InvocationStore, type RevocationStore } from './revocation.js';
export { decodeToken, verifyToken, tokenCid, commandCovers, TokenFormatError, UCAN_VERSION, type DecodedToken, type DelegationPayload, type InvocationPayload } from './token.js';
export {
  DOCUMENT_READ,
  delegateDocumentRead,
  invokeDocumentRead,
  checkDocumentAccess,
  type UcanToken,
  type DocumentReadArgs,
  type DelegateOptions,
  type InvokeOptions,
  type DocumentReadRequest,
  type DocumentAccessContext,
  type DocumentAccessRefusal,
  type DocumentAccessResult,
} from './document-access.js';
