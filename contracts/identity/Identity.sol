// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IMasqueClaims} from "../interfaces/IMasqueClaims.sol";
import {IERC734} from "../interfaces/IERC734.sol";
import {IERC735} from "../interfaces/IERC735.sol";
import {AccessGrants} from "../access/AccessGrants.sol";
import {IClaimIndex} from "../interfaces/IClaimIndex.sol";
import {ClaimData} from "./ClaimData.sol";
import {ITrustedIssuersRegistry} from "../interfaces/ITrustedIssuersRegistry.sol";
import {ClaimIndex} from "./ClaimIndex.sol";

/// @title Masque identity: ERC-734 keys, ERC-735 claims, selective-disclosure access grants
/// @notice ONCHAINID-compatible. Deployed once as an implementation (constructor argument 0, locked) and cloned per
/// subject (ERC-1167) by IdentityFactory, or deployed directly with a management wallet (ClaimIssuer does this).
/// Differences from ONCHAINID, on purpose: `keyHasPurpose` is exact (a management key is not implicitly a claim
/// signer); claim signatures are EIP-712, low-s, v in {27, 28} and bind identity, topic, data, window, chain and
/// issuer; every claim carries a validity window in its data (see ClaimData); the last management key cannot be
/// removed; a topic holds at most MAX_CLAIMS_PER_TOPIC claims so registry checks stay bounded.
/// The implementation is also the claim index of its clones (ClaimIndex): a clone's per-topic issuers and verification
/// records live there, where identity registries read them.
contract Identity is IIdentity, IMasqueClaims, AccessGrants, EIP712, ClaimIndex {
    /// @notice Key purpose: manages keys, claims and grants.
    uint256 public constant MANAGEMENT = 1;
    /// @notice Key purpose: executes calls to other contracts.
    uint256 public constant ACTION = 2;
    /// @notice Key purpose: signs claims (on an issuer) / adds claims (on a holder).
    uint256 public constant CLAIM_SIGNER = 3;
    /// @notice Key purpose: encryption (informational).
    uint256 public constant ENCRYPTION = 4;
    /// @notice Key purpose: a claim registry, key = a TrustedIssuersRegistry's address (left-padded, not hashed).
    /// Issuers it trusts for a topic may push their own claims of that topic here (ClaimIssuer.issueClaim and
    /// renewClaim) without a claim key: the holder consents once to the registry, not to each issuer it will trust.
    uint256 public constant CLAIM_REGISTRY = 5;
    /// @notice Key type of keccak256(abi.encode(address)) keys.
    uint256 public constant ECDSA_KEY_TYPE = 1;
    /// @notice Highest key purpose (purposes are bits of a 128-bit word).
    uint256 public constant MAX_PURPOSE = 127;

    /// @dev One slot: bit p of `purposes` set = purpose p (1..127), so one SLOAD answers keyHasPurpose and a new
    /// key costs a single fresh slot.
    struct Key {
        uint128 purposes;
        uint128 keyType;
    }

    struct Execution {
        address to;
        bool done;
        uint256 value;
        bytes data;
    }

    error AlreadyInitialized();
    error NotManagementKey();
    error NotActionKey();
    error NotClaimKey();
    error InvalidKey();
    error InvalidPurpose(uint256 purpose);
    error KeyAlreadyHasPurpose(uint256 purpose);
    error KeyDoesNotHavePurpose(uint256 purpose);
    error LastManagementKey();
    error LengthMismatch();
    error ExecutionNotFound(uint256 executionId);
    error ExecutionAlreadyDone(uint256 executionId);
    error InvalidClaimData();
    error UnsupportedSignature();
    error InvalidClaim();
    error ClaimNotFound();
    /// @notice A clone's `execute` / `executeSigned` may not call its claim index: only its own code writes its rows.
    error IndexCallRefused();
    error UriTooLong();
    error ClaimStoreFailed();
    error SignatureExpired(uint256 deadline);
    error SignedNonceUsed(uint256 nonce);
    error InvalidExecutionSignature();
    error SignerLacksPurpose(address signer, uint256 purpose);

    /// @notice `refreshClaimRecord` re-verified the first claim of `topic` with its issuer (`valid`: its answer).
    event ClaimRecordRefreshed(uint256 indexed topic, address indexed issuer, bool valid);
    /// @notice `executeSigned` spent `nonce` and ran a call authorized by `signer`'s signature.
    event SignedExecution(address indexed signer, uint256 indexed nonce, address indexed to, uint256 value, bytes data);

    /// @notice EIP-712 type a key holder signs to let anyone (a relayer paying gas) run one call as this identity.
    bytes32 public constant EXECUTE_TYPEHASH =
        keccak256("Execute(address to,uint256 value,bytes data,uint256 nonce,uint256 deadline)");

    /// @dev The implementation's own address: clones run its code at another address, so `initialize` can refuse
    /// to run on the implementation itself without spending a storage slot on an "initialized" flag.
    address private immutable _self;
    uint256 private _executionNonce;
    mapping(bytes32 key => Key) private _keys;
    mapping(uint256 purpose => bytes32[]) private _keysByPurpose;
    mapping(uint256 id => Execution) private _executions;
    /// @dev Every claim is one contract whose code is its immutable fields (SSTORE2: 32k + 200 gas per byte instead
    /// of ~690 per byte in slots): 0x00 | topic (32) | scheme (8) | issuer (20) | r (32) | s (32) | v (1) |
    /// documentHash (32) | issuedAt (8) | expiresAt (8) | uri.
    mapping(bytes32 claimId => address) private _claimBlobs;
    /// @dev Spent `executeSigned` nonces as a bitmap (word = nonce >> 8): callers may pick any nonce (random ones
    /// need no chain read and never collide between concurrent signers), consecutive ones share a slot.
    mapping(uint256 word => uint256 bits) private _signedNonces;

    /// @param initialManagementWallet The first management key's wallet, or 0 to lock this contract as the
    /// implementation behind clones (whose state starts empty and is set by `initialize`).
    constructor(address initialManagementWallet)
        EIP712("Masque Identity", "1")
        ClaimIndex(initialManagementWallet == address(0))
    {
        _self = address(this);
        if (initialManagementWallet != address(0)) {
            _addKey(_walletKey(initialManagementWallet), MANAGEMENT, ECDSA_KEY_TYPE);
        }
    }

    modifier onlyManager() {
        if (!_isManager(msg.sender)) revert NotManagementKey();
        _;
    }

    /// @notice Sets up a clone: `managementWallet` becomes its management key, then `keys[i]` gets `purposes[i]`.
    /// @dev Callable once, by anyone: IdentityFactory calls it in the deploying transaction, and the CREATE2 salt
    /// commits to these arguments, so nobody can initialise a predicted address differently.
    function initialize(address managementWallet, bytes32[] calldata keys, uint256[] calldata purposes) external {
        // Initialised = has a management key (the last one can never be removed); the implementation never is.
        if (address(this) == _self || _keysByPurpose[MANAGEMENT].length != 0) revert AlreadyInitialized();
        if (managementWallet == address(0)) revert InvalidKey();
        if (keys.length != purposes.length) revert LengthMismatch();
        _addKey(_walletKey(managementWallet), MANAGEMENT, ECDSA_KEY_TYPE);
        for (uint256 i = 0; i < keys.length; ++i) {
            _addKey(keys[i], purposes[i], ECDSA_KEY_TYPE);
        }
    }

    // ---------------------------------------------------------------- ERC-734

    /// @inheritdoc IERC734
    function addKey(bytes32 key, uint256 purpose, uint256 keyType) external onlyManager returns (bool) {
        _addKey(key, purpose, keyType);
        return true;
    }

    /// @inheritdoc IERC734
    function removeKey(bytes32 key, uint256 purpose) external onlyManager returns (bool) {
        _checkPurpose(purpose);
        Key storage k = _keys[key];
        uint128 bit = uint128(1 << purpose);
        if (k.purposes & bit == 0) revert KeyDoesNotHavePurpose(purpose);
        // An identity without a management key could never be changed again.
        if (purpose == MANAGEMENT && _keysByPurpose[MANAGEMENT].length == 1) revert LastManagementKey();
        uint256 keyType = k.keyType;
        k.purposes &= ~bit;
        if (k.purposes == 0) delete _keys[key];

        // A linear scan of a list the identity's own managers control, instead of a position slot paid for
        // (22k gas) on every key ever added, including the one written when each identity is created.
        bytes32[] storage list = _keysByPurpose[purpose];
        uint256 n = list.length;
        for (uint256 i = 0; i < n; ++i) {
            if (list[i] == key) {
                list[i] = list[n - 1];
                list.pop();
                break;
            }
        }
        emit KeyRemoved(key, purpose, keyType);
        // Claims this key signed are no longer valid: records taken before must be re-checked.
        if (purpose == CLAIM_SIGNER) _advanceClaimEpoch();
        return true;
    }

    /// @inheritdoc IERC734
    /// @dev Runs at once when the caller has a management key, or an action key and `to` is not this identity;
    /// otherwise the request waits for `approve`.
    function execute(address to, uint256 value, bytes calldata data) external payable returns (uint256 executionId) {
        _checkCallTarget(to);
        executionId = _executionNonce++;
        Execution storage e = _executions[executionId];
        e.to = to;
        e.value = value;
        e.data = data;
        emit ExecutionRequested(executionId, to, value, data);
        if (_isManager(msg.sender) || (to != address(this) && _hasPurpose(_walletKey(msg.sender), ACTION))) {
            emit Approved(executionId, true);
            _run(executionId, e);
        }
    }

    /// @notice Runs `to.call{value}(data)` as this identity, authorized by a key holder's EIP-712 `Execute` signature
    /// instead of `msg.sender`, so a relayer can pay gas without holding any key on the identity.
    /// @dev Calls to this identity (addKey, removeKey, grantAccess, ...) need a management key; calls elsewhere an
    /// action or management key (as `execute`). Signatures are 65 bytes, low-s, v in {27, 28}; the domain binds the
    /// chain id and this identity's address. Each nonce works once (see `isSignedNonceUsed`). Unlike `execute`, a
    /// failing call reverts with its own error (and leaves the nonce unspent), so the relayer sees why.
    /// @param nonce Any unused value; spent by this call.
    /// @param deadline Last valid block timestamp.
    /// @return result The call's return data.
    function executeSigned(
        address to, uint256 value, bytes calldata data, uint256 nonce, uint256 deadline, bytes calldata signature
    ) external payable returns (bytes memory result) {
        address signer = _checkSigned(to, value, data, nonce, deadline, signature);
        emit SignedExecution(signer, nonce, to, value, data);
        bool ok;
        (ok, result) = to.call{value: value}(data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(result, 0x20), mload(result))
            }
        }
    }

    /// @dev Deadline, signature, signer's purpose, then spends the nonce (before the call: a re-entrant
    /// executeSigned cannot replay it). Separate from executeSigned to keep the stack shallow (no viaIR).
    function _checkSigned(
        address to, uint256 value, bytes calldata data, uint256 nonce, uint256 deadline, bytes calldata signature
    ) private returns (address signer) {
        if (block.timestamp > deadline) revert SignatureExpired(deadline);
        _checkCallTarget(to);
        signer = ClaimData.strictRecover(_executeDigest(to, value, data, nonce, deadline), signature);
        if (signer == address(0)) revert InvalidExecutionSignature();
        bytes32 key = _walletKey(signer);
        if (!_hasPurpose(key, MANAGEMENT)) {
            if (to == address(this)) revert SignerLacksPurpose(signer, MANAGEMENT);
            if (!_hasPurpose(key, ACTION)) revert SignerLacksPurpose(signer, ACTION);
        }
        uint256 bit = 1 << (nonce & 0xff);
        uint256 word = _signedNonces[nonce >> 8];
        if (word & bit != 0) revert SignedNonceUsed(nonce);
        _signedNonces[nonce >> 8] = word | bit;
    }

    function _executeDigest(address to, uint256 value, bytes calldata data, uint256 nonce, uint256 deadline)
        private view returns (bytes32)
    {
        return _hashTypedDataV4(keccak256(abi.encode(EXECUTE_TYPEHASH, to, value, keccak256(data), nonce, deadline)));
    }

    /// @notice Whether `executeSigned` already spent `nonce`.
    function isSignedNonceUsed(uint256 nonce) external view returns (bool) {
        return _signedNonces[nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    /// @notice The EIP-712 digest a key holder signs for `executeSigned`.
    function executeDigest(address to, uint256 value, bytes calldata data, uint256 nonce, uint256 deadline)
        external view returns (bytes32)
    {
        return _executeDigest(to, value, data, nonce, deadline);
    }

    /// @inheritdoc IERC734
    /// @dev Calls to this identity need a management key, others an action (or management) key. A rejection closes
    /// the request. Returns whether the call ran and succeeded.
    function approve(uint256 id, bool approve_) external returns (bool) {
        if (id >= _executionNonce) revert ExecutionNotFound(id);
        Execution storage e = _executions[id];
        if (e.done) revert ExecutionAlreadyDone(id);
        if (e.to == address(this)) {
            if (!_isManager(msg.sender)) revert NotManagementKey();
        } else if (!_isManager(msg.sender) && !_hasPurpose(_walletKey(msg.sender), ACTION)) {
            revert NotActionKey();
        }
        emit Approved(id, approve_);
        if (!approve_) {
            e.done = true;
            return false;
        }
        return _run(id, e);
    }

    /// @inheritdoc IERC734
    function getKey(bytes32 key) external view returns (uint256[] memory purposes, uint256 keyType, bytes32 key_) {
        Key storage k = _keys[key];
        if (k.purposes == 0) return (new uint256[](0), 0, 0);
        return (_purposeList(k.purposes), k.keyType, key);
    }

    /// @inheritdoc IERC734
    function getKeyPurposes(bytes32 key) external view returns (uint256[] memory) {
        return _purposeList(_keys[key].purposes);
    }

    /// @inheritdoc IERC734
    function getKeysByPurpose(uint256 purpose) external view returns (bytes32[] memory) {
        return _keysByPurpose[purpose];
    }

    /// @inheritdoc IERC734
    function keyHasPurpose(bytes32 key, uint256 purpose) external view returns (bool) {
        return _hasPurpose(key, purpose);
    }

    // ---------------------------------------------------------------- ERC-735

    /// @inheritdoc IERC735
    /// @dev Management or claim key (purpose 3) of this identity, or the claim's own issuer when a claim registry of
    /// this identity (purpose 5) trusts it for the topic. The claim must be valid now: for a claim by another
    /// issuer, `issuer.isClaimValid(this, ...)` must return true; for a self-issued claim, this identity's own check.
    /// Re-adding a claim for the same (issuer, topic) replaces it (ClaimChanged). Signatures must be 65 bytes
    /// (r, s, v), scheme below 2^64. The first claim of a topic also becomes the topic's verification record in the
    /// claim index (see ClaimIndex).
    function addClaim(
        uint256 topic, uint256 scheme, address issuer, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId) {
        if (!_isManager(msg.sender) && !_hasPurpose(_walletKey(msg.sender), CLAIM_SIGNER) && !_registryTrusts(msg.sender, issuer, topic)) {
            revert NotClaimKey();
        }
        (bool ok,,, uint64 expiresAt) = ClaimData.decode(data);
        if (!ok || scheme > type(uint64).max) revert InvalidClaimData();
        if (signature.length != 65) revert UnsupportedSignature();
        if (!_claimValidNow(issuer, topic, signature, data)) revert InvalidClaim();
        claimId = keccak256(abi.encode(issuer, topic));
        bool replaced = _claimBlobs[claimId] != address(0);
        _indexLink(topic, issuer, expiresAt, replaced);
        _claimBlobs[claimId] = _writeClaimBlob(topic, scheme, issuer, signature, data, uri);
        if (replaced) emit ClaimChanged(claimId, topic, scheme, issuer, signature, data, uri);
        else emit ClaimAdded(claimId, topic, scheme, issuer, signature, data, uri);
    }

    /// @dev The caller pushes its own claim (as ClaimIssuer.issueClaim does) and a claim registry this identity's
    /// managers chose trusts it for the topic. A plain staticcall: a registry that reverts or answers garbage trusts
    /// nobody, it does not make addClaim revert with an undecodable error.
    function _registryTrusts(address caller, address issuer, uint256 topic) private view returns (bool) {
        if (caller != issuer) return false;
        bytes32[] storage registries = _keysByPurpose[CLAIM_REGISTRY];
        uint256 n = registries.length;
        for (uint256 i = 0; i < n; ++i) {
            (bool ok, bytes memory ret) = address(uint160(uint256(registries[i]))).staticcall(
                abi.encodeCall(ITrustedIssuersRegistry.hasClaimTopic, (issuer, topic))
            );
            if (ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1) return true;
        }
        return false;
    }

    /// @dev What the claim's issuer answers now (this identity's own check for a self-issued claim).
    function _claimValidNow(address issuer, uint256 topic, bytes memory signature, bytes memory data)
        private view returns (bool)
    {
        if (issuer == address(this)) return this.isClaimValid(IIdentity(address(this)), topic, signature, data);
        return _issuerSaysValid(issuer, topic, signature, data);
    }

    /// @notice Re-verifies the first claim of `topic` with its issuer and rewrites its verification record: current
    /// (the issuer's present epoch) if the issuer calls it valid, none otherwise. Anyone may call it: it only writes
    /// what the issuer answers. Useful after the issuer advanced its epoch (a signer key removed, a revocation by
    /// signature) or after the first claim was removed and the next took its place without a record.
    function refreshClaimRecord(uint256 topic) external {
        address[] memory issuers = _indexIssuers(topic);
        if (issuers.length == 0) revert ClaimNotFound();
        address issuer = issuers[0];
        (,,, bytes memory sig, bytes memory data,) = _readClaim(_claimBlobs[keccak256(abi.encode(issuer, topic))]);
        (,,, uint64 expiresAt) = ClaimData.decode(data);
        bool valid = _claimValidNow(issuer, topic, sig, data);
        if (address(this) == _self) _refresh(address(this), topic, issuer, expiresAt, valid, false);
        else ClaimIndex(_self).indexRefresh(topic, issuer, expiresAt, valid);
        emit ClaimRecordRefreshed(topic, issuer, valid);
    }

    /// @inheritdoc IERC735
    /// @dev Management key, claim key, or the claim's issuer.
    function removeClaim(bytes32 claimId) external returns (bool) {
        address blob = _claimBlobs[claimId];
        if (blob == address(0)) revert ClaimNotFound();
        (uint256 topic, uint256 scheme, address issuer, bytes memory sig, bytes memory data, string memory uri) =
            _readClaim(blob);
        if (msg.sender != issuer && !_isManager(msg.sender) && !_hasPurpose(_walletKey(msg.sender), CLAIM_SIGNER)) {
            revert NotClaimKey();
        }
        emit ClaimRemoved(claimId, topic, scheme, issuer, sig, data, uri);
        delete _claimBlobs[claimId];
        if (address(this) == _self) _unlink(address(this), topic, issuer);
        else ClaimIndex(_self).indexUnlink(topic, issuer);
        return true;
    }

    /// @dev A clone's rows live in the implementation (where registries read them); a directly deployed identity keeps
    /// its own, never recorded (registries only trust the implementation's index).
    function _indexLink(uint256 topic, address issuer, uint256 expiresAt, bool replaced) private {
        if (address(this) == _self) _link(address(this), topic, issuer, expiresAt, replaced, false);
        else ClaimIndex(_self).indexLink(topic, issuer, expiresAt, replaced);
    }

    function _indexIssuers(uint256 topic) private view returns (address[] memory) {
        if (address(this) == _self) return _issuersIn(address(this), topic);
        return ClaimIndex(_self).claimIssuers(address(this), topic);
    }

    /// @inheritdoc IERC735
    function getClaim(bytes32 claimId) external view returns (
        uint256 topic, uint256 scheme, address issuer, bytes memory signature, bytes memory data, string memory uri
    ) {
        address blob = _claimBlobs[claimId];
        if (blob == address(0)) return (0, 0, address(0), "", "", "");
        return _readClaim(blob);
    }

    /// @inheritdoc IERC735
    function getClaimIdsByTopic(uint256 topic) external view returns (bytes32[] memory ids) {
        address[] memory issuers = _indexIssuers(topic);
        ids = new bytes32[](issuers.length);
        for (uint256 i = 0; i < issuers.length; ++i) {
            ids[i] = keccak256(abi.encode(issuers[i], topic));
        }
    }

    /// @inheritdoc IMasqueClaims
    /// @dev The full path of IdentityRegistry.isVerified (no current record): no uri, no scheme.
    function getClaimsForVerification(uint256 topic)
        external view returns (address[] memory issuers, bytes[] memory signatures, bytes[] memory data)
    {
        issuers = _indexIssuers(topic);
        uint256 n = issuers.length;
        signatures = new bytes[](n);
        data = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) {
            (,,, signatures[i], data[i],) = _readClaim(_claimBlobs[keccak256(abi.encode(issuers[i], topic))]);
        }
    }

    /// @notice The validity window of a held claim (zeroes when absent).
    function getClaimValidity(bytes32 claimId) external view returns (uint64 issuedAt, uint64 expiresAt) {
        address blob = _claimBlobs[claimId];
        if (blob == address(0)) return (0, 0);
        (,,,,, issuedAt, expiresAt) = _readWindow(blob);
    }

    /// @dev Deploys the claim's immutable fields as the code of a new contract (layout at `_claimBlobs`). The
    /// init code `61 <size> 80 600a 3d 39 3d f3` copies the bytes after it to memory and returns them as code; the
    /// leading 0x00 (STOP) makes the blob inert if called.
    function _writeClaimBlob(
        uint256 topic, uint256 scheme, address issuer, bytes calldata signature, bytes calldata data, string calldata uri
    ) private returns (address blob) {
        bytes memory code = abi.encodePacked(
            bytes1(0), topic, uint64(scheme), issuer, signature, data[0:32], data[56:64], data[88:96], bytes(uri)
        );
        if (code.length > 24_576) revert UriTooLong();
        bytes memory init = abi.encodePacked(hex"61", uint16(code.length), hex"80600a3d393df3", code);
        assembly ("memory-safe") {
            blob := create(0, add(init, 0x20), mload(init))
        }
        if (blob == address(0)) revert ClaimStoreFailed();
    }

    /// @dev Every field of a stored claim, re-encoded as addClaim received it.
    function _readClaim(address blob) private view returns (
        uint256 topic, uint256 scheme, address issuer, bytes memory signature, bytes memory data, string memory uri
    ) {
        bytes memory code = blob.code;
        bytes32 documentHash;
        uint64 issuedAt;
        uint64 expiresAt;
        (topic, scheme, issuer, documentHash,, issuedAt, expiresAt) = _decodeFixed(code);
        signature = new bytes(65);
        uint256 uriLength = code.length - 174;
        uri = new string(uriLength);
        assembly ("memory-safe") {
            mcopy(add(signature, 0x20), add(code, 0x5d), 65)
            mcopy(add(uri, 0x20), add(code, 0xce), uriLength)
        }
        data = abi.encode(documentHash, issuedAt, expiresAt);
    }

    function _readWindow(address blob) private view returns (
        uint256 topic, uint256 scheme, address issuer, bytes32 documentHash, uint8 v, uint64 issuedAt, uint64 expiresAt
    ) {
        return _decodeFixed(blob.code);
    }

    /// @dev Fixed-offset fields of a claim blob (memory: `code` + 0x20 is byte 0, the 0x00 prefix).
    function _decodeFixed(bytes memory code) private pure returns (
        uint256 topic, uint256 scheme, address issuer, bytes32 documentHash, uint8 v, uint64 issuedAt, uint64 expiresAt
    ) {
        assembly ("memory-safe") {
            let p := add(code, 0x20)
            topic := mload(add(p, 1))
            scheme := shr(192, mload(add(p, 33)))
            issuer := shr(96, mload(add(p, 41)))
            v := byte(0, mload(add(p, 125)))
            documentHash := mload(add(p, 126))
            issuedAt := shr(192, mload(add(p, 158)))
            expiresAt := shr(192, mload(add(p, 166)))
        }
    }

    // ---------------------------------------------------------------- claim signing (this contract as issuer)

    /// @inheritdoc IIdentity
    function isClaimValid(IIdentity identity, uint256 topic, bytes calldata sig, bytes calldata data)
        public view virtual returns (bool)
    {
        return _isClaimValid(address(identity), topic, sig, data);
    }

    /// @notice The EIP-712 digest a claim signer of this contract signs for a claim (0 when data is malformed).
    function claimDigest(address identity, uint256 topic, bytes calldata data) public view returns (bytes32) {
        (bool ok, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt) = ClaimData.decode(data);
        if (!ok) return bytes32(0);
        return _claimDigest(identity, topic, documentHash, issuedAt, expiresAt);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Something this contract signed as an issuer may have become invalid (a claim-signer key was removed, a
    /// claim revoked by signature): every record of its claims in the index it reports to must stop counting.
    function _advanceClaimEpoch() internal {
        address index = _issuerIndex();
        if (index != address(0)) IClaimIndex(index).advanceIssuerEpoch();
    }

    /// @dev The claim index this contract reports its invalidations to as an issuer: none for a plain identity (it
    /// never registers anywhere, so no record of its claims exists); ClaimIssuer names one at construction.
    function _issuerIndex() internal view virtual returns (address) {
        return address(0);
    }

    /// @dev A clone's arbitrary calls never reach its claim index: the index trusts a clone's rows because this code
    /// writes them after its issuer verified the claim, which a management key's `execute` of `indexLink` would skip.
    function _checkCallTarget(address to) private view {
        if (to == _self && address(this) != _self) revert IndexCallRefused();
    }

    /// @dev Access grants are managed with the identity's management keys.
    function _checkGrantAuthority() internal view override {
        if (!_isManager(msg.sender)) revert NotManagementKey();
    }

    function _walletKey(address wallet) internal pure returns (bytes32) {
        return keccak256(abi.encode(wallet));
    }

    function _hasPurpose(bytes32 key, uint256 purpose) internal view returns (bool) {
        if (purpose == 0 || purpose > MAX_PURPOSE) return false;
        return _keys[key].purposes & (1 << purpose) != 0;
    }

    /// @dev The identity itself counts as a manager so that approved executions can call addKey & co.
    function _isManager(address account) internal view returns (bool) {
        return account == address(this) || _hasPurpose(_walletKey(account), MANAGEMENT);
    }

    function _checkPurpose(uint256 purpose) private pure {
        if (purpose == 0 || purpose > MAX_PURPOSE) revert InvalidPurpose(purpose);
    }

    function _addKey(bytes32 key, uint256 purpose, uint256 keyType) internal {
        _checkPurpose(purpose);
        if (key == bytes32(0)) revert InvalidKey();
        if (keyType > type(uint128).max) revert InvalidKey();
        // A claim-registry key is the registry's address itself (read back by _registryTrusts), never a hash.
        if (purpose == CLAIM_REGISTRY && uint256(key) >> 160 != 0) revert InvalidKey();
        Key storage k = _keys[key];
        uint128 bit = uint128(1 << purpose);
        if (k.purposes & bit != 0) revert KeyAlreadyHasPurpose(purpose);
        if (k.purposes == 0) k.keyType = uint128(keyType);
        k.purposes |= bit;
        _keysByPurpose[purpose].push(key);
        emit KeyAdded(key, purpose, k.keyType);
    }

    function _purposeList(uint256 bits) private pure returns (uint256[] memory list) {
        uint256 n;
        for (uint256 b = bits; b != 0; b &= b - 1) ++n;
        list = new uint256[](n);
        uint256 i;
        for (uint256 p = 1; i < n; ++p) {
            if (bits & (1 << p) != 0) list[i++] = p;
        }
    }

    function _run(uint256 id, Execution storage e) private returns (bool success) {
        // Marked done before the call: a re-entrant approve cannot run it twice.
        e.done = true;
        address to = e.to;
        uint256 value = e.value;
        bytes memory data = e.data;
        (success,) = to.call{value: value}(data);
        if (success) emit Executed(id, to, value, data);
        else emit ExecutionFailed(id, to, value, data);
    }

    function _claimDigest(address identity, uint256 topic, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt)
        internal view returns (bytes32)
    {
        return _hashTypedDataV4(
            keccak256(abi.encode(ClaimData.CLAIM_TYPEHASH, identity, topic, documentHash, issuedAt, expiresAt))
        );
    }

    /// @dev Signature by a current claim-signer key of this contract, canonical encoding, inside its window.
    /// Removing a claim-signer key therefore invalidates every claim it signed.
    function _isClaimValid(address identity, uint256 topic, bytes calldata sig, bytes calldata data)
        internal view returns (bool)
    {
        (bool ok, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt) = ClaimData.decode(data);
        if (!ok || !ClaimData.inWindow(issuedAt, expiresAt)) return false;
        bytes32 digest = _claimDigest(identity, topic, documentHash, issuedAt, expiresAt);
        if (_isRevoked(digest, sig)) return false;
        address signer = ClaimData.strictRecover(digest, sig);
        return signer != address(0) && _hasPurpose(_walletKey(signer), CLAIM_SIGNER);
    }

    /// @dev Revocation hook for issuers (ClaimIssuer); a plain identity revokes by removing the signer key.
    function _isRevoked(bytes32, bytes calldata) internal view virtual returns (bool) {
        return false;
    }

    /// @dev A plain staticcall rather than an interface call: an issuer that is not a contract, reverts or answers
    /// garbage must make the claim invalid, not make addClaim revert with an undecodable error.
    function _issuerSaysValid(address issuer, uint256 topic, bytes memory sig, bytes memory data)
        private view returns (bool)
    {
        (bool ok, bytes memory ret) = issuer.staticcall(
            abi.encodeCall(IIdentity.isClaimValid, (IIdentity(address(this)), topic, sig, data))
        );
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }
}
