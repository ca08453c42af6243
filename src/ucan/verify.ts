import { ed25519 } from '@noble/curves/ed25519.js';
import { bytesToHex, recoverMessageAddress } from 'viem';
import { isCanonicalEcdsaSignature } from '../crypto/ecdsa.js';
import { parsePkh } from '../did/pkh.js';
import { parseDidKey } from '../did/key.js';

/**
 * Signature checks for UCAN issuers. iso-signatures' EIP-191 verifier recovers a public key from
 * the signature and then verifies the signature against that same key, which holds for any
 * well-formed signature: it never compares with the DID's address, so anyone could sign as any
 * did:pkh. Here the recovered address must equal the did:pkh address.
 *
 * Both checks also refuse malleable encodings (secp256k1 high-s or v outside {27, 28}; Ed25519
 * outside strict RFC 8032), because a UCAN's CID covers its signature and revocation is by CID:
 * a malleated twin of a revoked delegation would otherwise have a fresh, unrevoked CID.
 */
export type VerifyOutcome = 'ok' | 'bad-signature' | 'unsupported-principal';

export async function verifyIssuerSignature(issuer: string, alg: string, message: Uint8Array, signature: Uint8Array): Promise<VerifyOutcome> {
  if (issuer.startsWith('did:pkh:')) {
    if (alg !== 'EIP191') return 'unsupported-principal';
    let address: string;
    try {
      address = parsePkh(issuer).address;
    } catch {
      return 'unsupported-principal';
    }
    if (!isCanonicalEcdsaSignature(signature)) return 'bad-signature';
    try {
      const recovered = await recoverMessageAddress({ message: { raw: message }, signature: bytesToHex(signature) });
      return recovered.toLowerCase() === address.toLowerCase() ? 'ok' : 'bad-signature';
    } catch {
      return 'bad-signature';
    }
  }
  if (issuer.startsWith('did:key:')) {
    let key;
    try {
      key = parseDidKey(issuer);
    } catch {
      return 'unsupported-principal';
    }
    // An ML-KEM key cannot sign; only Ed25519 did:keys issue UCANs here.
    if (key.type !== 'ed25519-pub' || alg !== 'Ed25519') return 'unsupported-principal';
    try {
      return ed25519.verify(signature, message, key.publicKey, { zip215: false }) ? 'ok' : 'bad-signature';
    } catch {
      return 'bad-signature';
    }
  }
  return 'unsupported-principal';
}
