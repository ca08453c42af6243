// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ClaimIndex} from "../ClaimIndex.sol";

/// @title Test double: an identity holding no claim that tries to write itself a verification record naming a trusted
/// issuer, never expiring, into the claim index. The index must refuse it (it is not a clone of the implementation),
/// so IdentityRegistry never sees such a record. Never deploy outside tests.
contract RecordForgingIdentity {
    ClaimIndex private immutable _index;
    address private immutable _issuer;

    /// @param index The claim index (the Identity implementation) to forge into.
    /// @param issuer_ The trusted issuer the forged record names.
    constructor(ClaimIndex index, address issuer_) {
        _index = index;
        _issuer = issuer_;
    }

    /// @notice Tries to write a record of `topic` for itself (reverts with the index's refusal).
    function forge(uint256 topic) external {
        _index.indexLink(topic, _issuer, type(uint40).max, false);
    }

    /// @notice Tries to register as an issuer after construction (reverts: registration is closed).
    function register() external {
        _index.registerIssuer();
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
