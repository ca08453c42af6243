// Test helper (not exported from index.ts): a local HTTP server speaking the part of Kubo's RPC API that
// KuboBlockstore and the node use, for the storage and node tests on machines without a Kubo binary.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { blockCid } from './blockstore.js';

/**
 * A stand-in Kubo RPC server implementing, per Kubo's documented wire format, block/put (multipart
 * file argument "data", response {"Key","Size"}), block/get (raw body), block/stat, block/rm (JSON
 * lines {"Hash","Error"}), pin/ls, pin/add, pin/rm and version; POST only (405 otherwise), errors as HTTP 500 + {"Message","Code","Type"}.
 */
export async function fakeKubo(options: { lieAboutKey?: boolean; corruptGets?: boolean } = {}) {
  const blocks = new Map<string, Uint8Array>();
  const pins = new Set<string>();
  const requests: { method: string; path: string; query: URLSearchParams; contentType?: string }[] = [];
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve) => {
      const parts: Buffer[] = [];
      req.on('data', (c: Buffer) => parts.push(c));
      req.on('end', () => resolve(Buffer.concat(parts)));
    });
  const fail = (res: ServerResponse, status: number, message: string) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Message: message, Code: 0, Type: 'error' }));
  };
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, contentType: req.headers['content-type'] });
    if (req.method !== 'POST') return fail(res, 405, 'method not allowed');
    const body = await readBody(req);
    const arg = url.searchParams.get('arg') ?? '';
    switch (url.pathname) {
      case '/api/v0/version': {
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Version: '0.0.0-stand-in', Commit: '', Repo: '16', System: 'node', Golang: '' }));
      }
      case '/api/v0/block/put': {
        const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(req.headers['content-type'] ?? '');
        if (!boundary) return fail(res, 400, 'expected multipart/form-data');
        const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
        const start = body.indexOf(delimiter) + delimiter.length;
        const end = body.indexOf(delimiter, start);
        const part = body.subarray(start, end - 2); // strip the CRLF before the next delimiter
        const headerEnd = part.indexOf('\r\n\r\n');
        const headers = part.subarray(0, headerEnd).toString();
        if (!/name="data"/.test(headers)) return fail(res, 400, 'file argument "data" is required');
        const data = new Uint8Array(part.subarray(headerEnd + 4));
        if (data.length > 1 << 20 && url.searchParams.get('allow-big-block') !== 'true') return fail(res, 500, 'produced block is over 1MiB');
        const cid = await blockCid(data);
        blocks.set(cid.toString(), data);
        if (url.searchParams.get('pin') === 'true') pins.add(cid.toString());
        const key = options.lieAboutKey ? (await blockCid(new Uint8Array([0]))).toString() : cid.toString();
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Key: key, Size: data.length }));
      }
      case '/api/v0/block/get': {
        const data = blocks.get(arg);
        if (!data) return fail(res, 500, `block was not found locally (offline): ipld: could not find ${arg}`);
        const out = Buffer.from(data);
        if (options.corruptGets && out.length) out[0] ^= 1;
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end(out);
      }
      case '/api/v0/block/stat': {
        const data = blocks.get(arg);
        if (!data) return fail(res, 500, `block was not found locally (offline): ipld: could not find ${arg}`);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Key: arg, Size: data.length }));
      }
      case '/api/v0/pin/ls': {
        if (!pins.has(arg)) return fail(res, 500, `path '${arg}' is not pinned`);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Keys: { [arg]: { Type: 'recursive' } } }));
      }
      case '/api/v0/pin/add': {
        if (!blocks.has(arg)) return fail(res, 500, `pin: block was not found locally (offline): ipld: could not find ${arg}`);
        pins.add(arg);
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Pins: [arg] }));
      }
      case '/api/v0/pin/rm': {
        if (!pins.delete(arg)) return fail(res, 500, 'not pinned or pinned indirectly');
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ Pins: [arg] }));
      }
      case '/api/v0/block/rm': {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (pins.has(arg)) return res.end(JSON.stringify({ Hash: arg, Error: 'pinned: direct' }) + '\n');
        blocks.delete(arg);
        return res.end(JSON.stringify({ Hash: arg }) + '\n');
      }
      default:
        return fail(res, 404, '404 page not found');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, blocks, pins, close: () => new Promise<void>((r) => server.close(() => r())) };
}
