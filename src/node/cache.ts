// Block-scoped read cache: an entry is reused only while the chain head is the block it was read at. Our own
// writes and pass-through transactions bump the epoch at once; a poll of eth_blockNumber catches other writers.
export class ReadCache {
  private block = -1n;
  private epoch = 0;
  private readonly entries = new Map<string, { block: bigint; epoch: number; value: unknown }>();
  private timer: NodeJS.Timeout | undefined;
  hits = 0;
  misses = 0;

  constructor(private readonly headOf: () => Promise<bigint>, private readonly max = 50_000, private readonly enabled = true) {}

  start(pollMs = 250): void {
    const tick = async () => {
      try {
        const b = await this.headOf();
        if (b !== this.block) { this.block = b; this.entries.clear(); }
      } catch { /* chain briefly unreachable: entries stay tied to the old head, which is still the truth we saw */ }
    };
    void tick();
    this.timer = setInterval(tick, pollMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Call after any write: everything read before it is stale. */
  invalidate(): void {
    this.epoch++;
    this.entries.clear();
  }

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.enabled) return load();
    const e = this.entries.get(key);
    if (e && e.block === this.block && e.epoch === this.epoch && this.block >= 0n) {
      this.hits++;
      return e.value as T;
    }
    this.misses++;
    const block = this.block;
    const epoch = this.epoch;
    const value = await load();
    // Only cache when nothing moved while loading, or we could pin a pre-write read to a post-write epoch.
    if (block === this.block && epoch === this.epoch && block >= 0n) {
      if (this.entries.size >= this.max) this.entries.clear();
      this.entries.set(key, { block, epoch, value });
    }
    return value;
  }
}
