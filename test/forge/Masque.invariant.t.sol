// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "./base/Vm.sol";
import {InvariantTest} from "./base/InvariantTest.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "./System.sol";
import {IdentityModel} from "./model/IdentityModel.sol";
import {TokenModel} from "./model/TokenModel.sol";
import {ZkModel} from "./model/ZkModel.sol";
import {Journal} from "./Journal.sol";
import {IdentityHandler} from "./handlers/IdentityHandler.sol";
import {RegistryHandler} from "./handlers/RegistryHandler.sol";
import {TokenHandler} from "./handlers/TokenHandler.sol";
import {ZkHandler} from "./handlers/ZkHandler.sol";
import {Identity} from "../../contracts/identity/Identity.sol";
import {PermissionedToken} from "../../contracts/token/PermissionedToken.sol";
import {IdentityRegistry} from "../../contracts/registry/IdentityRegistry.sol";
import {ZkComplianceGate} from "../../contracts/zk/ZkComplianceGate.sol";
import {ZkQueryVerifier} from "../../contracts/zk/ZkQueryVerifier.sol";
import {IIdentity} from "../../contracts/interfaces/IIdentity.sol";

/// @title Stateful fuzzing of Masque's contracts against a ghost model
/// @notice forge calls random sequences of handler functions (random actors, bounded inputs); after every call each
/// `invariant_*` below compares the contracts with the model. See test/forge/README.md.
contract MasqueInvariantTest is InvariantTest {
    IdentitySystem internal ids;
    TokenSystem internal tok;
    ZkSystem internal zks;
    IdentityModel internal im;
    TokenModel internal tm;
    ZkModel internal zm;
    Journal internal journal;
    IdentityHandler internal identityHandler;
    RegistryHandler internal registryHandler;
    TokenHandler internal tokenHandler;
    ZkHandler internal zkHandler;

    function setUp() public {
        vm.warp(1_700_000_000);
        ids = new IdentitySystem();
        tok = new TokenSystem(ids);
        zks = new ZkSystem(ids);
        address[] memory issuers = new address[](ids.ISSUERS());
        for (uint256 i = 0; i < issuers.length; ++i) issuers[i] = address(ids.issuer(i));
        im = new IdentityModel();
        zm = new ZkModel();
        tm = new TokenModel(im, zm, issuers);
        journal = new Journal();
        identityHandler = new IdentityHandler(ids, tok, zks, im, tm, zm, journal);
        registryHandler = new RegistryHandler(ids, tok, zks, im, tm, zm, journal);
        tokenHandler = new TokenHandler(ids, tok, zks, im, tm, zm, journal);
        zkHandler = new ZkHandler(ids, tok, zks, im, tm, zm, journal);
        _cacheActors();
        _initialKeys();
        _initialState();
        vm.assertEq(journal.violations(), 0, journal.firstViolation());
        _targets();
    }

    /// @dev Keys as deployed (IdentitySystem): wallet i manages identity i, which gives every issuer contract a claim
    /// key; manager i manages issuer i, whose claim signers are signers 2i and 2i+1 (added here).
    function _initialKeys() private {
        for (uint256 i = 0; i < ids.IDENTITIES(); ++i) {
            address identity = address(ids.identity(i));
            im.setPurpose(identity, ids.wallet(i), 1, true);
            for (uint256 j = 0; j < ids.ISSUERS(); ++j) im.setPurpose(identity, address(ids.issuer(j)), 3, true);
        }
        for (uint256 i = 0; i < ids.ISSUERS(); ++i) {
            address issuer = address(ids.issuer(i));
            im.setPurpose(issuer, ids.manager(i), 1, true);
            vm.startPrank(ids.manager(i));
            for (uint256 j = 2 * i; j < 2 * i + 2; ++j) {
                Identity(issuer).addKey(keccak256(abi.encode(ids.signer(j))), 3, 1);
                im.setPurpose(issuer, ids.signer(j), 3, true);
            }
            vm.stopPrank();
        }
    }

    /// @dev A running system, set up through the handlers (so the model follows): topic 1 required, issuer 0 trusted
    /// for topics 1-3 and issuer 1 for 1 and 300, wallets 0-4 registered to identities 0-4 with a valid KYC claim,
    /// wallet 5 as a second wallet of identity 0, countries 250/276 allowed, a per-identity cap of 3,000, a risk
    /// limit of 50 (identity 2 scores 70), 1,000 tokens for wallets 0, 1 and 4, and the gate answering topic 1 with
    /// request 0.
    function _initialState() private {
        registryHandler.requireTopic(0, false, 0);
        registryHandler.trustIssuer(0, 0x07, 0, 0);
        registryHandler.trustIssuer(1, 0x09, 0, 0);
        uint8[6] memory countrySeeds = [0, 1, 0, 2, 1, 0];
        for (uint256 i = 0; i < 6; ++i) registryHandler.registration(i, i == 5 ? 0 : i, countrySeeds[i], 0, 0);
        for (uint256 i = 0; i < ids.IDENTITIES(); ++i) {
            IdentityHandler.ClaimSeed memory c;
            c.actor = i; // wallet i, the identity's management key
            c.identity = i;
            c.issuer = i == 4 ? 1 : 0;
            c.signer = i == 4 ? 2 : 0;
            c.issuedAgo = 40 days; // issued now
            c.lifetime = 45 days;
            identityHandler.addClaim(c);
        }
        registryHandler.configureCompliance(0, 0, 0, 0);
        registryHandler.configureCompliance(0, 1, 0, 0);
        registryHandler.configureCompliance(4, 0, 3_000, 0);
        registryHandler.configureCompliance(5, 0, 50, 0);
        registryHandler.risk(2, 70, false, 0);
        tokenHandler.mint(0, 0, 1_000);
        tokenHandler.mint(0, 1, 1_000);
        tokenHandler.mint(0, 4, 1_000);
        zkHandler.administer(ZkHandler.AdminSeed({what: 0, topic: 0, request: 0, wallet: 0, validity: 7 days, actor: 0}));
    }

    function _targets() private {
        targetContract(address(identityHandler));
        targetContract(address(registryHandler));
        targetContract(address(tokenHandler));
        targetContract(address(zkHandler));

        bytes4[] memory s = new bytes4[](10);
        s[9] = IdentityHandler.onboard.selector;
        (s[0], s[1], s[2], s[3], s[4]) = (IdentityHandler.operate.selector, IdentityHandler.approveExecution.selector,
            IdentityHandler.replaySigned.selector, IdentityHandler.addClaim.selector, IdentityHandler.pushClaim.selector);
        (s[5], s[6], s[7], s[8]) = (IdentityHandler.removeClaim.selector, IdentityHandler.revokeClaim.selector,
            IdentityHandler.revokeBySignature.selector, IdentityHandler.refreshRecord.selector);
        targetSelector(FuzzSelector(address(identityHandler), s));

        s = new bytes4[](6);
        (s[0], s[1], s[2], s[3], s[4], s[5]) = (RegistryHandler.warp.selector, RegistryHandler.trustIssuer.selector,
            RegistryHandler.requireTopic.selector, RegistryHandler.registration.selector, RegistryHandler.risk.selector,
            RegistryHandler.configureCompliance.selector);
        targetSelector(FuzzSelector(address(registryHandler), s));

        s = new bytes4[](9);
        (s[0], s[1], s[2], s[3], s[4]) = (TokenHandler.transfer.selector, TokenHandler.approve.selector,
            TokenHandler.mint.selector, TokenHandler.burn.selector, TokenHandler.forcedTransfer.selector);
        (s[5], s[6], s[7]) = (TokenHandler.freeze.selector, TokenHandler.pause.selector, TokenHandler.recover.selector);
        s[8] = TokenHandler.transfer.selector; // transfers twice as often: they are what the token is for
        targetSelector(FuzzSelector(address(tokenHandler), s));

        s = new bytes4[](6);
        (s[0], s[1], s[2], s[3], s[4], s[5]) = (ZkHandler.submitResponse.selector, ZkHandler.setRequestActive.selector,
            ZkHandler.prove.selector, ZkHandler.administer.selector, ZkHandler.replayResponse.selector,
            ZkHandler.replayProof.selector);
        targetSelector(FuzzSelector(address(zkHandler), s));
    }

    /// @notice The gate's replay rules in one directed sequence: a spent proof is refused after its mark was
    /// revoked, and admits again once the topic is reconfigured (a new configuration starts afresh, as documented).
    function test_gateReplayRules() public {
        ZkHandler.ProofSeed memory p;
        zkHandler.prove(p);
        zkHandler.administer(ZkHandler.AdminSeed({what: 2, topic: 0, request: 0, wallet: 0, validity: 0, actor: 0}));
        zkHandler.replayProof();
        vm.assertEq(journal.counts("zk.gate.prove.replay.refused"), 1, "a revoked mark's proof stays spent");
        zkHandler.administer(ZkHandler.AdminSeed({what: 0, topic: 0, request: 0, wallet: 0, validity: 7 days, actor: 0}));
        zkHandler.replayProof();
        vm.assertEq(journal.counts("zk.gate.prove.replay.ok"), 1, "a new configuration starts afresh");
        zkHandler.replayProof();
        vm.assertEq(journal.counts("zk.gate.prove.replay.refused"), 2, "and the proof is spent in it");
        vm.assertEq(journal.violations(), 0, journal.firstViolation());
    }

    // ------------------------------------------------------------------ invariants

    /// @dev The actors and contracts the checks loop over, copied once from the systems: the checks run after every
    /// call, and a storage read costs far less than a call to IdentitySystem.
    address[] internal _wallets;
    address[] internal _identities;
    address[] internal _issuers;
    address[] internal _holders;
    address[] internal _verifiers;
    uint256[] internal _topics;
    uint256[] internal _nullifiers;

    function _cacheActors() private {
        for (uint256 i = 0; i < ids.WALLETS(); ++i) _wallets.push(ids.wallet(i));
        for (uint256 i = 0; i < ids.IDENTITIES(); ++i) _identities.push(address(ids.identity(i)));
        for (uint256 i = 0; i < ids.ISSUERS(); ++i) _issuers.push(address(ids.issuer(i)));
        for (uint256 i = 0; i < ids.IDENTITIES() + ids.ISSUERS(); ++i) _holders.push(address(ids.keyHolder(i)));
        for (uint256 i = 0; i < ids.VERIFIERS(); ++i) _verifiers.push(ids.verifier(i));
        for (uint256 i = 0; i < ids.TOPICS(); ++i) _topics.push(ids.topic(i));
        for (uint256 r = 0; r < zks.REQUESTS(); ++r) {
            for (uint256 h = 0; h < zkHandler.HOLDERS(); ++h) _nullifiers.push(zkHandler.nullifier(h, zks.requestId(r)));
        }
    }

    /// @dev Fails with `what` and the index that differs (messages are built only on failure: checks run often).
    function _fail(string memory what, uint256 i) private pure {
        vm.assertTrue(false, string.concat(what, " (index ", vm.toString(i), ")"));
    }

    /// @notice The one invariant forge checks after every call: the contracts agree with the model in every respect
    /// below. (One function rather than nine: forge runs a separate campaign per invariant function.)
    function invariant_contractsMatchModel() public view {
        vm.assertEq(journal.violations(), 0, journal.firstViolation());
        _checkVerification();
        _checkTokenLedger();
        _checkKeys();
        _checkClaims();
        _checkAccessGrants();
        _checkRegistries();
        _checkZk();
    }

    /// @notice isVerified is exactly the model's: a revoked, expired, untrusted-issuer (or removed-signer) claim never
    /// counts, on the fast path (clones 0-3, verification records) as on the full path (identity 4); and
    /// hasValidClaim (the full path alone) agrees for every identity and required topic.
    function _checkVerification() internal view {
        IdentityRegistry registry = ids.registry();
        for (uint256 i = 0; i < _wallets.length; ++i) {
            if (registry.isVerified(_wallets[i]) != tm.verified(_wallets[i])) _fail("isVerified differs from the model for wallet", i);
        }
        uint256[] memory required = tm.requiredTopics();
        for (uint256 i = 0; i < _identities.length; ++i) {
            for (uint256 t = 0; t < required.length; ++t) {
                if (registry.hasValidClaim(IIdentity(_identities[i]), required[t]) != tm.claimSatisfies(_identities[i], required[t])) {
                    _fail(string.concat("hasValidClaim differs from the model for topic ", vm.toString(required[t]), " of identity"), i);
                }
            }
        }
    }

    /// @notice totalSupply equals the sum of balances; balances, frozen tokens, freeze flags and pause are the
    /// model's (so nothing moved that the rules did not allow); frozen tokens never exceed a balance; and
    /// MaxBalanceModule's per-identity sums are the model's.
    function _checkTokenLedger() internal view {
        PermissionedToken token = tok.token();
        uint256 sum;
        for (uint256 i = 0; i < _wallets.length; ++i) {
            address w = _wallets[i];
            uint256 balance = token.balanceOf(w);
            uint256 frozenTokens = token.getFrozenTokens(w);
            sum += balance;
            if (balance != tm.balanceOf(w)) _fail("balance differs from the model for wallet", i);
            if (frozenTokens > balance) _fail("frozen tokens exceed the balance of wallet", i);
            if (frozenTokens != tm.frozenTokens(w)) _fail("frozen tokens differ from the model for wallet", i);
            if (token.isFrozen(w) != tm.frozen(w)) _fail("freeze flag differs from the model for wallet", i);
        }
        vm.assertEq(token.totalSupply(), sum, "totalSupply != sum of balances");
        vm.assertEq(token.totalSupply(), tm.totalSupply(), "totalSupply != model");
        vm.assertEq(token.paused(), tm.paused(), "paused differs from the model");
        address compliance = address(tok.compliance());
        for (uint256 i = 0; i < _identities.length; ++i) {
            if (tok.maxBalanceModule().getIDBalance(compliance, _identities[i]) != tm.tracked(_identities[i])) {
                _fail("MaxBalanceModule's balance differs from the model for identity", i);
            }
        }
    }

    /// @notice The keys of every purpose of every identity and issuer are exactly the model's: only management keys
    /// (or the identity itself, through an approved or signed execution) changed them.
    function _checkKeys() internal view {
        for (uint256 h = 0; h < _holders.length; ++h) {
            for (uint256 p = 1; p <= 4; ++p) {
                if (!im.keysMatch(_holders[h], p, Identity(_holders[h]).getKeysByPurpose(p))) {
                    _fail(string.concat("keys of purpose ", vm.toString(p), " differ from the model on key holder"), h);
                }
            }
        }
    }

    /// @notice Every identity holds exactly the model's claims (only authorized callers added or removed them).
    function _checkClaims() internal view {
        for (uint256 i = 0; i < _identities.length; ++i) {
            for (uint256 t = 0; t < _topics.length; ++t) {
                bytes32[] memory held = Identity(_identities[i]).getClaimIdsByTopic(_topics[t]);
                if (!im.claimsMatch(_identities[i], _topics[t], _issuers, held)) {
                    _fail(string.concat("claims of topic ", vm.toString(_topics[t]), " differ from the model on identity"), i);
                }
            }
        }
    }

    /// @notice An access grant opens exactly its (verifier, topic), until it expires or is revoked.
    function _checkAccessGrants() internal view {
        for (uint256 i = 0; i < _identities.length; ++i) {
            for (uint256 v = 0; v < _verifiers.length; ++v) {
                for (uint256 t = 0; t < _topics.length; ++t) {
                    if (Identity(_identities[i]).canAccess(_verifiers[v], _topics[t]) != im.canAccess(_identities[i], _verifiers[v], _topics[t])) {
                        _fail(string.concat("canAccess differs from the model for verifier ", vm.toString(v), ", topic ",
                            vm.toString(_topics[t]), ", identity"), i);
                    }
                }
            }
        }
    }

    /// @notice Registry contents are the model's: identities, countries, trusted issuers per topic, required topics.
    function _checkRegistries() internal view {
        IdentityRegistry registry = ids.registry();
        for (uint256 i = 0; i < _wallets.length; ++i) {
            if (address(registry.identity(_wallets[i])) != tm.identityOf(_wallets[i])) _fail("identity differs from the model for wallet", i);
            if (registry.investorCountry(_wallets[i]) != tm.countryOf(_wallets[i])) _fail("country differs from the model for wallet", i);
        }
        IdentityRegistry trusted = ids.issuersRegistry();
        for (uint256 j = 0; j < _issuers.length; ++j) {
            if (trusted.isTrustedIssuer(_issuers[j]) != tm.isTrusted(_issuers[j])) _fail("isTrustedIssuer differs from the model for issuer", j);
            for (uint256 t = 0; t < _topics.length; ++t) {
                if (trusted.hasClaimTopic(_issuers[j], _topics[t]) != tm.trustedFor(_issuers[j], _topics[t])) {
                    _fail(string.concat("hasClaimTopic differs from the model for topic ", vm.toString(_topics[t]), ", issuer"), j);
                }
            }
        }
        uint256[] memory required = ids.topicsRegistry().getClaimTopics();
        vm.assertEq(required.length, tm.requiredTopics().length, "number of required topics differs from the model");
        for (uint256 t = 0; t < required.length; ++t) if (!tm.isRequired(required[t])) _fail("required topic not in the model", t);
    }

    /// @notice Spent nullifiers, nullifier bindings, suspensions and gate marks are the model's.
    function _checkZk() internal view {
        ZkComplianceGate gate = zks.gate();
        ZkQueryVerifier qv = zks.queryVerifier();
        for (uint256 k = 0; k < _nullifiers.length; ++k) {
            uint256 n = _nullifiers[k];
            if (qv.isNullifierUsed(n) != zm.nullifierUsed(n)) _fail("isNullifierUsed differs from the model for nullifier", k);
            if (gate.nullifierWallet(n) != zm.nullifierWallet(n)) _fail("gate.nullifierWallet differs from the model for nullifier", k);
            if (gate.isNullifierSuspended(n) != zm.suspended(n)) _fail("gate.isNullifierSuspended differs from the model for nullifier", k);
        }
        for (uint256 i = 0; i < _wallets.length; ++i) {
            for (uint256 t = 0; t < _topics.length; ++t) {
                if (gate.isVerifiedFor(_wallets[i], _topics[t]) != zm.markValid(_wallets[i], _topics[t])) {
                    _fail(string.concat("gate.isVerifiedFor differs from the model for topic ", vm.toString(_topics[t]), ", wallet"), i);
                }
            }
        }
    }

    /// @notice After each run, appends the journal's counters to $MASQUE_FUZZ_STATS (one JSON line per run), which
    /// test/forge/invariant.test.ts sums to show that every handler did real work.
    function afterInvariant() public {
        string memory path = vm.envOr("MASQUE_FUZZ_STATS", string(""));
        if (bytes(path).length != 0) vm.writeLine(path, journal.json());
    }
}
