/**
 * `npm run bench [-- --large] [-- name ...]`: runs the benchmarks and writes one markdown report per
 * benchmark to bench/results/<name>.md plus an index, bench/results/README.md.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import type { BenchModule, BenchReport } from './types.js';

const modules: Record<string, () => Promise<{ run: BenchModule }>> = {
  poseidon: () => import('./poseidon.js'),
  smt: () => import('./smt.js'),
  node: () => import('./node.js'),
  documents: () => import('./documents.js'),
  gas: () => import('./gas.js'),
  zk: () => import('./zk.js'),
  screening: () => import('./screening.js'),
  compliance: () => import('./compliance.js'),
  scale: () => import('./scale.js'),
  risk: () => import('./risk.js'),
  dashboard: () => import('./dashboard.js'),
};

const args = process.argv.slice(2);
const large = args.includes('--large');
const selected = args.filter((a) => !a.startsWith('--'));
const names = selected.length ? selected : Object.keys(modules);
const outDir = join(import.meta.dirname, 'results');
mkdirSync(outDir, { recursive: true });

const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`;
const reports: BenchReport[] = [];
for (const name of names) {
  const load = modules[name];
  if (!load) throw new Error(`unknown benchmark "${name}"; known: ${Object.keys(modules).join(', ')}`);
  console.log(`\n## ${name}`);
  const { run } = await load();
  const report = await run({ large });
  reports.push(report);
  const body = `# ${report.title}\n\nMeasured ${new Date().toISOString()} on ${machine}.\n\n${report.markdown}\n`;
  writeFileSync(join(outDir, `${report.name}.md`), body);
  console.log(report.markdown);
}
if (!selected.length) {
  const index = reports.map((r) => `- [${r.title}](./${r.name}.md)`).join('\n');
  writeFileSync(join(outDir, 'README.md'), `# Benchmark results\n\nLast full run on ${machine}.\n\n${index}\n`);
}
