// A holder's screening profile: what the service screens (names and aliases in any script, date of birth,
// nationalities, country, wallets, identifiers). Personal data: parsed here from a KYC document or a provider's
// submission, encrypted at rest, and never put in a log line, an error or an event. Errors name the field only.
import { gcm } from '@noble/ciphers/aes.js';
import { randomBytes } from '@noble/ciphers/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { z } from 'zod';
import { canonicalJson, countryCode, type Identifier, type Query } from '../../screening/index.js';

export const PROFILE_FORMAT = 'masque-screening-profile/1';

const country = z.string().min(2).max(60).transform((s, ctx) => {
  const c = countryCode(s);
  if (!c) {
    ctx.addIssue({ code: 'custom', message: 'not a country (ISO 3166 alpha-2 or an English name)' });
    return z.NEVER;
  }
  return c;
});

export const profileSchema = z.strictObject({
  format: z.literal(PROFILE_FORMAT).optional(),
  schema: z.enum(['Person', 'Company', 'Organization', 'LegalEntity']).default('Person'),
  /** The name as used first, then aliases, transliterations, earlier names: any script. */
  names: z.array(z.string().trim().min(1, 'empty name').max(300, 'name longer than 300 characters')).min(1, 'at least one name').max(20),
  birthDate: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'expected YYYY, YYYY-MM or YYYY-MM-DD').optional(),
  nationalities: z.array(country).max(10).default([]),
  country: country.optional(),
  wallets: z.array(z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte hex address').transform((s) => s.toLowerCase())).max(20).default([]),
  identifiers: z.array(z.strictObject({
    type: z.enum(['passport', 'national-id', 'tax-id', 'registration', 'crypto', 'other']),
    value: z.string().trim().min(1).max(120),
    country: country.optional(),
  })).max(20).default([]),
});

export type Profile = z.output<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;

/** A profile that failed validation: `field` names where (a path), the message never quotes the value. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
  }
}

export function parseProfile(input: unknown, fieldPrefix = 'profile'): Profile {
  const r = profileSchema.safeParse(input);
  if (!r.success) {
    const i = r.error.issues[0]!;
    // zod's messages for these schemas never echo the input; the path names the field.
    throw new ProfileError([fieldPrefix, ...i.path.map(String)].join('.'), i.message);
  }
  return r.data;
}

/**
 * A profile from a KYC document's JSON (the document the holder's KYC provider reviewed, opened with the operator's
 * envelope): `masque-screening-profile/1` as is, or the usual KYC field names (`name` / `fullName`, `aliases`,
 * `dateOfBirth` / `birthDate`, `nationality` / `nationalities`, `country` / `residence`, `wallet(s)`); other fields
 * (document numbers, scans) are ignored.
 */
export function profileFromDocument(json: unknown): Profile {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ProfileError('document', 'not a JSON object');
  const d = json as Record<string, unknown>;
  if (d.format === PROFILE_FORMAT) return parseProfile(d, 'document');
  const list = (...keys: string[]) => keys.flatMap((k) => (Array.isArray(d[k]) ? (d[k] as unknown[]) : d[k] === undefined ? [] : [d[k]]));
  const names = list('names', 'name', 'fullName', 'aliases', 'otherNames');
  return parseProfile({
    schema: d.schema ?? (d.type === 'company' ? 'Company' : 'Person'),
    names,
    birthDate: d.birthDate ?? d.dateOfBirth,
    nationalities: list('nationalities', 'nationality'),
    country: d.country ?? d.residence ?? d.countryOfResidence,
    wallets: list('wallets', 'wallet'),
  }, 'document');
}

/** What the matcher screens: names, schema, date of birth, nationalities, country, wallets as crypto identifiers. */
export function profileQuery(p: Profile): Query {
  const identifiers: Identifier[] = [
    ...p.wallets.map((w) => ({ type: 'crypto' as const, value: w })),
    ...p.identifiers.map((i) => ({ type: i.type, value: i.value, ...(i.country ? { country: i.country } : {}) })),
  ];
  return {
    names: p.names, schema: p.schema, birthDates: p.birthDate ? [p.birthDate] : [],
    nationalities: p.nationalities, countries: p.country ? [p.country] : [], identifiers,
  };
}

const AAD = (chainId: number, what: string, id: string) => new TextEncoder().encode(`masque-screening/${what}/v1\n${chainId}\n${id.toLowerCase()}`);

/** AES-256-GCM under the operator's data key, bound to (chain, kind, id): a ciphertext moved to another row fails. */
export function seal(dataKey: Uint8Array, chainId: number, what: 'profile' | 'case', id: string, plaintext: Uint8Array): Buffer {
  const nonce = randomBytes(12);
  const ct = gcm(dataKey, nonce, AAD(chainId, what, id)).encrypt(plaintext);
  return Buffer.concat([Buffer.from([1]), nonce, ct]);
}

export function unseal(dataKey: Uint8Array, chainId: number, what: 'profile' | 'case', id: string, box: Uint8Array): Uint8Array {
  if (box[0] !== 1) throw new Error(`stored ${what} ciphertext of an unknown version`);
  return gcm(dataKey, box.subarray(1, 13), AAD(chainId, what, id)).decrypt(box.subarray(13));
}

export function sealProfile(dataKey: Uint8Array, chainId: number, identity: string, p: Profile): Buffer {
  return seal(dataKey, chainId, 'profile', identity, new TextEncoder().encode(JSON.stringify(p)));
}

export function openProfile(dataKey: Uint8Array, chainId: number, identity: string, box: Uint8Array): Profile {
  return JSON.parse(new TextDecoder().decode(unseal(dataKey, chainId, 'profile', identity, box))) as Profile;
}

/** HMAC-SHA256 of the profile's canonical JSON: evidence records cite it (the operator can open it to an auditor). */
export function profileCommitment(commitmentKey: Uint8Array, identity: string, p: Profile): string {
  return `0x${bytesToHex(hmac(sha256, commitmentKey, new TextEncoder().encode(`${identity.toLowerCase()}\n${canonicalJson(p)}`)))}`;
}
