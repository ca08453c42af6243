// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {RoleControl} from "../roles/RoleControl.sol";
import {IIdentityRegistryStorage} from "../interfaces/IIdentityRegistryStorage.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";

/// @title Wallet -> (identity, country), shareable by several tokens' identity registries (shared by
/// IdentityRegistryStorage and IdentityRegistry, which is its own storage by default)
/// @notice Writers: bound identity registries and agents (the inheritor's agent roles: {Role.WHITELIST_MANAGER}).
/// Identity and country share one slot. Binding a registry is the owner's alone: every agent of a bound registry can
/// rewrite any entry, so only registries of the same issuer should share a storage. The owner may bind by a signed
/// call relayed by anyone (TokenFactory binds a new suite's registry in its deploying transaction with such a
/// signature).
abstract contract IdentityStorageBase is IIdentityRegistryStorage, RoleControl {
    /// @notice Most identity registries that can share this storage.
    uint256 public constant MAX_BOUND_REGISTRIES = 300;

    struct Entry {
        IIdentity identity;
        uint16 country;
    }

    error NotAuthorized();
    error WalletAlreadyStored();
    error WalletNotStored();
    error RegistryAlreadyBound();
    error RegistryNotBound();
    error TooManyRegistries();

    mapping(address wallet => Entry) internal _entries;
    address[] private _registries;
    mapping(address registry => uint256) private _registryPosition;

    modifier onlyWriter() {
        address sender = _msgSender();
        if (_registryPosition[sender] == 0 && !isAgent(sender)) revert NotAuthorized();
        _;
    }

    /// @inheritdoc IIdentityRegistryStorage
    function addIdentityToStorage(address userAddress, IIdentity identity_, uint16 country) external onlyWriter {
        _storeEntry(userAddress, identity_, country);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function removeIdentityFromStorage(address userAddress) external onlyWriter {
        _removeEntry(userAddress);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function modifyStoredInvestorCountry(address userAddress, uint16 country) external onlyWriter {
        _setEntryCountry(userAddress, country);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function modifyStoredIdentity(address userAddress, IIdentity identity_) external onlyWriter {
        _setEntryIdentity(userAddress, identity_);
    }

    function _storeEntry(address userAddress, IIdentity identity_, uint16 country) internal {
        if (userAddress == address(0) || address(identity_) == address(0)) revert ZeroAddress();
        if (address(_entries[userAddress].identity) != address(0)) revert WalletAlreadyStored();
        _entries[userAddress] = Entry(identity_, country);
        emit IdentityStored(userAddress, identity_);
        emit CountryModified(userAddress, country);
    }

    /// @return old The identity the wallet had.
    function _removeEntry(address userAddress) internal returns (IIdentity old) {
        old = _entries[userAddress].identity;
        if (address(old) == address(0)) revert WalletNotStored();
        delete _entries[userAddress];
        emit IdentityUnstored(userAddress, old);
    }

    function _setEntryCountry(address userAddress, uint16 country) internal {
        Entry storage e = _entries[userAddress];
        if (address(e.identity) == address(0)) revert WalletNotStored();
        e.country = country;
        emit CountryModified(userAddress, country);
    }

    /// @return old The identity the wallet had.
    function _setEntryIdentity(address userAddress, IIdentity identity_) internal returns (IIdentity old) {
        Entry storage e = _entries[userAddress];
        old = e.identity;
        if (address(old) == address(0)) revert WalletNotStored();
        if (address(identity_) == address(0)) revert ZeroAddress();
        e.identity = identity_;
        emit IdentityModified(old, identity_);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function bindIdentityRegistry(address identityRegistry) external onlyOwner {
        _bind(identityRegistry);
    }

    function _bind(address identityRegistry) internal {
        if (identityRegistry == address(0)) revert ZeroAddress();
        if (_registryPosition[identityRegistry] != 0) revert RegistryAlreadyBound();
        if (_registries.length >= MAX_BOUND_REGISTRIES) revert TooManyRegistries();
        _registries.push(identityRegistry);
        _registryPosition[identityRegistry] = _registries.length;
        emit IdentityRegistryBound(identityRegistry);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function unbindIdentityRegistry(address identityRegistry) external onlyOwner {
        uint256 pos = _registryPosition[identityRegistry];
        if (pos == 0) revert RegistryNotBound();
        address last = _registries[_registries.length - 1];
        _registries[pos - 1] = last;
        _registryPosition[last] = pos;
        _registries.pop();
        delete _registryPosition[identityRegistry];
        emit IdentityRegistryUnbound(identityRegistry);
    }

    /// @inheritdoc IIdentityRegistryStorage
    function linkedIdentityRegistries() external view returns (address[] memory) {
        return _registries;
    }

    /// @inheritdoc IIdentityRegistryStorage
    function storedIdentity(address userAddress) external view returns (IIdentity) {
        return _entries[userAddress].identity;
    }

    /// @inheritdoc IIdentityRegistryStorage
    function storedInvestorCountry(address userAddress) external view returns (uint16) {
        return _entries[userAddress].country;
    }
}
