// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";
import {IRefusalReason} from "../IRefusalReason.sol";
import {IIdentity} from "../../interfaces/IIdentity.sol";
import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";

/// @dev The check IdentityRegistry runs per required topic, exposed for one topic.
interface IHasValidClaim {
    function hasValidClaim(IIdentity identity, uint256 topic) external view returns (bool);
}

/**
 * @title JurisdictionModule
 * @notice Allowed and blocked jurisdictions, read from the attested claim rather than the investor's word. A party
 * passes only when its identity holds a valid JURISDICTION claim (topic 9 unless the compliance sets another) of an
 * issuer the token's registry trusts for that topic, and its registered country (which the node sets from the
 * claim's opening and clears when the claim is revoked, expires or attests another country) is not 0, not blocked,
 * and on the allow list when the compliance keeps one. A revoked or expired claim refuses in the same block, before
 * any registry update. Both parties are checked (a holder whose jurisdiction becomes blocked cannot move tokens
 * either); mints check the receiver. A reverted transfer says JURISDICTION_NOT_ATTESTED (its `refusalCode`);
 * `refusalReason` names the reason that applies: JURISDICTION_NOT_ATTESTED, COUNTRY_NOT_ALLOWED or
 * COUNTRY_RESTRICTED ({IRefusalReason}, read by `token_canTransfer`).
 */
contract JurisdictionModule is ComplianceModuleBase, IRefusalReason {
    /// @dev The custom JURISDICTION topic of the node's topic catalogue.
    uint256 private constant JURISDICTION_TOPIC = 9;

    struct Rules {
        uint64 topic; // 0: JURISDICTION_TOPIC
        bool allowListOnly;
    }

    mapping(address compliance => Rules) private _rules;
    mapping(address compliance => mapping(uint16 country => uint8)) private _status; // 1 allowed, 2 blocked

    uint8 private constant ALLOWED = 1;
    uint8 private constant BLOCKED = 2;

    /// @notice `compliance` reads jurisdictions from claims of `topic`; with `allowListOnly` only allowed ones pass.
    event JurisdictionRulesSet(address indexed compliance, uint256 topic, bool allowListOnly);
    /// @notice `country` is now allowed (1), blocked (2) or neither (0) by `compliance`.
    event JurisdictionStatusSet(address indexed compliance, uint16 country, uint8 status);

    /// @notice Country 0 (unknown) cannot be listed; `topic` 0 or above 2^64 is no topic.
    error InvalidJurisdiction(uint256 value);

    /// @notice Sets the caller compliance's attestation topic and whether only allowed jurisdictions pass.
    function setJurisdictionRules(uint256 topic, bool allowListOnly) external onlyBoundCompliance {
        if (topic == 0 || topic > type(uint64).max) revert InvalidJurisdiction(topic);
        _rules[msg.sender] = Rules(uint64(topic), allowListOnly);
        emit JurisdictionRulesSet(msg.sender, topic, allowListOnly);
    }

    /// @notice Sets the status of each of `countries` (ISO 3166-1 numeric): 0 none, 1 allowed, 2 blocked.
    function setJurisdictions(uint16[] calldata countries, uint8 status) external onlyBoundCompliance {
        if (status > BLOCKED) revert InvalidJurisdiction(status);
        for (uint256 i; i < countries.length; ++i) {
            if (countries[i] == 0) revert InvalidJurisdiction(0);
            _status[msg.sender][countries[i]] = status;
            emit JurisdictionStatusSet(msg.sender, countries[i], status);
        }
    }

    /// @notice The rules of `compliance`: the attestation topic and whether an allow list applies.
    function getJurisdictionRules(address compliance) external view returns (uint256 topic, bool allowListOnly) {
        Rules memory r = _rules[compliance];
        return (r.topic == 0 ? JURISDICTION_TOPIC : r.topic, r.allowListOnly);
    }

    /// @notice The status of `country` under `compliance`: 0 none, 1 allowed, 2 blocked.
    function jurisdictionStatus(address compliance, uint16 country) external view returns (uint8) {
        return _status[compliance][country];
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address from, address to, uint256, address compliance) external view returns (bool) {
        return _refusal(from, to, compliance) == TransferRefusal.OK;
    }

    /// @inheritdoc IRefusalReason
    function refusalReason(address from, address to, uint256, address compliance) external view returns (uint8) {
        return _refusal(from, to, compliance);
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.JURISDICTION_NOT_ATTESTED;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "JurisdictionModule";
    }

    function _refusal(address from, address to, address compliance) private view returns (uint8) {
        IIdentityRegistry registry = _registry(compliance);
        Rules memory r = _rules[compliance];
        uint256 topic = r.topic == 0 ? JURISDICTION_TOPIC : r.topic;
        uint8 code = _partyRefusal(registry, compliance, r.allowListOnly, topic, to);
        if (code != TransferRefusal.OK || from == address(0)) return code;
        return _partyRefusal(registry, compliance, r.allowListOnly, topic, from);
    }

    function _partyRefusal(IIdentityRegistry registry, address compliance, bool allowListOnly, uint256 topic, address wallet)
        private
        view
        returns (uint8)
    {
        IIdentity id = registry.identity(wallet);
        uint16 country = registry.investorCountry(wallet);
        if (country == 0 || address(id) == address(0) || !IHasValidClaim(address(registry)).hasValidClaim(id, topic)) {
            return TransferRefusal.JURISDICTION_NOT_ATTESTED;
        }
        uint8 status = _status[compliance][country];
        if (status == BLOCKED) return TransferRefusal.COUNTRY_RESTRICTED;
        if (allowListOnly && status != ALLOWED) return TransferRefusal.COUNTRY_NOT_ALLOWED;
        return TransferRefusal.OK;
    }
}
