// Builds the dashboard (src/dashboard/app) into dist/dashboard with esbuild, and records in manifest.json what it
// was built from: the project files it bundled and a SHA-256 over them, the lockfile and this script. The node
// recomputes that hash before serving (src/dashboard/serve.ts): a build older than its sources is never served
// silently. `npm install` runs this (the `prepare` script); `npm run build:dashboard` runs it by hand.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const DEFAULT_OUT_DIR = join(PROJECT_ROOT, 'dist', 'dashboard');
export const APP_DIR = join(PROJECT_ROOT, 'src', 'dashboard', 'app');
/** Files besides the bundle's inputs whose change makes a build stale. */
const BUILD_INPUTS = ['package-lock.json', 'src/dashboard/build.ts', 'src/dashboard/app/index.html', 'src/dashboard/app/style.css'];

export interface DashboardManifest {
  version: 1;
  builtAt: string;
  /** SHA-256 (hex) over every listed input's path and bytes, in order. */
  sourceHash: string;
  /** Project-relative paths of the project files the build read (node_modules excluded: the lockfile stands for them). */
  inputs: string[];
  /** The page's entry script and stylesheet (paths relative to the output directory). */
  entry: string;
  css: string;
  /** Scripts the page loads before it is interactive: the entry and its static imports. */
  initialJs: string[];
  /** Chunks loaded on demand (screens, the prover, ML-KEM/HPKE), with the module that pulls each in. */
  lazyJs: string[];
}

/** The hash a manifest records, over `inputs` as they are now on disk (a missing file hashes as missing). */
export function hashInputs(root: string, inputs: readonly string[]): string {
  const h = createHash('sha256');
  for (const rel of inputs) {
    h.update(`${rel}\0`);
    const path = join(root, rel);
    h.update(existsSync(path) ? readFileSync(path) : Buffer.from('\0missing\0'));
    h.update('\0');
  }
  return h.digest('hex');
}

function writeAtomic(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, bytes);
  renameSync(tmp, path);
}

/**
 * Builds into `outDir`. Output names carry content hashes and each file is written by rename, so concurrent builds
 * (two nodes starting on a stale tree) and a server reading meanwhile never see a torn file; the manifest goes last.
 */
export async function buildDashboard(opts: { outDir?: string; minify?: boolean } = {}): Promise<DashboardManifest> {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    absWorkingDir: PROJECT_ROOT,
    entryPoints: { app: join(APP_DIR, 'main.tsx'), style: join(APP_DIR, 'style.css') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['es2022', 'chrome111'],
    minify: opts.minify ?? true,
    sourcemap: 'linked',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: outDir,
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'assets/[name]-[hash]',
    metafile: true,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
    // The SDK still reaches for Node's Buffer in a few helpers; the shim covers exactly those calls.
    inject: [join(APP_DIR, 'lib', 'buffer-shim.ts')],
    define: { 'process.env.NODE_DEBUG': 'false', global: 'globalThis' },
    // snarkjs's browser build and ffjavascript reach for these Node modules only on their Node paths.
    external: [],
    alias: {},
  });
  for (const f of result.outputFiles) writeAtomic(f.path, f.contents);

  const meta = result.metafile;
  const rel = (p: string) => relative(outDir, join(PROJECT_ROOT, p)).split('\\').join('/');
  const outputs = Object.entries(meta.outputs);
  const entryOut = outputs.find(([, o]) => o.entryPoint?.endsWith('app/main.tsx'))![0];
  const cssOut = outputs.find(([k]) => k.endsWith('.css') && k.includes('style-'))![0];
  const initial = new Set<string>();
  const visit = (out: string) => {
    if (initial.has(out)) return;
    initial.add(out);
    for (const i of meta.outputs[out]!.imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  visit(entryOut);
  const lazy = outputs.map(([k]) => k).filter((k) => k.endsWith('.js') && !initial.has(k));

  const inputs = [...new Set([
    ...Object.keys(meta.inputs).filter((p) => !p.includes('node_modules/') && !p.startsWith('<')),
    ...BUILD_INPUTS,
  ])].sort();
  const index = readFileSync(join(APP_DIR, 'index.html'), 'utf8')
    .replace('%CSS%', rel(cssOut))
    .replace('%APP%', rel(entryOut))
    .replace('%PRELOAD%', [...initial].filter((o) => o !== entryOut).map((o) => `<link rel="modulepreload" href="./${rel(o)}">`).join('\n    '));
  writeAtomic(join(outDir, 'index.html'), index);
  const manifest: DashboardManifest = {
    version: 1,
    builtAt: new Date().toISOString(),
    sourceHash: hashInputs(PROJECT_ROOT, inputs),
    inputs,
    entry: rel(entryOut),
    css: rel(cssOut),
    initialJs: [...initial].map(rel),
    lazyJs: lazy.map(rel),
  };
  writeAtomic(join(outDir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return manifest;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = performance.now();
  const m = await buildDashboard();
  process.stderr.write(`dashboard built in ${Math.round(performance.now() - t0)} ms: ${m.initialJs.length} initial script(s), ${m.lazyJs.length} lazy chunk(s), ${m.inputs.length} source files -> ${relative(PROJECT_ROOT, DEFAULT_OUT_DIR)}\n`);
}
