// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Risk score per identity, set by agents, read by compliance modules
/// @notice Scores run from 0 (lowest risk) to 100 (highest).
interface IRiskScoreRegistry {
    event RiskScoreSet(address indexed identity, uint8 score, uint64 updatedAt);
    event RiskScoreCleared(address indexed identity);

    /// @notice Sets the score of `identity` (agent only).
    function setRiskScore(address identity, uint8 score) external;

    /// @notice Removes the score of `identity` (agent only).
    function clearRiskScore(address identity) external;

    /// @notice The score of `identity`, when it was last set, and whether it has one at all.
    function riskScoreOf(address identity) external view returns (uint8 score, uint64 updatedAt, bool scored);

    /// @notice The score of the identity registered for `wallet` in the identity registry storage; `scored` is
    /// false when the wallet has no identity or the identity has no score.
    function walletRiskScore(address wallet) external view returns (uint8 score, bool scored);
}
