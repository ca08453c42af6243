// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";
import {IRiskScoreRegistry} from "../../interfaces/IRiskScoreRegistry.sol";

/**
 * @title MaxRiskScoreModule
 * @notice Refuses a transfer when the sender's or the receiver's identity has a risk score above the compliance's
 * maximum (mints check the receiver only). Scores come from an {IRiskScoreRegistry} chosen per compliance, read
 * live, so a raised score blocks the next transfer. An identity without a score is refused unless the compliance
 * opted in with `allowUnscored`; an unconfigured compliance refuses everything (fail closed).
 */
contract MaxRiskScoreModule is ComplianceModuleBase {
    /// @dev Scores run from 0 to 100 in the registry.
    uint8 private constant MAX_SCORE = 100;

    struct Limit {
        IRiskScoreRegistry registry;
        uint8 maxScore;
        bool allowUnscored;
    }

    mapping(address compliance => Limit) private _limits;

    /// @notice `compliance` now refuses parties scored above `maxScore` by `riskRegistry`.
    event RiskLimitSet(address indexed compliance, address indexed riskRegistry, uint8 maxScore, bool allowUnscored);

    /// @notice The risk registry address is zero.
    error ZeroRiskRegistry();
    /// @notice `maxScore` is above the registry's scale.
    error InvalidMaxScore(uint8 maxScore);

    /**
     * @notice Sets the caller compliance's limit.
     * @param riskRegistry Where scores are read.
     * @param maxScore The highest accepted score (0-100).
     * @param allowUnscored Whether a party without a score passes.
     */
    function setRiskLimit(address riskRegistry, uint8 maxScore, bool allowUnscored) external onlyBoundCompliance {
        if (riskRegistry == address(0)) revert ZeroRiskRegistry();
        if (maxScore > MAX_SCORE) revert InvalidMaxScore(maxScore);
        _limits[msg.sender] = Limit(IRiskScoreRegistry(riskRegistry), maxScore, allowUnscored);
        emit RiskLimitSet(msg.sender, riskRegistry, maxScore, allowUnscored);
    }

    /// @notice The limit of `compliance`.
    function getRiskLimit(address compliance)
        external
        view
        returns (address riskRegistry, uint8 maxScore, bool allowUnscored)
    {
        Limit memory l = _limits[compliance];
        return (address(l.registry), l.maxScore, l.allowUnscored);
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address from, address to, uint256, address compliance) external view returns (bool) {
        Limit memory l = _limits[compliance];
        if (address(l.registry) == address(0)) return false;
        return (from == address(0) || _accepts(l, from)) && _accepts(l, to);
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.RISK_SCORE_TOO_HIGH;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "MaxRiskScoreModule";
    }

    function _accepts(Limit memory l, address wallet) private view returns (bool) {
        (uint8 score, bool scored) = l.registry.walletRiskScore(wallet);
        return scored ? score <= l.maxScore : l.allowUnscored;
    }
}
