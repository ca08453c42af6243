// The registry writes the node relays for a registry's owner (or the role holder): the calldata of the registry's own
// function, rebuilt from a method's params, signed as an EIP-712 `SignedCall` (src/chain/roles.ts) and run through the
// registry's `executeSigned`, so the registry checks the signer's ownership or role itself and the node holds neither.
// Shared by the node (which rebuilds the call and checks who signed it before paying gas) and the SDK (which signs the
// same bytes). No zod and nothing Node-only: runs in a browser.
import { encodeFunctionData, recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { claimTopicsRegistryAbi } from '../chain/artifacts/ClaimTopicsRegistry.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { signedCallTypedData } from '../chain/roles.js';

export const REGISTRY_CALL_METHODS = ['id_addTrustedIssuer', 'id_removeTrustedIssuer', 'id_updateIssuerTopics', 'id_setClaimTopics', 'id_acceptRegistryOwnership'] as const;
export type RegistryCallMethod = (typeof REGISTRY_CALL_METHODS)[number];

export function isRegistryCallMethod(m: string): m is RegistryCallMethod {
  return (REGISTRY_CALL_METHODS as readonly string[]).includes(m);
}

/**
 * Which of the node's registries a method writes when `registry` is absent (a key of `node_info.contracts`);
 * id_acceptRegistryOwnership always names its registry.
 */
export function defaultRegistryKey(method: RegistryCallMethod): 'trustedIssuersRegistry' | 'claimTopicsRegistry' {
  return method === 'id_setClaimTopics' ? 'claimTopicsRegistry' : 'trustedIssuersRegistry';
}

const topicsOf = (p: Record<string, unknown>) => (p.topics as number[]).map(BigInt);

/** The calldata of the registry function `method` runs. */
export function registryCallData(method: RegistryCallMethod, p: Record<string, unknown>): Hex {
  switch (method) {
    case 'id_addTrustedIssuer':
      return encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'addTrustedIssuer', args: [p.issuer as Address, topicsOf(p)] });
    case 'id_removeTrustedIssuer':
      return encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'removeTrustedIssuer', args: [p.issuer as Address] });
    case 'id_updateIssuerTopics':
      return encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [p.issuer as Address, topicsOf(p)] });
    case 'id_setClaimTopics':
      return encodeFunctionData({ abi: claimTopicsRegistryAbi, functionName: 'setClaimTopics', args: [topicsOf(p)] });
    case 'id_acceptRegistryOwnership':
      // Same selector on both registries (Ownable2Step).
      return encodeFunctionData({ abi: trustedIssuersRegistryAbi, functionName: 'acceptOwnership' });
  }
}

/** The signer's authorization: any unused 32-byte nonce, a deadline (unix seconds), the signature. */
export interface RegistryExecution { nonce: Hex; deadline: number; signature: Hex }

/** EIP-712 typed data of the call on `registry` (domain "Masque Signed Call", verifyingContract = the registry). */
export function registryCallTypedData(chainId: number, registry: Address, method: RegistryCallMethod, p: Record<string, unknown>, e: { nonce: Hex; deadline: number }) {
  return signedCallTypedData({ chainId, contract: registry, data: registryCallData(method, p), nonce: BigInt(e.nonce), deadline: BigInt(e.deadline) });
}

/** Who signed `e` for this call on `registry` (throws on a malformed signature). */
export function registryCallSigner(chainId: number, registry: Address, method: RegistryCallMethod, p: Record<string, unknown>, e: RegistryExecution): Promise<Address> {
  return recoverTypedDataAddress({ ...registryCallTypedData(chainId, registry, method, p, e), signature: e.signature });
}
