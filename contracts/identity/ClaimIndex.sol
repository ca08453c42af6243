// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IClaimIndex} from "../interfaces/IClaimIndex.sol";

/**
 * @title Which issuers' claims an identity holds per topic, with a verification record of the first one
 * @notice Inherited by Identity. On a directly deployed identity the index is its own (key: its address, no record is
 * ever trusted by a registry). On the implementation behind IdentityFactory's clones it is the index of **every
 * clone** (key: the clone), written only by clones (EXTCODEHASH = the ERC-1167 code of a clone of this contract, so
 * the code that writes a row is this code, which verifies a claim with its issuer first), and read by identity
 * registries: one contract, warm after the first wallet, instead of one cold account per identity and per issuer.
 *
 * Row per (identity, topic), one slot: the first claim's issuer, its record (expiresAt as uint40, the issuer's epoch
 * when the claim was verified; 0 = no record) and the number of claims held; issuers of further claims in
 * `_moreIssuers`. Per issuer one slot: its epoch (0 = not registered). A record counts while its epoch is the issuer's
 * current one (see `verificationRecord`); the reader checks expiry and trust.
 */
abstract contract ClaimIndex is IClaimIndex {
    /// @notice Bound on claims per topic, which bounds IdentityRegistry.isVerified's full check.
    uint256 public constant MAX_CLAIMS_PER_TOPIC = 16;

    struct TopicHead {
        address issuer;
        uint40 expiresAt;
        uint48 epoch;
        uint8 count;
    }

    error TooManyClaimsForTopic(uint256 topic);
    /// @notice An issuer operation on a contract that is not a clones' implementation.
    error NotAnIndex();

    /// @dev True on the implementation behind clones (constructed without a management wallet).
    bool private immutable _isIndex;
    /// @dev EXTCODEHASH of an ERC-1167 clone of this contract: the only writers of this index.
    bytes32 private immutable _cloneCodeHash;
    /// @dev Claims are EIP-712 signatures bound to a chain id: on a fork with another id no record counts.
    uint256 private immutable _indexChainId;

    mapping(address identity => mapping(uint256 topic => TopicHead)) private _heads;
    mapping(address identity => mapping(uint256 topic => mapping(uint256 index => address))) private _moreIssuers;
    mapping(address issuer => uint256) private _issuerEpochs;

    /// @param isIndex Whether this contract is the implementation behind clones (the shared index).
    constructor(bool isIndex) {
        if (!isIndex) return;
        _isIndex = true;
        _cloneCodeHash = keccak256(abi.encodePacked(hex"363d3d373d3d3d363d73", address(this), hex"5af43d82803e903d91602b57fd5bf3"));
        _indexChainId = block.chainid;
    }

    modifier onlyClone() {
        if (!_isIndex || msg.sender.codehash != _cloneCodeHash) revert NotAClone(msg.sender);
        _;
    }

    modifier onlyIndex() {
        if (!_isIndex) revert NotAnIndex();
        _;
    }

    // ---------------------------------------------------------------- written by clones (their own rows)

    /// @notice A clone added (or replaced, `replaced`) the claim of `issuer` for `topic`, verified with the issuer in
    /// the same call; records it when it is the topic's first claim.
    function indexLink(uint256 topic, address issuer, uint256 expiresAt, bool replaced) external onlyClone {
        _link(msg.sender, topic, issuer, expiresAt, replaced, true);
    }

    /// @notice A clone removed the claim of `issuer` for `topic`.
    function indexUnlink(uint256 topic, address issuer) external onlyClone {
        _unlink(msg.sender, topic, issuer);
    }

    /// @notice A clone re-verified the first claim of `topic` (`valid`: what the issuer answered just now).
    function indexRefresh(uint256 topic, address issuer, uint256 expiresAt, bool valid) external onlyClone {
        _refresh(msg.sender, topic, issuer, expiresAt, valid, true);
    }

    // ---------------------------------------------------------------- written by issuers

    /// @inheritdoc IClaimIndex
    /// @dev Only a contract under construction (no code yet, not the transaction's sender): whether an issuer reports
    /// here is fixed by its code (ClaimIssuer's constructor), never by a later decision of one of its key holders.
    function registerIssuer() external {
        if (!_isIndex || msg.sender.code.length != 0 || msg.sender == tx.origin) revert RegistrationClosed();
        if (_issuerEpochs[msg.sender] != 0) return;
        _issuerEpochs[msg.sender] = 1;
        emit IssuerRegistered(msg.sender);
    }

    /// @inheritdoc IClaimIndex
    function advanceIssuerEpoch() external onlyIndex {
        uint256 e = _issuerEpochs[msg.sender];
        if (e == 0) return;
        _issuerEpochs[msg.sender] = e + 1;
        emit IssuerEpochAdvanced(msg.sender, e + 1);
    }

    /// @inheritdoc IClaimIndex
    function revokeRecord(address identity, uint256 topic) external onlyIndex {
        TopicHead storage h = _heads[identity][topic];
        if (h.issuer != msg.sender || h.epoch == 0) return;
        h.epoch = 0;
        emit RecordRevoked(identity, topic, msg.sender);
    }

    // ---------------------------------------------------------------- views

    /// @inheritdoc IClaimIndex
    function issuerEpoch(address issuer) external view returns (uint256) {
        return _issuerEpochs[issuer];
    }

    /// @inheritdoc IClaimIndex
    /// @dev On every isVerified of a transfer: the row read as one word (TopicHead: issuer, expiresAt << 160,
    /// epoch << 200, count << 248) instead of a struct copy.
    function verificationRecord(address identity, uint256 topic) public view returns (uint256) {
        TopicHead storage h = _heads[identity][topic];
        uint256 word;
        assembly ("memory-safe") {
            word := sload(h.slot)
        }
        uint256 epoch = (word >> 200) & type(uint48).max;
        address issuer = address(uint160(word));
        if (epoch == 0 || epoch != _issuerEpochs[issuer] || block.chainid != _indexChainId) return 0;
        return word & ((1 << 200) - 1);
    }

    /// @inheritdoc IClaimIndex
    function verificationRecords(address identity, uint256[] calldata topics) external view returns (uint256[] memory records) {
        uint256 n = topics.length;
        records = new uint256[](n);
        for (uint256 i = 0; i < n; ++i) {
            records[i] = verificationRecord(identity, topics[i]);
        }
    }

    /// @inheritdoc IClaimIndex
    function topicHead(address identity, uint256 topic)
        external view returns (address issuer, uint40 expiresAt, uint48 epoch, uint8 count)
    {
        TopicHead memory h = _heads[identity][topic];
        return (h.issuer, h.expiresAt, h.epoch, h.count);
    }

    /// @inheritdoc IClaimIndex
    function claimIssuers(address identity, uint256 topic) external view returns (address[] memory) {
        return _issuersIn(identity, topic);
    }

    // ---------------------------------------------------------------- the index itself

    /// @dev Adds `issuer` to the topic's issuers unless it is a replacement, and writes the record when it is the
    /// topic's first claim (`recordable`: the issuer's current epoch; else none). One SSTORE of the row.
    function _link(address id, uint256 topic, address issuer, uint256 expiresAt, bool replaced, bool recordable) internal {
        TopicHead memory h = _heads[id][topic];
        if (!replaced) {
            uint256 n = h.count;
            if (n >= MAX_CLAIMS_PER_TOPIC) revert TooManyClaimsForTopic(topic);
            if (n == 0) h.issuer = issuer;
            else _moreIssuers[id][topic][n] = issuer;
            h.count = uint8(n + 1);
        }
        if (h.issuer == issuer) _setRecord(h, issuer, expiresAt, recordable);
        _heads[id][topic] = h;
    }

    /// @dev Removes `issuer` from the topic's issuers (at most MAX_CLAIMS_PER_TOPIC: a scan, no position slots). When
    /// the first claim goes, the last one takes its place without a record until it is refreshed.
    function _unlink(address id, uint256 topic, address issuer) internal {
        TopicHead storage h = _heads[id][topic];
        uint256 last = h.count - 1;
        mapping(uint256 => address) storage more = _moreIssuers[id][topic];
        if (h.issuer == issuer) {
            if (last == 0) {
                delete _heads[id][topic];
                return;
            }
            address moved = more[last];
            delete more[last];
            _heads[id][topic] = TopicHead(moved, 0, 0, uint8(last));
            return;
        }
        for (uint256 i = 1; i <= last; ++i) {
            if (more[i] == issuer) {
                more[i] = more[last];
                delete more[last];
                break;
            }
        }
        h.count = uint8(last);
    }

    /// @dev Rewrites the record of the topic's first claim, if `issuer` is its issuer.
    function _refresh(address id, uint256 topic, address issuer, uint256 expiresAt, bool valid, bool recordable) internal {
        TopicHead memory h = _heads[id][topic];
        if (h.issuer != issuer || h.count == 0) return;
        _setRecord(h, issuer, expiresAt, valid && recordable);
        _heads[id][topic] = h;
    }

    function _setRecord(TopicHead memory h, address issuer, uint256 expiresAt, bool recordable) private view {
        // Canonical claim data has expiresAt < 2^64; 40 bits reach year 36812, beyond that it is capped.
        h.expiresAt = expiresAt > type(uint40).max ? type(uint40).max : uint40(expiresAt);
        h.epoch = recordable ? uint48(_issuerEpochs[issuer]) : 0;
    }

    function _headOf(address id, uint256 topic) internal view returns (TopicHead memory) {
        return _heads[id][topic];
    }

    function _issuersIn(address id, uint256 topic) internal view returns (address[] memory issuers) {
        TopicHead memory h = _heads[id][topic];
        uint256 n = h.count;
        issuers = new address[](n);
        if (n == 0) return issuers;
        issuers[0] = h.issuer;
        mapping(uint256 => address) storage more = _moreIssuers[id][topic];
        for (uint256 i = 1; i < n; ++i) {
            issuers[i] = more[i];
        }
    }
}
