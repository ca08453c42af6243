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
 * blocks (providers cap a query's range), once per chain head, and only the blocks after the wallet's last scan (less
 * `REORG_MARGIN`) when this node scanned for it before. A provider that refuses them leaves the first two;
 * callers that know the identity pass it as `known` (checked like the others).
 */
export async function walletIdentities(ctx: NodeContext, wallet: Address, known: readonly Address[] = []): Promise<Address[]> {
  const r = ctx.clients.publicClient;
  const key = walletKey(wallet);
  const [row, registered, added] = await Promise.all([
    ctx.repos.identities.byWallet(wallet),
    r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'identity', args: [wallet] }),
    ctx.cache.get(`managed-by:${wallet.toLowerCase()}`, (head) => managementKeyAdded(ctx, wallet, key, head.number).catch((e: Error) => {
      ctx.log(`walletIdentities: KeyAdded log query refused (${e.name}); falling back to the node's records and the registry`);
      return [] as Address[];
    })),
  ]);
  const candidates = new Set([...known, ...(row ? [row.identity] : []), ...(/^0x0{40}$/.test(registered) ? [] : [registered]), ...added].map((a) => getAddress(a)));
  const confirmed = await Promise.all([...candidates].map((c) => managesNow(ctx, c, wallet)));
  return [...candidates].filter((_, i) => confirmed[i]);
}

/** Blocks scanned again below a wallet's last scan, for a reorg that changed them (anything reorged out has no code: dropped). */
export const REORG_MARGIN = 64n;
/** Wallets whose scan is remembered per node (its read cache): the least recently scanned are forgotten first. */
const REMEMBERED_WALLETS = 10_000;
const scans = new WeakMap<object, Map<string, { head: bigint; found: Address[] }>>();

/**
 * The contracts that emitted KeyAdded(`key`, MANAGEMENT) in blocks 0..`head`, one log query per `logBlockRange`
 * blocks; after a first scan for `wallet`, only from its head less REORG_MARGIN (from 0 again if the chain went back).
 */
async function managementKeyAdded(ctx: NodeContext, wallet: Address, key: Hex, head: bigint): Promise<Address[]> {
  const memo = scans.get(ctx.cache) ?? new Map<string, { head: bigint; found: Address[] }>();
  scans.set(ctx.cache, memo);
  const id = wallet.toLowerCase();
  const last = memo.get(id);
  const resume = last && last.head <= head && last.head > REORG_MARGIN ? last.head - REORG_MARGIN : 0n;
  const found = new Set(resume > 0n ? last!.found : []);
  const range = BigInt(ctx.config.logBlockRange);
  for (let from = resume; from <= head; from += range) {
    const to = from + range - 1n < head ? from + range - 1n : head;
    const logs = await ctx.clients.publicClient.getLogs({ event: KEY_ADDED, args: { key, purpose: KeyPurpose.MANAGEMENT }, fromBlock: from, toBlock: to });
    for (const l of logs) found.add(getAddress(l.address));
  }
  memo.delete(id);
  memo.set(id, { head, found: [...found] });
  if (memo.size > REMEMBERED_WALLETS) memo.delete(memo.keys().next().value!);
  return [...found];
}

/** The wallet holds a management key of `identity` at the request's head (false for a contract that is no identity). */
export async function managesNow(ctx: NodeContext, identity: Address, wallet: Address): Promise<boolean> {
  if (!(await hasCode(ctx, identity))) return false;
  return hasPurpose(ctx, identity, wallet, KeyPurpose.MANAGEMENT).catch(() => false);
}
