// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Masque claim data layout and signature checks
/// @notice A claim's `data` is `abi.encode(bytes32 documentHash, uint64 issuedAt, uint64 expiresAt)` (96 bytes):
/// the hash binding the encrypted document and the validity window, so the ERC-735 `addClaim` / ONCHAINID
/// `isClaimValid(identity, topic, sig, data)` signatures stay unchanged while the window is enforced on chain.
library ClaimData {
    /// @dev EIP-712 struct signed by claim signers (domain: name "Masque Identity", version "1", chain id,
    /// verifyingContract = the issuer contract). Binds identity, topic, document hash, window and (via the domain)
    /// chain and issuer, so a signature cannot be replayed on another identity, topic, chain or issuer.
    bytes32 internal constant CLAIM_TYPEHASH =
        keccak256("Claim(address identity,uint256 topic,bytes32 documentHash,uint64 issuedAt,uint64 expiresAt)");

    /// @dev secp256k1n / 2: signatures with a larger s are the malleated twin of a low-s one.
    uint256 internal constant HALF_ORDER = 0x7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF5D576E7357A4501DDFE92F46681B20A0;

    /// @notice Splits `data`; `ok` is false when it does not have the Masque layout or the window is empty.
    function decode(bytes memory data)
        internal pure returns (bool ok, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt)
    {
        if (data.length != 96) return (false, 0, 0, 0);
        uint256 a;
        uint256 b;
        (documentHash, a, b) = abi.decode(data, (bytes32, uint256, uint256));
        // Reject non-canonical encodings (dirty high bits) so one window has one encoding, hence one signature.
        if (a > type(uint64).max || b > type(uint64).max || b <= a) return (false, 0, 0, 0);
        return (true, documentHash, uint64(a), uint64(b));
    }

    /// @notice Whether `block.timestamp` lies in [issuedAt, expiresAt).
    function inWindow(uint64 issuedAt, uint64 expiresAt) internal view returns (bool) {
        return block.timestamp >= issuedAt && block.timestamp < expiresAt;
    }

    /// @notice Recovers the signer of a 65-byte (r, s, v) signature, accepting only low s and v in {27, 28}: the
    /// single canonical encoding, so a revoked signature cannot come back malleated. Returns 0 when rejected.
    function strictRecover(bytes32 digest, bytes calldata sig) internal pure returns (address) {
        if (sig.length != 65) return address(0);
        bytes32 r = bytes32(sig[0:32]);
        bytes32 s = bytes32(sig[32:64]);
        uint8 v = uint8(sig[64]);
        if (v != 27 && v != 28) return address(0);
        if (uint256(s) > HALF_ORDER || uint256(s) == 0 || uint256(r) == 0) return address(0);
        return ecrecover(digest, v, r, s);
    }
}
