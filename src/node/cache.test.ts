// The read cache's head checks: each read waits for a check that started after it was asked for, and concurrent
// reads share checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Hex } from 'viem';
import { ReadCache, type ChainHead } from './cache.js';
import { RpcError } from './rpc/errors.js';

const head = (n: number): ChainHead => ({ number: BigInt(n), hash: `0x${n.toString(16).padStart(64, '0')}` as Hex, timestamp: 1_000 + n });

/** A chain whose head checks the test answers one by one. */
function manualChain() {
  const pending: { started: number; resolve: (h: ChainHead) => void; reject: (e: Error) => void }[] = [];
  let checks = 0;
  const fetchHead = () => new Promise<ChainHead>((resolve, reject) => { pending.push({ started: ++checks, resolve, reject }); });
  return { fetchHead, pending, checks: () => checks };
}
const tick = () => new Promise((r) => setImmediate(r));

describe('read cache head checks', () => {
  it('a read never uses a head check that started before it was asked for', async () => {
    const chain = manualChain();
    const c = new ReadCache(chain.fetchHead);
    const a = c.head();
    await tick();
    assert.equal(chain.checks(), 1);
    // b and c arrive while check 1 runs: it may predate a block mined just before them, so they wait for check 2.
    const b = c.head();
    const d = c.head();
    await tick();
    assert.equal(chain.checks(), 1, 'no second check while the first runs');
    chain.pending.shift()!.resolve(head(1));
    assert.equal((await a).number, 1n);
    await tick();
    assert.equal(chain.checks(), 2, 'the queued check starts when the first settles');
    chain.pending.shift()!.resolve(head(2));
    assert.deepEqual([(await b).number, (await d).number], [2n, 2n], 'shared by everyone who queued');
    // Nothing in flight: the next read starts its own check.
    const e = c.head();
    await tick();
    assert.equal(chain.checks(), 3);
    chain.pending.shift()!.resolve(head(2));
    assert.equal((await e).number, 2n);
  });

  it('hundreds of concurrent reads cost two checks and one load', async () => {
    const chain = manualChain();
    const c = new ReadCache(chain.fetchHead);
    let loads = 0;
    const load = async (h: ChainHead) => { loads++; return h.number; };
    const first = c.get('k', load);
    await tick();
    const rest = Array.from({ length: 500 }, () => c.get('k', load));
    chain.pending.shift()!.resolve(head(7));
    assert.equal(await first, 7n);
    await tick();
    chain.pending.shift()!.resolve(head(7));
    assert.deepEqual(new Set(await Promise.all(rest)), new Set([7n]));
    assert.equal(chain.checks(), 2);
    assert.equal(loads, 1, 'same block: the first load is reused');
    assert.equal(c.hits, 500);
  });

  it('a new block hash, or a write by this node, makes the next read load again', async () => {
    let n = 1;
    let forked = false;
    const c = new ReadCache(async () => ({ ...head(n), ...(forked ? { hash: `0x${'ee'.repeat(32)}` as Hex } : {}) }));
    let loads = 0;
    const get = () => c.get('k', async () => ++loads);
    assert.equal(await get(), 1);
    assert.equal(await get(), 1);
    n = 2;
    assert.equal(await get(), 2);
    forked = true; // same height, another block (a reorg, an anvil revert)
    assert.equal(await get(), 3);
    c.invalidate();
    assert.equal(await get(), 4);
  });

  it('with the cache off every read loads, still at a fresh head', async () => {
    const c = new ReadCache(async () => head(3), 10, false);
    let loads = 0;
    assert.equal(await c.get('k', async (h) => { loads++; return h.timestamp; }), 1_003);
    await c.get('k', async () => loads++);
    assert.equal(loads, 2);
  });

  it('an unreachable chain is -32006, and the next read checks again', async () => {
    let up = false;
    const c = new ReadCache(async () => { if (!up) throw new Error('connect ECONNREFUSED 127.0.0.1:8545\nstack'); return head(1); });
    await assert.rejects(c.get('k', async () => 1), (e: unknown) => e instanceof RpcError && e.code === -32006 && /ECONNREFUSED/.test(e.message) && !/stack/.test(e.message));
    up = true;
    assert.equal(await c.get('k', async () => 2), 2);
  });
});
