// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Batch claim getter of Masque identities, used by IdentityRegistry.isVerified
interface IMasqueClaims {
    /// @notice Issuer, signature and data of every claim held for `topic` (parallel arrays).
    function getClaimsForVerification(uint256 topic)
        external view returns (address[] memory issuers, bytes[] memory signatures, bytes[] memory data);

    /// @notice Per topic, the verification record of the topic's first claim, packed: issuer (bits 0-159),
    /// expiresAt (160-199), the issuer's claimStamp + 1 at verification (200-247; 0 = none). Zero when no claim is held.
    /// Only meaningful from code that verifies claims before recording them (Masque Identity clones).
    function verificationRecords(uint256[] calldata topics) external view returns (uint256[] memory records);

    /// @notice Of this contract as a claim issuer: a value that grows whenever a claim it signed for `identity` and
    /// `topic` may have become invalid (claim revoked, claim-signer key removed). Holders record it (+ 1) when the
    /// claim is verified; a registry trusts the record only while it still matches.
    function claimStamp(address identity, uint256 topic) external view returns (uint256);
}
