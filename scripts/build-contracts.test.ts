import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listSources, unitHashes } from './build-contracts.js';

test('a source change invalidates its own unit and its importers, nothing else', () => {
  const sources = listSources();
  const before = unitHashes(sources);
  const changed = new Map(sources);
  changed.set('contracts/identity/ClaimData.sol', sources.get('contracts/identity/ClaimData.sol') + '\n// edit\n');
  const after = unitHashes(changed);
  const moved = [...before.keys()].filter((k) => before.get(k) !== after.get(k));
  for (const f of ['contracts/identity/ClaimData.sol', 'contracts/identity/Identity.sol', 'contracts/identity/ClaimIssuer.sol', 'contracts/identity/IdentityFactory.sol']) {
    assert.ok(moved.includes(f), f);
  }
  // None of these imports ClaimData.sol, directly or transitively (role-controlled contracts do, through
  // SignedCalls' low-s check, so they are not in this list).
  for (const f of ['contracts/access/AccessGrants.sol', 'contracts/interfaces/ITrustedIssuersRegistry.sol', 'contracts/interfaces/IIdentity.sol']) {
    assert.ok(!moved.includes(f), f);
  }
});
