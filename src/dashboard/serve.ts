// Serves the built dashboard next to the JSON-RPC endpoint (same origin: GET for the page and its assets, POST
// stays JSON-RPC). Before serving, the build's manifest is checked against the sources it records: a stale or
// missing build is rebuilt (when esbuild is installed) or refused with a 503 page that says why, and either way
// the node log says it loudly. Also serves the public proving artifacts of the credential query circuit, so a
// holder's browser proves without any other server.
import { existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DEFAULT_OUT_DIR, PROJECT_ROOT, hashInputs, type DashboardManifest } from './build.js';

export type BuildState =
  | { state: 'fresh'; manifest: DashboardManifest }
  | { state: 'rebuilt'; manifest: DashboardManifest; reason: string; ms: number }
  | { state: 'unavailable'; reason: string };

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.wasm': 'application/wasm', '.zkey': 'application/octet-stream', '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.map', '.svg']);

/** Public artifacts of the circuits the holder's page proves with (the query; the state transition of a key rotation). */
const ZK_FILES: Record<string, string> = {
  '/zk/credentialQuery.wasm': 'circuits/build/credentialQuery/credentialQuery.wasm',
  '/zk/credentialQuery.zkey': 'circuits/build/credentialQuery/credentialQuery.zkey',
  '/zk/credentialQuery.vkey.json': 'circuits/build/credentialQuery/credentialQuery.vkey.json',
  '/zk/stateTransition.wasm': 'circuits/build/stateTransition/stateTransition.wasm',
  '/zk/stateTransition.zkey': 'circuits/build/stateTransition/stateTransition.zkey',
  '/zk/holderAuth.wasm': 'circuits/build/holderAuth/holderAuth.wasm',
  '/zk/holderAuth.zkey': 'circuits/build/holderAuth/holderAuth.zkey',
  '/zk/holderAuth.vkey.json': 'circuits/build/holderAuth/holderAuth.vkey.json',
};

/** Why the build in `outDir` does not match the sources, or null when it does. */
export function staleness(outDir: string, root = PROJECT_ROOT): { reason: string } | { manifest: DashboardManifest } {
  const path = join(outDir, 'manifest.json');
  if (!existsSync(path)) return { reason: `no dashboard build in ${outDir}` };
  let manifest: DashboardManifest;
  try {
    manifest = JSON.parse(readFileSync(path, 'utf8')) as DashboardManifest;
  } catch (e) {
    return { reason: `unreadable build manifest (${(e as Error).message})` };
  }
  if (manifest.version !== 1 || !Array.isArray(manifest.inputs)) return { reason: 'build manifest of an unknown format' };
  if (hashInputs(root, manifest.inputs) !== manifest.sourceHash) {
    const changed = manifest.inputs.filter((f) => !existsSync(join(root, f)) || statSync(join(root, f)).mtime.toISOString() > manifest.builtAt);
    return { reason: `dashboard sources changed since the build of ${manifest.builtAt}${changed.length ? ` (${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', ...' : ''})` : ''}` };
  }
  for (const f of [manifest.entry, manifest.css, ...manifest.initialJs, ...manifest.lazyJs]) {
    if (!existsSync(join(outDir, f))) return { reason: `build output ${f} is missing` };
  }
  return { manifest };
}

/** Checks the build and, when it is stale and `rebuild` allows, rebuilds it. Never throws. */
export async function prepareDashboard(opts: { outDir?: string; rebuild?: boolean; log?: (m: string) => void } = {}): Promise<BuildState> {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const log = opts.log ?? (() => {});
  const s = staleness(outDir);
  if ('manifest' in s) return { state: 'fresh', manifest: s.manifest };
  if (opts.rebuild === false) {
    log(`WARNING: dashboard not served: ${s.reason}; run \`npm run build:dashboard\``);
    return { state: 'unavailable', reason: s.reason };
  }
  const t0 = performance.now();
  try {
    const { buildDashboard } = await import('./build.js');
    const manifest = await buildDashboard({ outDir });
    const ms = Math.round(performance.now() - t0);
    log(`WARNING: ${s.reason}: rebuilt the dashboard (${ms} ms)`);
    return { state: 'rebuilt', manifest, reason: s.reason, ms };
  } catch (e) {
    const reason = `${s.reason}, and rebuilding failed: ${(e as Error).message.split('\n')[0]}`;
    log(`WARNING: dashboard not served: ${reason}; run \`npm run build:dashboard\``);
    return { state: 'unavailable', reason };
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function unavailablePage(reason: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Masque dashboard unavailable</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2933}code{background:#eef1f4;padding:.1rem .3rem;border-radius:3px}</style></head>
<body><main><h1>The dashboard is not available</h1><p>This node refused to serve a dashboard build that does not match its sources:</p>
<p><strong>${escapeHtml(reason)}</strong></p><p>Run <code>npm run build:dashboard</code> (or <code>npm install</code>) and restart the node. JSON-RPC at this address works as usual.</p></main></body></html>`;
}

interface Cached { body: Buffer; gzip?: Buffer; type: string; immutable: boolean }

/**
 * The GET handler for the node's HTTP server: returns false for what it does not serve (the caller then answers
 * as before). Files are read once and kept (with their gzip) in memory: the whole build is a few hundred kB.
 */
export function dashboardHandler(build: BuildState, opts: { outDir?: string; root?: string } = {}): (req: IncomingMessage, res: ServerResponse) => boolean {
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  const root = opts.root ?? PROJECT_ROOT;
  const cache = new Map<string, Cached | null>();
  const load = (urlPath: string): Cached | null => {
    if (cache.has(urlPath)) return cache.get(urlPath)!;
    let file: string | undefined;
    let immutable = false;
    if (ZK_FILES[urlPath]) file = join(root, ZK_FILES[urlPath]);
    else if (build.state !== 'unavailable') {
      const rel = urlPath === '/' ? 'index.html' : decodeURIComponent(urlPath.slice(1));
      const abs = normalize(join(outDir, rel));
      if (abs.startsWith(outDir + sep) && rel !== 'manifest.json') file = abs;
      immutable = /-[A-Z0-9]{8}\.(js|css)$/.test(rel);
    }
    let entry: Cached | null = null;
    if (file && existsSync(file) && statSync(file).isFile()) {
      const ext = extname(file);
      const body = readFileSync(file);
      entry = { body, type: TYPES[ext] ?? 'application/octet-stream', immutable, ...(COMPRESSIBLE.has(ext) ? { gzip: gzipSync(body, { level: 9 }) } : {}) };
    }
    cache.set(urlPath, entry);
    return entry;
  };
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const urlPath = (req.url ?? '/').split(/[?#]/)[0]!;
    if (urlPath === '/health') return false;
    if (build.state === 'unavailable' && (urlPath === '/' || urlPath === '/index.html')) {
      const body = unavailablePage(build.reason);
      res.writeHead(503, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) }).end(req.method === 'HEAD' ? undefined : body);
      return true;
    }
    const f = load(urlPath);
    if (!f) return false;
    const gzip = f.gzip && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const body = gzip ? f.gzip! : f.body;
    res.writeHead(200, {
      'content-type': f.type,
      'content-length': body.length,
      'cache-control': f.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(gzip ? { 'content-encoding': 'gzip', vary: 'accept-encoding' } : {}),
      ...(f.type.startsWith('text/html')
        // The page talks to its own origin only; inline scripts none; wasm for Poseidon and the prover.
        ? { 'content-security-policy': "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'", 'referrer-policy': 'no-referrer' }
        : {}),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}
