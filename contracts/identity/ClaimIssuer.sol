// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Identity} from "./Identity.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IClaimIssuer} from "../interfaces/IClaimIssuer.sol";
import {ClaimData} from "./ClaimData.sol";
import {IClaimIndex} from "../interfaces/IClaimIndex.sol";

/// @title Masque claim issuer: an identity whose claim-signer keys (purpose 3) sign claims about others
/// @notice Revocation is recorded twice: by signature hash (ONCHAINID's `isClaimRevoked(sig)`) and by EIP-712
/// digest, so no other encoding of a revoked claim (and no re-signature of the same content) is valid again.
/// Removing a claim-signer key invalidates everything it signed.
/// Constructed with a claim index (the Identity implementation behind IdentityFactory's clones), it registers there and
/// reports every invalidation there in the same transaction, so registries may trust the verification records of its
/// claims (see ClaimIndex); without one (0), registries always verify its claims in full.
contract ClaimIssuer is Identity, IClaimIssuer {
    error ClaimAlreadyRevoked();
    error NotIssuerOfClaim();
    /// @notice The pushed claim is not newer than the one the identity holds from this issuer for the topic.
    error StaleClaim(uint64 heldIssuedAt, uint64 issuedAt);

    /// @notice The claim index this issuer reports to (0: none).
    address public immutable claimIndex;

    mapping(bytes32 sigHash => bool) private _revokedSignatures;
    mapping(bytes32 digest => bool) private _revokedDigests;

    /// @param managementWallet The issuer's first management key.
    /// @param claimSigners Wallets whose keys sign claims (purpose 3) from the start: an issuer is complete in its
    /// deploying transaction, with no key for whoever deployed it.
    /// @param claimIndex_ The claim index to register with and report to (the Identity implementation of the
    /// IdentityFactory whose clones hold this issuer's claims), or 0. Registration only works here, at construction.
    constructor(address managementWallet, address[] memory claimSigners, address claimIndex_) Identity(managementWallet) {
        if (managementWallet == address(0)) revert InvalidKey();
        for (uint256 i = 0; i < claimSigners.length; ++i) {
            _addKey(_walletKey(claimSigners[i]), CLAIM_SIGNER, ECDSA_KEY_TYPE);
        }
        claimIndex = claimIndex_;
        if (claimIndex_ != address(0)) IClaimIndex(claimIndex_).registerIssuer();
    }

    /// @inheritdoc IClaimIssuer
    /// @dev Management key only.
    function revokeClaim(bytes32 claimId, address identity) external onlyManager returns (bool) {
        if (!_revokeHeld(claimId, identity)) revert ClaimAlreadyRevoked();
        return true;
    }

    /// @inheritdoc IClaimIssuer
    /// @dev Management key only.
    function revokeClaimBySignature(bytes calldata signature) external onlyManager {
        bytes32 h = keccak256(signature);
        if (_revokedSignatures[h]) revert ClaimAlreadyRevoked();
        _revokedSignatures[h] = true;
        emit ClaimRevoked(signature);
        // The signature alone does not say whose claim it is: every record of this issuer's claims stops counting.
        _advanceClaimEpoch();
    }

    /// @dev Invalidations go to the index named at construction.
    function _issuerIndex() internal view override returns (address) {
        return claimIndex;
    }

    /// @inheritdoc IClaimIssuer
    function isClaimRevoked(bytes calldata sig) external view returns (bool) {
        return _revokedSignatures[keccak256(sig)];
    }

    /// @notice Whether the claim with this EIP-712 digest was revoked.
    function isDigestRevoked(bytes32 digest) external view returns (bool) {
        return _revokedDigests[digest];
    }

    /// @dev Revoked by signature (this exact encoding) or by digest (any encoding or re-signature of the content).
    function _isRevoked(bytes32 digest, bytes calldata sig) internal view override returns (bool) {
        return _revokedDigests[digest] || _revokedSignatures[keccak256(sig)];
    }

    /// @notice Pushes a claim signed by this issuer onto `identity`, which must give this contract a claim key or hold a
    /// claim registry (Identity.CLAIM_REGISTRY) that trusts this issuer for the topic.
    /// @dev Anyone may call it, e.g. a relayer paying gas: the claim signature is the issuer's authorization, and the
    /// identity accepts the claim only if `isClaimValid` says so (a current claim-signer key, in its window, not
    /// revoked). A claim can only replace one of the same topic from this issuer that is older (`issuedAt`), or
    /// the same content again: nobody can bring back a superseded claim the issuer never revoked.
    function issueClaim(
        address identity, uint256 topic, uint256 scheme, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId) {
        claimId = keccak256(abi.encode(address(this), topic));
        (,, address issuer,, bytes memory held,) = IIdentity(identity).getClaim(claimId);
        if (issuer == address(this) && keccak256(held) != keccak256(data)) _requireNewer(held, data, false);
        return IIdentity(identity).addClaim(topic, scheme, address(this), signature, data, uri);
    }

    /// @inheritdoc IClaimIssuer
    /// @dev Anyone may call it (see issueClaim): the new claim must be valid and not older (`issuedAt`) than the held
    /// one, which is revoked (so a claim signed in the same second can replace it, once).
    /// The old claim's signature and digest are revoked and the new claim replaces it in the same transaction, so
    /// there is no moment with two valid claims or none, and a failure leaves the old claim in place.
    function renewClaim(
        address identity, uint256 topic, uint256 scheme, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId) {
        claimId = keccak256(abi.encode(address(this), topic));
        (,, address issuer,, bytes memory held,) = IIdentity(identity).getClaim(claimId);
        if (issuer != address(this)) revert NotIssuerOfClaim();
        _requireNewer(held, data, true);
        _revokeHeld(claimId, identity);
        IIdentity(identity).addClaim(topic, scheme, address(this), signature, data, uri);
        emit ClaimRenewed(identity, topic, claimId);
    }

    /// @dev Without revoking the held claim, a claim of the same second could be swapped back and forth: only a
    /// renewal (which revokes it) may use `sameSecond`.
    function _requireNewer(bytes memory held, bytes calldata data, bool sameSecond) private pure {
        (,, uint64 heldIssuedAt,) = ClaimData.decode(held);
        (bool ok,, uint64 issuedAt,) = ClaimData.decode(data);
        if (!ok) revert InvalidClaimData();
        if (issuedAt < heldIssuedAt || (issuedAt == heldIssuedAt && !sameSecond)) revert StaleClaim(heldIssuedAt, issuedAt);
    }

    /// @dev Revokes the claim `claimId` that `identity` currently holds from this issuer; false if already revoked.
    function _revokeHeld(bytes32 claimId, address identity) private returns (bool fresh) {
        (uint256 topic,, address issuer, bytes memory sig, bytes memory data,) = IIdentity(identity).getClaim(claimId);
        if (issuer != address(this)) revert NotIssuerOfClaim();
        bytes32 sigHash = keccak256(sig);
        (bool ok, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt) = ClaimData.decode(data);
        if (!ok) revert InvalidClaimData();
        bytes32 digest = _claimDigest(identity, topic, documentHash, issuedAt, expiresAt);
        if (!_revokedSignatures[sigHash]) {
            _revokedSignatures[sigHash] = true;
            emit ClaimRevoked(sig);
            fresh = true;
        }
        if (!_revokedDigests[digest]) {
            _revokedDigests[digest] = true;
            emit ClaimDigestRevoked(digest);
            fresh = true;
        }
        // The holder's verification record of this claim stops counting in this transaction.
        if (fresh && claimIndex != address(0)) IClaimIndex(claimIndex).revokeRecord(identity, topic);
    }
}
