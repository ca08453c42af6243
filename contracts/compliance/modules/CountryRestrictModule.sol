// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";

/**
 * @title CountryRestrictModule
 * @notice Receivers whose registered country is on the compliance's restrict list may not receive tokens
 * (transfers and mints). Function and event names follow T-REX's module of the same name.
 */
contract CountryRestrictModule is ComplianceModuleBase {
    mapping(address compliance => mapping(uint16 country => bool)) private _restricted;

    /// @notice `country` (ISO 3166-1 numeric) was added to the restrict list of `compliance`.
    event AddedRestrictedCountry(address indexed compliance, uint16 country);
    /// @notice `country` was removed from the restrict list of `compliance`.
    event RemovedRestrictedCountry(address indexed compliance, uint16 country);

    /// @notice `country` is on the list already.
    error CountryAlreadyRestricted(uint16 country);
    /// @notice `country` is not on the list.
    error CountryNotRestricted(uint16 country);

    /// @notice Adds `country` to the caller compliance's restrict list.
    function addCountryRestriction(uint16 country) public onlyBoundCompliance {
        if (_restricted[msg.sender][country]) revert CountryAlreadyRestricted(country);
        _restricted[msg.sender][country] = true;
        emit AddedRestrictedCountry(msg.sender, country);
    }

    /// @notice Removes `country` from the caller compliance's restrict list.
    function removeCountryRestriction(uint16 country) public onlyBoundCompliance {
        if (!_restricted[msg.sender][country]) revert CountryNotRestricted(country);
        _restricted[msg.sender][country] = false;
        emit RemovedRestrictedCountry(msg.sender, country);
    }

    /// @notice Restricts every country of `countries`.
    function batchRestrictCountries(uint16[] calldata countries) external {
        for (uint256 i; i < countries.length; ++i) {
            addCountryRestriction(countries[i]);
        }
    }

    /// @notice Lifts the restriction of every country of `countries`.
    function batchUnrestrictCountries(uint16[] calldata countries) external {
        for (uint256 i; i < countries.length; ++i) {
            removeCountryRestriction(countries[i]);
        }
    }

    /// @notice Whether `country` is on the restrict list of `compliance`.
    function isCountryRestricted(address compliance, uint16 country) external view returns (bool) {
        return _restricted[compliance][country];
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address, address to, uint256, address compliance) external view returns (bool) {
        return !_restricted[compliance][_registry(compliance).investorCountry(to)];
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.COUNTRY_RESTRICTED;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "CountryRestrictModule";
    }
}
