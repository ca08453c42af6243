/**
 * Bundled by bench/dashboard.ts (esbuild, the dashboard's own options) and run in headless Chromium: a sealed
 * document opened with the dashboard's own code path (src/dashboard/app/lib/documents.ts: hash and CID checks,
 * ML-KEM-768 / HPKE envelope, AES-256-GCM), timed in the page.
 */
import { openWithChecks } from '../src/dashboard/app/lib/documents.js';
import { generateEncryptionKey } from '../src/sdk/crypto.js';

export interface DecryptBenchInput {
  url: string; envelope: string; hash: string; cid: string; seedHex: string; claim: { chainId: number; identity: `0x${string}`; topic: number }; runs: number;
}

async function decryptBench(i: DecryptBenchInput): Promise<number[]> {
  const ciphertext = new Uint8Array(await (await fetch(i.url)).arrayBuffer());
  const key = generateEncryptionKey(Uint8Array.from(i.seedHex.match(/../g)!.map((h) => parseInt(h, 16))));
  const times: number[] = [];
  for (let r = -1; r < i.runs; r++) {
    const t0 = performance.now();
    const doc = await openWithChecks({ ciphertext, envelope: i.envelope, expectedHash: i.hash, expectedCid: i.cid, mediaType: 'application/octet-stream', claim: i.claim }, key);
    const t = performance.now() - t0;
    if (doc.checks.some((c) => !c.ok)) throw new Error(`a check failed: ${JSON.stringify(doc.checks)}`);
    if (r >= 0) times.push(t); // the first run loads the crypto modules
  }
  return times;
}

(globalThis as { decryptBench?: typeof decryptBench }).decryptBench = decryptBench;
