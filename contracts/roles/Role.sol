// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title Role
 * @notice The roles of an ERC-3643 suite, as bits of one uint256 so an account's roles on a contract are one storage
 * slot and one SLOAD to check. T-REX's permissioning split (AgentRoles / OwnerRoles) with one difference: each role
 * lives on the contract whose functions it unlocks, which checks it itself (no manager contract in between).
 *
 * Agent roles (granted by the owner, like T-REX's `addAgent`, but one by one):
 *
 * | bit | role              | contract          | unlocks                                                       |
 * |-----|-------------------|-------------------|---------------------------------------------------------------|
 * | 0   | SUPPLY_MODIFIER   | token             | mint, burn (and batches)                                      |
 * | 1   | FREEZER           | token             | freeze / unfreeze wallets, partial freezes, pause / unpause   |
 * | 2   | TRANSFER_MANAGER  | token             | forcedTransfer (and batch)                                    |
 * | 3   | RECOVERY_AGENT    | token             | recoveryAddress                                               |
 * | 4   | COMPLIANCE_AGENT  | compliance        | configure bound modules (callModuleFunction)                  |
 * | 5   | WHITELIST_MANAGER | identity registry | register / update / delete investors; storage: write entries  |
 * | 6   | AGENT             | single-role contracts (risk scores, onboarding, ZK gate)          |
 *
 * Owner roles (delegations of the owner's own powers; the owner always keeps them):
 *
 * | bit | role                | contract                | unlocks                                              |
 * |-----|---------------------|-------------------------|------------------------------------------------------|
 * | 16  | REGISTRY_SETTER     | identity registry       | set storage / claim topics / trusted issuers / ZK gate |
 * | 17  | COMPLIANCE_SETTER   | compliance              | add / remove / configure modules                     |
 * | 18  | ISSUERS_SETTER      | trusted issuers registry| add / remove / update trusted issuers                |
 * | 19  | CLAIM_TOPICS_SETTER | claim topics registry   | add / remove required claim topics                   |
 * | 20  | TOKEN_INFO_SETTER   | token                   | name, symbol, onchain ID                             |
 *
 * Granting and revoking roles, replacing the token's registry or compliance, and ownership itself stay with the
 * owner. The bit values are part of the node's protocol (`token_addAgent` role names): never renumber.
 */
library Role {
    uint256 internal constant SUPPLY_MODIFIER = 1 << 0;
    uint256 internal constant FREEZER = 1 << 1;
    uint256 internal constant TRANSFER_MANAGER = 1 << 2;
    uint256 internal constant RECOVERY_AGENT = 1 << 3;
    uint256 internal constant COMPLIANCE_AGENT = 1 << 4;
    uint256 internal constant WHITELIST_MANAGER = 1 << 5;
    uint256 internal constant AGENT = 1 << 6;

    uint256 internal constant REGISTRY_SETTER = 1 << 16;
    uint256 internal constant COMPLIANCE_SETTER = 1 << 17;
    uint256 internal constant ISSUERS_SETTER = 1 << 18;
    uint256 internal constant CLAIM_TOPICS_SETTER = 1 << 19;
    uint256 internal constant TOKEN_INFO_SETTER = 1 << 20;
}
