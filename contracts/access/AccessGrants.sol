// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessGrants} from "../interfaces/IAccessGrants.sol";

/// @title Selective-disclosure grants held by an identity
/// @notice Records which verifier may fetch the wrapped document key of which claim topic. Keyed by
/// (verifier, topic), so a grant for one topic never opens another and revoking one verifier leaves the others.
/// The record is public on chain: it names the verifier and the topic, never the document or its key.
abstract contract AccessGrants is IAccessGrants {
    struct Grant {
        bytes32 envelopeRef;
        uint64 grantedAt;
        uint64 expiresAt;
    }

    error InvalidGrant();
    error GrantNotFound();

    mapping(address verifier => mapping(uint256 topic => Grant)) private _grants;

    /// @dev Reverts unless the caller may grant and revoke (Identity: a management key).
    function _checkGrantAuthority() internal view virtual;

    /// @inheritdoc IAccessGrants
    function grantAccess(address verifier, uint256 claimTopic, bytes32 envelopeRef, uint64 expiresAt) external {
        _checkGrantAuthority();
        if (verifier == address(0) || envelopeRef == bytes32(0)) revert InvalidGrant();
        if (expiresAt != 0 && expiresAt <= block.timestamp) revert InvalidGrant();
        _grants[verifier][claimTopic] = Grant(envelopeRef, uint64(block.timestamp), expiresAt);
        emit AccessGranted(verifier, claimTopic, envelopeRef, expiresAt);
    }

    /// @inheritdoc IAccessGrants
    function revokeAccess(address verifier, uint256 claimTopic) external {
        _checkGrantAuthority();
        if (_grants[verifier][claimTopic].grantedAt == 0) revert GrantNotFound();
        delete _grants[verifier][claimTopic];
        emit AccessRevoked(verifier, claimTopic);
    }

    /// @inheritdoc IAccessGrants
    function canAccess(address verifier, uint256 claimTopic) external view returns (bool) {
        Grant storage g = _grants[verifier][claimTopic];
        return g.grantedAt != 0 && (g.expiresAt == 0 || block.timestamp < g.expiresAt);
    }

    /// @inheritdoc IAccessGrants
    function getAccessGrant(address verifier, uint256 claimTopic)
        external view returns (bytes32 envelopeRef, uint64 grantedAt, uint64 expiresAt)
    {
        Grant storage g = _grants[verifier][claimTopic];
        return (g.envelopeRef, g.grantedAt, g.expiresAt);
    }
}
