// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "../base/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "../System.sol";
import {IdentityModel} from "../model/IdentityModel.sol";
import {TokenModel} from "../model/TokenModel.sol";
import {ZkModel} from "../model/ZkModel.sol";
import {Journal} from "../Journal.sol";
import {Identity} from "../../../contracts/identity/Identity.sol";
import {ClaimIssuer} from "../../../contracts/identity/ClaimIssuer.sol";
import {IAccessGrants} from "../../../contracts/interfaces/IAccessGrants.sol";
import {InvestorOnboarding} from "../../../contracts/onboarding/InvestorOnboarding.sol";

/// @title Keys, executions, signed executions, access grants, claims and revocations, by random actors
/// @notice The claim side of "a revoked, expired or untrusted-issuer claim never makes isVerified true": claims are
/// added, pushed, renewed, removed and revoked here, signer keys come and go, and the invariants compare
/// IdentityRegistry.isVerified with the model after every call.
contract IdentityHandler is HandlerBase {
    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant CLAIM_TYPEHASH =
        keccak256("Claim(address identity,uint256 topic,bytes32 documentHash,uint64 issuedAt,uint64 expiresAt)");
    bytes32 private constant EXECUTE_TYPEHASH =
        keccak256("Execute(address to,uint256 value,bytes data,uint256 nonce,uint256 deadline)");
    uint256 private constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;
    uint256 private constant ORDER = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;

    /// @notice Fuzzed description of a claim.
    struct ClaimSeed {
        uint256 actor;
        uint256 identity;
        uint256 topic;
        uint256 issuer;
        /// @dev Which key signs: the claim signers of all issuers, plus one wallet that signs nothing.
        uint256 signer;
        uint32 issuedAgo;
        uint32 lifetime;
        uint8 document;
        /// @dev Sign the digest of another identity (a replayed or forged signature).
        bool forged;
    }

    /// @notice Fuzzed description of a key or grant operation.
    struct OpSeed {
        uint256 holder;
        uint256 actor;
        uint8 kind;
        uint256 key;
        uint256 purpose;
        uint256 topic;
        uint32 ttl;
        /// @dev 0 direct call, 1 execute (and maybe approve later), 2 executeSigned relayed by a stranger.
        uint8 route;
        uint256 nonce;
    }

    struct Built {
        address identity;
        address issuer;
        uint256 topic;
        bytes data;
        bytes sig;
        IdentityModel.Claim claim;
    }

    /// @dev The last executeSigned that succeeded, replayed by `replaySigned`.
    address private _lastSignedHolder;
    bytes private _lastSignedCall;

    constructor(IdentitySystem ids_, TokenSystem tok_, ZkSystem zks_, IdentityModel im_, TokenModel tm_, ZkModel zm_, Journal j)
        HandlerBase(ids_, tok_, zks_, im_, tm_, zm_, j)
    {}

    // ------------------------------------------------------------------ keys and grants

    /// @notice addKey / removeKey / grantAccess / revokeAccess on an identity or issuer by a random actor, directly,
    /// through execute, or through a signed execution.
    function operate(OpSeed memory s) external {
        Identity holder = ids.keyHolder(s.holder);
        IdentityModel.Op memory op = _op(s);
        uint8 route = s.route % 3;
        if (route == 0) _direct(holder, s, op);
        else if (route == 1) _execute(holder, s, op);
        else _executeSigned(holder, s, op);
    }

    function _op(OpSeed memory s) private view returns (IdentityModel.Op memory op) {
        op.kind = s.kind % 4;
        op.key = ids.keyActor(s.key);
        // Mostly the four ERC-734 purposes, sometimes an invalid one (0, 128).
        uint256 p = s.purpose % 12;
        op.purpose = p < 10 ? 1 + (p % 4) : (p == 10 ? 0 : 128);
        op.verifier = ids.verifier(s.key);
        op.topic = ids.topic(s.topic);
        op.envelopeRef = s.ttl % 7 == 0 ? bytes32(0) : keccak256(abi.encode(s.key, s.topic));
        op.expiresAt = s.ttl % 3 == 0 ? 0 : uint64(block.timestamp + s.ttl % 30 days) - (s.ttl % 5 == 0 ? 30 days : 0);
    }

    function _opCalldata(IdentityModel.Op memory op) private pure returns (bytes memory) {
        if (op.kind == 0) return abi.encodeCall(Identity.addKey, (keccak256(abi.encode(op.key)), op.purpose, 1));
        if (op.kind == 1) return abi.encodeCall(Identity.removeKey, (keccak256(abi.encode(op.key)), op.purpose));
        if (op.kind == 2) return abi.encodeCall(IAccessGrants.grantAccess, (op.verifier, op.topic, op.envelopeRef, op.expiresAt));
        return abi.encodeCall(IAccessGrants.revokeAccess, (op.verifier, op.topic));
    }

    function _opName(uint8 kind) private pure returns (string memory) {
        if (kind == 0) return "addKey";
        if (kind == 1) return "removeKey";
        if (kind == 2) return "grantAccess";
        return "revokeAccess";
    }

    function _direct(Identity holder, OpSeed memory s, IdentityModel.Op memory op) private {
        address actor = _keyActorFor(address(holder), s.actor);
        bool expected = im.isManager(address(holder), actor) && im.opSucceeds(address(holder), op);
        (bool ok,) = _call(actor, address(holder), _opCalldata(op));
        journal.outcome(string.concat("identity.", _opName(op.kind)), expected, ok);
        if (ok) im.applyOp(address(holder), op);
    }

    /// @dev ERC-734 execute of a call to the holder itself: runs at once for a management key, otherwise waits for
    /// a management key's approval (an action or claim key can never change keys or grants).
    function _execute(Identity holder, OpSeed memory s, IdentityModel.Op memory op) private {
        address actor = _keyActorFor(address(holder), s.actor);
        bool runs = im.isManager(address(holder), actor);
        bool inner = runs && im.opSucceeds(address(holder), op);
        uint256 id = im.executionCount(address(holder));
        (bool ok, bytes memory ret) = _call(actor, address(holder), abi.encodeCall(Identity.execute, (address(holder), 0, _opCalldata(op))));
        if (!ok || abi.decode(ret, (uint256)) != id) {
            journal.violation("execute: reverted or returned another execution id than the model's");
            return;
        }
        if (runs) {
            im.addDoneExecution(address(holder), op);
            if (inner) im.applyOp(address(holder), op);
            journal.count(inner ? "identity.execute.ran" : "identity.execute.ranAndFailed");
        } else {
            im.addPendingExecution(address(holder), op);
            journal.count("identity.execute.pending");
        }
    }

    /// @notice approve(id, yes/no) of a requested execution by a random actor.
    function approveExecution(uint256 holderSeed, uint256 actorSeed, uint256 idSeed, bool yes) external {
        Identity holder = ids.keyHolder(holderSeed);
        uint256 n = im.executionCount(address(holder));
        uint256 id = n == 0 ? 0 : idSeed % (n + 1); // sometimes one past the last: ExecutionNotFound
        address actor = _keyActorFor(address(holder), actorSeed);
        bool allowed = id < n && im.isManager(address(holder), actor);
        bool inner;
        IdentityModel.Op memory op;
        if (id < n) {
            bool done;
            (done, op) = im.execution(address(holder), id);
            allowed = allowed && !done;
            inner = allowed && yes && im.opSucceeds(address(holder), op);
        }
        (bool ok, bytes memory ret) = _call(actor, address(holder), abi.encodeCall(Identity.approve, (id, yes)));
        journal.outcome("identity.approve", allowed, ok);
        if (!ok) return;
        if (abi.decode(ret, (bool)) != inner) journal.violation("approve: the approved call's outcome differs from the model's");
        im.closeExecution(address(holder), id);
        if (inner) im.applyOp(address(holder), op);
    }

    function _executeSigned(Identity holder, OpSeed memory s, IdentityModel.Op memory op) private {
        address signer = _keyActorFor(address(holder), s.actor);
        uint256 pk = ids.pkOf(signer);
        if (pk == 0) return _direct(holder, s, op); // contracts cannot sign
        uint256 nonce = s.nonce % 16; // small: nonces are reused, and must be refused the second time
        uint256 deadline = s.ttl % 11 == 0 ? block.timestamp - 1 : block.timestamp + 1 hours;
        bytes memory data = _opCalldata(op);
        bytes memory sig = _sign(pk, _executeDigest(address(holder), data, nonce, deadline));
        bool expected = deadline >= block.timestamp && im.hasPurpose(address(holder), signer, 1)
            && !im.signedNonceUsed(address(holder), nonce) && im.opSucceeds(address(holder), op);
        bytes memory call = abi.encodeCall(Identity.executeSigned, (address(holder), 0, data, nonce, deadline, sig));
        (bool ok,) = _call(ids.stranger(), address(holder), call);
        journal.outcome(string.concat("identity.executeSigned.", _opName(op.kind)), expected, ok);
        if (!ok) return;
        im.spendSignedNonce(address(holder), nonce);
        im.applyOp(address(holder), op);
        _lastSignedHolder = address(holder);
        _lastSignedCall = call;
        // Replayed at once as well (replaySigned replays it later, after other calls): every accepted signed
        // execution is tried twice, so the campaign covers replays whatever sequence the seed draws.
        (bool again,) = _call(ids.stranger(), address(holder), call);
        journal.outcome("identity.executeSigned.replay", false, again);
    }

    /// @notice Replays the last accepted signed execution: a spent nonce never runs twice.
    function replaySigned() external {
        if (_lastSignedHolder == address(0)) return;
        (bool ok,) = _call(ids.stranger(), _lastSignedHolder, _lastSignedCall);
        journal.outcome("identity.executeSigned.replay", false, ok);
    }

    function _executeDigest(address holder, bytes memory data, uint256 nonce, uint256 deadline) private view returns (bytes32) {
        bytes32 structHash = keccak256(abi.encode(EXECUTE_TYPEHASH, holder, uint256(0), keccak256(data), nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", _domain(holder), structHash));
    }

    function _domain(address verifyingContract) private view returns (bytes32) {
        return keccak256(abi.encode(
            DOMAIN_TYPEHASH, keccak256("Masque Identity"), keccak256("1"), block.chainid, verifyingContract
        ));
    }

    /// @dev 65-byte r || s || v, low s (the only form the contracts accept).
    function _sign(uint256 pk, bytes32 digest) private pure returns (bytes memory) {
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(pk, digest);
        if (uint256(s) > HALF_ORDER) {
            s = bytes32(ORDER - uint256(s));
            v = v == 27 ? 28 : 27;
        }
        return abi.encodePacked(r, s, v);
    }

    // ------------------------------------------------------------------ claims

    function _build(ClaimSeed memory s) private view returns (Built memory b) {
        return _buildFor(s, address(ids.identity(s.identity)), ids.topic(s.topic));
    }

    function _buildFor(ClaimSeed memory s, address identity, uint256 topic) private view returns (Built memory b) {
        b.identity = identity;
        b.issuer = address(ids.issuer(s.issuer));
        b.topic = topic;
        uint256 signerIndex = s.signer % (ids.SIGNERS() + 1);
        // Biased towards the issuer's own signers (2i, 2i+1); any other signer's claims are invalid.
        if (s.signer % 3 != 0) signerIndex = 2 * (s.issuer % ids.ISSUERS()) + (s.signer >> 8) % 2;
        uint256 pk = signerIndex < ids.SIGNERS() ? ids.signerPk(signerIndex) : ids.walletPk(0);
        // issuedAt from 40 days ago to 1 day ahead (not yet valid), lifetime 1 second to 60 days.
        uint64 issuedAt = uint64(block.timestamp - 40 days + s.issuedAgo % 41 days);
        uint64 expiresAt = issuedAt + 1 + uint64(s.lifetime % 60 days);
        bytes32 documentHash = keccak256(abi.encode("document", s.document));
        b.data = abi.encode(documentHash, issuedAt, expiresAt);
        bytes32 digest = _claimDigest(b.issuer, b.identity, b.topic, documentHash, issuedAt, expiresAt);
        address signedFor = s.forged ? address(ids.identity(s.identity % ids.IDENTITIES() + 1)) : b.identity;
        b.sig = _sign(pk, _claimDigest(b.issuer, signedFor, b.topic, documentHash, issuedAt, expiresAt));
        b.claim = IdentityModel.Claim({
            held: false,
            signer: _recover(digest, b.sig),
            digest: digest,
            sigHash: keccak256(b.sig),
            issuedAt: issuedAt,
            expiresAt: expiresAt
        });
    }

    function _claimDigest(address issuer, address identity, uint256 topic, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt)
        private view returns (bytes32)
    {
        bytes32 structHash = keccak256(abi.encode(CLAIM_TYPEHASH, identity, topic, documentHash, issuedAt, expiresAt));
        return keccak256(abi.encodePacked("\x19\x01", _domain(issuer), structHash));
    }

    function _recover(bytes32 digest, bytes memory sig) private pure returns (address) {
        (bytes32 r, bytes32 s) = abi.decode(sig, (bytes32, bytes32));
        return ecrecover(digest, uint8(sig[64]), r, s);
    }

    /// @dev The identity accepts claims from its management keys, its claim keys (purpose 3), and itself.
    function _mayAddClaims(address identity, address actor) private view returns (bool) {
        return im.isManager(identity, actor) || im.hasPurpose(identity, actor, 3);
    }

    /// @notice identity.addClaim by a random actor (the holder's wallet, a claim key, or anyone).
    function addClaim(ClaimSeed memory s) external {
        Built memory b = _build(s);
        address actor = _keyActorFor(b.identity, s.actor);
        bool expected = _mayAddClaims(b.identity, actor) && im.signatureValid(b.issuer, b.claim);
        (bool ok,) = _call(actor, b.identity, abi.encodeCall(Identity.addClaim, (b.topic, 1, b.issuer, b.sig, b.data, "")));
        journal.outcome("claim.add", expected, ok);
        if (ok) im.setClaim(b.identity, b.topic, b.issuer, b.claim);
    }

    /// @notice issuer.issueClaim (push, any caller) or issuer.renewClaim (revoke the held claim and add the new one
    /// in one transaction).
    function pushClaim(ClaimSeed memory s, bool renew) external {
        Built memory b = _build(s);
        IdentityModel.Claim memory held = im.claim(b.identity, b.topic, b.issuer);
        bool authorized = _mayAddClaims(b.identity, b.issuer);
        bool expected;
        if (!renew) {
            bool newer = !held.held || held.digest == b.claim.digest || b.claim.issuedAt > held.issuedAt;
            expected = authorized && newer && im.signatureValid(b.issuer, b.claim);
        } else {
            // The held claim is revoked first, so a new claim with its digest or signature is invalid.
            expected = authorized && held.held && b.claim.issuedAt >= held.issuedAt && im.signatureValid(b.issuer, b.claim)
                && b.claim.digest != held.digest && b.claim.sigHash != held.sigHash;
        }
        bytes memory call = renew
            ? abi.encodeCall(ClaimIssuer.renewClaim, (b.identity, b.topic, 1, b.sig, b.data, ""))
            : abi.encodeCall(ClaimIssuer.issueClaim, (b.identity, b.topic, 1, b.sig, b.data, ""));
        (bool ok,) = _call(ids.stranger(), b.issuer, call);
        journal.outcome(renew ? "claim.renew" : "claim.issue", expected, ok);
        if (!ok) return;
        if (renew) im.revokeClaim(b.issuer, held.digest, held.sigHash);
        im.setClaim(b.identity, b.topic, b.issuer, b.claim);
    }

    /// @dev (identity, topic, issuer) seeds; biased towards a claim the model says is held.
    function _heldClaim(uint256 identitySeed, uint256 topicSeed, uint256 issuerSeed)
        private view returns (address identity, uint256 topic, address issuer)
    {
        uint256 combos = ids.IDENTITIES() * ids.TOPICS() * ids.ISSUERS();
        for (uint256 k = 0; k < (identitySeed % 3 == 0 ? 1 : combos); ++k) {
            uint256 c = identitySeed % combos + topicSeed % combos + issuerSeed % combos + k;
            identity = address(ids.identity(c));
            topic = ids.topic(c / ids.IDENTITIES());
            issuer = address(ids.issuer(c / (ids.IDENTITIES() * ids.TOPICS())));
            if (im.claim(identity, topic, issuer).held) return (identity, topic, issuer);
        }
        return (address(ids.identity(identitySeed)), ids.topic(topicSeed), address(ids.issuer(issuerSeed)));
    }

    /// @notice identity.removeClaim by a random actor: management key, claim key, or the claim's issuer.
    function removeClaim(uint256 identitySeed, uint256 topicSeed, uint256 issuerSeed, uint256 actorSeed) external {
        (address identity, uint256 topic, address issuer) = _heldClaim(identitySeed, topicSeed, issuerSeed);
        // Actors include the issuer contracts themselves (an issuer may remove its own claim).
        address actor = actorSeed % 4 == 0 ? issuer : _keyActorFor(identity, actorSeed);
        bool expected = im.claim(identity, topic, issuer).held && (actor == issuer || _mayAddClaims(identity, actor));
        bytes32 claimId = keccak256(abi.encode(issuer, topic));
        (bool ok,) = _call(actor, identity, abi.encodeCall(Identity.removeClaim, (claimId)));
        journal.outcome("claim.remove", expected, ok);
        if (ok) im.removeClaim(identity, topic, issuer);
    }

    /// @notice issuer.revokeClaim(claimId, identity) by a random actor (a management key of the issuer may).
    function revokeClaim(uint256 identitySeed, uint256 topicSeed, uint256 issuerSeed, uint256 actorSeed) external {
        (address identity, uint256 topic, address issuer) = _heldClaim(identitySeed, topicSeed, issuerSeed);
        address actor = _keyActorFor(issuer, actorSeed);
        IdentityModel.Claim memory held = im.claim(identity, topic, issuer);
        bool fresh = !im.revokedDigest(issuer, held.digest) || !im.revokedSignature(issuer, held.sigHash);
        bool expected = im.isManager(issuer, actor) && held.held && fresh;
        bytes32 claimId = keccak256(abi.encode(issuer, topic));
        (bool ok,) = _call(actor, issuer, abi.encodeCall(ClaimIssuer.revokeClaim, (claimId, identity)));
        journal.outcome("claim.revoke", expected, ok);
        if (ok) im.revokeClaim(issuer, held.digest, held.sigHash);
    }

    /// @notice issuer.revokeClaimBySignature with the signature of a held claim (or an unknown one).
    function revokeBySignature(uint256 identitySeed, uint256 topicSeed, uint256 issuerSeed, uint256 actorSeed) external {
        (address identity, uint256 topic, address issuer) = _heldClaim(identitySeed, topicSeed, issuerSeed);
        address actor = _keyActorFor(issuer, actorSeed);
        (,,, bytes memory sig,,) = Identity(identity).getClaim(keccak256(abi.encode(issuer, topic)));
        if (sig.length == 0) sig = abi.encodePacked(keccak256(abi.encode(actorSeed)), bytes32(0), uint8(27));
        bool expected = im.isManager(issuer, actor) && !im.revokedSignature(issuer, keccak256(sig));
        (bool ok,) = _call(actor, issuer, abi.encodeCall(ClaimIssuer.revokeClaimBySignature, (sig)));
        journal.outcome("claim.revokeBySignature", expected, ok);
        if (ok) im.revokeSignature(issuer, keccak256(sig));
    }

    /// @notice refreshClaimRecord(topic) by anyone: re-asks the issuer; must never make a claim count that the
    /// model says is invalid (the isVerified invariant checks that after this call).
    function refreshRecord(uint256 identitySeed, uint256 topicSeed) external {
        address identity = address(ids.identity(identitySeed));
        uint256 topic = ids.topic(topicSeed);
        bool held;
        for (uint256 i = 0; i < ids.ISSUERS(); ++i) held = held || im.claim(identity, topic, address(ids.issuer(i))).held;
        (bool ok,) = _call(ids.stranger(), identity, abi.encodeCall(Identity.refreshClaimRecord, (topic)));
        journal.outcome("claim.refreshRecord", held, ok);
    }

    // ------------------------------------------------------------------ onboarding

    /// @notice InvestorOnboarding.onboard by an agent (or not): a new clone for the wallet with one claim per
    /// required topic, registered, and verified, or nothing at all.
    function onboard(uint256 walletSeed, uint256 countrySeed, uint8 salt, uint256 issuerSeed, uint256 signerSeed, uint256 actorSeed)
        external
    {
        address wallet = ids.wallet(walletSeed);
        bytes32 salt32 = bytes32(uint256(salt % 4));
        address identity = ids.onboarding().predictIdentity(wallet, salt32);
        uint256[] memory topics = tm.requiredTopics();
        (InvestorOnboarding.SignedClaim[] memory claims, IdentityModel.Claim[] memory ghosts, bool valid) =
            _onboardingClaims(identity, topics, issuerSeed, signerSeed);
        address actor = _admin(actorSeed, ids.agent());
        bool expected = actor == ids.agent() && identity.code.length == 0 && tm.identityOf(wallet) == address(0) && valid
            && _verifiedOnceOnboarded(wallet, topics, claims);
        uint16 country = _country(countrySeed);
        bytes memory call = abi.encodeCall(InvestorOnboarding.onboard, (wallet, country, salt32, claims));
        (bool ok,) = _call(actor, address(ids.onboarding()), call);
        journal.outcome("onboarding.onboard", expected, ok);
        if (!ok) return;
        tm.register(wallet, identity, country);
        im.setPurpose(identity, wallet, 1, true);
        for (uint256 i = 0; i < topics.length; ++i) im.setClaim(identity, topics[i], claims[i].issuer, ghosts[i]);
    }

    /// @dev One claim per required topic, signed now for the predicted identity; whether all are valid.
    function _onboardingClaims(address identity, uint256[] memory topics, uint256 issuerSeed, uint256 signerSeed)
        private view returns (InvestorOnboarding.SignedClaim[] memory claims, IdentityModel.Claim[] memory ghosts, bool valid)
    {
        claims = new InvestorOnboarding.SignedClaim[](topics.length);
        ghosts = new IdentityModel.Claim[](topics.length);
        valid = true;
        for (uint256 i = 0; i < topics.length; ++i) {
            ClaimSeed memory c;
            c.issuer = issuerSeed % 64 + i;
            c.signer = signerSeed;
            c.issuedAgo = 40 days; // issued now
            c.lifetime = uint32(30 days);
            Built memory b = _buildFor(c, identity, topics[i]);
            claims[i] = InvestorOnboarding.SignedClaim(topics[i], 1, b.issuer, b.sig, b.data, "");
            ghosts[i] = b.claim;
            valid = valid && im.signatureValid(b.issuer, b.claim);
        }
    }

    /// @dev Every required topic is satisfied by the new claim's issuer being trusted for it, or by a gate mark.
    function _verifiedOnceOnboarded(address wallet, uint256[] memory topics, InvestorOnboarding.SignedClaim[] memory claims)
        private view returns (bool)
    {
        for (uint256 i = 0; i < topics.length; ++i) {
            if (!tm.trustedFor(claims[i].issuer, topics[i]) && !zm.markValid(wallet, topics[i])) return false;
        }
        return true;
    }
}
