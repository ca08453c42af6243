import { defineSchema } from './schema.js';

/** Schemas for the ZK claims Masque issues out of the box (topic numbers as in the on-chain registry). */
export const KYC_SCHEMA = defineSchema({
  name: 'masque.kyc',
  version: '1',
  description: 'Topic 1: identity verified by a KYC provider',
  fields: [
    { name: 'birthDate', slot: 'v1', type: 'date' },
    { name: 'countryOfResidence', slot: 'v2', type: 'country' },
    { name: 'nationality', slot: 'v3', type: 'country' },
  ],
});

export const ACCREDITATION_SCHEMA = defineSchema({
  name: 'masque.accreditation',
  version: '1',
  description: 'Topic 3: investor accreditation',
  fields: [
    { name: 'investorType', slot: 'v1', type: 'enum', values: ['retail', 'professional', 'institutional'] },
    { name: 'netWorthUsd', slot: 'v2', type: 'integer' },
  ],
});

export const SANCTIONS_SCHEMA = defineSchema({
  name: 'masque.sanctions-clear',
  version: '1',
  description: 'Topic 4: not on the sanctions lists screened at the given time',
  fields: [
    { name: 'screenedAt', slot: 'v1', type: 'timestamp' },
    { name: 'listsDigest', slot: 'v2', type: 'field' },
  ],
});

export const RISK_SCORE_SCHEMA = defineSchema({
  name: 'masque.risk-score',
  version: '1',
  description: 'Topic 10: the risk score (0-100) a risk issuer computed, for proofs such as "below 40" that reveal nothing else',
  fields: [
    { name: 'score', slot: 'v1', type: 'integer', maximum: 100 },
    { name: 'scoredAt', slot: 'v2', type: 'timestamp' },
  ],
});
