// The token index's repository (db/tokens.ts) without a node: balances folded once per block range (a second folder
// of the same range changes nothing), the cap table's order, refusal of a negative balance, and durability.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openRepos } from './db/index.js';
import { forEachEngine } from './db/test-engines.js';

const T = '0x00000000000000000000000000000000000000Aa';
const suite = { token: T, identityRegistry: '0x01' };
const batch = (deltas: [string, bigint][], roleAccounts: string[] = []) => ({ deltas: new Map(deltas), roleAccounts: new Set(roleAccounts) });

forEachEngine((engine) => describe(`tokens repository on ${engine.name}`, () => {
  it('folds each block range once, orders holders by balance past 2^64, refuses negative balances, survives reopen', async () => {
    const config = await engine.config();
    let repos = await openRepos(config);
    try {
      await repos.tokens.track(T, suite, 10);
      await repos.tokens.track(T, { other: true }, 99); // tracked already: unchanged
      assert.deepEqual(await repos.tokens.get(T), { token: T.toLowerCase(), suite, fromBlock: 10, indexedBlock: 10, createdAt: (await repos.tokens.get(T))!.createdAt });
      const big = 2n ** 100n;
      assert.equal(await repos.tokens.apply(T, 10, 20, batch([['0xA', 5n], ['0xB', big], ['0xC', 30n]], ['0xAgent'])), true);
      // Another indexer folding the same range finds indexed_block moved: nothing counted twice.
      assert.equal(await repos.tokens.apply(T, 10, 20, batch([['0xA', 5n]])), false);
      assert.equal(await repos.tokens.apply(T, 20, 25, batch([['0xC', -30n], ['0xA', 4n]])), true);
      await assert.rejects(repos.tokens.apply(T, 25, 30, batch([['0xA', -10n]])), /would hold -1/);
      assert.equal((await repos.tokens.get(T))!.indexedBlock, 25, 'a refused batch moves nothing');
      await repos.close();
      repos = await openRepos(config);
      const { rows, total } = await repos.tokens.holders(T, 0, 10);
      assert.deepEqual(rows, [{ holder: '0xb', balance: big }, { holder: '0xa', balance: 9n }]);
      assert.equal(total, 2);
      assert.deepEqual((await repos.tokens.holders(T, 1, 10)).rows, [{ holder: '0xa', balance: 9n }]);
      assert.deepEqual(await repos.tokens.roleAccounts(T), ['0xagent']);
      assert.equal((await repos.tokens.list()).length, 1);
    } finally {
      await repos.close();
    }
  });
}));
