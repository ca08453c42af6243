import { CID } from 'multiformats/cid';
import { BlockIntegrityError, BlockNotFoundError, blockCid, checkBlockCid, verifyBlock, type Blockstore } from './blockstore.js';

/**
 * A Blockstore over a Kubo (go-ipfs) node's HTTP RPC API: `/api/v0/block/put`, `/block/get`,
 * `/block/stat` and `/block/rm`, all POST (Kubo answers 405 to GET). Nothing is trusted from the
 * node: the CID it reports for a put must equal the one computed here, and fetched bytes are
 * re-hashed. The RPC API is admin-level: point this at a loopback or otherwise private endpoint.
 *
 * Reads default to `offline=true` (Kubo's global flag): a block missing locally is a fast "not
 * found" rather than a network-wide search. Blocks above 1 MiB need `allow-big-block`, which is set;
 * note that standard bitswap will not move such blocks between nodes.
 */
export interface KuboOptions {
  /** e.g. http://127.0.0.1:5001 */
  readonly url: string;
  /** Pin on put so Kubo's GC keeps the block (default true). */
  readonly pin?: boolean;
  readonly offline?: boolean;
  readonly timeoutMs?: number;
  readonly fetch?: typeof fetch;
  /** Extra headers, e.g. an Authorization for a proxy in front of the RPC port. */
  readonly headers?: Record<string, string>;
}

/** The node answered with an error, or with something that is not Kubo's documented response. */
export class KuboError extends Error {
  override readonly name = 'KuboError';
  constructor(readonly status: number, message: string) {
    super(`kubo: ${message} (HTTP ${status})`);
  }
}

export class KuboBlockstore implements Blockstore {
  readonly #url: string;
  readonly #pin: boolean;
  readonly #offline: boolean;
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;
  readonly #headers: Record<string, string>;

  constructor(options: KuboOptions) {
    this.#url = options.url.replace(/\/+$/, '');
    this.#pin = options.pin ?? true;
    this.#offline = options.offline ?? true;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#fetch = options.fetch ?? fetch;
    this.#headers = options.headers ?? {};
  }

  async #call(command: string, params: Record<string, string>, body?: FormData): Promise<Response> {
    const url = `${this.#url}/api/v0/${command}?${new URLSearchParams(params)}`;
    const response = await this.#fetch(url, {
      method: 'POST',
      body,
      headers: this.#headers,
      signal: AbortSignal.timeout(this.#timeoutMs),
    });
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let message = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { Message?: unknown };
      if (typeof parsed.Message === 'string') message = parsed.Message;
    } catch {
      /* Kubo's errors are JSON {Message, Code, Type}; anything else is reported raw */
    }
    throw new KuboError(response.status, message || response.statusText);
  }

  async put(bytes: Uint8Array): Promise<CID> {
    const cid = await blockCid(bytes);
    const form = new FormData();
    form.append('data', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/octet-stream' }), 'data');
    const response = await this.#call(
      'block/put',
      { 'cid-codec': 'raw', mhtype: 'sha2-256', mhlen: '-1', pin: String(this.#pin), 'allow-big-block': 'true' },
      form,
    );
    const result = (await response.json()) as { Key?: unknown; Size?: unknown };
    if (typeof result.Key !== 'string') throw new KuboError(response.status, 'block/put response has no Key');
    let reported: CID;
    try {
      reported = CID.parse(result.Key);
    } catch {
      throw new KuboError(response.status, `block/put returned an unparsable Key ${result.Key}`);
    }
    if (!reported.equals(cid)) throw new BlockIntegrityError(cid, `node stored it as ${reported}`);
    if (result.Size !== undefined && Number(result.Size) !== bytes.length) {
      throw new BlockIntegrityError(cid, `node reports ${String(result.Size)} bytes, sent ${bytes.length}`);
    }
    return cid;
  }

  async get(cid: CID): Promise<Uint8Array> {
    const c = checkBlockCid(cid);
    let response: Response;
    try {
      response = await this.#call('block/get', { arg: c.toString(), offline: String(this.#offline) });
    } catch (e) {
      if (isNotFound(e)) throw new BlockNotFoundError(c);
      throw e;
    }
    return verifyBlock(c, new Uint8Array(await response.arrayBuffer()));
  }

  async has(cid: CID): Promise<boolean> {
    const c = checkBlockCid(cid);
    try {
      const response = await this.#call('block/stat', { arg: c.toString(), offline: String(this.#offline) });
      const stat = (await response.json()) as { Key?: unknown };
      return typeof stat.Key === 'string';
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** Whether Kubo's garbage collector keeps the block: pinned in any way (direct, recursive, or inside a pinned DAG). */
  async pinned(cid: CID): Promise<boolean> {
    const c = checkBlockCid(cid);
    try {
      const response = await this.#call('pin/ls', { arg: c.toString() });
      const r = (await response.json()) as { Keys?: Record<string, unknown> };
      return typeof r.Keys === 'object' && r.Keys !== null && c.toString() in r.Keys;
    } catch (e) {
      if (e instanceof KuboError && /not pinned/i.test(e.message)) return false;
      throw e;
    }
  }

  /** Pins a block Kubo holds (a pin lost to an operator's `pin rm`, or a put made with pinning off). */
  async pinBlock(cid: CID): Promise<void> {
    const c = checkBlockCid(cid);
    const response = await this.#call('pin/add', { arg: c.toString() });
    const r = (await response.json()) as { Pins?: unknown };
    if (!Array.isArray(r.Pins) || !r.Pins.includes(c.toString())) throw new KuboError(response.status, `pin/add did not pin ${c}`);
  }

  async delete(cid: CID): Promise<void> {
    const c = checkBlockCid(cid);
    if (this.#pin) {
      // A pinned block cannot be removed; an absent pin is fine.
      await this.#call('pin/rm', { arg: c.toString() }).catch((e) => {
        if (!(e instanceof KuboError && /not pinned|not found/i.test(e.message))) throw e;
      });
    }
    // force: removing an absent block is not an error, as the Blockstore contract says.
    const response = await this.#call('block/rm', { arg: c.toString(), force: 'true' });
    const text = await response.text();
    for (const line of text.split('\n').filter(Boolean)) {
      const r = JSON.parse(line) as { Error?: string };
      if (r.Error) throw new KuboError(response.status, r.Error);
    }
  }
}

function isNotFound(e: unknown): boolean {
  return e instanceof KuboError && e.status === 500 && /not found|could not find/i.test(e.message);
}
