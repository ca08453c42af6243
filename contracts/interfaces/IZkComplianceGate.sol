// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title What IdentityRegistry asks a ZK compliance gate
interface IZkComplianceGate {
    /// @notice Whether `wallet` holds a current mark for claim `topic`: it submitted a zero-knowledge proof
    /// satisfying the request the gate maps to that topic, within the topic's validity period.
    function isVerifiedFor(address wallet, uint256 topic) external view returns (bool);
}
