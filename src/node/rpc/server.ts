// JSON-RPC 2.0 over node:http: single and batch requests, by-name or by-position params, size limits, schema
// validation naming the offending field, `rpc.discover`, and pass-through of eth_/net_/web3_ to the chain.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { RpcCode, RpcError } from './errors.js';
import type { MethodDef } from './method.js';
import { BodyRefusal, readBody } from './body.js';

export interface RpcServerOptions {
  methods: readonly MethodDef[];
  /** Answers `rpc.discover`. */
  discover: () => unknown;
  /** Forwards a standard Ethereum method to the chain; resolves to the upstream's JSON-RPC response object. */
  passThrough?: (method: string, params: unknown) => Promise<{ result?: unknown; error?: unknown }>;
  maxBodyBytes?: number;
  maxBatch?: number;
  log?: (msg: string) => void;
}

type Id = string | number | null;
interface Response { jsonrpc: '2.0'; id: Id; result?: unknown; error?: { code: number; message: string; data?: unknown } }

const PASS_THROUGH = /^(eth|net|web3)_[A-Za-z0-9]+$/;
// Methods that sign with keys held by the chain node (anvil's unlocked dev accounts): never offered to callers.
const SIGNING = /^eth_(sendTransaction|sign|signTransaction|signTypedData(_v\d)?)$/;

function errorResponse(id: Id, e: unknown, log?: (m: string) => void): Response {
  if (e instanceof RpcError) {
    return { jsonrpc: '2.0', id, error: { code: e.code, message: e.message, ...(e.data === undefined ? {} : { data: e.data }) } };
  }
  // Internal details stay in the log: a stack trace can carry paths or state a caller should not see.
  log?.(`internal error: ${(e as Error)?.stack ?? String(e)}`);
  return { jsonrpc: '2.0', id, error: { code: RpcCode.INTERNAL, message: 'internal error' } };
}

function fieldOf(issue: z.core.$ZodIssue): string {
  return issue.path.length ? issue.path.map(String).join('.') : '(params)';
}

export class RpcDispatcher {
  private readonly byName = new Map<string, MethodDef>();
  constructor(private readonly opts: RpcServerOptions) {
    for (const m of opts.methods) this.byName.set(m.name, m);
  }

  /** Requests accepted in one batch. */
  get maxBatch(): number {
    return this.opts.maxBatch ?? 100;
  }

  get methods(): MethodDef[] {
    return [...this.byName.values()];
  }

  /** Handles a parsed body (object or array); undefined when nothing is to be answered (notifications only). */
  async handleBody(body: unknown): Promise<Response | Response[] | undefined> {
    if (Array.isArray(body)) {
      if (body.length === 0) return errorResponse(null, new RpcError(RpcCode.INVALID_REQUEST, 'empty batch'));
      const max = this.maxBatch;
      if (body.length > max) return errorResponse(null, new RpcError(RpcCode.INVALID_REQUEST, `batch larger than ${max}`));
      const out = await Promise.all(body.map((r) => this.handleOne(r)));
      const answered = out.filter((r): r is Response => r !== undefined);
      return answered.length ? answered : undefined;
    }
    return this.handleOne(body);
  }

  async handleOne(req: unknown): Promise<Response | undefined> {
    if (typeof req !== 'object' || req === null || Array.isArray(req)) {
      return errorResponse(null, new RpcError(RpcCode.INVALID_REQUEST, 'request must be an object'));
    }
    const r = req as Record<string, unknown>;
    const hasId = 'id' in r;
    const id: Id = typeof r.id === 'string' || typeof r.id === 'number' ? r.id : null;
    if (r.jsonrpc !== '2.0' || typeof r.method !== 'string' || (hasId && r.id !== null && typeof r.id !== 'string' && typeof r.id !== 'number')) {
      return errorResponse(id, new RpcError(RpcCode.INVALID_REQUEST, 'not a JSON-RPC 2.0 request'));
    }
    if (r.params !== undefined && (typeof r.params !== 'object' || r.params === null)) {
      return errorResponse(id, new RpcError(RpcCode.INVALID_REQUEST, 'params must be an object or an array'));
    }
    const res = await this.call(r.method, r.params, id);
    return hasId ? res : undefined;
  }

  private async call(name: string, params: unknown, id: Id): Promise<Response> {
    try {
      if (name === 'rpc.discover') return { jsonrpc: '2.0', id, result: this.opts.discover() };
      if (SIGNING.test(name)) throw new RpcError(RpcCode.METHOD_NOT_FOUND, `method not available: ${name} (the node signs nothing for callers; send a signed transaction)`);
      if (PASS_THROUGH.test(name) && this.opts.passThrough) {
        const up = await this.opts.passThrough(name, params ?? []);
        return up.error !== undefined
          ? { jsonrpc: '2.0', id, error: up.error as Response['error'] }
          : { jsonrpc: '2.0', id, result: up.result ?? null };
      }
      const m = this.byName.get(name);
      if (!m) throw new RpcError(RpcCode.METHOD_NOT_FOUND, `method not found: ${name}`);
      const raw = this.byNameParams(m, params) as Record<string, unknown>;
      const parsed = m.params.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        const field = fieldOf(issue);
        throw new RpcError(RpcCode.INVALID_PARAMS, `invalid params: ${field}: ${issue.message}`, { field, issues: parsed.error.issues.map((i) => ({ field: fieldOf(i), message: i.message })) });
      }
      const result = await m.handler(parsed.data, { id, raw });
      return { jsonrpc: '2.0', id, result: result ?? null };
    } catch (e) {
      return errorResponse(id, e, this.opts.log);
    }
  }

  /** Positional params map onto the schema's keys in declaration order (OpenRPC paramStructure "either"). */
  private byNameParams(m: MethodDef, params: unknown): unknown {
    if (params === undefined) return {};
    if (!Array.isArray(params)) return params;
    const keys = Object.keys(m.params.shape);
    if (params.length > keys.length) return { __tooMany: params.length };
    const out: Record<string, unknown> = {};
    params.forEach((v, i) => { if (v !== undefined) out[keys[i]!] = v; });
    return out;
  }
}

function send(res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}): void {
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  const text = JSON.stringify(body, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  res.writeHead(status, { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }).end(text);
}

export interface RunningServer {
  server: Server;
  port: number;
  url: string;
  close(): Promise<void>;
}

export async function startRpcServer(dispatcher: RpcDispatcher, opts: {
  host: string; port: number; maxBodyBytes?: number; health?: () => unknown;
  /** Nesting depth of a request body's JSON (default 64: the node's own requests use under 10). */
  maxDepth?: number;
  /** Answers a GET (the dashboard's page and assets); false when it serves nothing there. */
  get?: (req: IncomingMessage, res: ServerResponse) => boolean;
}): Promise<RunningServer> {
  const limits = { maxBytes: opts.maxBodyBytes ?? 16 * 1024 * 1024, maxBatch: dispatcher.maxBatch, maxDepth: opts.maxDepth ?? 64 };
  const server = createServer(async (req, res) => {
    if ((req.method === 'GET' || req.method === 'HEAD') && opts.get?.(req, res)) return;
    if (req.method === 'GET' && (req.url === '/health' || req.url === '/')) return send(res, 200, opts.health?.() ?? { ok: true });
    if (req.method !== 'POST') return send(res, 405, errorResponse(null, new RpcError(RpcCode.INVALID_REQUEST, 'use POST')));
    let raw: Buffer;
    try {
      raw = await readBody(req, limits);
    } catch (e) {
      // Refused while the body streams in: the rest is never read, so this connection ends with the answer.
      return send(res, e instanceof BodyRefusal ? e.status : 400, errorResponse(null, e), { connection: 'close' });
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return send(res, 200, errorResponse(null, new RpcError(RpcCode.PARSE_ERROR, 'parse error: malformed JSON')));
    }
    const out = await dispatcher.handleBody(body);
    if (out === undefined) return send(res, 204);
    send(res, 200, out);
  });
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    port,
    url: `http://${opts.host}:${port}`,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
