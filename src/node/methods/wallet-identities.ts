import { getAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { identityRegistryAbi } from '../../chain/artifacts/IdentityRegistry.js';
import { KeyPurpose, walletKey } from '../../chain/identity.js';
import type { NodeContext } from '../context.js';
import { hasCode, hasPurpose } from './common.js';

const KEY_ADDED = identityAbi.find((x) => x.type === 'event' && x.name === 'KeyAdded')!;

/**
 * The identity contracts `wallet` manages, as the chain says, whoever deployed them: the one this node created for
 * it, the one the IdentityRegistry names, and every contract that ever added the wallet as a management key
 * (ERC-734 `KeyAdded(keccak256(abi.encode(wallet)), 1, ·)`, emitted by constructors, `initialize` and `addKey`),
 * each kept only if the wallet holds a management key there now. The logs are read in ranges of `logBlockRange`
 * blocks (providers cap a query's range), once per chain head. A provider that refuses them leaves the first two;
 * callers that know the identity pass it as `known` (checked like the others).
 */
export async function walletIdentities(ctx: NodeContext, wallet: Address, known: readonly Address[] = []): Promise<Address[]> {
  const r = ctx.clients.publicClient;
  const key = walletKey(wallet);
  const [row, registered, added] = await Promise.all([
    ctx.repos.identities.byWallet(wallet),
    r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'identity', args: [wallet] }),
    ctx.cache.get(`managed-by:${wallet.toLowerCase()}`, (head) => managementKeyAdded(ctx, key, head.number).catch((e: Error) => {
      ctx.log(`walletIdentities: KeyAdded log query refused (${e.name}); falling back to the node's records and the registry`);
      return [] as Address[];
    })),
  ]);
  const candidates = new Set([...known, ...(row ? [row.identity] : []), ...(/^0x0{40}$/.test(registered) ? [] : [registered]), ...added].map((a) => getAddress(a)));
  const confirmed = await Promise.all([...candidates].map((c) => managesNow(ctx, c, wallet)));
  return [...candidates].filter((_, i) => confirmed[i]);
}

/** The contracts that emitted KeyAdded(`key`, MANAGEMENT) in blocks 0..`head`, one log query per `logBlockRange` blocks. */
async function managementKeyAdded(ctx: NodeContext, key: Hex, head: bigint): Promise<Address[]> {
  const range = BigInt(ctx.config.logBlockRange);
  const found: Address[] = [];
  for (let from = 0n; from <= head; from += range) {
    const to = from + range - 1n < head ? from + range - 1n : head;
    const logs = await ctx.clients.publicClient.getLogs({ event: KEY_ADDED, args: { key, purpose: KeyPurpose.MANAGEMENT }, fromBlock: from, toBlock: to });
    found.push(...logs.map((l) => l.address));
  }
  return found;
}

/** The wallet holds a management key of `identity` at the request's head (false for a contract that is no identity). */
export async function managesNow(ctx: NodeContext, identity: Address, wallet: Address): Promise<boolean> {
  if (!(await hasCode(ctx, identity))) return false;
  return hasPurpose(ctx, identity, wallet, KeyPurpose.MANAGEMENT).catch(() => false);
}
