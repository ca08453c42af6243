// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ComplianceModuleBase} from "./ComplianceModuleBase.sol";
import {IComplianceModule} from "../../token/IERC3643.sol";
import {TransferRefusal, IRefusalCode} from "../../token/TransferRefusal.sol";

/**
 * @title CountryAllowModule
 * @notice Only receivers whose registered country is on the compliance's allow list may receive tokens
 * (transfers and mints). Senders are not checked, so holders from a country that leaves the list can still exit.
 * Function and event names follow T-REX's module of the same name.
 */
contract CountryAllowModule is ComplianceModuleBase {
    mapping(address compliance => mapping(uint16 country => bool)) private _allowed;

    /// @notice `country` (ISO 3166-1 numeric) was added to the allow list of `compliance`.
    event CountryAllowed(address indexed compliance, uint16 country);
    /// @notice `country` was removed from the allow list of `compliance`.
    event CountryUnallowed(address indexed compliance, uint16 country);

    /// @notice `country` is on the list already.
    error CountryAlreadyAllowed(uint16 country);
    /// @notice `country` is not on the list.
    error CountryNotAllowedYet(uint16 country);

    /// @notice Adds `country` to the caller compliance's allow list.
    function addAllowedCountry(uint16 country) public onlyBoundCompliance {
        if (_allowed[msg.sender][country]) revert CountryAlreadyAllowed(country);
        _allowed[msg.sender][country] = true;
        emit CountryAllowed(msg.sender, country);
    }

    /// @notice Removes `country` from the caller compliance's allow list.
    function removeAllowedCountry(uint16 country) public onlyBoundCompliance {
        if (!_allowed[msg.sender][country]) revert CountryNotAllowedYet(country);
        _allowed[msg.sender][country] = false;
        emit CountryUnallowed(msg.sender, country);
    }

    /// @notice Adds every country of `countries`.
    function batchAllowCountries(uint16[] calldata countries) external {
        for (uint256 i; i < countries.length; ++i) {
            addAllowedCountry(countries[i]);
        }
    }

    /// @notice Removes every country of `countries`.
    function batchDisallowCountries(uint16[] calldata countries) external {
        for (uint256 i; i < countries.length; ++i) {
            removeAllowedCountry(countries[i]);
        }
    }

    /// @notice Whether `country` is on the allow list of `compliance`.
    function isCountryAllowed(address compliance, uint16 country) external view returns (bool) {
        return _allowed[compliance][country];
    }

    /// @inheritdoc IComplianceModule
    function moduleCheck(address, address to, uint256, address compliance) external view returns (bool) {
        return _allowed[compliance][_registry(compliance).investorCountry(to)];
    }

    /// @inheritdoc IRefusalCode
    function refusalCode() external pure returns (uint8) {
        return TransferRefusal.COUNTRY_NOT_ALLOWED;
    }

    /// @inheritdoc IComplianceModule
    function name() external pure returns (string memory) {
        return "CountryAllowModule";
    }
}
