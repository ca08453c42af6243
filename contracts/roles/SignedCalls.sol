// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Context} from "@openzeppelin/contracts/utils/Context.sol";
import {ClaimData} from "../identity/ClaimData.sol";

/**
 * @title SignedCalls
 * @notice Lets anyone (a relayer paying gas) run one of this contract's own functions on behalf of a signer: the
 * signer signs an EIP-712 `SignedCall(bytes data,uint256 nonce,uint256 deadline)` (domain name "Masque Signed Call",
 * version "1", the chain id and this contract), the relayer submits it to {executeSigned}, and the function runs with
 * `_msgSender()` = the signer. Every role and owner check of the inheriting contract therefore applies to the signer,
 * never to the relayer, which holds no role anywhere.
 *
 * @dev ERC-2771 with the contract as its own trusted forwarder: {executeSigned} checks the signature, spends the
 * nonce, then calls `address(this)` with the signer appended to the calldata; `_msgSender()` reads it back only for
 * calls whose `msg.sender` is this contract. Consequences for inheritors: every authorization must use
 * `_msgSender()` (a check on `msg.sender` would see this contract itself), and the contract must never call itself
 * otherwise. Nonces are any uint256, each spendable once (a bitmap, as `Identity.executeSigned`: random nonces need no
 * chain read and never collide between concurrent signers). Signatures are 65 bytes, low s, v in {27, 28}
 * (`ClaimData.strictRecover`). The nonce bitmap lives at an ERC-7201 slot, so adding this base shifts no existing
 * storage layout (IdentityRegistry's ZK gate slot is read by position).
 */
abstract contract SignedCalls is Context {
    /// @notice EIP-712 type of a signed call: `data` is the calldata of one of this contract's functions.
    bytes32 internal constant SIGNED_CALL_TYPEHASH = keccak256("SignedCall(bytes data,uint256 nonce,uint256 deadline)");

    bytes32 private constant DOMAIN_TYPEHASH =
        keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    bytes32 private constant NAME_HASH = keccak256("Masque Signed Call");
    bytes32 private constant VERSION_HASH = keccak256("1");

    /// @custom:storage-location erc7201:masque.storage.SignedCalls
    struct SignedCallsStorage {
        mapping(uint256 word => uint256 bits) nonces;
    }

    // keccak256(abi.encode(uint256(keccak256("masque.storage.SignedCalls")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 private constant STORAGE_SLOT = 0x0f631c77f12072828f49a08b2df0614a2d6e49c2847eb6c0cf5a74e314342100;

    /// @notice `signer` authorized a call of `selector` on this contract, spending `nonce`.
    event SignedCallExecuted(address indexed signer, uint256 indexed nonce, bytes4 selector);

    /// @notice The signed call's deadline (a block timestamp) has passed.
    error SignatureExpired(uint256 deadline);
    /// @notice The signature is not 65 bytes, has a high s or a v other than 27 / 28, or recovers to nobody.
    error InvalidExecutionSignature();
    /// @notice `nonce` was spent already.
    error SignedNonceUsed(uint256 nonce);

    /**
     * @notice Runs `data` (a call of this contract's own function) as the signer of `signature`.
     * @dev A failing call reverts with its own error and leaves the nonce unspent, so the relayer sees why.
     * @param data Calldata of the function to run.
     * @param nonce Any unused value; spent by this call.
     * @param deadline Last valid block timestamp.
     * @param signature The signer's 65-byte EIP-712 signature of (data, nonce, deadline).
     * @return result The function's return data.
     */
    function executeSigned(bytes calldata data, uint256 nonce, uint256 deadline, bytes calldata signature)
        external
        returns (bytes memory result)
    {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        address signer = ClaimData.strictRecover(signedCallDigest(data, nonce, deadline), signature);
        if (signer == address(0)) revert InvalidExecutionSignature();
        // Spent before the call: a re-entrant executeSigned cannot replay it.
        mapping(uint256 => uint256) storage nonces = _signedCallsStorage().nonces;
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = nonces[nonce >> 8];
        if (word & bit != 0) revert SignedNonceUsed(nonce);
        nonces[nonce >> 8] = word | bit;
        emit SignedCallExecuted(signer, nonce, data.length >= 4 ? bytes4(data[:4]) : bytes4(0));
        bool ok;
        (ok, result) = address(this).call(abi.encodePacked(data, signer));
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @notice The EIP-712 digest a signer signs for {executeSigned}.
    function signedCallDigest(bytes calldata data, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        bytes32 domain = keccak256(abi.encode(DOMAIN_TYPEHASH, NAME_HASH, VERSION_HASH, block.chainid, address(this)));
        bytes32 structHash = keccak256(abi.encode(SIGNED_CALL_TYPEHASH, keccak256(data), nonce, deadline));
        return keccak256(abi.encodePacked("\x19\x01", domain, structHash));
    }

    /// @notice Whether {executeSigned} already spent `nonce`.
    function isSignedNonceUsed(uint256 nonce) external view returns (bool) {
        return _signedCallsStorage().nonces[nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @dev The signer appended by {executeSigned} on its self-call, else the caller.
    function _msgSender() internal view virtual override returns (address) {
        if (msg.sender == address(this) && msg.data.length >= 24) {
            return address(bytes20(msg.data[msg.data.length - 20:]));
        }
        return msg.sender;
    }

    /// @dev The calldata without the appended signer on a signed self-call.
    function _msgData() internal view virtual override returns (bytes calldata) {
        if (msg.sender == address(this) && msg.data.length >= 24) return msg.data[:msg.data.length - 20];
        return msg.data;
    }

    /// @dev Twenty bytes appended to the calldata: the whole overhead ERC-2771 adds.
    function _contextSuffixLength() internal view virtual override returns (uint256) {
        return msg.sender == address(this) ? 20 : 0;
    }

    function _signedCallsStorage() private pure returns (SignedCallsStorage storage $) {
        assembly ("memory-safe") {
            $.slot := STORAGE_SLOT
        }
    }
}
