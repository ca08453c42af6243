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

    /// @notice `id` moved from `oldState` to `newState` (a verified state-transition proof). Applied in order,
    /// these events rebuild the GIST (src/zk/gist.ts GlobalStateTree.fromTransitions).
    event StateTransitioned(uint256 indexed id, uint256 oldState, uint256 newState, bool isOldStateGenesis);

    /// @notice The global identity state tree (GIST: ID -> latest state) moved from `oldRoot` to `newRoot`.
    event GistRootUpdated(uint256 oldRoot, uint256 newRoot);

    /// @notice Publishes `newState` for `id` with a Groth16 proof of circuits/stateTransition.circom, which also
    /// proves the GIST update `gistOldRoot` (the current root) -> `gistNewRoot`. Anyone may submit it: the proof (a
    /// signature by a key of the old state) is the authorization.
    function transitState(
        uint256 id,
        uint256 oldState,
        uint256 newState,
        bool isOldStateGenesis,
        uint256 gistOldRoot,
        uint256 gistNewRoot,
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

    /// @notice The current GIST root (0: the empty tree, before any transition).
    function gistRoot() external view returns (uint256);

    /// @notice Whether a holder-auth proof may use `root`: the current GIST root, or one replaced at most
    /// `maxAgeAfterReplacement` seconds ago (inclusive). An unknown root never is.
    function isGistRootValid(uint256 root, uint256 maxAgeAfterReplacement) external view returns (bool);
}
