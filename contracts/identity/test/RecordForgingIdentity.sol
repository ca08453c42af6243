// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IMasqueClaims} from "../../interfaces/IMasqueClaims.sol";

/// @title Test double: an identity that answers `verificationRecords` with records a trusted issuer would match,
/// while holding no claim at all. IdentityRegistry must not trust it (it is not a clone of the Identity
/// implementation). Never deploy outside tests.
contract RecordForgingIdentity {
    address private immutable _issuer;

    /// @param issuer_ The trusted issuer the forged records name.
    constructor(address issuer_) {
        _issuer = issuer_;
    }

    /// @notice Records naming the issuer, never expiring, with the issuer's current stamp.
    function verificationRecords(uint256[] calldata topics) external view returns (uint256[] memory records) {
        records = new uint256[](topics.length);
        for (uint256 i = 0; i < topics.length; ++i) {
            uint256 stamp = IMasqueClaims(_issuer).claimStamp(address(this), topics[i]);
            records[i] = uint256(uint160(_issuer)) | (uint256(type(uint40).max) << 160) | ((stamp + 1) << 200);
        }
    }

    /// @notice No claims.
    function getClaimsForVerification(uint256)
        external pure returns (address[] memory, bytes[] memory, bytes[] memory)
    {
        return (new address[](0), new bytes[](0), new bytes[](0));
    }

    /// @notice No claims.
    function getClaimIdsByTopic(uint256) external pure returns (bytes32[] memory) {
        return new bytes32[](0);
    }
}
