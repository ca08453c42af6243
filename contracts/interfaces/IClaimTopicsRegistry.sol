// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Required claim topics of a token (IERC3643 names)
interface IClaimTopicsRegistry {
    event ClaimTopicAdded(uint256 indexed claimTopic);
    event ClaimTopicRemoved(uint256 indexed claimTopic);

    /// @notice Adds a required topic (owner only, at most 15).
    function addClaimTopic(uint256 claimTopic) external;

    /// @notice Removes a required topic (owner only).
    function removeClaimTopic(uint256 claimTopic) external;

    /// @notice The required topics.
    function getClaimTopics() external view returns (uint256[] memory);
}
