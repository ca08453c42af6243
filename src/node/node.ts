// Assembles and runs the node: data directory, SQLite, blockstore, chain (embedded anvil or external), relayer,
// first-start deployment, the JSON-RPC server. `startNode` returns once the node answers requests.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Hex } from 'viem';
import { loadConfig, type BlockstoreConfig, type NodeConfig, type NodeConfigInput } from './config.js';
import { dataDirLayout, writeFileDurable } from './datadir.js';
import { describeDatabase, openRepos, type Repos } from './db/index.js';
import { JobQueue } from './jobs/index.js';
import { ScreeningService } from './compliance/service.js';
import { openScreeningKeys, screeningEnabled, withScreeningIssuer } from './compliance/keys.js';
import { FsBlockstore, KuboBlockstore, type Blockstore } from '../storage/index.js';
import { startEmbeddedChain, type EmbeddedChain } from './chain/embedded.js';
import { makeClients } from './chain/clients.js';
import { Mutex, Relayer, memoryNonces, type NonceStore } from './chain/relayer.js';
import { ensureDeployment } from './chain/deploy.js';
import { handOverRegistries, registryOwnerOf } from './chain/registry-owner.js';
import { demoTokenKeys } from './chain/token-deploy.js';
import { TokenIndexer } from './methods/token-index.js';
import { embeddedChainHead, latestHead } from './chain/reads.js';
import { MAX_DEADLINE_AHEAD, RequestAuthenticator } from './auth.js';
import { ReadCache } from './cache.js';
import { RpcDispatcher, startRpcServer } from './rpc/server.js';
import { openRpcDocument } from './rpc/openrpc.js';
import { buildMethods } from './methods/index.js';
import { releaseZkResources } from './methods/zk.js';
import { settlePendingRevocations } from './methods/access.js';
import { schedulePinAudit } from './pins.js';
import { scheduleGistMirror } from './methods/zk-gist.js';
import { dashboardHandler, prepareDashboard } from '../dashboard/serve.js';
import type { NodeContext } from './context.js';
import { ClaimPolicy } from './claim-policy.js';
import type { Deployment } from './chain/deploy.js';
import { RiskService } from './risk/service.js';

const PRUNE_SPENT = 'auth.prune-spent';
/** Folds the served tokens' events into the index (token_holders, token_info's agents) between reads, which catch up
 * themselves: it keeps the index ahead of the embedded chain's receipt history (chainHistoryBlocks). */
const TOKEN_INDEX = 'token.index';
const TOKEN_INDEX_EVERY_MS = 5_000;

export interface RunningNode {
  url: string;
  port: number;
  ctx: NodeContext;
  chain?: EmbeddedChain;
  stop(): Promise<void>;
}

function relayerKey(config: NodeConfig, path: string): Hex {
  if (config.relayerKey) return config.relayerKey as Hex;
  if (existsSync(path)) return readFileSync(path, 'utf8').trim() as Hex;
  const k = generatePrivateKey();
  writeFileDurable(path, k, 0o600);
  return k;
}

/**
 * The relayer's nonces in the database the replicas share (PostgreSQL): the row lock orders sends across replicas; a
 * local lock first, so one replica's concurrent writes queue here instead of holding pool connections.
 */
function databaseNonces(repos: Repos, address: string): NonceStore {
  const local = new Mutex();
  return {
    exclusive: (fn) => local.run(() => repos.transaction(async (tx) => {
      const r = await fn(await tx.coordination.lockNonce(address));
      await tx.coordination.setNonce(address, r.next);
      return r.value;
    })),
  };
}

/** The validity policy: node-wide overrides, then each configured issuer's own (by its deployed contract). */
export function claimPolicyOf(config: NodeConfig, deployment: Deployment, issuers = config.issuers): ClaimPolicy {
  const perIssuer = new Map(issuers.filter((i) => i.validity && deployment.issuers[i.name]).map((i) => [deployment.issuers[i.name]!.toLowerCase(), i.validity!]));
  return new ClaimPolicy(config.claimValidity, perIssuer);
}

/**
 * The configured document store. Kubo is asked for its version first, so a wrong URL or a stopped daemon fails the
 * start with a message naming the URL instead of the first document write.
 */
export async function openBlockstore(config: BlockstoreConfig, fsRoot: string): Promise<Blockstore> {
  if (config.type === 'fs') return FsBlockstore.open(config.path ? resolve(config.path) : fsRoot);
  const url = config.url.replace(/\/+$/, '');
  let detail: string;
  try {
    const res = await fetch(`${url}/api/v0/version`, { method: 'POST', signal: AbortSignal.timeout(Math.min(config.timeoutMs, 10_000)) });
    const body = (await res.json().catch(() => ({}))) as { Version?: unknown };
    if (res.ok && typeof body.Version === 'string') return new KuboBlockstore({ url, pin: config.pin, timeoutMs: config.timeoutMs });
    detail = `HTTP ${res.status}, not a Kubo RPC API version answer`;
  } catch (e) {
    detail = (e as Error).cause instanceof Error ? ((e as Error).cause as Error).message : (e as Error).message;
  }
  throw new Error(`blockstore.url: no Kubo RPC API at ${url} (${detail})`);
}

export async function startNode(input: NodeConfig | { overrides: Partial<NodeConfigInput>; file?: string; env?: NodeJS.ProcessEnv; screeningByDefault?: boolean }): Promise<RunningNode> {
  const config = 'overrides' in input ? loadConfig(input) : input;
  const log = config.logLevel === 'silent' ? () => {} : (m: string) => process.stderr.write(`[masque-node] ${m}\n`);
  const dir = dataDirLayout(config.dataDir);
  const blocks = await openBlockstore(config.blockstore, dir.blocks);
  const database = config.database.type === 'postgres'
    ? { type: 'postgres' as const, url: config.database.url, poolSize: config.database.poolSize }
    : { type: 'sqlite' as const, path: dir.db };
  const repos = await openRepos(database);
  let chain: EmbeddedChain | undefined;
  let rpcUrl = config.rpcUrl;
  let chainId = config.chainId;
  if (!rpcUrl) {
    chain = await startEmbeddedChain(dir, { chainId: config.chainId, durable: config.durableChain, historyBlocks: config.chainHistoryBlocks, log });
    rpcUrl = chain.rpcUrl;
  } else {
    const res = await fetch(rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
    chainId = Number(((await res.json()) as { result: string }).result);
  }
  try {
    const account = privateKeyToAccount(relayerKey(config, dir.relayerKey));
    const clients = makeClients(rpcUrl, chainId, account);
    if (chain) {
      const bal = await clients.publicClient.getBalance({ address: account.address });
      if (bal < 10n ** 20n) {
        await clients.publicClient.request({ method: 'anvil_setBalance' as never, params: [account.address, '0x56bc75e2d63100000000'] as never });
      }
    } else if ((await clients.publicClient.getBalance({ address: account.address })) === 0n) {
      throw new Error(`relayer ${account.address} has no funds on the external chain: fund it or set relayerKey`);
    }
    const cache = new ReadCache(chain ? embeddedChainHead(clients.publicClient) : () => latestHead(clients.publicClient), 50_000, config.readCache);
    const durable = async () => {
      cache.invalidate();
      await chain?.persist();
    };
    const relayer = new Relayer(clients.publicClient, clients.walletClient, durable,
      repos.dialect === 'postgres' ? databaseNonces(repos, account.address) : memoryNonces());
    // The screening operator's key comes from its own keystore (generated on embedded defaults); its ClaimIssuer is
    // deployed and trusted for the service's topics like any configured issuer, with the operator as its signer.
    const screening = screeningEnabled(config) ? await openScreeningKeys(config, log) : undefined;
    const issuers = screening ? withScreeningIssuer(config, screening.keys) : config.issuers;
    const demoKeys = demoTokenKeys(dir);
    // Replicas starting together on a fresh database: one deploys, the others wait and find its record.
    const deployment = await repos.exclusive('masque:deployment', () => ensureDeployment(clients, repos.meta, {
      requiredTopics: config.requiredTopics, issuers, demoTokenKeys: demoKeys, log,
    }));
    log(`demo token ${deployment.token} (MSQ): owner key ${demoKeys.ownerPath}, agent key ${demoKeys.agentPath}`);
    if (deployment.relayer.toLowerCase() !== account.address.toLowerCase()) {
      // The contracts trust the deploying relayer as their agent: a replica with another key could not relay.
      throw new Error(`relayerKey: this database's contracts are relayed by ${deployment.relayer}, not ${account.address}; give every replica that key (MASQUE_RELAYER_KEY)`);
    }
    await chain?.persist();
    await relayer.resync();
    const registryOwner = registryOwnerOf(config, dir);
    if (registryOwner) {
      // Under the cluster lock too: replicas starting together hand the registries over once.
      for (const m of await repos.exclusive('masque:registry-owner', () => handOverRegistries(relayer, chainId, deployment, registryOwner))) log(m);
      if (registryOwner.keyPath) log(`registry owner ${registryOwner.address}: key ${registryOwner.keyPath} (masque keys new registry-owner --private-key $(cat <that file>))`);
    } else {
      log('registryOwner not set: the relayer owns the trusted issuers and claim topics registries (set registryOwner to hand them over)');
    }
    const tokenIndex = new TokenIndexer(clients.publicClient, repos.tokens, log, config.logBlockRange);
    await tokenIndex.track(deployment.token, deployment.tokenDeployedBlock);
    const ctx = {
      config, dir, repos, blocks, clients, chainId, relayer, deployment, cache, log, tokenIndex, demoTokenOwner: demoKeys.owner,
      jobs: new JobQueue(repos, { log }),
      auth: new RequestAuthenticator(chainId, (s, n) => repos.meta.spendNonce(s, n)),
      relayerAddress: account.address,
      policy: claimPolicyOf(config, deployment, issuers),
      embeddedChain: chain ? { rpcUrl: chain.rpcUrl, persist: durable } : undefined,
    } as Omit<NodeContext, 'risk'> as NodeContext;
    // The risk service reads the context it is part of.
    ctx.risk = new RiskService(ctx);
    const settled = await settlePendingRevocations(ctx);
    if (settled) log(`settled ${settled} access revocation(s) interrupted by the last stop`);
    if (screening) {
      ctx.screening = new ScreeningService(ctx, screening.config, screening.keys, deployment.issuers[screening.config.issuerName]!);
      await ctx.screening.start();
    }
    const methods = buildMethods(ctx);
    // Spent request nonces older than any deadline can be (plus an hour of clock skew between replicas) are forgotten,
    // and so are spent UCAN invocations past their expiry.
    ctx.jobs.register(PRUNE_SPENT, async () => {
      await repos.meta.pruneNonces(Date.now() - (MAX_DEADLINE_AHEAD + 3600) * 1000);
      await repos.ucanInvocations.prune(Date.now());
    }).every(PRUNE_SPENT, 3_600_000);
    // The cap table and agents follow the head (reads catch up first anyway); one run per period across replicas.
    ctx.jobs.register(TOKEN_INDEX, () => tokenIndex.catchUpAll()).every(TOKEN_INDEX, TOKEN_INDEX_EVERY_MS);
    if (blocks instanceof KuboBlockstore && config.blockstore.type === 'kubo' && config.blockstore.pin) schedulePinAudit(ctx, blocks);
    scheduleGistMirror(ctx);
    // Background work: handlers registered by the features above; runs on every replica, each job on one of them.
    ctx.jobs.start();
    const passThrough = async (method: string, params: unknown) => {
      const res = await fetch(rpcUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
      const body = (await res.json()) as { result?: unknown; error?: unknown };
      if (method === 'eth_sendRawTransaction' && body.error === undefined) {
        // A transaction the node acknowledges is durable like its own writes (automine has mined it by now).
        await durable();
      }
      return body;
    };
    let discovery: unknown;
    const dispatcher = new RpcDispatcher({
      methods,
      discover: () => (discovery ??= openRpcDocument(methods, { version: '0.1.0', passThrough: ['eth_', 'net_', 'web3_'] })),
      passThrough,
      maxBatch: config.maxBatch,
      log,
    });
    // The dashboard (same origin as JSON-RPC): a build that does not match its sources is rebuilt or refused, loudly.
    const dashboard = await prepareDashboard({ rebuild: config.dashboardRebuild, log });
    const server = await startRpcServer(dispatcher, {
      host: config.host, port: config.port, maxBodyBytes: config.maxBodyBytes, get: dashboardHandler(dashboard),
      health: () => ({
        ok: true, chainId, relayer: account.address, cache: { hits: cache.hits, misses: cache.misses, headChecks: cache.headChecks },
        db: { engine: repos.dialect, queries: repos.stats.queries, ms: Math.round(repos.stats.ms) },
      }),
    });
    ctx.risk.start();
    log(`listening on ${server.url} (chain ${chainId}${chain ? ', embedded' : ''}, data ${config.dataDir}, blocks ${config.blockstore.type === 'kubo' ? `kubo ${config.blockstore.url}` : 'fs'}, database ${describeDatabase(database)})`);
    let stopped = false;
    return {
      url: server.url,
      port: server.port,
      ctx,
      chain,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.close();
        await ctx.jobs.stop();
        await ctx.risk.stop();
        await chain?.stop();
        await repos.close();
        await releaseZkResources();
      },
    };
  } catch (e) {
    await chain?.stop();
    await repos.close();
    throw e;
  }
}
