// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentity} from "./IIdentity.sol";

/// @title Claim issuer (ONCHAINID IClaimIssuer names) with revocation and atomic renewal
interface IClaimIssuer is IIdentity {
    /// @dev ONCHAINID's event; the signature is indexed (as its hash).
    event ClaimRevoked(bytes indexed signature);
    /// @notice Emitted with the EIP-712 digest of every revoked claim (revocation covers every encoding of it).
    event ClaimDigestRevoked(bytes32 indexed digest);
    event ClaimRenewed(address indexed identity, uint256 indexed topic, bytes32 indexed claimId);

    /// @notice Revokes the claim `claimId` currently held by `identity` (its signature and its digest).
    function revokeClaim(bytes32 claimId, address identity) external returns (bool);

    /// @notice Revokes a claim by its signature.
    function revokeClaimBySignature(bytes calldata signature) external;

    /// @notice Whether this signature was revoked.
    function isClaimRevoked(bytes calldata sig) external view returns (bool);

    /// @notice Revokes the claim currently held by `identity` for `topic` and adds the new one in the same
    /// transaction. This issuer must hold a claim key (purpose 3) on `identity`.
    function renewClaim(
        address identity, uint256 topic, uint256 scheme, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId);
}
