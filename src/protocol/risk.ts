// The `risk_` methods of the node's API (zod schemas, merged into `api`): scores with their explanation for those
// allowed, the country risk table, recomputes, attested jurisdiction. Scores and factors are personal data: without a
// signed request by the holder, an operator or a regulator only the on-chain number is answered.
import { z } from 'zod';
import { addressSchema, authSchema, bytes32Schema } from './auth.js';

const factor = z.object({
  id: z.string(), family: z.enum(['country', 'customer', 'activity', 'compliance']),
  weight: z.number().describe('points at full value'), value: z.number().describe('0-1'), points: z.number().describe('weight x value'),
  detail: z.string().describe('why, in words'),
});
const recompute = z.object({
  indexedTo: z.number().nullable().describe('last block indexed'),
  events: z.number().describe('Transfer events indexed by this call'),
  rescored: z.number(),
  written: z.array(z.object({ identity: z.string(), score: z.number(), txHash: z.string() })).describe('scores written on-chain (band or token limit crossed)'),
  bandChanges: z.array(z.object({ identity: z.string(), from: z.string().nullable(), to: z.string(), score: z.number(), onchain: z.boolean() })),
});
const countryEntry = z.strictObject({
  country: z.union([z.number().int(), z.string().min(2).max(3)]).describe('ISO 3166-1 numeric, alpha-2 or alpha-3'),
  score: z.union([z.number(), z.string()]).describe('0 to scale'),
  label: z.string().max(200).optional(),
});
const tableMeta = {
  id: z.string().min(1).max(80), name: z.string().min(1).max(200), asOf: z.string().describe('YYYY-MM-DD'), source: z.string().min(1).max(500),
  defaultScore: z.number().min(0).optional(),
};

export const riskApi = {
  risk_getScore: {
    summary: "An identity's risk score: the on-chain number for anyone; the score, band and every factor (weight, value, points, why) for the holder (a management key), a risk operator or a regulator, by signed request.",
    write: false,
    params: z.strictObject({ identity: addressSchema, auth: authSchema.optional().describe('holder, operator or regulator: adds the explanation') }),
    result: z.object({
      identity: z.string(),
      onchain: z.object({ score: z.number().nullable(), updatedAt: z.number().nullable().describe('unix seconds') }),
      access: z.enum(['public', 'holder', 'operator', 'regulator']),
      score: z.number().optional(), band: z.string().optional(), computedAt: z.number().optional().describe('unix seconds'),
      families: z.record(z.string(), z.number()).optional(), factors: z.array(factor).optional(),
      model: z.string().optional(), countryTable: z.string().optional(),
    }),
  },
  risk_getCountryTable: {
    summary: 'The active country risk table (the FATF February 2026 seed until an operator imports one).',
    write: false,
    params: z.strictObject({}),
    result: z.object({
      id: z.string(), name: z.string(), asOf: z.string(), source: z.string(), defaultScore: z.number(),
      entries: z.array(z.object({ country: z.number(), score: z.number(), label: z.string() })),
      seed: z.boolean(), importedAt: z.number().nullable().describe('unix ms'), importedBy: z.string().nullable(),
    }),
  },
  risk_importCountryTable: {
    summary: "Makes a country risk table active (JSON entries or CSV `country,score[,label]`, optional scale, e.g. 10 for the Basel AML Index) and rescores every identity of a country whose score changed, writing band changes on-chain; risk operators only.",
    write: true,
    params: z.strictObject({
      ...tableMeta,
      entries: z.array(countryEntry).max(400).optional(),
      csv: z.string().max(100_000).optional(),
      scale: z.number().positive().max(1000).optional(),
      auth: authSchema,
    }).refine((p) => (p.entries === undefined) !== (p.csv === undefined), { message: 'exactly one of entries or csv', path: ['entries'] }),
    result: recompute.extend({ table: z.string(), countries: z.array(z.number()).describe('countries whose score changed') }),
  },
  risk_recompute: {
    summary: 'Indexes new events, re-reads the facts of one identity (every registered one when omitted) from the chain, rescores and writes band changes; risk operators only.',
    write: true,
    params: z.strictObject({ identity: addressSchema.optional(), auth: authSchema }),
    result: recompute,
  },
  risk_attestJurisdiction: {
    summary: "Shows the node the opening (country, salt) of an identity's valid JURISDICTION claim (topic 9) from a trusted issuer; the node checks documentHash = keccak256(abi.encode(\"masque.jurisdiction.v1\", country, salt)) and sets that country in the identity registry for every wallet of the identity.",
    write: true,
    params: z.strictObject({
      identity: addressSchema,
      country: z.number().int().min(1).max(999).describe('ISO 3166-1 numeric'),
      salt: bytes32Schema,
      auth: authSchema.describe('a management key of the identity, or a signer of the attesting issuer'),
    }),
    result: z.object({
      issuer: z.string(), claimId: z.string(),
      updated: z.array(z.object({ wallet: z.string(), txHash: z.string() })).describe('wallets whose registered country changed'),
      score: z.number().nullable(),
    }),
  },
} as const;
