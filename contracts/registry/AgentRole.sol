// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/**
 * @title Owner plus agents holding one role (T-REX AgentRole names: addAgent, removeAgent, isAgent)
 * @notice For contracts with a single kind of agent: `onlyAgent` requires {_agentRoles} (default {Role.AGENT}; the
 * identity registry and its storage use {Role.WHITELIST_MANAGER}). Calls may come signed and relayed
 * ({RoleControl}, {SignedCalls}).
 */
abstract contract AgentRole is RoleControl {
    constructor(address initialOwner) RoleControl(initialOwner) {}

    modifier onlyAgent() {
        _checkRole(_agentRoles());
        _;
    }

    /// @inheritdoc RoleControl
    function _agentRoles() internal pure virtual override returns (uint256) {
        return Role.AGENT;
    }
}
