// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Groth16 verifier of circuits/stateTransition.circom (contracts/zk/verifiers/StateTransitionVerifier.sol)
/// @notice Public signals, in order: [id, oldState, newState, isOldStateGenesis].
interface IStateTransitionVerifier {
    function verifyProof(
        uint256[2] calldata pA, uint256[2][2] calldata pB, uint256[2] calldata pC, uint256[4] calldata pubSignals
    ) external view returns (bool);
}

/// @title Groth16 verifier of circuits/credentialQuery.circom (contracts/zk/verifiers/CredentialQueryVerifier.sol)
/// @notice 27 public signals, in the order of src/zk/README.md (CREDENTIAL_QUERY_SIGNALS).
interface ICredentialQueryVerifier {
    function verifyProof(
        uint256[2] calldata pA, uint256[2][2] calldata pB, uint256[2] calldata pC, uint256[27] calldata pubSignals
    ) external view returns (bool);
}
