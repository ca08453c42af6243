// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AgentRole} from "../registry/AgentRole.sol";
import {IdentityFactory} from "../identity/IdentityFactory.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IIdentityRegistry} from "../interfaces/IIdentityRegistry.sol";

/**
 * @title InvestorOnboarding
 * @notice One agent call turns a wallet into a verified investor: deploys the wallet's identity through the
 * identity factory (CREATE2, so issuers can sign claims for the address before it exists), adds the signed
 * claims, registers the identity with its country in the identity registry, and checks the wallet is now
 * verified. Any failure reverts the whole onboarding.
 *
 * Setup: this contract must be an agent of the identity registry. Afterwards the identity's keys are the wallet's
 * management key and the registry's trusted issuers registry as a claim registry (issuers trusted there can push and
 * renew their claims later, with nothing asked of the investor): this contract is the identity's first manager just
 * long enough to add the claims, then removes its own key.
 */
contract InvestorOnboarding is AgentRole {
    /// @dev ERC-734 purpose of a wallet's management key.
    uint256 private constant MANAGEMENT = 1;
    uint256 private constant CLAIM_REGISTRY = 5;

    /// @notice A claim as the issuer signed it for the predicted identity address (ERC-735 `addClaim` arguments).
    struct SignedClaim {
        uint256 topic;
        uint256 scheme;
        address issuer;
        bytes signature;
        bytes data;
        string uri;
    }

    /// @notice The factory identities are deployed with.
    IdentityFactory public immutable factory;
    /// @notice The registry investors are registered in.
    IIdentityRegistry public immutable identityRegistry;

    /// @notice `wallet` was onboarded with `identity` holding `claimCount` claims.
    event InvestorOnboarded(address indexed wallet, address indexed identity, uint256 claimCount);

    /// @notice The wallet is not verified once its claims are in: a required topic is missing or invalid.
    error NotVerifiedAfterOnboarding();
    /// @notice Something other than this factory already occupies the predicted identity address.
    error IdentityAddressTaken(address identity);

    /**
     * @param initialOwner Appoints the agents allowed to onboard.
     * @param factory_ The identity factory.
     * @param identityRegistry_ The identity registry (this contract must become one of its agents).
     */
    constructor(address initialOwner, IdentityFactory factory_, IIdentityRegistry identityRegistry_)
        AgentRole(initialOwner)
    {
        if (address(factory_) == address(0) || address(identityRegistry_) == address(0)) revert ZeroAddress();
        factory = factory_;
        identityRegistry = identityRegistry_;
    }

    /**
     * @notice Deploys, fills and registers the identity of `wallet` (agent only).
     * @param wallet The investor's wallet; it becomes the identity's management key.
     * @param country ISO 3166-1 numeric country code stored in the registry.
     * @param salt Chooses among the wallet's possible identities (usually 0).
     * @param claims Claims signed for `predictIdentity(wallet, salt)`.
     * @return identity The new identity.
     */
    function onboard(address wallet, uint16 country, bytes32 salt, SignedClaim[] calldata claims)
        external
        onlyAgent
        returns (address identity)
    {
        if (wallet == address(0)) revert ZeroAddress();
        (bytes32[] memory keys, uint256[] memory purposes) = _walletKeys(wallet);
        identity = factory.predictIdentityWithKeys(address(this), salt, keys, purposes);
        if (identity.code.length == 0) {
            factory.createIdentityWithKeys(address(this), salt, keys, purposes);
        } else if (!factory.isFactoryIdentity(identity)) {
            // Unreachable with a sound factory; kept so a foreign contract is never treated as ours.
            revert IdentityAddressTaken(identity);
        }
        // A predicted identity someone else deployed first (the factory is permissionless) was initialised with the
        // same arguments, since the salt commits to them, so this contract still manages it and can go on.
        for (uint256 i; i < claims.length; ++i) {
            SignedClaim calldata c = claims[i];
            IIdentity(identity).addClaim(c.topic, c.scheme, c.issuer, c.signature, c.data, c.uri);
        }
        IIdentity(identity).removeKey(keccak256(abi.encode(address(this))), MANAGEMENT);
        identityRegistry.registerIdentity(wallet, IIdentity(identity), country);
        if (!identityRegistry.isVerified(wallet)) revert NotVerifiedAfterOnboarding();
        emit InvestorOnboarded(wallet, identity, claims.length);
    }

    /// @notice The identity address `onboard(wallet, _, salt, _)` deploys to: the subject issuers sign claims for.
    function predictIdentity(address wallet, bytes32 salt) external view returns (address) {
        (bytes32[] memory keys, uint256[] memory purposes) = _walletKeys(wallet);
        return factory.predictIdentityWithKeys(address(this), salt, keys, purposes);
    }

    /// @dev The wallet's management key, and the registry's trusted issuers registry as a claim registry
    /// (Identity.CLAIM_REGISTRY): issuers trusted later (or again) push and renew their claims with no key here.
    function _walletKeys(address wallet) private view returns (bytes32[] memory keys, uint256[] memory purposes) {
        keys = new bytes32[](2);
        purposes = new uint256[](2);
        keys[0] = keccak256(abi.encode(wallet));
        purposes[0] = MANAGEMENT;
        keys[1] = bytes32(uint256(uint160(address(identityRegistry.issuersRegistry()))));
        purposes[1] = CLAIM_REGISTRY;
    }
}
