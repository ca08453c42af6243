// The roles of an ERC-3643 suite (contracts/roles/Role.sol) and the signed calls every RoleControl contract accepts
// (contracts/roles/SignedCalls.sol): an EIP-712 `SignedCall(bytes data,uint256 nonce,uint256 deadline)` a role
// holder signs and anyone relays through `executeSigned`. No Node-only import: the SDK signs with these too.
import type { Address, Hex } from 'viem';

/** Role bits; the values are the contracts' (`Role.sol`) and part of the node protocol: never renumber. */
export const Role = {
  SUPPLY_MODIFIER: 1n << 0n,
  FREEZER: 1n << 1n,
  TRANSFER_MANAGER: 1n << 2n,
  RECOVERY_AGENT: 1n << 3n,
  COMPLIANCE_AGENT: 1n << 4n,
  WHITELIST_MANAGER: 1n << 5n,
  AGENT: 1n << 6n,
  REGISTRY_SETTER: 1n << 16n,
  COMPLIANCE_SETTER: 1n << 17n,
  ISSUERS_SETTER: 1n << 18n,
  CLAIM_TOPICS_SETTER: 1n << 19n,
  TOKEN_INFO_SETTER: 1n << 20n,
} as const;
export type RoleName = keyof typeof Role;

/** The suite contract each role lives on (and is checked by). AGENT belongs to single-role contracts, not suites. */
export type SuiteContract = 'token' | 'identityRegistry' | 'compliance' | 'trustedIssuersRegistry' | 'claimTopicsRegistry';
export const roleHome: Readonly<Record<Exclude<RoleName, 'AGENT'>, SuiteContract>> = {
  SUPPLY_MODIFIER: 'token',
  FREEZER: 'token',
  TRANSFER_MANAGER: 'token',
  RECOVERY_AGENT: 'token',
  TOKEN_INFO_SETTER: 'token',
  WHITELIST_MANAGER: 'identityRegistry',
  REGISTRY_SETTER: 'identityRegistry',
  COMPLIANCE_AGENT: 'compliance',
  COMPLIANCE_SETTER: 'compliance',
  ISSUERS_SETTER: 'trustedIssuersRegistry',
  CLAIM_TOPICS_SETTER: 'claimTopicsRegistry',
};
export const SUITE_ROLES = [
  'SUPPLY_MODIFIER', 'FREEZER', 'TRANSFER_MANAGER', 'RECOVERY_AGENT', 'COMPLIANCE_AGENT', 'WHITELIST_MANAGER',
  'REGISTRY_SETTER', 'COMPLIANCE_SETTER', 'ISSUERS_SETTER', 'CLAIM_TOPICS_SETTER', 'TOKEN_INFO_SETTER',
] as const satisfies readonly Exclude<RoleName, 'AGENT'>[];
/** Agent roles (granted like T-REX agents) vs owner roles (delegations of the owner's powers). */
export const AGENT_ROLES: readonly RoleName[] = ['SUPPLY_MODIFIER', 'FREEZER', 'TRANSFER_MANAGER', 'RECOVERY_AGENT', 'COMPLIANCE_AGENT', 'WHITELIST_MANAGER'];

/** The bits of `names`. */
export function roleBits(names: readonly RoleName[]): bigint {
  return names.reduce((acc, n) => acc | Role[n], 0n);
}

/** The names of the bits set in `bits` (unknown bits are dropped). */
export function roleNames(bits: bigint): RoleName[] {
  return (Object.keys(Role) as RoleName[]).filter((n) => (bits & Role[n]) !== 0n);
}

/** Groups suite roles by the contract that holds them, in a fixed contract order. */
export function rolesByContract(names: readonly Exclude<RoleName, 'AGENT'>[]): { contract: SuiteContract; roles: bigint }[] {
  const order: SuiteContract[] = ['token', 'identityRegistry', 'compliance', 'trustedIssuersRegistry', 'claimTopicsRegistry'];
  return order
    .map((contract) => ({ contract, roles: roleBits(names.filter((n) => roleHome[n] === contract)) }))
    .filter((g) => g.roles !== 0n);
}

/** A call a role holder authorizes for `executeSigned` on `contract`. */
export interface SignedCallMessage { data: Hex; nonce: bigint; deadline: bigint }

/**
 * EIP-712 typed data of `SignedCalls.executeSigned`: domain `{ name: 'Masque Signed Call', version: '1', chainId,
 * verifyingContract: contract }`, type `SignedCall(bytes data,uint256 nonce,uint256 deadline)`; `data` is the calldata
 * of one of the contract's own functions. 65-byte low-s signatures (viem's) only.
 */
export function signedCallTypedData(p: { chainId: number; contract: Address } & SignedCallMessage) {
  return {
    domain: { name: 'Masque Signed Call', version: '1', chainId: p.chainId, verifyingContract: p.contract },
    types: {
      SignedCall: [
        { name: 'data', type: 'bytes' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'SignedCall',
    message: { data: p.data, nonce: p.nonce, deadline: p.deadline },
  } as const;
}
