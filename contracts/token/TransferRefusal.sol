// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title TransferRefusal
 * @notice Reason codes for a refused transfer, in the order the token checks them; `canTransferReason` returns the
 * first failing one and a reverting transfer raises the matching custom error. These are the codes the
 * `token_canTransfer` RPC returns, so never renumber them; append new ones.
 *
 * | code | name                  | custom error                      |
 * |------|-----------------------|-----------------------------------|
 * | 0    | OK                    | -                                 |
 * | 1    | PAUSED                | EnforcedPause()                   |
 * | 2    | INVALID_RECEIVER      | ERC20InvalidReceiver(address)     |
 * | 3    | SENDER_FROZEN         | SenderFrozen()                    |
 * | 4    | RECEIVER_FROZEN       | ReceiverFrozen()                  |
 * | 5    | INSUFFICIENT_BALANCE  | ERC20InsufficientBalance(...)     |
 * | 6    | TOKENS_FROZEN         | InsufficientUnfrozenBalance()     |
 * | 7    | SENDER_NOT_VERIFIED   | SenderNotVerified()               |
 * | 8    | RECEIVER_NOT_VERIFIED | ReceiverNotVerified()             |
 * | 9    | COMPLIANCE_REFUSED    | ComplianceRefused(uint8 code)     |
 * | 10   | COUNTRY_NOT_ALLOWED   | CountryNotAllowed()               |
 * | 11   | COUNTRY_RESTRICTED    | CountryRestricted()               |
 * | 12   | MAX_BALANCE_EXCEEDED  | MaxBalanceExceeded()              |
 * | 13   | RISK_SCORE_TOO_HIGH   | RiskScoreTooHigh()                |
 * | 14   | JURISDICTION_NOT_ATTESTED | ComplianceRefused(14)         |
 * | 15   | KYC_NOT_FRESH         | ComplianceRefused(15)             |
 *
 * Codes 9 and up come from the compliance: a module reports its own code through {IRefusalCode}; a module that
 * does not (a third-party T-REX module) is reported as 9. A module refusing for several reasons reports one code here
 * and names the one that applies to a transfer through `IRefusalReason` (read by `token_canTransfer`; e.g.
 * JurisdictionModule: 14, 10 or 11).
 */
library TransferRefusal {
    uint8 internal constant OK = 0;
    uint8 internal constant PAUSED = 1;
    uint8 internal constant INVALID_RECEIVER = 2;
    uint8 internal constant SENDER_FROZEN = 3;
    uint8 internal constant RECEIVER_FROZEN = 4;
    uint8 internal constant INSUFFICIENT_BALANCE = 5;
    uint8 internal constant TOKENS_FROZEN = 6;
    uint8 internal constant SENDER_NOT_VERIFIED = 7;
    uint8 internal constant RECEIVER_NOT_VERIFIED = 8;
    uint8 internal constant COMPLIANCE_REFUSED = 9;
    uint8 internal constant COUNTRY_NOT_ALLOWED = 10;
    uint8 internal constant COUNTRY_RESTRICTED = 11;
    uint8 internal constant MAX_BALANCE_EXCEEDED = 12;
    uint8 internal constant RISK_SCORE_TOO_HIGH = 13;
    uint8 internal constant JURISDICTION_NOT_ATTESTED = 14;
    uint8 internal constant KYC_NOT_FRESH = 15;
}

/// @notice Implemented by this project's compliance modules so a refusal can be named.
interface IRefusalCode {
    /// @return The {TransferRefusal} code this module's refusals map to.
    function refusalCode() external pure returns (uint8);
}

/// @notice Implemented by this project's modular compliance, beside the T-REX `canTransfer`.
interface IComplianceRefusal {
    /**
     * @notice Runs the same checks as `canTransfer` and names the first module that refuses.
     * @return code 0 when every module accepts, else the refusing module's {TransferRefusal} code.
     * @return module The refusing module, or the zero address.
     */
    function transferRefusal(address from, address to, uint256 amount)
        external
        view
        returns (uint8 code, address module);
}
