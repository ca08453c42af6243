// Slow suite (npm run test:slow): the whole trusted setup from scratch into a temporary directory (phase 1
// with contributions and beacon, phase 2 per circuit, zkey verification, exports), then real proofs with the
// fresh keys. Tens of minutes on 2 shared cores; the fast suite uses the committed keys instead.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ceremony } from '../../scripts/zk-ceremony.js';
import { proveCredentialQuery, proveStateTransition, releaseProverResources, verifyProof, type VerificationKey } from './index.js';
import { artifactPaths, loadVerificationKey, CIRCUITS_BUILD_DIR } from './node.js';
import { GlobalStateTree } from './gist.js';
import { proveHolderAuth } from './prover.js';
import { makeFixture } from './test-fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'masque-zk-ceremony-'));
after(async () => {
  await releaseProverResources();
  rmSync(dir, { recursive: true, force: true });
});

test('full ceremony from scratch, then proofs with the fresh keys', { timeout: 85 * 60_000 }, async () => {
  const buildDir = join(dir, 'build');
  const manifest = await ceremony({ buildDir, workDir: join(dir, 'work'), solDir: join(dir, 'sol'), log: (m) => console.log(`  ${m}`) });
  const committed = JSON.parse(readFileSync(join(CIRCUITS_BUILD_DIR, 'manifest.json'), 'utf8')) as typeof manifest;
  for (const name of ['credentialQuery', 'holderAuth', 'stateTransition'] as const) {
    assert.equal(manifest.circuits[name].constraints, committed.circuits[name].constraints, `${name}: same circuit as committed`);
    assert.equal(manifest.circuits[name].contributions.length, 4, 'three contributions and a beacon');
    assert.ok(existsSync(join(dir, 'sol', `${name[0].toUpperCase()}${name.slice(1)}Verifier.sol`)));
  }

  const f = makeFixture();
  const claim = f.issue();
  const fresh = (name: 'credentialQuery' | 'holderAuth' | 'stateTransition') => ({ ...artifactPaths(name, buildDir), vkey: loadVerificationKey(name, buildDir) as VerificationKey });
  const q = fresh('credentialQuery');
  const p = await proveCredentialQuery(f.queryHolder, f.credential(claim), f.query({ operator: 'LESS_THAN', values: [1_000_000n] }), q);
  assert.equal(await verifyProof(q.vkey, p), true);
  // Another setup's key refuses it: the keys really are fresh.
  assert.equal(await verifyProof(loadVerificationKey('credentialQuery'), p), false);

  const s = fresh('stateTransition');
  const first = f.issuer.transitions()[0];
  const t = await proveStateTransition(first, GlobalStateTree.empty().updateWitness(f.issuer.id.bigint, first.newState), s);
  assert.equal(await verifyProof(s.vkey, t), true);
  const a = fresh('holderAuth');
  assert.equal(await verifyProof(a.vkey, await proveHolderAuth(f.holder, { challenge: 1n, salt: 2n }, a)), true);
});
