// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IClaimTopicsRegistry} from "../interfaces/IClaimTopicsRegistry.sol";

/// @title Claim topics a token requires of its holders
contract ClaimTopicsRegistry is IClaimTopicsRegistry, Ownable {
    /// @notice Most topics a token can require: bounds the per-transfer cost of isVerified (as in T-REX).
    uint256 public constant MAX_TOPICS = 15;

    error TopicAlreadyRequired(uint256 claimTopic);
    error TopicNotRequired(uint256 claimTopic);
    error TooManyTopics();

    uint256[] private _topics;

    constructor(address initialOwner) Ownable(initialOwner) {}

    /// @inheritdoc IClaimTopicsRegistry
    function addClaimTopic(uint256 claimTopic) external onlyOwner {
        uint256 n = _topics.length;
        if (n >= MAX_TOPICS) revert TooManyTopics();
        for (uint256 i = 0; i < n; ++i) {
            if (_topics[i] == claimTopic) revert TopicAlreadyRequired(claimTopic);
        }
        _topics.push(claimTopic);
        emit ClaimTopicAdded(claimTopic);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function removeClaimTopic(uint256 claimTopic) external onlyOwner {
        uint256 n = _topics.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_topics[i] == claimTopic) {
                _topics[i] = _topics[n - 1];
                _topics.pop();
                emit ClaimTopicRemoved(claimTopic);
                return;
            }
        }
        revert TopicNotRequired(claimTopic);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function getClaimTopics() external view returns (uint256[] memory) {
        return _topics;
    }
}
