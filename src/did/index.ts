export { DidError } from './errors.js';
export { checksumAddress, formatCaip10, parseCaip10, formatPkh, parsePkh, isPkh, canonicalPkh, type PkhAccount } from './pkh.js';
export { MULTICODEC, formatDidKey, parseDidKey, mlKemDid, mlKemPublicKeyFromDid, mlKemKeyId, ed25519Did, type DidKey, type DidKeyType } from './key.js';
export {
  pkhDidDocument,
  didKeyDocument,
  resolveDidDocument,
  type DidDocument,
  type VerificationMethod,
  type ServiceEndpoint,
  type PkhChainFacts,
} from './document.js';
