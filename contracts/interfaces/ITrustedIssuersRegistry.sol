// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimIssuer} from "./IClaimIssuer.sol";

/// @title Trusted claim issuers and the topics each is trusted for (IERC3643 names)
interface ITrustedIssuersRegistry {
    event TrustedIssuerAdded(IClaimIssuer indexed trustedIssuer, uint256[] claimTopics);
    event TrustedIssuerRemoved(IClaimIssuer indexed trustedIssuer);
    event ClaimTopicsUpdated(IClaimIssuer indexed trustedIssuer, uint256[] claimTopics);

    /// @notice Trusts `trustedIssuer` for `claimTopics` (owner only).
    function addTrustedIssuer(IClaimIssuer trustedIssuer, uint256[] calldata claimTopics) external;

    /// @notice Stops trusting an issuer: its claims stop counting at once (owner only).
    function removeTrustedIssuer(IClaimIssuer trustedIssuer) external;

    /// @notice Replaces the topics an issuer is trusted for (owner only).
    function updateIssuerClaimTopics(IClaimIssuer trustedIssuer, uint256[] calldata claimTopics) external;

    /// @notice Every trusted issuer.
    function getTrustedIssuers() external view returns (IClaimIssuer[] memory);

    /// @notice The issuers trusted for `claimTopic`.
    function getTrustedIssuersForClaimTopic(uint256 claimTopic) external view returns (IClaimIssuer[] memory);

    /// @notice Whether `issuer` is trusted for at least one topic.
    function isTrustedIssuer(address issuer) external view returns (bool);

    /// @notice The topics `trustedIssuer` is trusted for.
    function getTrustedIssuerClaimTopics(IClaimIssuer trustedIssuer) external view returns (uint256[] memory);

    /// @notice Whether `issuer` is trusted for `claimTopic` (O(1)).
    function hasClaimTopic(address issuer, uint256 claimTopic) external view returns (bool);
}
