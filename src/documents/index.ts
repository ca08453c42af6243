export { IntegrityError, DecryptionError, ContextMismatchError, FormatError } from './errors.js';
export {
  type ClaimContext,
  type EnvelopeContext,
  normalizeClaimContext,
  normalizeEnvelopeContext,
  parseDocumentCid,
  claimContextBytes,
  envelopeInfo,
} from './context.js';
export { documentHash, documentCid, cidDocumentHash, cidOfDigest } from './hashes.js';
export { sealDocument, openDocument, documentCipherOf, DOCUMENT_KEY_BYTES, type DocumentCipher, type SealedDocument } from './document.js';
export {
  wrapKey,
  openEnvelope,
  rewrapKey,
  encodeEnvelope,
  decodeEnvelope,
  envelopeRef,
  envelopeContext,
  type KeyEnvelope,
} from './envelope.js';
export {
  generateRecipientKeyPair,
  sealBase,
  openBase,
  keySchedule,
  keyScheduleFor,
  expandSecretKey,
  KEM_ML_KEM_768,
  KDF_HKDF_SHA256,
  AEAD_AES_256_GCM,
  AEAD_CHACHA20_POLY1305,
  type HpkeAead,
  type RecipientKeyPair,
} from './hpke.js';
export { storeDocument, fetchDocument, fetchAndOpenDocument } from './store.js';
export { delegationTopic, onwardTopic } from './delegation.js';
