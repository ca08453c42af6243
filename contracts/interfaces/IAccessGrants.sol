// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Selective-disclosure grants of an identity (layer two of document access)
/// @notice A grant lets `verifier` fetch the key envelope (wrapped document key) referenced by `envelopeRef`
/// for one claim topic. A grant for one topic never opens another.
interface IAccessGrants {
    event AccessGranted(address indexed verifier, uint256 indexed claimTopic, bytes32 envelopeRef, uint64 expiresAt);
    event AccessRevoked(address indexed verifier, uint256 indexed claimTopic);

    /// @notice Grants `verifier` access to the documents of `claimTopic` (management key). `expiresAt` 0 = no expiry.
    function grantAccess(address verifier, uint256 claimTopic, bytes32 envelopeRef, uint64 expiresAt) external;

    /// @notice Revokes the grant of `verifier` for `claimTopic` (management key).
    function revokeAccess(address verifier, uint256 claimTopic) external;

    /// @notice Whether `verifier` currently holds an unexpired grant for `claimTopic`.
    function canAccess(address verifier, uint256 claimTopic) external view returns (bool);

    /// @notice The grant of `verifier` for `claimTopic` (zeroes when none).
    function getAccessGrant(address verifier, uint256 claimTopic)
        external view returns (bytes32 envelopeRef, uint64 grantedAt, uint64 expiresAt);
}
