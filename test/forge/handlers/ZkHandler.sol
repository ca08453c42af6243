// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {HandlerBase} from "./HandlerBase.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "../System.sol";
import {IdentityModel} from "../model/IdentityModel.sol";
import {TokenModel} from "../model/TokenModel.sol";
import {ZkModel} from "../model/ZkModel.sol";
import {Journal} from "../Journal.sol";
import {ZkQueryVerifier} from "../../../contracts/zk/ZkQueryVerifier.sol";
import {ZkComplianceGate} from "../../../contracts/zk/ZkComplianceGate.sol";

/// @title Answers to ZK requests and the compliance gate, by random wallets and holders
/// @notice "A spent nullifier is never accepted twice": ZkQueryVerifier.submitResponse must refuse a nullifier it
/// accepted before; the gate must never let a nullifier admit a second wallet, nor accept a proof a wallet already
/// used for the same topic and request. Proofs are checked by CommitmentQueryVerifier (a test double of the
/// Groth16 check, see its comment); a holder's nullifier is H(holder, request) as in the circuit.
contract ZkHandler is HandlerBase {
    uint256 public constant HOLDERS = 4;

    struct ProofSeed {
        uint256 sender;
        uint256 holder;
        uint256 request;
        uint256 topic;
        uint32 age;
        /// @dev 0-5 a well-formed answer; 6 challenge of another wallet; 7 invalid proof; 8 timestamp in the
        /// future; 9 older than the request allows; 10 a holder-auth proof of another commitment (another answer's);
        /// 11 a holder-auth proof at a GIST root the registry never had; 12 an invalid holder-auth proof.
        uint8 defect;
    }

    /// @dev The last answer each contract accepted, replayed by `replayResponse` / `replayProof`.
    bytes private _lastResponse;
    address private _lastResponder;
    bytes private _lastProof;
    address private _lastProver;
    uint256 private _lastProofTopic;
    uint256[28] private _lastProofSignals;

    constructor(IdentitySystem ids_, TokenSystem tok_, ZkSystem zks_, IdentityModel im_, TokenModel tm_, ZkModel zm_, Journal j)
        HandlerBase(ids_, tok_, zks_, im_, tm_, zm_, j)
    {}

    function _proof(uint256[2] memory a) private pure returns (ZkQueryVerifier.Proof memory p) {
        p.a = a;
    }

    function nullifier(uint256 holder, uint256 requestId) public pure returns (uint256) {
        return uint256(keccak256(abi.encode("nullifier", holder % HOLDERS, requestId))) >> 8;
    }

    /// @dev The proof and its signals for `s`, and whether the query verifier's checks (all but the nullifier's) pass.
    function _answer(ProofSeed memory s, address sender, uint256 requestIndex)
        private view returns (uint256[2] memory a, uint256[28] memory signals, uint256 n, bool checksPass)
    {
        uint256 requestId = zks.requestId(requestIndex);
        n = nullifier(s.holder, requestId);
        uint8 defect = s.defect % 13;
        uint256 timestamp = block.timestamp - s.age % 1 days;
        if (defect == 8) timestamp = block.timestamp + 1 + s.age % 1 hours;
        if (defect == 9) timestamp = block.timestamp - 1 days - 1 - s.age % 1 days;
        address challenge = defect == 6 ? ids.wallet(uint160(sender) + 1) : sender;
        if (challenge == sender && defect == 6) challenge = ids.stranger();
        signals = zks.signals(requestIndex, n, timestamp, challenge);
        a[0] = zks.proofs().proofFor(signals);
        if (defect == 7) a[0] ^= 1;
        checksPass = defect < 6 && !zm.requestInactive(requestId);
    }

    /// @dev The holder-auth proof sent with `signals`: bound to them (same commitment and challenge, current GIST
    /// root) unless the seed's defect says otherwise (10-12, refused whatever the rest).
    function _auth(ProofSeed memory s, uint256[28] memory signals)
        private view returns (ZkQueryVerifier.Proof memory auth, uint256[3] memory authSignals)
    {
        uint8 defect = s.defect % 13;
        (auth, authSignals) = zks.auth(signals);
        if (defect == 10) authSignals[0] ^= 1;
        if (defect == 11) authSignals[1] = uint256(keccak256(abi.encode("no such root", s.age))) >> 8;
        if (defect == 10 || defect == 11) auth.a[0] = zks.proofs().authProofFor(authSignals);
        if (defect == 12) auth.a[0] ^= 1;
    }

    /// @notice ZkQueryVerifier.submitResponse by a random wallet (answers for either request, by any holder).
    function submitResponse(ProofSeed memory s) external {
        address sender = ids.wallet(s.sender);
        uint256 requestIndex = s.request % zks.REQUESTS();
        (uint256[2] memory a, uint256[28] memory signals, uint256 n, bool checksPass) = _answer(s, sender, requestIndex);
        bool used = zm.nullifierUsed(n);
        bool expected = checksPass && !used;
        (ZkQueryVerifier.Proof memory auth, uint256[3] memory authSignals) = _auth(s, signals);
        bytes memory call = abi.encodeCall(ZkQueryVerifier.submitResponse, (zks.requestId(requestIndex), _proof(a), signals, auth, authSignals));
        (bool ok,) = _call(sender, address(zks.queryVerifier()), call);
        journal.outcome(used && checksPass ? "zk.submit.spentNullifier" : "zk.submit", expected, ok);
        if (!ok) return;
        zm.spendNullifier(n);
        (_lastResponse, _lastResponder) = (call, sender);
    }

    /// @notice Submits the last accepted answer again: its nullifier is spent, so it must be refused.
    function replayResponse() external {
        if (_lastResponder == address(0)) return;
        (bool ok,) = _call(_lastResponder, address(zks.queryVerifier()), _lastResponse);
        journal.outcome("zk.submit.replay", false, ok);
    }

    /// @notice Brings the last proof the gate accepted again, from the same wallet (its mark may since have been
    /// revoked, suspended, voided by a reconfiguration, or refreshed): refused within the configuration it was used
    /// in, and by a suspended nullifier.
    function replayProof() external {
        if (_lastProver == address(0)) return;
        uint256[28] memory s = _lastProofSignals;
        ZkModel.Topic memory t = zm.topic(_lastProofTopic);
        bool checksPass = !zm.requestInactive(s[26]) && s[26] == t.requestId && block.timestamp - s[24] <= 1 days;
        bool expected = checksPass && zm.bindingAllows(_lastProver, _lastProofTopic, s[0], s[24]);
        (bool ok,) = _call(_lastProver, address(zks.gate()), _lastProof);
        journal.outcome("zk.gate.prove.replay", expected, ok);
        if (ok) zm.admit(_lastProver, _lastProofTopic, s[0], s[24]);
    }

    /// @notice ZkQueryVerifier.setRequestActive by the request's owner (or someone else).
    function setRequestActive(uint256 requestSeed, bool active, uint256 actorSeed) external {
        uint256 requestId = zks.requestId(requestSeed);
        address actor = actorSeed % 3 == 0 ? ids.stranger() : zks.requestOwner();
        bool expected = actor == zks.requestOwner();
        (bool ok,) = _call(actor, address(zks.queryVerifier()), abi.encodeCall(ZkQueryVerifier.setRequestActive, (requestId, active)));
        journal.outcome("zk.setRequestActive", expected, ok);
        if (ok) zm.setRequestActive(requestId, active);
    }

    /// @notice ZkComplianceGate.prove by a random wallet for a topic, with an answer to either request.
    function prove(ProofSeed memory s) external {
        address sender = ids.wallet(s.sender);
        uint256 topic = ids.topic(s.topic);
        // Biased towards a topic the gate answers.
        for (uint256 i = 0; i < ids.TOPICS() && s.topic % 3 != 0 && !zm.topic(topic).active; ++i) topic = ids.topic(s.topic % 64 + i);
        ZkModel.Topic memory t = zm.topic(topic);
        // Mostly an answer to the topic's own request, sometimes to the other one (refused: wrong request).
        uint256 requestIndex = s.request % 4 == 0 ? s.request : (t.requestId == zks.requestId(1) ? 1 : 0);
        (uint256[2] memory a, uint256[28] memory signals, uint256 n, bool checksPass) = _answer(s, sender, requestIndex);
        bool expected = zm.bindingAllows(sender, topic, n, signals[24]) && checksPass && signals[26] == t.requestId;
        (ZkQueryVerifier.Proof memory auth, uint256[3] memory authSignals) = _auth(s, signals);
        bytes memory call = abi.encodeCall(ZkComplianceGate.prove, (topic, _proof(a), signals, auth, authSignals));
        (bool ok,) = _call(sender, address(zks.gate()), call);
        journal.outcome("zk.gate.prove", expected, ok);
        if (!ok) return;
        zm.admit(sender, topic, n, signals[24]);
        (_lastProof, _lastProver, _lastProofTopic, _lastProofSignals) = (call, sender, topic, signals);
    }

    struct AdminSeed {
        uint8 what;
        uint256 topic;
        uint256 request;
        uint256 wallet;
        uint32 validity;
        uint256 actor;
    }

    /// @notice setTopicRequest / removeTopicRequest / revokeMark / suspendNullifier / restoreNullifier (owner or agent).
    function administer(AdminSeed memory s) external {
        address actor = _admin(s.actor, s.actor % 2 == 0 ? ids.owner() : ids.agent());
        s.what %= 5;
        s.validity %= 30 days; // sometimes 0: refused
        (bytes memory call, bool valid) = _adminCall(s);
        bool expected = valid && (actor == ids.owner() || actor == ids.agent());
        (bool ok,) = _call(actor, address(zks.gate()), call);
        journal.outcome(_adminName(s.what), expected, ok);
        if (ok) _adminApply(s);
    }

    function _adminCall(AdminSeed memory s) private view returns (bytes memory call, bool valid) {
        uint256 topic = ids.topic(s.topic);
        uint256 requestId = zks.requestId(s.request);
        valid = true;
        if (s.what == 0) {
            call = abi.encodeCall(ZkComplianceGate.setTopicRequest, (topic, requestId, s.validity));
            valid = s.validity != 0;
        } else if (s.what == 1) {
            call = abi.encodeCall(ZkComplianceGate.removeTopicRequest, (topic));
            valid = zm.topic(topic).active;
        } else if (s.what == 2) {
            call = abi.encodeCall(ZkComplianceGate.revokeMark, (ids.wallet(s.wallet), topic));
        } else if (s.what == 3) {
            call = abi.encodeCall(ZkComplianceGate.suspendNullifier, (topic, nullifier(s.wallet, requestId)));
        } else {
            call = abi.encodeCall(ZkComplianceGate.restoreNullifier, (nullifier(s.wallet, requestId)));
        }
    }

    function _adminApply(AdminSeed memory s) private {
        uint256 topic = ids.topic(s.topic);
        uint256 requestId = zks.requestId(s.request);
        if (s.what == 0) zm.setTopic(topic, requestId, s.validity);
        else if (s.what == 1) zm.removeTopic(topic);
        else if (s.what == 2) zm.endMark(ids.wallet(s.wallet), topic);
        else if (s.what == 3) zm.suspend(topic, nullifier(s.wallet, requestId));
        else zm.restore(nullifier(s.wallet, requestId));
    }

    function _adminName(uint8 what) private pure returns (string memory) {
        if (what == 0) return "zk.gate.setTopic";
        if (what == 1) return "zk.gate.removeTopic";
        if (what == 2) return "zk.gate.revokeMark";
        if (what == 3) return "zk.gate.suspend";
        return "zk.gate.restore";
    }
}
