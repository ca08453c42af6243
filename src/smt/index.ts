/**
 * Quinary Poseidon sparse Merkle tree (docs/protocol.md, "Sparse Merkle tree"): the tree, its proofs, the
 * fixed-size proof form for circuits, and the stores (in-memory, SQLite). See README.md in this folder.
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
export { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js';
