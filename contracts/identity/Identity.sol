// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {IIdentity} from "../interfaces/IIdentity.sol";
import {IMasqueClaims} from "../interfaces/IMasqueClaims.sol";
import {IERC734} from "../interfaces/IERC734.sol";
import {IERC735} from "../interfaces/IERC735.sol";
import {AccessGrants} from "../access/AccessGrants.sol";
import {ClaimData} from "./ClaimData.sol";

/// @title Masque identity: ERC-734 keys, ERC-735 claims, selective-disclosure access grants
/// @notice ONCHAINID-compatible. Deployed once as an implementation (constructor argument 0, locked) and cloned per
/// subject (ERC-1167) by IdentityFactory, or deployed directly with a management wallet (ClaimIssuer does this).
/// Differences from ONCHAINID, on purpose: `keyHasPurpose` is exact (a management key is not implicitly a claim
/// signer); claim signatures are EIP-712, low-s, v in {27, 28} and bind identity, topic, data, window, chain and
/// issuer; every claim carries a validity window in its data (see ClaimData); the last management key cannot be
/// removed; a topic holds at most MAX_CLAIMS_PER_TOPIC claims so registry checks stay bounded.
contract Identity is IIdentity, IMasqueClaims, AccessGrants, EIP712 {
    /// @notice Key purpose: manages keys, claims and grants.
    uint256 public constant MANAGEMENT = 1;
    /// @notice Key purpose: executes calls to other contracts.
    uint256 public constant ACTION = 2;
    /// @notice Key purpose: signs claims (on an issuer) / adds claims (on a holder).
    uint256 public constant CLAIM_SIGNER = 3;
    /// @notice Key purpose: encryption (informational).
    uint256 public constant ENCRYPTION = 4;
    /// @notice Key type of keccak256(abi.encode(address)) keys.
    uint256 public constant ECDSA_KEY_TYPE = 1;
    /// @notice Bound on claims per topic, which bounds IdentityRegistry.isVerified's loop.
    uint256 public constant MAX_CLAIMS_PER_TOPIC = 16;
    /// @notice Highest key purpose (purposes are bits of a 128-bit word).
    uint256 public constant MAX_PURPOSE = 127;

    /// @dev One slot: bit p of `purposes` set = purpose p (1..127), so one SLOAD answers keyHasPurpose and a new
    /// key costs a single fresh slot.
    struct Key {
        uint128 purposes;
        uint128 keyType;
    }

    /// @dev Stored decoded, in 6 slots + the uri, instead of as three dynamic byte strings (12+ slots): the
    /// signature as (r, s, v) and the data as (documentHash, issuedAt, expiresAt), re-encoded byte for byte on
    /// read (addClaim only accepts the canonical 65-byte signature and 96-byte data). issuer, scheme and v share a
    /// slot. A first claim costs ~110k gas less than with byte strings.
    struct Claim {
        uint256 topic;
        address issuer;
        uint64 scheme;
        uint8 v;
        bytes32 r;
        bytes32 s;
        bytes32 documentHash;
        uint64 issuedAt;
        uint64 expiresAt;
        string uri;
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
    error TooManyClaimsForTopic(uint256 topic);

    /// @dev The implementation's own address: clones run its code at another address, so `initialize` can refuse
    /// to run on the implementation itself without spending a storage slot on an "initialized" flag.
    address private immutable _self;
    uint256 private _executionNonce;
    mapping(bytes32 key => Key) private _keys;
    mapping(uint256 purpose => bytes32[]) private _keysByPurpose;
    mapping(uint256 id => Execution) private _executions;
    mapping(bytes32 claimId => Claim) private _claims;
    mapping(uint256 topic => bytes32[]) private _claimsByTopic;

    /// @param initialManagementWallet The first management key's wallet, or 0 to lock this contract as the
    /// implementation behind clones (whose state starts empty and is set by `initialize`).
    constructor(address initialManagementWallet) EIP712("Masque Identity", "1") {
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
        return true;
    }

    /// @inheritdoc IERC734
    /// @dev Runs at once when the caller has a management key, or an action key and `to` is not this identity;
    /// otherwise the request waits for `approve`.
    function execute(address to, uint256 value, bytes calldata data) external payable returns (uint256 executionId) {
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
    /// @dev Management or claim key (purpose 3) of this identity. The claim must be valid now: for a claim by another
    /// issuer, `issuer.isClaimValid(this, ...)` must return true; for a self-issued claim, this identity's own check.
    /// Re-adding a claim for the same (issuer, topic) replaces it (ClaimChanged). Signatures must be 65 bytes
    /// (r, s, v), scheme below 2^64.
    function addClaim(
        uint256 topic, uint256 scheme, address issuer, bytes calldata signature, bytes calldata data, string calldata uri
    ) external returns (bytes32 claimId) {
        if (!_isManager(msg.sender) && !_hasPurpose(_walletKey(msg.sender), CLAIM_SIGNER)) revert NotClaimKey();
        (bool ok,,,) = ClaimData.decode(data);
        if (!ok || scheme > type(uint64).max) revert InvalidClaimData();
        if (signature.length != 65) revert UnsupportedSignature();
        if (issuer == address(this)) {
            if (!_isClaimValid(address(this), topic, signature, data)) revert InvalidClaim();
        } else if (!_issuerSaysValid(issuer, topic, signature, data)) {
            revert InvalidClaim();
        }

        claimId = keccak256(abi.encode(issuer, topic));
        Claim storage c = _claims[claimId];
        bool exists = c.issuer != address(0);
        if (!exists) {
            bytes32[] storage ids = _claimsByTopic[topic];
            if (ids.length >= MAX_CLAIMS_PER_TOPIC) revert TooManyClaimsForTopic(topic);
            ids.push(claimId);
            c.topic = topic;
        }
        c.issuer = issuer;
        c.scheme = uint64(scheme);
        _storeSignatureAndData(c, signature, data);
        c.uri = uri;
        _emitClaimStored(claimId, c, exists);
    }

    /// @dev Split out of addClaim for stack room (no viaIR). Both were checked canonical by addClaim.
    function _storeSignatureAndData(Claim storage c, bytes calldata signature, bytes calldata data) private {
        c.v = uint8(signature[64]);
        c.r = bytes32(signature[0:32]);
        c.s = bytes32(signature[32:64]);
        (, bytes32 documentHash, uint64 issuedAt, uint64 expiresAt) = ClaimData.decode(data);
        c.documentHash = documentHash;
        c.issuedAt = issuedAt;
        c.expiresAt = expiresAt;
    }

    /// @dev Split out of addClaim, whose calldata arguments leave no stack room for the event (no viaIR).
    function _emitClaimStored(bytes32 claimId, Claim storage c, bool replaced) private {
        if (replaced) emit ClaimChanged(claimId, c.topic, c.scheme, c.issuer, _signatureOf(c), _dataOf(c), c.uri);
        else emit ClaimAdded(claimId, c.topic, c.scheme, c.issuer, _signatureOf(c), _dataOf(c), c.uri);
    }

    function _signatureOf(Claim storage c) private view returns (bytes memory) {
        return abi.encodePacked(c.r, c.s, c.v);
    }

    function _dataOf(Claim storage c) private view returns (bytes memory) {
        return abi.encode(c.documentHash, c.issuedAt, c.expiresAt);
    }

    /// @inheritdoc IERC735
    /// @dev Management key, claim key, or the claim's issuer.
    function removeClaim(bytes32 claimId) external returns (bool) {
        Claim storage c = _claims[claimId];
        address issuer = c.issuer;
        if (issuer == address(0)) revert ClaimNotFound();
        if (msg.sender != issuer && !_isManager(msg.sender) && !_hasPurpose(_walletKey(msg.sender), CLAIM_SIGNER)) {
            revert NotClaimKey();
        }
        uint256 topic = c.topic;
        emit ClaimRemoved(claimId, topic, c.scheme, issuer, _signatureOf(c), _dataOf(c), c.uri);

        // At most MAX_CLAIMS_PER_TOPIC entries: a scan is cheaper than a position slot written on every add.
        bytes32[] storage ids = _claimsByTopic[topic];
        uint256 n = ids.length;
        for (uint256 i = 0; i < n; ++i) {
            if (ids[i] == claimId) {
                ids[i] = ids[n - 1];
                ids.pop();
                break;
            }
        }
        delete _claims[claimId];
        return true;
    }

    /// @inheritdoc IERC735
    function getClaim(bytes32 claimId) external view returns (
        uint256 topic, uint256 scheme, address issuer, bytes memory signature, bytes memory data, string memory uri
    ) {
        Claim storage c = _claims[claimId];
        if (c.issuer == address(0)) return (0, 0, address(0), "", "", "");
        return (c.topic, c.scheme, c.issuer, _signatureOf(c), _dataOf(c), c.uri);
    }

    /// @inheritdoc IERC735
    function getClaimIdsByTopic(uint256 topic) external view returns (bytes32[] memory) {
        return _claimsByTopic[topic];
    }

    /// @inheritdoc IMasqueClaims
    /// @dev What IdentityRegistry.isVerified needs, without uri and scheme: one call and several SLOADs fewer per
    /// topic than getClaimIdsByTopic + getClaim.
    function getClaimsForVerification(uint256 topic)
        external view returns (address[] memory issuers, bytes[] memory signatures, bytes[] memory data)
    {
        bytes32[] storage ids = _claimsByTopic[topic];
        uint256 n = ids.length;
        issuers = new address[](n);
        signatures = new bytes[](n);
        data = new bytes[](n);
        for (uint256 i = 0; i < n; ++i) {
            Claim storage c = _claims[ids[i]];
            issuers[i] = c.issuer;
            signatures[i] = _signatureOf(c);
            data[i] = _dataOf(c);
        }
    }

    /// @notice The validity window of a held claim (zeroes when absent).
    function getClaimValidity(bytes32 claimId) external view returns (uint64 issuedAt, uint64 expiresAt) {
        Claim storage c = _claims[claimId];
        return (c.issuedAt, c.expiresAt);
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

    function _addKey(bytes32 key, uint256 purpose, uint256 keyType) private {
        _checkPurpose(purpose);
        if (key == bytes32(0)) revert InvalidKey();
        if (keyType > type(uint128).max) revert InvalidKey();
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
    function _issuerSaysValid(address issuer, uint256 topic, bytes calldata sig, bytes calldata data)
        private view returns (bool)
    {
        (bool ok, bytes memory ret) = issuer.staticcall(
            abi.encodeCall(IIdentity.isClaimValid, (IIdentity(address(this)), topic, sig, data))
        );
        return ok && ret.length == 32 && abi.decode(ret, (uint256)) == 1;
    }
}
