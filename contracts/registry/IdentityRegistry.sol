// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Role} from "../roles/Role.sol";
import {RoleControl} from "../roles/RoleControl.sol";
import {IdentityStorageBase} from "./IdentityStorageBase.sol";
import {ClaimTopicsBase} from "./ClaimTopicsBase.sol";
import {TrustedIssuersBase} from "./TrustedIssuersBase.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IIdentityRegistryStorage} from "../interfaces/IIdentityRegistryStorage.sol";
import {IClaimTopicsRegistry} from "../interfaces/IClaimTopicsRegistry.sol";
import {ITrustedIssuersRegistry} from "../interfaces/ITrustedIssuersRegistry.sol";
import {IClaimIssuer} from "../interfaces/IClaimIssuer.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IMasqueClaims} from "../interfaces/IMasqueClaims.sol";
import {IClaimIndex} from "../interfaces/IClaimIndex.sol";
import {IZkComplianceGate} from "../interfaces/IZkComplianceGate.sol";

/**
 * @title Identity registry of a token: who holds which identity, and is that identity verified
 * @notice One contract is, by default, the token's identity registry **and** its identity registry storage, claim
 * topics registry and trusted issuers registry (`identityStorage()`, `topicsRegistry()` and `issuersRegistry()` return
 * this address, which answers their ERC-3643 interfaces), so `isVerified` reads its own storage instead of calling
 * three more contracts. An owner setter may point any of the three elsewhere (a shared storage, T-REX registries):
 * the registry then reads that contract (one flag in the same slot as the required topics).
 *
 * `isVerified(wallet)`: registered, and for every required topic a claim of the identity whose issuer is trusted for
 * that topic now and which that same issuer calls valid now (fixes ERC-3643 issue 101), or a current mark of the ZK
 * compliance gate. Fast path: the verification record of the topic's first claim in the claim index (the Identity
 * implementation behind IdentityFactory's clones, see ClaimIndex): it counts while the issuer's epoch has not moved
 * and the claim was not revoked (both reported by the issuer in the same transaction), and here while it is not
 * expired and its issuer is trusted for the topic. Anything else, the full check: every claim of the topic, each
 * issuer trusted and asked `isClaimValid`.
 *
 * Roles: whitelist managers ({Role.WHITELIST_MANAGER}) register, update and delete investors (and write the storage
 * part); the owner and {Role.REGISTRY_SETTER}, {Role.ISSUERS_SETTER} and {Role.CLAIM_TOPICS_SETTER} holders the rest.
 */
contract IdentityRegistry is IIdentityRegistry, IdentityStorageBase, ClaimTopicsBase, TrustedIssuersBase {
    /// @dev Flags in `_config`, next to the required topics (ClaimTopicsBase's packed word): which of the storage,
    /// topics and issuers registries is another contract.
    uint256 private constant EXTERNAL_STORAGE = 1 << 248;
    uint256 private constant EXTERNAL_TOPICS = 1 << 249;
    uint256 private constant EXTERNAL_ISSUERS = 1 << 250;

    // keccak256(abi.encode(uint256(keccak256("masque.storage.IdentityRegistry.zkGate")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant ZK_GATE_SLOT = 0xa944b7da675e0593da6497ca5047935281f577f557e07743ac2d3a5b04ae5d00;

    /// @notice The claim index whose verification records the fast path reads: the Identity implementation behind
    /// IdentityFactory's clones (0: none, every identity is verified in full). Clones of a template share it.
    IClaimIndex public immutable claimIndex;

    /// @dev Required topics and flags: the one slot every isVerified reads besides the wallet's entry.
    uint256 private _config = PACKED;
    IIdentityRegistryStorage private _externalStorage;
    IClaimTopicsRegistry private _externalTopics;
    ITrustedIssuersRegistry private _externalIssuers;

    /// @notice The owner set (or removed, zero address) the ZK compliance gate.
    event ZkComplianceGateSet(address indexed gate);

    error LengthMismatch();

    /**
     * @param initialOwner The owner; 0 makes a template for clones (see RoleControl).
     * @param trustedIssuersRegistry Another trusted issuers registry to read, or 0: this contract is its own.
     * @param claimTopicsRegistry Another claim topics registry to read, or 0: this contract is its own.
     * @param identityStorage_ Another identity registry storage to read and write (it must bind this registry), or 0:
     * this contract is its own.
     * @param identityImplementation The Identity implementation behind IdentityFactory's clones, whose claim index
     * holds their verification records (0: verify every identity in full).
     */
    constructor(
        address initialOwner,
        ITrustedIssuersRegistry trustedIssuersRegistry,
        IClaimTopicsRegistry claimTopicsRegistry,
        IIdentityRegistryStorage identityStorage_,
        address identityImplementation
    ) RoleControl(initialOwner) {
        claimIndex = IClaimIndex(identityImplementation);
        if (initialOwner == address(0)) return;
        _useStorage(address(identityStorage_));
        _useTopics(address(claimTopicsRegistry));
        _useIssuers(address(trustedIssuersRegistry));
    }

    /**
     * @notice Sets up a clone of a template (once): its own topics and trusted issuers, its own storage or a shared
     * one (`identityStorage_`, which must bind it), and initial role holders (e.g. the token, for recovery).
     */
    function initialize(
        address initialOwner,
        IIdentityRegistryStorage identityStorage_,
        uint256[] calldata topics,
        IClaimIssuer[] calldata issuers,
        uint256[][] calldata issuerTopics,
        address[] calldata accounts,
        uint256[] calldata roles
    ) external {
        _initializeClone(initialOwner);
        if (issuers.length != issuerTopics.length) revert LengthMismatch();
        _config = PACKED;
        _useStorage(address(identityStorage_));
        _useTopics(address(0));
        _useIssuers(address(0));
        for (uint256 i; i < topics.length; ++i) {
            _addTopic(topics[i]);
        }
        for (uint256 i; i < issuers.length; ++i) {
            _add(issuers[i], issuerTopics[i]);
        }
        _grantInitialRoles(accounts, roles);
    }

    // ---------------------------------------------------------------- investors (whitelist managers)

    /// @inheritdoc IIdentityRegistry
    function registerIdentity(address userAddress, IIdentity identity_, uint16 country)
        external onlyRole(Role.WHITELIST_MANAGER)
    {
        _register(userAddress, identity_, country);
    }

    /// @inheritdoc IIdentityRegistry
    function batchRegisterIdentity(
        address[] calldata userAddresses, IIdentity[] calldata identities, uint16[] calldata countries
    ) external onlyRole(Role.WHITELIST_MANAGER) {
        uint256 n = userAddresses.length;
        if (identities.length != n || countries.length != n) revert LengthMismatch();
        for (uint256 i = 0; i < n; ++i) {
            _register(userAddresses[i], identities[i], countries[i]);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function deleteIdentity(address userAddress) external onlyRole(Role.WHITELIST_MANAGER) {
        IIdentity old;
        if (_config & EXTERNAL_STORAGE == 0) {
            old = _removeEntry(userAddress);
        } else {
            old = _externalStorage.storedIdentity(userAddress);
            _externalStorage.removeIdentityFromStorage(userAddress);
        }
        emit IdentityRemoved(userAddress, old);
    }

    /// @inheritdoc IIdentityRegistry
    function updateCountry(address userAddress, uint16 country) external onlyRole(Role.WHITELIST_MANAGER) {
        if (_config & EXTERNAL_STORAGE == 0) _setEntryCountry(userAddress, country);
        else _externalStorage.modifyStoredInvestorCountry(userAddress, country);
        emit CountryUpdated(userAddress, country);
    }

    /// @inheritdoc IIdentityRegistry
    function updateIdentity(address userAddress, IIdentity identity_) external onlyRole(Role.WHITELIST_MANAGER) {
        IIdentity old;
        if (_config & EXTERNAL_STORAGE == 0) {
            old = _setEntryIdentity(userAddress, identity_);
        } else {
            old = _externalStorage.storedIdentity(userAddress);
            _externalStorage.modifyStoredIdentity(userAddress, identity_);
        }
        emit IdentityUpdated(old, identity_);
    }

    // ---------------------------------------------------------------- configuration (owner, registry setters)

    /// @inheritdoc IIdentityRegistry
    /// @dev This contract's own address switches back to its own storage.
    function setIdentityRegistryStorage(address identityRegistryStorage) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (identityRegistryStorage == address(0)) revert ZeroAddress();
        _useStorage(identityRegistryStorage);
    }

    /// @inheritdoc IIdentityRegistry
    /// @dev This contract's own address switches back to its own topics.
    function setClaimTopicsRegistry(address claimTopicsRegistry) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (claimTopicsRegistry == address(0)) revert ZeroAddress();
        _useTopics(claimTopicsRegistry);
    }

    /// @inheritdoc IIdentityRegistry
    /// @dev This contract's own address switches back to its own issuers.
    function setTrustedIssuersRegistry(address trustedIssuersRegistry) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (trustedIssuersRegistry == address(0)) revert ZeroAddress();
        _useIssuers(trustedIssuersRegistry);
    }

    /// @notice Sets the ZK compliance gate consulted for a required topic without a valid claim (owner or registry
    /// setter; zero address: no gate, claims only). No getter: one more external function would put isVerified one
    /// comparison deeper in the selector dispatch. The current gate is the last ZkComplianceGateSet event, or the
    /// ERC-7201 slot `masque.storage.IdentityRegistry.zkGate` (src/chain/zk.ts getZkComplianceGate).
    function setZkComplianceGate(address gate) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        bytes32 slot = ZK_GATE_SLOT;
        assembly ("memory-safe") {
            sstore(slot, gate)
        }
        emit ZkComplianceGateSet(gate);
    }

    // ---------------------------------------------------------------- verification

    /// @inheritdoc IIdentityRegistry
    /// @dev What a transfer pays twice (sender and receiver). In the default layout (its own storage, topics and
    /// issuers, topics packed) everything is read from this contract's storage and the word `_config` already loaded
    /// (no array, no internal registry call), plus one call per topic to the claim index, warm after the first.
    function isVerified(address userAddress) external view returns (bool) {
        uint256 cfg = _config;
        if (cfg & (PACKED | EXTERNAL_STORAGE | EXTERNAL_TOPICS | EXTERNAL_ISSUERS) == PACKED) {
            IIdentity id = _entries[userAddress].identity;
            if (address(id) == address(0)) return false;
            // Count in bits 0-7, topic i in bits 8 + 16i (at most 15): no overflow, unchecked.
            uint256 end;
            unchecked {
                end = 8 + 16 * (cfg & 0xff);
            }
            for (uint256 shift = 8; shift < end; ) {
                uint256 topic = (cfg >> shift) & 0xffff;
                uint256 rec = _record(id, topic);
                if (rec == 0 || block.timestamp >= rec >> 160 || !_hasClaimTopic(address(uint160(rec)), topic)) {
                    if (!_fullCheck(userAddress, id, topic, cfg)) return false;
                }
                unchecked {
                    shift += 16;
                }
            }
            return true;
        }
        return _isVerifiedConfigured(userAddress, cfg);
    }

    /// @dev isVerified with another storage, topics or issuers registry, or topics beyond 16 bits.
    function _isVerifiedConfigured(address userAddress, uint256 cfg) private view returns (bool) {
        IIdentity id = _identityOf(userAddress, cfg);
        if (address(id) == address(0)) return false;
        uint256[] memory required =
            cfg & EXTERNAL_TOPICS == 0 ? _requiredTopics(cfg) : _externalTopics.getClaimTopics();
        for (uint256 i = 0; i < required.length; ++i) {
            uint256 topic = required[i];
            uint256 rec = _record(id, topic);
            if (rec != 0 && block.timestamp < rec >> 160 && _trusted(address(uint160(rec)), topic, cfg)) continue;
            if (!_fullCheck(userAddress, id, topic, cfg)) return false;
        }
        return true;
    }

    /// @notice Whether `identity_` holds, for `topic`, a valid claim from an issuer trusted for that topic (the full
    /// check alone, no record).
    function hasValidClaim(IIdentity identity_, uint256 topic) external view returns (bool) {
        return _hasValidClaim(identity_, topic, _config);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IIdentityRegistry
    function contains(address userAddress) external view returns (bool) {
        return address(_identityOf(userAddress, _config)) != address(0);
    }

    /// @inheritdoc IIdentityRegistry
    function identity(address userAddress) external view returns (IIdentity) {
        return _identityOf(userAddress, _config);
    }

    /// @inheritdoc IIdentityRegistry
    function investorCountry(address userAddress) external view returns (uint16) {
        if (_config & EXTERNAL_STORAGE == 0) return _entries[userAddress].country;
        return _externalStorage.storedInvestorCountry(userAddress);
    }

    /// @inheritdoc IIdentityRegistry
    function identityStorage() external view returns (IIdentityRegistryStorage) {
        return _config & EXTERNAL_STORAGE == 0 ? IIdentityRegistryStorage(address(this)) : _externalStorage;
    }

    /// @inheritdoc IIdentityRegistry
    function issuersRegistry() external view returns (ITrustedIssuersRegistry) {
        return _config & EXTERNAL_ISSUERS == 0 ? ITrustedIssuersRegistry(address(this)) : _externalIssuers;
    }

    /// @inheritdoc IIdentityRegistry
    function topicsRegistry() external view returns (IClaimTopicsRegistry) {
        return _config & EXTERNAL_TOPICS == 0 ? IClaimTopicsRegistry(address(this)) : _externalTopics;
    }

    // ---------------------------------------------------------------- roles

    /// @dev Whitelist managers register, update and delete investors.
    function _agentRoles() internal pure override returns (uint256) {
        return Role.WHITELIST_MANAGER;
    }

    /// @dev The owner may delegate the registry setters, the issuer list and the topic list.
    function _ownerRoles() internal pure override returns (uint256) {
        return Role.REGISTRY_SETTER | Role.ISSUERS_SETTER | Role.CLAIM_TOPICS_SETTER;
    }

    // ---------------------------------------------------------------- internals

    function _packedTopics() internal view override returns (uint256) {
        return _config;
    }

    function _storePackedTopics(uint256 p) internal override {
        _config = (_config & ~TOPIC_BITS) | (p & TOPIC_BITS);
    }

    function _useStorage(address s) private {
        _setExternal(EXTERNAL_STORAGE, s);
        if (s != address(0) && s != address(this)) _externalStorage = IIdentityRegistryStorage(s);
        emit IdentityStorageSet(s == address(0) ? address(this) : s);
    }

    function _useTopics(address t) private {
        _setExternal(EXTERNAL_TOPICS, t);
        if (t != address(0) && t != address(this)) _externalTopics = IClaimTopicsRegistry(t);
        emit ClaimTopicsRegistrySet(t == address(0) ? address(this) : t);
    }

    function _useIssuers(address t) private {
        _setExternal(EXTERNAL_ISSUERS, t);
        if (t != address(0) && t != address(this)) _externalIssuers = ITrustedIssuersRegistry(t);
        emit TrustedIssuersRegistrySet(t == address(0) ? address(this) : t);
    }

    /// @dev `flag` set iff `target` is another contract (0 or this address: this contract's own).
    function _setExternal(uint256 flag, address target) private {
        bool external_ = target != address(0) && target != address(this);
        _config = external_ ? _config | flag : _config & ~flag;
    }

    function _identityOf(address wallet, uint256 cfg) private view returns (IIdentity) {
        if (cfg & EXTERNAL_STORAGE == 0) return _entries[wallet].identity;
        return _externalStorage.storedIdentity(wallet);
    }

    function _register(address userAddress, IIdentity identity_, uint16 country) private {
        if (_config & EXTERNAL_STORAGE == 0) _storeEntry(userAddress, identity_, country);
        else _externalStorage.addIdentityToStorage(userAddress, identity_, country);
        emit IdentityRegistered(userAddress, identity_);
    }

    /// @dev `issuer` is trusted for `topic` now (this contract's list or the external registry's).
    function _trusted(address issuer, uint256 topic, uint256 cfg) private view returns (bool) {
        if (cfg & EXTERNAL_ISSUERS == 0) return _hasClaimTopic(issuer, topic);
        return _externalIssuers.hasClaimTopic(issuer, topic);
    }

    /// @dev A required topic without a record that counts (the fast path: a record the claim index still counts, i.e.
    /// issuer epoch unchanged and not revoked, not expired, its issuer trusted for the topic here now): every claim of
    /// the topic checked with its issuer, then the ZK gate.
    function _fullCheck(address wallet, IIdentity id, uint256 topic, uint256 cfg) private view returns (bool) {
        return _hasValidClaim(id, topic, cfg) || _gateVouches(wallet, topic);
    }

    /// @dev `claimIndex.verificationRecord(id, topic)`, 0 without an index. The index is the implementation's own code
    /// (it answers 0 for identities it holds no rows of); a plain staticcall in scratch space, no allocation.
    function _record(IIdentity id, uint256 topic) private view returns (uint256 rec) {
        address index = address(claimIndex);
        if (index == address(0)) return 0;
        bytes4 selector = IClaimIndex.verificationRecord.selector;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, selector)
            mstore(add(p, 0x04), id)
            mstore(add(p, 0x24), topic)
            // Yul evaluates arguments right to left: the call first, then its return data size.
            let ok := staticcall(gas(), index, p, 0x44, 0x00, 0x20)
            if and(ok, eq(returndatasize(), 0x20)) { rec := mload(0x00) }
        }
    }

    /// @dev The ZK compliance gate, when set, holds a current mark of `wallet` for `topic`. A gate that reverts or
    /// answers garbage vouches for nobody.
    function _gateVouches(address wallet, uint256 topic) private view returns (bool) {
        IZkComplianceGate gate;
        bytes32 slot = ZK_GATE_SLOT;
        assembly ("memory-safe") {
            gate := sload(slot)
        }
        if (address(gate) == address(0) || address(gate).code.length == 0) return false;
        try gate.isVerifiedFor(wallet, topic) returns (bool ok) {
            return ok;
        } catch {
            return false;
        }
    }

    /// @dev A registered identity that reverts is treated as holding no valid claim for the topic, rather than
    /// making every transfer involving it revert with its error. Masque identities answer
    /// `getClaimsForVerification` (one call, no uri); any other ERC-735 identity is read through
    /// getClaimIdsByTopic + getClaim. Either way the claim only counts if its issuer is trusted for the topic and
    /// that same issuer calls it valid for this identity (the signature binds the identity and the topic).
    function _hasValidClaim(IIdentity id, uint256 topic, uint256 cfg) private view returns (bool) {
        // try/catch cannot catch the decoding failure of a call to an address without code; the account is touched
        // by the next call anyway, so this check costs ~100 gas.
        if (address(id).code.length == 0) return false;
        try IMasqueClaims(address(id)).getClaimsForVerification(topic) returns (
            address[] memory issuers, bytes[] memory sigs, bytes[] memory data
        ) {
            if (sigs.length != issuers.length || data.length != issuers.length) return false;
            for (uint256 j = 0; j < issuers.length; ++j) {
                if (_issuerVouches(id, topic, issuers[j], sigs[j], data[j], cfg)) return true;
            }
            return false;
        } catch {}

        bytes32[] memory claimIds;
        try id.getClaimIdsByTopic(topic) returns (bytes32[] memory ids) {
            claimIds = ids;
        } catch {
            return false;
        }
        for (uint256 j = 0; j < claimIds.length; ++j) {
            try id.getClaim(claimIds[j]) returns (
                uint256 claimTopic, uint256, address issuer, bytes memory sig, bytes memory data, string memory
            ) {
                if (claimTopic != topic || claimIds[j] != keccak256(abi.encode(issuer, topic))) continue;
                if (_issuerVouches(id, topic, issuer, sig, data, cfg)) return true;
            } catch {}
        }
        return false;
    }

    /// @dev `issuer` is trusted for `topic` and itself says the claim is valid (issue 101: never another address).
    function _issuerVouches(IIdentity id, uint256 topic, address issuer, bytes memory sig, bytes memory data, uint256 cfg)
        private view returns (bool)
    {
        if (!_trusted(issuer, topic, cfg) || issuer.code.length == 0) return false;
        try IIdentity(issuer).isClaimValid(id, topic, sig, data) returns (bool valid) {
            return valid;
        } catch {
            return false;
        }
    }
}
