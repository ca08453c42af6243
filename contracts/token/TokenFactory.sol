// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {PermissionedToken} from "./PermissionedToken.sol";
import {ModularCompliance} from "../compliance/ModularCompliance.sol";
import {IdentityRegistry} from "../registry/IdentityRegistry.sol";
import {SignedCalls} from "../roles/SignedCalls.sol";
import {IdentityFactory} from "../identity/IdentityFactory.sol";
import {ClaimData} from "../identity/ClaimData.sol";
import {IClaimIssuer} from "../interfaces/IClaimIssuer.sol";
import {IIdentityRegistryStorage} from "../interfaces/IIdentityRegistryStorage.sol";
import {Role} from "../roles/Role.sol";

/**
 * @title TokenFactory
 * @notice Deploys a token issuer's whole ERC-3643 suite in one transaction: the token, its identity registry (which
 * is also its claim topics registry, trusted issuers registry and, unless the suite shares another one, its identity
 * registry storage: see IdentityRegistry), and its modular compliance with the modules it picks and their settings;
 * optionally the token's own identity (ONCHAINID).
 * The issuer's wallet (`owner`) owns every contract and its agents get their roles; the caller (a relayer paying
 * gas) and this factory hold nothing afterwards.
 *
 * Permission: the owner calls directly, or signs an EIP-712 `DeploySuite(address owner,bytes32 salt,bytes32 params,
 * uint256 deadline)` (domain "Masque Token Factory", version "1"; `params` = keccak256(abi.encode(SuiteParams))) that
 * anyone submits. Nobody can create a suite in an issuer's name, nor occupy its addresses: they are CREATE2 clones
 * salted by (owner, salt), so `predictSuite` knows them in advance (the storage owner signs the binding of the
 * predicted registry, the issuer's UI shows the token address before it exists).
 *
 * @dev Every contract is an ERC-1167 clone of a template (OpenZeppelin Clones), initialised in the same transaction:
 * a suite costs about a quarter of T-REX's `deployTREXSuite` (bench/gas.ts), at the price of one delegatecall per
 * contract on every call (a cold one, 2,600 gas, per contract and transaction); contracts/README.md has the trade-off.
 */
contract TokenFactory is EIP712 {
    /// @notice The templates every suite is cloned from, and the factory of token identities.
    struct Templates {
        address token;
        address identityRegistry;
        address compliance;
        address identityFactory;
    }

    /// @notice A compliance module to bind and the calls that configure it (e.g. `batchAllowCountries([250])`).
    struct Module {
        address module;
        bytes[] settings;
    }

    /// @notice A trusted claim issuer and the topics it is trusted for.
    struct Issuer {
        address issuer;
        uint256[] topics;
    }

    /// @notice An account and the role bits ({Role}) it gets, across the suite's contracts.
    struct Agent {
        address account;
        uint256 roles;
    }

    /// @notice Everything a suite is made of.
    struct SuiteParams {
        address owner;
        bytes32 salt;
        string name;
        string symbol;
        uint8 decimals;
        /// The token's identity; ignored when `createOnchainID`.
        address onchainID;
        /// Deploy the token's identity through the identity factory, managed by `owner`.
        bool createOnchainID;
        /// 0: a new storage owned by `owner`; else a shared one, whose owner signs the binding (`bind`).
        address identityRegistryStorage;
        uint256[] claimTopics;
        Issuer[] issuers;
        Module[] modules;
        Agent[] agents;
    }

    /// @notice The owner's signature of the suite, when someone else submits it.
    struct Authorization {
        uint256 deadline;
        bytes signature;
    }

    /// @notice A shared storage owner's signed call `bindIdentityRegistry(predicted identity registry)`
    /// (`SignedCalls.executeSigned` on the storage); empty when the suite gets its own storage.
    struct StorageBinding {
        uint256 nonce;
        uint256 deadline;
        bytes signature;
    }

    /// @notice The contracts of one suite (the storage, topics and issuers registries are the identity registry, except
    /// a shared storage).
    struct Suite {
        address token;
        address identityRegistry;
        address identityRegistryStorage;
        address claimTopicsRegistry;
        address trustedIssuersRegistry;
        address compliance;
        address onchainID;
    }

    /// @notice EIP-712 type the owner signs to let anyone deploy its suite.
    bytes32 public constant DEPLOY_SUITE_TYPEHASH =
        keccak256("DeploySuite(address owner,bytes32 salt,bytes32 params,uint256 deadline)");

    uint256 private constant TOKEN_ROLES =
        Role.SUPPLY_MODIFIER | Role.FREEZER | Role.TRANSFER_MANAGER | Role.RECOVERY_AGENT | Role.TOKEN_INFO_SETTER;
    uint256 private constant REGISTRY_ROLES =
        Role.WHITELIST_MANAGER | Role.REGISTRY_SETTER | Role.ISSUERS_SETTER | Role.CLAIM_TOPICS_SETTER;
    uint256 private constant COMPLIANCE_ROLES = Role.COMPLIANCE_AGENT | Role.COMPLIANCE_SETTER;
    uint256 private constant SUITE_ROLES = TOKEN_ROLES | REGISTRY_ROLES | COMPLIANCE_ROLES;

    address private immutable _token;
    address private immutable _identityRegistry;
    address private immutable _compliance;
    IdentityFactory private immutable _identityFactory;

    /// @notice `owner`'s suite `salt` was deployed.
    event SuiteDeployed(
        address indexed owner,
        bytes32 indexed salt,
        address indexed token,
        address identityRegistry,
        address identityRegistryStorage,
        address claimTopicsRegistry,
        address trustedIssuersRegistry,
        address compliance,
        address onchainID
    );

    /// @notice A template or the identity factory is the zero address.
    error ZeroAddress();
    /// @notice The identity registry template does not read the claim index of the identity factory's clones.
    error IdentityImplementationMismatch();
    /// @notice The owner's authorization expired (`deadline`, a block timestamp).
    error AuthorizationExpired(uint256 deadline);
    /// @notice The authorization is not the owner's signature of these params (`signer`: who signed, 0 if nobody).
    error UnauthorizedDeployment(address signer);
    /// @notice `owner` already deployed a suite with this salt (its token is `token`).
    error SuiteAlreadyDeployed(address token);
    /// @notice `account` is given roles that are not suite roles (`roles`: the unknown bits).
    error UnknownRoles(address account, uint256 roles);
    /// @notice A shared storage needs its owner's signed binding of the new identity registry.
    error StorageBindingMissing();

    /// @param t Contracts constructed with owner 0 (clone templates), and the IdentityFactory.
    constructor(Templates memory t) EIP712("Masque Token Factory", "1") {
        if (
            t.token == address(0) || t.identityRegistry == address(0) || t.compliance == address(0)
                || t.identityFactory == address(0)
        ) revert ZeroAddress();
        // Suites' registries take the fast isVerified path with the records of this factory's clones.
        if (
            address(IdentityRegistry(t.identityRegistry).claimIndex())
                != IdentityFactory(t.identityFactory).implementation()
        ) revert IdentityImplementationMismatch();
        _token = t.token;
        _identityRegistry = t.identityRegistry;
        _compliance = t.compliance;
        _identityFactory = IdentityFactory(t.identityFactory);
    }

    /**
     * @notice Deploys and wires the suite `p` in this transaction (see the contract's notice for who may).
     * @param auth The owner's signature; ignored when the owner is the caller.
     * @param bind The shared storage owner's signed binding; ignored when the suite gets its own storage.
     * @return s The suite's contracts (the same as `predictSuite(p.owner, p.salt, ...)`).
     */
    function deploySuite(SuiteParams calldata p, Authorization calldata auth, StorageBinding calldata bind)
        external
        returns (Suite memory s)
    {
        if (msg.sender != p.owner) _checkAuthorization(p, auth);
        s = _predict(p.owner, p.salt, p.identityRegistryStorage == address(0), p.createOnchainID);
        if (s.token.code.length != 0) revert SuiteAlreadyDeployed(s.token);
        for (uint256 i; i < p.agents.length; ++i) {
            uint256 unknown = p.agents[i].roles & ~SUITE_ROLES;
            if (unknown != 0 || p.agents[i].roles == 0) revert UnknownRoles(p.agents[i].account, unknown);
        }
        _clone(p.owner, p.salt);
        if (p.identityRegistryStorage != address(0)) s.identityRegistryStorage = p.identityRegistryStorage;
        _initRegistry(p, s);
        _initCompliance(p, s);
        if (p.createOnchainID) {
            _createTokenIdentity(p.owner, s);
        } else {
            s.onchainID = p.onchainID;
        }
        _initToken(p, s);
        if (p.identityRegistryStorage != address(0)) {
            if (bind.signature.length == 0) revert StorageBindingMissing();
            SignedCalls(p.identityRegistryStorage).executeSigned(
                abi.encodeCall(IIdentityRegistryStorage.bindIdentityRegistry, (s.identityRegistry)),
                bind.nonce,
                bind.deadline,
                bind.signature
            );
        }
        emit SuiteDeployed(
            p.owner, p.salt, s.token, s.identityRegistry, s.identityRegistryStorage, s.claimTopicsRegistry,
            s.trustedIssuersRegistry, s.compliance, s.onchainID
        );
    }

    /**
     * @notice The addresses `deploySuite` gives `owner`'s suite `salt`.
     * @param ownStorage Whether the suite's registry is its own storage (else `identityRegistryStorage` is 0 here).
     * @param createOnchainID Whether the token's identity is deployed with it (else `onchainID` is 0 here).
     */
    function predictSuite(address owner, bytes32 salt, bool ownStorage, bool createOnchainID)
        external
        view
        returns (Suite memory)
    {
        return _predict(owner, salt, ownStorage, createOnchainID);
    }

    /// @notice The EIP-712 digest the owner signs to authorize `deploySuite(p, ...)` until `deadline`.
    function suiteDigest(SuiteParams calldata p, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(abi.encode(DEPLOY_SUITE_TYPEHASH, p.owner, p.salt, keccak256(abi.encode(p)), deadline))
        );
    }

    /// @notice The templates and identity factory this factory clones from.
    function templates() external view returns (Templates memory) {
        return Templates(_token, _identityRegistry, _compliance, address(_identityFactory));
    }

    // ---------------------------------------------------------------- steps

    function _checkAuthorization(SuiteParams calldata p, Authorization calldata auth) private view {
        if (block.timestamp > auth.deadline) revert AuthorizationExpired(auth.deadline);
        address signer = ClaimData.strictRecover(suiteDigest(p, auth.deadline), auth.signature);
        if (signer != p.owner || signer == address(0)) revert UnauthorizedDeployment(signer);
    }

    function _clone(address owner, bytes32 salt) private {
        Clones.cloneDeterministic(_token, _salt(owner, salt, 0));
        Clones.cloneDeterministic(_identityRegistry, _salt(owner, salt, 1));
        Clones.cloneDeterministic(_compliance, _salt(owner, salt, 5));
    }

    /// @dev The identity registry with its topics and issuers (and its own storage or the shared one); the token is a
    /// whitelist manager of its registry, which recovery needs (it moves the lost wallet's entry).
    function _initRegistry(SuiteParams calldata p, Suite memory s) private {
        IClaimIssuer[] memory issuers = new IClaimIssuer[](p.issuers.length);
        uint256[][] memory topics = new uint256[][](p.issuers.length);
        for (uint256 i; i < issuers.length; ++i) {
            issuers[i] = IClaimIssuer(p.issuers[i].issuer);
            topics[i] = p.issuers[i].topics;
        }
        (address[] memory accounts, uint256[] memory roles) = _rolesFor(p.agents, REGISTRY_ROLES, s.token, Role.WHITELIST_MANAGER);
        IdentityRegistry(s.identityRegistry).initialize(
            p.owner, IIdentityRegistryStorage(p.identityRegistryStorage), p.claimTopics, issuers, topics, accounts, roles
        );
    }

    function _initCompliance(SuiteParams calldata p, Suite memory s) private {
        address[] memory modules = new address[](p.modules.length);
        bytes[][] memory settings = new bytes[][](p.modules.length);
        for (uint256 i; i < modules.length; ++i) {
            modules[i] = p.modules[i].module;
            settings[i] = p.modules[i].settings;
        }
        (address[] memory accounts, uint256[] memory roles) = _rolesFor(p.agents, COMPLIANCE_ROLES, address(0), 0);
        ModularCompliance(s.compliance).initialize(p.owner, s.token, modules, settings, accounts, roles);
    }

    function _initToken(SuiteParams calldata p, Suite memory s) private {
        (address[] memory accounts, uint256[] memory roles) = _rolesFor(p.agents, TOKEN_ROLES, address(0), 0);
        PermissionedToken(s.token).initialize(
            p.owner,
            PermissionedToken.TokenInfo(p.name, p.symbol, p.decimals, s.identityRegistry, s.compliance, s.onchainID),
            accounts,
            roles
        );
    }

    /// @dev The identity factory is permissionless and its salt commits to the arguments, so an identity someone
    /// else deployed first at the predicted address is the same one (managed by `owner`): reuse it.
    function _createTokenIdentity(address owner, Suite memory s) private {
        bytes32 idSalt = bytes32(uint256(uint160(s.token)));
        if (s.onchainID.code.length == 0) _identityFactory.createIdentity(owner, idSalt);
    }

    // ---------------------------------------------------------------- helpers

    function _predict(address owner, bytes32 salt, bool ownStorage, bool createOnchainID)
        private
        view
        returns (Suite memory s)
    {
        s.token = Clones.predictDeterministicAddress(_token, _salt(owner, salt, 0));
        s.identityRegistry = Clones.predictDeterministicAddress(_identityRegistry, _salt(owner, salt, 1));
        if (ownStorage) s.identityRegistryStorage = s.identityRegistry;
        s.claimTopicsRegistry = s.identityRegistry;
        s.trustedIssuersRegistry = s.identityRegistry;
        s.compliance = Clones.predictDeterministicAddress(_compliance, _salt(owner, salt, 5));
        if (createOnchainID) s.onchainID = _identityFactory.predictIdentity(owner, bytes32(uint256(uint160(s.token))));
    }

    function _salt(address owner, bytes32 salt, uint256 kind) private pure returns (bytes32) {
        return keccak256(abi.encode(owner, salt, kind));
    }

    /// @dev The agents holding roles of `mask`, with those roles only, plus `extra` with `extraRoles` (if nonzero).
    function _rolesFor(Agent[] calldata agents, uint256 mask, address extra, uint256 extraRoles)
        private
        pure
        returns (address[] memory accounts, uint256[] memory roles)
    {
        uint256 n = extra == address(0) ? 0 : 1;
        for (uint256 i; i < agents.length; ++i) {
            if (agents[i].roles & mask != 0) ++n;
        }
        accounts = new address[](n);
        roles = new uint256[](n);
        uint256 k;
        if (extra != address(0)) {
            accounts[0] = extra;
            roles[0] = extraRoles;
            k = 1;
        }
        for (uint256 i; i < agents.length; ++i) {
            uint256 r = agents[i].roles & mask;
            if (r == 0) continue;
            accounts[k] = agents[i].account;
            roles[k++] = r;
        }
    }
}
