/**
 * Quinary Poseidon sparse Merkle tree (docs/protocol.md, "Sparse Merkle tree"): the tree, its proofs, the
 * fixed-size proof form for circuits, and the in-memory store. See README.md in this folder.
 *
 * Browser-safe: the SQLite store (better-sqlite3, Node only) is its own entry point, ./sqlite-store.js, so a bundle
 * of this module never pulls it in.
 */
export { SparseMerkleTree, type TreeOptions, type TreeWriter, type BatchOp, type AtRoot } from './tree.js';
export { verifyProof, proofRoot, type Proof, type AuxLeaf, type VerifyOptions } from './proof.js';
export { SmtError, type SmtErrorCode } from './errors.js';
export { MemoryStore } from './memory-store.js';
export type { TreeStore, RootRecord } from './store.js';
export type { SmtNode, LeafNode, MiddleNode } from './node.js';
export { leafHash, middleHash } from './hash.js';
export { keyDigits, ARITY, MAX_DEPTH } from './path.js';
export { toCircuitProof, fromCircuitProof, verifyCircuitProof, type CircuitProof, type CircuitProofInput } from './circuit.js';
