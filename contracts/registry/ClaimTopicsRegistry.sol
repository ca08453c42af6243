// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ClaimTopicsBase} from "./ClaimTopicsBase.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/// @title Claim topics a token requires of its holders, as a contract of its own
/// @notice For registries pointed at it with `IdentityRegistry.setClaimTopicsRegistry` (T-REX deployments, or one
/// list shared by several registries). An IdentityRegistry is its own claim topics registry by default, which saves
/// isVerified a cold contract (contracts/README.md).
contract ClaimTopicsRegistry is ClaimTopicsBase {
    /// @dev The list packed in one slot (see ClaimTopicsBase): getClaimTopics is one SLOAD.
    uint256 private _packed = PACKED;

    /// @param initialOwner The owner.
    constructor(address initialOwner) RoleControl(initialOwner) {}

    /// @dev No agents; the owner may delegate the topic list.
    function _agentRoles() internal pure override returns (uint256) {
        return 0;
    }

    function _ownerRoles() internal pure override returns (uint256) {
        return Role.CLAIM_TOPICS_SETTER;
    }

    function _packedTopics() internal view override returns (uint256) {
        return _packed;
    }

    function _storePackedTopics(uint256 p) internal override {
        _packed = p;
    }
}
