#!/usr/bin/env node
// Log args for exploration
const fs = require('fs');
fs.appendFileSync('/tmp/solcjs-args.log', JSON.stringify(process.argv.slice(2)) + '\n');
const solc = require('solc');
if (process.argv.includes('--version')) {
  console.log('solc, the solidity compiler commandline interface');
  console.log('Version: ' + solc.version().replace('Emscripten.clang', 'Linux.g++'));
  process.exit(0);
}
let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (d) => (input += d));
process.stdin.on('end', () => {
  fs.writeFileSync('/tmp/solcjs-input.json', input);
  process.stdout.write(solc.compile(input, { import: (p) => { try { return { contents: fs.readFileSync(p, 'utf8') }; } catch (e) { return { error: String(e) }; } } }));
});
