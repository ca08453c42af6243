export { Claim, SUBJECT_SELF, SUBJECT_INDEX, MAX_REVISION, type ClaimInput, type ClaimSlots } from './claim.js';
export { defineSchema, schemaHash, canonicalJson, DATA_SLOTS, SLOT_INDEX, type Schema, type SchemaDefinition, type SchemaFieldDefinition, type DataSlot } from './schema.js';
export { hashString, countryToNumeric, type FieldType, type FieldSpec, type DecodedValue } from './types.js';
export { ClaimFieldError } from './errors.js';
export { KYC_SCHEMA, ACCREDITATION_SCHEMA, SANCTIONS_SCHEMA, RISK_SCORE_SCHEMA } from './schemas.js';
