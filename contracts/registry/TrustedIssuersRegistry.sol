// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {TrustedIssuersBase} from "./TrustedIssuersBase.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/// @title Trusted claim issuers, each for a set of topics, as a contract of its own
/// @notice For registries pointed at it with `IdentityRegistry.setTrustedIssuersRegistry` (T-REX deployments, or one
/// list shared by several registries). An IdentityRegistry is its own trusted issuers registry by default, which
/// saves isVerified a cold contract (contracts/README.md).
contract TrustedIssuersRegistry is TrustedIssuersBase {
    /// @param initialOwner The owner.
    constructor(address initialOwner) RoleControl(initialOwner) {}

    /// @dev No agents; the owner may delegate the issuer list.
    function _agentRoles() internal pure override returns (uint256) {
        return 0;
    }

    function _ownerRoles() internal pure override returns (uint256) {
        return Role.ISSUERS_SETTER;
    }
}
