// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "../base/Vm.sol";
import {HandlerBase} from "./HandlerBase.sol";
import {IdentitySystem, TokenSystem, ZkSystem} from "../System.sol";
import {IdentityModel} from "../model/IdentityModel.sol";
import {TokenModel} from "../model/TokenModel.sol";
import {ZkModel} from "../model/ZkModel.sol";
import {Journal} from "../Journal.sol";
import {IClaimIssuer} from "../../../contracts/interfaces/IClaimIssuer.sol";
import {IIdentity} from "../../../contracts/interfaces/IIdentity.sol";
import {ITrustedIssuersRegistry} from "../../../contracts/interfaces/ITrustedIssuersRegistry.sol";
import {IClaimTopicsRegistry} from "../../../contracts/interfaces/IClaimTopicsRegistry.sol";
import {IdentityRegistry} from "../../../contracts/registry/IdentityRegistry.sol";
import {RiskScoreRegistry} from "../../../contracts/registry/RiskScoreRegistry.sol";
import {ModularCompliance} from "../../../contracts/compliance/ModularCompliance.sol";
import {CountryAllowModule} from "../../../contracts/compliance/modules/CountryAllowModule.sol";
import {CountryRestrictModule} from "../../../contracts/compliance/modules/CountryRestrictModule.sol";
import {MaxBalanceModule} from "../../../contracts/compliance/modules/MaxBalanceModule.sol";
import {MaxRiskScoreModule} from "../../../contracts/compliance/modules/MaxRiskScoreModule.sol";

/// @title Trusted issuers, required topics, registrations, risk scores, compliance settings, and the clock
/// @notice The registry side of the campaign: issuers are trusted and untrusted for topics (a removal must take
/// effect in the same block), topics become required, wallets are registered, moved and deleted, and time runs
/// forward so claims and grants expire.
contract RegistryHandler is HandlerBase {
    constructor(IdentitySystem ids_, TokenSystem tok_, ZkSystem zks_, IdentityModel im_, TokenModel tm_, ZkModel zm_, Journal j)
        HandlerBase(ids_, tok_, zks_, im_, tm_, zm_, j)
    {}

    /// @notice Time goes forward: mostly minutes to days, sometimes weeks (claims expire, grants lapse).
    function warp(uint32 seconds_) external {
        uint256 step = seconds_ % 16 == 0 ? 10 days + seconds_ % 30 days : 1 + seconds_ % 3 days;
        vm.warp(block.timestamp + step);
        vm.roll(block.number + 1);
        journal.count("clock.warp");
    }

    function _topics(uint8 mask) private view returns (uint256[] memory topics) {
        uint256 n;
        for (uint256 i = 0; i < ids.TOPICS(); ++i) if (mask & (1 << i) != 0) ++n;
        topics = new uint256[](n);
        n = 0;
        for (uint256 i = 0; i < ids.TOPICS(); ++i) if (mask & (1 << i) != 0) topics[n++] = ids.topic(i);
    }

    /// @notice addTrustedIssuer / removeTrustedIssuer / updateIssuerClaimTopics (owner only).
    function trustIssuer(uint256 issuerSeed, uint8 topicMask, uint256 actorSeed, uint8 action) external {
        address issuer = address(ids.issuer(issuerSeed));
        address actor = _admin(actorSeed, ids.owner());
        uint256[] memory topics = _topics(topicMask);
        IdentityRegistry r = ids.issuersRegistry();
        bool isOwner = actor == ids.owner();
        bool trusted = tm.isTrusted(issuer);
        bytes memory call;
        bool expected;
        string memory name;
        action %= 3;
        if (action == 0) {
            call = abi.encodeCall(ITrustedIssuersRegistry.addTrustedIssuer, (IClaimIssuer(issuer), topics));
            expected = isOwner && !trusted && topics.length != 0;
            name = "issuers.add";
        } else if (action == 1) {
            call = abi.encodeCall(ITrustedIssuersRegistry.removeTrustedIssuer, (IClaimIssuer(issuer)));
            expected = isOwner && trusted;
            topics = new uint256[](0);
            name = "issuers.remove";
        } else {
            call = abi.encodeCall(ITrustedIssuersRegistry.updateIssuerClaimTopics, (IClaimIssuer(issuer), topics));
            expected = isOwner && trusted && topics.length != 0;
            name = "issuers.update";
        }
        (bool ok,) = _call(actor, address(r), call);
        journal.outcome(name, expected, ok);
        if (ok) tm.setIssuerTopics(issuer, topics);
    }

    /// @notice addClaimTopic / removeClaimTopic on the token's claim topics registry (owner only).
    function requireTopic(uint256 topicSeed, bool remove, uint256 actorSeed) external {
        uint256 topic = ids.topic(topicSeed);
        // Biased towards a topic the call can add (absent) or remove (present).
        for (uint256 i = 0; i < ids.TOPICS() && topicSeed % 3 != 0 && tm.isRequired(topic) != remove; ++i) {
            topic = ids.topic(topicSeed % 64 + i);
        }
        address actor = _admin(actorSeed, ids.owner());
        bool present = tm.isRequired(topic);
        bool expected = actor == ids.owner() && (remove ? present : !present);
        bytes memory call = remove
            ? abi.encodeCall(IClaimTopicsRegistry.removeClaimTopic, (topic))
            : abi.encodeCall(IClaimTopicsRegistry.addClaimTopic, (topic));
        (bool ok,) = _call(actor, address(ids.topicsRegistry()), call);
        journal.outcome(remove ? "topics.remove" : "topics.add", expected, ok);
        if (!ok) return;
        if (remove) tm.removeRequiredTopic(topic);
        else tm.addRequiredTopic(topic);
    }

    /// @notice registerIdentity / deleteIdentity / updateCountry / updateIdentity (agents only).
    function registration(uint256 walletSeed, uint256 identitySeed, uint256 countrySeed, uint256 actorSeed, uint8 action)
        external
    {
        address wallet = ids.wallet(walletSeed);
        address identity = address(ids.identity(identitySeed));
        uint16 country = _country(countrySeed);
        address actor = _admin(actorSeed, ids.agent());
        bool registered = tm.identityOf(wallet) != address(0);
        bool isAgent = actor == ids.agent();
        IdentityRegistry r = ids.registry();
        action %= 4;
        bytes memory call;
        bool expected;
        string memory name;
        if (action == 0) {
            call = abi.encodeCall(IdentityRegistry.registerIdentity, (wallet, IIdentity(identity), country));
            (expected, name) = (isAgent && !registered, "registry.register");
        } else if (action == 1) {
            call = abi.encodeCall(IdentityRegistry.deleteIdentity, (wallet));
            (expected, name) = (isAgent && registered, "registry.delete");
        } else if (action == 2) {
            call = abi.encodeCall(IdentityRegistry.updateCountry, (wallet, country));
            (expected, name) = (isAgent && registered, "registry.updateCountry");
        } else {
            call = abi.encodeCall(IdentityRegistry.updateIdentity, (wallet, IIdentity(identity)));
            (expected, name) = (isAgent && registered, "registry.updateIdentity");
        }
        (bool ok,) = _call(actor, address(r), call);
        journal.outcome(name, expected, ok);
        if (!ok) return;
        if (action == 0) tm.register(wallet, identity, country);
        else if (action == 1) tm.unregister(wallet);
        else if (action == 2) tm.setCountry(wallet, country);
        else tm.setIdentity(wallet, identity);
    }

    /// @notice setRiskScore / clearRiskScore (agents only).
    function risk(uint256 identitySeed, uint8 score, bool clear, uint256 actorSeed) external {
        address identity = address(ids.identity(identitySeed));
        address actor = _admin(actorSeed, ids.agent());
        RiskScoreRegistry r = ids.riskRegistry();
        uint8 s = uint8(score % 110); // sometimes out of range (> 100)
        bool expected = actor == ids.agent() && (clear ? tm.scored(identity) : s <= 100);
        bytes memory call = clear
            ? abi.encodeCall(RiskScoreRegistry.clearRiskScore, (identity))
            : abi.encodeCall(RiskScoreRegistry.setRiskScore, (identity, s));
        (bool ok,) = _call(actor, address(r), call);
        journal.outcome(clear ? "risk.clear" : "risk.set", expected, ok);
        if (ok) tm.setRisk(identity, clear ? 0 : s, !clear);
    }

    /// @notice Compliance settings through callModuleFunction (the compliance owner only): allowed and restricted
    /// countries, the per-identity cap, the risk limit.
    function configureCompliance(uint8 what, uint256 countrySeed, uint256 value, uint256 actorSeed) external {
        address actor = _admin(actorSeed, ids.owner());
        uint16 country = _country(countrySeed);
        bool isOwner = actor == ids.owner();
        what %= 6;
        bytes memory inner;
        address module;
        bool expected;
        if (what == 0 || what == 1) {
            module = address(tok.allowModule());
            bool on = what == 0;
            inner = on ? abi.encodeCall(CountryAllowModule.addAllowedCountry, (country))
                : abi.encodeCall(CountryAllowModule.removeAllowedCountry, (country));
            expected = isOwner && tm.allowed(country) != on;
        } else if (what == 2 || what == 3) {
            module = address(tok.restrictModule());
            bool on = what == 2;
            inner = on ? abi.encodeCall(CountryRestrictModule.addCountryRestriction, (country))
                : abi.encodeCall(CountryRestrictModule.removeCountryRestriction, (country));
            expected = isOwner && tm.restricted(country) != on;
        } else if (what == 4) {
            module = address(tok.maxBalanceModule());
            inner = abi.encodeCall(MaxBalanceModule.setMaxBalance, (value % 5_000));
            expected = isOwner;
        } else {
            module = address(tok.riskModule());
            inner = abi.encodeCall(MaxRiskScoreModule.setRiskLimit, (address(ids.riskRegistry()), uint8(value % 101), value % 3 != 0));
            expected = isOwner;
        }
        (bool ok,) = _call(actor, address(tok.compliance()), abi.encodeCall(ModularCompliance.callModuleFunction, (inner, module)));
        journal.outcome(string.concat("compliance.setting", vm.toString(uint256(what))), expected, ok);
        if (!ok) return;
        if (what <= 1) tm.setAllowed(country, what == 0);
        else if (what <= 3) tm.setRestricted(country, what == 2);
        else if (what == 4) tm.setMaxBalance(value % 5_000);
        else tm.setRiskLimit(uint8(value % 101), value % 3 != 0);
    }
}
