// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ITrustedIssuersRegistry} from "../interfaces/ITrustedIssuersRegistry.sol";
import {IClaimIssuer} from "../interfaces/IClaimIssuer.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {Role} from "../roles/Role.sol";

/// @title Trusted claim issuers, each for a set of topics (shared by TrustedIssuersRegistry and IdentityRegistry)
/// @notice `hasClaimTopic(issuer, topic)` is a single SLOAD, which is what IdentityRegistry.isVerified asks per
/// held claim; removing an issuer clears it, so its claims stop counting in the same block without being touched.
/// Written by the owner or an {Role.ISSUERS_SETTER}, directly or by a signed call relayed by anyone.
abstract contract TrustedIssuersBase is ITrustedIssuersRegistry, RoleControl {
    /// @notice Most trusted issuers.
    uint256 public constant MAX_ISSUERS = 50;
    /// @notice Most topics per issuer.
    uint256 public constant MAX_TOPICS_PER_ISSUER = 15;

    error IssuerAlreadyTrusted();
    error IssuerNotTrusted();
    error NoTopics();
    error TooManyIssuers();
    error TooManyIssuerTopics();
    error DuplicateTopic(uint256 claimTopic);

    IClaimIssuer[] private _issuers;
    mapping(address issuer => uint256[]) private _issuerTopics;
    mapping(address issuer => mapping(uint256 topic => bool)) private _trustedFor;
    mapping(uint256 topic => IClaimIssuer[]) private _issuersByTopic;
    /// @dev Topics below 256 an issuer is trusted for, as bits: hasClaimTopic is one SLOAD per issuer, warm (100 gas)
    /// for every further topic isVerified asks about in the same call.
    mapping(address issuer => uint256) private _smallTopics;

    /// @inheritdoc ITrustedIssuersRegistry
    function addTrustedIssuer(IClaimIssuer trustedIssuer, uint256[] calldata claimTopics)
        external
        onlyOwnerOrRole(Role.ISSUERS_SETTER)
    {
        _add(trustedIssuer, claimTopics);
    }

    function _add(IClaimIssuer trustedIssuer, uint256[] calldata claimTopics) internal {
        if (address(trustedIssuer) == address(0)) revert ZeroAddress();
        if (_issuerTopics[address(trustedIssuer)].length != 0) revert IssuerAlreadyTrusted();
        if (_issuers.length >= MAX_ISSUERS) revert TooManyIssuers();
        _issuers.push(trustedIssuer);
        _setTopics(trustedIssuer, claimTopics);
        emit TrustedIssuerAdded(trustedIssuer, claimTopics);
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function removeTrustedIssuer(IClaimIssuer trustedIssuer) external onlyOwnerOrRole(Role.ISSUERS_SETTER) {
        if (_issuerTopics[address(trustedIssuer)].length == 0) revert IssuerNotTrusted();
        _clearTopics(trustedIssuer);
        uint256 n = _issuers.length;
        for (uint256 i = 0; i < n; ++i) {
            if (address(_issuers[i]) == address(trustedIssuer)) {
                _issuers[i] = _issuers[n - 1];
                _issuers.pop();
                break;
            }
        }
        emit TrustedIssuerRemoved(trustedIssuer);
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function updateIssuerClaimTopics(IClaimIssuer trustedIssuer, uint256[] calldata claimTopics)
        external
        onlyOwnerOrRole(Role.ISSUERS_SETTER)
    {
        if (_issuerTopics[address(trustedIssuer)].length == 0) revert IssuerNotTrusted();
        _clearTopics(trustedIssuer);
        _setTopics(trustedIssuer, claimTopics);
        emit ClaimTopicsUpdated(trustedIssuer, claimTopics);
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function getTrustedIssuers() external view returns (IClaimIssuer[] memory) {
        return _issuers;
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function getTrustedIssuersForClaimTopic(uint256 claimTopic) external view returns (IClaimIssuer[] memory) {
        return _issuersByTopic[claimTopic];
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function isTrustedIssuer(address issuer) external view returns (bool) {
        return _issuerTopics[issuer].length != 0;
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function getTrustedIssuerClaimTopics(IClaimIssuer trustedIssuer) external view returns (uint256[] memory) {
        return _issuerTopics[address(trustedIssuer)];
    }

    /// @inheritdoc ITrustedIssuersRegistry
    function hasClaimTopic(address issuer, uint256 claimTopic) external view returns (bool) {
        return _hasClaimTopic(issuer, claimTopic);
    }

    function _hasClaimTopic(address issuer, uint256 claimTopic) internal view returns (bool) {
        if (claimTopic < 256) return (_smallTopics[issuer] >> claimTopic) & 1 == 1;
        return _trustedFor[issuer][claimTopic];
    }

    function _setTopics(IClaimIssuer issuer, uint256[] calldata topics) private {
        uint256 n = topics.length;
        if (n == 0) revert NoTopics();
        if (n > MAX_TOPICS_PER_ISSUER) revert TooManyIssuerTopics();
        mapping(uint256 => bool) storage trusted = _trustedFor[address(issuer)];
        uint256 small;
        for (uint256 i = 0; i < n; ++i) {
            uint256 t = topics[i];
            if (trusted[t]) revert DuplicateTopic(t);
            trusted[t] = true;
            if (t < 256) small |= 1 << t;
            _issuersByTopic[t].push(issuer);
        }
        _smallTopics[address(issuer)] = small;
        _issuerTopics[address(issuer)] = topics;
    }

    function _clearTopics(IClaimIssuer issuer) private {
        uint256[] storage topics = _issuerTopics[address(issuer)];
        mapping(uint256 => bool) storage trusted = _trustedFor[address(issuer)];
        uint256 n = topics.length;
        for (uint256 i = 0; i < n; ++i) {
            uint256 t = topics[i];
            delete trusted[t];
            IClaimIssuer[] storage list = _issuersByTopic[t];
            uint256 m = list.length;
            for (uint256 j = 0; j < m; ++j) {
                if (address(list[j]) == address(issuer)) {
                    list[j] = list[m - 1];
                    list.pop();
                    break;
                }
            }
        }
        delete _issuerTopics[address(issuer)];
        delete _smallTopics[address(issuer)];
    }
}
