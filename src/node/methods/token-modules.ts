// The compliance modules of a token with their current settings, read from the chain for `token_info`: each module's
// name(), then its own getters for this compliance. Country sets live in mappings the contracts cannot list and the
// embedded chain drops old logs, so every ISO 3166-1 numeric code (1-999, what the API accepts) is probed: the state
// itself, at the head, on any EVM chain, in one eth_call per list (COUNTRY_PROBE). A module whose reads revert or do
// not decode is of another kind or version ("settings unknown"); a chain that cannot be reached is not: retried once,
// then -32006.
import { concat, ContractFunctionZeroDataError, getAddress, hexToBytes, pad, toFunctionSelector, zeroAddress, type Abi, type Address, type Hex, type PublicClient } from 'viem';
import { moduleArtifacts, type ModuleName } from '../../chain/token.js';
import type { ModuleDirectory } from '../../protocol/token-calls.js';
import type { Result } from '../../protocol/api.js';
import { RpcCode, RpcError } from '../rpc/errors.js';
import { chainUnreachable, contractRefused } from './chain-errors.js';

export type ModuleInfo = Result<'token_info'>['modules'][number];
type Settings = NonNullable<ModuleInfo['settings']>;

const moduleNameAbi = [{ type: 'function', name: 'name', stateMutability: 'pure', inputs: [], outputs: [{ type: 'string' }] }] as const;
const COUNTRY_CODES = Array.from({ length: 999 }, (_, i) => i + 1);

/**
 * Init code run by a contract-creation eth_call (nothing is deployed) with three words appended: module, compliance,
 * selector. It staticcalls `selector(compliance, code)` on the module for codes 1..999 and returns one byte per code
 * (the answer: a bool, or a small status); it reverts if any call reverts, answers less than a word, or answers more
 * than a byte can hold. 999 calls in the EVM instead of ~68 KB of multicall calldata and 7 round trips. Gas: ~2.6M
 * (a cold SLOAD per code), under the usual eth_call caps.
 */
const COUNTRY_PROBE = '0x'
  + '6060' + '606038' + '03' + '610500' + '39' // codecopy(0x500, codesize - 0x60, 0x60): the three words
  + '610540' + '51' + '600052' // mstore(0, selector)
  + '610520' + '51' + '600452' // mstore(4, compliance)
  + '6001' // code = 1
  + '5b' // 0x1a: loop
  + '80' + '602452' // mstore(0x24, code)
  + '6020' + '6060' + '6044' + '6000' + '610500' + '51' + '5a' + 'fa' // staticcall(gas, module, 0, 0x44, 0x60, 0x20)
  + '15' + '61005c' + '57' // reverted: fail
  + '6020' + '3d' + '10' + '61005c' + '57' // returndatasize < 32: fail
  + '606051' + '80' + '60ff' + '10' + '61005c' + '57' // answer > 0xff: fail
  + '81' + '60ff' + '01' + '53' // mstore8(0xff + code, answer)
  + '600101' + '80' + '6103e8' + '11' + '601a' + '57' // ++code < 1000: loop
  + '6103e7' + '610100' + 'f3' // return(0x100, 999)
  + '5b' + '600080fd' as Hex; // 0x5c: fail: revert(0, 0)

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
  /** `functionName(compliance, code)` for every code in one eth_call (COUNTRY_PROBE); `where` picks the codes whose answer passes. */
  const byCountry = async (functionName: string) => {
    const selector = toFunctionSelector(`${functionName}(address,uint16)`);
    const { data } = await r.call({ data: concat([COUNTRY_PROBE, pad(address), pad(compliance), pad(selector, { dir: 'right' })]) });
    const out = hexToBytes(data ?? '0x');
    if (out.length !== COUNTRY_CODES.length) throw new ContractFunctionZeroDataError({ functionName });
    return (keep: (v: number) => boolean) => COUNTRY_CODES.filter((_, i) => keep(out[i]!));
  };
  const registry = (a: Address) => (a === zeroAddress ? null : a);
  switch (module) {
    case 'CountryAllowModule':
      return { module, allowedCountries: (await byCountry('isCountryAllowed'))((v) => v === 1) };
    case 'CountryRestrictModule':
      return { module, restrictedCountries: (await byCountry('isCountryRestricted'))((v) => v === 1) };
    case 'MaxBalanceModule':
      return { module, maxBalance: (await read<bigint>('getMaxBalance')).toString() };
    case 'MaxRiskScoreModule': {
      const [riskRegistry, maxScore, allowUnscored] = await read<[Address, number, boolean]>('getRiskLimit');
      return { module, riskRegistry: registry(riskRegistry), maxScore, allowUnscored };
    }
    case 'JurisdictionModule': {
      const [[topic, allowListOnly], where] = await Promise.all([read<[bigint, boolean]>('getJurisdictionRules'), byCountry('jurisdictionStatus')]);
      return { module, topic: Number(topic), allowListOnly, allowedCountries: where((v) => v === 1), blockedCountries: where((v) => v === 2) };
    }
    case 'FreshKycModule': {
      const [riskRegistry, scoreAbove, maxAgeSeconds, topic] = await read<[Address, number, number, number]>('getFreshKycRule');
      return { module, riskRegistry: registry(riskRegistry), scoreAbove, maxAgeSeconds, topic };
    }
  }
}
