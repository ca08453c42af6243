// Read cache validated against the chain head on every request. An answer must reflect the chain as of at least the
// latest block mined before the request arrived, whoever mined it (this node, another RPC endpoint, a multisig), so
// each cached read first waits for a head check that *started after* the read was asked for; concurrent requests
// share one check, so the cost is one `eth_getBlockByNumber` per round trip of the chain, not one per request.
// Entries are keyed by the block hash they were read at (a reorg or an anvil revert at the same height is a miss),
// and the loads read at that block, so every value in one answer comes from the same block.
import type { Hex } from 'viem';
import { RpcCode, RpcError } from './rpc/errors.js';

/** The block a request is answered at: its number (reads are pinned to it), hash (the cache key) and time. */
export interface ChainHead {
  readonly number: bigint;
  readonly hash: Hex;
  /** Block timestamp, unix seconds: the chain's time, at which claim windows are judged. */
  readonly timestamp: number;
}

interface Entry { hash: Hex; epoch: number; value: unknown }

const ignore = () => {};

export class ReadCache {
  private current: ChainHead | undefined;
  private epoch = 0;
  private readonly entries = new Map<string, Entry>();
  /** The head check in flight; it may have started before a caller arrived, so late callers wait for `queued`. */
  private inflight: Promise<ChainHead> | undefined;
  /** The next check, shared by everyone who arrived while `inflight` ran; it starts when `inflight` settles. */
  private queued: Promise<ChainHead> | undefined;
  hits = 0;
  misses = 0;
  headChecks = 0;

  constructor(private readonly fetchHead: () => Promise<ChainHead>, private readonly max = 50_000, private readonly enabled = true) {}

  /**
   * A chain head read by a check that started after this call, so it includes every block mined before the call.
   * Waits at most two chain round trips (the check in flight, then the next one).
   */
  head(): Promise<ChainHead> {
    if (!this.inflight) return this.check();
    this.queued ??= this.inflight.then(ignore, ignore).then(() => {
      this.queued = undefined;
      return this.check();
    });
    return this.queued;
  }

  private check(): Promise<ChainHead> {
    this.headChecks++;
    const p = this.fetchHead().then((h) => {
      if (h.hash !== this.current?.hash) this.entries.clear();
      this.current = h;
      return h;
    }, (e: unknown) => {
      throw new RpcError(RpcCode.UPSTREAM, `chain unreachable: ${(e as Error)?.message?.split('\n')[0] ?? String(e)}`);
    });
    this.inflight = p;
    const settle = () => { if (this.inflight === p) this.inflight = undefined; };
    p.then(settle, settle);
    return p;
  }

  /** Call after any write this node makes: nothing read before it is reused, even at the same head. */
  invalidate(): void {
    this.epoch++;
    this.entries.clear();
  }

  /**
   * `load(head)` at a fresh head (see `head()`), reused for `key` while the head and the write epoch are unchanged.
   * `load` must read at `head.number`, so a value never mixes two blocks.
   */
  async get<T>(key: string, load: (head: ChainHead) => Promise<T>): Promise<T> {
    const head = await this.head();
    if (!this.enabled) return load(head);
    const e = this.entries.get(key);
    if (e && e.hash === head.hash && e.epoch === this.epoch) {
      this.hits++;
      return e.value as T;
    }
    this.misses++;
    const epoch = this.epoch;
    const value = await load(head);
    // Kept only when nothing moved while loading: a value read before a write must not be tied to the later epoch.
    if (epoch === this.epoch && this.current?.hash === head.hash) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(key, { hash: head.hash, epoch, value });
    }
    return value;
  }
}
