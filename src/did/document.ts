import type { Address } from 'viem';
import { formatCaip10, formatPkh, parsePkh } from './pkh.js';
import { parseDidKey, type DidKeyType } from './key.js';

/**
 * W3C DID Core documents, built from the DID and from facts the caller read on chain: pure functions,
 * so the node can resolve a DID from its own view of chain state and tests need no chain.
 */
export interface VerificationMethod {
  readonly id: string;
  readonly type: string;
  readonly controller: string;
  readonly blockchainAccountId?: string;
  readonly publicKeyMultibase?: string;
}

export interface ServiceEndpoint {
  readonly id: string;
  readonly type: string;
  readonly serviceEndpoint: string;
}

export interface DidDocument {
  readonly '@context': readonly (string | Record<string, unknown>)[];
  readonly id: string;
  readonly verificationMethod: readonly VerificationMethod[];
  readonly authentication?: readonly string[];
  readonly assertionMethod?: readonly string[];
  readonly capabilityInvocation?: readonly string[];
  readonly capabilityDelegation?: readonly string[];
  readonly keyAgreement?: readonly string[];
  readonly service?: readonly ServiceEndpoint[];
}

const DID_V1 = 'https://www.w3.org/ns/did/v1';
const MULTIKEY_V1 = 'https://w3id.org/security/multikey/v1';

/** What the chain says about a wallet, as far as its DID document goes. */
export interface PkhChainFacts {
  /** did:key (mlkem-768-pub) encryption keys the wallet registered for receiving documents. */
  readonly encryptionKeys?: readonly string[];
  /** Identity contracts (ONCHAINID) for which this wallet is a management key. */
  readonly identities?: readonly Address[];
}

export function pkhDidDocument(did: string, facts: PkhChainFacts = {}): DidDocument {
  const account = parsePkh(did);
  const id = formatPkh(account);
  const vmId = `${id}#blockchainAccountId`;
  const keyMethods = (facts.encryptionKeys ?? []).map((keyDid, i) => multikeyMethod(`${id}#encryption-${i}`, id, keyDid, 'mlkem-768-pub'));
  return {
    '@context': [
      DID_V1,
      MULTIKEY_V1,
      {
        EcdsaSecp256k1RecoveryMethod2020: 'https://identity.foundation/EcdsaSecp256k1RecoverySignature2020#EcdsaSecp256k1RecoveryMethod2020',
        blockchainAccountId: 'https://w3id.org/security#blockchainAccountId',
      },
    ],
    id,
    verificationMethod: [
      { id: vmId, type: 'EcdsaSecp256k1RecoveryMethod2020', controller: id, blockchainAccountId: formatCaip10(account) },
      ...keyMethods,
    ],
    authentication: [vmId],
    assertionMethod: [vmId],
    capabilityInvocation: [vmId],
    capabilityDelegation: [vmId],
    ...(keyMethods.length ? { keyAgreement: keyMethods.map((m) => m.id) } : {}),
    ...(facts.identities?.length
      ? {
          service: facts.identities.map((identity, i) => ({
            id: `${id}#identity-${i}`,
            type: 'MasqueIdentity',
            serviceEndpoint: formatPkh({ chainId: account.chainId, address: identity }),
          })),
        }
      : {}),
  };
}

function multikeyMethod(id: string, controller: string, keyDid: string, expected?: DidKeyType): VerificationMethod {
  const key = parseDidKey(keyDid);
  if (expected && key.type !== expected) throw new TypeError(`${id}: expected a ${expected} did:key, got ${key.type}`);
  return { id, type: 'Multikey', controller, publicKeyMultibase: keyDid.slice('did:key:'.length) };
}

/**
 * The did:key document: one Multikey method named by the key's own fingerprint. An Ed25519 key
 * authenticates and signs; an ML-KEM-768 key only agrees keys (it is a KEM, it cannot sign).
 */
export function didKeyDocument(did: string): DidDocument {
  const key = parseDidKey(did);
  const fingerprint = did.slice('did:key:'.length);
  const method = multikeyMethod(`${did}#${fingerprint}`, did, did);
  const refs = [method.id];
  return {
    '@context': [DID_V1, MULTIKEY_V1],
    id: did,
    verificationMethod: [method],
    ...(key.type === 'mlkem-768-pub'
      ? { keyAgreement: refs }
      : { authentication: refs, assertionMethod: refs, capabilityInvocation: refs, capabilityDelegation: refs }),
  };
}

/** Resolves either DID method this project uses; `facts` only matter for did:pkh. */
export function resolveDidDocument(did: string, facts?: PkhChainFacts): DidDocument {
  if (did.startsWith('did:pkh:')) return pkhDidDocument(did, facts);
  if (did.startsWith('did:key:')) return didKeyDocument(did);
  throw new TypeError(`unsupported DID method: ${did.split(':')[1] ?? did}`);
}
