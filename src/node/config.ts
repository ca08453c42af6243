// Node configuration: defaults < config file (JSON) < environment variables. Validated with zod so a typo in
// the file names the field instead of failing later.
import { readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { validityOverridesSchema } from './claim-policy.js';
import { screeningConfigSchema } from './compliance/config.js';

const hex32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hex private key');
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address');

export const issuerConfigSchema = z.strictObject({
  /** Label for logs and the CLI. */
  name: z.string().min(1),
  /** Wallet that signs this issuer's claims and reviews (gets the claim-signer key of its ClaimIssuer). */
  signer: address,
  /** Claim topics the issuer is trusted for. */
  topics: z.array(z.number().int().positive()).min(1),
  /** The provider's ML-KEM-768 did:key applicants seal their documents for (published by node_info). */
  encryptionDid: z.string().regex(/^did:key:z[1-9A-HJ-NP-Za-km-z]+$/, 'expected a did:key').optional(),
  /** This issuer's own validity limits per topic (over `claimValidity`), e.g. `{ "1": { "maxValidity": "6mo" } }`. */
  validity: validityOverridesSchema.optional(),
});

/** http(s) URL of a Kubo RPC API (its admin port: keep it on loopback or a private network). */
const kuboUrl = z.string().url('expected the http(s) URL of a Kubo RPC API, e.g. http://127.0.0.1:5001').refine((u) => {
  try {
    const url = new URL(u);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}, 'expected the http(s) URL of a Kubo RPC API (scheme, host, optional port and path; no query), e.g. http://127.0.0.1:5001');

/** Where encrypted documents are stored: the data directory (default) or a Kubo (IPFS) node's RPC API. */
export const blockstoreConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('fs'),
    /** The folder; default <dataDir>/blocks. Node replicas share one (a network file system) or use Kubo. */
    path: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('kubo'),
    url: kuboUrl,
    /** Pin every block so Kubo's garbage collector keeps it (default true). */
    pin: z.boolean().default(true),
    timeoutMs: z.number().int().positive().default(30_000),
  }),
], { error: (i) => (i.code === 'invalid_union' ? 'expected type "fs" or "kubo"' : undefined) });

/** postgres:// or postgresql:// URL (libpq form: user, password, host, port, database, ?sslmode=...). */
const postgresUrl = z.string().refine((u) => {
  try {
    const url = new URL(u);
    // A host, or libpq's ?host=/path of a Unix socket directory.
    return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && (url.hostname !== '' || url.searchParams.has('host'));
  } catch {
    return false;
  }
}, 'expected a postgres:// or postgresql:// URL with a host, e.g. postgresql://masque@db.internal:5432/masque');

/** Off-chain state: SQLite in the data directory (default) or a PostgreSQL server shared by the node's replicas. */
export const databaseConfigSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('sqlite') }),
  z.strictObject({
    type: z.literal('postgres'),
    url: postgresUrl,
    /** Connections this node process keeps to the server. */
    poolSize: z.number().int().positive().max(1000).default(10),
  }),
], { error: (i) => (i.code === 'invalid_union' ? 'expected type "sqlite" or "postgres"' : undefined) });
export const riskConfigSchema = z.strictObject({
  /** Wallets that read every explanation, import country tables and ask for recomputes (the risk operator). */
  operators: z.array(address).default([]),
  /** Wallets of regulators granted reading explanations (scores and factors; never the inputs' documents). */
  regulators: z.array(address).default([]),
  /** Transfer and registry events are indexed and touched identities rescored every `intervalMs` (0: only on request). */
  intervalMs: z.number().int().min(0).default(2_000),
  /** Every identity's facts are re-read from the chain and rescored this often (claims expire with time). */
  fullRefreshMs: z.number().int().min(1_000).default(3_600_000),
  /** Onboarding refuses a country that no JURISDICTION claim of a trusted issuer attests (with its opening). */
  requireAttestedJurisdiction: z.boolean().default(false),
  /** Model overrides (src/risk riskModel): weights, bands, kyc, entityTypes, activity (e.g. structuringLimit). */
  model: z.record(z.string(), z.unknown()).default({}),
  /** Blocks per eth_getLogs call of the indexer. */
  logChunk: z.number().int().min(1).default(5_000),
});

export const configSchema = z.strictObject({
  /** Where the node keeps SQLite, documents, keys and (embedded) chain state. */
  dataDir: z.string().min(1),
  host: z.string().default('127.0.0.1'),
  port: z.number().int().min(0).max(65535).default(8546),
  /** External chain; absent = embedded anvil started and stopped by the node. */
  rpcUrl: z.string().url().optional(),
  /** Chain id of the embedded chain. */
  chainId: z.number().int().positive().default(31337),
  /** Relayer key paying gas; absent = generated once into the data directory (embedded chain funds it). */
  relayerKey: hex32.optional(),
  /**
   * Owner of the node's TrustedIssuersRegistry and ClaimTopicsRegistry: the wallet that trusts issuers and sets the
   * required topics at run time (id_addTrustedIssuer, id_setClaimTopics) by signed calls the node relays. Absent on
   * the embedded chain: a key generated into <dataDir>/keys/registry-owner.key. Absent on an external chain: the
   * relayer keeps them (set it, or nobody but the relayer's key can change them).
   */
  registryOwner: address.optional(),
  /** Issuers deployed and trusted on first start (idempotent; trusted only while the registries are not handed over yet). */
  issuers: z.array(issuerConfigSchema).default([]),
  /**
   * Validity policy per topic over the defaults (KYC 12 months, AML 30 days, ...: src/node/claim-policy.ts), e.g.
   * `{ "2": { "maxValidity": "14d" }, "9": { "maxValidity": null, "neverExpires": true } }`.
   */
  claimValidity: validityOverridesSchema.default({}),
  /** Claim topics required by the identity registry (isVerified). */
  requiredTopics: z.array(z.number().int().positive()).default([1]),
  maxBodyBytes: z.number().int().positive().default(16 * 1024 * 1024),
  maxBatch: z.number().int().positive().default(100),
  /** Embedded chain: dump state after each acknowledged write (the kill -9 guarantee). */
  durableChain: z.boolean().default(true),
  /**
   * Embedded chain: blocks of history (blocks, transactions, receipts) kept beyond the state itself; older ones are
   * dropped (transactions as the chain grows, block headers at the next start). 0 keeps everything.
   */
  chainHistoryBlocks: z.number().int().min(0).default(256),
  /**
   * Blocks per eth_getLogs call of the node's queries from block 0 (the identities a wallet manages: ERC-734 KeyAdded),
   * split into ranges this long because providers refuse longer ones (10,000 or less is common); anvil answers any.
   */
  logBlockRange: z.number().int().min(1).default(5_000),
  logLevel: z.enum(['silent', 'info', 'debug']).default('info'),
  /**
   * Seconds a document-read UCAN invocation may still be valid for when presented (exp - now): invocations are
   * single-use and made per request, so minutes suffice; a leaked one is worth no more. Delegations keep their expiry.
   */
  maxInvocationLifetime: z.number().int().min(1).max(24 * 3600).default(300),
  /** Block-scoped cache of chain reads (off: every read goes to the chain). */
  readCache: z.boolean().default(true),
  /** Document blocks: `{ "type": "fs" }` (<dataDir>/blocks, or `path`) or `{ "type": "kubo", "url": "http://127.0.0.1:5001" }`. */
  blockstore: blockstoreConfigSchema.default({ type: 'fs' }),
  /** Off-chain state: `{ "type": "sqlite" }` (<dataDir>/node.db) or `{ "type": "postgres", "url": "postgresql://..." }`. */
  database: databaseConfigSchema.default({ type: 'sqlite' }),
  /** A dashboard build older than its sources is rebuilt at start (false: refused with a 503 page instead). */
  dashboardRebuild: z.boolean().default(true),
  /** The continuous compliance (screening) service inside this node: src/node/compliance/config.ts. */
  screening: screeningConfigSchema.optional(),
  /** The risk engine (src/node/risk): who reads explanations and imports tables, how often it looks at the chain. */
  risk: riskConfigSchema.default(riskConfigSchema.parse({})),
});

export type NodeConfig = z.output<typeof configSchema>;
export type NodeConfigInput = z.input<typeof configSchema>;
export type IssuerConfig = z.output<typeof issuerConfigSchema>;
export type BlockstoreConfig = z.output<typeof blockstoreConfigSchema>;
export type DatabaseChoice = z.output<typeof databaseConfigSchema>;

const ENV: Record<string, { key: keyof NodeConfigInput; parse: (v: string) => unknown }> = {
  MASQUE_DATA_DIR: { key: 'dataDir', parse: (v) => v },
  MASQUE_HOST: { key: 'host', parse: (v) => v },
  MASQUE_PORT: { key: 'port', parse: Number },
  MASQUE_RPC_URL: { key: 'rpcUrl', parse: (v) => v },
  MASQUE_CHAIN_ID: { key: 'chainId', parse: Number },
  MASQUE_RELAYER_KEY: { key: 'relayerKey', parse: (v) => v },
  MASQUE_ISSUERS: { key: 'issuers', parse: (v) => JSON.parse(v) },
  MASQUE_REGISTRY_OWNER: { key: 'registryOwner', parse: (v) => v },
  MASQUE_LOG_LEVEL: { key: 'logLevel', parse: (v) => v },
  MASQUE_MAX_INVOCATION_LIFETIME: { key: 'maxInvocationLifetime', parse: Number },
  MASQUE_READ_CACHE: { key: 'readCache', parse: (v) => !['0', 'false', 'off'].includes(v) },
  MASQUE_CHAIN_HISTORY_BLOCKS: { key: 'chainHistoryBlocks', parse: Number },
  MASQUE_LOG_BLOCK_RANGE: { key: 'logBlockRange', parse: Number },
  MASQUE_DASHBOARD_REBUILD: { key: 'dashboardRebuild', parse: (v) => !['0', 'false', 'off'].includes(v) },
};

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * An object field `{ type, url, ... }` refined by two environment variables: the type, and the URL (which alone
 * implies the remote type); the file's other fields stay. Undefined when neither variable is set.
 */
function refineFromEnv(fromFile: unknown, typeVar: string | undefined, urlVar: string | undefined, types: { local: string; remote: string }): unknown {
  const type = typeVar || undefined;
  const url = urlVar || undefined;
  if (type === undefined && url === undefined) return undefined;
  const base = (typeof fromFile === 'object' && fromFile !== null ? fromFile : {}) as Record<string, unknown>;
  const t = type ?? base.type ?? (url !== undefined ? types.remote : types.local);
  return t === types.remote ? { ...base, type: t, ...(url !== undefined ? { url } : {}) } : { type: t };
}

/** Loads the config: `file` (or $MASQUE_CONFIG, or <dataDir>/config.json when it exists), then env, then overrides. */
export function loadConfig(opts: { file?: string; env?: NodeJS.ProcessEnv; overrides?: Partial<NodeConfigInput>; screeningByDefault?: boolean } = {}): NodeConfig {
  const env = opts.env ?? process.env;
  const fromEnv: Record<string, unknown> = {};
  for (const [name, { key, parse }] of Object.entries(ENV)) {
    const v = env[name];
    if (v !== undefined && v !== '') fromEnv[key] = parse(v);
  }
  const dataDirGuess = (opts.overrides?.dataDir ?? fromEnv.dataDir ?? join(homedir(), '.masque', 'node')) as string;
  const file = opts.file ?? env.MASQUE_CONFIG ?? (existsSync(join(dataDirGuess, 'config.json')) ? join(dataDirGuess, 'config.json') : undefined);
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (e) {
      throw new ConfigError(`cannot read config file ${file}: ${(e as Error).message}`);
    }
  }
  // MASQUE_BLOCKSTORE (fs | kubo) and MASQUE_KUBO_URL refine the file's blockstore object field by field; so do
  // MASQUE_DATABASE (sqlite | postgres) and MASQUE_DATABASE_URL the database object.
  const blockstore = refineFromEnv(fromFile.blockstore, env.MASQUE_BLOCKSTORE, env.MASQUE_KUBO_URL, { local: 'fs', remote: 'kubo' });
  if (blockstore) fromEnv.blockstore = blockstore;
  const database = refineFromEnv(fromFile.database, env.MASQUE_DATABASE, env.MASQUE_DATABASE_URL, { local: 'sqlite', remote: 'postgres' });
  if (database) fromEnv.database = database;
  // MASQUE_SCREENING=on|off switches the screening service over the file's `screening` object; `npm start`
  // (screeningByDefault) runs it with defaults on an embedded chain unless configured otherwise.
  const sw = env.MASQUE_SCREENING || undefined;
  const fileScreening = (typeof fromFile.screening === 'object' && fromFile.screening !== null ? fromFile.screening : undefined) as Record<string, unknown> | undefined;
  if (sw !== undefined) fromEnv.screening = { ...fileScreening, enabled: !['0', 'false', 'off'].includes(sw) };
  else if (opts.screeningByDefault && !fileScreening && !opts.overrides?.screening) fromEnv.screening = {};
  const merged = { dataDir: dataDirGuess, ...fromFile, ...fromEnv, ...opts.overrides };
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`config: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return { ...parsed.data, dataDir: resolve(parsed.data.dataDir) };
}
