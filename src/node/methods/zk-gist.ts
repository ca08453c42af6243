// The node's mirror of the global identity state tree (GIST: holder ID -> latest published state, circuits/README.md
// "Next"), and the public zk_ methods that serve it to holders. A holder proving under a rotated key shows, in its
// holder-auth proof, that its current state is the latest one in the GIST at a root the registry knows; it needs the
// membership proof of its (ID, state) leaf (or, for an identity that never published, the non-membership of its ID).
//
// The mirror follows IdentityStateRegistry's StateTransitioned events: a recurring job of the node's queue folds them
// into the database (db/zk-gist.ts: one leaf per ID, the cursor per registry; replicas take turns through the cursor),
// and each process keeps the tree in memory, loading only the leaves changed since the block it has. Reads catch up
// first, so a proof is at the root of the chain's head when it was asked.
//
// Privacy (src/zk/README.md, "Parties over the network"): asking for one ID's proof tells the node which ID is about
// to prove something, and when. The node already knows the ID of every holder it delivers claims to (that delivery is
// authenticated by the holder), so this adds the timing, not the identity; a holder that wants to hide even that
// rebuilds the tree itself from the whole leaf list (`zk_getGistLeaves`, public, paged by block: the same trade-off as
// the revocations tree, paid in bytes: ~150 bytes a leaf). What the node cannot do is mark a holder through the root it
// answers with: the proof is at the head's root, which the holder checks against the registry before proving, so every
// holder proving at that time uses the same root and the verifier sees nothing the node chose.
//
// The chain stays the authority: after each catch-up the mirror's root must equal the registry's `gistRoot()` at the
// block it folded up to. On a mismatch (a database that lost or gained a leaf, a chain that reorganised under the
// folded events) the node logs it (registry, block and the two roots: hashes, no ID) and serves no proof, update or
// leaf at the mirror's root until a later catch-up agrees again; a proof at an earlier root is served only while the
// registry accepts that root (`isGistRootValid`), so the node never hands out a root a verifier would refuse.
import { parseAbiItem, type Address, type PublicClient } from 'viem';
import { getGistRoot, isGistRootValid } from '../../chain/zk.js';
import { GlobalStateTree, type GistProof, type GistUpdateWitness } from '../../zk/gist.js';
import { ZkError } from '../../zk/types.js';
import type { GistLeafRow, ZkGistRepo } from '../db/zk-gist.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { RpcCode, RpcError, invalidParams, notFound } from '../rpc/errors.js';
import { gistProofToJson, gistUpdateToJson } from '../../zk/parties.js';
import { parseMasqueId } from './zk.js';
import { zkParamsError } from './zk-parties.js';

const STATE_TRANSITIONED = parseAbiItem('event StateTransitioned(uint256 indexed id, uint256 oldState, uint256 newState, bool isOldStateGenesis)');
/** Leaves per page of zk_getGistLeaves. */
export const GIST_LEAVES_PAGE = 5_000;
/**
 * How long after its replacement a root is still served when the caller names no window: the verifiers' default
 * (src/zk ZkVerifier `maxStateAge`, one hour).
 */
export const GIST_ROOT_MAX_AGE = 3600;
/** Sorted leaf lists kept for paging (one per recent root). */
const LEAVES_CACHED = 4;

export interface GistView {
  readonly root: bigint;
  /** The last block folded into `root`. */
  readonly block: number;
}

/** The GIST of one IdentityStateRegistry, folded from its events into the database and held in memory. */
export class GistMirror {
  private readonly tree = GlobalStateTree.empty();
  /** The first block whose leaves are not in `tree` yet. */
  private treeBlock = 0;
  /** Roots this process held, by the last block folded into them: proofs may be asked at a recent one. */
  private readonly blockOfRoot = new Map<bigint, number>();
  /** The leaves of recent roots sorted by ID (zk_getGistLeaves pages through one list instead of sorting per page). */
  private readonly sortedLeaves = new Map<bigint, { id: bigint; state: bigint }[]>();
  /** Set while the mirror's root differs from the registry's at the block it folded up to. */
  private mismatch: { block: number; root: bigint; registryRoot: bigint } | undefined;
  private inFlight: Promise<GistView> | undefined;

  constructor(
    private readonly reader: PublicClient,
    private readonly repo: ZkGistRepo,
    readonly registry: Address,
    private readonly log: (m: string) => void = () => {},
    /** Blocks per eth_getLogs (the node's `logBlockRange`: providers cap a query's range). */
    private readonly blockRange = 5_000,
  ) {}

  /**
   * Folds every transition up to the chain's head, brings the tree there and checks its root against the registry's
   * at that block; concurrent callers share one run. The view is returned even on a mismatch (`inStep` says).
   */
  catchUp(): Promise<GistView & { inStep: boolean }> {
    this.inFlight ??= this.run().finally(() => { this.inFlight = undefined; });
    return this.inFlight.then((v) => ({ ...v, inStep: this.mismatch === undefined }));
  }

  private async run(): Promise<GistView> {
    const head = Number(await this.reader.getBlockNumber({ cacheTime: 0 }));
    await this.fold(head);
    await this.load();
    const block = this.treeBlock - 1;
    const registryRoot = await getGistRoot(this.reader, this.registry, { blockNumber: BigInt(block) });
    if (registryRoot !== this.tree.root) {
      if (this.mismatch?.block !== block) {
        this.log(`GIST mirror of ${this.registry} at block ${block}: root ${this.tree.root} but the registry's is ${registryRoot}; serving no GIST proof until they agree`);
      }
      this.mismatch = { block, root: this.tree.root, registryRoot };
    } else {
      if (this.mismatch) this.log(`GIST mirror of ${this.registry} at block ${block}: in step with the registry again`);
      this.mismatch = undefined;
      this.blockOfRoot.set(this.tree.root, block);
    }
    return { root: this.tree.root, block };
  }

  /** Events of blocks up to `head` into the database, a chunk at a time (another replica may fold a chunk first). */
  private async fold(head: number): Promise<void> {
    for (;;) {
      const from = await this.repo.indexedBlock(this.registry);
      if (from > head) return;
      const to = Math.min(from + this.blockRange, head + 1);
      const logs = await this.reader.getLogs({ address: this.registry, event: STATE_TRANSITIONED, fromBlock: BigInt(from), toBlock: BigInt(to - 1) });
      // In log order: the last transition of an ID in the range is its latest state.
      const latest = new Map<bigint, GistLeafRow>();
      for (const l of logs) latest.set(l.args.id!, { id: l.args.id!, state: l.args.newState!, block: Number(l.blockNumber) });
      await this.repo.apply(this.registry, from, to, [...latest.values()]);
    }
  }

  /** The leaves folded since this process last loaded, set in the tree in one batch. */
  private async load(): Promise<void> {
    const { leaves, indexedBlock } = await this.repo.leavesSince(this.registry, this.treeBlock);
    if (leaves.length) {
      try {
        this.tree.applyTransitions(leaves.map((l) => ({ id: l.id, newState: l.state })));
      } catch (e) {
        // An ID with no place in the GIST: the registry's transition proof could not have placed it either, so this
        // mirror is out of step with the chain; say so rather than serve a wrong root.
        if (e instanceof ZkError) this.log(`GIST mirror of ${this.registry}: ${e.message}`);
        throw e;
      }
    }
    this.treeBlock = indexedBlock;
  }

  /** An ID's GIST proof at the current root (after catching up), or at a recent root the registry still accepts. */
  async prove(id: bigint, at?: bigint, maxAge = GIST_ROOT_MAX_AGE): Promise<{ block: number; gist: GistProof }> {
    const { root, block } = await this.held(at, maxAge);
    return { block, gist: this.tree.prove(id, { root }) };
  }

  /** The witness of the GIST update a transition of `id` to `newState` makes at the current root (after catching up). */
  async updateWitness(id: bigint, newState: bigint): Promise<{ block: number; update: GistUpdateWitness }> {
    const { block } = await this.current();
    return { block, update: this.tree.updateWitness(id, newState) };
  }

  /** The current view after catching up; refused while the mirror disagrees with the registry. */
  private async current(): Promise<GistView> {
    const view = await this.catchUp();
    if (!view.inStep) {
      throw new RpcError(RpcCode.INTEGRITY, "the node's GIST mirror does not match the registry's root: no GIST proof is served until it does (the node's log says more)", { error: 'GistMirrorMismatch', block: view.block });
    }
    return view;
  }

  /**
   * The current root after catching up, or `at` when this process held it and the registry accepts it (its current
   * root, or one replaced at most `maxAge` seconds ago, at the latest block's time).
   */
  private async held(at: bigint | undefined, maxAge: number): Promise<GistView> {
    if (at === undefined) return this.current();
    const view = await this.catchUp();
    if (view.inStep && at === view.root) return view;
    const block = this.blockOfRoot.get(at);
    if (block === undefined) throw notFound('root: not a GIST root this node held (ask without root for the current one)');
    if (!(await isGistRootValid(this.reader, this.registry, at, BigInt(maxAge)))) {
      throw notFound(`root: the registry no longer accepts this GIST root (replaced more than ${maxAge} s ago)`);
    }
    return { root: at, block };
  }

  /** The leaves (ID, state) at the current root or a recent one, ordered by ID, from `after` (exclusive), at most `limit`. */
  async leaves(after: bigint | undefined, limit: number, at?: bigint, maxAge = GIST_ROOT_MAX_AGE): Promise<GistView & { leaves: { id: bigint; state: bigint }[]; total: number }> {
    const view = await this.held(at, maxAge);
    const all = this.sorted(view.root);
    const start = after === undefined ? 0 : all.findIndex((l) => l.id > after);
    return { ...view, leaves: start < 0 ? [] : all.slice(start, start + limit), total: all.length };
  }

  /** The leaves at `root` sorted by ID, from the cache of the last few roots paged through. */
  private sorted(root: bigint): { id: bigint; state: bigint }[] {
    let all = this.sortedLeaves.get(root);
    if (all) return all;
    all = [...this.tree.entries({ root })].map(([id, state]) => ({ id, state })).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (this.sortedLeaves.size >= LEAVES_CACHED) this.sortedLeaves.delete(this.sortedLeaves.keys().next().value!);
    this.sortedLeaves.set(root, all);
    return all;
  }
}

const mirrors = new WeakMap<NodeContext, GistMirror>();

/** This process's GIST mirror of the node's registry. */
export function gistMirror(ctx: NodeContext): GistMirror {
  const registry = ctx.deployment.identityStateRegistry as Address | undefined;
  if (!registry) throw new RpcError(RpcCode.INTERNAL, 'the ZK contracts are not deployed');
  let m = mirrors.get(ctx);
  if (!m || m.registry !== registry) {
    m = new GistMirror(ctx.clients.publicClient, ctx.repos.zkGist, registry, (line) => ctx.log(line), ctx.config.logBlockRange);
    mirrors.set(ctx, m);
  }
  return m;
}

function fieldParam(value: string | undefined, field: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,78}$/.test(value)) throw invalidParams(field, 'a decimal field element');
  return BigInt(value);
}

type GistMethods = 'zk_getGistProof' | 'zk_getGistUpdate' | 'zk_getGistLeaves';

export const zkGistHandlers = (ctx: NodeContext): Pick<Handlers, GistMethods> => ({
  async zk_getGistProof(p) {
    const id = parseMasqueId(p.id);
    const r = await gistMirror(ctx).prove(id.bigint, fieldParam(p.root, 'root'), p.maxAgeAfterReplacement);
    return { registry: gistMirror(ctx).registry, block: r.block, ...gistProofToJson(r.gist) };
  },

  async zk_getGistUpdate(p) {
    const id = parseMasqueId(p.id);
    try {
      const r = await gistMirror(ctx).updateWitness(id.bigint, BigInt(p.newState));
      return { registry: gistMirror(ctx).registry, block: r.block, ...gistUpdateToJson(r.update) };
    } catch (e) {
      throw zkParamsError(e);
    }
  },

  async zk_getGistLeaves(p) {
    const r = await gistMirror(ctx).leaves(fieldParam(p.after, 'after'), Math.min(p.limit ?? GIST_LEAVES_PAGE, GIST_LEAVES_PAGE), fieldParam(p.root, 'root'), p.maxAgeAfterReplacement);
    return {
      registry: gistMirror(ctx).registry, root: r.root.toString(), block: r.block, total: r.total,
      leaves: r.leaves.map((l) => ({ id: l.id.toString(), state: l.state.toString() })),
    };
  },
});

const GIST_JOB = 'zk.gist';

/**
 * Folds the registry's transitions between reads (which catch up themselves), one run per period across replicas:
 * it keeps the leaves ahead of the embedded chain's receipt history (`chainHistoryBlocks`), past which no log is left.
 */
export function scheduleGistMirror(ctx: NodeContext, intervalMs = 5_000): void {
  if (!ctx.deployment.identityStateRegistry) return;
  ctx.jobs.register(GIST_JOB, async () => { await gistMirror(ctx).catchUp(); }).every(GIST_JOB, intervalMs);
}
