// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title IRefusalReason
 * @notice Optional extension of a compliance module that refuses for more than one reason: once
 * `ModularCompliance.transferRefusal` has named the refusing module (with its one `refusalCode()`), a client asks
 * the module which {TransferRefusal} code applies to this transfer (the node's `token_canTransfer` does). Read off
 * chain only, so the transfer path pays nothing for it.
 */
interface IRefusalReason {
    /// @return The {TransferRefusal} code of the first check `from -> to` fails (0 when none does).
    function refusalReason(address from, address to, uint256 amount, address compliance) external view returns (uint8);
}
