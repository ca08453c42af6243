import { assertFieldElement } from '../crypto/field.js';
import { SmtError } from './errors.js';
import { leafHash, middleHash } from './hash.js';
import type { LeafNode, MiddleNode, SmtNode } from './node.js';
import { assertDepth, keyDigits } from './path.js';
import type { Proof } from './proof.js';
import type { RootRecord, TreeStore } from './store.js';

export interface TreeOptions {
  /** Maximum depth D: 4 for authentication trees, 14 for claims and revocations (docs/protocol.md). */
  readonly maxDepth: number;
  /** Clock for root-history timestamps, in ms since the epoch (tests pin it). */
  readonly now?: () => number;
}

export type BatchOp =
  | { readonly op: 'insert'; readonly key: bigint; readonly value: bigint }
  | { readonly op: 'update'; readonly key: bigint; readonly value: bigint }
  | { readonly op: 'delete'; readonly key: bigint };

/** What a batch callback may do; reads see the batch's own earlier writes. */
export interface TreeWriter {
  insert(key: bigint, value: bigint): void;
  update(key: bigint, value: bigint): void;
  /** Insert or update. */
  set(key: bigint, value: bigint): void;
  delete(key: bigint): void;
  get(key: bigint): bigint | undefined;
  has(key: bigint): boolean;
}

export interface AtRoot {
  /** Read at this historical root instead of the current one (UNKNOWN_ROOT if it never was a root of this tree). */
  readonly root?: bigint;
}

/**
 * A node under construction inside a batch. References are either a bigint (the hash of a stored, unchanged
 * subtree, 0n for empty) or one of these objects, hashed once when the batch commits.
 */
interface WorkMiddle {
  readonly kind: 'middle';
  readonly children: Ref[];
}
type WorkNode = LeafNode | WorkMiddle;
type Ref = bigint | WorkNode;

/** Where a key's path ends: the middle nodes above it (levels 0 .. level-1) and what sits at `level`. */
interface PathEnd {
  readonly digits: Uint8Array;
  readonly middles: (MiddleNode | WorkMiddle)[];
  /** How each of `middles` was reached: a bigint for a stored node, the node itself for a work node. */
  readonly middleRefs: Ref[];
  readonly level: number;
  /** undefined: empty slot. */
  readonly end: LeafNode | undefined;
  readonly endRef: Ref;
}

/**
 * Quinary compressed sparse Merkle tree (docs/protocol.md, "Sparse Merkle tree") over a synchronous
 * content-addressed store. Every write is a batch: the touched paths are copied into mutable work nodes,
 * each work node reachable at the end is hashed exactly once, and the new nodes plus the new root are
 * committed in one store transaction, so the tree is always at some committed root.
 */
export class SparseMerkleTree {
  readonly maxDepth: number;
  private readonly store: TreeStore;
  private readonly now: () => number;
  private head: RootRecord;

  private constructor(store: TreeStore, options: TreeOptions) {
    assertDepth(options.maxDepth);
    this.maxDepth = options.maxDepth;
    this.store = store;
    this.now = options.now ?? Date.now;
    store.initialize(options.maxDepth, this.now());
    this.head = store.latestRoot();
  }

  /** Opens the tree held by `store`, creating an empty one (history entry 0, root 0) on first use. */
  static open(store: TreeStore, options: TreeOptions): SparseMerkleTree {
    return new SparseMerkleTree(store, options);
  }

  get root(): bigint {
    return this.head.root;
  }

  /** The latest history entry (sequence number, root, timestamp). */
  get latest(): RootRecord {
    return this.head;
  }

  /** Re-reads the latest root from the store, to follow another writer of the same store. */
  refresh(): RootRecord {
    this.head = this.store.latestRoot();
    return this.head;
  }

  get(key: bigint, at: AtRoot = {}): bigint | undefined {
    assertFieldElement(key, 'key');
    const { end } = this.walk(this.rootAt(at), key);
    return end !== undefined && end.key === key ? end.value : undefined;
  }

  has(key: bigint, at: AtRoot = {}): boolean {
    return this.get(key, at) !== undefined;
  }

  insert(key: bigint, value: bigint): RootRecord {
    return this.transaction((tx) => tx.insert(key, value)).record;
  }

  update(key: bigint, value: bigint): RootRecord {
    return this.transaction((tx) => tx.update(key, value)).record;
  }

  set(key: bigint, value: bigint): RootRecord {
    return this.transaction((tx) => tx.set(key, value)).record;
  }

  delete(key: bigint): RootRecord {
    return this.transaction((tx) => tx.delete(key)).record;
  }

  /** Applies `ops` in order as one atomic batch: all of them, or (on the first error) none. */
  batch(ops: Iterable<BatchOp>): RootRecord {
    return this.transaction((tx) => {
      for (const op of ops) {
        if (op.op === 'insert') tx.insert(op.key, op.value);
        else if (op.op === 'update') tx.update(op.key, op.value);
        else if (op.op === 'delete') tx.delete(op.key);
        else throw new TypeError(`unknown batch op ${(op as { op: unknown }).op}`);
      }
    }).record;
  }

  /**
   * Runs `fn` against a writer and commits everything it did as one batch. If `fn` throws, nothing is
   * written and the tree stays at its previous root. A batch that leaves the root unchanged appends no history.
   */
  transaction<T>(fn: (tx: TreeWriter) => T): { result: T; record: RootRecord } {
    const batch = new Batch(this, this.head.root);
    try {
      const result = fn(batch.writer);
      const record = this.commit(batch.root);
      return { result, record };
    } finally {
      batch.closed = true;
    }
  }

  /** Membership or non-membership proof for `key`, at the current root or a historical one. */
  prove(key: bigint, at: AtRoot = {}): Proof {
    assertFieldElement(key, 'key');
    const { digits, middles, level, end } = this.walk(this.rootAt(at), key);
    const siblings: bigint[][] = [];
    for (let l = 0; l < level; l++) {
      const children = (middles[l] as MiddleNode).children;
      const group: bigint[] = [];
      for (let i = 0; i < 5; i++) if (i !== digits[l]) group.push(children[i]);
      siblings.push(group);
    }
    if (end === undefined) return { existence: false, siblings };
    if (end.key === key) return { existence: true, siblings };
    return { existence: false, siblings, auxLeaf: { key: end.key, value: end.value } };
  }

  isHistoricalRoot(root: bigint): boolean {
    assertFieldElement(root, 'root');
    return this.store.findRoot(root) !== undefined;
  }

  findRoot(root: bigint): RootRecord | undefined {
    assertFieldElement(root, 'root');
    return this.store.findRoot(root);
  }

  rootHistory(limit?: number): RootRecord[] {
    return this.store.rootHistory(limit);
  }

  /** Every (key, value) at the current or a historical root, in path order. For exports and tests. */
  *entries(at: AtRoot = {}): Generator<[bigint, bigint]> {
    const stack: bigint[] = [this.rootAt(at)];
    while (stack.length) {
      const hash = stack.pop()!;
      if (hash === 0n) continue;
      const node = this.node(hash);
      if (node.kind === 'leaf') yield [node.key, node.value];
      else for (let i = 4; i >= 0; i--) stack.push(node.children[i]);
    }
  }

  /** @internal */
  node(hash: bigint): SmtNode {
    const node = this.store.getNode(hash);
    if (!node) throw new SmtError('MISSING_NODE', `node ${hash.toString(16)} is missing from the store`);
    return node;
  }

  /** @internal: resolves a work reference to a node, undefined for empty. */
  resolve(ref: Ref): SmtNode | WorkNode | undefined {
    if (typeof ref !== 'bigint') return ref;
    return ref === 0n ? undefined : this.node(ref);
  }

  /** @internal: follows `key`'s digits from `rootRef` to the first leaf or empty slot. */
  walk(rootRef: Ref, key: bigint): PathEnd {
    const digits = keyDigits(key, this.maxDepth);
    const middles: (MiddleNode | WorkMiddle)[] = [];
    const middleRefs: Ref[] = [];
    let ref = rootRef;
    for (let level = 0; ; level++) {
      const node = this.resolve(ref);
      if (node === undefined) return { digits, middles, middleRefs, level, end: undefined, endRef: ref };
      if (node.kind === 'leaf') return { digits, middles, middleRefs, level, end: node, endRef: ref };
      if (level === this.maxDepth) throw new SmtError('MISSING_NODE', 'middle node below the maximum depth: corrupt tree');
      middles.push(node);
      middleRefs.push(ref);
      ref = node.children[digits[level]];
    }
  }

  private rootAt(at: AtRoot): bigint {
    if (at.root === undefined || at.root === this.head.root) return this.head.root;
    assertFieldElement(at.root, 'root');
    if (this.store.findRoot(at.root) === undefined) {
      throw new SmtError('UNKNOWN_ROOT', `${at.root.toString(16)} is not a root of this tree`);
    }
    return at.root;
  }

  private commit(rootRef: Ref): RootRecord {
    if (typeof rootRef === 'bigint' && rootRef === this.head.root) return this.head;
    const fresh: [bigint, SmtNode][] = [];
    const root = hashRef(rootRef, fresh);
    if (root === this.head.root) return this.head;
    this.head = this.store.commit(fresh, root, this.now(), this.head.seq);
    return this.head;
  }
}

/** Post-order hashing of the work nodes under `ref`; each is hashed once and queued for storage. */
function hashRef(ref: Ref, out: [bigint, SmtNode][]): bigint {
  if (typeof ref === 'bigint') return ref;
  if (ref.kind === 'leaf') {
    const hash = leafHash(ref.key, ref.value);
    out.push([hash, ref]);
    return hash;
  }
  const children = ref.children.map((child) => hashRef(child, out));
  const hash = middleHash(children);
  out.push([hash, { kind: 'middle', children }]);
  return hash;
}

/** The mutable overlay of one transaction. */
class Batch {
  root: Ref;
  /** Set once the transaction is over: a writer that escaped its callback must not keep writing into nothing. */
  closed = false;
  readonly writer: TreeWriter;
  private readonly tree: SparseMerkleTree;

  constructor(tree: SparseMerkleTree, root: bigint) {
    this.tree = tree;
    this.root = root;
    const open = () => {
      if (this.closed) throw new Error('this transaction is over: use the tree, or a new transaction');
    };
    this.writer = {
      insert: (key, value) => (open(), this.insert(key, value)),
      update: (key, value) => (open(), this.update(key, value)),
      set: (key, value) => (open(), this.set(key, value)),
      delete: (key) => (open(), this.delete(key)),
      get: (key) => (open(), this.get(key)),
      has: (key) => (open(), this.get(key) !== undefined),
    };
  }

  get(key: bigint): bigint | undefined {
    assertFieldElement(key, 'key');
    const { end } = this.tree.walk(this.root, key);
    return end !== undefined && end.key === key ? end.value : undefined;
  }

  insert(key: bigint, value: bigint): void {
    assertFieldElement(key, 'key');
    assertFieldElement(value, 'value');
    const path = this.tree.walk(this.root, key);
    if (path.end !== undefined && path.end.key === key) {
      throw new SmtError('KEY_EXISTS', `key ${key} is already in the tree`);
    }
    this.place(path, key, value);
  }

  update(key: bigint, value: bigint): void {
    assertFieldElement(key, 'key');
    assertFieldElement(value, 'value');
    const path = this.tree.walk(this.root, key);
    if (path.end === undefined || path.end.key !== key) {
      throw new SmtError('KEY_NOT_FOUND', `key ${key} is not in the tree`);
    }
    if (path.end.value === value) return;
    this.setSlot(this.materialize(path), path, { kind: 'leaf', key, value });
  }

  set(key: bigint, value: bigint): void {
    assertFieldElement(key, 'key');
    assertFieldElement(value, 'value');
    const path = this.tree.walk(this.root, key);
    if (path.end !== undefined && path.end.key === key) {
      if (path.end.value !== value) this.setSlot(this.materialize(path), path, { kind: 'leaf', key, value });
    } else {
      this.place(path, key, value);
    }
  }

  delete(key: bigint): void {
    assertFieldElement(key, 'key');
    const path = this.tree.walk(this.root, key);
    if (path.end === undefined || path.end.key !== key) {
      throw new SmtError('KEY_NOT_FOUND', `key ${key} is not in the tree`);
    }
    const work = this.materialize(path);
    if (path.level === 0) {
      this.root = 0n;
      return;
    }
    work[path.level - 1].children[path.digits[path.level - 1]] = 0n;
    // Collapse: a middle node left with a single child that is a leaf is replaced by that leaf, level by level.
    for (let l = path.level - 1; l >= 0; l--) {
      const only = singleChild(work[l]);
      if (only === undefined) return;
      const node = this.tree.resolve(only);
      if (node === undefined || node.kind !== 'leaf') return;
      if (l === 0) this.root = only;
      else work[l - 1].children[path.digits[l - 1]] = only;
    }
  }

  /** Puts a new leaf where `path` ends: an empty slot, or pushes the leaf found there down until they part. */
  private place(path: PathEnd, key: bigint, value: bigint): void {
    const leaf: LeafNode = { kind: 'leaf', key, value };
    const maxDepth = this.tree.maxDepth;
    if (path.end === undefined) {
      this.setSlot(this.materialize(path), path, leaf);
      return;
    }
    const other = keyDigits(path.end.key, maxDepth);
    const { digits } = path;
    let split = path.level;
    while (split < maxDepth && digits[split] === other[split]) split++;
    if (split === maxDepth) {
      throw new SmtError(
        'PATH_COLLISION',
        `key ${key} and key ${path.end.key} share their first ${maxDepth} base-5 digits (the tree's maximum depth)`,
      );
    }
    let sub: WorkMiddle = { kind: 'middle', children: [0n, 0n, 0n, 0n, 0n] };
    sub.children[digits[split]] = leaf;
    sub.children[other[split]] = path.endRef;
    for (let l = split - 1; l >= path.level; l--) {
      const up: WorkMiddle = { kind: 'middle', children: [0n, 0n, 0n, 0n, 0n] };
      up.children[digits[l]] = sub;
      sub = up;
    }
    this.setSlot(this.materialize(path), path, sub);
  }

  /** Replaces whatever sits at the end of `path` (the slot at `path.level`) with `ref`. */
  private setSlot(work: WorkMiddle[], path: PathEnd, ref: Ref): void {
    if (path.level === 0) this.root = ref;
    else work[path.level - 1].children[path.digits[path.level - 1]] = ref;
  }

  /** Turns the stored middle nodes along `path` into work nodes (copy on write), linked from the root down. */
  private materialize(path: PathEnd): WorkMiddle[] {
    const work: WorkMiddle[] = [];
    for (let l = 0; l < path.level; l++) {
      const node = path.middles[l];
      let copy: WorkMiddle;
      if (typeof path.middleRefs[l] !== 'bigint') {
        copy = node as WorkMiddle;
      } else {
        copy = { kind: 'middle', children: node.children.slice() };
        if (l === 0) this.root = copy;
        else work[l - 1].children[path.digits[l - 1]] = copy;
      }
      work.push(copy);
    }
    return work;
  }
}

function singleChild(node: WorkMiddle): Ref | undefined {
  let found: Ref | undefined;
  for (const child of node.children) {
    if (child === 0n) continue;
    if (found !== undefined) return undefined;
    found = child;
  }
  return found;
}
