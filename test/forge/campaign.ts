// Runs the forge invariant campaign of test/forge and reads what it did: pass or fail with forge's counterexample,
// calls per handler function (forge's metrics table), and the outcome counters each run appends to a stats file.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { foundryBinary } from '../../src/chain/anvil.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The campaign's fixed seed: the same sequences on every machine, so a failure in CI reproduces locally. */
export const SEED = '0x6d61737175650000000000000000000000000000000000000000000000000001';

export interface CampaignOptions {
  runs: number;
  depth: number;
  seed?: string;
  /** A deliberately wrong model (IdentityModel's $MASQUE_FUZZ_MUTANT), to show the campaign catches a divergence. */
  mutant?: 'ignore-revocations' | 'ignore-expiry' | 'ignore-signer-removal';
}

export interface CampaignResult {
  passed: boolean;
  /** forge's whole output (the counterexample sequence when it failed). */
  output: string;
  runs: number;
  calls: number;
  compileMs: number;
  campaignMs: number;
  /** `Handler.selector` -> calls, from forge's metrics table. */
  callsPerSelector: Map<string, number>;
  /** Outcome counters summed over the runs (`token.transfer.code0.ok`, `claim.revoke.ok`, ...). */
  counts: Record<string, number>;
}

function run(args: string[], env: Record<string, string>): Promise<{ code: number; output: string; ms: number }> {
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(foundryBinary('forge', 'FORGE_BIN'), args, {
      cwd: ROOT,
      env: { ...process.env, ...env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? 1, output, ms: Math.round(performance.now() - started) }));
  });
}

/** Compiles (forge's cache makes this quick when nothing changed) and runs the campaign. */
export async function runCampaign(opts: CampaignOptions): Promise<CampaignResult> {
  const build = await run(['build'], {});
  if (build.code !== 0) throw new Error(`forge build failed:\n${build.output}`);
  const stats = join(ROOT, 'test', 'forge', 'cache', `stats-${process.pid}-${Date.now()}.jsonl`);
  try {
    const test = await run(
      ['test', '--match-contract', 'MasqueInvariantTest', '--fuzz-seed', opts.seed ?? SEED],
      {
        FOUNDRY_INVARIANT_RUNS: String(opts.runs),
        FOUNDRY_INVARIANT_DEPTH: String(opts.depth),
        MASQUE_FUZZ_STATS: stats,
        MASQUE_FUZZ_MUTANT: opts.mutant ?? '',
      },
    );
    const summary = /\[(PASS|FAIL)[^\]]*\]\s+invariant_\w+\(\)\s+\(runs: (\d+), calls: (\d+)/.exec(test.output);
    const perSelector = new Map<string, number>();
    for (const m of test.output.matchAll(/^\|\s*(\w+Handler)\s*\|\s*(\w+)\s*\|\s*(\d+)\s*\|/gm)) {
      perSelector.set(`${m[1]}.${m[2]}`, Number(m[3]));
    }
    const counts: Record<string, number> = {};
    if (existsSync(stats)) {
      for (const line of readFileSync(stats, 'utf8').split('\n')) {
        if (!line.trim()) continue;
        for (const [k, v] of Object.entries(JSON.parse(line) as Record<string, number>)) counts[k] = (counts[k] ?? 0) + v;
      }
    }
    return {
      passed: test.code === 0 && summary?.[1] === 'PASS',
      output: test.output,
      runs: Number(summary?.[2] ?? 0),
      calls: Number(summary?.[3] ?? 0),
      compileMs: build.ms,
      campaignMs: test.ms,
      callsPerSelector: perSelector,
      counts,
    };
  } finally {
    rmSync(stats, { force: true });
  }
}

/** Sum of the counters whose name matches `pattern`. */
export function total(counts: Record<string, number>, pattern: RegExp): number {
  return Object.entries(counts).filter(([k]) => pattern.test(k)).reduce((s, [, v]) => s + v, 0);
}

/** Handler functions the campaign targets (Masque.invariant.t.sol `_targets`). */
export const HANDLER_FUNCTIONS = 30;

/** Asserts the campaign passed and was not vacuous: every handler function ran, and the outcomes that matter happened. */
export function assertCampaign(r: CampaignResult, label: string): void {
  const seconds = (ms: number): string => (ms / 1000).toFixed(1);
  console.log(`${label}: ${r.runs} runs x depth ${r.calls / Math.max(r.runs, 1)} = ${r.calls} calls, ` +
    `compile ${seconds(r.compileMs)} s, campaign ${seconds(r.campaignMs)} s`);
  assert.ok(r.passed, `invariant violated or campaign failed; forge's output:\n${r.output}`);
  console.log(`  calls per handler function: ${[...r.callsPerSelector].map(([k, v]) => `${k} ${v}`).join(', ')}`);
  console.log(`  outcomes: ${Object.entries(r.counts).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  assert.equal(r.callsPerSelector.size, HANDLER_FUNCTIONS, 'every handler function is a target');
  for (const [name, calls] of r.callsPerSelector) assert.ok(calls > 0, `${name} never ran`);
  assert.equal(r.counts.violation ?? 0, 0);
  // Not vacuous: transfers both succeeded and were refused for each kind of reason, claims were added and revoked,
  // issuers removed, keys changed by their managers only, replays refused, nullifiers spent and refused again.
  const needed: [string, RegExp][] = [
    ['transfers that succeeded', /^token\.transfer\.code0\.ok$/],
    ['transfers refused: sender or receiver not verified', /^token\.transfer\.code[78]\.refused$/],
    ['transfers refused by compliance', /^token\.transfer\.code1[0-3]\.refused$/],
    ['transfers refused: frozen or paused', /^token\.transfer\.code[1346]\.refused$/],
    ['mints', /^token\.mint\.ok$/],
    ['forced transfers', /^token\.forcedTransfer(\.paused)?\.ok$/],
    ['recoveries', /^token\.recovery\.ok$/],
    ['claims added or pushed', /^claim\.(add|issue|renew)\.ok$/],
    ['claims revoked', /^claim\.(revoke|revokeBySignature)\.ok$/],
    ['claims refused', /^claim\.add\.refused$/],
    ['issuers removed or retargeted', /^issuers\.(remove|update)\.ok$/],
    ['keys added or removed', /^identity\.(addKey|removeKey|executeSigned\.addKey|executeSigned\.removeKey)\.ok$/],
    ['key changes refused', /^identity\.(addKey|removeKey)\.refused$/],
    ['signed executions replayed and refused', /^identity\.executeSigned\.replay\.refused$/],
    ['access granted', /^identity\.(executeSigned\.)?grantAccess\.ok$/],
    ['ZK answers accepted', /^zk\.submit\.ok$/],
    ['spent nullifiers refused', /^zk\.submit\.(replay|spentNullifier)\.refused$/],
    ['ZK gate admissions', /^zk\.gate\.prove\.ok$/],
    ['ZK gate refusals', /^zk\.gate\.prove\.refused$/],
    ['time travel', /^clock\.warp$/],
    ['investors onboarded in one call', /^onboarding\.onboard\.ok$/],
  ];
  const missing = needed.filter(([, pattern]) => total(r.counts, pattern) === 0).map(([what]) => what);
  assert.deepEqual(missing, [], 'the campaign never exercised these');
}

