// The `screening_` methods (continuous compliance, src/node/compliance): schemas spread into `api` (api.ts). Every
// write is signed (EIP-712 Request) by the screening operator or an analyst; reads of profiles, cases, evidence and
// events are signed too (operator, analysts, and the served tokens' fund administrators for cases and evidence).
// Lists and their diffs are public. Nothing here carries personal data except a profile and a case's detail, which
// only the operator and analysts receive.
import { z } from 'zod';
import { addressSchema, authSchema } from './auth.js';

const caseStatus = z.enum(['triggered', 'under_review', 'escalated', 'confirmed', 'dismissed']);
const country = z.string().min(2).max(60);

/** A holder's screening profile (personal data: sealed at rest, never on chain). */
export const screeningProfileSchema = z.strictObject({
  schema: z.enum(['Person', 'Company', 'Organization', 'LegalEntity']).optional(),
  names: z.array(z.string().min(1).max(300)).min(1).max(20).describe('the name as used first, then aliases and transliterations, any script'),
  birthDate: z.string().optional().describe('YYYY, YYYY-MM or YYYY-MM-DD'),
  nationalities: z.array(country).max(10).optional(),
  country: country.optional(),
  wallets: z.array(addressSchema).max(20).optional().describe('wallets frozen on a confirmed hit'),
  identifiers: z.array(z.strictObject({
    type: z.enum(['passport', 'national-id', 'tax-id', 'registration', 'crypto', 'other']), value: z.string().min(1).max(120), country: country.optional(),
  })).max(20).optional(),
});

const caseOut = z.object({
  caseId: z.string(), identity: z.string(), entityId: z.string(), entityHash: z.string(), source: z.string(), listHash: z.string(),
  score: z.number(), topics: z.array(z.number()), status: caseStatus, auto: z.boolean(),
  actionState: z.enum(['none', 'acting', 'acted', 'restoring', 'restored']),
  assignee: z.string().nullable(), decidedBy: z.string().nullable(), decidedAt: z.number().nullable(), reason: z.string().nullable(),
  createdAt: z.number(), updatedAt: z.number(),
});
const outcome = z.object({ identity: z.string(), decision: z.string(), bestScore: z.number(), casesOpened: z.array(z.string()), claimsIssued: z.array(z.number()) });

export const screeningApi = {
  screening_status: {
    summary: 'The screening service of this node: operator, issuer, topics, thresholds, current list versions, holders enrolled.',
    write: false,
    params: z.strictObject({}),
    result: z.object({
      enabled: z.boolean(), operator: z.string().nullable(), issuer: z.string().nullable(), topics: z.array(z.number()),
      reviewThreshold: z.number(), autoActionThreshold: z.number(), holders: z.number(),
      lists: z.array(z.object({ source: z.string(), hash: z.string(), updatedAt: z.number() })),
    }),
  },
  screening_importList: {
    summary: 'Imports a new version of a list from its files (base64); a delta screen of the holders who could match what changed follows. Operator only.',
    write: true,
    params: z.strictObject({
      source: z.string().min(1).describe('ofac-sdn, un-sc, us-csl, eu-fsf, uk-sanctions, masque-pep, us-congress-pep'),
      files: z.array(z.strictObject({ name: z.string().min(1).max(200), data: z.string().min(1).describe('base64') })).min(1).max(10),
      publishedAt: z.string().optional(),
      auth: authSchema,
    }),
    result: z.object({
      status: z.enum(['stored', 'unchanged']), source: z.string(), hash: z.string(), entryCount: z.number(), previousHash: z.string().nullable(),
      diff: z.object({ added: z.number(), removed: z.number(), changed: z.number() }),
    }),
  },
  screening_listVersions: {
    summary: 'List versions, newest first (public: lists are public).',
    write: false,
    params: z.strictObject({ source: z.string().optional(), limit: z.number().int().min(1).max(200).default(50) }),
    result: z.array(z.object({ source: z.string(), hash: z.string(), previousHash: z.string().nullable(), entryCount: z.number(), publishedAt: z.string().nullable(), importedAt: z.number(), warnings: z.array(z.string()) })),
  },
  screening_listDiff: {
    summary: 'What changed between two stored versions of a source: entry ids added, removed and changed (public).',
    write: false,
    params: z.strictObject({ source: z.string(), from: z.string(), to: z.string() }),
    result: z.object({ added: z.array(z.string()), removed: z.array(z.string()), changed: z.array(z.string()) }),
  },
  screening_search: {
    summary: 'Searches the current lists for a name (any script) with optional qualifiers; operator and analysts only (the query is personal data).',
    write: false,
    params: z.strictObject({ profile: screeningProfileSchema, limit: z.number().int().min(1).max(100).default(10), auth: authSchema }),
    result: z.array(z.object({ entityId: z.string(), source: z.string(), score: z.number(), listName: z.string(), programs: z.array(z.string()) })),
  },
  screening_submitProfile: {
    summary: "Enrols or updates a holder's screening profile (sealed at rest) and screens it at once; claims are issued when clear. Operator, analysts or a KYC issuer's signer.",
    write: true,
    params: z.strictObject({ identity: addressSchema, profile: screeningProfileSchema, auth: authSchema }),
    result: z.object({ identity: z.string(), commitment: z.string(), screening: outcome }),
  },
  screening_getProfile: {
    summary: "A holder's screening profile (personal data): the operator only.",
    write: false,
    params: z.strictObject({ identity: addressSchema, auth: authSchema }),
    result: z.object({ identity: z.string(), profile: z.record(z.string(), z.unknown()), commitment: z.string(), origin: z.string(), submittedBy: z.string(), updatedAt: z.number() }),
  },
  screening_screenHolder: {
    summary: 'Screens one enrolled holder now (a manual screening: evidence recorded, cases and claims as usual). Operator and analysts.',
    write: true,
    params: z.strictObject({ identity: addressSchema, auth: authSchema }),
    result: z.object({ runId: z.number().nullable(), outcome: outcome.nullable() }),
  },
  screening_listCases: {
    summary: "Cases, oldest first, filtered by status, holder and assignee. Operator and analysts see all; a token's fund administrators see their holders'.",
    write: false,
    params: z.strictObject({
      status: z.array(caseStatus).optional(), identity: addressSchema.optional(),
      assignee: z.union([addressSchema, z.literal('unassigned')]).optional(),
      limit: z.number().int().min(1).max(200).default(50), offset: z.number().int().min(0).default(0), auth: authSchema,
    }),
    result: z.object({ total: z.number(), cases: z.array(caseOut) }),
  },
  screening_getCase: {
    summary: "One case with its history and action steps; the match explanation (it quotes names) only to the operator and analysts.",
    write: false,
    params: z.strictObject({ caseId: z.string().uuid(), auth: authSchema }),
    result: caseOut.extend({
      history: z.array(z.object({ at: z.number(), actor: z.string(), action: z.string(), fromStatus: z.string().nullable(), toStatus: z.string().nullable(), note: z.string().nullable() })),
      actions: z.array(z.object({ phase: z.string(), step: z.number(), kind: z.string(), target: z.string(), status: z.string(), txHash: z.string().nullable() })),
      detail: z.unknown().optional(),
    }),
  },
  screening_assignCase: {
    summary: 'Assigns an open case to an analyst (null releases it). Operator and analysts.',
    write: true,
    params: z.strictObject({ caseId: z.string().uuid(), assignee: addressSchema.nullable(), auth: authSchema }),
    result: caseOut,
  },
  screening_decideCase: {
    summary: 'Moves a case: review, escalate, confirm (claims stay revoked, wallets frozen; acts now if it had not) or dismiss as a false positive (the holder is restored). Operator and analysts.',
    write: true,
    params: z.strictObject({
      caseId: z.string().uuid(), decision: z.enum(['review', 'escalate', 'confirm', 'dismiss']),
      reason: z.string().min(1).max(1000).optional().describe('required to confirm or dismiss'), auth: authSchema,
    }),
    result: caseOut,
  },
  screening_getEvidence: {
    summary: "A holder's evidence records (no personal data) with their Merkle proofs and the operator-signed run headers, newest first.",
    write: false,
    params: z.strictObject({ identity: addressSchema, limit: z.number().int().min(1).max(100).default(20), auth: authSchema }),
    result: z.array(z.object({ record: z.record(z.string(), z.unknown()), leaf: z.string(), proof: z.unknown(), header: z.record(z.string(), z.unknown()), signature: z.string() })),
  },
  screening_events: {
    summary: 'The event stream (list imports, cases, revocations, freezes, decisions), after a sequence number. Operator, analysts, fund administrators.',
    write: false,
    params: z.strictObject({ after: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(500).default(100), auth: authSchema }),
    result: z.array(z.object({ seq: z.number(), at: z.number(), type: z.string(), identity: z.string().nullable(), caseId: z.string().nullable(), tokens: z.array(z.string()), data: z.record(z.string(), z.unknown()) })),
  },
} as const;
