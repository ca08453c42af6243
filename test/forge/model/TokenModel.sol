// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IdentityModel} from "./IdentityModel.sol";
import {ZkModel} from "./ZkModel.sol";

/// @title Ghost model of the registries, the compliance modules and the token's ledger
/// @notice `verified(wallet)` is the specification of IdentityRegistry.isVerified (contracts/README.md): registered,
/// and for every required topic a claim whose issuer is trusted for that topic now and calls it valid now, or a
/// current gate mark. `transferRefusal` is the first failing check of a transfer, in the token's documented order.
contract TokenModel {
    uint8 internal constant OK = 0;

    IdentityModel public immutable identities;
    ZkModel public immutable zk;
    address[] internal _issuers;

    // registries
    uint256[] internal _requiredTopics;
    mapping(address issuer => uint256[]) internal _issuerTopics;
    mapping(address issuer => mapping(uint256 topic => bool)) public trustedFor;
    uint256 public trustedIssuerCount;
    mapping(address wallet => address) public identityOf;
    mapping(address wallet => uint16) public countryOf;
    mapping(address identity => uint8) public riskScore;
    mapping(address identity => bool) public scored;

    // compliance
    mapping(uint16 country => bool) public allowed;
    mapping(uint16 country => bool) public restricted;
    uint256 public maxBalance;
    uint8 public maxRisk;
    bool public allowUnscored;
    /// @dev MaxBalanceModule's per-holder sums (holder = the wallet's identity now, or the wallet when unregistered).
    mapping(address holder => uint256) public tracked;

    // token
    bool public paused;
    uint256 public totalSupply;
    mapping(address wallet => uint256) public balanceOf;
    mapping(address wallet => uint256) public frozenTokens;
    mapping(address wallet => bool) public frozen;
    mapping(address holder => mapping(address spender => uint256)) public allowance;

    constructor(IdentityModel identities_, ZkModel zk_, address[] memory issuers_) {
        identities = identities_;
        zk = zk_;
        _issuers = issuers_;
    }

    // ------------------------------------------------------------------ registries

    function requiredTopics() external view returns (uint256[] memory) {
        return _requiredTopics;
    }

    function isRequired(uint256 topic) public view returns (bool) {
        for (uint256 i = 0; i < _requiredTopics.length; ++i) if (_requiredTopics[i] == topic) return true;
        return false;
    }

    function addRequiredTopic(uint256 topic) external {
        _requiredTopics.push(topic);
    }

    function removeRequiredTopic(uint256 topic) external {
        uint256 n = _requiredTopics.length;
        for (uint256 i = 0; i < n; ++i) {
            if (_requiredTopics[i] == topic) {
                _requiredTopics[i] = _requiredTopics[n - 1];
                _requiredTopics.pop();
                return;
            }
        }
    }

    function isTrusted(address issuer) public view returns (bool) {
        return _issuerTopics[issuer].length != 0;
    }

    /// @notice Replaces the topics `issuer` is trusted for (empty: untrusted).
    function setIssuerTopics(address issuer, uint256[] memory topics) external {
        uint256[] storage old = _issuerTopics[issuer];
        if (old.length != 0 && topics.length == 0) --trustedIssuerCount;
        if (old.length == 0 && topics.length != 0) ++trustedIssuerCount;
        for (uint256 i = 0; i < old.length; ++i) trustedFor[issuer][old[i]] = false;
        for (uint256 i = 0; i < topics.length; ++i) trustedFor[issuer][topics[i]] = true;
        _issuerTopics[issuer] = topics;
    }

    function register(address wallet, address identity, uint16 country) external {
        identityOf[wallet] = identity;
        countryOf[wallet] = country;
    }

    function unregister(address wallet) external {
        delete identityOf[wallet];
        delete countryOf[wallet];
    }

    function setCountry(address wallet, uint16 country) external {
        countryOf[wallet] = country;
    }

    function setIdentity(address wallet, address identity) external {
        identityOf[wallet] = identity;
    }

    function setRisk(address identity, uint8 score, bool isScored) external {
        riskScore[identity] = score;
        scored[identity] = isScored;
    }

    /// @notice The holder satisfies `topic` through a claim: some issuer trusted for the topic now whose claim on
    /// the holder's identity is valid now.
    function claimSatisfies(address identity, uint256 topic) public view returns (bool) {
        for (uint256 i = 0; i < _issuers.length; ++i) {
            if (trustedFor[_issuers[i]][topic] && identities.claimValid(identity, topic, _issuers[i])) return true;
        }
        return false;
    }

    /// @notice What IdentityRegistry.isVerified must answer.
    function verified(address wallet) public view returns (bool) {
        address identity = identityOf[wallet];
        if (identity == address(0)) return false;
        for (uint256 i = 0; i < _requiredTopics.length; ++i) {
            uint256 t = _requiredTopics[i];
            if (!claimSatisfies(identity, t) && !zk.markValid(wallet, t)) return false;
        }
        return true;
    }

    // ------------------------------------------------------------------ compliance

    function setAllowed(uint16 country, bool on) external {
        allowed[country] = on;
    }

    function setRestricted(uint16 country, bool on) external {
        restricted[country] = on;
    }

    function setMaxBalance(uint256 max) external {
        maxBalance = max;
    }

    function setRiskLimit(uint8 max, bool unscoredOk) external {
        maxRisk = max;
        allowUnscored = unscoredOk;
    }

    /// @notice MaxBalanceModule's holder of a wallet: its identity now, or itself when unregistered.
    function holder(address wallet) public view returns (address) {
        address identity = identityOf[wallet];
        return identity == address(0) ? wallet : identity;
    }

    function _riskAccepts(address wallet) internal view returns (bool) {
        address identity = identityOf[wallet];
        if (identity == address(0) || !scored[identity]) return allowUnscored;
        return riskScore[identity] <= maxRisk;
    }

    /// @notice The first module refusing (codes 10-13, modules in the order they were added), or 0.
    function complianceRefusal(address from, address to, uint256 amount) public view returns (uint8) {
        uint16 country = countryOf[to];
        if (!allowed[country]) return 10;
        if (restricted[country]) return 11;
        address receiver = holder(to);
        if (!(from != address(0) && holder(from) == receiver) && tracked[receiver] + amount > maxBalance) return 12;
        if ((from != address(0) && !_riskAccepts(from)) || !_riskAccepts(to)) return 13;
        return OK;
    }

    /// @notice The first failing check of `transfer(to, amount)` by `from` (TransferRefusal codes), or 0.
    function transferRefusal(address from, address to, uint256 amount) external view returns (uint8) {
        if (paused) return 1;
        if (to == address(0)) return 2;
        if (frozen[from]) return 3;
        if (frozen[to]) return 4;
        if (amount > balanceOf[from]) return 5;
        if (amount > balanceOf[from] - frozenTokens[from]) return 6;
        if (!verified(from)) return 7;
        if (!verified(to)) return 8;
        return complianceRefusal(from, to, amount);
    }

    // ------------------------------------------------------------------ ledger

    function _untrack(address h, uint256 amount) internal {
        tracked[h] = tracked[h] > amount ? tracked[h] - amount : 0;
    }

    function _trackMove(address from, address to, uint256 amount) internal {
        address s = holder(from);
        address r = holder(to);
        if (s == r) return;
        _untrack(s, amount);
        tracked[r] += amount;
    }

    function _release(address wallet, uint256 amount) internal {
        uint256 free = balanceOf[wallet] - frozenTokens[wallet];
        if (amount > free) frozenTokens[wallet] -= amount - free;
    }

    function move(address from, address to, uint256 amount, bool forced) external {
        if (forced) _release(from, amount);
        balanceOf[from] -= amount;
        balanceOf[to] += amount;
        _trackMove(from, to, amount);
    }

    function mint(address to, uint256 amount) external {
        balanceOf[to] += amount;
        totalSupply += amount;
        tracked[holder(to)] += amount;
    }

    function burn(address from, uint256 amount) external {
        _release(from, amount);
        balanceOf[from] -= amount;
        totalSupply -= amount;
        _untrack(holder(from), amount);
    }

    function setApproval(address owner, address spender, uint256 amount) external {
        allowance[owner][spender] = amount;
    }

    function setPaused(bool on) external {
        paused = on;
    }

    function setFrozen(address wallet, bool on) external {
        frozen[wallet] = on;
    }

    function setFrozenTokens(address wallet, uint256 amount) external {
        frozenTokens[wallet] = amount;
    }

    /// @notice recoveryAddress: balance, frozen tokens and freeze flag move to `newWallet`, which is registered to
    /// the lost wallet's identity (and country) if it was not; the lost wallet is unregistered.
    function recover(address lost, address newWallet) external {
        address identity = identityOf[lost];
        if (identityOf[newWallet] == address(0)) {
            identityOf[newWallet] = identity;
            countryOf[newWallet] = countryOf[lost];
        }
        balanceOf[newWallet] += balanceOf[lost];
        frozenTokens[newWallet] += frozenTokens[lost];
        if (frozen[lost]) frozen[newWallet] = true;
        delete balanceOf[lost];
        delete frozenTokens[lost];
        delete frozen[lost];
        delete identityOf[lost];
        delete countryOf[lost];
    }
}
