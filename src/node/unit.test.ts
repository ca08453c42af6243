// The node's parts without a node: config precedence, the JSON-RPC dispatcher, request signatures, the KYC
// state machine and the read cache.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { ConfigError, loadConfig } from './config.js';
import { RpcDispatcher } from './rpc/server.js';
import { method } from './rpc/method.js';
import { RequestAuthenticator } from './auth.js';
import { canonicalJson, requestTypedData } from '../protocol/request.js';
import { ReadCache } from './cache.js';
import { Mutex } from './chain/relayer.js';

describe('config', () => {
  it('defaults < file < env < overrides, and errors name the field', () => {
    const dir = mkdtempSync(join(tmpdir(), 'masque-cfg-'));
    const file = join(dir, 'c.json');
    writeFileSync(file, JSON.stringify({ port: 9000, host: '0.0.0.0', rpcUrl: 'http://chain:8545' }));
    const c = loadConfig({ file, env: { MASQUE_PORT: '9100', MASQUE_DATA_DIR: dir }, overrides: { host: '127.0.0.2' } });
    assert.equal(c.port, 9100);
    assert.equal(c.host, '127.0.0.2');
    assert.equal(c.rpcUrl, 'http://chain:8545');
    assert.equal(c.dataDir, dir);
    assert.equal(loadConfig({ env: { MASQUE_DATA_DIR: dir } }).port, 8546);
    assert.throws(() => loadConfig({ env: { MASQUE_DATA_DIR: dir, MASQUE_RELAYER_KEY: '0x12' } }), (e: Error) => e instanceof ConfigError && /relayerKey/.test(e.message));
    writeFileSync(file, JSON.stringify({ prot: 1 }));
    assert.throws(() => loadConfig({ file, env: {} }), /prot/);
    rmSync(dir, { recursive: true });
  });

  it('blockstore: fs by default, kubo from the file or MASQUE_BLOCKSTORE / MASQUE_KUBO_URL, bad URLs named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'masque-cfg-'));
    const file = join(dir, 'c.json');
    const env = { MASQUE_DATA_DIR: dir };
    assert.deepEqual(loadConfig({ env }).blockstore, { type: 'fs' });
    writeFileSync(file, JSON.stringify({ blockstore: { type: 'kubo', url: 'http://127.0.0.1:5001' } }));
    assert.deepEqual(loadConfig({ file, env }).blockstore, { type: 'kubo', url: 'http://127.0.0.1:5001', pin: true, timeoutMs: 30_000 });
    // The environment refines the file field by field, or chooses on its own.
    assert.deepEqual(loadConfig({ file, env: { ...env, MASQUE_KUBO_URL: 'https://ipfs.internal:5001/base' } }).blockstore,
      { type: 'kubo', url: 'https://ipfs.internal:5001/base', pin: true, timeoutMs: 30_000 });
    assert.deepEqual(loadConfig({ file, env: { ...env, MASQUE_BLOCKSTORE: 'fs' } }).blockstore, { type: 'fs' });
    assert.equal(loadConfig({ env: { ...env, MASQUE_KUBO_URL: 'http://10.0.0.2:5001' } }).blockstore.type, 'kubo');
    assert.equal(loadConfig({ env: { ...env, MASQUE_BLOCKSTORE: 'kubo', MASQUE_KUBO_URL: 'http://10.0.0.2:5001' } }).blockstore.type, 'kubo');
    const named = (field: RegExp, message?: RegExp) => (e: Error) => e instanceof ConfigError && field.test(e.message) && (!message || message.test(e.message));
    for (const url of ['localhost:5001', 'ftp://127.0.0.1:5001', 'not a url', 'http://127.0.0.1:5001/?x=1', '']) {
      assert.throws(() => loadConfig({ env, overrides: { blockstore: { type: 'kubo', url } } }), named(/blockstore\.url/, /Kubo RPC/), url);
    }
    assert.throws(() => loadConfig({ env: { ...env, MASQUE_KUBO_URL: 'localhost:5001' } }), named(/blockstore\.url/));
    assert.throws(() => loadConfig({ env: { ...env, MASQUE_BLOCKSTORE: 'kubo' } }), named(/blockstore\.url/));
    assert.throws(() => loadConfig({ env: { ...env, MASQUE_BLOCKSTORE: 's3' } }), named(/blockstore/, /"fs" or "kubo"/));
    writeFileSync(file, JSON.stringify({ blockstore: { type: 'fs', url: 'http://127.0.0.1:5001' } }));
    assert.throws(() => loadConfig({ file, env }), named(/blockstore/, /url/));
    rmSync(dir, { recursive: true });
  });

  it('database: sqlite by default, postgres from the file or MASQUE_DATABASE / MASQUE_DATABASE_URL, bad URLs named', () => {
    const dir = mkdtempSync(join(tmpdir(), 'masque-cfg-'));
    const file = join(dir, 'c.json');
    const env = { MASQUE_DATA_DIR: dir };
    const url = 'postgresql://masque:secret@db.internal:5432/masque';
    assert.deepEqual(loadConfig({ env }).database, { type: 'sqlite' });
    writeFileSync(file, JSON.stringify({ database: { type: 'postgres', url, poolSize: 4 } }));
    assert.deepEqual(loadConfig({ file, env }).database, { type: 'postgres', url, poolSize: 4 });
    // The environment refines the file field by field, or chooses on its own.
    assert.deepEqual(loadConfig({ file, env: { ...env, MASQUE_DATABASE_URL: 'postgres://other/m' } }).database, { type: 'postgres', url: 'postgres://other/m', poolSize: 4 });
    assert.deepEqual(loadConfig({ file, env: { ...env, MASQUE_DATABASE: 'sqlite' } }).database, { type: 'sqlite' });
    assert.deepEqual(loadConfig({ env: { ...env, MASQUE_DATABASE_URL: url } }).database, { type: 'postgres', url, poolSize: 10 });
    const named = (field: RegExp, message?: RegExp) => (e: Error) => e instanceof ConfigError && field.test(e.message) && (!message || message.test(e.message));
    for (const bad of ['db.internal:5432/masque', 'mysql://db/m', 'postgresql:///masque', 'not a url', '']) {
      assert.throws(() => loadConfig({ env, overrides: { database: { type: 'postgres', url: bad } } }), named(/database\.url/, /postgresql:\/\//), bad);
    }
    assert.throws(() => loadConfig({ env: { ...env, MASQUE_DATABASE: 'postgres' } }), named(/database\.url/));
    assert.throws(() => loadConfig({ env: { ...env, MASQUE_DATABASE: 'mysql' } }), named(/database/, /"sqlite" or "postgres"/));
    assert.throws(() => loadConfig({ env, overrides: { database: { type: 'postgres', url, poolSize: 0 } } }), named(/database\.poolSize/));
    writeFileSync(file, JSON.stringify({ database: { type: 'sqlite', url } }));
    assert.throws(() => loadConfig({ file, env }), named(/database/, /url/));
    rmSync(dir, { recursive: true });
  });
});

describe('JSON-RPC dispatcher', () => {
  const echo = method({
    name: 'test_echo', summary: 'echo', write: false,
    params: z.strictObject({ a: z.number().int(), b: z.object({ c: z.string() }).optional() }),
    result: z.object({ a: z.number() }),
    handler: async (p) => ({ a: p.a }),
  });
  const boom = method({ name: 'test_boom', summary: 'fails', write: false, params: z.strictObject({}), result: z.null(), handler: async () => { throw new Error('secret /path detail'); } });
  const d = new RpcDispatcher({ methods: [echo as never, boom as never], discover: () => ({ ok: 1 }), passThrough: async (m) => ({ result: m }) });

  it('by-name and by-position params, validation naming nested fields', async () => {
    assert.deepEqual(await d.handleOne({ jsonrpc: '2.0', id: 1, method: 'test_echo', params: { a: 1 } }), { jsonrpc: '2.0', id: 1, result: { a: 1 } });
    assert.deepEqual(await d.handleOne({ jsonrpc: '2.0', id: 2, method: 'test_echo', params: [5] }), { jsonrpc: '2.0', id: 2, result: { a: 5 } });
    const bad = (await d.handleOne({ jsonrpc: '2.0', id: 3, method: 'test_echo', params: { a: 1, b: { c: 3 } } }))!;
    assert.equal(bad.error!.code, -32602);
    assert.deepEqual((bad.error!.data as { field: string }).field, 'b.c');
    const extra = (await d.handleOne({ jsonrpc: '2.0', id: 4, method: 'test_echo', params: { a: 1, z: 1 } }))!;
    assert.equal(extra.error!.code, -32602);
  });

  it('internal errors do not leak details; pass-through and discover work; notifications are silent', async () => {
    const r = (await d.handleOne({ jsonrpc: '2.0', id: 1, method: 'test_boom', params: {} }))!;
    assert.deepEqual(r.error, { code: -32603, message: 'internal error' });
    assert.deepEqual(await d.handleOne({ jsonrpc: '2.0', id: 1, method: 'eth_blockNumber' }), { jsonrpc: '2.0', id: 1, result: 'eth_blockNumber' });
    for (const m of ['eth_sendTransaction', 'eth_sign', 'eth_signTypedData_v4']) assert.equal((await d.handleOne({ jsonrpc: '2.0', id: 1, method: m }))!.error!.code, -32601);
    assert.deepEqual(await d.handleOne({ jsonrpc: '2.0', id: 1, method: 'rpc.discover' }), { jsonrpc: '2.0', id: 1, result: { ok: 1 } });
    assert.equal(await d.handleOne({ jsonrpc: '2.0', method: 'test_echo', params: { a: 1 } }), undefined);
    assert.equal(await d.handleBody([{ jsonrpc: '2.0', method: 'test_echo', params: { a: 1 } }]), undefined);
    assert.equal(((await d.handleBody(Array(101).fill({ jsonrpc: '2.0', id: 1, method: 'test_echo' }))) as { error: { code: number } }).error.code, -32600);
  });
});

describe('request signatures', () => {
  it('verifies, binds every param, refuses replays and stale deadlines', async () => {
    const spent = new Set<string>();
    const auth = new RequestAuthenticator(31337, (s, n) => (spent.has(s + n) ? false : (spent.add(s + n), true)));
    const acct = privateKeyToAccount(generatePrivateKey());
    const params = { identity: '0x' + '11'.repeat(20), topic: 1, nested: { b: 2, a: [1, 'x'] } };
    const nonce = `0x${'ab'.repeat(32)}` as const;
    const deadline = Math.floor(Date.now() / 1000) + 60;
    const signature = await acct.signTypedData(requestTypedData(31337, 'id_x', params, nonce, deadline));
    const a = { signer: acct.address, nonce, deadline, signature };
    await assert.rejects(auth.verify('id_x', { ...params, topic: 2 }, a), /not by auth.signer/);
    await assert.rejects(auth.verify('id_y', params, a), /not by auth.signer/);
    assert.equal(await auth.verify('id_x', { ...params, auth: a }, a), acct.address);
    await assert.rejects(auth.verify('id_x', params, a), /replay/);
    await assert.rejects(auth.verify('id_x', params, { ...a, deadline: 1000 }), /expired/);
    assert.equal(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] }), '{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('read cache and lock', () => {
  it('serves within a block and epoch, reloads after invalidate or a new head', async () => {
    let head = 1n;
    const c = new ReadCache(async () => ({ number: head, hash: `0x${head.toString(16).padStart(64, '0')}`, timestamp: 0 }));
    let loads = 0;
    const get = () => c.get('k', async () => ++loads);
    assert.equal(await get(), 1);
    assert.equal(await get(), 1);
    c.invalidate();
    assert.equal(await get(), 2);
    head = 2n;
    assert.equal(await get(), 3);
  });

  it('the relayer lock runs critical sections one at a time, in order', async () => {
    const m = new Mutex();
    const order: number[] = [];
    let inside = 0;
    await Promise.all([0, 1, 2, 3, 4].map((i) => m.run(async () => {
      inside++;
      assert.equal(inside, 1);
      await new Promise((r) => setTimeout(r, 5 - i));
      order.push(i);
      inside--;
      if (i === 2) throw new Error('a failure does not break the lock');
    }).catch(() => {})));
    assert.deepEqual(order, [0, 1, 2, 3, 4]);
  });
});
