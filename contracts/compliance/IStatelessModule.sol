// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IStatelessModule
 * @notice Optional extension of a compliance module. A module answering `true` keeps no per-transfer state, so
 * {ModularCompliance} skips its transfer, mint and burn hooks (one external call per module per transfer saved).
 * Modules without this function (T-REX modules) always receive the hooks.
 */
interface IStatelessModule {
    function isStateless() external view returns (bool);
}
