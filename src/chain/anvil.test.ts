import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { anvilRpc, startAnvil } from './anvil.js';

test('anvil starts on a free loopback port, snapshots, time-travels and stops', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-anvil-'));
  const statePath = join(dir, 'state.json');
  const a = await startAnvil({ chainId: 4242, statePath });
  try {
    assert.match(a.rpcUrl, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(await anvilRpc.raw(a.rpcUrl, 'eth_chainId'), '0x1092');
    const snap = await anvilRpc.snapshot(a.rpcUrl);
    await anvilRpc.mine(a.rpcUrl, 3);
    assert.equal(await anvilRpc.raw(a.rpcUrl, 'eth_blockNumber'), '0x3');
    await anvilRpc.revert(a.rpcUrl, snap);
    assert.equal(await anvilRpc.raw(a.rpcUrl, 'eth_blockNumber'), '0x0');
    const b = await startAnvil();
    assert.notEqual(a.port, b.port);
    await b.stop();
  } finally {
    await a.stop();
  }
  assert.ok(existsSync(statePath), 'state dumped on stop');
  rmSync(dir, { recursive: true, force: true });
});
