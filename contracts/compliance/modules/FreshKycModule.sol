// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";
import {IIdentity} from "../../interfaces/IIdentity.sol";
import {IClaimIssuer} from "../../interfaces/IClaimIssuer.sol";
import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";
import {IRiskScoreRegistry} from "../../interfaces/IRiskScoreRegistry.sol";

/**
 * @title FreshKycModule
 * @notice "High risk needs a fresh KYC": a party whose risk score is above the compliance's threshold passes only
 * with a valid KYC claim (topic 1 unless set otherwise) of an issuer the token's registry trusts for it, issued
 * less than `maxAge` seconds ago. Parties at or under the threshold, or without a score, pass (the maximum score
 * and unscored parties are MaxRiskScoreModule's rules). The issue time is the one the issuer signed in the claim's
 * data (Masque layout: `abi.encode(documentHash, issuedAt, expiresAt)`), and the issuer must still call the claim
 * valid (not revoked, inside its window). An unconfigured compliance refuses every transfer (fail closed).
 * Refusals: KYC_NOT_FRESH. Mints check the receiver.
 */
contract FreshKycModule is ComplianceModuleBase {
    struct Rule {
        IRiskScoreRegistry riskRegistry;
        uint8 scoreAbove;
        uint32 maxAge;
        uint32 topic;
    }

    mapping(address compliance => Rule) private _rules;

    /// @notice Parties of `compliance` scored above `scoreAbove` need a KYC claim (`topic`) younger than `maxAge` seconds.
    event FreshKycRuleSet(address indexed compliance, address indexed riskRegistry, uint8 scoreAbove, uint32 maxAge, uint32 topic);

    /// @notice A zero registry, a threshold above 100, a zero age or topic.
    error InvalidFreshKycRule();

    /// @notice Sets the caller compliance's rule.
    function setFreshKycRule(address riskRegistry, uint8 scoreAbove, uint32 maxAge, uint32 topic) external onlyBoundCompliance {
        if (riskRegistry == address(0) || scoreAbove > 100 || maxAge == 0 || topic == 0) revert InvalidFreshKycRule();
        _rules[msg.sender] = Rule(IRiskScoreRegistry(riskRegistry), scoreAbove, maxAge, topic);
        emit FreshKycRuleSet(msg.sender, riskRegistry, scoreAbove, maxAge, topic);
    }

    /// @notice The rule of `compliance`.
    function getFreshKycRule(address compliance)
        external
        view
        returns (address riskRegistry, uint8 scoreAbove, uint32 maxAge, uint32 topic)
    {
        Rule memory r = _rules[compliance];
        return (address(r.riskRegistry), r.scoreAbove, r.maxAge, r.topic);
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address from, address to, uint256, address compliance) external view returns (bool) {
        Rule memory r = _rules[compliance];
        if (address(r.riskRegistry) == address(0)) return false;
        IIdentityRegistry registry = _registry(compliance);
        return _passes(r, registry, to) && (from == address(0) || _passes(r, registry, from));
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.KYC_NOT_FRESH;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "FreshKycModule";
    }

    function _passes(Rule memory r, IIdentityRegistry registry, address wallet) private view returns (bool) {
        (uint8 score, bool scored) = r.riskRegistry.walletRiskScore(wallet);
        if (!scored || score <= r.scoreAbove) return true;
        IIdentity id = registry.identity(wallet);
        if (address(id) == address(0) || address(id).code.length == 0) return false;
        IClaimIssuer[] memory issuers = registry.issuersRegistry().getTrustedIssuersForClaimTopic(r.topic);
        for (uint256 i; i < issuers.length; ++i) {
            if (_freshFrom(r, id, address(issuers[i]))) return true;
        }
        return false;
    }

    /// @dev The claim of `issuer` on `id` for the rule's topic: issued within `maxAge`, and still valid by the issuer.
    function _freshFrom(Rule memory r, IIdentity id, address issuer) private view returns (bool) {
        if (issuer.code.length == 0) return false;
        try id.getClaim(keccak256(abi.encode(issuer, uint256(r.topic)))) returns (
            uint256 topic, uint256, address claimIssuer, bytes memory sig, bytes memory data, string memory
        ) {
            if (topic != r.topic || claimIssuer != issuer || data.length != 96) return false;
            (, uint256 issuedAt,) = abi.decode(data, (bytes32, uint256, uint256));
            if (issuedAt > block.timestamp || block.timestamp - issuedAt >= r.maxAge) return false;
            try IIdentity(issuer).isClaimValid(id, r.topic, sig, data) returns (bool valid) {
                return valid;
            } catch {
                return false;
            }
        } catch {
            return false;
        }
    }
}
