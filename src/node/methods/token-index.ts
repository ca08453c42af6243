// The node's index of the token suites it serves: Transfer events folded into balances (the cap table of
// `token_holders`) and the accounts of RolesGranted / RolesRevoked events (the agents of `token_info`), kept in the
// database (db/tokens.ts). A recurring job of the node's queue follows the chain head, so events are folded long before the embedded
// chain drops their receipts (`chainHistoryBlocks`); reads catch up first, so they are as fresh as the head.
import { getAddress, parseAbiItem, type Address, type PublicClient } from 'viem';
import { identityRegistryAbi, permissionedTokenAbi } from '../../chain/artifacts/index.js';
import type { SuiteAddresses } from '../../protocol/token-calls.js';
import type { TokensRepo } from '../db/tokens.js';

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)');
const ROLES_GRANTED = parseAbiItem('event RolesGranted(address indexed account, uint256 roles)');
const ROLES_REVOKED = parseAbiItem('event RolesRevoked(address indexed account, uint256 roles)');
const ZERO = '0x0000000000000000000000000000000000000000';

/** The suite of any ERC-3643 token, read from the token and its identity registry. */
export async function readSuite(r: PublicClient, token: Address): Promise<SuiteAddresses> {
  const [identityRegistry, compliance] = await Promise.all([
    r.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'identityRegistry' }),
    r.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'compliance' }),
  ]);
  const [identityRegistryStorage, claimTopicsRegistry, trustedIssuersRegistry] = await Promise.all([
    r.readContract({ address: identityRegistry, abi: identityRegistryAbi, functionName: 'identityStorage' }),
    r.readContract({ address: identityRegistry, abi: identityRegistryAbi, functionName: 'topicsRegistry' }),
    r.readContract({ address: identityRegistry, abi: identityRegistryAbi, functionName: 'issuersRegistry' }),
  ]);
  return { token: getAddress(token), identityRegistry, identityRegistryStorage, compliance, trustedIssuersRegistry, claimTopicsRegistry };
}

export class TokenIndexer {
  /** Catch-ups in flight in this process, joined by concurrent callers (replicas are kept apart by the database). */
  private readonly inFlight = new Map<string, Promise<number>>();

  constructor(
    private readonly reader: PublicClient,
    private readonly repo: TokensRepo,
    private readonly log: (m: string) => void,
    /** Blocks per eth_getLogs (the node's `logBlockRange`: providers cap a query's range). */
    private readonly blockRange = 5_000,
  ) {}

  /** Tracks `token` (its suite read now) from `fromBlock`: its deployment block, or 0 for a token met later. */
  async track(token: Address, fromBlock: number, suite?: SuiteAddresses): Promise<void> {
    if (await this.repo.get(token)) return;
    await this.repo.track(token, suite ?? (await readSuite(this.reader, token)), fromBlock);
  }

  /** Folds every event up to the chain head into the index; returns the last block folded. */
  catchUp(token: Address): Promise<number> {
    const key = token.toLowerCase();
    let p = this.inFlight.get(key);
    if (!p) {
      p = this.fold(token).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, p);
    }
    return p;
  }

  private async fold(token: Address): Promise<number> {
    const head = Number(await this.reader.getBlockNumber({ cacheTime: 0 }));
    for (;;) {
      const row = await this.repo.get<SuiteAddresses>(token);
      if (!row) throw new Error(`token ${token} is not tracked`);
      const from = row.indexedBlock;
      if (from > head) return from - 1;
      const to = Math.min(from + this.blockRange, head + 1);
      const logs = await this.reader.getLogs({
        address: [row.suite.token, row.suite.identityRegistry, row.suite.compliance, row.suite.trustedIssuersRegistry, row.suite.claimTopicsRegistry],
        events: [TRANSFER, ROLES_GRANTED, ROLES_REVOKED],
        fromBlock: BigInt(from),
        toBlock: BigInt(to - 1),
      });
      const deltas = new Map<string, bigint>();
      const roleAccounts = new Set<string>();
      const add = (who: string, v: bigint) => deltas.set(who.toLowerCase(), (deltas.get(who.toLowerCase()) ?? 0n) + v);
      for (const l of logs) {
        if (l.eventName === 'Transfer') {
          if (l.address.toLowerCase() !== row.suite.token.toLowerCase()) continue;
          const { from: a, to: b, value } = l.args as { from: Address; to: Address; value: bigint };
          if (a !== ZERO) add(a, -value);
          if (b !== ZERO) add(b, value);
        } else {
          roleAccounts.add((l.args as { account: Address }).account);
        }
      }
      // False: another indexer folded this range first; read where it got to and go on from there.
      await this.repo.apply(token, from, to, { deltas, roleAccounts });
    }
  }

  /**
   * Folds every tracked token up to the head: the node's recurring `token.index` job (node.ts), one run per period
   * across replicas. A token that fails (its chain unreachable, a suite gone) is logged and the others go on.
   */
  async catchUpAll(): Promise<void> {
    for (const t of await this.repo.list()) {
      try {
        await this.catchUp(t.token as Address);
      } catch (e) {
        this.log(`token index ${t.token}: ${(e as Error).message}`);
      }
    }
  }
}
