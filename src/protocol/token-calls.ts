// The contract calls behind the node's token_ writes, rebuilt from a method's params by the node (before it relays
// them) and by the SDK (which signs them): each write is one or more EIP-712 `SignedCall`s (src/chain/roles.ts), one per
// suite contract it touches, relayed through that contract's `executeSigned`. No zod and nothing Node-only: runs in a
// browser.
import { encodeFunctionData, type Address, type Hex } from 'viem';
import { roleBits, rolesByContract, signedCallTypedData, type RoleName, type SuiteContract } from '../chain/roles.js';
import { moduleCall, type ModuleName } from '../chain/token.js';
import { suiteContractAbis, type SuiteParams } from '../chain/suite.js';

/** The contracts of a token's suite, as `token_info` reads them from the token. */
export interface SuiteAddresses {
  token: Address;
  identityRegistry: Address;
  identityRegistryStorage: Address;
  compliance: Address;
  trustedIssuersRegistry: Address;
  claimTopicsRegistry: Address;
}

export { suiteContractAbis };

/** The compliance modules the node deploys (one shared instance each), by name. */
export const MODULE_NAMES = ['CountryAllowModule', 'CountryRestrictModule', 'MaxBalanceModule', 'MaxRiskScoreModule', 'JurisdictionModule', 'FreshKycModule'] as const satisfies readonly ModuleName[];

/** One configuration call of a module; each kind is one function of one module. */
export type ModuleSetting =
  | { kind: 'allowCountries' | 'disallowCountries' | 'restrictCountries' | 'unrestrictCountries'; countries: number[] }
  | { kind: 'maxBalance'; amount: string }
  | { kind: 'riskLimit'; maxScore: number; allowUnscored: boolean; riskRegistry?: Address }
  | { kind: 'jurisdictionRules'; allowListOnly: boolean; topic?: number }
  | { kind: 'jurisdictions'; countries: number[]; status: JurisdictionStatus }
  | { kind: 'freshKyc'; scoreAbove: number; maxAgeDays: number; topic?: number; riskRegistry?: Address };

/** A country's status in a JurisdictionModule: on-chain 0, 1, 2. */
export const JURISDICTION_STATUSES = ['none', 'allowed', 'blocked'] as const;
export type JurisdictionStatus = (typeof JURISDICTION_STATUSES)[number];

const SETTING_FUNCTIONS: Record<ModuleSetting['kind'], [ModuleName, string]> = {
  allowCountries: ['CountryAllowModule', 'batchAllowCountries'],
  disallowCountries: ['CountryAllowModule', 'batchDisallowCountries'],
  restrictCountries: ['CountryRestrictModule', 'batchRestrictCountries'],
  unrestrictCountries: ['CountryRestrictModule', 'batchUnrestrictCountries'],
  maxBalance: ['MaxBalanceModule', 'setMaxBalance'],
  riskLimit: ['MaxRiskScoreModule', 'setRiskLimit'],
  jurisdictionRules: ['JurisdictionModule', 'setJurisdictionRules'],
  jurisdictions: ['JurisdictionModule', 'setJurisdictions'],
  freshKyc: ['FreshKycModule', 'setFreshKycRule'],
};

/** The module a setting configures. */
export function settingModule(s: ModuleSetting): ModuleName {
  return SETTING_FUNCTIONS[s.kind][0];
}

/** Addresses the node knows: its module instances and risk score registry (a `riskLimit` without one uses it). */
export interface ModuleDirectory {
  modules: Record<ModuleName, Address>;
  riskScoreRegistry: Address;
}

/** The calldata `callModuleFunction` runs on the setting's module. */
export function settingCall(s: ModuleSetting, dir: ModuleDirectory): { module: Address; data: Hex } {
  const [name, fn] = SETTING_FUNCTIONS[s.kind];
  const args = s.kind === 'maxBalance' ? [BigInt(s.amount)]
    : s.kind === 'riskLimit' ? [s.riskRegistry ?? dir.riskScoreRegistry, s.maxScore, s.allowUnscored]
    : s.kind === 'jurisdictionRules' ? [BigInt(s.topic ?? 9), s.allowListOnly]
    : s.kind === 'jurisdictions' ? [s.countries, JURISDICTION_STATUSES.indexOf(s.status)]
    : s.kind === 'freshKyc' ? [s.riskRegistry ?? dir.riskScoreRegistry, s.scoreAbove, s.maxAgeDays * 86_400, s.topic ?? 1]
    : [s.countries];
  return { module: dir.modules[name], data: moduleCall(name, fn, args) };
}

/** The node's module instances and risk registry, from `node_info.contracts` (e.g. `countryAllowModule`). */
export function moduleDirectory(contracts: Record<string, string>): ModuleDirectory {
  const modules = Object.fromEntries(MODULE_NAMES.map((n) => [n, contracts[moduleKey(n)]])) as Record<ModuleName, Address>;
  return { modules, riskScoreRegistry: contracts.riskScoreRegistry as Address };
}

/** The `node_info.contracts` key of a module: its name in camel case (`CountryAllowModule` -> `countryAllowModule`). */
export function moduleKey(name: ModuleName): string {
  return name[0]!.toLowerCase() + name.slice(1);
}

/** A module named (one of the node's) or given by address (any IModule, e.g. T-REX's). */
export function moduleAddress(m: string, dir: ModuleDirectory): Address {
  return (m.startsWith('0x') ? m : dir.modules[m as ModuleName]) as Address;
}

export type AgentRoleName = Exclude<RoleName, 'AGENT'>;

/** token_deploy's params (validated by its schema) as TokenFactory's SuiteParams. */
export interface DeployRequest {
  owner: Address;
  salt: Hex;
  name: string;
  symbol: string;
  decimals?: number;
  onchainID?: Address;
  createOnchainID?: boolean;
  identityRegistryStorage?: Address;
  claimTopics?: number[];
  trustedIssuers?: { issuer: Address; topics: number[] }[];
  modules?: { module: string; settings?: ModuleSetting[] }[];
  agents?: { address: Address; roles: AgentRoleName[] }[];
}

export function suiteParamsOf(p: DeployRequest, dir: ModuleDirectory): SuiteParams {
  return {
    owner: p.owner,
    salt: p.salt,
    name: p.name,
    symbol: p.symbol,
    decimals: p.decimals ?? 0,
    onchainID: p.onchainID,
    createOnchainID: p.createOnchainID ?? p.onchainID === undefined,
    identityRegistryStorage: p.identityRegistryStorage,
    claimTopics: (p.claimTopics ?? []).map(BigInt),
    issuers: (p.trustedIssuers ?? []).map((i) => ({ issuer: i.issuer, topics: i.topics.map(BigInt) })),
    modules: (p.modules ?? []).map((m) => ({ module: moduleAddress(m.module, dir), settings: (m.settings ?? []).map((s) => settingCall(s, dir).data) })),
    agents: (p.agents ?? []).map((a) => ({ account: a.address, roles: roleBits(a.roles) })),
  };
}

/** The token_ writes relayed as signed calls on the token's suite. */
export const TOKEN_CALL_METHODS = [
  'token_transfer', 'token_mint', 'token_batchMint', 'token_burn', 'token_pause', 'token_unpause', 'token_freeze', 'token_unfreeze',
  'token_forcedTransfer', 'token_recover', 'token_setCompliance', 'token_addAgent', 'token_removeAgent', 'token_registerInvestor',
] as const;
export type TokenCallMethod = (typeof TOKEN_CALL_METHODS)[number];

export function isTokenCallMethod(m: string): m is TokenCallMethod {
  return (TOKEN_CALL_METHODS as readonly string[]).includes(m);
}

/** One signed call of a write: the suite contract that runs it and the calldata of its own function. */
export interface TokenCall { contract: SuiteContract; to: Address; data: Hex }

const on = (suite: SuiteAddresses, contract: SuiteContract, functionName: string, args: readonly unknown[]): TokenCall => ({
  contract, to: suite[contract], data: encodeFunctionData({ abi: suiteContractAbis[contract], functionName, args } as never),
});

/** The calls `method` makes with params `p` on `suite`, in the order the node relays them. */
export function tokenCalls(method: TokenCallMethod, p: Record<string, unknown>, suite: SuiteAddresses, dir: ModuleDirectory): TokenCall[] {
  const n = (v: unknown) => BigInt(v as string);
  switch (method) {
    case 'token_transfer': return [on(suite, 'token', 'transfer', [p.to, n(p.amount)])];
    case 'token_mint': return [on(suite, 'token', 'mint', [p.to, n(p.amount)])];
    case 'token_batchMint': {
      const list = p.recipients as { to: Address; amount: string }[];
      return [on(suite, 'token', 'batchMint', [list.map((r) => r.to), list.map((r) => n(r.amount))])];
    }
    case 'token_burn': return [on(suite, 'token', 'burn', [p.from, n(p.amount)])];
    case 'token_pause': return [on(suite, 'token', 'pause', [])];
    case 'token_unpause': return [on(suite, 'token', 'unpause', [])];
    case 'token_freeze':
      return [p.amount === undefined ? on(suite, 'token', 'setAddressFrozen', [p.wallet, true]) : on(suite, 'token', 'freezePartialTokens', [p.wallet, n(p.amount)])];
    case 'token_unfreeze':
      return [p.amount === undefined ? on(suite, 'token', 'setAddressFrozen', [p.wallet, false]) : on(suite, 'token', 'unfreezePartialTokens', [p.wallet, n(p.amount)])];
    case 'token_forcedTransfer': return [on(suite, 'token', 'forcedTransfer', [p.from, p.to, n(p.amount)])];
    case 'token_recover': return [on(suite, 'token', 'recoveryAddress', [p.lostWallet, p.newWallet, p.identity])];
    case 'token_registerInvestor': return [on(suite, 'identityRegistry', 'registerIdentity', [p.wallet, p.identity, p.country])];
    case 'token_setCompliance': {
      if (p.action === 'configure') {
        const c = settingCall(p.setting as ModuleSetting, dir);
        return [on(suite, 'compliance', 'callModuleFunction', [c.data, c.module])];
      }
      return [on(suite, 'compliance', p.action === 'add' ? 'addModule' : 'removeModule', [moduleAddress(p.module as string, dir)])];
    }
    case 'token_addAgent':
    case 'token_removeAgent':
      return rolesByContract(p.roles as AgentRoleName[]).map((g) =>
        on(suite, g.contract, method === 'token_addAgent' ? 'grantRoles' : 'revokeRoles', [p.agent, g.roles]));
  }
}

/** The typed data a role holder signs for one call (nonce: any unused 32-byte value). */
export function tokenCallTypedData(chainId: number, call: TokenCall, e: { nonce: Hex; deadline: number }) {
  return signedCallTypedData({ chainId, contract: call.to, data: call.data, nonce: BigInt(e.nonce), deadline: BigInt(e.deadline) });
}
