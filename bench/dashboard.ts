/**
 * `npm run bench -- dashboard`: the dashboard's first load and its in-page work, on this machine.
 * - initial JavaScript: the entry and its static imports as the build's manifest lists them, gzip'd (level 6, what
 *   the node serves); everything else (screens, the prover, ML-KEM/HPKE) loads on demand and is listed apart;
 * - time to interactive on localhost: a fresh browser context per load (cold cache), from navigation start to the
 *   shell's `masque-interactive` mark (rendered, listeners attached), against a node started here;
 * - proof time: the credential query proof (witness + Groth16, src/zk's proveInputs, the code the investor screen
 *   runs) in headless Chromium and in Node, same inputs, same machine, one after the other;
 * - document decrypt in the page: 1 MB and 10 MB sealed documents opened by the dashboard's openWithChecks (hash,
 *   CID, ML-KEM-768 / HPKE envelope, AES-256-GCM) in Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import type { BenchModule } from './types.js';
import { fmt, median, table } from './stats.js';
import { browserProvingTimes, CHROMIUM, serve } from './zk-browser.js';
import { buildDashboard, DEFAULT_OUT_DIR, APP_DIR } from '../src/dashboard/build.js';
import { startNode } from '../src/node/node.js';
import { credentialQueryInputs, proveInputs, releaseProverResources } from '../src/zk/index.js';
import { artifactPaths } from '../src/zk/node.js';
import { makeFixture } from '../src/zk/test-fixtures.js';
import { generateEncryptionKey, sealForClaim } from '../src/sdk/crypto.js';
import type { DecryptBenchInput } from './dashboard-page.js';

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];
const kb = (n: number) => `${fmt(n / 1024, 1)} kB`;

function sizes(m: Awaited<ReturnType<typeof buildDashboard>>) {
  const gz = (rel: string) => gzipSync(readFileSync(join(DEFAULT_OUT_DIR, rel)), { level: 6 }).length;
  const initial = m.initialJs.map((f) => ({ f, raw: statSync(join(DEFAULT_OUT_DIR, f)).size, gz: gz(f) }));
  const lazy = m.lazyJs.map((f) => ({ f, raw: statSync(join(DEFAULT_OUT_DIR, f)).size, gz: gz(f) })).sort((a, b) => b.gz - a.gz);
  return { initial, lazy, css: gz(m.css) };
}

async function timeToInteractive(url: string, runs: number): Promise<{ tti: number[]; dcl: number[] }> {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const out = { tti: [] as number[], dcl: [] as number[] };
  try {
    for (let i = -1; i < runs; i++) {
      const ctx = await browser.newContext();
      const page = await ctx.newPage();
      await page.goto(url);
      await page.waitForSelector('html[data-ready="true"]');
      const t = await page.evaluate(() => ({
        tti: performance.getEntriesByName('masque-interactive')[0]!.startTime,
        dcl: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd,
      }));
      await ctx.close();
      if (i < 0) continue; // the first launch warms the browser process itself
      out.tti.push(t.tti);
      out.dcl.push(t.dcl);
    }
  } finally {
    await browser.close();
  }
  return out;
}

async function decryptTimes(sizesMb: number[], runs: number): Promise<{ mb: number; ms: number[] }[]> {
  const page = await build({
    entryPoints: [join(import.meta.dirname, 'dashboard-page.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'chrome111',
    write: false, logLevel: 'silent', inject: [join(APP_DIR, 'lib', 'buffer-shim.ts')], define: { 'process.env.NODE_DEBUG': 'false', global: 'globalThis' },
  });
  const seed = new Uint8Array(64).map((_, i) => i + 1);
  const key = generateEncryptionKey(seed);
  const claim = { chainId: 31337, identity: '0x00000000000000000000000000000000000000aa' as const, topic: 1 };
  const files: Record<string, { type: string; body: string | Uint8Array }> = {
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: page.outputFiles[0]!.text },
  };
  const docs = [];
  for (const mb of sizesMb) {
    const plain = new Uint8Array(mb * 1024 * 1024).map((_, i) => (i * 31) & 0xff);
    const sealed = await sealForClaim(plain, claim, [key.did]);
    files[`/doc-${mb}`] = { type: 'application/octet-stream', body: sealed.bytes };
    docs.push({ mb, envelope: sealed.envelopes[0]!.envelope, hash: sealed.documentHash, cid: sealed.cid });
  }
  const server = await serve(files);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const p = await browser.newPage();
    const errors: string[] = [];
    p.on('pageerror', (e) => errors.push(String(e)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await p.goto(`${base}/`);
    await p.waitForFunction(() => 'decryptBench' in globalThis, undefined, { timeout: 60_000 });
    const out = [];
    for (const d of docs) {
      const input: DecryptBenchInput = { url: `${base}/doc-${d.mb}`, envelope: d.envelope, hash: d.hash, cid: d.cid, seedHex: Buffer.from(seed).toString('hex'), claim, runs };
      const ms = (await p.evaluate((i) => (globalThis as unknown as { decryptBench(x: unknown): Promise<number[]> }).decryptBench(i), input)) as number[];
      out.push({ mb: d.mb, ms });
    }
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return out;
  } finally {
    await browser.close();
    server.close();
  }
}

export const run: BenchModule = async ({ large }) => {
  const runs = large ? 10 : 5;
  if (!existsSync(CHROMIUM)) throw new Error(`no chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  const load = [loadavg()[0]];
  const s = sizes(await buildDashboard());
  const dataDir = mkdtempSync(join(tmpdir(), 'masque-bench-dashboard-'));
  const node = await startNode({ overrides: { dataDir, port: 0, logLevel: 'silent' }, env: { MASQUE_SCREENING: 'off' } });
  let tti;
  try {
    tti = await timeToInteractive(`${node.url}/`, runs);
  } finally {
    await node.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  load.push(loadavg()[0]);
  // Proofs: the same credential query inputs in Node, then in Chromium.
  const f = makeFixture();
  const inputs = credentialQueryInputs(f.queryHolder, f.credential(f.issue()), f.query({ operator: 'IN_RANGE', values: [1n, 5000n] }));
  const a = artifactPaths('credentialQuery');
  await proveInputs(inputs, a);
  const nodeProof: number[] = [];
  for (let i = 0; i < runs; i++) { const t0 = performance.now(); await proveInputs(inputs, a); nodeProof.push(performance.now() - t0); }
  await releaseProverResources();
  const page = await browserProvingTimes(inputs, runs);
  load.push(loadavg()[0]);
  const dec = await decryptTimes([1, 10], runs);
  load.push(loadavg()[0]);

  const initialGz = s.initial.reduce((x, y) => x + y.gz, 0);
  const lazyGz = s.lazy.reduce((x, y) => x + y.gz, 0);
  const chromeProof = median(page!.full), nodeP = median(nodeProof);
  const markdown = [
    `Load average (1 min) at start, after the page loads, after the proofs, at the end: ${load.map((l) => fmt(l, 1)).join(', ')} (2 cores, shared with other work: compare figures within this run). ${runs} runs each, medians.`,
    '',
    '## First load',
    '',
    table(['what', 'figure'], [
      ['initial JavaScript (entry + static imports), gzip', `**${kb(initialGz)}** in ${s.initial.length} files (${kb(s.initial.reduce((x, y) => x + y.raw, 0))} minified)`],
      ['initial CSS, gzip', kb(s.css)],
      ['loaded on demand (screens, viem, zod, ML-KEM/HPKE, UCAN, the prover), gzip', `${kb(lazyGz)} in ${s.lazy.length} chunks; largest ${s.lazy.slice(0, 3).map((l) => `${l.f.replace(/^chunks\//, '')} ${kb(l.gz)}`).join(', ')}`],
      ['time to interactive on localhost (cold cache, `masque-interactive` mark)', `**${fmt(median(tti.tti))} ms** (DOMContentLoaded ${fmt(median(tti.dcl))} ms; runs ${tti.tti.map((x) => fmt(x)).join(', ')})`],
    ]),
    '',
    '## Zero-knowledge proof (credential query: witness + Groth16 through proveInputs)',
    '',
    table(['where', 'median', 'runs', 'ratio'], [
      [`Chromium ${page!.version} (${page!.threads} threads)`, `**${fmt(chromeProof)} ms**`, page!.full.map((x) => fmt(x)).join(', '), `${fmt(chromeProof / nodeP, 2)}x Node`],
      [`Node ${process.version}`, `**${fmt(nodeP)} ms**`, nodeProof.map((x) => fmt(x)).join(', '), '1x'],
    ]),
    '',
    'The page measured is bench/zk-browser-page.ts (the same src/zk prover bundle the investor screen loads on demand, artifacts over HTTP); the dashboard\'s browser test proves through the screen itself and shows the time.',
    '',
    '## Document decrypt in the page (openWithChecks: SHA-256 and CID of the sealed bytes, ML-KEM-768 / HPKE envelope, AES-256-GCM)',
    '',
    table(['document', 'median', 'runs', 'throughput'], dec.map((d) => [`${d.mb} MB`, `**${fmt(median(d.ms))} ms**`, d.ms.map((x) => fmt(x)).join(', '), `${fmt(d.mb / (median(d.ms) / 1000), 1)} MB/s`])),
  ].join('\n');
  return { name: 'dashboard', title: 'Dashboard: first load, proof in the page, decrypt in the page', markdown };
};
