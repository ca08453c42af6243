import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

test('npm run demo:zk: an investor is admitted to a token on a ZK proof, then is suspended on a screening hit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-demo-zk-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'zk.ts')], {
      env: { ...process.env, MASQUE_DEMO_DIR: dir },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /verified for the token: false\n[\s\S]*verified for the token: true/);
    assert.match(out, /gate: verified for KYC until \d{4}-/);
    assert.match(out, /to an unregistered wallet: RECEIVER_NOT_VERIFIED/);
    assert.match(out, /a new proof is impossible: .*revoked/);
    assert.match(out, /suspended \([\d,]+ gas\)/);
    assert.match(out, /gate mark: false, verified for the token: false/);
    assert.match(out, /minting to the investor now: ReceiverNotVerified/);
    assert.doesNotMatch(out, /1988|DE.*residence.*on-chain/, 'no personal data printed as on-chain');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
