// Compiles the circuits under circuits/ with circom2 (the circom compiler built to WebAssembly, from npm:
// nothing is downloaded) into R1CS + witness-generator wasm.
//
// Usage: npm run zk:build      compile both circuits, write circuits/build/manifest.json (no keys)
// The .wasm goes to circuits/build/<name>/ (committed, the prover needs it); the .r1cs and .sym go to the
// work directory below (rebuildable, only the ceremony and the constraint count need them).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CIRCUITS_DIR = join(ROOT, 'circuits');
export const BUILD_DIR = join(CIRCUITS_DIR, 'build');
/** Intermediate files (r1cs, ptau, intermediate zkeys): inside node_modules so git ignores them. */
export const WORK_DIR = join(ROOT, 'node_modules', '.cache', 'masque-zk');
export const CIRCUITS = ['credentialQuery', 'holderAuth', 'stateTransition'] as const;
export type CircuitName = (typeof CIRCUITS)[number];

function* circomFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (name === 'build') continue;
    if (statSync(path).isDirectory()) yield* circomFiles(path);
    else if (name.endsWith('.circom')) yield path;
  }
}

/**
 * Hash of every circuit source plus the circomlib and compiler versions: the manifest records it so a fast
 * test can tell when a committed wasm/zkey no longer matches the sources.
 */
export function sourcesHash(): string {
  const h = createHash('sha256');
  for (const file of circomFiles(CIRCUITS_DIR)) {
    h.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  for (const pkg of ['circomlib', 'circom2']) {
    h.update(pkg).update((JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version);
  }
  return h.digest('hex');
}

export interface CompileResult {
  readonly r1cs: string;
  readonly wasm: string;
  readonly constraints: number;
  readonly wires: number;
}

/** Compiles one circuit; --O2 so that linear constraints are folded away (only non-linear ones remain). */
export function compile(
  name: CircuitName,
  log: (msg: string) => void = console.log,
  dirs: { buildDir?: string; workDir?: string } = {},
): CompileResult {
  const out = join(dirs.workDir ?? WORK_DIR, name);
  mkdirSync(out, { recursive: true });
  const cli = require.resolve('circom2/cli.js');
  log(`compiling circuits/${name}.circom`);
  const run = spawnSync(process.execPath, [cli, join(CIRCUITS_DIR, `${name}.circom`), '--r1cs', '--wasm', '--sym', '--O2', '-o', out], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (run.status !== 0) throw new Error(`circom2 failed on ${name}:\n${run.stdout}\n${run.stderr}`);
  // circom prints colour codes around some labels.
  const text = run.stdout.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label: string) => Number(new RegExp(`${label}:\\s*(\\d+)`).exec(text)?.[1] ?? NaN);
  const dest = join(dirs.buildDir ?? BUILD_DIR, name);
  mkdirSync(dest, { recursive: true });
  const wasm = join(dest, `${name}.wasm`);
  copyFileSync(join(out, `${name}_js`, `${name}.wasm`), wasm);
  return { r1cs: join(out, `${name}.r1cs`), wasm, constraints: num('non-linear constraints'), wires: num('wires') };
}

/**
 * Compiles every circuit and writes circuits/build/manifest.json with what the compile alone knows
 * (the ceremony rewrites it with the keys' sizes, hashes and contributions).
 */
export function buildAll(log: (msg: string) => void = console.log): void {
  const circuits: Record<string, { constraints: number; wires: number; wasmBytes: number; wasmSha256: string }> = {};
  for (const name of CIRCUITS) {
    const r = compile(name, log);
    const wasm = readFileSync(r.wasm);
    circuits[name] = { constraints: r.constraints, wires: r.wires, wasmBytes: wasm.length, wasmSha256: createHash('sha256').update(wasm).digest('hex') };
    log(`${name}: ${r.constraints} non-linear constraints, ${r.wires} wires -> ${r.wasm}`);
  }
  const manifest = { sourcesHash: sourcesHash(), createdAt: new Date().toISOString(), keys: 'none: run npm run zk:ceremony', circuits };
  writeFileSync(join(BUILD_DIR, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  buildAll();
}
