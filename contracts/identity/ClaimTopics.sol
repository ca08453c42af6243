// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Masque claim topics
/// @notice Topics are plain uint256 values; 1-8 are fixed, 9 and up are registered per deployment (a token lists
/// the ones it requires in its ClaimTopicsRegistry).
library ClaimTopics {
    uint256 internal constant KYC = 1;
    uint256 internal constant AML = 2;
    uint256 internal constant ACCREDITATION = 3;
    uint256 internal constant SANCTIONS_CLEAR = 4;
    uint256 internal constant TAX_RESIDENCY = 5;
    uint256 internal constant UBO = 6;
    uint256 internal constant PEP_STATUS = 7;
    uint256 internal constant TRAVEL_RULE = 8;
    /// @dev Suggested extensions.
    uint256 internal constant JURISDICTION = 9;
    uint256 internal constant RISK_SCORE = 10;
}
