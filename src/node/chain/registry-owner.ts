// Who owns the node's trusted issuers and claim topics registries (by default one contract, the identity registry, holds
// both): an operator's wallet, never the relayer. The relayer deploys them (and trusts the configured issuers while it
// still can), then hands them over (Ownable2Step): on the embedded chain to a key generated into the data directory,
// which signs its acceptance once at the start; elsewhere to the configured `registryOwner`, which accepts with
// id_acceptRegistryOwnership (until then it holds the setter roles, so it can already trust issuers and set topics, and
// the relayer is owner in name only).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFunctionData, getAddress, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { trustedIssuersRegistryAbi } from '../../chain/artifacts/TrustedIssuersRegistry.js';
import { Role, signedCallTypedData } from '../../chain/roles.js';
import { writeFileDurable, type DataDir } from '../datadir.js';
import type { NodeConfig } from '../config.js';
import type { Relayer } from './relayer.js';

export interface RegistryOwner {
  address: Address;
  /** The generated key of an embedded chain (the node signs the acceptance with it once); absent when configured. */
  account?: PrivateKeyAccount;
  /** Where that key lives. */
  keyPath?: string;
}

/** The configured owner, else on the embedded chain a key kept in `<dataDir>/keys/registry-owner.key`. */
export function registryOwnerOf(config: NodeConfig, dir: DataDir): RegistryOwner | undefined {
  if (config.registryOwner) return { address: getAddress(config.registryOwner) };
  if (config.rpcUrl) return undefined;
  const keyPath = join(dir.root, 'keys', 'registry-owner.key');
  if (!existsSync(keyPath)) writeFileDurable(keyPath, generatePrivateKey(), 0o600);
  const account = privateKeyToAccount(readFileSync(keyPath, 'utf8').trim() as Hex);
  return { address: account.address, account, keyPath };
}

const REGISTRIES = [
  { key: 'trustedIssuersRegistry', role: Role.ISSUERS_SETTER },
  { key: 'claimTopicsRegistry', role: Role.CLAIM_TOPICS_SETTER },
] as const;

/**
 * The node's registry contracts, each once with the keys it serves and their setter roles: in the default layout the
 * identity registry holds the trusted issuers and the claim topics itself (both keys name its address), one contract.
 */
function registryContracts(d: { trustedIssuersRegistry: Address; claimTopicsRegistry: Address }) {
  const byAddress = new Map<string, { address: Address; keys: string[]; roles: bigint }>();
  for (const reg of REGISTRIES) {
    const address = getAddress(d[reg.key]);
    const c = byAddress.get(address) ?? { address, keys: [], roles: 0n };
    c.keys.push(reg.key);
    c.roles |= reg.role;
    byAddress.set(address, c);
  }
  return [...byAddress.values()];
}

/**
 * Hands the node's registries from the relayer to `owner`, each contract once (idempotent: a registry someone else owns
 * already is left alone). Returns what it did, for the log.
 */
export async function handOverRegistries(
  relayer: Relayer, chainId: number, d: { trustedIssuersRegistry: Address; claimTopicsRegistry: Address }, owner: RegistryOwner,
): Promise<string[]> {
  const r = relayer.publicClient;
  const me = relayer.address.toLowerCase();
  const done: string[] = [];
  for (const { address, keys, roles } of registryContracts(d)) {
    const what = `${keys.join(' and ')} (${address})`;
    // The setter functions differ by registry; ownership and roles are the same on each (Ownable2Step, SignedCalls).
    const abi = trustedIssuersRegistryAbi;
    const read = (functionName: 'owner' | 'pendingOwner') => r.readContract({ address, abi, functionName });
    if ((await read('owner')).toLowerCase() !== me) continue;
    if ((await read('pendingOwner')).toLowerCase() !== owner.address.toLowerCase()) {
      await relayer.write({ address, abi, functionName: 'transferOwnership', args: [owner.address] });
    }
    if (owner.account) {
      const block = await r.getBlock();
      const call = { data: encodeFunctionData({ abi, functionName: 'acceptOwnership' }), nonce: BigInt(generatePrivateKey()), deadline: block.timestamp + 600n };
      const signature = await owner.account.signTypedData(signedCallTypedData({ chainId, contract: address, ...call }));
      await relayer.write({ address, abi, functionName: 'executeSigned', args: [call.data, call.nonce, call.deadline, signature] });
      done.push(`${what} owned by ${owner.address}`);
    } else {
      const held = await r.readContract({ address, abi, functionName: 'rolesOf', args: [owner.address] });
      if ((held & roles) !== roles) await relayer.write({ address, abi, functionName: 'grantRoles', args: [owner.address, roles & ~held] });
      done.push(`${what}: ${owner.address} holds its setter roles; ownership pending until it signs id_acceptRegistryOwnership`);
    }
  }
  return done;
}
