// The dashboard served by the node: a fresh build is served on GET (gzip, immutable hashed assets, CSP), POST stays
// JSON-RPC, and a build that no longer matches its sources is rebuilt or refused loudly, never served silently.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { buildDashboard, type DashboardManifest } from './build.js';
import { dashboardHandler, prepareDashboard, staleness } from './serve.js';
import { startTestNode, type TestNode } from '../node/test-helpers.js';

let out: string;
let manifest: DashboardManifest;
before(async () => {
  out = mkdtempSync(join(tmpdir(), 'masque-dashboard-build-'));
  manifest = await buildDashboard({ outDir: out });
});
after(() => rmSync(out, { recursive: true, force: true }));

async function serve(handler: ReturnType<typeof dashboardHandler>): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => { if (!handler(req, res)) res.writeHead(404).end(); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('a build records its inputs and is fresh until one of them changes', async () => {
  assert.ok(manifest.inputs.includes('src/dashboard/app/main.tsx'));
  assert.ok(manifest.inputs.includes('package-lock.json'));
  assert.ok(manifest.inputs.some((f) => f.startsWith('src/sdk/')), 'the SDK is part of the bundle');
  assert.ok(!manifest.inputs.some((f) => f.includes('node_modules')));
  assert.ok('manifest' in staleness(out));
  // An edited source = a recorded hash that no longer matches.
  const edited = { ...manifest, sourceHash: '0'.repeat(64) };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(edited));
  const s = staleness(out);
  assert.ok('reason' in s && /sources changed since the build/.test(s.reason), JSON.stringify(s));
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest));
});

test('a stale build is refused with a 503 page naming the reason when rebuilding is off, and logged', async () => {
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...manifest, sourceHash: 'f'.repeat(64) }));
  const logs: string[] = [];
  const state = await prepareDashboard({ outDir: out, rebuild: false, log: (m) => logs.push(m) });
  assert.equal(state.state, 'unavailable');
  assert.match(logs.join('\n'), /WARNING: dashboard not served: dashboard sources changed/);
  const { url, server } = await serve(dashboardHandler(state, { outDir: out }));
  try {
    const res = await fetch(`${url}/`);
    assert.equal(res.status, 503);
    const html = await res.text();
    assert.match(html, /not available/);
    assert.match(html, /sources changed since the build/);
    assert.match(html, /npm run build:dashboard/);
    // The stale build's scripts are not served either.
    assert.equal((await fetch(`${url}/${manifest.entry}`)).status, 404);
  } finally {
    server.close();
  }
});

test('a stale build is rebuilt at start when rebuilding is on (the default), and said so', async () => {
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ ...manifest, sourceHash: 'e'.repeat(64) }));
  const logs: string[] = [];
  const state = await prepareDashboard({ outDir: out, log: (m) => logs.push(m) });
  assert.equal(state.state, 'rebuilt');
  assert.match(logs.join('\n'), /WARNING: dashboard sources changed .*: rebuilt the dashboard/);
  assert.ok('manifest' in staleness(out));
  rmSync(join(out, 'manifest.json'));
  const missing = await prepareDashboard({ outDir: out, rebuild: false });
  assert.ok(missing.state === 'unavailable' && /no dashboard build/.test(missing.reason));
  assert.equal((await prepareDashboard({ outDir: out })).state, 'rebuilt');
});

test('assets: gzip when asked, immutable caching for hashed names, no path escape, manifest not served', async () => {
  const state = await prepareDashboard({ outDir: out });
  assert.notEqual(state.state, 'unavailable');
  const m = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as DashboardManifest;
  const { url, server } = await serve(dashboardHandler(state, { outDir: out }));
  try {
    const page = await fetch(`${url}/`, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type')!, /text\/html/);
    assert.match(page.headers.get('content-security-policy')!, /default-src 'self'/);
    assert.equal(page.headers.get('cache-control'), 'no-cache');
    assert.ok((await page.text()).includes(m.entry));
    const raw = await new Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }>((resolve, reject) => {
      import('node:http').then(({ get }) => get(`${url}/${m.entry}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
      }).on('error', reject));
    });
    assert.equal(raw.headers['content-encoding'], 'gzip');
    assert.match(String(raw.headers['cache-control']), /immutable/);
    assert.equal(gunzipSync(raw.body).toString(), readFileSync(join(out, m.entry), 'utf8'));
    assert.equal((await fetch(`${url}/manifest.json`)).status, 404);
    assert.equal((await fetch(`${url}/..%2F..%2Fetc%2Fpasswd`)).status, 404);
    assert.equal((await fetch(`${url}/%2e%2e/package.json`)).status, 404);
    // The prover's public artifacts, for in-browser proofs.
    const vkey = await fetch(`${url}/zk/credentialQuery.vkey.json`);
    assert.equal(vkey.status, 200);
    assert.equal(((await vkey.json()) as { protocol: string }).protocol, 'groth16');
  } finally {
    server.close();
  }
});

let t: TestNode;
test('the node serves the page on GET / next to JSON-RPC on POST /', async (ctx) => {
  t = await startTestNode();
  ctx.after(() => t.stop());
  const url = t.node.url;
  const page = await fetch(`${url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<div id="app">/);
  const health = (await (await fetch(`${url}/health`)).json()) as { ok: boolean };
  assert.equal(health.ok, true);
  const rpc = (await (await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'node_info', params: {} }) })).json()) as { result: { chainId: number } };
  assert.equal(rpc.result.chainId, 31337);
  assert.equal((await fetch(`${url}/nope.js`)).status, 405, 'unknown GETs answer as before (JSON-RPC wants POST)');
});
