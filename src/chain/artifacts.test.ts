import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifactsHashes } from '../../scripts/build-contracts.js';

test('generated contract artifacts match the Solidity sources (run npm run build:contracts)', () => {
  const { recorded, current } = artifactsHashes();
  assert.equal(recorded, current, 'a .sol file changed without rebuilding: run npm run build:contracts and commit src/chain/artifacts');
});
