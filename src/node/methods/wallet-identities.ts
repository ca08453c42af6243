import { getAddress, type Address } from 'viem';
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
 * each kept only if the wallet holds a management key there now. A provider that refuses the whole-chain log query
 * leaves the first two; callers that know the identity pass it as `known` (checked like the others).
 */
export async function walletIdentities(ctx: NodeContext, wallet: Address, known: readonly Address[] = []): Promise<Address[]> {
  const r = ctx.clients.publicClient;
  const key = walletKey(wallet);
  const [row, registered, added] = await Promise.all([
    ctx.repos.identities.byWallet(wallet),
    r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'identity', args: [wallet] }),
    ctx.cache.get(`managed-by:${wallet.toLowerCase()}`, (head) => r.getLogs({
      event: KEY_ADDED, args: { key, purpose: KeyPurpose.MANAGEMENT }, fromBlock: 0n, toBlock: head.number,
    }).then((logs) => logs.map((l) => l.address), (e: Error) => {
      ctx.log(`walletIdentities: KeyAdded log query refused (${e.name}); falling back to the node's records and the registry`);
      return [] as Address[];
    })),
  ]);
  const candidates = new Set([...known, ...(row ? [row.identity] : []), ...(/^0x0{40}$/.test(registered) ? [] : [registered]), ...added].map((a) => getAddress(a)));
  const confirmed = await Promise.all([...candidates].map((c) => managesNow(ctx, c, wallet)));
  return [...candidates].filter((_, i) => confirmed[i]);
}

/** The wallet holds a management key of `identity` at the request's head (false for a contract that is no identity). */
export async function managesNow(ctx: NodeContext, identity: Address, wallet: Address): Promise<boolean> {
  if (!(await hasCode(ctx, identity))) return false;
  return hasPurpose(ctx, identity, wallet, KeyPurpose.MANAGEMENT).catch(() => false);
}
