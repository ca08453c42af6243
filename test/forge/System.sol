// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {vm} from "./base/Vm.sol";
import {Identity} from "../../contracts/identity/Identity.sol";
import {ClaimIssuer} from "../../contracts/identity/ClaimIssuer.sol";
import {IdentityFactory} from "../../contracts/identity/IdentityFactory.sol";
import {IdentityRegistry} from "../../contracts/registry/IdentityRegistry.sol";
import {RiskScoreRegistry} from "../../contracts/registry/RiskScoreRegistry.sol";
import {ITrustedIssuersRegistry} from "../../contracts/interfaces/ITrustedIssuersRegistry.sol";
import {IClaimTopicsRegistry} from "../../contracts/interfaces/IClaimTopicsRegistry.sol";
import {IIdentityRegistryStorage} from "../../contracts/interfaces/IIdentityRegistryStorage.sol";
import {ModularCompliance} from "../../contracts/compliance/ModularCompliance.sol";
import {PermissionedToken} from "../../contracts/token/PermissionedToken.sol";
import {CountryAllowModule} from "../../contracts/compliance/modules/CountryAllowModule.sol";
import {CountryRestrictModule} from "../../contracts/compliance/modules/CountryRestrictModule.sol";
import {MaxBalanceModule} from "../../contracts/compliance/modules/MaxBalanceModule.sol";
import {MaxRiskScoreModule} from "../../contracts/compliance/modules/MaxRiskScoreModule.sol";
import {IdentityStateRegistry} from "../../contracts/zk/IdentityStateRegistry.sol";
import {ZkQueryVerifier} from "../../contracts/zk/ZkQueryVerifier.sol";
import {ZkComplianceGate} from "../../contracts/zk/ZkComplianceGate.sol";
import {MasqueId} from "../../contracts/zk/MasqueId.sol";
import {IStateTransitionVerifier} from "../../contracts/interfaces/IZkVerifiers.sol";
import {CommitmentQueryVerifier} from "./doubles/CommitmentQueryVerifier.sol";
import {InvestorOnboarding} from "../../contracts/onboarding/InvestorOnboarding.sol";

/// @title The actors of the campaign and the identity side of the system under test
/// @notice Every actor is an EOA with a known private key (it can sign claims and executeSigned requests).
/// Identities 0-3 are IdentityFactory clones (IdentityRegistry's fast path: verification records in the claim index, the
/// Identity implementation, which the three issuers report to); identity 4 is a directly deployed Identity (not a clone:
/// always the full check), so both paths run side by side against one model.
contract Actors {
    uint256 public constant WALLETS = 8;
    uint256 public constant IDENTITIES = 5;
    uint256 public constant ISSUERS = 3;
    uint256 public constant SIGNERS = 6;
    uint256 public constant VERIFIERS = 3;
    /// @notice Topics the campaign uses: registered ones, one above the 256-bit trusted-issuer bitmap, one above the
    /// 16-bit packed list of ClaimTopicsRegistry (so every storage layout of the registries is exercised).
    uint256 public constant TOPICS = 5;

    uint256 internal constant OWNER_PK = 0xA0;
    uint256 internal constant AGENT_PK = 0xA1;
    uint256 internal constant STRANGER_PK = 0xA2;
    uint256 internal constant WALLET_PK = 0x1000;
    uint256 internal constant MANAGER_PK = 0x2000;
    uint256 internal constant SIGNER_PK = 0x3000;

    address public immutable owner = vm.addr(OWNER_PK);
    address public immutable agent = vm.addr(AGENT_PK);
    address public immutable stranger = vm.addr(STRANGER_PK);

    /// @dev Addresses derived once (vm.addr is an elliptic-curve multiplication: too slow for every invariant check).
    address[WALLETS] private _wallets;
    address[ISSUERS] private _managers;
    address[SIGNERS] private _signers;
    address[VERIFIERS] private _verifiers;
    mapping(address actor => uint256) private _pks;

    constructor() {
        for (uint256 i = 0; i < WALLETS; ++i) _wallets[i] = _actor(WALLET_PK + i, string.concat("wallet", vm.toString(i)));
        for (uint256 i = 0; i < ISSUERS; ++i) _managers[i] = _actor(MANAGER_PK + i, string.concat("manager", vm.toString(i)));
        for (uint256 i = 0; i < SIGNERS; ++i) _signers[i] = _actor(SIGNER_PK + i, string.concat("signer", vm.toString(i)));
        for (uint256 i = 0; i < VERIFIERS; ++i) _verifiers[i] = _actor(0x4000 + i, string.concat("verifier", vm.toString(i)));
        _actor(OWNER_PK, "owner");
        _actor(AGENT_PK, "agent");
        _actor(STRANGER_PK, "stranger");
    }

    function _actor(uint256 pk, string memory name) private returns (address a) {
        a = vm.addr(pk);
        _pks[a] = pk;
        vm.label(a, name);
    }

    function topic(uint256 i) public pure returns (uint256) {
        uint256[TOPICS] memory t = [uint256(1), 2, 3, 300, 70_000];
        return t[i % TOPICS];
    }

    function wallet(uint256 i) public view returns (address) {
        return _wallets[i % WALLETS];
    }

    function walletPk(uint256 i) public pure returns (uint256) {
        return WALLET_PK + (i % WALLETS);
    }

    function manager(uint256 i) public view returns (address) {
        return _managers[i % ISSUERS];
    }

    function signerPk(uint256 i) public pure returns (uint256) {
        return SIGNER_PK + (i % SIGNERS);
    }

    function signer(uint256 i) public view returns (address) {
        return _signers[i % SIGNERS];
    }

    function verifier(uint256 i) public view returns (address) {
        return _verifiers[i % VERIFIERS];
    }

    /// @notice Private key of an actor (0 when it has none: contracts).
    function pkOf(address a) public view returns (uint256) {
        return _pks[a];
    }
}

contract IdentitySystem is Actors {
    Identity public immutable identityImplementation;
    IdentityFactory public immutable factory;
    /// @notice The token's identity registry, also its storage, claim topics and trusted issuers registry (the default
    /// layout: see topicsRegistry / issuersRegistry).
    IdentityRegistry public immutable registry;
    RiskScoreRegistry public immutable riskRegistry;
    InvestorOnboarding public immutable onboarding;

    ClaimIssuer[ISSUERS] internal _issuers;
    Identity[IDENTITIES] internal _identities;

    constructor() {
        identityImplementation = new Identity(address(0));
        factory = new IdentityFactory(address(identityImplementation));
        for (uint256 i = 0; i < ISSUERS; ++i) {
            _issuers[i] = new ClaimIssuer(manager(i), new address[](0), address(identityImplementation));
            vm.label(address(_issuers[i]), string.concat("issuer", vm.toString(i)));
        }
        // Every identity gives the three issuer contracts a claim key, as the node does, so they can push claims.
        bytes32[] memory keys = new bytes32[](ISSUERS);
        uint256[] memory purposes = new uint256[](ISSUERS);
        for (uint256 i = 0; i < ISSUERS; ++i) {
            keys[i] = keccak256(abi.encode(address(_issuers[i])));
            purposes[i] = 3;
        }
        for (uint256 i = 0; i < IDENTITIES - 1; ++i) {
            _identities[i] = Identity(factory.createIdentityWithKeys(wallet(i), bytes32(0), keys, purposes));
        }
        Identity full = new Identity(wallet(IDENTITIES - 1));
        vm.startPrank(wallet(IDENTITIES - 1));
        for (uint256 i = 0; i < ISSUERS; ++i) full.addKey(keys[i], 3, 1);
        vm.stopPrank();
        _identities[IDENTITIES - 1] = full;
        for (uint256 i = 0; i < IDENTITIES; ++i) {
            vm.label(address(_identities[i]), string.concat("identity", vm.toString(i)));
        }

        registry = new IdentityRegistry(
            owner,
            ITrustedIssuersRegistry(address(0)),
            IClaimTopicsRegistry(address(0)),
            IIdentityRegistryStorage(address(0)),
            address(identityImplementation)
        );
        riskRegistry = new RiskScoreRegistry(owner, IIdentityRegistryStorage(address(registry)));
        onboarding = new InvestorOnboarding(owner, factory, registry);
        vm.startPrank(owner);
        registry.addAgent(address(onboarding));
        onboarding.addAgent(agent);
        registry.addAgent(agent);
        riskRegistry.addAgent(agent);
        vm.stopPrank();
    }

    /// @notice The claim topics registry: the identity registry itself.
    function topicsRegistry() public view returns (IdentityRegistry) {
        return registry;
    }

    /// @notice The trusted issuers registry: the identity registry itself.
    function issuersRegistry() public view returns (IdentityRegistry) {
        return registry;
    }

    function issuer(uint256 i) public view returns (ClaimIssuer) {
        return _issuers[i % ISSUERS];
    }

    function identity(uint256 i) public view returns (Identity) {
        return _identities[i % IDENTITIES];
    }

    /// @notice The identities and the issuers: every contract with ERC-734 keys.
    function keyHolder(uint256 i) public view returns (Identity) {
        i %= IDENTITIES + ISSUERS;
        return i < IDENTITIES ? _identities[i] : Identity(address(_issuers[i - IDENTITIES]));
    }

    /// @notice Candidates for keys and callers of key / claim operations: wallets, issuer managers, claim signers,
    /// issuer contracts, the stranger.
    function keyActor(uint256 i) public view returns (address) {
        i %= keyActors();
        if (i < WALLETS) return wallet(i);
        i -= WALLETS;
        if (i < ISSUERS) return manager(i);
        i -= ISSUERS;
        if (i < SIGNERS) return signer(i);
        i -= SIGNERS;
        if (i < ISSUERS) return address(_issuers[i]);
        return stranger;
    }

    function keyActors() public pure returns (uint256) {
        return WALLETS + ISSUERS + SIGNERS + ISSUERS + 1;
    }
}

/// @title The token side: an ERC-3643 token, its modular compliance and the four modules
contract TokenSystem {
    IdentitySystem public immutable ids;
    ModularCompliance public immutable compliance;
    PermissionedToken public immutable token;
    CountryAllowModule public immutable allowModule;
    CountryRestrictModule public immutable restrictModule;
    MaxBalanceModule public immutable maxBalanceModule;
    MaxRiskScoreModule public immutable riskModule;

    constructor(IdentitySystem ids_) {
        ids = ids_;
        address owner = ids_.owner();
        compliance = new ModularCompliance(owner);
        token = new PermissionedToken("Masque Fund", "MQF", 0, address(ids_.registry()), address(compliance), address(0), owner);
        allowModule = new CountryAllowModule();
        restrictModule = new CountryRestrictModule();
        maxBalanceModule = new MaxBalanceModule();
        riskModule = new MaxRiskScoreModule();
        vm.startPrank(owner);
        compliance.addModule(address(allowModule));
        compliance.addModule(address(restrictModule));
        compliance.addModule(address(maxBalanceModule));
        compliance.addModule(address(riskModule));
        token.addAgent(ids_.agent());
        // Recovery moves the registry entry: the token must be an agent of the identity registry.
        ids_.registry().addAgent(address(token));
        vm.stopPrank();
    }
}

/// @title The zero-knowledge side: state registry, query verifier (Groth16 check replaced by a test double, see
/// CommitmentQueryVerifier) and the compliance gate the identity registry consults
contract ZkSystem {
    uint256 public constant REQUESTS = 2;
    /// @notice The ZK issuer's genesis state; its ID is valid in the state registry without any publication.
    uint256 public constant ISSUER_STATE = 0x1234567890abcdef1234567890abcdef1234567890abcdef1234567890ab;

    IdentitySystem public immutable ids;
    IdentityStateRegistry public immutable stateRegistry;
    CommitmentQueryVerifier public immutable proofs;
    ZkQueryVerifier public immutable queryVerifier;
    ZkComplianceGate public immutable gate;
    uint256 public immutable issuerId;
    /// @notice Owner of the requests (their verifierId).
    address public immutable requestOwner = vm.addr(0x5000);
    uint256[REQUESTS] internal _requests;

    constructor(IdentitySystem ids_) {
        ids = ids_;
        stateRegistry = new IdentityStateRegistry(IStateTransitionVerifier(address(0)));
        proofs = new CommitmentQueryVerifier();
        queryVerifier = new ZkQueryVerifier(stateRegistry, proofs, proofs);
        issuerId = MasqueId.fromGenesisState(ISSUER_STATE, 0);
        uint256[] memory issuers = new uint256[](1);
        issuers[0] = issuerId;
        uint256[] memory values = new uint256[](1);
        vm.startPrank(requestOwner);
        for (uint256 i = 0; i < REQUESTS; ++i) {
            values[0] = 840 + i;
            _requests[i] = queryVerifier.createRequest(ZkQueryVerifier.RequestParams({
                schema: 0xabc + i, slotIndex: 2, operator: 1, values: values, trustedIssuers: issuers,
                issuerStateMaxAge: 0, maxProofAge: 1 days
            }));
        }
        vm.stopPrank();
        gate = new ZkComplianceGate(ids_.owner(), queryVerifier);
        vm.startPrank(ids_.owner());
        gate.addAgent(ids_.agent());
        ids_.registry().setZkComplianceGate(address(gate));
        vm.stopPrank();
    }

    function requestId(uint256 i) public view returns (uint256) {
        return _requests[i % REQUESTS];
    }

    /// @notice The 28 public signals of a well-formed answer to request `i` (nullifier, timestamp, challenge given);
    /// the commitment is derived from the nullifier (one per holder and request, like a fresh salt would be).
    function signals(uint256 i, uint256 nullifier, uint256 timestamp, address sender)
        public view returns (uint256[28] memory s)
    {
        s[0] = nullifier;
        s[2] = uint256(keccak256(abi.encode("commitment", nullifier))) >> 8;
        s[3] = issuerId;
        s[4] = ISSUER_STATE;
        s[5] = 0xabc + (i % REQUESTS);
        s[6] = 2;
        s[7] = 1;
        for (uint256 j = 8; j < 24; ++j) s[j] = 840 + (i % REQUESTS);
        s[24] = timestamp;
        s[25] = uint160(requestOwner);
        s[26] = requestId(i);
        s[27] = uint160(sender);
    }

    /// @notice A holder-auth proof bound to the answer `s` (same commitment and challenge) at the current GIST root.
    function auth(uint256[28] memory s) public view returns (ZkQueryVerifier.Proof memory p, uint256[3] memory t) {
        t = [s[2], stateRegistry.gistRoot(), s[27]];
        p.a[0] = proofs.authProofFor(t);
    }
}
