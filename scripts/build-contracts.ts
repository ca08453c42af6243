// Compiles every contracts/**/*.sol with the solc-js compiler installed from npm (no download at run time) and
// writes, per contract, a JSON artifact and a typed TypeScript module (`as const` ABI for viem) under
// src/chain/artifacts/. Abstract contracts get none: they cannot be deployed, and their ABI is part of every
// concrete contract built on them (interfaces keep theirs: the ABI to call any implementation). The generated index
// records a hash of the inputs so a test can tell when a source changed without a rebuild (`checkArtifactsFresh`).
//
// Usage: npm run build:contracts            (build what changed, reuse the rest; --force rebuilds everything)
//        npm run build:contracts -- --check (exit 1 when the committed artifacts are stale)
//        npm run build:contracts -- --only=contracts/identity,contracts/interfaces (partial, see buildContracts)
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
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
  sources?: Record<string, { ast: { nodes: { nodeType: string; name?: string; abstract?: boolean }[] } }>;
}

/** Names of the abstract contracts a source unit defines, from its AST. */
function abstractContracts(output: SolcOutput, source: string): Set<string> {
  const nodes = output.sources?.[source]?.ast.nodes ?? [];
  return new Set(nodes.filter((n) => n.nodeType === 'ContractDefinition' && n.abstract).map((n) => n.name!));
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function writeAtomic(path: string, content: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, path);
}

export interface BuildResult { contracts: string[]; compiled: string[]; warnings: string[]; ms: number; hash: string }

const IMPORT_RE = /^\s*import\s+(?:[^;]*?\s+from\s+)?["']([^"']+)["'][^;]*;/gm;

/** Source unit name of an import: relative paths are resolved against the importing unit, others are kept. */
function resolveImportPath(from: string, path: string): string {
  return path.startsWith('./') || path.startsWith('../') ? posix.normalize(posix.join(posix.dirname(from), path)) : path;
}

/**
 * Per source file, a hash of everything its artifacts depend on: the file, every file it imports transitively
 * (ours and node_modules'), the compiler and its settings. Unchanged hash = the committed artifacts are reused.
 */
export function unitHashes(sources: Map<string, string>): Map<string, string> {
  const contentHash = new Map<string, string>();
  const importsOf = new Map<string, string[]>();
  const load = (name: string): void => {
    if (contentHash.has(name)) return;
    const content = sources.get(name) ?? ('contents' in (findImport(name) as object) ? (findImport(name) as { contents: string }).contents : '');
    contentHash.set(name, createHash('sha256').update(content).digest('hex'));
    const deps = [...content.matchAll(IMPORT_RE)].map((m) => resolveImportPath(name, m[1]!));
    importsOf.set(name, deps);
    for (const d of deps) load(d);
  };
  const settings = `${packageVersion('solc')}\0${JSON.stringify(COMPILER_SETTINGS)}`;
  const out = new Map<string, string>();
  for (const name of sources.keys()) {
    load(name);
    const closure = new Set<string>([name]);
    const stack = [name];
    while (stack.length) for (const d of importsOf.get(stack.pop()!) ?? []) if (!closure.has(d)) { closure.add(d); stack.push(d); }
    const h = createHash('sha256').update(settings);
    for (const f of [...closure].sort()) h.update(`\0${f}\0${contentHash.get(f)}`);
    out.set(name, h.digest('hex'));
  }
  return out;
}

interface Manifest { [source: string]: { hash: string; contracts: string[] } }
const MANIFEST = () => join(ARTIFACTS_DIR, 'json', 'units.json');

function readManifest(): Manifest {
  try { return JSON.parse(readFileSync(MANIFEST(), 'utf8')) as Manifest; } catch { return {}; }
}

interface Artifact { contractName: string; sourceName: string; abi: unknown[]; bytecode: string; deployedBytecode: string }

function readArtifact(name: string): Artifact | null {
  try { return JSON.parse(readFileSync(join(ARTIFACTS_DIR, 'json', `${name}.json`), 'utf8')) as Artifact; } catch { return null; }
}

function writeArtifact(a: Artifact): void {
  writeAtomic(join(ARTIFACTS_DIR, 'json', `${a.contractName}.json`), JSON.stringify(a, null, 2) + '\n');
  const id = lowerFirst(a.contractName);
  writeAtomic(join(ARTIFACTS_DIR, `${a.contractName}.ts`),
    `// Generated by scripts/build-contracts.ts from ${a.sourceName}. Do not edit: run \`npm run build:contracts\`.\n` +
    `export const ${id}Abi = ${JSON.stringify(a.abi, null, 2)} as const;\n\n` +
    `export const ${id}Bytecode = '${a.bytecode}' as const;\n\n` +
    `export const ${id}DeployedBytecode = '${a.deployedBytecode}' as const;\n`);
}

/**
 * Compiles the sources whose unit hash changed (all of them with `force`) in one solc job and reuses the committed
 * artifacts of the others, then rewrites index.ts with the global hash and prunes artifacts of removed contracts.
 * `only`: restrict to the sources under these folders (e.g. while another folder is mid-edit and does not compile);
 * such a partial build neither prunes nor touches index.ts, so the freshness check keeps saying "stale".
 */
export async function buildContracts(opts: { quiet?: boolean; only?: string[]; force?: boolean } = {}): Promise<BuildResult> {
  const started = performance.now();
  const all = listSources();
  const only = opts.only?.map((d) => d.replace(/\/+$/, '') + '/');
  const selected = only ? new Map([...all].filter(([name]) => only.some((d) => name.startsWith(d)))) : all;
  const hash = inputsHash(all);
  const units = unitHashes(selected);
  const manifest = readManifest();
  const solc = require('solc') as { compile(input: string, cb: { import: typeof findImport }): string; version(): string };

  const artifacts: Artifact[] = [];
  const toCompile: string[] = [];
  for (const [source, h] of units) {
    const m = manifest[source];
    const cached = !opts.force && m?.hash === h ? m.contracts.map(readArtifact) : null;
    if (cached && cached.every((a) => a !== null && a.sourceName === source)) artifacts.push(...(cached as Artifact[]));
    else toCompile.push(source);
  }

  let warnings: string[] = [];
  if (toCompile.length > 0) {
    const input = {
      language: 'Solidity',
      sources: Object.fromEntries(toCompile.map((name) => [name, { content: selected.get(name)! }])),
      settings: {
        ...COMPILER_SETTINGS,
        // Code only for the files being rebuilt; their imports are parsed and checked, not compiled to bytecode.
        outputSelection: Object.fromEntries(toCompile.map((name) => [name, { '': ['ast'], '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] }])),
      },
    };
    const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as SolcOutput;
    const errors = (output.errors ?? []).filter((e) => e.severity === 'error');
    if (errors.length > 0) throw new Error('solc failed:\n' + errors.map((e) => e.formattedMessage).join('\n'));
    warnings = (output.errors ?? []).filter((e) => e.severity === 'warning').map((e) => e.formattedMessage);
    mkdirSync(join(ARTIFACTS_DIR, 'json'), { recursive: true });
    for (const source of toCompile) {
      const byName = output.contracts?.[source] ?? {};
      const skipped = abstractContracts(output, source);
      const names = Object.keys(byName).filter((name) => !skipped.has(name)).sort();
      for (const name of names) {
        const c = byName[name]!;
        const a: Artifact = {
          contractName: name, sourceName: source, abi: c.abi,
          bytecode: c.evm.bytecode.object ? `0x${c.evm.bytecode.object}` : '0x',
          deployedBytecode: c.evm.deployedBytecode.object ? `0x${c.evm.deployedBytecode.object}` : '0x',
        };
        writeArtifact(a);
        artifacts.push(a);
      }
      manifest[source] = { hash: units.get(source)!, contracts: names };
    }
  }

  artifacts.sort((a, b) => (a.contractName < b.contractName ? -1 : a.contractName > b.contractName ? 1 : 0));
  const seen = new Map<string, string>();
  for (const a of artifacts) {
    const prev = seen.get(a.contractName);
    if (prev) throw new Error(`contract name ${a.contractName} defined twice (${prev}, ${a.sourceName}); artifact names must be unique`);
    seen.set(a.contractName, a.sourceName);
  }
  if (!only) for (const source of Object.keys(manifest)) if (!all.has(source)) delete manifest[source];
  const sortedManifest = Object.fromEntries(Object.entries(manifest).sort(([x], [y]) => (x < y ? -1 : 1)));
  writeAtomic(MANIFEST(), JSON.stringify(sortedManifest, null, 2) + '\n');

  const ms = Math.round(performance.now() - started);
  const result = { contracts: artifacts.map((a) => a.contractName), compiled: toCompile, warnings, ms, hash };
  if (only) {
    if (!opts.quiet) console.log(`partial build: ${toCompile.length} of ${selected.size} sources compiled in ${ms} ms (index.ts untouched)`);
    return result;
  }
  // Drop artifacts of contracts that no longer exist so imports of them fail loudly.
  const keep = new Set<string>(['index.ts', 'json', ...artifacts.map((a) => `${a.contractName}.ts`)]);
  const keepJson = new Set<string>(['units.json', ...artifacts.map((a) => `${a.contractName}.json`)]);
  for (const f of readdirSync(ARTIFACTS_DIR)) if (!keep.has(f)) rmSync(join(ARTIFACTS_DIR, f), { recursive: true });
  for (const f of readdirSync(join(ARTIFACTS_DIR, 'json'))) if (!keepJson.has(f)) rmSync(join(ARTIFACTS_DIR, 'json', f));

  const index =
    `// Generated by scripts/build-contracts.ts. Do not edit: run \`npm run build:contracts\`.\n` +
    `/** sha256 over the Solidity sources, solc version, settings and OpenZeppelin version these artifacts were built from. */\n` +
    `export const sourcesHash = '${hash}' as const;\n` +
    `export const solcVersion = '${solc.version()}' as const;\n\n` +
    artifacts.map((a) => `export * from './${a.contractName}.js';`).join('\n') + '\n';
  writeAtomic(join(ARTIFACTS_DIR, 'index.ts'), index);

  if (!opts.quiet) {
    for (const w of warnings) console.warn(w);
    console.log(`${artifacts.length} contracts from ${all.size} sources: compiled ${toCompile.length} changed sources with solc ${solc.version()}, reused ${all.size - toCompile.length}, in ${ms} ms`);
  }
  return result;
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
    // Sources whose unit hash is unchanged are not recompiled; --force recompiles everything.
    buildContracts({ only: onlyArg ? onlyArg.slice('--only='.length).split(',') : undefined, force: process.argv.includes('--force') }).catch((e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    });
  }
}
