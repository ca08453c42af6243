// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Published states of Masque ZK identities (docs/protocol.md), each transition proven in zero knowledge
interface IIdentityStateRegistry {
    /// @notice What the registry knows of one state of one identity. Times are unix seconds, blocks are block
    /// numbers; `replacedAt == 0` for the latest state; the genesis state of an identity that published
    /// transitions has `createdAt == createdBlock == 0` (it existed before anything was published).
    struct StateInfo {
        uint256 id;
        uint256 state;
        uint256 replacedByState;
        uint48 createdAt;
        uint48 createdBlock;
        uint48 replacedAt;
        uint48 replacedBlock;
    }

    /// @notice `id` moved from `oldState` to `newState` (a verified state-transition proof).
    event StateTransitioned(uint256 indexed id, uint256 oldState, uint256 newState, bool isOldStateGenesis);

    /// @notice Publishes `newState` for `id` with a Groth16 proof of circuits/stateTransition.circom. Anyone may
    /// submit it: the proof (a signature by a key of the old state) is the authorization.
    function transitState(
        uint256 id,
        uint256 oldState,
        uint256 newState,
        bool isOldStateGenesis,
        uint256[2] calldata a,
        uint256[2][2] calldata b,
        uint256[2] calldata c
    ) external;

    /// @notice Whether `state` is acceptable for `id` now: the latest published state; a replaced one until
    /// `maxAgeAfterReplacement` seconds after it was replaced (inclusive); the genesis state of an id that never
    /// published anything. An unknown state never is.
    function isStateValid(uint256 id, uint256 state, uint256 maxAgeAfterReplacement) external view returns (bool);

    /// @notice The latest published state of `id` (0 when it never published a transition).
    function latestState(uint256 id) external view returns (uint256);
}
