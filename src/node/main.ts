// `npm run node`: starts the identity node on embedded defaults (or the configured external chain) until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { startNode } from './node.js';

const { values } = parseArgs({
  options: {
    config: { type: 'string', short: 'c' },
    'data-dir': { type: 'string', short: 'd' },
    port: { type: 'string', short: 'p' },
    'rpc-url': { type: 'string' },
  },
});
const overrides: Record<string, unknown> = {};
if (values['data-dir']) overrides.dataDir = values['data-dir'];
if (values.port) overrides.port = Number(values.port);
if (values['rpc-url']) overrides.rpcUrl = values['rpc-url'];

// The screening service runs by default here (an embedded chain shows it working); MASQUE_SCREENING=off stops it.
const node = await startNode({ overrides, file: values.config, screeningByDefault: true });
console.log(JSON.stringify({ event: 'listening', url: node.url, port: node.port, pid: process.pid }));
let stopping = false;
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, async () => {
    if (stopping) return;
    stopping = true;
    await node.stop();
    process.exit(0);
  });
}
