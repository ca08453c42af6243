// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRefusalReason
 * @notice Optional extension of a compliance module that refuses for more than one reason: {ModularCompliance}
 * asks it, on the refusal path only (never on a transfer that passes), which {TransferRefusal} code applies to this
 * transfer, and falls back to `IRefusalCode.refusalCode()` for modules without it.
 */
interface IRefusalReason {
    /// @return The {TransferRefusal} code of the first check `from -> to` fails (0 when none does).
    function refusalReason(address from, address to, uint256 amount, address compliance) external view returns (uint8);
}
