// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title The forge cheatcodes this harness uses (a subset of forge-std's Vm, same signatures)
/// @notice Declared here instead of depending on forge-std: the npm `forge-std` package is an unofficial, years-old
/// copy without invariant support, and git submodules cannot be fetched here. Forge answers these calls at the
/// fixed cheatcode address whatever interface declares them.
interface Vm {
    function warp(uint256 newTimestamp) external;
    function roll(uint256 newHeight) external;
    function prank(address msgSender) external;
    function startPrank(address msgSender) external;
    function stopPrank() external;
    function addr(uint256 privateKey) external pure returns (address);
    function sign(uint256 privateKey, bytes32 digest) external pure returns (uint8 v, bytes32 r, bytes32 s);
    function snapshotState() external returns (uint256 snapshotId);
    function revertToState(uint256 snapshotId) external returns (bool success);
    function label(address account, string calldata newLabel) external;
    function envOr(string calldata name, string calldata defaultValue) external view returns (string memory);
    function writeLine(string calldata path, string calldata data) external;
    function toString(uint256 value) external pure returns (string memory);
    function toString(address value) external pure returns (string memory);
    function assertTrue(bool condition, string calldata message) external pure;
    function assertEq(uint256 left, uint256 right, string calldata message) external pure;
    function assertEq(bool left, bool right, string calldata message) external pure;
    function assertEq(address left, address right, string calldata message) external pure;
    function assertLe(uint256 left, uint256 right, string calldata message) external pure;
}

/// @dev keccak256("hevm cheat code") as an address: where forge answers cheatcodes.
Vm constant vm = Vm(address(uint160(uint256(keccak256("hevm cheat code")))));
