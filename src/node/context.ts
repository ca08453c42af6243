import type { Address } from 'viem';
import type { NodeConfig } from './config.js';
import type { DataDir } from './datadir.js';
import type { Repos } from './db/index.js';
import type { Blockstore } from '../storage/index.js';
import type { Clients } from './chain/clients.js';
import type { Relayer } from './chain/relayer.js';
import type { Deployment } from './chain/deploy.js';
import type { RequestAuthenticator } from './auth.js';
import type { ReadCache } from './cache.js';
import type { ClaimPolicy } from './claim-policy.js';
import type { JobQueue } from './jobs/index.js';
import type { ScreeningService } from './compliance/service.js';
import type { RiskService } from './risk/service.js';
import type { TokenIndexer } from './methods/token-index.js';
import type { PrivateKeyAccount } from 'viem/accounts';

/** Everything a method handler may use; built once by startNode. */
export interface NodeContext {
  config: NodeConfig;
  dir: DataDir;
  repos: Repos;
  /** Document blocks: FsBlockstore in the data directory, or KuboBlockstore (config `blockstore`). */
  blocks: Blockstore;
  clients: Clients;
  chainId: number;
  relayer: Relayer;
  deployment: Deployment;
  auth: RequestAuthenticator;
  cache: ReadCache;
  /** Durable background work, exactly once across replicas (src/node/jobs): register handlers, enqueue, every. */
  jobs: JobQueue;
  /** Transfer and role events of the token suites the node serves, folded into the database. */
  tokenIndex: TokenIndexer;
  /** The demo token's owner key (in the data directory): grants roles on that token only, e.g. FREEZER to screening. */
  demoTokenOwner: PrivateKeyAccount;
  /** Relayer address, lowercased, for "is the node a key here" checks. */
  relayerAddress: Address;
  /** Claim validity per topic and issuer: every issuance and renewal the node relays is checked against it. */
  policy: ClaimPolicy;
  /** Risk scores: indexing, facts, rescoring, band writes (src/node/risk). */
  risk: RiskService;
  log: (msg: string) => void;
  /** The continuous compliance service, when this node runs it (config `screening`; src/node/compliance). */
  screening?: ScreeningService;
  /** The embedded chain (absent on an external one): its RPC URL (node_info) and its durability barrier. */
  embeddedChain?: { rpcUrl: string; persist: () => Promise<void> };
}
