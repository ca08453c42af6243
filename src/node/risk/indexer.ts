// The risk indexer: the token's Transfer and freeze events, the identity registry storage's wallet and country events
// and claim events, read from the chain in block ranges. Transfers fold into per-identity, per-day activity buckets
// (src/risk/activity.ts) that are added to the database in one transaction with the cursor's move, a check-and-write,
// so two replicas sharing a database never count a range twice. Decoding is by hand: a Transfer log is three topics
// and one word, and viem's generic decoder would be most of the cost at a million events.
import { keccak256, toBytes, type Address, type Hex } from 'viem';
import {
  addBucket, emptyBucket, transferContributions, type ActivityBucket, type ActivityParams, type TransferParty,
} from '../../risk/index.js';

const sig = (s: string) => keccak256(toBytes(s));
export const TOPICS = {
  Transfer: sig('Transfer(address,address,uint256)'),
  AddressFrozen: sig('AddressFrozen(address,bool,address)'),
  IdentityStored: sig('IdentityStored(address,address)'),
  IdentityUnstored: sig('IdentityUnstored(address,address)'),
  IdentityModified: sig('IdentityModified(address,address)'),
  CountryModified: sig('CountryModified(address,uint16)'),
  ClaimAdded: sig('ClaimAdded(bytes32,uint256,uint256,address,bytes,bytes,string)'),
  ClaimRemoved: sig('ClaimRemoved(bytes32,uint256,uint256,address,bytes,bytes,string)'),
  ClaimChanged: sig('ClaimChanged(bytes32,uint256,uint256,address,bytes,bytes,string)'),
  ClaimRevoked: sig('ClaimRevoked(bytes)'),
  ClaimDigestRevoked: sig('ClaimDigestRevoked(bytes32)'),
  TrustedIssuerAdded: sig('TrustedIssuerAdded(address,uint256[])'),
  TrustedIssuerRemoved: sig('TrustedIssuerRemoved(address)'),
  ClaimTopicsUpdated: sig('ClaimTopicsUpdated(address,uint256[])'),
} as const;

export interface RawLog {
  address: Hex;
  topics: readonly Hex[];
  data: Hex;
  blockNumber: Hex | bigint | number;
  logIndex: Hex | bigint | number;
}

/** The address in an indexed topic (the low 20 bytes of the word), lowercase: checksumming costs a keccak. */
export const topicAddress = (t: Hex): Address => `0x${t.slice(26).toLowerCase()}`;
const word = (t: Hex) => BigInt(t);

/** A Transfer(from, to, value) log; null when the log is something else. */
export function decodeTransfer(log: RawLog): { from: Address; to: Address; value: bigint } | null {
  if (log.topics.length !== 3 || log.topics[0] !== TOPICS.Transfer || log.data.length !== 66) return null;
  return { from: topicAddress(log.topics[1]), to: topicAddress(log.topics[2]), value: BigInt(log.data) };
}

const ZERO = '0x0000000000000000000000000000000000000000';

/**
 * Folds transfers into buckets keyed by identity and day. `resolve` says who a wallet is (null: no identity, e.g. the
 * zero address of a mint); it is asked once per wallet per folder, so its answers should be those of the range's end.
 */
export class TransferFolder {
  readonly buckets = new Map<string, { identity: string; bucket: ActivityBucket }>();
  readonly touched = new Set<string>();
  events = 0;
  private readonly unit: number;
  private readonly parties = new Map<string, TransferParty | null>();

  constructor(private readonly params: ActivityParams, decimals: number, private readonly resolve: (wallet: string) => TransferParty | null) {
    this.unit = 10 ** decimals;
  }

  private party(wallet: string): TransferParty | null {
    if (wallet === ZERO) return null;
    let p = this.parties.get(wallet);
    if (p === undefined) this.parties.set(wallet, (p = this.resolve(wallet)));
    return p;
  }

  add(t: { from: string; to: string; value: bigint; timestamp: number }): void {
    const from = this.party(t.from.toLowerCase());
    const to = this.party(t.to.toLowerCase());
    this.events++;
    for (const { identity, bucket } of transferContributions({ amount: Number(t.value) / this.unit, timestamp: t.timestamp }, from, to, this.params)) {
      const k = `${identity}:${bucket.day}`;
      const cur = this.buckets.get(k);
      if (cur) addBucket(cur.bucket, bucket);
      else this.buckets.set(k, { identity, bucket: addBucket(emptyBucket(bucket.day), bucket) });
      this.touched.add(identity);
    }
  }
}

/** What one range of registry and claim events changes, in log order. */
export interface RegistryChange {
  kind: 'stored' | 'unstored' | 'country' | 'modified';
  wallet?: string;
  identity?: string;
  oldIdentity?: string;
  country?: number;
  block: number;
}

/** Sorts a range's logs into transfers, registry changes, identities whose claims or freezes changed, and whether an issuer-wide change (revocation by signature, trust) asks for every identity to be refreshed. */
export function classifyLogs(logs: readonly RawLog[], addresses: { token: string; storage: string; trustedIssuers: string }) {
  const token = addresses.token.toLowerCase();
  const storage = addresses.storage.toLowerCase();
  const tir = addresses.trustedIssuers.toLowerCase();
  const transfers: RawLog[] = [];
  const registry: RegistryChange[] = [];
  const claimsChanged = new Set<string>();
  const frozenWallets = new Set<string>();
  let refreshAll = false;
  const ordered = [...logs].sort((a, b) => Number(BigInt(a.blockNumber) - BigInt(b.blockNumber)) || Number(BigInt(a.logIndex) - BigInt(b.logIndex)));
  for (const l of ordered) {
    const at = l.address.toLowerCase();
    const t0 = l.topics[0];
    const block = Number(BigInt(l.blockNumber));
    if (at === token) {
      if (t0 === TOPICS.Transfer) transfers.push(l);
      else if (t0 === TOPICS.AddressFrozen) frozenWallets.add(topicAddress(l.topics[1]).toLowerCase());
    } else if (at === storage) {
      if (t0 === TOPICS.IdentityStored) registry.push({ kind: 'stored', wallet: topicAddress(l.topics[1]).toLowerCase(), identity: topicAddress(l.topics[2]).toLowerCase(), block });
      else if (t0 === TOPICS.IdentityUnstored) registry.push({ kind: 'unstored', wallet: topicAddress(l.topics[1]).toLowerCase(), identity: topicAddress(l.topics[2]).toLowerCase(), block });
      else if (t0 === TOPICS.CountryModified) registry.push({ kind: 'country', wallet: topicAddress(l.topics[1]).toLowerCase(), country: Number(word(l.topics[2])), block });
      else if (t0 === TOPICS.IdentityModified) registry.push({ kind: 'modified', oldIdentity: topicAddress(l.topics[1]).toLowerCase(), identity: topicAddress(l.topics[2]).toLowerCase(), block });
    } else if (t0 === TOPICS.ClaimAdded || t0 === TOPICS.ClaimRemoved || t0 === TOPICS.ClaimChanged) {
      claimsChanged.add(at);
    } else if (t0 === TOPICS.ClaimRevoked || t0 === TOPICS.ClaimDigestRevoked || (at === tir && (t0 === TOPICS.TrustedIssuerAdded || t0 === TOPICS.TrustedIssuerRemoved || t0 === TOPICS.ClaimTopicsUpdated))) {
      refreshAll = true;
    }
  }
  return { transfers, registry, claimsChanged, frozenWallets, refreshAll };
}

/** Every topic the indexer asks eth_getLogs for (one filter, any address). */
export const INDEXED_TOPICS: Hex[] = Object.values(TOPICS);
