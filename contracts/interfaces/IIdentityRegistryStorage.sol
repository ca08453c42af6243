// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentity} from "./IIdentity.sol";

/// @title Wallet -> (identity, country) storage shared by identity registries (IERC3643 names)
interface IIdentityRegistryStorage {
    event IdentityStored(address indexed investorAddress, IIdentity indexed identity);
    event IdentityUnstored(address indexed investorAddress, IIdentity indexed identity);
    event IdentityModified(IIdentity indexed oldIdentity, IIdentity indexed newIdentity);
    event CountryModified(address indexed investorAddress, uint16 indexed country);
    event IdentityRegistryBound(address indexed identityRegistry);
    event IdentityRegistryUnbound(address indexed identityRegistry);

    /// @notice Stores a wallet's identity and country (bound identity registry or agent).
    function addIdentityToStorage(address userAddress, IIdentity identity, uint16 country) external;

    /// @notice Deletes a wallet's entry (bound identity registry or agent).
    function removeIdentityFromStorage(address userAddress) external;

    /// @notice Changes a wallet's country (bound identity registry or agent).
    function modifyStoredInvestorCountry(address userAddress, uint16 country) external;

    /// @notice Changes a wallet's identity (bound identity registry or agent).
    function modifyStoredIdentity(address userAddress, IIdentity identity) external;

    /// @notice Lets an identity registry write (owner only).
    function bindIdentityRegistry(address identityRegistry) external;

    /// @notice Revokes an identity registry's write access (owner only).
    function unbindIdentityRegistry(address identityRegistry) external;

    /// @notice The identity registries bound to this storage.
    function linkedIdentityRegistries() external view returns (address[] memory);

    /// @notice The identity of a wallet (zero when none).
    function storedIdentity(address userAddress) external view returns (IIdentity);

    /// @notice The ISO 3166-1 numeric country code of a wallet (zero when none).
    function storedInvestorCountry(address userAddress) external view returns (uint16);
}
