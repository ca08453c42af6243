// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/**
 * @title The claim index of every clone of one Identity implementation, and the verification records in it
 * @notice The Identity implementation contract is also the index of its clones: per (identity, topic) the issuers of
 * the claims held and, for the first one, its **verification record** (expiry and the issuer's epoch when the claim was
 * verified). Only clones write their own rows (their code verified the claim with its issuer first); issuers that
 * registered here at construction report every invalidation here (a revocation of one holder's claim clears that
 * record, a claim-signer key removal or a revocation by signature advances their epoch, which voids all their
 * records at once). So an identity registry learns of every change in the same block with one call to one contract,
 * whatever the identity and the issuer.
 */
interface IClaimIndex {
    /// @notice `issuer` registered here (from its constructor): it reports every invalidation of its claims here.
    event IssuerRegistered(address indexed issuer);
    /// @notice Every record of `issuer`'s claims taken under an earlier epoch no longer counts.
    event IssuerEpochAdvanced(address indexed issuer, uint256 epoch);
    /// @notice `issuer` revoked the claim behind the record of (`identity`, `topic`): the record no longer counts.
    event RecordRevoked(address indexed identity, uint256 indexed topic, address indexed issuer);

    /// @notice An index operation from a caller that is not a clone of this implementation (or on a contract that is
    /// not an implementation).
    error NotAClone(address caller);
    /// @notice Registration is only open to a contract under construction (its code, not a later key holder, decides).
    error RegistrationClosed();

    /// @notice Registers the calling contract as an issuer reporting here (only from its constructor; idempotent).
    function registerIssuer() external;

    /// @notice The calling issuer voids every record of its claims (no-op when it never registered).
    function advanceIssuerEpoch() external;

    /// @notice The calling issuer revoked the claim behind the record of (`identity`, `topic`); the record is cleared
    /// when that claim is the calling issuer's (no-op otherwise).
    function revokeRecord(address identity, uint256 topic) external;

    /// @notice The issuer's current epoch (0: not registered here).
    function issuerEpoch(address issuer) external view returns (uint256);

    /// @notice The record of `identity`'s first claim for `topic` if it still counts (taken under the issuer's current
    /// epoch, not revoked, on the chain it was taken on), packed: issuer (bits 0-159) | expiresAt (160-199); else 0.
    /// Expiry and whether the issuer is trusted for the topic are the reader's to check.
    function verificationRecord(address identity, uint256 topic) external view returns (uint256);

    /// @notice `verificationRecord` for several topics.
    function verificationRecords(address identity, uint256[] calldata topics) external view returns (uint256[] memory);

    /// @notice The raw index row of (`identity`, `topic`): first issuer, its record (expiresAt, epoch taken; 0: none)
    /// and the number of claims held.
    function topicHead(address identity, uint256 topic)
        external view returns (address issuer, uint40 expiresAt, uint48 epoch, uint8 count);

    /// @notice Issuers of the claims `identity` holds for `topic` (the first one is the record's).
    function claimIssuers(address identity, uint256 topic) external view returns (address[] memory);
}
