import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

test("npm run demo:token: a newcomer's issuer, investors, KYC, token, mint, transfer, freeze, forced transfer, recovery", () => {
  const dir = mkdtempSync(join(tmpdir(), 'masque-demo-token-'));
  try {
    const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'token.ts')], {
      env: { ...process.env, MASQUE_DEMO_DIR: dir },
      encoding: 'utf8',
    });
    assert.equal(run.status, 0, run.stderr);
    const out = run.stdout;
    assert.match(out, /acme-kyc trusted for topics 1/);
    assert.equal((out.match(/KYC claim: valid/g) ?? []).length, 2);
    assert.match(out, /refused: RECEIVER_NOT_VERIFIED[\s\S]*alice verified for the token: true/);
    assert.match(out, /bob -> alice allowed: false \(SENDER_FROZEN\)/);
    assert.match(out, /refused: TOKENS_FROZEN/);
    assert.match(out, /bob: balance 150, frozen tokens 150/);
    assert.match(out, /alice: balance 0,[\s\S]*alice-phone: balance 850/);
    assert.match(out, /total supply 1000/);
    assert.doesNotMatch(out, /0x[0-9a-f]{64}\b/i, 'no private key printed');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
