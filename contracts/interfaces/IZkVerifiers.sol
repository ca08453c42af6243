// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Groth16 verifier of circuits/stateTransition.circom (contracts/zk/verifiers/StateTransitionVerifier.sol)
/// @notice Public signals, in order: [id, oldState, newState, isOldStateGenesis, gistOldRoot, gistNewRoot].
interface IStateTransitionVerifier {
    function verifyProof(
        uint256[2] calldata pA, uint256[2][2] calldata pB, uint256[2] calldata pC, uint256[6] calldata pubSignals
    ) external view returns (bool);
}

/// @title Groth16 verifier of circuits/credentialQuery.circom (contracts/zk/verifiers/CredentialQueryVerifier.sol)
/// @notice 28 public signals, in the order of src/zk/README.md (CREDENTIAL_QUERY_SIGNALS).
interface ICredentialQueryVerifier {
    function verifyProof(
        uint256[2] calldata pA, uint256[2][2] calldata pB, uint256[2] calldata pC, uint256[28] calldata pubSignals
    ) external view returns (bool);
}

/// @title Groth16 verifier of circuits/holderAuth.circom (contracts/zk/verifiers/HolderAuthVerifier.sol)
/// @notice Public signals, in order: [commitment, gistRoot, challenge].
interface IHolderAuthVerifier {
    function verifyProof(
        uint256[2] calldata pA, uint256[2][2] calldata pB, uint256[2] calldata pC, uint256[3] calldata pubSignals
    ) external view returns (bool);
}
