// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Identity} from "./Identity.sol";

/// @title Deploys identities as ERC-1167 clones at CREATE2 addresses known from the wallet in advance
/// @notice Permissionless: the CREATE2 salt commits to the wallet, the caller's salt and the initial keys, and the
/// clone is initialised in the same transaction, so whoever pays for the deployment gets the same identity, managed
/// by `wallet`. A clone costs about a tenth of a full Identity deployment.
/// @dev Upgrade path: clones are immutable (no admin can change a subject's code, which is what a self-sovereign
/// identity wants). A new Identity version ships as a new implementation + factory; a subject moves by deploying a
/// new identity, asking issuers to re-issue (or renew) claims there, and an agent calls
/// `IdentityRegistry.updateIdentity(wallet, newIdentity)`. Predicted addresses depend on the implementation, so
/// they are stable for the life of one factory.
contract IdentityFactory {
    /// @notice The Identity every clone delegates to (locked: its own state can never be initialised).
    address public immutable implementation;

    /// @notice keccak256 of the ERC-1167 runtime code of a clone of `implementation` (EXTCODEHASH of every identity
    /// this factory deploys). Recognising identities by code instead of by a mapping saves a 22k-gas slot per
    /// identity, and lets IdentityRegistry recognise them with the same check.
    bytes32 public immutable cloneCodeHash;

    event IdentityCreated(address indexed identity, address indexed wallet, bytes32 salt);

    error ZeroAddress();
    error IdentityAlreadyDeployed();

    /// @param implementation_ A deployed Identity constructed with address(0).
    constructor(address implementation_) {
        if (implementation_ == address(0)) revert ZeroAddress();
        implementation = implementation_;
        cloneCodeHash = keccak256(
            abi.encodePacked(hex"363d3d373d3d3d363d73", implementation_, hex"5af43d82803e903d91602b57fd5bf3")
        );
    }

    /// @notice Whether `identity` is an ERC-1167 clone of this factory's implementation: every identity this factory
    /// deployed, and at this factory's predicted addresses only those (CREATE2). A clone of the same implementation
    /// deployed by someone else also answers true: it runs the same code, which is what callers rely on.
    function isFactoryIdentity(address identity) external view returns (bool) {
        return identity.codehash == cloneCodeHash;
    }

    /// @notice Deploys the identity of `wallet` (its only key: management) at `predictIdentity(wallet, salt)`.
    function createIdentity(address wallet, bytes32 salt) external returns (address) {
        return _create(wallet, salt, new bytes32[](0), new uint256[](0));
    }

    /// @notice Deploys the identity of `wallet` with extra keys (e.g. a claim issuer's claim key, so it can push
    /// and renew claims) at `predictIdentityWithKeys(wallet, salt, keys, purposes)`.
    function createIdentityWithKeys(
        address wallet, bytes32 salt, bytes32[] calldata keys, uint256[] calldata purposes
    ) external returns (address) {
        return _create(wallet, salt, keys, purposes);
    }

    /// @notice The address `createIdentity(wallet, salt)` deploys to.
    function predictIdentity(address wallet, bytes32 salt) external view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _salt(wallet, salt, new bytes32[](0), new uint256[](0)));
    }

    /// @notice The address `createIdentityWithKeys(wallet, salt, keys, purposes)` deploys to.
    function predictIdentityWithKeys(
        address wallet, bytes32 salt, bytes32[] calldata keys, uint256[] calldata purposes
    ) external view returns (address) {
        return Clones.predictDeterministicAddress(implementation, _salt(wallet, salt, keys, purposes));
    }

    function _create(address wallet, bytes32 salt, bytes32[] memory keys, uint256[] memory purposes)
        private returns (address id)
    {
        if (wallet == address(0)) revert ZeroAddress();
        bytes32 s = _salt(wallet, salt, keys, purposes);
        if (Clones.predictDeterministicAddress(implementation, s).code.length != 0) revert IdentityAlreadyDeployed();
        id = Clones.cloneDeterministic(implementation, s);
        Identity(id).initialize(wallet, keys, purposes);
        emit IdentityCreated(id, wallet, salt);
    }

    function _salt(address wallet, bytes32 salt, bytes32[] memory keys, uint256[] memory purposes)
        private pure returns (bytes32)
    {
        return keccak256(abi.encode(wallet, salt, keys, purposes));
    }
}
