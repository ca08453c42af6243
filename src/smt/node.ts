import { readField, writeField } from './bytes.js';
import { ARITY } from './path.js';

/** A stored, immutable node. Empty subtrees are not nodes: they are the hash 0. */
export type SmtNode = LeafNode | MiddleNode;

export interface LeafNode {
  readonly kind: 'leaf';
  readonly key: bigint;
  readonly value: bigint;
}

export interface MiddleNode {
  readonly kind: 'middle';
  /** Exactly 5 child hashes, 0n for an empty child. */
  readonly children: readonly bigint[];
}

const LEAF_TAG = 1;
const MIDDLE_TAG = 2;

/**
 * Leaf: tag, key, value (65 bytes). Middle: tag, a bitmap of the non-empty children, then only those
 * hashes: most middle nodes near the leaves have 2 or 3 children, so this roughly halves the disk use.
 */
export function encodeNode(node: SmtNode): Buffer {
  if (node.kind === 'leaf') {
    const out = Buffer.allocUnsafe(65);
    out[0] = LEAF_TAG;
    writeField(out, 1, node.key);
    writeField(out, 33, node.value);
    return out;
  }
  let bitmap = 0;
  let count = 0;
  for (let i = 0; i < ARITY; i++) {
    if (node.children[i] !== 0n) {
      bitmap |= 1 << i;
      count++;
    }
  }
  const out = Buffer.allocUnsafe(2 + 32 * count);
  out[0] = MIDDLE_TAG;
  out[1] = bitmap;
  let offset = 2;
  for (let i = 0; i < ARITY; i++) {
    if (bitmap & (1 << i)) {
      writeField(out, offset, node.children[i]);
      offset += 32;
    }
  }
  return out;
}

export function decodeNode(bytes: Uint8Array): SmtNode {
  const tag = bytes[0];
  if (tag === LEAF_TAG && bytes.length === 65) {
    return { kind: 'leaf', key: readField(bytes, 1), value: readField(bytes, 33) };
  }
  if (tag === MIDDLE_TAG && bytes.length >= 2) {
    const bitmap = bytes[1];
    const children: bigint[] = [0n, 0n, 0n, 0n, 0n];
    let offset = 2;
    for (let i = 0; i < ARITY; i++) {
      if (bitmap & (1 << i)) {
        children[i] = readField(bytes, offset);
        offset += 32;
      }
    }
    if (offset === bytes.length) return { kind: 'middle', children };
  }
  throw new Error('corrupt node encoding');
}
