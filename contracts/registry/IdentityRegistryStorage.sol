// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IdentityStorageBase} from "./IdentityStorageBase.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/// @title Wallet -> (identity, country) as a contract of its own, shareable by several tokens' identity registries
/// @notice For registries pointed at it with `IdentityRegistry.setIdentityRegistryStorage` (one investor list shared
/// by an issuer's tokens; T-REX deployments). An IdentityRegistry is its own storage by default (a cold contract less
/// on every isVerified), and can itself be bound and shared the same way.
contract IdentityRegistryStorage is IdentityStorageBase {
    /// @param initialOwner The owner.
    constructor(address initialOwner) RoleControl(initialOwner) {}

    /// @dev Agents write entries: the whitelist managers of the issuer.
    function _agentRoles() internal pure override returns (uint256) {
        return Role.WHITELIST_MANAGER;
    }
}
