/**
 * Test support: a naive model of the tree (a Map plus a from-scratch root computation that shares no code
 * with tree.ts beyond Poseidon itself) and a memoizing Poseidon so the model stays cheap to recompute.
 */
import { poseidon } from '../crypto/poseidon.js';

const memo = new Map<string, bigint>();

function H(inputs: bigint[]): bigint {
  const id = inputs.join(',');
  let h = memo.get(id);
  if (h === undefined) {
    h = poseidon(inputs);
    memo.set(id, h);
  }
  return h;
}

/** The spec's digit: floor(k / 5^l) mod 5, straight from the definition. */
export function digitAt(key: bigint, level: number): number {
  return Number((key / 5n ** BigInt(level)) % 5n);
}

export class ModelTree {
  readonly entries = new Map<bigint, bigint>();

  constructor(readonly maxDepth: number) {}

  /** Mirrors the tree's refusal rules; returns an error code instead of throwing. */
  insert(key: bigint, value: bigint): 'KEY_EXISTS' | 'PATH_COLLISION' | undefined {
    if (this.entries.has(key)) return 'KEY_EXISTS';
    for (const other of this.entries.keys()) {
      let same = true;
      for (let l = 0; l < this.maxDepth && same; l++) same = digitAt(key, l) === digitAt(other, l);
      if (same) return 'PATH_COLLISION';
    }
    this.entries.set(key, value);
    return undefined;
  }

  root(): bigint {
    return this.subtree([...this.entries], 0);
  }

  private subtree(leaves: [bigint, bigint][], level: number): bigint {
    if (leaves.length === 0) return 0n;
    if (leaves.length === 1) return H([leaves[0][0], leaves[0][1], 1n]);
    if (level >= this.maxDepth) throw new Error('model: two leaves share a full path');
    const groups: [bigint, bigint][][] = [[], [], [], [], []];
    for (const leaf of leaves) groups[digitAt(leaf[0], level)].push(leaf);
    return H(groups.map((g) => this.subtree(g, level + 1)));
  }
}
