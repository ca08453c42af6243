// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ICredentialQueryVerifier, IHolderAuthVerifier} from "../../../contracts/interfaces/IZkVerifiers.sol";

/// @title TEST DOUBLE of the Groth16 credential-query verifier, for the invariant campaign only. Never deploy it.
/// @notice A "proof" is valid iff `a[0] == proofFor(signals)`: it commits to all 28 public signals, as a real proof
/// does, so a proof made for one sender, request, nullifier or timestamp fails for any other, and the fuzzer can
/// also bring invalid ones.
/// @dev Why a double: a real proof takes ~2 s to generate (src/zk/prover.ts), so a campaign of thousands of calls
/// cannot use them, and the fuzzer cannot invent valid ones. What it replaces is exactly one call,
/// `verifier.verifyProof(a, b, c, signals)`, the last check of ZkQueryVerifier; every rule this campaign is about
/// (nullifiers spent once, bound to one wallet, request and timestamp checks, gate marks and epochs) is the real
/// contracts' code. The real pairing check is covered by the anvil suites with real proofs
/// (src/chain/zk-query.test.ts, zk-gate.test.ts).
/// The holder-auth proof is doubled the same way (`authProofFor`, its 3 signals).
contract CommitmentQueryVerifier is ICredentialQueryVerifier, IHolderAuthVerifier {
    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata, uint256[2] calldata, uint256[28] calldata signals)
        external pure returns (bool)
    {
        return a[0] == proofFor(signals);
    }

    function verifyProof(uint256[2] calldata a, uint256[2][2] calldata, uint256[2] calldata, uint256[3] calldata signals)
        external pure returns (bool)
    {
        return a[0] == authProofFor(signals);
    }

    /// @notice The `a[0]` that makes a proof of `signals` valid.
    function proofFor(uint256[28] memory signals) public pure returns (uint256) {
        return uint256(keccak256(abi.encode("masque-test-proof", signals)));
    }

    /// @notice The `a[0]` that makes a holder-auth proof of `signals` valid.
    function authProofFor(uint256[3] memory signals) public pure returns (uint256) {
        return uint256(keccak256(abi.encode("masque-test-auth-proof", signals)));
    }
}
