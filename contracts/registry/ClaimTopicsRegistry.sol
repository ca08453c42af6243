// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimTopicsRegistry} from "../interfaces/IClaimTopicsRegistry.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/// @title Claim topics a token requires of its holders
/// @notice Written by the owner or a {Role.CLAIM_TOPICS_SETTER}, directly or by a signed call relayed by anyone.
contract ClaimTopicsRegistry is IClaimTopicsRegistry, RoleControl {
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

    /// @param initialOwner The owner; 0 makes a template for clones (see RoleControl).
    constructor(address initialOwner) RoleControl(initialOwner) {
        _packed = PACKED;
    }

    /// @notice Sets up a clone of a template (once) with its required `topics` and initial role holders.
    function initialize(
        address initialOwner, uint256[] calldata topics, address[] calldata accounts, uint256[] calldata roles
    ) external {
        _initializeClone(initialOwner);
        _packed = PACKED;
        for (uint256 i; i < topics.length; ++i) {
            _add(topics[i]);
        }
        _grantInitialRoles(accounts, roles);
    }

    /// @inheritdoc IClaimTopicsRegistry
    function addClaimTopic(uint256 claimTopic) external onlyOwnerOrRole(Role.CLAIM_TOPICS_SETTER) {
        _add(claimTopic);
    }

    function _add(uint256 claimTopic) private {
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
            if (!_listedMemory(old, claimTopics[i])) emit ClaimTopicAdded(claimTopics[i]);
        }
        _repack();
    }

    function _listed(uint256[] calldata list, uint256 t) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) if (list[i] == t) return true;
        return false;
    }

    function _listedMemory(uint256[] memory list, uint256 t) private pure returns (bool) {
        for (uint256 i = 0; i < list.length; ++i) if (list[i] == t) return true;
        return false;
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

    /// @dev No agents; the owner may delegate the topic list.
    function _agentRoles() internal pure override returns (uint256) {
        return 0;
    }

    function _ownerRoles() internal pure override returns (uint256) {
        return Role.CLAIM_TOPICS_SETTER;
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
