// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Masque identity IDs (docs/protocol.md, "Identities"; src/identity/id.ts)
/// @notice An ID is 31 bytes `type (2) || genesis (27) || checksum (2)` read little-endian as an integer below
/// 2^248: byte 0 = 0x4d ('M'), byte 1 = network, genesis = bytes 5..31 of the genesis state's 32-byte
/// little-endian encoding (state >> 40), checksum = sum of the 29 preceding bytes as a little-endian uint16.
/// Pure byte arithmetic: no Poseidon is needed to tie an ID to its genesis state.
library MasqueId {
    /// @notice The BN254 scalar field order: states and IDs are elements of this field.
    uint256 internal constant FIELD_ORDER =
        21888242871839275222246405745257275088548364400416034343698204186575808495617;
    uint256 internal constant TYPE_BYTE = 0x4d;

    /// @notice Whether `id` is a well-formed Masque ID (type byte, checksum).
    function isValid(uint256 id) internal pure returns (bool) {
        if (id >> 248 != 0 || id & 0xff != TYPE_BYTE) return false;
        uint256 sum = 0;
        for (uint256 i = 0; i < 29; ++i) {
            sum += (id >> (8 * i)) & 0xff;
        }
        return id >> 232 == sum & 0xffff;
    }

    /// @notice The genesis ID of an identity whose first state is `state`, on `network` (0 test, 1 main).
    function fromGenesisState(uint256 state, uint8 network) internal pure returns (uint256) {
        uint256 genesis = state >> 40; // 27 bytes at most: state < 2^254
        uint256 sum = TYPE_BYTE + network;
        for (uint256 i = 0; i < 27; ++i) {
            sum += (genesis >> (8 * i)) & 0xff;
        }
        return TYPE_BYTE | (uint256(network) << 8) | (genesis << 16) | ((sum & 0xffff) << 232);
    }

    /// @notice Whether `id` is the genesis ID of `state` (what the state-transition circuit checks when
    /// isOldStateGenesis = 1), on the network byte `id` carries.
    function isGenesisOf(uint256 id, uint256 state) internal pure returns (bool) {
        if (state >= FIELD_ORDER) return false;
        return id == fromGenesisState(state, uint8(id >> 8));
    }
}
