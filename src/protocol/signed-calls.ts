// The calls the node relays through `Identity.executeSigned` for a subject (on its identity) or an issuer (on its
// ClaimIssuer, itself an Identity), derived from a method's params. Shared by the node (which rebuilds the call and
// checks the signature before paying gas) and the SDK (which signs the same call), so both sides always agree on
// the bytes signed.
import { encodeFunctionData, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../chain/artifacts/ClaimIssuer.js';
import { ECDSA_KEY_TYPE, KeyPurpose, MLKEM768_KEY_TYPE, executeTypedData, registryKey, walletKey, type SignedCall } from '../chain/identity.js';
import { decodeEnvelope, delegationTopic, envelopeRef, onwardTopic } from '../documents/index.js';
import { mlKemKeyId } from '../did/index.js';

export const SIGNED_CALL_METHODS = [
  'id_addKey', 'id_removeKey', 'id_grantClaimAccess', 'id_revokeClaimAccess', 'id_revokeClaim',
  'id_addEncryptionKey', 'id_delegateClaimAccess', 'id_revokeClaimDelegation', 'id_grantDelegatedAccess', 'id_revokeDelegatedAccess',
] as const;
export type SignedCallMethod = (typeof SIGNED_CALL_METHODS)[number];

export function isSignedCallMethod(m: string): m is SignedCallMethod {
  return (SIGNED_CALL_METHODS as readonly string[]).includes(m);
}

/** The subject's signature over one call (see `executeTypedData`); `nonce` is any unused 32-byte value. */
export interface Execution { nonce: Hex; deadline: number; signature: Hex }

/** A key given as an address: a wallet's is keccak256 of it; a claim registry's (purpose 5) is the address itself, padded. */
const keyOf = (k: string, purpose: number) => (k.length !== 42 ? k : purpose === 5 ? registryKey(k as Address) : walletKey(k as Address)) as Hex;

/**
 * The contract whose executeSigned runs the call: the subject's identity, or for id_revokeClaim the issuer's
 * ClaimIssuer (`params.issuer`), where the signer must hold a management key.
 */
export function signedCallTarget(method: SignedCallMethod, p: Record<string, unknown>): Address {
  if (method === 'id_revokeClaim') {
    if (typeof p.issuer !== 'string') throw new TypeError('id_revokeClaim: issuer (the claim issuer contract) is needed to sign the revocation');
    return p.issuer as Address;
  }
  // A fund administrator's grants to regulators are recorded on its own identity.
  if (method === 'id_grantDelegatedAccess' || method === 'id_revokeDelegatedAccess') return p.delegateIdentity as Address;
  return p.identity as Address;
}

/** The calldata `method` runs on its target (`signedCallTarget`). Envelope refs are recomputed from the envelope text. */
export function identityCallData(method: SignedCallMethod, p: Record<string, unknown>): Hex {
  switch (method) {
    case 'id_addKey':
      return encodeFunctionData({ abi: identityAbi, functionName: 'addKey', args: [keyOf(p.key as string, p.purpose as number), BigInt(p.purpose as number), ECDSA_KEY_TYPE] });
    case 'id_removeKey':
      return encodeFunctionData({ abi: identityAbi, functionName: 'removeKey', args: [keyOf(p.key as string, p.purpose as number), BigInt(p.purpose as number)] });
    case 'id_grantClaimAccess':
      return grantData(p.verifier as Address, BigInt(p.topic as number), p);
    case 'id_revokeClaimAccess':
      return encodeFunctionData({ abi: identityAbi, functionName: 'revokeAccess', args: [p.verifier as Address, BigInt(p.topic as number)] });
    case 'id_revokeClaim':
      return encodeFunctionData({ abi: claimIssuerAbi, functionName: 'revokeClaim', args: [p.claimId as Hex, p.identity as Address] });
    case 'id_addEncryptionKey':
      return encodeFunctionData({ abi: identityAbi, functionName: 'addKey', args: [mlKemKeyId(p.key as string), KeyPurpose.ENCRYPTION, MLKEM768_KEY_TYPE] });
    case 'id_delegateClaimAccess':
      return grantData(p.delegate as Address, delegationTopic(BigInt(p.topic as number)), p);
    case 'id_revokeClaimDelegation':
      return encodeFunctionData({ abi: identityAbi, functionName: 'revokeAccess', args: [p.delegate as Address, delegationTopic(BigInt(p.topic as number))] });
    case 'id_grantDelegatedAccess':
      return grantData(p.regulator as Address, onwardTopic(p.identity as Address, BigInt(p.topic as number)), p);
    case 'id_revokeDelegatedAccess':
      return encodeFunctionData({ abi: identityAbi, functionName: 'revokeAccess', args: [p.regulator as Address, onwardTopic(p.identity as Address, BigInt(p.topic as number))] });
  }
}

function grantData(grantee: Address, topic: bigint, p: Record<string, unknown>): Hex {
  return encodeFunctionData({
    abi: identityAbi, functionName: 'grantAccess',
    args: [grantee, topic, envelopeRef(decodeEnvelope(p.envelope as string)), BigInt((p.expiresAt as number | undefined) ?? 0)],
  });
}

export function signedCall(method: SignedCallMethod, p: Record<string, unknown>, nonce: Hex, deadline: number): SignedCall {
  return { to: signedCallTarget(method, p), value: 0n, data: identityCallData(method, p), nonce: BigInt(nonce), deadline: BigInt(deadline) };
}

export function executionTypedData(chainId: number, method: SignedCallMethod, p: Record<string, unknown>, e: { nonce: Hex; deadline: number }) {
  return executeTypedData({ chainId, identity: signedCallTarget(method, p), ...signedCall(method, p, e.nonce, e.deadline) });
}

/** Who signed `e` for this call (throws on a malformed signature). */
export function executionSigner(chainId: number, method: SignedCallMethod, p: Record<string, unknown>, e: Execution): Promise<Address> {
  return recoverTypedDataAddress({ ...executionTypedData(chainId, method, p, e), signature: e.signature });
}
