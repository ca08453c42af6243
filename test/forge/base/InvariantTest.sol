// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title What forge's invariant runner asks a test contract: which contracts and selectors to call
/// @notice forge calls `targetContracts()` and `targetSelectors()` on the test contract (forge-std's StdInvariant
/// has the same ABI). Without them forge would call every contract deployed in setUp with random data; the
/// handlers are the only targets here, so every call goes through a handler that keeps the ghost model in step.
abstract contract InvariantTest {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    /// @dev forge looks for this flag on test contracts.
    bool public IS_TEST = true;

    address[] private _targetedContracts;
    FuzzSelector[] private _targetedSelectors;

    function targetContract(address target) internal {
        _targetedContracts.push(target);
    }

    function targetSelector(FuzzSelector memory selectors) internal {
        _targetedSelectors.push(selectors);
    }

    function targetContracts() public view returns (address[] memory) {
        return _targetedContracts;
    }

    function targetSelectors() public view returns (FuzzSelector[] memory) {
        return _targetedSelectors;
    }
}
