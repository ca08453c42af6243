/**
 * The identity node over HTTP: `id_verifyClaim` and `id_getClaim` throughput and p50/p99 latency with concurrent
 * keep-alive clients, and document store / fetch MB/s. The node runs in its own process (embedded anvil), the
 * load generator in this one, so they compete for the machine's cores as a real deployment with a co-located
 * client would. NODE_BENCH_SECONDS (default 5) and NODE_BENCH_CONNECTIONS (default 16) override the run.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import { MasqueClient, delegateRead, generateEncryptionKey, readRequest, rewrapFor, sealForClaim, signClaim, toBase64 } from '../src/sdk/index.js';
import { spawnNode } from '../src/node/test-helpers.js';
import { fmt, table } from './stats.js';
import { load } from './http-load.js';
import type { BenchModule, BenchReport } from './types.js';

const SECONDS = Number(process.env.NODE_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.NODE_BENCH_CONNECTIONS ?? 16);

function startNodeProcess(dataDir: string, issuer: Address, readCache = true): Promise<{ child: ChildProcess; url: string }> {
  return spawnNode(dataDir, {
    MASQUE_READ_CACHE: readCache ? '1' : '0',
    MASQUE_ISSUERS: JSON.stringify([{ name: 'kyc', signer: issuer, topics: [1] }]),
  }, []);
}

export const run: BenchModule = async (): Promise<BenchReport> => {
  const dataDir = mkdtempSync(join(tmpdir(), 'masque-bench-node-'));
  const issuerSigner = privateKeyToAccount(generatePrivateKey());
  let { child, url } = await startNodeProcess(dataDir, issuerSigner.address);
  try {
    const client = new MasqueClient(url);
    const info = await client.rpc.node_info({});
    const chainId = info.chainId;
    const issuer = info.issuers.kyc!.address as Address;
    const holder = privateKeyToAccount(generatePrivateKey());
    const verifier = privateKeyToAccount(generatePrivateKey());
    const holderKey = generateEncryptionKey();
    const issuerKey = generateEncryptionKey();
    const verifierKey = generateEncryptionKey();
    const { identity: id } = await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder);
    const identity = id as Address;
    const now = Math.floor(Date.now() / 1000);

    // Documents: store (submit) and fetch (getClaimDocument through all three layers) of 1 MiB sealed documents.
    const MB = 1024 * 1024;
    const docRows: (string | number)[][] = [];
    let lastApp: { applicationId: string; documentHash: Hex; cid: string; holderEnvelope: string } | undefined;
    for (const size of [64 * 1024, MB, 4 * MB]) {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 31) & 0xff);
      const rounds = size >= 4 * MB ? 3 : 8;
      let storeMs = 0;
      for (let i = 0; i < rounds; i++) {
        const sealed = await sealForClaim(plaintext, { chainId, identity, topic: 1 }, [issuerKey.did, holderKey.did]);
        const params = await client.sign('id_submitKycApplication', { identity, topic: 1, issuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, holder);
        const t0 = performance.now();
        const r = await client.call('id_submitKycApplication', params);
        storeMs += performance.now() - t0;
        lastApp = { applicationId: r.applicationId, documentHash: r.documentHash as Hex, cid: r.cid, holderEnvelope: sealed.envelopes[1]!.envelope };
      }
      // Approve the last one so its document can be fetched by a granted verifier.
      // Each approval replaces the identity's KYC claim: ClaimIssuer refuses a replacement that is not newer (StaleClaim).
      const issuedAt = now - 60 + docRows.length;
      const sig = (await signClaim(issuerSigner, { chainId, issuer, identity, topic: 1n, documentHash: lastApp!.documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(now + 86400) })).signature;
      await client.write('id_reviewKycApplication', { applicationId: lastApp!.applicationId, decision: 'approve', claim: { issuedAt, expiresAt: now + 86400, signature: sig } }, issuerSigner);
      await client.write('id_grantClaimAccess', { identity, topic: 1, verifier: verifier.address, verifierKey: verifierKey.did, envelope: await rewrapFor(lastApp!.holderEnvelope, holderKey, verifierKey.did) }, holder);
      const proofs = [await delegateRead(holder, { chainId, verifier: verifier.address, identity, topic: 1, seconds: 3600 })];
      const audience = (await client.rpc.node_info({})).did; // the node refuses invocations addressed to another
      let fetchMs = 0;
      for (let i = 0; i < rounds; i++) {
        const req = await readRequest(verifier, { chainId, holder: holder.address, identity, topic: 1, proofs, audience });
        const t0 = performance.now();
        await client.rpc.id_getClaimDocument(req);
        fetchMs += performance.now() - t0;
      }
      const sealedSize = size + 34;
      docRows.push([`${fmt(size / 1024)} KiB`, fmt((sealedSize * rounds) / MB / (storeMs / 1000), 1), fmt(storeMs / rounds, 1), fmt((sealedSize * rounds) / MB / (fetchMs / 1000), 1), fmt(fetchMs / rounds, 1)]);
    }

    const claim = await client.rpc.id_getClaim({ identity, issuer, topic: 1 });
    const verifyBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'id_verifyClaim', params: { identity, topic: 1 } });
    const getBody = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'id_getClaim', params: { identity, claimId: claim.claimId } });
    const rows: (string | number)[][] = [];
    const measure = async (target: string, cache: string) => {
      for (const [name, body] of [['id_verifyClaim', verifyBody], ['id_getClaim', getBody]] as const) {
        const r = await load(target, body, SECONDS, CONNECTIONS);
        console.log(`${name} (cache ${cache}): ${fmt(r.rps)} req/s, p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, errors ${r.errors}`);
        rows.push([name, cache, CONNECTIONS, fmt(r.requests), fmt(r.rps), fmt(r.p50, 2), fmt(r.p99, 2), r.errors]);
      }
    };
    // The freshness check's cost: head checks (eth_getBlockByNumber) the cached runs needed, per request answered.
    const health = async () => ((await (await fetch(`${url}/health`)).json()) as { cache: { hits: number; misses: number; headChecks: number } }).cache;
    const before = await health();
    const cachedFrom = rows.length;
    await measure(url, 'on');
    const after = await health();
    const answered = rows.slice(cachedFrom).reduce((n, r) => n + Number(String(r[3]).replace(/,/g, '')), 0);
    const checks = after.headChecks - before.headChecks;
    const freshness = `Freshness check under this load: ${fmt(checks)} head checks for ${fmt(answered)} cached requests (one per ${fmt(answered / Math.max(1, checks), 1)} requests; concurrent requests share one), ${fmt(after.misses - before.misses)} cache misses.`;
    console.log(freshness);
    // The same data dir, restarted with the read cache off: every call goes to anvil (eth_call per read).
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const uncached = await startNodeProcess(dataDir, issuerSigner.address, false);
    child = uncached.child;
    await measure(uncached.url, 'off');
    const markdown = [
      `Node in its own process on embedded anvil; load from this process over ${CONNECTIONS} keep-alive connections for ${SECONDS} s`,
      'per method after a 1 s warm-up. Goal: at least 2,000 requests/s with p99 under 25 ms on the 2-core machine.',
      'Reads of chain state go through a cache validated against the chain head on every request: each request waits',
      'for an eth_getBlockByNumber("latest") that started after it arrived (concurrent requests share one), and reuses',
      'what was read at that block hash, so an answer always reflects every block mined before the request, whoever',
      'sent the transaction. The same load with the cache off (every read an eth_call to anvil) is shown for comparison.',
      '',
      table(['method', 'read cache', 'connections', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors'], rows),
      '',
      freshness,
      '',
      'Documents (sealed client-side; store = id_submitKycApplication, fetch = id_getClaimDocument with UCAN check,',
      'on-chain grant check and integrity check against the on-chain hash), sequential, base64 over JSON-RPC:',
      '',
      table(['document', 'store MB/s', 'store ms/doc', 'fetch MB/s', 'fetch ms/doc'], docRows),
    ].join('\n');
    return { name: 'node', title: 'Identity node: JSON-RPC throughput and latency', markdown };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
};
