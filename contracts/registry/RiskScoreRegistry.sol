// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AgentRole} from "./AgentRole.sol";
import {IRiskScoreRegistry} from "../interfaces/IRiskScoreRegistry.sol";
import {IIdentityRegistryStorage} from "../interfaces/IIdentityRegistryStorage.sol";

/// @title Risk score (0-100) per identity, written by agents, read by compliance modules
/// @notice Keyed by identity rather than wallet: every wallet of a subject shares its score. A score is one slot.
contract RiskScoreRegistry is IRiskScoreRegistry, AgentRole {
    /// @notice Highest (riskiest) score.
    uint8 public constant MAX_SCORE = 100;

    struct Score {
        uint8 score;
        bool scored;
        uint64 updatedAt;
    }

    error ScoreOutOfRange();
    error NotScored();

    /// @notice Where wallets are resolved to identities for `walletRiskScore`.
    IIdentityRegistryStorage public immutable identityStorage;

    mapping(address identity => Score) private _scores;

    constructor(address initialOwner, IIdentityRegistryStorage identityStorage_) AgentRole(initialOwner) {
        if (address(identityStorage_) == address(0)) revert ZeroAddress();
        identityStorage = identityStorage_;
    }

    /// @inheritdoc IRiskScoreRegistry
    function setRiskScore(address identity, uint8 score) external onlyAgent {
        if (identity == address(0)) revert ZeroAddress();
        if (score > MAX_SCORE) revert ScoreOutOfRange();
        _scores[identity] = Score(score, true, uint64(block.timestamp));
        emit RiskScoreSet(identity, score, uint64(block.timestamp));
    }

    /// @inheritdoc IRiskScoreRegistry
    function clearRiskScore(address identity) external onlyAgent {
        if (!_scores[identity].scored) revert NotScored();
        delete _scores[identity];
        emit RiskScoreCleared(identity);
    }

    /// @inheritdoc IRiskScoreRegistry
    function riskScoreOf(address identity) external view returns (uint8 score, uint64 updatedAt, bool scored) {
        Score storage s = _scores[identity];
        return (s.score, s.updatedAt, s.scored);
    }

    /// @inheritdoc IRiskScoreRegistry
    function walletRiskScore(address wallet) external view returns (uint8 score, bool scored) {
        address id = address(identityStorage.storedIdentity(wallet));
        if (id == address(0)) return (0, false);
        Score storage s = _scores[id];
        return (s.score, s.scored);
    }
}
