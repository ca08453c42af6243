#!/usr/bin/env node
// The solc forge runs (foundry.toml `solc = "test/forge/solc-js.cjs"`): the npm `solc` package (solc-js, WebAssembly,
// the same compiler scripts/build-contracts.ts uses) behind the two parts of solc's command line forge needs.
// Forge has no WebAssembly compiler of its own and would otherwise download a native solc (svm), which cannot be
// fetched here; solc-js compiles the same input to the same bytecode, only slower (single-threaded wasm).
//   --version          forge reads the version from the last line ("Version: 0.8.37+commit.f401782d...")
//   --standard-json    standard JSON in on stdin, out on stdout; forge puts every source's content in the input
//                      (--base-path / --allow-paths / --include-path only serve the import callback, kept as a
//                      fallback)
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const solc = require('solc');

const args = process.argv.slice(2);

if (args.includes('--version')) {
  console.log('solc, the solidity compiler commandline interface');
  console.log(`Version: ${solc.version()}`);
  process.exit(0);
}

if (!args.includes('--standard-json')) {
  console.error('solc-js.cjs: only --version and --standard-json are supported (this is forge\'s compiler shim)');
  process.exit(2);
}

/** Values of a repeated option (`--include-path a --include-path b`, or comma-separated `--allow-paths a,b`). */
function optionValues(name) {
  const out = [];
  for (let i = 0; i < args.length; ++i) if (args[i] === name && args[i + 1]) out.push(...args[i + 1].split(','));
  return out;
}

const roots = [...optionValues('--base-path'), ...optionValues('--include-path'), ...optionValues('--allow-paths'), ''];

function findImport(path) {
  for (const root of roots) {
    try {
      return { contents: readFileSync(root ? join(root, path) : path, 'utf8') };
    } catch {
      // next root
    }
  }
  return { error: `import not found: ${path}` };
}

const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', () => {
  process.stdout.write(solc.compile(Buffer.concat(chunks).toString('utf8'), { import: findImport }));
});
