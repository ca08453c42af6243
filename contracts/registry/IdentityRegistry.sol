// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AgentRole} from "./AgentRole.sol";
import {Role} from "../roles/Role.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";
import {IIdentityRegistryStorage} from "../interfaces/IIdentityRegistryStorage.sol";
import {IClaimTopicsRegistry} from "../interfaces/IClaimTopicsRegistry.sol";
import {ITrustedIssuersRegistry} from "../interfaces/ITrustedIssuersRegistry.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IMasqueClaims} from "../interfaces/IMasqueClaims.sol";
import {IZkComplianceGate} from "../interfaces/IZkComplianceGate.sol";

/// @title Identity registry of a token: who holds which identity, and is that identity verified
/// @notice `isVerified` walks, per required topic, the claims the identity holds for that topic (at most
/// Identity.MAX_CLAIMS_PER_TOPIC, usually one) and asks the trusted issuers registry one O(1) question per claim, so
/// its cost grows with the number of required topics, not with topics x trusted issuers. For every candidate claim
/// it checks that the claim id is keccak256(issuer, topic) of the issuer getClaim returned, that this issuer is
/// trusted for the topic, and asks that same issuer whether the claim is valid (ERC-3643 issue 101).
/// Roles: whitelist managers ({Role.WHITELIST_MANAGER}) register, update and delete investors; the owner and
/// {Role.REGISTRY_SETTER} holders replace the storage, topics and issuers registries and set the ZK gate.
contract IdentityRegistry is IIdentityRegistry, AgentRole {
    /// @dev The three registries are immutables (no SLOAD on every isVerified) until an owner setter replaces one:
    /// then its bit in `replaced` is set and the new address is read from storage. `replaced` shares a slot with
    /// the replacement storage address, so the usual case costs one SLOAD instead of three.
    struct Replaced {
        IIdentityRegistryStorage identityStorage;
        uint8 bits;
    }

    uint8 private constant STORAGE_BIT = 1;
    uint8 private constant TOPICS_BIT = 2;
    uint8 private constant ISSUERS_BIT = 4;

    IIdentityRegistryStorage private immutable _initialStorage;
    IClaimTopicsRegistry private immutable _initialTopics;
    ITrustedIssuersRegistry private immutable _initialIssuers;
    Replaced private _replaced;
    IClaimTopicsRegistry private _replacedTopics;
    ITrustedIssuersRegistry private _replacedIssuers;
    /// @notice EXTCODEHASH of an ERC-1167 clone of the trusted Identity implementation (0: none). Such identities
    /// run code that verifies a claim with its issuer before recording it, so their verification records are
    /// trusted (see isVerified); any other identity is verified claim by claim, signatures included.
    bytes32 public immutable identityCloneCodeHash;
    /// @dev Optional ZK compliance gate (0: none), read only where a required topic's claim check fails, so the
    /// claim path costs what it did without a gate. Storage slot 6 (after Ownable's owner, Ownable2Step's pending
    /// owner, RoleControl's roles and the three "replaced" slots above): src/chain/zk.ts reads it there.
    IZkComplianceGate private _zkGate;

    /// @notice The owner set (or removed, zero address) the ZK compliance gate.
    event ZkComplianceGateSet(address indexed gate);

    error LengthMismatch();

    /// @param initialOwner The owner; 0 makes a template for clones (see RoleControl), which needs no registries.
    /// @param identityImplementation The Identity implementation behind IdentityFactory's clones (0: verify every
    /// identity the slow way). Clones of a template share the template's.
    constructor(
        address initialOwner,
        ITrustedIssuersRegistry trustedIssuersRegistry,
        IClaimTopicsRegistry claimTopicsRegistry,
        IIdentityRegistryStorage identityStorage_,
        address identityImplementation
    ) AgentRole(initialOwner) {
        if (identityImplementation != address(0)) {
            identityCloneCodeHash = keccak256(
                abi.encodePacked(hex"363d3d373d3d3d363d73", identityImplementation, hex"5af43d82803e903d91602b57fd5bf3")
            );
        }
        if (initialOwner == address(0)) return;
        _checkRegistries(trustedIssuersRegistry, claimTopicsRegistry, identityStorage_);
        _initialIssuers = trustedIssuersRegistry;
        _initialTopics = claimTopicsRegistry;
        _initialStorage = identityStorage_;
        emit TrustedIssuersRegistrySet(address(trustedIssuersRegistry));
        emit ClaimTopicsRegistrySet(address(claimTopicsRegistry));
        emit IdentityStorageSet(address(identityStorage_));
    }

    /**
     * @notice Sets up a clone of a template (once). A clone has no immutables of its own, so its three registries
     * live in the "replaced" slots (two more cold SLOADs per isVerified than a directly deployed registry).
     * @param accounts Initial role holders (e.g. the token, for recovery, and the issuer's whitelist managers).
     * @param roles Their roles ({Role.WHITELIST_MANAGER}, {Role.REGISTRY_SETTER}).
     */
    function initialize(
        address initialOwner,
        ITrustedIssuersRegistry trustedIssuersRegistry,
        IClaimTopicsRegistry claimTopicsRegistry,
        IIdentityRegistryStorage identityStorage_,
        address[] calldata accounts,
        uint256[] calldata roles
    ) external {
        _initializeClone(initialOwner);
        _checkRegistries(trustedIssuersRegistry, claimTopicsRegistry, identityStorage_);
        _replaced = Replaced(identityStorage_, STORAGE_BIT | TOPICS_BIT | ISSUERS_BIT);
        _replacedTopics = claimTopicsRegistry;
        _replacedIssuers = trustedIssuersRegistry;
        emit TrustedIssuersRegistrySet(address(trustedIssuersRegistry));
        emit ClaimTopicsRegistrySet(address(claimTopicsRegistry));
        emit IdentityStorageSet(address(identityStorage_));
        _grantInitialRoles(accounts, roles);
    }

    /// @inheritdoc IIdentityRegistry
    function registerIdentity(address userAddress, IIdentity identity_, uint16 country) external onlyAgent {
        _register(userAddress, identity_, country);
    }

    /// @inheritdoc IIdentityRegistry
    function batchRegisterIdentity(
        address[] calldata userAddresses, IIdentity[] calldata identities, uint16[] calldata countries
    ) external onlyAgent {
        uint256 n = userAddresses.length;
        if (identities.length != n || countries.length != n) revert LengthMismatch();
        for (uint256 i = 0; i < n; ++i) {
            _register(userAddresses[i], identities[i], countries[i]);
        }
    }

    /// @inheritdoc IIdentityRegistry
    function deleteIdentity(address userAddress) external onlyAgent {
        IIdentity old = _identityStorage().storedIdentity(userAddress);
        _identityStorage().removeIdentityFromStorage(userAddress);
        emit IdentityRemoved(userAddress, old);
    }

    /// @inheritdoc IIdentityRegistry
    function updateCountry(address userAddress, uint16 country) external onlyAgent {
        _identityStorage().modifyStoredInvestorCountry(userAddress, country);
        emit CountryUpdated(userAddress, country);
    }

    /// @inheritdoc IIdentityRegistry
    function updateIdentity(address userAddress, IIdentity identity_) external onlyAgent {
        IIdentity old = _identityStorage().storedIdentity(userAddress);
        _identityStorage().modifyStoredIdentity(userAddress, identity_);
        emit IdentityUpdated(old, identity_);
    }

    /// @inheritdoc IIdentityRegistry
    function setIdentityRegistryStorage(address identityRegistryStorage) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (identityRegistryStorage == address(0)) revert ZeroAddress();
        _replaced.identityStorage = IIdentityRegistryStorage(identityRegistryStorage);
        _replaced.bits |= STORAGE_BIT;
        emit IdentityStorageSet(identityRegistryStorage);
    }

    /// @inheritdoc IIdentityRegistry
    function setClaimTopicsRegistry(address claimTopicsRegistry) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (claimTopicsRegistry == address(0)) revert ZeroAddress();
        _replacedTopics = IClaimTopicsRegistry(claimTopicsRegistry);
        _replaced.bits |= TOPICS_BIT;
        emit ClaimTopicsRegistrySet(claimTopicsRegistry);
    }

    /// @inheritdoc IIdentityRegistry
    function setTrustedIssuersRegistry(address trustedIssuersRegistry) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        if (trustedIssuersRegistry == address(0)) revert ZeroAddress();
        _replacedIssuers = ITrustedIssuersRegistry(trustedIssuersRegistry);
        _replaced.bits |= ISSUERS_BIT;
        emit TrustedIssuersRegistrySet(trustedIssuersRegistry);
    }

    /// @notice Sets the ZK compliance gate consulted for a required topic without a valid claim (owner or registry
    /// setter; zero
    /// address: no gate, claims only). No getter on purpose: one more external function would put isVerified one
    /// comparison deeper in the selector dispatch (+23 gas on every call). The current gate is the last
    /// ZkComplianceGateSet event, or storage slot 6 (src/chain/zk.ts getZkComplianceGate).
    function setZkComplianceGate(address gate) external onlyOwnerOrRole(Role.REGISTRY_SETTER) {
        _zkGate = IZkComplianceGate(gate);
        emit ZkComplianceGateSet(gate);
    }

    /// @inheritdoc IIdentityRegistry
    function contains(address userAddress) external view returns (bool) {
        return address(_identityStorage().storedIdentity(userAddress)) != address(0);
    }

    /// @inheritdoc IIdentityRegistry
    function isVerified(address userAddress) external view returns (bool) {
        IIdentity id = _identityStorage().storedIdentity(userAddress);
        if (address(id) == address(0)) return false;
        uint256[] memory required = _claimTopics().getClaimTopics();
        uint256 n = required.length;
        if (n == 0) return true;
        uint256[] memory records;
        if (address(id).codehash == identityCloneCodeHash && identityCloneCodeHash != bytes32(0)) {
            records = IMasqueClaims(address(id)).verificationRecords(required);
        }
        ITrustedIssuersRegistry issuers = _trustedIssuers();
        for (uint256 i = 0; i < n; ++i) {
            // Fast path: the record a trusted clone wrote after its issuer verified the claim, still current. Any
            // doubt (no record, stale epoch, expired, issuer not trusted for the topic) falls back to the full check
            // of every claim held for the topic.
            if (records.length != 0 && _recordHolds(id, records[i], required[i], issuers)) continue;
            if (!_hasValidClaim(id, required[i]) && !_gateVouches(userAddress, required[i])) return false;
        }
        return true;
    }

    /// @dev The ZK compliance gate, when set, holds a current mark of `wallet` for `topic`. A gate that reverts or
    /// answers garbage vouches for nobody.
    function _gateVouches(address wallet, uint256 topic) private view returns (bool) {
        IZkComplianceGate gate = _zkGate;
        if (address(gate) == address(0) || address(gate).code.length == 0) return false;
        try gate.isVerifiedFor(wallet, topic) returns (bool ok) {
            return ok;
        } catch {
            return false;
        }
    }

    /// @dev A verification record (issuer | expiresAt << 160 | (stamp + 1) << 200) holds when it is not expired, its
    /// issuer is trusted for the topic now, and the issuer's claimStamp(identity, topic) has not moved since it
    /// verified the claim (no revocation, no claim-signer key removed). What cannot change (signature, identity, topic, chain) was
    /// checked by the issuer when the claim was added.
    function _recordHolds(IIdentity id, uint256 record, uint256 topic, ITrustedIssuersRegistry issuers)
        private view returns (bool)
    {
        uint256 epoch = (record >> 200) & type(uint48).max;
        if (epoch == 0 || block.timestamp >= (record >> 160) & type(uint40).max) return false;
        address issuer = address(uint160(record));
        if (!issuers.hasClaimTopic(issuer, topic)) return false;
        (bool ok, bytes memory ret) =
            issuer.staticcall(abi.encodeCall(IMasqueClaims.claimStamp, (address(id), topic)));
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == epoch - 1;
    }

    /// @notice Whether `identity_` holds, for `topic`, a valid claim from an issuer trusted for that topic.
    function hasValidClaim(IIdentity identity_, uint256 topic) external view returns (bool) {
        return _hasValidClaim(identity_, topic);
    }

    /// @inheritdoc IIdentityRegistry
    function identity(address userAddress) external view returns (IIdentity) {
        return _identityStorage().storedIdentity(userAddress);
    }

    /// @inheritdoc IIdentityRegistry
    function investorCountry(address userAddress) external view returns (uint16) {
        return _identityStorage().storedInvestorCountry(userAddress);
    }

    /// @inheritdoc IIdentityRegistry
    function identityStorage() external view returns (IIdentityRegistryStorage) {
        return _identityStorage();
    }

    /// @inheritdoc IIdentityRegistry
    function issuersRegistry() external view returns (ITrustedIssuersRegistry) {
        return _trustedIssuers();
    }

    /// @inheritdoc IIdentityRegistry
    function topicsRegistry() external view returns (IClaimTopicsRegistry) {
        return _claimTopics();
    }

    /// @dev Whitelist managers register, update and delete investors.
    function _agentRoles() internal pure override returns (uint256) {
        return Role.WHITELIST_MANAGER;
    }

    /// @dev The owner may delegate the registry setters.
    function _ownerRoles() internal pure override returns (uint256) {
        return Role.REGISTRY_SETTER;
    }

    function _checkRegistries(ITrustedIssuersRegistry tir, IClaimTopicsRegistry ctr, IIdentityRegistryStorage irs)
        private pure
    {
        if (address(tir) == address(0) || address(ctr) == address(0) || address(irs) == address(0)) revert ZeroAddress();
    }

    function _identityStorage() private view returns (IIdentityRegistryStorage) {
        Replaced storage r = _replaced;
        return r.bits & STORAGE_BIT == 0 ? _initialStorage : r.identityStorage;
    }

    function _claimTopics() private view returns (IClaimTopicsRegistry) {
        return _replaced.bits & TOPICS_BIT == 0 ? _initialTopics : _replacedTopics;
    }

    function _trustedIssuers() private view returns (ITrustedIssuersRegistry) {
        return _replaced.bits & ISSUERS_BIT == 0 ? _initialIssuers : _replacedIssuers;
    }

    function _register(address userAddress, IIdentity identity_, uint16 country) private {
        _identityStorage().addIdentityToStorage(userAddress, identity_, country);
        emit IdentityRegistered(userAddress, identity_);
    }

    /// @dev A registered identity that reverts is treated as holding no valid claim for the topic, rather than
    /// making every transfer involving it revert with its error. Masque identities answer
    /// `getClaimsForVerification` (one call, no uri); any other ERC-735 identity is read through
    /// getClaimIdsByTopic + getClaim. Either way the claim only counts if its issuer is trusted for the topic and
    /// that same issuer calls it valid for this identity (the signature binds the identity and the topic).
    function _hasValidClaim(IIdentity id, uint256 topic) private view returns (bool) {
        // try/catch cannot catch the decoding failure of a call to an address without code; the account is touched
        // by the next call anyway, so this check costs ~100 gas.
        if (address(id).code.length == 0) return false;
        try IMasqueClaims(address(id)).getClaimsForVerification(topic) returns (
            address[] memory issuers, bytes[] memory sigs, bytes[] memory data
        ) {
            if (sigs.length != issuers.length || data.length != issuers.length) return false;
            for (uint256 j = 0; j < issuers.length; ++j) {
                if (_issuerVouches(id, topic, issuers[j], sigs[j], data[j])) return true;
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
                if (_issuerVouches(id, topic, issuer, sig, data)) return true;
            } catch {}
        }
        return false;
    }

    /// @dev `issuer` is trusted for `topic` and itself says the claim is valid (issue 101: never another address).
    function _issuerVouches(IIdentity id, uint256 topic, address issuer, bytes memory sig, bytes memory data)
        private view returns (bool)
    {
        if (!_trustedIssuers().hasClaimTopic(issuer, topic) || issuer.code.length == 0) return false;
        try IIdentity(issuer).isClaimValid(id, topic, sig, data) returns (bool valid) {
            return valid;
        } catch {
            return false;
        }
    }
}
