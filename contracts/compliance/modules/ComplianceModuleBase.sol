// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";
import {IERC3643, IERC3643Compliance, IComplianceModule} from "../../token/IERC3643.sol";
import {IRefusalCode} from "../../token/TransferRefusal.sol";
import {IStatelessModule} from "../IStatelessModule.sol";

/**
 * @title ComplianceModuleBase
 * @notice Shared plumbing of this project's compliance modules: one module instance serves many compliance
 * contracts, each with its own configuration keyed by the compliance address. Configuration functions are
 * `onlyBoundCompliance`, i.e. reached through `ModularCompliance.callModuleFunction`, which only the compliance
 * owner may call.
 */
abstract contract ComplianceModuleBase is IComplianceModule, IRefusalCode, IStatelessModule {
    mapping(address compliance => bool) private _bound;

    /// @notice The caller is not a compliance bound to this module.
    error ComplianceNotBound(address caller);
    /// @notice A compliance may only bind or unbind itself.
    error CallerNotCompliance(address caller);
    /// @notice `compliance` is already bound.
    error ComplianceAlreadyBound(address compliance);
    /// @notice The module refuses to bind `compliance` in its current state.
    error ComplianceCannotBind(address compliance);

    modifier onlyBoundCompliance() {
        if (!_bound[msg.sender]) revert ComplianceNotBound(msg.sender);
        _;
    }

    /// @inheritdoc IComplianceModule
    function bindCompliance(address compliance) external {
        if (msg.sender != compliance) revert CallerNotCompliance(msg.sender);
        if (_bound[compliance]) revert ComplianceAlreadyBound(compliance);
        if (!isPlugAndPlay() && !canComplianceBind(compliance)) revert ComplianceCannotBind(compliance);
        _bound[compliance] = true;
        emit ComplianceBound(compliance);
    }

    /// @inheritdoc IComplianceModule
    function unbindCompliance(address compliance) external {
        if (msg.sender != compliance) revert CallerNotCompliance(msg.sender);
        if (!_bound[compliance]) revert ComplianceNotBound(compliance);
        _bound[compliance] = false;
        emit ComplianceUnbound(compliance);
    }

    /// @inheritdoc IComplianceModule
    function moduleTransferAction(address, address, uint256) external virtual onlyBoundCompliance {}

    /// @inheritdoc IComplianceModule
    function moduleMintAction(address, uint256) external virtual onlyBoundCompliance {}

    /// @inheritdoc IComplianceModule
    function moduleBurnAction(address, uint256) external virtual onlyBoundCompliance {}

    /// @inheritdoc IComplianceModule
    function isComplianceBound(address compliance) external view returns (bool) {
        return _bound[compliance];
    }

    /// @inheritdoc IComplianceModule
    function canComplianceBind(address) public view virtual returns (bool) {
        return true;
    }

    /// @inheritdoc IComplianceModule
    function isPlugAndPlay() public pure virtual returns (bool) {
        return true;
    }

    /// @inheritdoc IStatelessModule
    function isStateless() external pure virtual returns (bool) {
        return true;
    }

    /// @dev The identity registry of the token bound to `compliance`, read live so a registry swap applies at once.
    function _registry(address compliance) internal view returns (IIdentityRegistry) {
        return IERC3643(IERC3643Compliance(compliance).getTokenBound()).identityRegistry();
    }
}
