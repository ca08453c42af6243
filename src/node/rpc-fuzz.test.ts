// The JSON-RPC surface of a started node under random requests (fast-check): every method `rpc.discover` lists with
// random and hostile params (huge numbers, long and odd strings, deep values, wrong types, unknown fields), batches,
// notifications, and malformed bodies (random bytes, truncated JSON, number literals past any range, deep nesting).
// Oracle: the node answers every request, in bounded time, with a well-formed JSON-RPC answer; never an internal
// error (-32603); params its zod schema refuses get -32602 naming the field; others a result or one of the node's
// own codes. CI runs MASQUE_RPC_FUZZ_RUNS (default 60) runs per property; rpc-fuzz.slow.test.ts a long campaign.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { api } from '../protocol/api.js';
import { connectClient, startTestNode, type TestNode } from './test-helpers.js';

const RUNS = Number(process.env.MASQUE_RPC_FUZZ_RUNS ?? 60);
const SEED = process.env.MASQUE_RPC_FUZZ_SEED ? Number(process.env.MASQUE_RPC_FUZZ_SEED) : undefined;
/** Any single answer slower than this is a failure: the node must answer in bounded time. */
const BOUND_MS = 15_000;
const NODE_CODES = new Set([-32001, -32002, -32003, -32004, -32005, -32006, -32007, -32602]);

let t: TestNode;
let methods: { name: string; params: string[]; required: string[] }[];
let known: { identity: Address; contracts: string[]; wallet: Address };
const latencies: number[] = [];

interface RpcAnswer { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }

before(async () => {
  t = await startTestNode();
  const { client } = await connectClient(t);
  const doc = (await client.call('rpc.discover' as never, {} as never)) as { methods: { name: string; params: { name: string; required: boolean }[] }[] };
  methods = doc.methods.map((m) => ({ name: m.name, params: m.params.map((p) => p.name), required: m.params.filter((p) => p.required).map((p) => p.name) }));
  const holder = privateKeyToAccount(generatePrivateKey());
  const { identity } = await client.write('id_createIdentity', { wallet: holder.address }, holder);
  const info = await client.rpc.node_info({});
  known = { identity: identity as Address, contracts: [...Object.values(info.contracts), ...Object.values(info.issuers).map((i) => i.address)], wallet: holder.address };
});
after(async () => { await t?.stop(); });

async function post(body: string | Uint8Array, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const t0 = performance.now();
  const res = await fetch(t.node.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : Buffer.from(body) });
  const text = await res.text();
  const ms = performance.now() - t0;
  latencies.push(ms);
  assert.ok(ms < BOUND_MS, `answered in ${ms.toFixed(0)} ms`);
  return { status: res.status, text };
}

// Values: what a schema might accept, what it must refuse, and what might break a handler past its schema.
const hex = (min: number, max: number) => fc.string({ unit: fc.constantFrom(...'0123456789abcdefABCDEF'), minLength: min, maxLength: max }).map((s) => `0x${s}`);
const hostileNumber = fc.constantFrom(0, 1, -1, 7, 0.5, -0.0001, 2 ** 31, 2 ** 32, 2 ** 53, 2 ** 53 + 2, -(2 ** 63), 1e21, 1e308, -1e308, 5e-324);
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom('', ' ', '0x', '0X00', '-1', '1e999', '99999999999999999999999999999999999999999999999999', 'NaN', 'Infinity', '__proto__', 'constructor',
    'did:pkh:eip155:1:0x0000000000000000000000000000000000000000', 'did:key:z', 'bafy', 'AAAA', '=', '\u0000', '\ud800', 'a'.repeat(70_000)),
  hex(0, 70),
  hex(40, 40),
  hex(64, 64),
  hex(130, 130),
);
const knownValue = fc.constantFrom(() => known.identity, () => known.wallet, () => known.contracts[0]!, () => known.contracts.at(-1)!).map((f) => f());
const leaf = fc.oneof(hostileNumber, hostileString, knownValue, fc.boolean(), fc.constant(null), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: leaf },
  { weight: 2, arbitrary: fc.array(leaf, { maxLength: 4 }) },
  { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('a', 'signature', 'nonce', 'deadline', 'signer', 'chainId', 'topic', '__proto__'), leaf, { maxKeys: 4 }) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 5 }) },
  { weight: 1, arbitrary: fc.integer({ min: 2, max: 40 }).map((d) => JSON.parse(`${'['.repeat(d)}1${']'.repeat(d)}`) as unknown) },
);

/** A value that might pass the field's schema, by its name, so that handlers are reached, not only the schemas. */
const ADDRESS_FIELD = /identity|wallet|issuer|verifier|token|address|holder|^to$|^from$|signer|agent|registry|investor|account/i;
const plausible = (key: string): fc.Arbitrary<unknown> => {
  if (/topic/i.test(key)) return fc.oneof(fc.integer({ min: 0, max: 10 }), hostileNumber);
  if (ADDRESS_FIELD.test(key)) return fc.oneof(knownValue, hex(40, 40), hex(40, 40).map((a) => a.toLowerCase()), fc.constant('0x0000000000000000000000000000000000000001'));
  if (/amount|value|count|limit|offset|expires|issued|deadline|country|nonce/i.test(key)) return fc.oneof(fc.integer({ min: 0, max: 1000 }), hostileNumber, fc.constantFrom('1', '0x10', '1000000000000000000000000'));
  return value;
};
const keyed = (keys: readonly string[], v: (k: string) => fc.Arbitrary<unknown>) =>
  fc.tuple(...keys.map((k) => v(k).map((x) => [k, x] as const))).map((kv) => Object.fromEntries(kv) as Record<string, unknown>);

/** A request envelope for one of the node's methods (or an unknown, pass-through or signing name), params by name or position. */
const call = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 0, max: 10_000 }).map((i) => methods[i % methods.length]!) },
  { weight: 1, arbitrary: fc.constantFrom('eth_blockNumber', 'eth_getBalance', 'eth_call', 'eth_sendRawTransaction', 'eth_sendTransaction', 'eth_sign', 'net_version', 'web3_sha3', 'eth_bogus', 'anvil_mine', 'debug_traceCall', 'nope', '', 'rpc.discover', '__proto__', 'constructor', 'toString').map((name) => ({ name, params: ['a', 'b', 'c'], required: [] as string[] })) },
).chain((m) => fc.record({
  name: fc.constant(m.name),
  params: fc.oneof(
    { weight: 4, arbitrary: fc.subarray(m.params).chain((keys) => keyed(keys, () => value)) },
    { weight: 4, arbitrary: fc.subarray(m.params.filter((k) => !m.required.includes(k))).chain((keys) => keyed([...m.required, ...keys], plausible)) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...(m.params.length ? m.params : ['x'])), value, fc.constantFrom('bogusField', 'auth', '__proto__')).map(([k, v, extra]) => JSON.parse(JSON.stringify({ [k]: v, [extra]: v })) as Record<string, unknown>) },
    { weight: 1, arbitrary: fc.array(value, { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, 1, 'x', true) },
  ),
  id: fc.oneof(fc.integer(), fc.string({ maxLength: 8 }), fc.constant(null), fc.constant(undefined)),
}));

type Call = { name: string; params: unknown; id: unknown };
const envelope = (c: Call) => ({ jsonrpc: '2.0', method: c.name, ...(c.params === undefined ? {} : { params: c.params }), ...(c.id === undefined ? {} : { id: c.id }) });

function isNodeInternal(a: RpcAnswer): boolean {
  return a.error?.code === -32603 && a.error.message === 'internal error';
}

/** Checks one answer against what the request deserved. */
function judge(c: Call, a: RpcAnswer): void {
  const what = `${c.name}(${JSON.stringify(c.params)?.slice(0, 300)}) -> ${JSON.stringify(a).slice(0, 300)}`;
  assert.equal(a.jsonrpc, '2.0', what);
  assert.ok(('result' in a) !== ('error' in a), `exactly one of result and error: ${what}`);
  assert.ok(!isNodeInternal(a), `internal error: ${what}`);
  if (a.error) assert.ok(Number.isInteger(a.error.code) && typeof a.error.message === 'string', what);
  const paramsShapeOk = c.params === undefined || (typeof c.params === 'object' && c.params !== null);
  if (!paramsShapeOk) return assert.equal(a.error?.code, -32600, what);
  if (/^(eth|net|web3)_/.test(c.name)) return; // the chain's answer, passed through as it is
  const def = (api as Record<string, { params: { safeParse(v: unknown): { success: boolean } } }>)[c.name];
  if (c.name === 'rpc.discover') return assert.ok(a.result, what);
  if (!def || !methods.some((m) => m.name === c.name)) return assert.equal(a.error?.code, -32601, what);
  if (Array.isArray(c.params)) return; // positional: mapped onto the schema's keys, then as by name
  if (!def.params.safeParse(c.params ?? {}).success) {
    assert.equal(a.error?.code, -32602, what);
    assert.equal(typeof (a.error?.data as { field?: unknown })?.field, 'string', `the field is named: ${what}`);
    return;
  }
  if (a.error) assert.ok(NODE_CODES.has(a.error.code as number), `a node code: ${what}`);
}

/** The answer for `c` within a batch or single answer (by id); notifications get none. */
function answerFor(c: Call, answers: RpcAnswer[]): RpcAnswer | undefined {
  if (c.id === undefined) return undefined;
  const id = typeof c.id === 'string' || typeof c.id === 'number' ? c.id : null;
  return answers.find((a) => a.id === id);
}

describe(`JSON-RPC fuzz (${RUNS} runs per property${SEED === undefined ? '' : `, seed ${SEED}`})`, () => {
  const params = { numRuns: RUNS, ...(SEED === undefined ? {} : { seed: SEED }), endOnFailure: true };

  it('single requests to every discovered method: no internal error, the right code, field named', async () => {
    await fc.assert(fc.asyncProperty(call, async (c) => {
      const { status, text } = await post(JSON.stringify(envelope(c)));
      if (c.id === undefined && typeof c.params !== 'number' && typeof c.params !== 'string' && typeof c.params !== 'boolean' && c.params !== null) {
        return assert.equal(status, 204, `a notification gets no answer: ${text}`);
      }
      assert.equal(status, 200, text);
      const a = JSON.parse(text) as RpcAnswer;
      if (c.id === undefined) return assert.equal(a.error?.code, -32600, text); // an invalid notification is still refused
      judge(c, a);
    }), params);
  });

  it('batches: one answer per request with an id, each judged alone', async () => {
    await fc.assert(fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls) => {
      const { status, text } = await post(JSON.stringify(calls.map(envelope)));
      if (status === 204) return assert.ok(calls.every((c) => c.id === undefined), 'no answer only for notifications');
      assert.equal(status, 200, text);
      const answers = JSON.parse(text) as RpcAnswer[];
      assert.ok(Array.isArray(answers), text);
      for (const c of calls) {
        const validShape = c.params === undefined || (typeof c.params === 'object' && c.params !== null);
        const unique = calls.filter((o) => o.id === c.id).length === 1;
        const a = answerFor(c, answers);
        if (a && validShape && c.id !== null && unique) judge(c, a);
      }
      for (const a of answers) assert.ok(!isNodeInternal(a), text);
    }), params);
  });

  it('malformed bodies: -32700 or -32600, never an internal error, and the node serves on', async () => {
    const good = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'id_verifyClaim', params: { identity: known.identity, topic: 1 } });
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.uint8Array({ maxLength: 200 }),
      fc.nat(good.length - 1).map((n) => good.slice(0, n)),
      fc.constantFrom('1e999', '-1e999', '123456789012345678901234567890123456789', '0.0000000000000000000000000000001e-400', '-0', '1E400').map((n) => good.replace('"topic":1', `"topic":${n}`)),
      fc.constantFrom('null', 'true', '1', '"x"', '[]', '{}', '[[]]', '[1,2]', '{"jsonrpc":"2.0"}', '{"jsonrpc":"1.0","id":1,"method":"node_info"}', '{"jsonrpc":"2.0","id":{},"method":"node_info"}',
        '{"jsonrpc":"2.0","id":1.5,"method":"node_info"}', '{"jsonrpc":"2.0","id":1,"method":7}', '{"jsonrpc":"2.0","id":1,"method":"node_info","params":"x"}',
        '{"jsonrpc":"2.0","id":1,"method":"node_info","__proto__":{"x":1}}', '\ufeff{}', '{"a":"\\ud800"}'),
      fc.integer({ min: 65, max: 5000 }).map((d) => `${'['.repeat(d)}${']'.repeat(d)}`),
      fc.integer({ min: 65, max: 5000 }).map((d) => `{"jsonrpc":"2.0","id":1,"method":"node_info","params":{"a":${'{"a":'.repeat(d)}1${'}'.repeat(d)}}}`),
    );
    await fc.assert(fc.asyncProperty(body, async (b) => {
      const { status, text } = await post(b);
      if (status === 204) return;
      assert.equal(status, 200, text);
      const a = JSON.parse(text) as RpcAnswer | RpcAnswer[];
      for (const one of Array.isArray(a) ? a : [a]) {
        assert.ok(!isNodeInternal(one), `internal error for ${String(b).slice(0, 200)}: ${text}`);
        if (one.error) assert.ok([-32700, -32600, -32601, -32602, -32002].includes(one.error.code as number), `${String(b).slice(0, 200)} -> ${text}`);
      }
    }), params);
    // Still serving, and still right.
    const after = JSON.parse((await post(good)).text) as RpcAnswer;
    assert.ok(after.result, JSON.stringify(after));
  });

  after(() => {
    const sorted = [...latencies].sort((a, b) => a - b);
    const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]?.toFixed(1);
    console.log(`rpc fuzz: ${sorted.length} HTTP requests, latency p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${sorted.at(-1)?.toFixed(1)} ms`);
  });
});
