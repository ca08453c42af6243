// The compliance modules of a token with their current settings, read from the chain for `token_info`: each module's
// name(), then its own getters for this compliance. Country sets live in mappings the contracts cannot list and the
// embedded chain drops old logs, so every ISO 3166-1 numeric code (1-999, what the API accepts) is probed by deployless
// multicalls: the state itself, at the head, on any EVM chain. A module whose reads revert or do not decode is of
// another kind or version ("settings unknown"); a chain that cannot be reached is not: retried once, then -32006.
import { getAddress, zeroAddress, type Abi, type Address, type PublicClient } from 'viem';
import { moduleArtifacts, type ModuleName } from '../../chain/token.js';
import type { ModuleDirectory } from '../../protocol/token-calls.js';
import type { Result } from '../../protocol/api.js';
import { RpcCode, RpcError } from '../rpc/errors.js';
import { chainUnreachable, contractRefused } from './chain-errors.js';

export type ModuleInfo = Result<'token_info'>['modules'][number];
type Settings = NonNullable<ModuleInfo['settings']>;

const moduleNameAbi = [{ type: 'function', name: 'name', stateMutability: 'pure', inputs: [], outputs: [{ type: 'string' }] }] as const;
const COUNTRY_CODES = Array.from({ length: 999 }, (_, i) => i + 1);
/** Calldata bytes per deployless multicall: 150 probes of 68 bytes keep its init code under the 48 KiB cap (EIP-3860). */
const PROBE_CALLDATA = 150 * 68;

/** `modules` of `compliance`, each with its settings (null when unknown) and whether the node's setter reaches it. */
export async function readModules(r: PublicClient, compliance: Address, modules: readonly Address[], dir: ModuleDirectory): Promise<ModuleInfo[]> {
  return Promise.all(modules.map(async (address) => {
    const name = await answerOf(address, () => r.readContract({ address, abi: moduleNameAbi, functionName: 'name' }), 'unknown');
    const known = name in moduleArtifacts ? (name as ModuleName) : undefined;
    const settings = known ? await answerOf(address, () => readSettings(r, known, address, compliance), null) : null;
    const configurable = !!known && dir.modules[known]?.toLowerCase() === address.toLowerCase();
    return { address: getAddress(address), name, settings, configurable };
  }));
}

/** `read()`'s answer, `refused` when the module refuses it; a read that did not reach the chain is tried once more. */
async function answerOf<T, F>(module: Address, read: () => Promise<T>, refused: F): Promise<T | F> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if (contractRefused(e)) return refused;
      if (!chainUnreachable(e)) throw e;
      if (attempt === 2) throw new RpcError(RpcCode.UPSTREAM, 'the chain could not be reached reading a compliance module; retry', { module: getAddress(module) });
    }
  }
}

async function readSettings(r: PublicClient, module: ModuleName, address: Address, compliance: Address): Promise<Settings> {
  const abi = moduleArtifacts[module].abi as Abi;
  const read = <T>(functionName: string) => r.readContract({ address, abi, functionName, args: [compliance] }) as Promise<T>;
  /** `functionName(compliance, code)` for every code (7 eth_calls, one HTTP request); `where` picks the codes whose answer passes. */
  const byCountry = async <T>(functionName: string) => {
    const out = (await r.multicall({
      contracts: COUNTRY_CODES.map((c) => ({ address, abi, functionName, args: [compliance, c] })), allowFailure: false, deployless: true, batchSize: PROBE_CALLDATA,
    })) as T[];
    return (keep: (v: T) => boolean) => COUNTRY_CODES.filter((_, i) => keep(out[i]!));
  };
  const registry = (a: Address) => (a === zeroAddress ? null : a);
  switch (module) {
    case 'CountryAllowModule':
      return { module, allowedCountries: (await byCountry<boolean>('isCountryAllowed'))((v) => v) };
    case 'CountryRestrictModule':
      return { module, restrictedCountries: (await byCountry<boolean>('isCountryRestricted'))((v) => v) };
    case 'MaxBalanceModule':
      return { module, maxBalance: (await read<bigint>('getMaxBalance')).toString() };
    case 'MaxRiskScoreModule': {
      const [riskRegistry, maxScore, allowUnscored] = await read<[Address, number, boolean]>('getRiskLimit');
      return { module, riskRegistry: registry(riskRegistry), maxScore, allowUnscored };
    }
    case 'JurisdictionModule': {
      const [[topic, allowListOnly], where] = await Promise.all([read<[bigint, boolean]>('getJurisdictionRules'), byCountry<number>('jurisdictionStatus')]);
      return { module, topic: Number(topic), allowListOnly, allowedCountries: where((v) => v === 1), blockedCountries: where((v) => v === 2) };
    }
    case 'FreshKycModule': {
      const [riskRegistry, scoreAbove, maxAgeSeconds, topic] = await read<[Address, number, number, number]>('getFreshKycRule');
      return { module, riskRegistry: registry(riskRegistry), scoreAbove, maxAgeSeconds, topic };
    }
  }
}
