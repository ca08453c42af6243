/**
 * Activity from a token's Transfer events, folded into one bucket per identity and day (UTC) so that any number of
 * events costs a bounded amount of state: the node upserts buckets, never stores raw transfers, and a score reads the
 * last `historyDays` buckets of one identity.
 */
import { RiskInputError } from './errors.js';

export interface ActivityParams {
  /** The recent window compared with the holder's history (days, including today). */
  windowDays: number;
  /** How far back the history goes (days, including the window). */
  historyDays: number;
  /** Floor of the historical weekly volume (whole tokens), so a new holder's first transfers are not "infinitely" above it. */
  minWindowVolume: number;
  /** Floor of the historical transfer count per window. */
  minWindowCount: number;
  /** A reporting or holding limit (whole tokens) that structuring stays under; null: no structuring detection. */
  structuringLimit: number | null;
  /** "Just under": amount in [limit * (1 - margin), limit). */
  structuringMargin: number;
  /** A counterparty scored at or above this is high risk. */
  highRiskScore: number;
}

export const DEFAULT_ACTIVITY: ActivityParams = {
  windowDays: 7,
  historyDays: 90,
  minWindowVolume: 10_000,
  minWindowCount: 5,
  structuringLimit: 10_000,
  structuringMargin: 0.1,
  highRiskScore: 75,
};

/** One identity's activity on one day. All sums; merging two buckets of a day is adding them. */
export interface ActivityBucket {
  /** Days since the epoch (UTC). */
  day: number;
  /** Transfers in and out. */
  count: number;
  /** Whole tokens in and out. */
  volume: number;
  /** Outgoing transfers just under the structuring limit. */
  nearLimit: number;
  /** Transfers with a frozen or high-risk counterparty. */
  risky: number;
  /** Sum of counterparty score x volume, over transfers with a scored counterparty. */
  cpScoreVolume: number;
  /** Volume of those transfers. */
  cpVolume: number;
}

/** A side of a transfer as the indexer sees it when the transfer is folded in. */
export interface TransferParty {
  identity: string;
  /** The party's current score; null when unscored. */
  score: number | null;
  frozen: boolean;
}

export interface TransferFact {
  /** Whole tokens (the token's decimals already applied). */
  amount: number;
  /** Block time, unix seconds. */
  timestamp: number;
}

export const DAY = 86_400;
export const dayOf = (unixSeconds: number) => Math.floor(unixSeconds / DAY);

export const emptyBucket = (day: number): ActivityBucket => ({ day, count: 0, volume: 0, nearLimit: 0, risky: 0, cpScoreVolume: 0, cpVolume: 0 });

/** Adds `b` into `a` (same day). */
export function addBucket(a: ActivityBucket, b: ActivityBucket): ActivityBucket {
  a.count += b.count;
  a.volume += b.volume;
  a.nearLimit += b.nearLimit;
  a.risky += b.risky;
  a.cpScoreVolume += b.cpScoreVolume;
  a.cpVolume += b.cpVolume;
  return a;
}

/** Whether `amount` lies just under the structuring limit. */
export function isNearLimit(amount: number, p: ActivityParams): boolean {
  return p.structuringLimit !== null && amount < p.structuringLimit && amount >= p.structuringLimit * (1 - p.structuringMargin);
}

/**
 * What one transfer adds to each identified party's bucket (a mint or burn has one party; a transfer between two
 * wallets of one identity counts once for it, with no counterparty). Near-limit counts go to the sender, who chose
 * the amount.
 */
export function transferContributions(
  t: TransferFact, from: TransferParty | null, to: TransferParty | null, p: ActivityParams,
): { identity: string; bucket: ActivityBucket }[] {
  const day = dayOf(t.timestamp);
  const out: { identity: string; bucket: ActivityBucket }[] = [];
  const self = from && to && from.identity === to.identity;
  const side = (me: TransferParty, other: TransferParty | null, sender: boolean) => {
    const b = emptyBucket(day);
    b.count = 1;
    b.volume = t.amount;
    if (sender && isNearLimit(t.amount, p)) b.nearLimit = 1;
    if (other && !self) {
      if (other.frozen || (other.score !== null && other.score >= p.highRiskScore)) b.risky = 1;
      if (other.score !== null) {
        b.cpScoreVolume = other.score * t.amount;
        b.cpVolume = t.amount;
      }
    }
    out.push({ identity: me.identity, bucket: b });
  };
  if (from) side(from, to, true);
  if (to && !self) side(to, from, false);
  return out;
}

/** What a score reads of an identity's activity. */
export interface ActivityStats {
  /** Transfers and volume in the recent window. */
  recentCount: number;
  recentVolume: number;
  /** Per-window averages over the history before the window (days with no transfer count as zero). */
  baselineCount: number;
  baselineVolume: number;
  /** Near-limit outgoing transfers in the recent window. */
  nearLimit: number;
  /** Transfers with frozen or high-risk counterparties over the whole history. */
  risky: number;
  /** Volume-weighted mean score of scored counterparties over the whole history; null when none. */
  counterpartyScore: number | null;
}

export const NO_ACTIVITY: ActivityStats = { recentCount: 0, recentVolume: 0, baselineCount: 0, baselineVolume: 0, nearLimit: 0, risky: 0, counterpartyScore: null };

/** Stats of one identity from its buckets (any order; days outside the history are ignored). */
export function activityStats(buckets: readonly ActivityBucket[], today: number, p: ActivityParams): ActivityStats {
  if (!(p.windowDays >= 1) || !(p.historyDays > p.windowDays)) throw new RiskInputError('activity.historyDays', 'must exceed windowDays, which must be at least 1');
  const windowStart = today - p.windowDays + 1;
  const historyStart = today - p.historyDays + 1;
  const s = { ...NO_ACTIVITY };
  let histCount = 0;
  let histVolume = 0;
  let cpScoreVolume = 0;
  let cpVolume = 0;
  for (const b of buckets) {
    if (b.day < historyStart || b.day > today) continue;
    if (b.day >= windowStart) {
      s.recentCount += b.count;
      s.recentVolume += b.volume;
      s.nearLimit += b.nearLimit;
    } else {
      histCount += b.count;
      histVolume += b.volume;
    }
    s.risky += b.risky;
    cpScoreVolume += b.cpScoreVolume;
    cpVolume += b.cpVolume;
  }
  const windows = (p.historyDays - p.windowDays) / p.windowDays;
  s.baselineCount = histCount / windows;
  s.baselineVolume = histVolume / windows;
  s.counterpartyScore = cpVolume > 0 ? cpScoreVolume / cpVolume : null;
  return s;
}
