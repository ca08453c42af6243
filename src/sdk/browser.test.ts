// The SDK runs in a browser: bundled by esbuild for platform 'browser' (any Node built-in or unresolved import fails
// the build), no src/node, SQLite or snarkjs in its graph, UCAN (iso-ucan, zod, DAG-CBOR) only in a lazily loaded
// chunk; and the bundle runs the onboarding story against a started node with none of Node's globals in reach
// (Buffer, process, global, setImmediate, require...).
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { startTestNode, type TestNode } from '../node/test-helpers.js';

const root = join(import.meta.dirname, '..', '..');
let out: string;
let t: TestNode;

before(async () => {
  out = mkdtempSync(join(tmpdir(), 'masque-sdk-bundle-'));
  t = await startTestNode();
});
after(async () => {
  await t?.stop();
  rmSync(out, { recursive: true, force: true });
});

async function bundle(entry: string, outdir: string): Promise<Metafile> {
  const r = await build({
    entryPoints: [join(import.meta.dirname, entry)], absWorkingDir: root, outdir, bundle: true, splitting: true, minify: true,
    platform: 'browser', format: 'esm', outExtension: { '.js': '.mjs' }, metafile: true, logLevel: 'silent',
  });
  return r.metafile;
}

/** Inputs of the entry's output and of every chunk it imports statically (what loads before any dynamic import). */
function staticInputs(meta: Metafile): Set<string> {
  const outputs = meta.outputs;
  const entry = Object.keys(outputs).find((k) => outputs[k].entryPoint)!;
  const seen = new Set<string>();
  const walk = (o: string) => {
    if (seen.has(o)) return;
    seen.add(o);
    for (const i of outputs[o].imports) if (i.kind === 'import-statement') walk(i.path);
  };
  walk(entry);
  return new Set([...seen].flatMap((o) => Object.keys(outputs[o].inputs)));
}

const sizeOf = (meta: Metafile, outputs: string[]) => outputs.reduce((n, o) => n + meta.outputs[o].bytes, 0);

it('bundles for the browser: no Node built-in, no src/node, SQLite or snarkjs; UCAN and zod load lazily', async () => {
  const meta = await bundle('index.ts', join(out, 'sdk'));
  const inputs = Object.keys(meta.inputs);
  const forbidden = inputs.filter((i) => /^src\/(node|cli)\/|node_modules\/(better-sqlite3|snarkjs|ffjavascript|web-worker)\//.test(i) || i.startsWith('node:'));
  assert.deepEqual(forbidden, []);
  assert.ok(inputs.some((i) => i.startsWith('src/protocol/')), 'the SDK speaks src/protocol');
  const eager = staticInputs(meta);
  const eagerHeavy = [...eager].filter((i) => /node_modules\/(zod|iso-ucan|cborg|@ipld\/dag-cbor)\//.test(i));
  assert.deepEqual(eagerHeavy, [], 'UCAN and its dependencies load on first use only');
  assert.ok(inputs.some((i) => i.includes('node_modules/iso-ucan/')), 'the lazy chunk is part of the bundle');
  const outs = Object.keys(meta.outputs);
  const eagerOuts = outs.filter((o) => Object.keys(meta.outputs[o].inputs).some((i) => eager.has(i)));
  console.log(`# SDK browser bundle (minified): ${sizeOf(meta, eagerOuts)} bytes loaded at start, ${sizeOf(meta, outs)} bytes in all`);
});

it('runs the onboarding story from the browser bundle with no Node global in reach', { timeout: 120_000 }, async () => {
  // One script (IIFE), as a <script> tag would load it. Node's globals cannot simply be deleted from this process (its
  // own fetch, undici, uses them), so the bundle runs in a function whose parameters shadow every one of them.
  const r = await build({
    entryPoints: [join(import.meta.dirname, 'browser.scenario.ts')], absWorkingDir: root, bundle: true, minify: true, write: false,
    platform: 'browser', format: 'iife', globalName: 'scenario', logLevel: 'silent',
  });
  const code = r.outputFiles[0].text;
  assert.doesNotMatch(code, /\brequire\(["']node:/);
  const nodeOnly = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate', 'require', 'module', 'exports', '__dirname', '__filename'];
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const load = new Function(...nodeOnly, `${code}\nreturn scenario;`) as (...a: undefined[]) => { run: typeof import('./browser.scenario.js').run };
  const { run } = load();
  const document = 'Name: Bundle Testperson\nPassport: P7654321\n';
  const result = await run({ url: t.node.url, issuerPrivateKey: t.issuerPrivateKey, document });
  assert.equal(result.verified, true);
  assert.equal(result.reviewed, document);
  assert.equal(result.fetched, document);
  assert.equal(result.sha256OfSealed, result.documentHash);
  assert.equal(result.base64RoundTrip, true);
  assert.deepEqual(result.refusal, { name: 'MasqueRpcError', code: -32602, field: 'identity' });
});
