// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC734} from "./IERC734.sol";
import {IERC735} from "./IERC735.sol";

/// @title ONCHAINID-compatible identity (ERC-734 + ERC-735)
interface IIdentity is IERC734, IERC735 {
    /// @notice Whether `sig` is a valid claim of this contract (acting as issuer) about `identity` on `topic` with
    /// `data`: signed by one of its claim-signer keys (purpose 3), low-s, v in {27, 28}, within its validity window.
    function isClaimValid(IIdentity identity, uint256 topic, bytes calldata sig, bytes calldata data)
        external view returns (bool);
}
