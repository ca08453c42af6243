// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentityStateRegistry} from "../interfaces/IIdentityStateRegistry.sol";
import {IStateTransitionVerifier} from "../interfaces/IZkVerifiers.sol";
import {MasqueId} from "./MasqueId.sol";

/// @title Published states of Masque ZK identities, one verified state transition at a time
/// @notice An identity's first transition starts from its genesis state (isOldStateGenesis = 1: the circuit checks
/// that `id` is the genesis ID of `oldState`, and so does this contract); every later one starts from the identity's
/// latest state (isOldStateGenesis = 0). A state is published at most once per identity. The history is kept with
/// timestamps and block numbers, so a verifier chooses how long a replaced state stays acceptable
/// (`isStateValid(id, state, maxAgeAfterReplacement)`): the latest state always is, an unknown state never is, and
/// the genesis state of an identity that never published anything is, checked from the ID's bytes. No owner, no
/// admin: anyone may submit a valid proof, the proof is the authorization.
///
/// It also keeps the root of the global identity state tree (GIST: a quinary Poseidon SMT of ID -> latest state,
/// src/zk/gist.ts), which every transition's proof moves from the current root to the next (the update is proven,
/// not hashed here: circuits/README.md), with the time each root was replaced, so that holder-auth proofs against a
/// recent root are accepted (`isGistRootValid`). A transition proven against a root that another transition
/// replaced meanwhile is refused (`StaleGistRoot`): re-prove it on the new root (the signature stays valid).
contract IdentityStateRegistry is IIdentityStateRegistry {
    /// @dev One slot per (id, state). `index` is the 1-based position in the id's history (0: unknown state).
    struct Entry {
        uint48 createdAt;
        uint48 createdBlock;
        uint48 replacedAt;
        uint48 replacedBlock;
        uint64 index;
    }

    /// @notice The Groth16 verifier of circuits/stateTransition.circom.
    IStateTransitionVerifier public immutable verifier;

    mapping(uint256 id => mapping(uint256 state => Entry)) private _entries;
    mapping(uint256 id => uint256[]) private _history;

    /// @inheritdoc IIdentityStateRegistry
    uint256 public gistRoot;
    /// @dev When each former GIST root was replaced (0: never a root, or the current one).
    mapping(uint256 root => uint256 replacedAt) private _gistReplacedAt;

    /// @notice A signal is not a field element, or `id` is not a Masque ID.
    error InvalidSignal();
    /// @notice isOldStateGenesis = 1 for an id that already published a transition.
    error AlreadyPublished();
    /// @notice isOldStateGenesis = 1 and `id` is not the genesis ID of `oldState`.
    error NotGenesisState();
    /// @notice isOldStateGenesis = 0 for an id that never published (start from its genesis state).
    error NoPublishedState();
    /// @notice `oldState` is not the id's latest state.
    error OldStateNotLatest();
    /// @notice `newState` was already a state of this id.
    error StateAlreadyPublished();
    /// @notice The Groth16 proof does not verify for these public signals.
    error InvalidProof();
    /// @notice `gistOldRoot` is not the current GIST root (another transition came first: re-prove on the new one).
    error StaleGistRoot();

    constructor(IStateTransitionVerifier verifier_) {
        verifier = verifier_;
    }

    /// @inheritdoc IIdentityStateRegistry
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
    ) external {
        if (
            oldState >= MasqueId.FIELD_ORDER || newState >= MasqueId.FIELD_ORDER || gistNewRoot >= MasqueId.FIELD_ORDER
                || !MasqueId.isValid(id)
        ) revert InvalidSignal();
        uint256 n = _checkOrder(id, oldState, newState, isOldStateGenesis);
        if (gistOldRoot != gistRoot) revert StaleGistRoot();
        _verify([id, oldState, newState, isOldStateGenesis ? 1 : 0, gistOldRoot, gistNewRoot], a, b, c);

        uint256[] storage history = _history[id];
        uint48 now_ = uint48(block.timestamp);
        uint48 block_ = uint48(block.number);
        if (isOldStateGenesis) {
            _entries[id][oldState] = Entry(0, 0, now_, block_, 1);
            history.push(oldState);
            n = 1;
        } else {
            Entry storage old = _entries[id][oldState];
            old.replacedAt = now_;
            old.replacedBlock = block_;
        }
        _entries[id][newState] = Entry(now_, block_, 0, 0, uint64(n + 1));
        history.push(newState);
        _gistReplacedAt[gistOldRoot] = now_;
        gistRoot = gistNewRoot;
        emit StateTransitioned(id, oldState, newState, isOldStateGenesis);
        emit GistRootUpdated(gistOldRoot, gistNewRoot);
    }

    /// @dev The history rules of `transitState`; returns the id's history length.
    function _checkOrder(uint256 id, uint256 oldState, uint256 newState, bool isOldStateGenesis)
        private
        view
        returns (uint256 n)
    {
        uint256[] storage history = _history[id];
        n = history.length;
        if (isOldStateGenesis) {
            if (n != 0) revert AlreadyPublished();
            if (!MasqueId.isGenesisOf(id, oldState)) revert NotGenesisState();
        } else {
            if (n == 0) revert NoPublishedState();
            if (history[n - 1] != oldState) revert OldStateNotLatest();
        }
        if (_entries[id][newState].index != 0 || newState == oldState) revert StateAlreadyPublished();
    }

    /// @dev In its own frame: the six signals and the proof do not fit the caller's stack with its arguments.
    function _verify(uint256[6] memory signals, uint256[2] calldata a, uint256[2][2] calldata b, uint256[2] calldata c)
        private
        view
    {
        if (!verifier.verifyProof(a, b, c, signals)) revert InvalidProof();
    }

    /// @inheritdoc IIdentityStateRegistry
    function isGistRootValid(uint256 root, uint256 maxAgeAfterReplacement) external view returns (bool) {
        if (root == gistRoot) return true;
        uint256 replacedAt = _gistReplacedAt[root];
        return replacedAt != 0 && block.timestamp - replacedAt <= maxAgeAfterReplacement;
    }

    /// @inheritdoc IIdentityStateRegistry
    function isStateValid(uint256 id, uint256 state, uint256 maxAgeAfterReplacement) external view returns (bool) {
        Entry memory e = _entries[id][state];
        if (e.index != 0) {
            return e.replacedAt == 0 || block.timestamp - e.replacedAt <= maxAgeAfterReplacement;
        }
        return _history[id].length == 0 && MasqueId.isGenesisOf(id, state);
    }

    /// @inheritdoc IIdentityStateRegistry
    function latestState(uint256 id) external view returns (uint256) {
        uint256[] storage history = _history[id];
        return history.length == 0 ? 0 : history[history.length - 1];
    }

    /// @notice What is known of `state` for `id`; `known` is false (and the rest zero) for a state never published.
    function stateInfo(uint256 id, uint256 state) external view returns (bool known, StateInfo memory info) {
        Entry memory e = _entries[id][state];
        if (e.index == 0) return (false, info);
        uint256[] storage history = _history[id];
        info = StateInfo({
            id: id,
            state: state,
            replacedByState: e.index < history.length ? history[e.index] : 0,
            createdAt: e.createdAt,
            createdBlock: e.createdBlock,
            replacedAt: e.replacedAt,
            replacedBlock: e.replacedBlock
        });
        return (true, info);
    }

    /// @notice Number of states published for `id`, its genesis state included (0 when none).
    function historyLength(uint256 id) external view returns (uint256) {
        return _history[id].length;
    }

    /// @notice Up to `count` states of `id` from position `start` (0 = genesis), oldest first.
    function stateHistory(uint256 id, uint256 start, uint256 count) external view returns (uint256[] memory states) {
        uint256[] storage history = _history[id];
        uint256 n = history.length;
        if (start >= n) return new uint256[](0);
        if (count > n - start) count = n - start;
        states = new uint256[](count);
        for (uint256 i = 0; i < count; ++i) {
            states[i] = history[start + i];
        }
    }

    /// @notice Whether `id` is a well-formed Masque ID whose genesis state is `state` (pure byte arithmetic).
    function isGenesisId(uint256 id, uint256 state) external pure returns (bool) {
        return MasqueId.isValid(id) && MasqueId.isGenesisOf(id, state);
    }
}
