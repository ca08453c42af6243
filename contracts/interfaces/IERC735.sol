// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ERC-735 claim holder
/// @notice claimId = keccak256(abi.encode(issuer, topic)): one claim per issuer and topic.
interface IERC735 {
    event ClaimAdded(
        bytes32 indexed claimId, uint256 indexed topic, uint256 scheme, address indexed issuer,
        bytes signature, bytes data, string uri
    );
    event ClaimRemoved(
        bytes32 indexed claimId, uint256 indexed topic, uint256 scheme, address indexed issuer,
        bytes signature, bytes data, string uri
    );
    event ClaimChanged(
        bytes32 indexed claimId, uint256 indexed topic, uint256 scheme, address indexed issuer,
        bytes signature, bytes data, string uri
    );

    /// @notice Adds or replaces the claim of `issuer` on `topic`.
    function addClaim(
        uint256 topic, uint256 scheme, address issuer, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId);

    /// @notice Removes a claim.
    function removeClaim(bytes32 claimId) external returns (bool success);

    /// @notice The claim stored under `claimId` (all zero when absent).
    function getClaim(bytes32 claimId) external view returns (
        uint256 topic, uint256 scheme, address issuer, bytes memory signature, bytes memory data, string memory uri
    );

    /// @notice The ids of the claims held for `topic`.
    function getClaimIdsByTopic(uint256 topic) external view returns (bytes32[] memory claimIds);
}
