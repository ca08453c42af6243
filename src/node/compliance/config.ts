// The screening service's configuration: the `screening` object of the node config (embedded service) or the whole
// file of a standalone service (main.ts). Validated with zod so an error names the field.
import { z } from 'zod';
import { DEFAULT_THRESHOLD, INDEX_FLOOR, SOURCES } from '../../screening/index.js';
import { durationSchema, validityOverridesSchema } from '../claim-policy.js';

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address').transform((s) => s.toLowerCase() as `0x${string}`);
const url = z.string().url().refine((u) => /^https?:/.test(u), 'expected an http(s) URL');
const positiveDuration = durationSchema.refine((d) => d !== null, 'expected a duration').transform((d) => d as number);

/** Sanctions lists (topic 4) and PEP lists (topic 7); AML (topic 2) covers both. */
export const SANCTIONS_SOURCES = ['ofac-sdn', 'un-sc', 'us-csl', 'eu-fsf', 'uk-sanctions'] as const;
export const PEP_SOURCES = ['masque-pep', 'us-congress-pep'] as const;

export const webhookSchema = z.strictObject({
  /** Names the recipient in deliveries and logs (never a URL with its secret). */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'letters, digits, _ . - only'),
  url,
  /** hmac-sha256 (`secret` required) or eip191 (signed by the operator key; the receiver checks the address). */
  signing: z.enum(['hmac-sha256', 'eip191']).default('hmac-sha256'),
  secret: z.string().min(16, 'at least 16 characters').optional(),
  /** Event types to deliver (default: revocations, freezes, case decisions and openings, restorations). */
  events: z.array(z.string()).optional(),
}).refine((w) => w.signing !== 'hmac-sha256' || w.secret, { message: 'an hmac-sha256 webhook needs a secret', path: ['secret'] });

export const tokenServedSchema = z.strictObject({
  /** The token (absent: the node's own token of its deployment). */
  address: address.optional(),
  /** A ZkComplianceGate of the token on which the operator may suspend holders' nullifiers (it must be the gate's agent). */
  zkGate: address.optional(),
  /** Who answers for the token: they read its cases and evidence, and their webhooks get its revocations, freezes and decisions. */
  fundAdministrators: z.array(z.strictObject({
    name: z.string().min(1).max(64),
    address: address.optional(),
    webhook: webhookSchema.optional(),
  })).default([]),
});

export const sourceSchema = z.strictObject({
  source: z.enum(SOURCES),
  /** Files (paths) or URLs, fetched and imported each period; a version equal to the current one is no change. */
  files: z.array(z.string().min(1)).min(1),
  every: positiveDuration.default(3600),
});

export const screeningConfigSchema = z.strictObject({
  /** Run the service (default: on with the embedded chain, off with an external one). */
  enabled: z.boolean().optional(),
  /** The ClaimIssuer of the service: its name among the node's issuers (node_info.issuers). */
  issuerName: z.string().min(1).default('screening'),
  /** Topics the service issues and renews, each screened against its lists. */
  topics: z.array(z.union([z.literal(2), z.literal(4), z.literal(7)])).min(1).default([2, 4, 7]),
  /** A score at or above this opens a case for an analyst. */
  reviewThreshold: z.number().min(INDEX_FLOOR).max(1).default(DEFAULT_THRESHOLD),
  /** At or above this the service acts at once (revoke, freeze, alert); an analyst's confirmation acts below it. */
  autoActionThreshold: z.number().min(INDEX_FLOOR).max(1).default(0.95),
  /** Claims expiring within this are re-screened and renewed. */
  renewBefore: positiveDuration.default(7 * 86400),
  /** Claim windows the service issues (over the node's policy defaults: AML, Sanctions and PEP 30 days). */
  validity: validityOverridesSchema.default({}),
  /** Lists imported on a schedule. */
  sources: z.array(sourceSchema).default([]),
  /** Daily full re-screen at this UTC time (HH:MM), or every `fullScreenEvery` when set. */
  fullScreenAt: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:MM (UTC)').default('02:00'),
  fullScreenEvery: positiveDuration.optional(),
  /** How often the scheduler looks for due work (imports, renewals, the full screen). */
  tickSeconds: z.number().int().min(1).max(3600).default(30),
  /**
   * Tokens whose compliance the service serves: it freezes a holder's wallets on each (FREEZER role granted by the
   * owner). Default: the node's own token.
   */
  tokens: z.array(tokenServedSchema).default([{ fundAdministrators: [] }]),
  /** The operator's own alert endpoints (every event type they name; default the alert types). */
  webhooks: z.array(webhookSchema).default([]),
  /** Analysts' wallets: they review, assign and decide cases, and read cases and evidence. */
  analysts: z.array(address).default([]),
  /** The operator's keystore: `dir` (default <dataDir>/screening/keys), key `name`, passphrase (MASQUE_SCREENING_PASSPHRASE). */
  keystore: z.strictObject({
    dir: z.string().min(1).optional(),
    name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).default('operator'),
    passphrase: z.string().min(1).optional(),
  }).default({ name: 'operator' }),
  /** Full-screen page: holders screened per run (one signed Merkle root each), and per database transaction. */
  pageSize: z.number().int().min(1).max(100_000).default(5000),
});

export type ScreeningConfig = z.output<typeof screeningConfigSchema>;
export type ScreeningConfigInput = z.input<typeof screeningConfigSchema>;
export type WebhookConfig = z.output<typeof webhookSchema>;
export type TokenServed = z.output<typeof tokenServedSchema>;

/** Which sources speak for each topic. */
export function topicSources(topic: number): readonly string[] {
  if (topic === 4) return SANCTIONS_SOURCES;
  if (topic === 7) return PEP_SOURCES;
  return [...SANCTIONS_SOURCES, ...PEP_SOURCES];
}

/** The event types a webhook gets by default: what fund administrators must hear. */
export const ALERT_EVENTS = ['case.opened', 'case.actioned', 'case.decided', 'case.restored', 'claim.revoked', 'wallet.frozen', 'wallet.unfrozen', 'claim.reissued', 'risk.band_changed'] as const;
