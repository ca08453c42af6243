// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Ghost model of ZkQueryVerifier's nullifiers and ZkComplianceGate's topics, marks and bindings
/// @notice From contracts/README.md ("contracts/zk"): a nullifier accepted by submitResponse is spent for good; a
/// gate nullifier admits one wallet ever; within a topic's configuration a wallet refreshes its mark only with a newer
/// proof (a revoked mark's proofs stay spent); reconfiguring or removing a topic voids its marks, and a new
/// configuration starts afresh (a recent proof admits again: src/chain/zk-gate.test.ts relies on it; revokeMark is
/// not an exclusion, suspendNullifier and deregistration are).
contract ZkModel {
    struct Topic {
        uint256 requestId;
        uint64 validity;
        uint32 epoch;
        bool active;
    }

    struct Mark {
        uint64 expiresAt;
        uint64 proofTimestamp;
        uint32 epoch;
    }

    mapping(uint256 requestId => bool) public requestInactive;
    mapping(uint256 nullifier => bool) public nullifierUsed;
    mapping(uint256 topic => Topic) internal _topics;
    mapping(address wallet => mapping(uint256 topic => Mark)) internal _marks;
    mapping(uint256 nullifier => address) public nullifierWallet;
    mapping(uint256 nullifier => bool) public suspended;

    function topic(uint256 t) external view returns (Topic memory) {
        return _topics[t];
    }

    function setRequestActive(uint256 requestId, bool active) external {
        requestInactive[requestId] = !active;
    }

    function spendNullifier(uint256 nullifier) external {
        nullifierUsed[nullifier] = true;
    }

    function setTopic(uint256 t, uint256 requestId, uint64 validity) external {
        Topic storage c = _topics[t];
        c.requestId = requestId;
        c.validity = validity;
        c.epoch += 1;
        c.active = true;
    }

    function removeTopic(uint256 t) external {
        Topic storage c = _topics[t];
        c.active = false;
        c.epoch += 1;
    }

    function endMark(address wallet, uint256 t) public {
        _marks[wallet][t].expiresAt = 0;
    }

    function suspend(uint256 t, uint256 nullifier) external {
        suspended[nullifier] = true;
        address w = nullifierWallet[nullifier];
        if (w != address(0)) endMark(w, t);
    }

    function restore(uint256 nullifier) external {
        suspended[nullifier] = false;
    }

    /// @notice The gate's rules before the proof check: topic configured, nullifier not suspended and free or the
    /// caller's, and a newer proof than the one the caller's mark was given for in this configuration.
    function bindingAllows(address wallet, uint256 t, uint256 nullifier, uint256 timestamp) external view returns (bool) {
        Topic storage c = _topics[t];
        if (!c.active || suspended[nullifier]) return false;
        address bound = nullifierWallet[nullifier];
        if (bound != address(0) && bound != wallet) return false;
        Mark storage m = _marks[wallet][t];
        return m.epoch != c.epoch || timestamp > m.proofTimestamp;
    }

    function admit(address wallet, uint256 t, uint256 nullifier, uint256 timestamp) external {
        Topic storage c = _topics[t];
        if (nullifierWallet[nullifier] == address(0)) nullifierWallet[nullifier] = wallet;
        _marks[wallet][t] = Mark(uint64(block.timestamp) + c.validity, uint64(timestamp), c.epoch);
    }

    /// @notice What gate.isVerifiedFor must answer.
    function markValid(address wallet, uint256 t) external view returns (bool) {
        Mark storage m = _marks[wallet][t];
        Topic storage c = _topics[t];
        return c.active && m.epoch == c.epoch && block.timestamp < m.expiresAt;
    }
}
