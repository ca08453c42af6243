// The embedded chain's dump keeps the whole state but only the newest `historyBlocks` blocks of history: after a
// restart the head, its hash, balances and nonces are the same, older blocks are gone, the chain goes on, and the
// dump is smaller than before.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { rpc } from '../chain/anvil.js';
import { dataDirLayout } from './datadir.js';
import { pruneStateDump, startEmbeddedChain } from './chain/embedded.js';

async function sendAndWait(url: string, from: string, to: string, bytes = 100, random = 0): Promise<string> {
  const data = `0x${'ab'.repeat(bytes)}${randomBytes(random).toString('hex')}`;
  const hash = (await rpc(url, 'eth_sendTransaction', [{ from, to, value: '0x1', data }])) as string;
  for (;;) {
    if (await rpc(url, 'eth_getTransactionReceipt', [hash])) return hash;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const blocksInDump = (hex: string) => (JSON.parse(gunzipSync(Buffer.from(hex.slice(2), 'hex')).toString()) as { blocks: unknown[] }).blocks.length;

it('restart loads the newest blocks only; state, head and chain continuity survive', { timeout: 120_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'masque-history-'));
  const dir = dataDirLayout(root);
  let chain: Awaited<ReturnType<typeof startEmbeddedChain>> | undefined;
  try {
    const K = 16;
    chain = await startEmbeddedChain(dir, { chainId: 31337, durable: true, historyBlocks: K });
    const [from, to] = (await rpc(chain.rpcUrl, 'eth_accounts')) as string[];
    const first = await sendAndWait(chain.rpcUrl, from!, to!);
    for (let i = 0; i < 79; i++) await sendAndWait(chain.rpcUrl, from!, to!);
    await chain.persist();
    // While running, anvil already drops transactions (receipts) older than K blocks, but keeps every header.
    assert.equal(await rpc(chain.rpcUrl, 'eth_getTransactionReceipt', [first]), null);
    const before = { size: statSync(dir.chainState).size, blocks: blocksInDump(readFileSync(dir.chainState, 'utf8')) };
    assert.ok(before.blocks >= 80, `dump holds ${before.blocks} blocks`);
    const head = (await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string };
    const balance = await rpc(chain.rpcUrl, 'eth_getBalance', [to, 'latest']);
    const nonce = await rpc(chain.rpcUrl, 'eth_getTransactionCount', [from, 'latest']);
    await chain.stop();

    chain = await startEmbeddedChain(dir, { chainId: 31337, durable: true, historyBlocks: K });
    const head2 = (await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string };
    assert.deepEqual([head2.number, head2.hash], [head.number, head.hash]);
    assert.equal(await rpc(chain.rpcUrl, 'eth_getBalance', [to, 'latest']), balance);
    assert.equal(await rpc(chain.rpcUrl, 'eth_getTransactionCount', [from, 'latest']), nonce);
    assert.equal(await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['0x5', false]), null, 'old history dropped');
    assert.ok(await rpc(chain.rpcUrl, 'eth_getBlockByNumber', [`0x${(Number(head.number) - K + 1).toString(16)}`, false]), 'newest K blocks kept');
    await sendAndWait(chain.rpcUrl, from!, to!);
    const next = (await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['latest', false])) as { number: string; parentHash: string };
    assert.equal(next.parentHash, head.hash);
    await chain.persist();
    const after = { size: statSync(dir.chainState).size, blocks: blocksInDump(readFileSync(dir.chainState, 'utf8')) };
    // The K kept, the one mined since (and anvil may hold the one being built).
    assert.ok(after.blocks <= K + 2, `dump after restart holds ${after.blocks} blocks`);
    assert.ok(after.size < before.size / 2, `dump ${before.size} -> ${after.size} bytes`);
  } finally {
    await chain?.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

it('a dump larger than anvil accepts over JSON-RPC (about 2 MiB) still restarts, history kept whole with 0', { timeout: 180_000 }, async () => {
  const root = mkdtempSync(join(tmpdir(), 'masque-history-'));
  const dir = dataDirLayout(root);
  let chain: Awaited<ReturnType<typeof startEmbeddedChain>> | undefined;
  try {
    chain = await startEmbeddedChain(dir, { chainId: 31337, durable: true, historyBlocks: 0 });
    const [from, to] = (await rpc(chain.rpcUrl, 'eth_accounts')) as string[];
    let n = 0;
    // Big calldata (random, so gzip cannot fold it) makes the dump pass the limit in a few hundred transactions.
    while (n < 100 || statSync(dir.chainState).size <= 2.2 * 1024 * 1024) {
      for (let i = 0; i < 100; i++, n++) await sendAndWait(chain.rpcUrl, from!, to!, 0, 4000);
      await chain.persist();
    }
    const head = (await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string };
    // anvil_loadState refuses this body ("Invalid request", or a dropped connection): the restart hands anvil the
    // dump as a file instead.
    await assert.rejects(rpc(chain.rpcUrl, 'anvil_loadState', [readFileSync(dir.chainState, 'utf8')]), () => true);
    await chain.stop();
    chain = await startEmbeddedChain(dir, { chainId: 31337, durable: true, historyBlocks: 0 });
    const head2 = (await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['latest', false])) as { number: string; hash: string };
    assert.deepEqual([head2.number, head2.hash], [head.number, head.hash]);
    assert.ok(await rpc(chain.rpcUrl, 'eth_getBlockByNumber', ['0x5', false]), 'history kept with historyBlocks 0');
  } finally {
    await chain?.stop();
    rmSync(root, { recursive: true, force: true });
  }
});

it('pruneStateDump keeps the newest blocks, everything with 0, and declines what it does not understand', () => {
  assert.equal(pruneStateDump('0x1234', 4), undefined);
  assert.equal(pruneStateDump('0x', 4), undefined);
  const dump = { block: { number: '0x2' }, accounts: { a: 1 }, blocks: [{ header: { number: '0x1' } }, { header: { number: '0x2' } }], transactions: [{ block_number: 1 }, { block_number: 2 }] };
  const plain = `0x${Buffer.from(JSON.stringify(dump)).toString('hex')}`;
  assert.deepEqual(JSON.parse(pruneStateDump(plain, 0)!.json), dump);
  const one = pruneStateDump(`0x${gzipSync(JSON.stringify(dump)).toString('hex')}`, 1)!;
  assert.deepEqual([one.blocks, one.kept], [2, 1]);
  assert.deepEqual(JSON.parse(one.json), { ...dump, blocks: [{ header: { number: '0x2' } }], transactions: [{ block_number: 2 }] });
});
