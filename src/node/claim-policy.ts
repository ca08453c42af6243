// Claim validity policy: how long a claim of each topic may be valid, and whether it may never expire. The node checks
// every issuance it relays against it (id_issueClaim, KYC approvals, id_renewClaim, token_onboardInvestor), so a claim
// outside the policy never reaches the chain; the screening service computes its claims' windows from the same policy.
import { z } from 'zod';

const DAY = 86_400;
/** A month is a twelfth of a Julian year, so "12 months" is a whole year (a year-long KYC fits). */
const MONTH = (365.25 * DAY) / 12;

/** Topic names of the 8 registered topics (for messages). */
export const TOPIC_NAMES: Readonly<Record<number, string>> = {
  1: 'KYC', 2: 'AML', 3: 'Accreditation', 4: 'Sanctions Clear', 5: 'Tax Residency', 6: 'UBO', 7: 'PEP Status', 8: 'Travel Rule',
};

export interface TopicValidity {
  /** Longest allowed `expiresAt - issuedAt`, in seconds; null: no limit. */
  maxValiditySeconds: number | null;
  /** Whether `expiresAt = 0` ("never expires") is allowed. */
  neverExpires: boolean;
}

/** The registered topics' defaults: KYC 12 months, AML 30 days, ... Travel Rule 6 months; none may be issued forever. */
export const DEFAULT_VALIDITY: Readonly<Record<number, TopicValidity>> = {
  1: { maxValiditySeconds: Math.ceil(12 * MONTH), neverExpires: false },
  2: { maxValiditySeconds: 30 * DAY, neverExpires: false },
  3: { maxValiditySeconds: Math.ceil(12 * MONTH), neverExpires: false },
  4: { maxValiditySeconds: 30 * DAY, neverExpires: false },
  5: { maxValiditySeconds: Math.ceil(12 * MONTH), neverExpires: false },
  6: { maxValiditySeconds: Math.ceil(12 * MONTH), neverExpires: false },
  7: { maxValiditySeconds: 30 * DAY, neverExpires: false },
  8: { maxValiditySeconds: Math.ceil(6 * MONTH), neverExpires: false },
};

/** Custom topics (9 and up) without a configured entry: no limit, may never expire (their owner decides). */
const UNREGULATED: TopicValidity = { maxValiditySeconds: null, neverExpires: true };

/** `2592000`, `"30d"`, `"12mo"`, `"1y"`, `"6h"` or `null` (no limit) -> seconds. */
export const durationSchema = z.union([
  z.number().int().positive(),
  z.string().regex(/^\d+(s|m|h|d|mo|y)$/, 'expected seconds or a duration like "30d", "12mo", "1y"').transform((s) => {
    const [, n, unit] = /^(\d+)(s|m|h|d|mo|y)$/.exec(s)!;
    const k = { s: 1, m: 60, h: 3600, d: DAY, mo: MONTH, y: 12 * MONTH }[unit as 's'];
    return Math.ceil(Number(n) * k);
  }),
  z.null(),
]);

export const topicValiditySchema = z.strictObject({
  maxValidity: durationSchema.optional().describe('longest validity (seconds or "30d" / "12mo"); null = no limit'),
  neverExpires: z.boolean().optional().describe('whether expiresAt = 0 is allowed'),
});
/** Per-topic overrides, keyed by the topic number as a string ("2"). */
export const validityOverridesSchema = z.record(z.string().regex(/^\d+$/, 'expected a topic number'), topicValiditySchema);
export type ValidityOverrides = z.output<typeof validityOverridesSchema>;

function merge(base: TopicValidity, o: ValidityOverrides[string] | undefined): TopicValidity {
  if (!o) return base;
  return {
    maxValiditySeconds: o.maxValidity === undefined ? base.maxValiditySeconds : o.maxValidity,
    neverExpires: o.neverExpires ?? base.neverExpires,
  };
}

export class ClaimPolicyError extends Error {
  override readonly name = 'ClaimPolicyError';
  constructor(readonly field: 'expiresAt' | 'issuedAt', message: string) {
    super(message);
  }
}

function days(seconds: number): string {
  const d = seconds / DAY;
  return Number.isInteger(d) ? `${d} days` : `${d.toFixed(1)} days`;
}

/**
 * The policy of one node (or one screening service): defaults < node-wide overrides < per-issuer overrides. Issuers
 * are keyed by their ClaimIssuer contract address (lower case).
 */
export class ClaimPolicy {
  constructor(
    private readonly overrides: ValidityOverrides = {},
    private readonly perIssuer: ReadonlyMap<string, ValidityOverrides> = new Map(),
  ) {}

  validity(topic: number, issuer?: string): TopicValidity {
    const base = merge(DEFAULT_VALIDITY[topic] ?? UNREGULATED, this.overrides[String(topic)]);
    return merge(base, issuer ? this.perIssuer.get(issuer.toLowerCase())?.[String(topic)] : undefined);
  }

  /** The longest window a claim of `topic` from `issuer` may have, starting at `issuedAt` (never 0: a bound). */
  expiryFor(topic: number, issuedAt: number, issuer?: string): number {
    const v = this.validity(topic, issuer);
    if (v.maxValiditySeconds === null) throw new ClaimPolicyError('expiresAt', `topic ${topic} has no maximum validity: choose an expiry`);
    return issuedAt + v.maxValiditySeconds;
  }

  /** Throws ClaimPolicyError naming the field when the claim's window is outside the policy. */
  check(c: { topic: number; issuer?: string; issuedAt: number; expiresAt: number }): void {
    const v = this.validity(c.topic, c.issuer);
    const name = TOPIC_NAMES[c.topic] ? `topic ${c.topic} (${TOPIC_NAMES[c.topic]})` : `topic ${c.topic}`;
    if (c.expiresAt === 0) {
      if (!v.neverExpires) {
        throw new ClaimPolicyError('expiresAt', `${name} claims must expire (0 = never expires is not allowed by the validity policy${v.maxValiditySeconds ? `; at most ${days(v.maxValiditySeconds)}` : ''})`);
      }
      return;
    }
    if (c.expiresAt <= c.issuedAt) throw new ClaimPolicyError('expiresAt', 'must be after issuedAt');
    if (v.maxValiditySeconds !== null && c.expiresAt - c.issuedAt > v.maxValiditySeconds) {
      throw new ClaimPolicyError('expiresAt', `${name} claims may be valid at most ${days(v.maxValiditySeconds)} under the validity policy (asked ${days(c.expiresAt - c.issuedAt)})`);
    }
  }
}
