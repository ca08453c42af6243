// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimTopicsRegistry} from "../interfaces/IClaimTopicsRegistry.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/**
 * @title Claim topics a token requires of its holders (shared by ClaimTopicsRegistry and IdentityRegistry)
 * @notice Written by the owner or a {Role.CLAIM_TOPICS_SETTER}, directly or by a signed call relayed by anyone.
 * @dev Besides the list, a packed word the inheritor keeps where isVerified reads it in one SLOAD: bit 255 set when
 * every topic is below 2^16, count in bits 0-7, topic i in bits 8 + 16i (at most 15 topics: bits 8-247). Bits 248-254
 * are the inheritor's (IdentityRegistry keeps its flags there).
 */
abstract contract ClaimTopicsBase is IClaimTopicsRegistry, RoleControl {
    /// @notice Most topics a token can require: bounds the per-transfer cost of isVerified (as in T-REX).
    uint256 public constant MAX_TOPICS = 15;

    error TopicAlreadyRequired(uint256 claimTopic);
    error TopicNotRequired(uint256 claimTopic);
    error TooManyTopics();

    /// @dev Set in the packed word while every topic fits in 16 bits.
    uint256 internal constant PACKED = 1 << 255;
    /// @dev The bits of the packed word this contract owns.
    uint256 internal constant TOPIC_BITS = PACKED | ((1 << 248) - 1);

    uint256[] private _topics;

    /// @inheritdoc IClaimTopicsRegistry
    function addClaimTopic(uint256 claimTopic) external onlyOwnerOrRole(Role.CLAIM_TOPICS_SETTER) {
        _addTopic(claimTopic);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function removeClaimTopic(uint256 claimTopic) external onlyOwnerOrRole(Role.CLAIM_TOPICS_SETTER) {
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

    /// @notice Replaces the required topics with `claimTopics`, in that order: one call (one signature) for a whole
    /// change. ClaimTopicRemoved for each topic dropped, ClaimTopicAdded for each new one.
    /// @param claimTopics The new list: no duplicates (TopicAlreadyRequired), at most MAX_TOPICS; may be empty.
    function setClaimTopics(uint256[] calldata claimTopics) external onlyOwnerOrRole(Role.CLAIM_TOPICS_SETTER) {
        uint256[] memory old = _topics;
        delete _topics;
        for (uint256 i = 0; i < old.length; ++i) {
            if (!_listed(claimTopics, old[i])) emit ClaimTopicRemoved(old[i]);
        }
        for (uint256 i = 0; i < claimTopics.length; ++i) {
            _push(claimTopics[i]);
            if (!_listed(old, claimTopics[i])) emit ClaimTopicAdded(claimTopics[i]);
        }
        _repack();
    }

    function _listed(uint256[] memory list, uint256 t) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) if (list[i] == t) return true;
        return false;
    }

    /// @inheritdoc IClaimTopicsRegistry
    function getClaimTopics() external view returns (uint256[] memory) {
        return _requiredTopics(_packedTopics());
    }

    /// @dev The list, from the packed word `p` when it holds it (one SLOAD), else from the array.
    function _requiredTopics(uint256 p) internal view returns (uint256[] memory topics) {
        if (p & PACKED == 0) return _topics;
        uint256 n = p & 0xff;
        topics = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            topics[i] = (p >> (8 + 16 * i)) & 0xffff;
        }
    }

    function _addTopic(uint256 claimTopic) internal {
        _push(claimTopic);
        _repack();
        emit ClaimTopicAdded(claimTopic);
    }

    function _push(uint256 claimTopic) private {
        uint256 n = _topics.length;
        if (n >= MAX_TOPICS) revert TooManyTopics();
        for (uint256 i = 0; i < n; ++i) {
            if (_topics[i] == claimTopic) revert TopicAlreadyRequired(claimTopic);
        }
        _topics.push(claimTopic);
    }

    /// @dev Rewrites the packed word after a change (owner-only paths, at most 15 topics).
    function _repack() private {
        uint256 n = _topics.length;
        uint256 p = PACKED | n;
        for (uint256 i = 0; i < n; ++i) {
            uint256 t = _topics[i];
            if (t > type(uint16).max) {
                p = n;
                break;
            }
            p |= t << (8 + 16 * i);
        }
        _storePackedTopics(p);
    }

    /// @dev Where the inheritor keeps the packed word (initially `PACKED`: no topics).
    function _packedTopics() internal view virtual returns (uint256);

    /// @dev Stores the packed word's topic bits (`TOPIC_BITS`), keeping the inheritor's own bits.
    function _storePackedTopics(uint256 p) internal virtual;
}
