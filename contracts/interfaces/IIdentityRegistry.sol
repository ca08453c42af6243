// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentity} from "./IIdentity.sol";
import {IIdentityRegistryStorage} from "./IIdentityRegistryStorage.sol";
import {IClaimTopicsRegistry} from "./IClaimTopicsRegistry.sol";
import {ITrustedIssuersRegistry} from "./ITrustedIssuersRegistry.sol";

/// @title Identity registry of a token (IERC3643 names)
interface IIdentityRegistry {
    event ClaimTopicsRegistrySet(address indexed claimTopicsRegistry);
    event IdentityStorageSet(address indexed identityStorage);
    event TrustedIssuersRegistrySet(address indexed trustedIssuersRegistry);
    event IdentityRegistered(address indexed investorAddress, IIdentity indexed identity);
    event IdentityRemoved(address indexed investorAddress, IIdentity indexed identity);
    event IdentityUpdated(IIdentity indexed oldIdentity, IIdentity indexed newIdentity);
    event CountryUpdated(address indexed investorAddress, uint16 indexed country);

    /// @notice Registers a wallet's identity and country (agent only).
    function registerIdentity(address userAddress, IIdentity identity, uint16 country) external;

    /// @notice Removes a wallet (agent only).
    function deleteIdentity(address userAddress) external;

    /// @notice Sets the identity storage (owner only).
    function setIdentityRegistryStorage(address identityRegistryStorage) external;

    /// @notice Sets the claim topics registry (owner only).
    function setClaimTopicsRegistry(address claimTopicsRegistry) external;

    /// @notice Sets the trusted issuers registry (owner only).
    function setTrustedIssuersRegistry(address trustedIssuersRegistry) external;

    /// @notice Changes a wallet's country (agent only).
    function updateCountry(address userAddress, uint16 country) external;

    /// @notice Changes a wallet's identity (agent only).
    function updateIdentity(address userAddress, IIdentity identity) external;

    /// @notice Registers several wallets (agent only).
    function batchRegisterIdentity(
        address[] calldata userAddresses, IIdentity[] calldata identities, uint16[] calldata countries
    ) external;

    /// @notice Whether the wallet is registered.
    function contains(address userAddress) external view returns (bool);

    /// @notice Whether every required topic has a claim from an issuer trusted for that topic with a valid,
    /// unrevoked, unexpired signature.
    function isVerified(address userAddress) external view returns (bool);

    /// @notice The wallet's identity (zero when none).
    function identity(address userAddress) external view returns (IIdentity);

    /// @notice The wallet's ISO 3166-1 numeric country code.
    function investorCountry(address userAddress) external view returns (uint16);

    /// @notice The identity storage.
    function identityStorage() external view returns (IIdentityRegistryStorage);

    /// @notice The trusted issuers registry.
    function issuersRegistry() external view returns (ITrustedIssuersRegistry);

    /// @notice The claim topics registry.
    function topicsRegistry() external view returns (IClaimTopicsRegistry);
}
