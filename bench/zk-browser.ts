/**
 * The credential query proof in headless Chromium (Debian's `chromium`, driven by playwright-core): bundles
 * bench/zk-browser-page.ts with esbuild, serves it and the circuit's artifacts from 127.0.0.1 on a free port, and
 * returns the page's timings. Used by bench/zk.ts; undefined when no Chromium is installed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build } from 'esbuild';
import type { CircuitInputs } from '../src/zk/inputs.js';
import { artifactPaths, loadVerificationKey } from '../src/zk/node.js';
import type { PageBenchInput, PageBenchResult } from './zk-browser-page.js';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

async function bundle(): Promise<string> {
  const result = await build({
    entryPoints: [new URL('./zk-browser-page.ts', import.meta.url).pathname],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
    external: ['node:*'],
  });
  return result.outputFiles[0]!.text;
}

export function serve(files: Record<string, { type: string; body: string | Uint8Array }>): Promise<Server> {
  const server = createServer((req, res) => {
    const f = files[new URL(req.url ?? '/', 'http://x').pathname];
    if (!f) { res.writeHead(404).end(); return; }
    res.writeHead(200, { 'content-type': f.type }).end(f.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/**
 * The credential query's timings in the page; with `authInputs`, also the holder-auth proof and the whole answer
 * (both proofs, in sequence and started at once).
 */
export async function browserProvingTimes(inputs: CircuitInputs, runs: number, authInputs?: CircuitInputs): Promise<(PageBenchResult & { version: string }) | undefined> {
  if (!existsSync(CHROMIUM)) return undefined;
  const { chromium } = await import('playwright-core');
  const a = artifactPaths('credentialQuery');
  const h = artifactPaths('holderAuth');
  const server = await serve({
    '/': { type: 'text/html', body: '<!doctype html><meta charset="utf-8"><script type="module" src="/page.js"></script>' },
    '/page.js': { type: 'text/javascript', body: await bundle() },
    '/circuit.wasm': { type: 'application/wasm', body: readFileSync(a.wasm as string) },
    '/circuit.zkey': { type: 'application/octet-stream', body: readFileSync(a.zkey as string) },
    ...(authInputs ? {
      '/auth.wasm': { type: 'application/wasm', body: readFileSync(h.wasm as string) },
      '/auth.zkey': { type: 'application/octet-stream', body: readFileSync(h.zkey as string) },
    } : {}),
  });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await page.goto(`${base}/`);
    await page.waitForFunction(() => 'zkBench' in globalThis, undefined, { timeout: 60_000 });
    const input: PageBenchInput = {
      inputs, wasmUrl: `${base}/circuit.wasm`, zkeyUrl: `${base}/circuit.zkey`, vkey: loadVerificationKey('credentialQuery'), runs,
      auth: authInputs && { inputs: authInputs, wasmUrl: `${base}/auth.wasm`, zkeyUrl: `${base}/auth.zkey`, vkey: loadVerificationKey('holderAuth') },
    };
    // playwright's serializable-argument types recurse too deeply on the inputs' type: pass it as JSON.
    const json = JSON.stringify(input);
    const result = (await page.evaluate(
      (text: string) => (globalThis as unknown as { zkBench(x: unknown): Promise<unknown> }).zkBench(JSON.parse(text)),
      json,
    )) as PageBenchResult;
    if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
    return { ...result, version: browser.version() };
  } finally {
    await browser.close();
    server.close();
  }
}
