// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/// @title Owner plus a set of agents (T-REX AgentRole names: addAgent, removeAgent, isAgent)
abstract contract AgentRole is Ownable {
    event AgentAdded(address indexed agent);
    event AgentRemoved(address indexed agent);

    error NotAgent();
    error ZeroAddress();
    error AgentAlreadyAdded();
    error AgentNotFound();

    mapping(address => bool) private _agents;

    constructor(address initialOwner) Ownable(initialOwner) {}

    modifier onlyAgent() {
        if (!_agents[msg.sender]) revert NotAgent();
        _;
    }

    /// @notice Grants the agent role (owner only).
    function addAgent(address agent) external onlyOwner {
        if (agent == address(0)) revert ZeroAddress();
        if (_agents[agent]) revert AgentAlreadyAdded();
        _agents[agent] = true;
        emit AgentAdded(agent);
    }

    /// @notice Revokes the agent role (owner only).
    function removeAgent(address agent) external onlyOwner {
        if (!_agents[agent]) revert AgentNotFound();
        delete _agents[agent];
        emit AgentRemoved(agent);
    }

    /// @notice Whether `account` is an agent.
    function isAgent(address account) public view returns (bool) {
        return _agents[account];
    }
}
