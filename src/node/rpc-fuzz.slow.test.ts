// The JSON-RPC fuzz of rpc-fuzz.test.ts as a long campaign (npm run test:slow): 5,000 runs per property unless
// MASQUE_RPC_FUZZ_RUNS says otherwise; MASQUE_RPC_FUZZ_SEED replays a run.
process.env.MASQUE_RPC_FUZZ_RUNS ??= '5000';
await import('./rpc-fuzz.test.js');
