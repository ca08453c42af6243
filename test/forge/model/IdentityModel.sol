// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "../base/Vm.sol";

/// @title Ghost model of ERC-734 keys, ERC-735 claims, issuer revocations, access grants and executions
/// @notice Written from the specification (contracts/README.md), not from the contracts' code: the handlers ask it
/// what a call should do, make the call, and record a violation when the contract disagrees. Keys are tracked by
/// the actor's address (key = keccak256(abi.encode(actor))), claims by (identity, topic, issuer).
contract IdentityModel {
    uint256 internal constant MANAGEMENT = 1;
    uint256 internal constant CLAIM_SIGNER = 3;

    struct Claim {
        bool held;
        /// @dev ecrecover of the claim's EIP-712 digest (0 when the signature does not recover).
        address signer;
        bytes32 digest;
        bytes32 sigHash;
        uint64 issuedAt;
        uint64 expiresAt;
    }

    struct Grant {
        uint64 grantedAt;
        uint64 expiresAt;
    }

    /// @notice An operation on a key holder, run directly, through execute/approve or through executeSigned.
    struct Op {
        uint8 kind; // 0 addKey, 1 removeKey, 2 grantAccess, 3 revokeAccess
        address key;
        uint256 purpose;
        address verifier;
        uint256 topic;
        bytes32 envelopeRef;
        uint64 expiresAt;
    }

    struct Execution {
        bool done;
        Op op;
    }

    /// @dev A deliberately wrong model ($MASQUE_FUZZ_MUTANT), to show the campaign catches a divergence:
    /// "ignore-revocations" (revoked claims stay valid), "ignore-expiry" (claims never expire), "ignore-signer-removal"
    /// (a removed claim-signer key still signs). Empty (the default): the specification.
    bytes32 private immutable _mutant = keccak256(bytes(vm.envOr("MASQUE_FUZZ_MUTANT", string(""))));

    mapping(address holder => mapping(address actor => uint256 bits)) public purposeBits;
    mapping(address holder => uint256) public managementKeys;
    /// @dev Per holder and purpose, which keys (keccak256(abi.encode(actor))) have it, and how many.
    mapping(address holder => mapping(uint256 purpose => mapping(bytes32 key => bool))) internal _keyHas;
    mapping(address holder => mapping(uint256 purpose => uint256)) internal _keyCount;
    mapping(address identity => mapping(uint256 topic => mapping(address issuer => Claim))) internal _claims;
    mapping(address issuer => mapping(bytes32 digest => bool)) public revokedDigest;
    mapping(address issuer => mapping(bytes32 sigHash => bool)) public revokedSignature;
    mapping(address identity => mapping(address verifier => mapping(uint256 topic => Grant))) internal _grants;
    mapping(address holder => Execution[]) internal _executions;
    mapping(address holder => mapping(uint256 nonce => bool)) public signedNonceUsed;

    // ------------------------------------------------------------------ keys

    function hasPurpose(address holder, address actor, uint256 purpose) public view returns (bool) {
        if (purpose == 0 || purpose > 127) return false;
        return purposeBits[holder][actor] & (1 << purpose) != 0;
    }

    /// @notice The holder itself (an approved execution) or a management key.
    function isManager(address holder, address actor) public view returns (bool) {
        return actor == holder || hasPurpose(holder, actor, MANAGEMENT);
    }

    function setPurpose(address holder, address actor, uint256 purpose, bool on) public {
        bool had = hasPurpose(holder, actor, purpose);
        if (on == had) return;
        if (on) purposeBits[holder][actor] |= 1 << purpose;
        else purposeBits[holder][actor] &= ~(1 << purpose);
        _keyHas[holder][purpose][keccak256(abi.encode(actor))] = on;
        if (on) ++_keyCount[holder][purpose];
        else --_keyCount[holder][purpose];
        if (purpose == MANAGEMENT) {
            if (on) ++managementKeys[holder];
            else --managementKeys[holder];
        }
    }

    /// @notice Whether `keys` (what getKeysByPurpose answered) is exactly the model's set of keys with `purpose`.
    function keysMatch(address holder, uint256 purpose, bytes32[] calldata keys) external view returns (bool) {
        if (keys.length != _keyCount[holder][purpose]) return false;
        for (uint256 i = 0; i < keys.length; ++i) {
            if (!_keyHas[holder][purpose][keys[i]]) return false;
            for (uint256 j = 0; j < i; ++j) if (keys[j] == keys[i]) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ operations (keys and grants)

    /// @notice Whether `op` succeeds when run by an authorized caller on `holder` now.
    function opSucceeds(address holder, Op memory op) public view returns (bool) {
        if (op.kind == 0) return op.purpose >= 1 && op.purpose <= 127 && !hasPurpose(holder, op.key, op.purpose);
        if (op.kind == 1) {
            return op.purpose >= 1 && op.purpose <= 127 && hasPurpose(holder, op.key, op.purpose)
                && !(op.purpose == MANAGEMENT && managementKeys[holder] == 1);
        }
        if (op.kind == 2) {
            return op.verifier != address(0) && op.envelopeRef != 0 && (op.expiresAt == 0 || op.expiresAt > block.timestamp);
        }
        return _grants[holder][op.verifier][op.topic].grantedAt != 0;
    }

    function applyOp(address holder, Op memory op) public {
        if (op.kind == 0) setPurpose(holder, op.key, op.purpose, true);
        else if (op.kind == 1) setPurpose(holder, op.key, op.purpose, false);
        else if (op.kind == 2) _grants[holder][op.verifier][op.topic] = Grant(uint64(block.timestamp), op.expiresAt);
        else delete _grants[holder][op.verifier][op.topic];
    }

    /// @notice Pending execution requested on `holder` (execute by a caller that may not run it at once).
    function addPendingExecution(address holder, Op memory op) external {
        _executions[holder].push(Execution(false, op));
    }

    /// @notice Executions requested on `holder` so far (ids 0..n-1, the contract's numbering).
    function executionCount(address holder) external view returns (uint256) {
        return _executions[holder].length;
    }

    function addDoneExecution(address holder, Op memory op) external {
        _executions[holder].push(Execution(true, op));
    }

    function execution(address holder, uint256 id) external view returns (bool done, Op memory op) {
        Execution storage e = _executions[holder][id];
        return (e.done, e.op);
    }

    function closeExecution(address holder, uint256 id) external {
        _executions[holder][id].done = true;
    }

    function spendSignedNonce(address holder, uint256 nonce) external {
        signedNonceUsed[holder][nonce] = true;
    }

    // ------------------------------------------------------------------ access grants

    /// @notice What canAccess must answer: a grant of exactly this (verifier, topic), not expired.
    function canAccess(address identity, address verifier, uint256 topic) external view returns (bool) {
        Grant storage g = _grants[identity][verifier][topic];
        return g.grantedAt != 0 && (g.expiresAt == 0 || block.timestamp < g.expiresAt);
    }

    // ------------------------------------------------------------------ claims

    function claim(address identity, uint256 topic, address issuer) external view returns (Claim memory) {
        return _claims[identity][topic][issuer];
    }

    /// @notice A claim signature is valid now: by a current claim-signer key of the issuer, neither its digest nor its
    /// signature revoked, inside its window [issuedAt, expiresAt).
    function signatureValid(address issuer, Claim memory c) public view returns (bool) {
        bool revoked = revokedDigest[issuer][c.digest] || revokedSignature[issuer][c.sigHash];
        bool signer = hasPurpose(issuer, c.signer, CLAIM_SIGNER);
        bool inWindow = c.issuedAt <= block.timestamp && block.timestamp < c.expiresAt;
        if (_mutant == keccak256("ignore-revocations")) revoked = false;
        if (_mutant == keccak256("ignore-expiry")) inWindow = c.issuedAt <= block.timestamp;
        if (_mutant == keccak256("ignore-signer-removal")) signer = signer || c.signer != address(0);
        return !revoked && signer && inWindow;
    }

    /// @notice The identity holds a claim of `issuer` for `topic` that the issuer calls valid now.
    function claimValid(address identity, uint256 topic, address issuer) external view returns (bool) {
        Claim memory c = _claims[identity][topic][issuer];
        return c.held && signatureValid(issuer, c);
    }

    /// @notice Whether `held` (what getClaimIdsByTopic answered) is exactly the claim ids the model holds for the topic.
    function claimsMatch(address identity, uint256 topic, address[] calldata issuers, bytes32[] calldata held)
        external view returns (bool)
    {
        uint256 expected;
        for (uint256 j = 0; j < issuers.length; ++j) {
            if (!_claims[identity][topic][issuers[j]].held) continue;
            ++expected;
            bytes32 id = keccak256(abi.encode(issuers[j], topic));
            bool found;
            for (uint256 k = 0; k < held.length; ++k) found = found || held[k] == id;
            if (!found) return false;
        }
        return held.length == expected;
    }

    function setClaim(address identity, uint256 topic, address issuer, Claim memory c) external {
        c.held = true;
        _claims[identity][topic][issuer] = c;
    }

    function removeClaim(address identity, uint256 topic, address issuer) external {
        delete _claims[identity][topic][issuer];
    }

    /// @notice The issuer revoked a claim's signature and digest (revokeClaim / renewClaim).
    function revokeClaim(address issuer, bytes32 digest, bytes32 sigHash) external {
        revokedDigest[issuer][digest] = true;
        revokedSignature[issuer][sigHash] = true;
    }

    function revokeSignature(address issuer, bytes32 sigHash) external {
        revokedSignature[issuer][sigHash] = true;
    }
}
