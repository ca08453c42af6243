// Trusted setup for the circuits, run locally end to end (nothing downloaded):
//   phase 1: a fresh powers-of-tau accumulator of 2^POWER, CONTRIBUTIONS contributions with fresh entropy,
//            a random beacon, prepared for phase 2;
//   phase 2: per circuit, the initial zkey, CONTRIBUTIONS contributions, a beacon, a full verification of the
//            final zkey against the r1cs and the ptau;
//   exports: circuits/build/<name>/<name>.zkey, .vkey.json and contracts/zk/verifiers/<Name>Verifier.sol, and
//            circuits/build/manifest.json (constraint counts, sizes, hashes, contribution hashes).
// This is a development ceremony: every contributor is this process, so its toxic waste is only as gone as
// this machine's memory. circuits/README.md ("Production ceremony") describes the real one.
//
// Usage: npm run zk:ceremony [-- --reuse-ptau] [--skip-verify] [--sol-dir <dir>] [circuit ...]
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as snarkjs from 'snarkjs';
import { BUILD_DIR, CIRCUITS, ROOT, WORK_DIR, compile, sourcesHash, type CircuitName } from './zk-build.js';

/**
 * 2^15 = 32,768 rows: the largest circuit needs 16,281 (credentialQuery: constraints + public inputs + 1, inside
 * 2^14); the larger accumulator leaves room to grow, and a zkey made from it is the same size as from a 2^14 one.
 */
export const POWER = 15;
export const CONTRIBUTIONS = 3;
/** The exported Groth16 verifiers live with the other contracts (npm run build:contracts compiles them). */
export const SOL_DIR = join(ROOT, 'contracts', 'zk', 'verifiers');
/**
 * The beacon stands for a value nobody controls and everybody sees after the last contribution (in
 * production: a future block hash or drand round named in advance). 2^10 iterations of SHA-256 here.
 */
const BEACON = 'b2a3c6f1e0d9c8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3';
const BEACON_ITERATIONS_EXP = 10;

const CONTRACT_NAMES: Record<CircuitName, string> = {
  credentialQuery: 'CredentialQueryVerifier',
  holderAuth: 'HolderAuthVerifier',
  stateTransition: 'StateTransitionVerifier',
};

export interface ManifestEntry {
  readonly constraints: number;
  readonly wires: number;
  readonly publicSignals: number;
  readonly zkeyBytes: number;
  readonly wasmBytes: number;
  readonly zkeySha256: string;
  readonly wasmSha256: string;
  readonly contributions: readonly string[];
}
export interface Manifest {
  readonly sourcesHash: string;
  readonly power: number;
  readonly createdAt: string;
  readonly circuits: Record<CircuitName, ManifestEntry>;
}

const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const entropy = () => randomBytes(32).toString('hex');
const logger = {
  debug() {},
  info(m: string) { if (process.env.ZK_VERBOSE) console.log(m); },
  warn(m: string) { console.warn(m); },
  error(m: string) { console.error(m); },
};
const hashHex = (h: Uint8Array) => Buffer.from(h).toString('hex');

interface Dirs {
  readonly buildDir: string;
  readonly workDir: string;
  /**
   * Where the Solidity verifiers go; default contracts/zk/verifiers/, compiled with every other contract. A new
   * verifier there must go with a rebuild of src/chain/artifacts (npm run build:contracts), whose freshness
   * test hashes every contracts/**.sol.
   */
  readonly solDir: string;
}

export interface CeremonyOptions extends Partial<Dirs> {
  readonly log?: (m: string) => void;
  /**
   * Keep a prepared phase-1 file left in the work dir by an earlier run (phase 1 does not depend on the
   * circuits, exactly as production reuses a public powers-of-tau): saves most of the time when only the
   * circuits changed.
   */
  readonly reusePtau?: boolean;
  /** Skip the final zkey-vs-r1cs-vs-ptau check (it costs about as much as creating the zkey). */
  readonly skipVerify?: boolean;
  /**
   * Run phase 2 for these circuits only (default: all). The manifest keeps the other circuits' entries when
   * the circuit sources are unchanged, so two circuits can be set up by two runs (or concurrently).
   */
  readonly circuits?: readonly CircuitName[];
}

async function phase1(curve: unknown, dirs: Dirs, reuse: boolean, log: (m: string) => void): Promise<string> {
  const dir = join(dirs.workDir, 'ptau');
  const file = (i: number | string) => join(dir, `pot${POWER}_${i}.ptau`);
  if (reuse && existsSync(file('final'))) {
    log(`phase 1: reusing ${relative(ROOT, file('final'))} (sha256 ${sha256(file('final')).slice(0, 16)}...)`);
    return file('final');
  }
  if (reuse && existsSync(file('beacon'))) return preparePhase2(file, log);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`phase 1: new accumulator 2^${POWER}`);
  await snarkjs.powersOfTau.newAccumulator(curve, POWER, file(0), logger);
  for (let i = 1; i <= CONTRIBUTIONS; i++) {
    log(`phase 1: contribution ${i}`);
    await snarkjs.powersOfTau.contribute(file(i - 1), file(i), `masque dev contributor ${i}`, entropy(), logger);
    rmSync(file(i - 1));
  }
  log('phase 1: beacon');
  await snarkjs.powersOfTau.beacon(file(CONTRIBUTIONS), file('beacon'), 'masque dev beacon', BEACON, BEACON_ITERATIONS_EXP, logger);
  rmSync(file(CONTRIBUTIONS));
  return preparePhase2(file, log);
}

/**
 * The prepared file appears under its final name only once complete: a run killed while preparing (it takes minutes
 * at 2^15) leaves the beacon to start again from, never a truncated file that a later `--reuse-ptau` run would take
 * (snarkjs then spins forever reading past its end).
 */
async function preparePhase2(file: (i: string) => string, log: (m: string) => void): Promise<string> {
  log('phase 1: prepare phase 2');
  await snarkjs.powersOfTau.preparePhase2(file('beacon'), file('final.partial'), logger);
  renameSync(file('final.partial'), file('final'));
  rmSync(file('beacon'));
  return file('final');
}

async function phase2(name: CircuitName, ptau: string, dirs: Dirs, skipVerify: boolean, log: (m: string) => void): Promise<ManifestEntry> {
  const compiled = compile(name, log, dirs);
  const dir = join(dirs.workDir, name);
  const zk = (i: number | string) => join(dir, `${name}_${i}.zkey`);
  log(`phase 2 (${name}): initial zkey`);
  await snarkjs.zKey.newZKey(compiled.r1cs, ptau, zk(0), logger);
  const contributions: string[] = [];
  for (let i = 1; i <= CONTRIBUTIONS; i++) {
    log(`phase 2 (${name}): contribution ${i}`);
    contributions.push(hashHex(await snarkjs.zKey.contribute(zk(i - 1), zk(i), `masque dev contributor ${i}`, entropy(), logger)));
    rmSync(zk(i - 1));
  }
  const out = join(dirs.buildDir, name);
  mkdirSync(out, { recursive: true });
  const final = join(out, `${name}.zkey`);
  log(`phase 2 (${name}): beacon`);
  contributions.push(hashHex(await snarkjs.zKey.beacon(zk(CONTRIBUTIONS), final, 'masque dev beacon', BEACON, BEACON_ITERATIONS_EXP, logger)));
  rmSync(zk(CONTRIBUTIONS));
  if (!skipVerify) {
    log(`phase 2 (${name}): verifying the final zkey against r1cs and ptau`);
    if (!(await snarkjs.zKey.verifyFromR1cs(compiled.r1cs, ptau, final, logger))) throw new Error(`${name}: zkey verification failed`);
  }

  const vkey = await snarkjs.zKey.exportVerificationKey(final, logger);
  writeFileSync(join(out, `${name}.vkey.json`), JSON.stringify(vkey, null, 1) + '\n');
  const template = readFileSync(join(ROOT, 'node_modules', 'snarkjs', 'templates', 'verifier_groth16.sol.ejs'), 'utf8');
  const sol = (await snarkjs.zKey.exportSolidityVerifier(final, { groth16: template }, logger)) as string;
  const solDir = dirs.solDir;
  mkdirSync(solDir, { recursive: true });
  // One contract name per circuit: the contracts build compiles contracts/** together.
  writeFileSync(join(solDir, `${CONTRACT_NAMES[name]}.sol`), sol.replace(/contract Groth16Verifier/, `contract ${CONTRACT_NAMES[name]}`));
  return {
    constraints: compiled.constraints,
    wires: compiled.wires,
    publicSignals: vkey.nPublic as number,
    zkeyBytes: statSync(final).size,
    wasmBytes: statSync(compiled.wasm).size,
    zkeySha256: sha256(final),
    wasmSha256: sha256(compiled.wasm),
    contributions,
  };
}

/** Runs both phases; by default into circuits/build and contracts/zk (the slow test passes temporary dirs). */
export async function ceremony(options: CeremonyOptions = {}): Promise<Manifest> {
  const log = options.log ?? ((m: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${m}`));
  const dirs: Dirs = {
    buildDir: options.buildDir ?? BUILD_DIR,
    workDir: options.workDir ?? WORK_DIR,
    solDir: options.solDir ?? SOL_DIR,
  };
  const curve = await snarkjs.curves.getCurveFromName('bn128');
  try {
    const ptau = await phase1(curve, dirs, options.reusePtau ?? false, log);
    const done = {} as Record<CircuitName, ManifestEntry>;
    for (const name of options.circuits ?? CIRCUITS) done[name] = await phase2(name, ptau, dirs, options.skipVerify ?? false, log);
    // Read-merge-write at the very end, so a concurrent run for the other circuit keeps its entry.
    const file = join(dirs.buildDir, 'manifest.json');
    const hash = sourcesHash();
    const previous = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<Manifest>) : {};
    const kept = previous.sourcesHash === hash && previous.power === POWER ? previous.circuits ?? {} : {};
    const manifest: Manifest = { sourcesHash: hash, power: POWER, createdAt: new Date().toISOString(), circuits: { ...kept, ...done } as Record<CircuitName, ManifestEntry> };
    writeFileSync(file, JSON.stringify(manifest, null, 2) + '\n');
    log(`done: ${relative(ROOT, dirs.buildDir) || dirs.buildDir}, verifiers in ${relative(ROOT, dirs.solDir) || dirs.solDir}`);
    return manifest;
  } finally {
    await (curve as { terminate(): Promise<void> }).terminate();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--sol-dir');
  const solDir = i > 0 ? resolve(process.argv[i + 1]) : undefined;
  if (solDir && !existsSync(solDir)) mkdirSync(solDir, { recursive: true });
  const start = Date.now();
  const names = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--sol-dir');
  for (const n of names) if (!(CIRCUITS as readonly string[]).includes(n)) throw new Error(`unknown circuit ${n}; known: ${CIRCUITS.join(', ')}`);
  await ceremony({
    solDir,
    reusePtau: process.argv.includes('--reuse-ptau'),
    skipVerify: process.argv.includes('--skip-verify'),
    circuits: names.length ? (names as CircuitName[]) : undefined,
  });
  console.log(`ceremony took ${((Date.now() - start) / 1000).toFixed(0)} s`);
  process.exit(0);
}
