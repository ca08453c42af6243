// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule, IERC3643Compliance} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";
import {IIdentityRegistry} from "../../interfaces/IIdentityRegistry.sol";

/**
 * @title MaxBalanceModule
 * @notice Caps what one investor may hold: the limit applies per identity, summed over all the wallets registered
 * to it, so an investor cannot get round it by spreading tokens over wallets. The module tracks each identity's
 * balance through the transfer, mint and burn hooks, which is why it binds only to a compliance whose token has no
 * supply yet (nothing to reconstruct).
 *
 * @dev A wallet without an identity in the registry is tracked under its own address. Moving a wallet to another
 * identity in the registry (`updateIdentity`) leaves its tracked balance on the old identity; decrements saturate
 * at zero so such a move can never lock the token.
 */
contract MaxBalanceModule is ComplianceModuleBase {
    mapping(address compliance => uint256) private _maxBalance;
    mapping(address compliance => mapping(address identity => uint256)) private _identityBalance;

    /// @notice `compliance` now caps each identity's balance at `maxBalance` token units.
    event MaxBalanceSet(address indexed compliance, uint256 maxBalance);

    /// @notice Sets the caller compliance's cap (0 refuses every incoming transfer and mint).
    function setMaxBalance(uint256 maxBalance) external onlyBoundCompliance {
        _maxBalance[msg.sender] = maxBalance;
        emit MaxBalanceSet(msg.sender, maxBalance);
    }

    /// @notice The cap of `compliance`.
    function getMaxBalance(address compliance) external view returns (uint256) {
        return _maxBalance[compliance];
    }

    /// @notice The tracked balance of `identity` under `compliance`.
    function getIDBalance(address compliance, address identity) external view returns (uint256) {
        return _identityBalance[compliance][identity];
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address from, address to, uint256 value, address compliance) external view returns (bool) {
        IIdentityRegistry registry = _registry(compliance);
        address receiver = _holder(registry, to);
        // Moving tokens between two wallets of one investor leaves the investor's total unchanged.
        if (from != address(0) && _holder(registry, from) == receiver) return true;
        return _identityBalance[compliance][receiver] + value <= _maxBalance[compliance];
    }

    /// @inheritdoc IComplianceModule
    function moduleTransferAction(address from, address to, uint256 value) external override onlyBoundCompliance {
        IIdentityRegistry registry = _registry(msg.sender);
        address sender = _holder(registry, from);
        address receiver = _holder(registry, to);
        if (sender == receiver) return;
        _decrease(msg.sender, sender, value);
        _identityBalance[msg.sender][receiver] += value;
    }

    /// @inheritdoc IComplianceModule
    function moduleMintAction(address to, uint256 value) external override onlyBoundCompliance {
        _identityBalance[msg.sender][_holder(_registry(msg.sender), to)] += value;
    }

    /// @inheritdoc IComplianceModule
    function moduleBurnAction(address from, uint256 value) external override onlyBoundCompliance {
        _decrease(msg.sender, _holder(_registry(msg.sender), from), value);
    }

    /// @inheritdoc IComplianceModule
    function canComplianceBind(address compliance) public view override returns (bool) {
        address token = IERC3643Compliance(compliance).getTokenBound();
        return token == address(0) || IERC20(token).totalSupply() == 0;
    }

    /// @inheritdoc IComplianceModule
    function isPlugAndPlay() public pure override returns (bool) {
        return false;
    }

    /// @inheritdoc ComplianceModuleBase
    function isStateless() external pure override returns (bool) {
        return false;
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.MAX_BALANCE_EXCEEDED;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "MaxBalanceModule";
    }

    function _holder(IIdentityRegistry registry, address wallet) private view returns (address) {
        address id = address(registry.identity(wallet));
        return id == address(0) ? wallet : id;
    }

    function _decrease(address compliance, address holder, uint256 value) private {
        uint256 balance = _identityBalance[compliance][holder];
        _identityBalance[compliance][holder] = balance > value ? balance - value : 0;
    }
}
