import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

test('npm run demo: the demo issues, proves and revokes a claim on embedded defaults', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-demo-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'main.ts')], {
      env: { ...process.env, MASQUE_DEMO_DIR: dir },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /DID\s+did:masque:/);
    assert.match(run.stdout, /issued: true, not revoked: true/);
    assert.match(run.stdout, /issued: true, not revoked: false/);
    assert.equal((run.stdout.match(/verifies: true/g) ?? []).length, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
