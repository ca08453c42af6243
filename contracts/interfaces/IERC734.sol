// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ERC-734 key holder
/// @notice Keys are `keccak256(abi.encode(address))` for ECDSA keys (key type 1). Purposes: 1 management,
/// 2 action, 3 claim signer, 4 encryption.
interface IERC734 {
    event KeyAdded(bytes32 indexed key, uint256 indexed purpose, uint256 indexed keyType);
    event KeyRemoved(bytes32 indexed key, uint256 indexed purpose, uint256 indexed keyType);
    event ExecutionRequested(uint256 indexed executionId, address indexed to, uint256 indexed value, bytes data);
    event Executed(uint256 indexed executionId, address indexed to, uint256 indexed value, bytes data);
    event ExecutionFailed(uint256 indexed executionId, address indexed to, uint256 indexed value, bytes data);
    event Approved(uint256 indexed executionId, bool approved);

    /// @notice Adds `purpose` to `key` (creating the key with `keyType` if new). Management key or the identity itself.
    function addKey(bytes32 key, uint256 purpose, uint256 keyType) external returns (bool success);

    /// @notice Removes `purpose` from `key` (the key disappears with its last purpose). Management key only.
    function removeKey(bytes32 key, uint256 purpose) external returns (bool success);

    /// @notice Requests a call from the identity; executed at once when the caller's keys suffice.
    function execute(address to, uint256 value, bytes calldata data) external payable returns (uint256 executionId);

    /// @notice Approves (or rejects) a pending execution request.
    function approve(uint256 id, bool approve) external returns (bool success);

    /// @notice The purposes, key type and key itself (zeroes when unknown).
    function getKey(bytes32 key) external view returns (uint256[] memory purposes, uint256 keyType, bytes32 key_);

    /// @notice The purposes of `key`, in increasing order.
    function getKeyPurposes(bytes32 key) external view returns (uint256[] memory purposes);

    /// @notice Every key that has `purpose`.
    function getKeysByPurpose(uint256 purpose) external view returns (bytes32[] memory keys);

    /// @notice Whether `key` has exactly this purpose (a management key is NOT implicitly a claim signer).
    function keyHasPurpose(bytes32 key, uint256 purpose) external view returns (bool exists);
}
