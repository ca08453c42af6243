// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IIdentityStateRegistry} from "../interfaces/IIdentityStateRegistry.sol";
import {ICredentialQueryVerifier, IHolderAuthVerifier} from "../interfaces/IZkVerifiers.sol";
import {MasqueId} from "./MasqueId.sol";

/// @title Registry of credential-query requests, and the on-chain verifier of their zero-knowledge answers
/// @notice A verifier (a contract or a dApp) registers a request: schema hash, slot, operator, values, trusted issuer
/// IDs, how long a replaced issuer state stays acceptable, and how old a proof's public timestamp may be. The
/// circuit's `verifierId` is the request owner's address as an integer (`uint160(owner)`) and its `requestId` is
/// assigned here: `uint256(keccak256(abi.encode(block.chainid, address(this), n))) >> 8` for the n-th request
/// (n = 1, 2, ...), unique per chain and registry and below 2^248 (a field element). Together they scope the
/// nullifier H(holderId, verifierId, requestId).
///
/// A response is two Groth16 proofs: the credential query (circuits/credentialQuery.circom) and the holder's
/// authentication (circuits/holderAuth.circom: a key of the holder's latest state, through the GIST), bound by equal
/// commitments H(holderId, salt) and equal challenges. It is accepted when every public signal answers the request,
/// the challenge is the submitting wallet (`challenge == uint160(msg.sender)`, so proofs seen in the mempool are
/// useless to anyone else; the holder knows it in advance, so the auth proof can be made before the request), the
/// public timestamp is not in the future nor older than the request allows, the issuer is trusted by the request
/// and its state valid in the IdentityStateRegistry, the auth proof's GIST root is the registry's current root or
/// one replaced at most `issuerStateMaxAge` seconds ago (the same grace: a key rotated out, like a claim revoked,
/// stops proving after it), the nullifier was never accepted here, and both proofs verify (checked last). `checkResponse` runs the same checks without consuming anything; `checkProof` runs all
/// but the nullifier check, for consumers that keep their own nullifier rules (ZkComplianceGate).
///
/// Refusal codes (`checkResponse`, `checkProof`, `ResponseRefused(code)`): 0 OK, 1 UNKNOWN_REQUEST,
/// 2 REQUEST_INACTIVE, 3 WRONG_SCHEMA, 4 WRONG_SLOT, 5 WRONG_OPERATOR, 6 WRONG_VALUES, 7 WRONG_VERIFIER_ID,
/// 8 WRONG_REQUEST_ID, 9 WRONG_CHALLENGE, 10 TIMESTAMP_IN_FUTURE, 11 PROOF_TOO_OLD, 12 ISSUER_NOT_TRUSTED,
/// 13 ISSUER_STATE_INVALID, 14 NULLIFIER_USED, 15 INVALID_PROOF, 16 AUTH_MISMATCH (commitments or challenges
/// differ), 17 GIST_ROOT_INVALID, 18 INVALID_AUTH_PROOF.
contract ZkQueryVerifier {
    uint8 public constant OK = 0;
    uint8 public constant UNKNOWN_REQUEST = 1;
    uint8 public constant REQUEST_INACTIVE = 2;
    uint8 public constant WRONG_SCHEMA = 3;
    uint8 public constant WRONG_SLOT = 4;
    uint8 public constant WRONG_OPERATOR = 5;
    uint8 public constant WRONG_VALUES = 6;
    uint8 public constant WRONG_VERIFIER_ID = 7;
    uint8 public constant WRONG_REQUEST_ID = 8;
    uint8 public constant WRONG_CHALLENGE = 9;
    uint8 public constant TIMESTAMP_IN_FUTURE = 10;
    uint8 public constant PROOF_TOO_OLD = 11;
    uint8 public constant ISSUER_NOT_TRUSTED = 12;
    uint8 public constant ISSUER_STATE_INVALID = 13;
    uint8 public constant NULLIFIER_USED = 14;
    uint8 public constant INVALID_PROOF = 15;
    uint8 public constant AUTH_MISMATCH = 16;
    uint8 public constant GIST_ROOT_INVALID = 17;
    uint8 public constant INVALID_AUTH_PROOF = 18;

    /// @notice Number of public signals of the credential query proof and of the holder-auth proof.
    uint256 public constant QUERY_SIGNALS = 28;
    uint256 public constant AUTH_SIGNALS = 3;

    /// @notice Size of the circuit's public values array; shorter lists are padded by repeating values[0]
    /// (0 when empty), as src/zk's padValues does.
    uint256 public constant QUERY_VALUES = 16;
    /// @notice Orderings are proven for integers below 2^252 only (no proof exists beyond).
    uint256 public constant MAX_ORDERED_VALUE = (1 << 252) - 1;

    // Public signal positions (src/zk/types.ts CREDENTIAL_QUERY_SIGNALS).
    uint256 private constant S_NULLIFIER = 0;
    uint256 private constant S_REVEALED = 1;
    uint256 private constant S_COMMITMENT = 2;
    uint256 private constant S_ISSUER_ID = 3;
    uint256 private constant S_ISSUER_STATE = 4;
    uint256 private constant S_SCHEMA = 5;
    uint256 private constant S_SLOT = 6;
    uint256 private constant S_OPERATOR = 7;
    uint256 private constant S_VALUES = 8;
    uint256 private constant S_TIMESTAMP = 24;
    uint256 private constant S_VERIFIER_ID = 25;
    uint256 private constant S_REQUEST_ID = 26;
    uint256 private constant S_CHALLENGE = 27;
    // Holder-auth signals (src/zk/types.ts HOLDER_AUTH_SIGNALS).
    uint256 private constant A_COMMITMENT = 0;
    uint256 private constant A_GIST_ROOT = 1;
    uint256 private constant A_CHALLENGE = 2;

    /// @notice A Groth16 proof (snarkjs's order, as the exported verifiers take it).
    struct Proof {
        uint256[2] a;
        uint256[2][2] b;
        uint256[2] c;
    }

    /// @notice What a request asks (the input of `createRequest`). `values` unpadded (what the operator takes).
    struct RequestParams {
        uint256 schema;
        uint8 slotIndex;
        uint8 operator;
        uint256[] values;
        uint256[] trustedIssuers;
        /// @notice Seconds a replaced issuer state, or a replaced GIST root, stays acceptable after its replacement.
        uint64 issuerStateMaxAge;
        /// @notice Seconds a proof's public timestamp may lie in the past (> 0).
        uint64 maxProofAge;
    }

    /// @dev Slot 0 packs everything a response check reads besides the schema and values hash.
    struct Request {
        address owner;
        uint8 slotIndex;
        uint8 operator;
        bool active;
        uint64 issuerStateMaxAge;
        uint64 maxProofAge;
        uint256 schema;
        bytes32 paddedValuesHash;
    }

    /// @notice The state registry issuer states are checked against.
    IIdentityStateRegistry public immutable stateRegistry;
    /// @notice The Groth16 verifier of circuits/credentialQuery.circom.
    ICredentialQueryVerifier public immutable verifier;
    /// @notice The Groth16 verifier of circuits/holderAuth.circom.
    IHolderAuthVerifier public immutable authVerifier;

    /// @notice Number of requests created so far.
    uint256 public requestCount;
    mapping(uint256 requestId => Request) private _requests;
    mapping(uint256 requestId => uint256[]) private _values;
    mapping(uint256 requestId => uint256[]) private _issuers;
    mapping(uint256 requestId => mapping(uint256 issuerId => bool)) private _trusted;
    mapping(uint256 nullifier => bool) private _usedNullifiers;

    event RequestCreated(uint256 indexed requestId, address indexed owner);
    event RequestActiveSet(uint256 indexed requestId, bool active);
    /// @notice A response answered `requestId`; `revealedValue` is the disclosed slot for DISCLOSE, 0 otherwise.
    event ResponseAccepted(uint256 indexed requestId, uint256 indexed nullifier, address indexed sender, uint256 revealedValue);

    error InvalidSlotIndex();
    error InvalidOperator();
    /// @notice Wrong number of values for the operator, a value not a field element, or an ordering bound >= 2^252.
    error InvalidValues();
    /// @notice No trusted issuer, or one is not a well-formed Masque ID.
    error InvalidIssuers();
    error InvalidMaxProofAge();
    error UnknownRequest();
    error NotRequestOwner();
    /// @notice The response was refused; `code` is one of the refusal codes above.
    error ResponseRefused(uint8 code);

    constructor(IIdentityStateRegistry stateRegistry_, ICredentialQueryVerifier verifier_, IHolderAuthVerifier authVerifier_) {
        stateRegistry = stateRegistry_;
        verifier = verifier_;
        authVerifier = authVerifier_;
    }

    /// @notice Registers a request owned by the caller (its verifierId = uint160(msg.sender)); returns its id.
    function createRequest(RequestParams calldata p) external returns (uint256 requestId) {
        if (p.slotIndex != 2 && p.slotIndex != 3 && (p.slotIndex < 5 || p.slotIndex > 7)) revert InvalidSlotIndex();
        if (p.operator > 11) revert InvalidOperator();
        _checkValues(p.operator, p.values);
        uint256 nIssuers = p.trustedIssuers.length;
        if (nIssuers == 0) revert InvalidIssuers();
        if (p.maxProofAge == 0) revert InvalidMaxProofAge();

        uint256 n = ++requestCount;
        requestId = uint256(keccak256(abi.encode(block.chainid, address(this), n))) >> 8;
        _requests[requestId] = Request({
            owner: msg.sender,
            slotIndex: p.slotIndex,
            operator: p.operator,
            active: true,
            issuerStateMaxAge: p.issuerStateMaxAge,
            maxProofAge: p.maxProofAge,
            schema: p.schema,
            paddedValuesHash: keccak256(abi.encode(padValues(p.values)))
        });
        _values[requestId] = p.values;
        for (uint256 i = 0; i < nIssuers; ++i) {
            uint256 issuer = p.trustedIssuers[i];
            if (!MasqueId.isValid(issuer)) revert InvalidIssuers();
            if (_trusted[requestId][issuer]) continue;
            _trusted[requestId][issuer] = true;
            _issuers[requestId].push(issuer);
        }
        emit RequestCreated(requestId, msg.sender);
    }

    /// @notice Suspends (false) or resumes (true) answers to a request (its owner only).
    function setRequestActive(uint256 requestId, bool active) external {
        Request storage r = _requests[requestId];
        if (r.owner == address(0)) revert UnknownRequest();
        if (r.owner != msg.sender) revert NotRequestOwner();
        r.active = active;
        emit RequestActiveSet(requestId, active);
    }

    /// @notice Verifies a response (query proof + holder-auth proof) for the caller (challenge == uint160(msg.sender))
    /// and spends its nullifier. Reverts with `ResponseRefused(code)` otherwise.
    function submitResponse(
        uint256 requestId,
        Proof calldata query,
        uint256[28] calldata signals,
        Proof calldata auth,
        uint256[3] calldata authSignals
    ) external {
        uint8 code = _check(requestId, msg.sender, query, signals, auth, authSignals, true);
        if (code != OK) revert ResponseRefused(code);
        _usedNullifiers[signals[S_NULLIFIER]] = true;
        emit ResponseAccepted(requestId, signals[S_NULLIFIER], msg.sender, signals[S_REVEALED]);
    }

    /// @notice What `submitResponse` would answer if `sender` submitted this response now (0 = accepted).
    function checkResponse(
        uint256 requestId,
        address sender,
        Proof calldata query,
        uint256[28] calldata signals,
        Proof calldata auth,
        uint256[3] calldata authSignals
    ) external view returns (uint8 code) {
        return _check(requestId, sender, query, signals, auth, authSignals, true);
    }

    /// @notice Every check of `checkResponse` except the nullifier's: for a consumer contract that applies its own
    /// nullifier rule (the proofs are still bound to `sender` through the challenge).
    function checkProof(
        uint256 requestId,
        address sender,
        Proof calldata query,
        uint256[28] calldata signals,
        Proof calldata auth,
        uint256[3] calldata authSignals
    ) external view returns (uint8 code) {
        return _check(requestId, sender, query, signals, auth, authSignals, false);
    }

    /// @notice Whether a response with this nullifier was accepted by `submitResponse`.
    function isNullifierUsed(uint256 nullifier) external view returns (bool) {
        return _usedNullifiers[nullifier];
    }

    /// @notice Whether `requestId` was created here.
    function requestExists(uint256 requestId) external view returns (bool) {
        return _requests[requestId].owner != address(0);
    }

    /// @notice A request's parameters, its owner (verifierId = uint160(owner)) and whether it takes answers.
    function getRequest(uint256 requestId)
        external
        view
        returns (RequestParams memory p, address owner, bool active)
    {
        Request storage r = _requests[requestId];
        if (r.owner == address(0)) revert UnknownRequest();
        p = RequestParams({
            schema: r.schema,
            slotIndex: r.slotIndex,
            operator: r.operator,
            values: _values[requestId],
            trustedIssuers: _issuers[requestId],
            issuerStateMaxAge: r.issuerStateMaxAge,
            maxProofAge: r.maxProofAge
        });
        return (p, r.owner, r.active);
    }

    /// @notice The 16 values the circuit takes: `values` then values[0] repeated (0 when empty).
    function padValues(uint256[] calldata values) public pure returns (uint256[16] memory padded) {
        uint256 n = values.length;
        uint256 first = n == 0 ? 0 : values[0];
        for (uint256 i = 0; i < QUERY_VALUES; ++i) {
            padded[i] = i < n ? values[i] : first;
        }
    }

    /// @dev The circuit range-checks only the private slot value: an ordering bound of 2^252 or more would be
    /// misread by its comparators, and this check is what keeps such a request from ever being answered.
    function _checkValues(uint8 op, uint256[] calldata values) private pure {
        uint256 n = values.length;
        // NOOP 0, DISCLOSE 11: none; IN 4 / NOT_IN 5: 1..16; IN_RANGE 9 / NOT_IN_RANGE 10: 2; others: 1.
        bool countOk = (op == 0 || op == 11) ? n == 0 : (op == 4 || op == 5) ? (n >= 1 && n <= QUERY_VALUES)
            : (op == 9 || op == 10) ? n == 2 : n == 1;
        if (!countOk) revert InvalidValues();
        bool ordered = op == 2 || op == 3 || op == 7 || op == 8 || op == 9 || op == 10;
        for (uint256 i = 0; i < n; ++i) {
            if (values[i] >= MasqueId.FIELD_ORDER || (ordered && values[i] > MAX_ORDERED_VALUE)) revert InvalidValues();
        }
    }

    function _check(
        uint256 requestId,
        address sender,
        Proof calldata query,
        uint256[28] calldata s,
        Proof calldata auth,
        uint256[3] calldata t,
        bool withNullifier
    ) private view returns (uint8) {
        Request storage r = _requests[requestId];
        address owner = r.owner;
        if (owner == address(0)) return UNKNOWN_REQUEST;
        if (!r.active) return REQUEST_INACTIVE;
        if (s[S_SCHEMA] != r.schema) return WRONG_SCHEMA;
        if (s[S_SLOT] != r.slotIndex) return WRONG_SLOT;
        if (s[S_OPERATOR] != r.operator) return WRONG_OPERATOR;
        if (_valuesHash(s) != r.paddedValuesHash) return WRONG_VALUES;
        if (s[S_VERIFIER_ID] != uint160(owner)) return WRONG_VERIFIER_ID;
        if (s[S_REQUEST_ID] != requestId) return WRONG_REQUEST_ID;
        if (s[S_CHALLENGE] != uint160(sender)) return WRONG_CHALLENGE;
        if (t[A_COMMITMENT] != s[S_COMMITMENT] || t[A_CHALLENGE] != s[S_CHALLENGE]) return AUTH_MISMATCH;
        uint256 ts = s[S_TIMESTAMP];
        if (ts > block.timestamp) return TIMESTAMP_IN_FUTURE;
        if (block.timestamp - ts > r.maxProofAge) return PROOF_TOO_OLD;
        if (!_trusted[requestId][s[S_ISSUER_ID]]) return ISSUER_NOT_TRUSTED;
        if (!stateRegistry.isStateValid(s[S_ISSUER_ID], s[S_ISSUER_STATE], r.issuerStateMaxAge)) {
            return ISSUER_STATE_INVALID;
        }
        if (!stateRegistry.isGistRootValid(t[A_GIST_ROOT], r.issuerStateMaxAge)) return GIST_ROOT_INVALID;
        if (withNullifier && _usedNullifiers[s[S_NULLIFIER]]) return NULLIFIER_USED;
        if (!verifier.verifyProof(query.a, query.b, query.c, s)) return INVALID_PROOF;
        if (!authVerifier.verifyProof(auth.a, auth.b, auth.c, t)) return INVALID_AUTH_PROOF;
        return OK;
    }

    function _valuesHash(uint256[28] calldata s) private pure returns (bytes32 h) {
        assembly ("memory-safe") {
            let ptr := mload(0x40)
            calldatacopy(ptr, add(s, mul(S_VALUES, 32)), mul(QUERY_VALUES, 32))
            h := keccak256(ptr, mul(QUERY_VALUES, 32))
        }
    }
}
