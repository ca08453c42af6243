// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Test double: an "issuer" that calls every claim valid (the forged issuer of ERC-3643 issue 101)
/// @notice Never deploy outside tests.
contract ForgedClaimIssuer {
    /// @notice Always true.
    function isClaimValid(address, uint256, bytes calldata, bytes calldata) external pure returns (bool) {
        return true;
    }

    /// @notice Forwards a call (lets the test push claims from this address).
    function forward(address to, bytes calldata data) external returns (bytes memory) {
        (bool ok, bytes memory ret) = to.call(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }
}
