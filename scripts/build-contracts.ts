// Compiles every contracts/**/*.sol with the solc-js compiler installed from npm (no download at run time) and
// writes, per contract, a JSON artifact and a typed TypeScript module (`as const` ABI for viem) under
// src/chain/artifacts/. The generated index records a hash of the inputs so a test can tell when a source changed
// without a rebuild (`checkArtifactsFresh`).
//
// Usage: npm run build:contracts            (build; a no-op when the artifacts are fresh, --force rebuilds)
//        npm run build:contracts -- --check (exit 1 when the committed artifacts are stale)
//        npm run build:contracts -- --only=contracts/identity,contracts/interfaces (partial, see buildContracts)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CONTRACTS_DIR = join(ROOT, 'contracts');
export const ARTIFACTS_DIR = join(ROOT, 'src', 'chain', 'artifacts');

/** Compiler settings: part of the input hash, so changing them also marks the artifacts stale. */
export const COMPILER_SETTINGS = {
  optimizer: { enabled: true, runs: 200 },
  viaIR: false,
  evmVersion: 'cancun',
  metadata: { bytecodeHash: 'none' as const, appendCBOR: false },
};

function* walk(dir: string): Generator<string> {
  let names: string[];
  try { names = readdirSync(dir); } catch { return; }
  for (const name of names.sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (name.endsWith('.sol')) yield path;
  }
}

/** Source unit names are paths relative to the repo root with forward slashes, e.g. `contracts/identity/Identity.sol`. */
export function listSources(): Map<string, string> {
  const sources = new Map<string, string>();
  for (const file of walk(CONTRACTS_DIR)) {
    sources.set(relative(ROOT, file).split(sep).join('/'), readFileSync(file, 'utf8'));
  }
  return sources;
}

function packageVersion(name: string): string {
  return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
}

/** Hash of everything that determines the output: our sources, compiler version and settings, OpenZeppelin's version. */
export function inputsHash(sources = listSources()): string {
  const h = createHash('sha256');
  h.update(`solc ${packageVersion('solc')}\n`);
  h.update(`@openzeppelin/contracts ${packageVersion('@openzeppelin/contracts')}\n`);
  h.update(JSON.stringify(COMPILER_SETTINGS));
  for (const [name, content] of [...sources].sort(([a], [b]) => (a < b ? -1 : 1))) {
    h.update(`\0${name}\0${createHash('sha256').update(content).digest('hex')}`);
  }
  return '0x' + h.digest('hex');
}

/** Resolves imports that are not our own sources: `@scope/pkg/...` and bare package paths from node_modules. */
function findImport(path: string): { contents: string } | { error: string } {
  const candidates = [join(ROOT, path), join(ROOT, 'node_modules', path)];
  for (const c of candidates) {
    if (existsSync(c)) return { contents: readFileSync(c, 'utf8') };
  }
  return { error: `import not found: ${path}` };
}

interface SolcOutputContract {
  abi: unknown[];
  evm: { bytecode: { object: string }; deployedBytecode: { object: string } };
}
interface SolcOutput {
  errors?: { severity: 'error' | 'warning' | 'info'; formattedMessage: string }[];
  contracts?: Record<string, Record<string, SolcOutputContract>>;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export interface BuildResult { contracts: string[]; warnings: string[]; ms: number; hash: string }

/**
 * `only`: compile just the sources under these folders (e.g. while another folder is mid-edit and does not
 * compile). A partial build writes those artifacts but neither prunes others nor touches index.ts, so the
 * freshness hash keeps saying "stale" until a full build.
 */
export async function buildContracts(opts: { quiet?: boolean; only?: string[] } = {}): Promise<BuildResult> {
  const started = performance.now();
  const all = listSources();
  const only = opts.only?.map((d) => d.replace(/\/+$/, '') + '/');
  const sources = only ? new Map([...all].filter(([name]) => only.some((d) => name.startsWith(d)))) : all;
  const hash = inputsHash(all);
  const solc = require('solc') as { compile(input: string, cb: { import: typeof findImport }): string; version(): string };
  const input = {
    language: 'Solidity',
    sources: Object.fromEntries([...sources].map(([name, content]) => [name, { content }])),
    settings: {
      ...COMPILER_SETTINGS,
      outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
  if (errors.length > 0) {
    throw new Error('solc failed:\n' + errors.map((e) => e.formattedMessage).join('\n'));
  }
  const warnings = (output.errors ?? []).filter((e) => e.severity === 'warning').map((e) => e.formattedMessage);

  // Only contracts defined in our own sources get artifacts; library code from node_modules does not.
  const entries: { name: string; source: string; c: SolcOutputContract }[] = [];
  for (const [source, byName] of Object.entries(output.contracts ?? {})) {
    if (!sources.has(source)) continue;
    for (const [name, c] of Object.entries(byName)) entries.push({ name, source, c });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Map<string, string>();
  for (const e of entries) {
    const prev = seen.get(e.name);
    if (prev) throw new Error(`contract name ${e.name} defined twice (${prev}, ${e.source}); artifact names must be unique`);
    seen.set(e.name, e.source);
  }

  mkdirSync(join(ARTIFACTS_DIR, 'json'), { recursive: true });
  const keep = new Set<string>(['index.ts', 'json']);
  const keepJson = new Set<string>();
  for (const { name, source, c } of entries) {
    const bytecode = c.evm.bytecode.object ? `0x${c.evm.bytecode.object}` : '0x';
    const deployed = c.evm.deployedBytecode.object ? `0x${c.evm.deployedBytecode.object}` : '0x';
    const json = { contractName: name, sourceName: source, abi: c.abi, bytecode, deployedBytecode: deployed };
    writeAtomic(join(ARTIFACTS_DIR, 'json', `${name}.json`), JSON.stringify(json, null, 2) + '\n');
    keepJson.add(`${name}.json`);
    const id = lowerFirst(name);
    const ts =
      `// Generated by scripts/build-contracts.ts from ${source}. Do not edit: run \`npm run build:contracts\`.\n` +
      `export const ${id}Abi = ${JSON.stringify(c.abi, null, 2)} as const;\n\n` +
      `export const ${id}Bytecode = '${bytecode}' as const;\n\n` +
      `export const ${id}DeployedBytecode = '${deployed}' as const;\n`;
    writeAtomic(join(ARTIFACTS_DIR, `${name}.ts`), ts);
    keep.add(`${name}.ts`);
  }
  const ms = Math.round(performance.now() - started);
  if (only) {
    if (!opts.quiet) console.log(`partial build: ${entries.length} contracts from ${sources.size} sources in ${ms} ms (index.ts untouched)`);
    return { contracts: entries.map((e) => e.name), warnings, ms, hash };
  }
  // Drop artifacts of contracts that no longer exist so imports of them fail loudly.
  for (const f of readdirSync(ARTIFACTS_DIR)) if (!keep.has(f)) rmSync(join(ARTIFACTS_DIR, f), { recursive: true });
  for (const f of readdirSync(join(ARTIFACTS_DIR, 'json'))) if (!keepJson.has(f)) rmSync(join(ARTIFACTS_DIR, 'json', f));

  const index =
    `// Generated by scripts/build-contracts.ts. Do not edit: run \`npm run build:contracts\`.\n` +
    `/** sha256 over the Solidity sources, solc version, settings and OpenZeppelin version these artifacts were built from. */\n` +
    `export const sourcesHash = '${hash}' as const;\n` +
    `export const solcVersion = '${solc.version()}' as const;\n\n` +
    entries.map(({ name }) => `export * from './${name}.js';`).join('\n') + '\n';
  writeAtomic(join(ARTIFACTS_DIR, 'index.ts'), index);

  if (!opts.quiet) {
    for (const w of warnings) console.warn(w);
    console.log(`compiled ${entries.length} contracts from ${sources.size} sources with solc ${solc.version()} in ${ms} ms`);
  }
  return { contracts: entries.map((e) => e.name), warnings, ms, hash };
}

/** Returns the recorded and current input hashes (equal when the committed artifacts are up to date). */
export function artifactsHashes(): { recorded: string | null; current: string } {
  let recorded: string | null = null;
  try {
    const text = readFileSync(join(ARTIFACTS_DIR, 'index.ts'), 'utf8');
    recorded = /sourcesHash = '(0x[0-9a-f]{64})'/.exec(text)?.[1] ?? null;
  } catch { /* no artifacts yet */ }
  return { recorded, current: inputsHash() };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  if (process.argv.includes('--check')) {
    const { recorded, current } = artifactsHashes();
    if (recorded !== current) {
      console.error(`contract artifacts are stale (recorded ${recorded}, sources ${current}): run npm run build:contracts`);
      process.exit(1);
    }
    console.log('contract artifacts are up to date');
  } else {
    const onlyArg = process.argv.find((a) => a.startsWith('--only='));
    // Nothing to do when the recorded hash matches (a full solc-js compile takes 10-40 s); --force rebuilds anyway.
    const { recorded, current } = artifactsHashes();
    if (!onlyArg && !process.argv.includes('--force') && recorded === current && existsSync(join(ARTIFACTS_DIR, 'json'))) {
      console.log('contract artifacts are up to date (use --force to rebuild)');
      process.exit(0);
    }
    buildContracts({ only: onlyArg ? onlyArg.slice('--only='.length).split(',') : undefined }).catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
  }
}
