// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AgentRole} from "../registry/AgentRole.sol";
import {IZkComplianceGate} from "../interfaces/IZkComplianceGate.sol";
import {ZkQueryVerifier} from "./ZkQueryVerifier.sol";

/// @title Private compliance gate: ERC-3643 claim topics satisfied by zero-knowledge proofs instead of public claims
/// @notice A token's owner or agent maps a claim topic (1 KYC, 3 Accreditation, ...) to a request of a
/// ZkQueryVerifier and a validity duration. A wallet that submits (`prove`) a proof satisfying that request, with
/// challenge = its own address, is marked verified for the topic until now + validity. IdentityRegistry.isVerified
/// accepts a current mark where the claim check fails, when its owner has set this gate. The wallet must still be
/// registered in the identity registry: that registration links the holder's private ZK identity (proven through the
/// challenge) to its on-chain identity and country.
///
/// Sybil rule: a nullifier (one per holder and request) is bound to the first wallet that used it; that wallet may
/// refresh its mark later with a newer proof (same nullifier, public timestamp later than the last one it used), but
/// the nullifier never admits a second wallet. Reconfiguring or removing a topic invalidates every mark of that topic
/// (a per-topic epoch); an agent may also revoke one wallet's mark.
contract ZkComplianceGate is IZkComplianceGate, AgentRole {
    /// @dev `epoch` starts at 1 and moves on every (re)configuration or removal; 0 = never configured.
    struct TopicConfig {
        uint256 requestId;
        uint64 validity;
        uint32 epoch;
        bool active;
    }

    /// @dev One slot per (wallet, topic): the mark holds while `epoch` is the topic's and now < expiresAt.
    struct Mark {
        uint64 expiresAt;
        uint64 proofTimestamp;
        uint32 epoch;
    }

    /// @notice The query verifier whose requests the topics point to.
    ZkQueryVerifier public immutable queryVerifier;

    mapping(uint256 topic => TopicConfig) private _topics;
    mapping(address wallet => mapping(uint256 topic => Mark)) private _marks;
    mapping(uint256 nullifier => address wallet) private _nullifierWallet;
    mapping(uint256 nullifier => bool) private _suspended;

    event TopicRequestSet(uint256 indexed topic, uint256 indexed requestId, uint64 validity);
    event TopicRequestRemoved(uint256 indexed topic);
    /// @notice `wallet` proved `topic`'s request; its mark holds until `expiresAt`.
    event WalletVerified(address indexed wallet, uint256 indexed topic, uint256 indexed requestId, uint256 nullifier, uint64 expiresAt);
    event MarkRevoked(address indexed wallet, uint256 indexed topic);
    /// @notice The holder behind `nullifier` may not prove to the gate any more; its wallet's mark for `topic` ended.
    event NullifierSuspended(uint256 indexed nullifier, uint256 indexed topic, address wallet);
    event NullifierRestored(uint256 indexed nullifier);

    error NotOwnerOrAgent();
    error TopicNotConfigured();
    error InvalidValidity();
    /// @notice The query verifier refused the proof (`code`: ZkQueryVerifier's refusal codes).
    error ProofRefused(uint8 code);
    /// @notice The proof's nullifier already admitted another wallet.
    error NullifierBoundToAnotherWallet();
    /// @notice A refresh must use a proof with a later public timestamp than the wallet's last one.
    error ProofNotNewer();
    /// @notice The proof's nullifier is suspended (`suspendNullifier`).
    error NullifierIsSuspended();

    modifier onlyOwnerOrAgent() {
        address sender = _msgSender();
        if (sender != owner() && !isAgent(sender)) revert NotOwnerOrAgent();
        _;
    }

    constructor(address initialOwner, ZkQueryVerifier queryVerifier_) AgentRole(initialOwner) {
        if (address(queryVerifier_) == address(0)) revert ZeroAddress();
        queryVerifier = queryVerifier_;
    }

    /// @notice Maps `topic` to `requestId` of the query verifier; marks last `validity` seconds. Replaces any
    /// previous mapping and invalidates the topic's current marks (owner or agent).
    function setTopicRequest(uint256 topic, uint256 requestId, uint64 validity) external onlyOwnerOrAgent {
        if (validity == 0) revert InvalidValidity();
        if (!queryVerifier.requestExists(requestId)) revert ZkQueryVerifier.UnknownRequest();
        TopicConfig storage t = _topics[topic];
        t.requestId = requestId;
        t.validity = validity;
        t.epoch += 1;
        t.active = true;
        emit TopicRequestSet(topic, requestId, validity);
    }

    /// @notice Unmaps `topic` and invalidates its marks (owner or agent).
    function removeTopicRequest(uint256 topic) external onlyOwnerOrAgent {
        TopicConfig storage t = _topics[topic];
        if (!t.active) revert TopicNotConfigured();
        t.active = false;
        t.epoch += 1;
        emit TopicRequestRemoved(topic);
    }

    /// @notice Ends `wallet`'s mark for `topic` now (owner or agent). Its nullifier stays bound to it and the
    /// proofs it already used stay spent; a newer proof admits it again (deregister the wallet in the identity
    /// registry to keep it out).
    function revokeMark(address wallet, uint256 topic) external onlyOwnerOrAgent {
        _marks[wallet][topic].expiresAt = 0;
        emit MarkRevoked(wallet, topic);
    }

    /// @notice Keeps a holder out at once, whatever proof it brings: its nullifier can no longer prove, and the
    /// wallet it admitted loses its mark for `topic` (owner or agent). For a screening hit: the issuer of a claim
    /// that names the holder's ID computes nullifier = Poseidon(holderId, verifierId, requestId) of the topic's
    /// request off-chain (src/chain/zk.ts requestNullifier); the chain learns only the nullifier, not the holder.
    function suspendNullifier(uint256 topic, uint256 nullifier) external onlyOwnerOrAgent {
        _suspended[nullifier] = true;
        address wallet = _nullifierWallet[nullifier];
        if (wallet != address(0)) _marks[wallet][topic].expiresAt = 0;
        emit NullifierSuspended(nullifier, topic, wallet);
    }

    /// @notice Lets a suspended nullifier prove again (owner or agent); marks it lost are not restored.
    function restoreNullifier(uint256 nullifier) external onlyOwnerOrAgent {
        _suspended[nullifier] = false;
        emit NullifierRestored(nullifier);
    }

    /// @notice Whether `nullifier` is suspended.
    function isNullifierSuspended(uint256 nullifier) external view returns (bool) {
        return _suspended[nullifier];
    }

    /// @notice Marks the caller verified for `topic` with a response (query proof + holder-auth proof, see
    /// ZkQueryVerifier) answering the topic's request with
    /// challenge = uint160(caller). Returns the mark's expiry. The caller may be the signer of a relayed signed call
    /// (`executeSigned`): the proof's challenge then names the signer's wallet.
    function prove(
        uint256 topic,
        ZkQueryVerifier.Proof calldata query,
        uint256[28] calldata signals,
        ZkQueryVerifier.Proof calldata auth,
        uint256[3] calldata authSignals
    ) external returns (uint64 expiresAt) {
        TopicConfig storage t = _topics[topic];
        if (!t.active) revert TopicNotConfigured();
        address wallet = _msgSender();
        bool firstUse = _checkBinding(wallet, topic, t.epoch, signals[0], signals[24]);
        uint8 code = queryVerifier.checkProof(t.requestId, wallet, query, signals, auth, authSignals);
        if (code != 0) revert ProofRefused(code);
        if (firstUse) _nullifierWallet[signals[0]] = wallet;
        expiresAt = uint64(block.timestamp) + t.validity;
        // checkProof bounds the public timestamp by block.timestamp, so it fits in 64 bits.
        _marks[wallet][topic] = Mark(expiresAt, uint64(signals[24]), t.epoch);
        emit WalletVerified(wallet, topic, t.requestId, signals[0], expiresAt);
    }

    /// @dev The Sybil and refresh rules, checked before the (expensive) proof: the nullifier is free or already
    /// the caller's, and a refresh brings a newer proof. Returns whether the nullifier is used for the first time.
    function _checkBinding(address wallet, uint256 topic, uint32 epoch, uint256 nullifier, uint256 proofTimestamp)
        private view returns (bool firstUse)
    {
        if (_suspended[nullifier]) revert NullifierIsSuspended();
        address bound = _nullifierWallet[nullifier];
        if (bound != address(0) && bound != wallet) revert NullifierBoundToAnotherWallet();
        Mark storage m = _marks[wallet][topic];
        if (m.epoch == epoch && proofTimestamp <= m.proofTimestamp) revert ProofNotNewer();
        return bound == address(0);
    }

    /// @inheritdoc IZkComplianceGate
    function isVerifiedFor(address wallet, uint256 topic) external view returns (bool) {
        Mark memory m = _marks[wallet][topic];
        return m.epoch != 0 && m.epoch == _topics[topic].epoch && _topics[topic].active && block.timestamp < m.expiresAt;
    }

    /// @notice When `wallet`'s current mark for `topic` expires (0 when it has none).
    function markExpiry(address wallet, uint256 topic) external view returns (uint64) {
        Mark memory m = _marks[wallet][topic];
        TopicConfig storage t = _topics[topic];
        return (m.epoch != 0 && m.epoch == t.epoch && t.active) ? m.expiresAt : 0;
    }

    /// @notice The request `topic` maps to, its validity, and whether it is configured.
    function topicRequest(uint256 topic) external view returns (uint256 requestId, uint64 validity, bool active) {
        TopicConfig storage t = _topics[topic];
        return (t.requestId, t.validity, t.active);
    }

    /// @notice The wallet a nullifier admitted (zero when none).
    function nullifierWallet(uint256 nullifier) external view returns (address) {
        return _nullifierWallet[nullifier];
    }
}
