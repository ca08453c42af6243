// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {ClaimTopics} from "../identity/ClaimTopics.sol";

/// @title Names of the claim topics in use on a deployment
/// @notice Topics 1-8 are registered at construction; the owner registers more (e.g. 9 Jurisdiction, 10 Risk Score).
/// Informational: tokens pick their required topics in their own ClaimTopicsRegistry.
contract ClaimTopicCatalog is Ownable {
    event TopicRegistered(uint256 indexed topic, string name);

    error TopicAlreadyRegistered(uint256 topic);
    error InvalidTopic();

    mapping(uint256 topic => string) private _names;
    uint256[] private _topics;

    constructor(address initialOwner) Ownable(initialOwner) {
        _register(ClaimTopics.KYC, "KYC");
        _register(ClaimTopics.AML, "AML");
        _register(ClaimTopics.ACCREDITATION, "Accreditation");
        _register(ClaimTopics.SANCTIONS_CLEAR, "Sanctions Clear");
        _register(ClaimTopics.TAX_RESIDENCY, "Tax Residency");
        _register(ClaimTopics.UBO, "UBO");
        _register(ClaimTopics.PEP_STATUS, "PEP Status");
        _register(ClaimTopics.TRAVEL_RULE, "Travel Rule");
    }

    /// @notice Registers a new topic under a non-empty name (owner only); names are permanent.
    function registerTopic(uint256 topic, string calldata name) external onlyOwner {
        _register(topic, name);
    }

    /// @notice The name of `topic` (empty when unregistered).
    function topicName(uint256 topic) external view returns (string memory) {
        return _names[topic];
    }

    /// @notice Whether `topic` is registered.
    function isRegistered(uint256 topic) external view returns (bool) {
        return bytes(_names[topic]).length != 0;
    }

    /// @notice Every registered topic, in registration order.
    function registeredTopics() external view returns (uint256[] memory) {
        return _topics;
    }

    function _register(uint256 topic, string memory name) private {
        if (topic == 0 || bytes(name).length == 0) revert InvalidTopic();
        if (bytes(_names[topic]).length != 0) revert TopicAlreadyRegistered(topic);
        _names[topic] = name;
        _topics.push(topic);
        emit TopicRegistered(topic, name);
    }
}
