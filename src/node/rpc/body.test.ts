// Body limits checked while the body streams in: an over-size body, an over-size batch and over-deep nesting are
// answered with a clear JSON-RPC error before the client has finished sending, and nothing of them is dispatched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import fc from 'fast-check';
import { z } from 'zod';
import { JsonShapeScanner } from './body.js';
import { RpcDispatcher, startRpcServer, type RunningServer } from './server.js';
import { method } from './method.js';

const MAX_BYTES = 64 * 1024;
let server: RunningServer;
let calls = 0;

const echo = method({
  name: 'test_echo', summary: 'echo', write: false, params: z.object({ value: z.unknown() }), result: z.unknown(),
  handler: async (p) => { calls++; return p.value; },
});

before(async () => {
  const dispatcher = new RpcDispatcher({ methods: [echo], discover: () => ({}), maxBatch: 100 });
  server = await startRpcServer(dispatcher, { host: '127.0.0.1', port: 0, maxBodyBytes: MAX_BYTES });
});
after(async () => { await server?.close(); });

interface Answer { status: number; body: { error?: { code: number; message: string } } | unknown[]; headers: Record<string, unknown> }

/**
 * POSTs `head` with chunked encoding and then keeps the request open (more bytes, never the end) unless `end`:
 * resolves with the answer, which must then come while the body is still unfinished.
 */
function postOpen(head: string, o: { end?: boolean; contentLength?: number } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(server.url, { method: 'POST', headers: { 'content-type': 'application/json', ...(o.contentLength ? { 'content-length': o.contentLength } : {}) } });
    const timer = setTimeout(() => { req.destroy(); reject(new Error('no answer while the body was still streaming')); }, 5000);
    let trickle: NodeJS.Timeout | undefined;
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        clearTimeout(timer);
        clearInterval(trickle);
        req.destroy();
        resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), headers: res.headers });
      });
    });
    req.on('error', (e) => { clearTimeout(timer); clearInterval(trickle); reject(e); });
    req.write(head);
    if (o.end) req.end();
    // Keep sending whitespace (valid inside JSON) so the server is never told the body is over.
    else trickle = setInterval(() => req.write(' '), 50);
  });
}

const call = (id: number, value: unknown = id) => ({ jsonrpc: '2.0', id, method: 'test_echo', params: { value } });
const batchHead = (n: number) => `[${Array.from({ length: n }, (_, i) => JSON.stringify(call(i))).join(',')}`;
const errorOf = (a: Answer) => (a.body as { error: { code: number; message: string } }).error;

describe('request body limits, while streaming', () => {
  it('a batch past maxBatch is refused at its 101st request, before the body ends, nothing dispatched', async () => {
    calls = 0;
    const a = await postOpen(`${batchHead(101)},`);
    assert.equal(a.status, 200);
    assert.deepEqual(errorOf(a), { code: -32600, message: 'batch larger than 100' });
    assert.equal(a.headers.connection, 'close');
    assert.equal(calls, 0);
  });

  it('a body past maxBodyBytes without content-length is answered 413 -32007, naming the limit, before it ends', async () => {
    const a = await postOpen(JSON.stringify(call(1, 'x'.repeat(MAX_BYTES + 10))).slice(0, -2));
    assert.equal(a.status, 413);
    assert.deepEqual(errorOf(a), { code: -32007, message: `request body larger than ${MAX_BYTES} bytes` });
  });

  it('a declared content-length past the limit is refused before a byte of the body is read', async () => {
    const a = await postOpen('{', { contentLength: MAX_BYTES + 1 });
    assert.equal(a.status, 413);
    assert.equal(errorOf(a).code, -32007);
  });

  it('nesting past 64 levels is refused while streaming, in params as in the envelope', async () => {
    calls = 0;
    const deep = await postOpen(`{"jsonrpc":"2.0","id":1,"method":"test_echo","params":{"value":${'['.repeat(70)}`);
    assert.deepEqual(errorOf(deep), { code: -32600, message: 'JSON nested deeper than 64 levels' });
    const bare = await postOpen('['.repeat(100_000), { end: true });
    assert.equal(errorOf(bare).code, -32600);
    assert.equal(calls, 0);
  });

  it('within the limits: 100 requests, brackets, commas and escaped quotes inside strings, depth 60', async () => {
    const tricky = '[[{,"\\"],\\\\';
    const a = await postOpen(`[${Array.from({ length: 100 }, (_, i) => JSON.stringify(call(i, tricky))).join(' , ')}]`, { end: true });
    assert.equal(a.status, 200);
    assert.equal((a.body as unknown[]).length, 100);
    const nested = JSON.parse(`${'['.repeat(58)}1${']'.repeat(58)}`);
    const b = await postOpen(JSON.stringify(call(1, nested)), { end: true });
    assert.deepEqual((b.body as { result: unknown }).result, nested);
    // Malformed JSON within the limits is still JSON.parse's -32700, and the node serves on.
    assert.equal(errorOf(await postOpen('[1,,', { end: true })).code, -32700);
  });
});

describe('JsonShapeScanner', () => {
  const verdict = (text: string, cut: number[]) => {
    const s = new JsonShapeScanner({ maxBatch: 5, maxDepth: 4 });
    const bytes = Buffer.from(text);
    let at = 0;
    for (const c of [...cut.filter((x) => x < bytes.length).sort((x, y) => x - y), bytes.length]) {
      const r = s.feed(bytes.subarray(at, c));
      at = c;
      if (r) return r.message;
    }
    return 'ok';
  };
  /** The scanner's answer from the parsed value: its batch size and depth. */
  const expected = (v: unknown): string => {
    const depth = (x: unknown): number => (x !== null && typeof x === 'object' ? 1 + Math.max(0, ...Object.values(x).map(depth)) : 0);
    // The scanner stops at the first limit crossed in text order; a value over both limits is accepted either way.
    if (Array.isArray(v) && v.length > 5 && depth(v) > 4) return 'either';
    if (Array.isArray(v) && v.length > 5) return 'batch larger than 5';
    if (depth(v) > 4) return 'JSON nested deeper than 4 levels';
    return 'ok';
  };

  it('counts batch elements and depth exactly as JSON.parse sees them, however the bytes are cut into chunks', () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 6 }), fc.array(fc.nat(400)), (v, cut) => {
      const text = JSON.stringify(v);
      const want = expected(v);
      const got = verdict(text, cut);
      if (want === 'either') assert.notEqual(got, 'ok');
      else assert.equal(got, want, text);
    }), { numRuns: 2000 });
  });
});
