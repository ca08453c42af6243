// First-start deployment of the token side: one shared instance of each compliance module, the TokenFactory with its
// templates, and the demo token's suite, deployed through the factory like any issuer's, for an owner and an agent that
// are not the relayer (demo keys written into the data directory). Recorded with the rest of the deployment
// (deploy.ts). Issuers deploy their own tokens with token_deploy.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFunctionData, keccak256, toHex, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { claimTopicsRegistryAbi, identityRegistryStorageAbi } from '../../chain/artifacts/index.js';
import { AGENT_ROLES, roleBits, signedCallTypedData } from '../../chain/roles.js';
import { deploySuite, deployTokenFactory, predictSuite, signCall, suiteTypedData, type Suite, type SuiteParams } from '../../chain/suite.js';
import { deployModule } from '../../chain/token.js';
import { MODULE_NAMES, moduleKey } from '../../protocol/token-calls.js';
import { writeFileDurable, type DataDir } from '../datadir.js';
import type { Clients } from './clients.js';
import type { Relayer } from './relayer.js';

export interface TokenDeployment {
  tokenFactory: Address;
  /** One shared instance of each compliance module (a module keeps one configuration per compliance). */
  countryAllowModule: Address;
  countryRestrictModule: Address;
  maxBalanceModule: Address;
  maxRiskScoreModule: Address;
  jurisdictionModule: Address;
  freshKycModule: Address;
  /** The default token's suite. */
  token: Address;
  compliance: Address;
  tokenIdentityRegistry: Address;
  tokenTrustedIssuersRegistry: Address;
  tokenClaimTopicsRegistry: Address;
  tokenOnchainID: Address;
  /** Block of the default suite's deployment (its index starts there). */
  tokenDeployedBlock: number;
}

/** The demo token's owner and agent: keys the node writes into `<dataDir>/keys/` on first start (and prints). */
export interface DemoTokenKeys { owner: PrivateKeyAccount; agent: Address; ownerPath: string; agentPath: string }

export function demoTokenKeys(dir: DataDir): DemoTokenKeys {
  const keyOf = (name: string) => {
    const path = join(dir.root, 'keys', `${name}.key`);
    if (!existsSync(path)) writeFileDurable(path, generatePrivateKey(), 0o600);
    return { path, account: privateKeyToAccount(readFileSync(path, 'utf8').trim() as Hex) };
  };
  const owner = keyOf('demo-owner');
  const agent = keyOf('demo-agent');
  return { owner: owner.account, agent: agent.account.address, ownerPath: owner.path, agentPath: agent.path };
}

/**
 * Deploys the modules, the factory and the demo token's suite through the factory like any issuer's: the owner signs
 * the suite (the node holds this demo key only to sign it once), the relayer submits it and keeps no role. The suite is
 * bound to the identity stack's storage (investors registered through the node are the token's investors too; the
 * relayer owns that storage and signs the binding), requires `requiredTopics` from `issuers`, and its agent holds every
 * agent role.
 */
export async function deployTokenSide(
  c: Clients,
  p: {
    identityFactory: Address; identityRegistryStorage: Address; requiredTopics: number[];
    issuers: { address: Address; topics: number[] }[]; keys: DemoTokenKeys;
  },
): Promise<TokenDeployment> {
  const wallet = c.walletClient;
  const reader = c.publicClient;
  const modules: Record<string, Address> = {};
  for (const name of MODULE_NAMES) modules[moduleKey(name)] = await deployModule(wallet, reader, name);
  const tokenFactory = await deployTokenFactory(wallet, reader, { identityFactory: p.identityFactory });
  const params: SuiteParams = {
    owner: p.keys.owner.address, salt: keccak256(toHex('masque demo token')), name: 'Masque Security', symbol: 'MSQ', decimals: 18,
    createOnchainID: true, identityRegistryStorage: p.identityRegistryStorage,
    claimTopics: p.requiredTopics.map(BigInt),
    issuers: p.issuers.map((i) => ({ issuer: i.address, topics: i.topics.map(BigInt) })),
    modules: [],
    agents: [{ account: p.keys.agent, roles: roleBits(AGENT_ROLES) }],
  };
  const predicted = await predictSuite(reader, tokenFactory, { owner: params.owner, salt: params.salt, ownStorage: false, createOnchainID: true });
  const deadline = (await reader.getBlock()).timestamp + 600n;
  const authorization = { deadline, signature: await p.keys.owner.signTypedData(suiteTypedData({ chainId: c.chain.id, factory: tokenFactory, params, deadline })) };
  // The relayer owns the identity stack (and its storage): it binds the new registry there.
  const relayer = { signTypedData: (args: ReturnType<typeof signedCallTypedData>) => wallet.signTypedData({ ...args, account: wallet.account }) };
  const binding = await signCall(relayer, {
    chainId: c.chain.id, contract: p.identityRegistryStorage, deadline,
    data: encodeFunctionData({ abi: identityRegistryStorageAbi, functionName: 'bindIdentityRegistry', args: [predicted.identityRegistry] }),
  });
  const { suite, receipt } = await deploySuite(wallet, reader, tokenFactory, params, { authorization, binding });
  return suiteRecord(suite, { tokenFactory, modules, tokenDeployedBlock: Number(receipt.blockNumber) });
}

function suiteRecord(s: Suite, rest: { tokenFactory: Address; modules: Record<string, Address>; tokenDeployedBlock: number }): TokenDeployment {
  return {
    tokenFactory: rest.tokenFactory,
    ...(rest.modules as Pick<TokenDeployment, 'countryAllowModule' | 'countryRestrictModule' | 'maxBalanceModule' | 'maxRiskScoreModule' | 'jurisdictionModule' | 'freshKycModule'>),
    tokenDeployedBlock: rest.tokenDeployedBlock,
    token: s.token,
    compliance: s.compliance,
    tokenIdentityRegistry: s.identityRegistry,
    tokenTrustedIssuersRegistry: s.trustedIssuersRegistry,
    tokenClaimTopicsRegistry: s.claimTopicsRegistry,
    tokenOnchainID: s.onchainID,
  };
}

/** The demo token's agent key (every agent role), from the data directory. */
export function demoTokenAgent(dir: DataDir): PrivateKeyAccount {
  return privateKeyToAccount(readFileSync(join(dir.root, 'keys', 'demo-agent.key'), 'utf8').trim() as Hex);
}

/**
 * The demo token's owner sets the claim topics its holders need, by a signed call on the token's claim topics registry
 * (relayed, like any issuer's change on its own suite). For demos and tests of the embedded defaults.
 */
export async function requireDemoTokenTopics(
  ctx: { chainId: number; deployment: TokenDeployment; demoTokenOwner: PrivateKeyAccount; relayer: Relayer; clients: Clients }, topics: number[],
) {
  const contract = ctx.deployment.tokenClaimTopicsRegistry;
  const data = encodeFunctionData({ abi: claimTopicsRegistryAbi, functionName: 'setClaimTopics', args: [topics.map(BigInt)] });
  const deadline = (await ctx.clients.publicClient.getBlock()).timestamp + 600n;
  const c = await signCall(ctx.demoTokenOwner, { chainId: ctx.chainId, contract, data, deadline });
  return ctx.relayer.write({ address: contract, abi: claimTopicsRegistryAbi, functionName: 'executeSigned', args: [data, c.nonce, c.deadline, c.signature] });
}
