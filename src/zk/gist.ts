/**
 * The global identity state tree (GIST): a quinary Poseidon SMT (src/smt, docs/protocol.md's tree) of
 * identity ID -> latest published state, whose root IdentityStateRegistry keeps with a history of recent roots.
 * Every state transition moves it (the transition proof proves the update, circuits/stateTransition.circom);
 * a holder proves against a recent root that its key is in the auth tree of its *latest* state
 * (circuits/holderAuth.circom), or, for an identity that never published, that its ID is absent (its genesis
 * state is then its state).
 *
 * Pure and browser-safe. The tree is rebuilt from the registry's StateTransitioned events (`applyTransition` in
 * their order), so anyone mirrors it: no party is trusted with it.
 */
import { MemoryStore, SparseMerkleTree, keyDigits, leafHash, middleHash, verifyProof, type Proof } from '../smt/index.js';
import { ZkError } from './types.js';

/**
 * Depth of the GIST. An identity whose ID shares its first GIST_DEPTH base-5 digits with one already in the tree
 * has no place in it (it could never publish a transition): finding an ID that collides with a given one costs
 * ~5^D = 2^74 Poseidon hashes at D = 32, against 2^32.5 at D = 14, which a griefer could afford to block an issuer
 * forever. Depth 32 still fits holderAuth in the 2^14 domain and the state transition in 2^15
 * (circuits/README.md).
 */
export const GIST_DEPTH = 32;
/**
 * The circuits bind the key's digits (non-membership is only sound with canonical digits): ID = sum d_l 5^l +
 * 5^32 q with q < 2^174. IDs are 31 bytes (< 2^248) and 5^32 2^174 > 2^248.
 */
export const GIST_KEY_HIGH_BITS = 174;

/** A holder's GIST proof at one root: membership of (id, state), or non-membership of id (never published). */
export interface GistProof {
  readonly root: bigint;
  readonly id: bigint;
  /** The ID's latest state at `root`; undefined when the ID is not in the tree. */
  readonly state: bigint | undefined;
  readonly proof: Proof;
}

/**
 * What the state-transition circuit needs to prove the GIST update of one transition: the path of `id` in the
 * tree at `oldRoot` (membership of its previous state, or non-membership for its first transition) and where the
 * new leaf ends up. `newRoot` is the tree's root after the update; `gistUpdateRoot` recomputes it the way the
 * circuit does.
 */
export interface GistUpdateWitness {
  readonly oldRoot: bigint;
  readonly newRoot: bigint;
  readonly id: bigint;
  /** The ID's state in the tree at oldRoot (undefined: first transition, the ID is absent). */
  readonly oldState: bigint | undefined;
  readonly newState: bigint;
  /** The ID's proof at oldRoot. */
  readonly proof: Proof;
  /**
   * Length of the ID's path after the update: the old length, or past it when the old path ended at another
   * identity's leaf (both leaves then go down to the first level where their digits differ).
   */
  readonly newLevels: number;
}

function checkId(id: bigint, name = 'id'): void {
  if (typeof id !== 'bigint' || id <= 0n || id >= 1n << 248n) throw new ZkError('BAD_INPUT', `${name}: not a 31-byte identity ID`);
}

export class GlobalStateTree {
  private constructor(private readonly tree: SparseMerkleTree) {}

  /** An empty GIST (root 0), kept in memory. */
  static empty(): GlobalStateTree {
    return new GlobalStateTree(SparseMerkleTree.open(new MemoryStore(), { maxDepth: GIST_DEPTH }));
  }

  /** The GIST after these transitions, applied in order (the registry's StateTransitioned events). */
  static fromTransitions(transitions: Iterable<{ readonly id: bigint; readonly newState: bigint }>): GlobalStateTree {
    const gist = GlobalStateTree.empty();
    for (const t of transitions) gist.applyTransition(t.id, t.newState);
    return gist;
  }

  get root(): bigint {
    return this.tree.root;
  }

  /** Whether `root` was a root of this tree (the registry keeps a history of them). */
  isRoot(root: bigint): boolean {
    return this.tree.isHistoricalRoot(root);
  }

  /** The latest state of `id` (at `root`, default the current root), undefined when it never published. */
  stateOf(id: bigint, at: { readonly root?: bigint } = {}): bigint | undefined {
    checkId(id);
    return this.tree.get(id, at);
  }

  /** Records a published transition: `id`'s latest state is now `newState`. Returns the new root. */
  applyTransition(id: bigint, newState: bigint): bigint {
    checkId(id);
    try {
      this.tree.set(id, newState);
    } catch (e) {
      throw new ZkError('BAD_INPUT', `id: no place in the GIST (${e instanceof Error ? e.message : String(e)})`);
    }
    return this.tree.root;
  }

  /**
   * Records transitions in order as one batch (a mirror catching up on many events): each changed node is hashed
   * once, where `applyTransition` one at a time rehashes the shared upper levels each time. All or none. The new root.
   */
  applyTransitions(transitions: Iterable<{ readonly id: bigint; readonly newState: bigint }>): bigint {
    try {
      this.tree.transaction((tx) => { for (const t of transitions) { checkId(t.id); tx.set(t.id, t.newState); } });
    } catch (e) {
      if (e instanceof ZkError) throw e;
      throw new ZkError('BAD_INPUT', `id: no place in the GIST (${e instanceof Error ? e.message : String(e)})`);
    }
    return this.tree.root;
  }

  /** Every (id, latest state) leaf at `root` (default: the current root): what a holder rebuilds the tree from. */
  *entries(at: { readonly root?: bigint } = {}): Generator<[bigint, bigint]> {
    yield* this.tree.entries(at);
  }

  /** The holder's proof at `root` (default: the current root). */
  prove(id: bigint, at: { readonly root?: bigint } = {}): GistProof {
    checkId(id);
    const root = at.root ?? this.tree.root;
    const proof = this.tree.prove(id, { root });
    return { root, id, state: proof.existence ? this.tree.get(id, { root }) : undefined, proof };
  }

  /**
   * The witness of the update that a transition of `id` to `newState` makes, against the current root. The tree
   * itself does not change (the transition may never be published): `applyTransition` once it is.
   */
  updateWitness(id: bigint, newState: bigint): GistUpdateWitness {
    const { root: oldRoot, state: oldState, proof } = this.prove(id);
    if (oldState === newState) throw new ZkError('BAD_INPUT', 'newState: already the state of this ID in the GIST');
    const newLevels = newPathLevels(id, proof);
    const witness = { oldRoot, newRoot: 0n, id, oldState, newState, proof, newLevels };
    return { ...witness, newRoot: gistUpdateRoot(witness) };
  }
}

/** Where the ID's leaf sits after the update (see GistUpdateWitness.newLevels). */
function newPathLevels(id: bigint, proof: Proof): number {
  const levels = proof.siblings.length;
  if (proof.existence || !proof.auxLeaf) return levels;
  const mine = keyDigits(id, GIST_DEPTH);
  const other = keyDigits(proof.auxLeaf.key, GIST_DEPTH);
  for (let l = levels; l < GIST_DEPTH; l++) if (mine[l] !== other[l]) return l + 1;
  throw new ZkError('BAD_INPUT', `id: shares its first ${GIST_DEPTH} base-5 digits with ${proof.auxLeaf.key}: no place in the GIST`);
}

/**
 * The root after the update, computed the way circuits/lib/gist.circom's GistUpdate does (old siblings below
 * the old path's end; single-child middle nodes down to the split level; there both leaves). Checks the old
 * proof against oldRoot first. The test vectors compare it with the tree's own root after `applyTransition`.
 */
export function gistUpdateRoot(w: Omit<GistUpdateWitness, 'newRoot'>): bigint {
  if (!verifyProof(w.oldRoot, w.id, w.oldState, w.proof, { maxDepth: GIST_DEPTH })) {
    throw new ZkError('BAD_INPUT', 'proof: not the ID\'s GIST proof at oldRoot');
  }
  const L = w.proof.siblings.length;
  const M = w.newLevels;
  const aux = !w.proof.existence ? w.proof.auxLeaf : undefined;
  if (M < L || M > GIST_DEPTH || (!aux && M !== L) || (aux && M === L)) throw new ZkError('BAD_INPUT', 'newLevels: not where the new leaf goes');
  const digits = keyDigits(w.id, GIST_DEPTH);
  const auxDigits = aux ? keyDigits(aux.key, GIST_DEPTH) : undefined;
  let h = leafHash(w.id, w.newState);
  for (let l = M - 1; l >= 0; l--) {
    const children = new Array<bigint>(5).fill(0n);
    if (l < L) {
      const s = w.proof.siblings[l]!;
      for (let j = 0, k = 0; j < 5; j++) children[j] = j === digits[l] ? h : s[k++]!;
    } else {
      children[digits[l]!] = h;
      if (l === M - 1 && aux && auxDigits) {
        if (auxDigits[l] === digits[l]) throw new ZkError('BAD_INPUT', 'newLevels: the two leaves do not split there');
        children[auxDigits[l]!] = leafHash(aux.key, aux.value);
      } else if (auxDigits && auxDigits[l] !== digits[l]) {
        throw new ZkError('BAD_INPUT', 'newLevels: the two leaves split above it');
      }
    }
    h = middleHash(children);
  }
  return h;
}
