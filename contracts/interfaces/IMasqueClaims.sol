// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Batch claim getter of Masque identities, used by IdentityRegistry.isVerified's full check
interface IMasqueClaims {
    /// @notice Issuer, signature and data of every claim held for `topic` (parallel arrays).
    function getClaimsForVerification(uint256 topic)
        external view returns (address[] memory issuers, bytes[] memory signatures, bytes[] memory data);
}
