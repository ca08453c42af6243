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
    /// @dev The same list in one slot when every topic is below 2^16 (bit 255 set): count in bits 0-7, topic i in
    /// bits 8+16i. isVerified reads the required topics on every transfer: one SLOAD instead of 1 + n.
    uint256 private _packed;

    uint256 private constant PACKED = 1 << 255;

    constructor(address initialOwner) Ownable(initialOwner) {
        _packed = PACKED;
    }

    /// @inheritdoc IClaimTopicsRegistry
    function addClaimTopic(uint256 claimTopic) external onlyOwner {
        uint256 n = _topics.length;
        if (n >= MAX_TOPICS) revert TooManyTopics();
        for (uint256 i = 0; i < n; ++i) {
            if (_topics[i] == claimTopic) revert TopicAlreadyRequired(claimTopic);
        }
        _topics.push(claimTopic);
        _repack();
        emit ClaimTopicAdded(claimTopic);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function removeClaimTopic(uint256 claimTopic) external onlyOwner {
        uint256 n = _topics.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_topics[i] == claimTopic) {
                _topics[i] = _topics[n - 1];
                _topics.pop();
                _repack();
                emit ClaimTopicRemoved(claimTopic);
                return;
            }
        }
        revert TopicNotRequired(claimTopic);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function getClaimTopics() external view returns (uint256[] memory topics) {
        uint256 p = _packed;
        if (p & PACKED == 0) return _topics;
        uint256 n = p & 0xff;
        topics = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            topics[i] = (p >> (8 + 16 * i)) & 0xffff;
        }
    }

    /// @dev Rewrites the packed copy after a change (owner-only paths, at most 15 topics).
    function _repack() private {
        uint256 n = _topics.length;
        uint256 p = PACKED | n;
        for (uint256 i = 0; i < n; ++i) {
            uint256 t = _topics[i];
            if (t > type(uint16).max) {
                p = 0;
                break;
            }
            p |= t << (8 + 16 * i);
        }
        _packed = p;
    }
}
