// Documents beyond the applicant's upload: the subject's ML-KEM-768 encryption keys on its identity (purpose 4), the
// documents of its claims (the issuer's own report included) and their re-wrapping after a key rotation, and access
// delegated to a fund administrator who grants regulators. Merged into `api` (api.ts); src/documents/README.md
// describes the envelopes, src/node/README.md the checks.
import { z } from 'zod';
import { addressSchema, authSchema } from './auth.js';
import { base64, didKey, execution, topic, txHash, unix, writeOut } from './fields.js';

const envelopeText = z.string().min(1).max(16384);

/** A document sealed client-side (src/documents) and the key wrapped for each recipient. */
export const sealedDocument = z.strictObject({
  ciphertext: base64.describe('the sealed document (src/documents format), base64'),
  mediaType: z.string().max(100).default('application/octet-stream'),
});
export const recipientEnvelopes = z.array(z.strictObject({ recipient: didKey, envelope: envelopeText })).min(1).max(8)
  .describe("the document key wrapped for each recipient: the subject's current encryption keys (purpose 4), and the issuer's own did:key if it keeps a copy");

const envelopeOut = z.object({ recipient: z.string(), ref: z.string(), envelope: z.string() });

export const documentsApi = {
  id_addEncryptionKey: {
    summary: "Adds an ML-KEM-768 encryption key (purpose 4, key = sha256 of the public key, key type 0x120c) to the identity; the public key goes to the blockstore by CID, so the wallet's did:pkh document lists it as keyAgreement.",
    write: true,
    params: z.strictObject({ identity: addressSchema, key: didKey.describe('the mlkem-768-pub did:key'), execution: execution.optional(), auth: authSchema }),
    result: z.object({ txHash, keyId: z.string().describe('the ERC-734 key: sha256 of the public key'), cid: z.string().describe("the public key's block") }),
  },
  id_listClaimDocuments: {
    summary: "The documents of the identity's current claims (the issuer's report or the applicant's upload) with their key envelopes; a management key of the identity only.",
    write: false,
    params: z.strictObject({
      identity: addressSchema, topic: topic.optional(), includeCiphertext: z.boolean().optional(), auth: authSchema,
    }),
    result: z.array(z.object({
      topic: z.number(), issuer: z.string(), claimId: z.string(), cid: z.string(), documentHash: z.string(), mediaType: z.string(),
      envelopes: z.array(envelopeOut),
      documentStatus: z.enum(['included', 'absent']).optional(),
      ciphertext: z.string().optional(),
    })),
  },
  id_rewrapDocuments: {
    summary: "Stores the subject's documents re-wrapped for a new encryption key (after a rotation): each envelope is checked against the claim of its topic and must name a current encryption key of the identity.",
    write: true,
    params: z.strictObject({
      identity: addressSchema,
      envelopes: z.array(z.strictObject({ topic, envelope: envelopeText })).min(1).max(64),
      auth: authSchema,
    }),
    result: z.object({ stored: z.array(z.object({ topic: z.number(), recipient: z.string(), ref: z.string() })) }),
  },
  id_delegateClaimAccess: {
    summary: "Lets a fund administrator grant the topic's document to regulators while the subject is offline: the key wrapped for the administrator, recorded on chain as a grant under the topic's delegation topic (never a read grant).",
    write: true,
    params: z.strictObject({
      identity: addressSchema, topic, delegate: addressSchema.describe("the administrator's wallet"), delegateKey: didKey,
      envelope: envelopeText.describe("the document key wrapped for delegateKey"), expiresAt: unix.optional(), execution: execution.optional(), auth: authSchema,
    }),
    result: z.object({ envelopeRef: z.string(), txHash }),
  },
  id_revokeClaimDelegation: {
    summary: "Withdraws an administrator's delegation for a topic (on chain): every regulator grant it made stops opening at once.",
    write: true,
    params: z.strictObject({ identity: addressSchema, topic, delegate: addressSchema, execution: execution.optional(), auth: authSchema }),
    result: writeOut,
  },
  id_getClaimDelegation: {
    summary: 'The delegation of a topic to the signing administrator: its envelope (to re-wrap for a regulator) and on-chain state; the delegate only.',
    write: false,
    params: z.strictObject({ identity: addressSchema, topic, auth: authSchema }),
    result: z.object({ cid: z.string(), documentHash: z.string(), delegateKey: z.string(), envelope: z.string(), envelopeRef: z.string(), expiresAt: z.number(), onChain: z.boolean() }),
  },
  id_grantDelegatedAccess: {
    summary: "A fund administrator grants a regulator one topic of a subject it was delegated: the key re-wrapped for the regulator, the grant recorded on the administrator's own identity; the subject need not be online.",
    write: true,
    params: z.strictObject({
      identity: addressSchema.describe("the subject's identity"), topic,
      delegateIdentity: addressSchema.describe("the administrator's identity (where its grants are recorded)"),
      regulator: addressSchema, regulatorKey: didKey, envelope: envelopeText, expiresAt: unix.optional(), execution: execution.optional(), auth: authSchema,
    }),
    result: z.object({ envelopeRef: z.string(), txHash }),
  },
  id_revokeDelegatedAccess: {
    summary: "A fund administrator revokes a regulator's delegated grant (on its own identity, on chain).",
    write: true,
    params: z.strictObject({
      identity: addressSchema, topic, delegateIdentity: addressSchema, regulator: addressSchema, execution: execution.optional(), auth: authSchema,
    }),
    result: writeOut,
  },
} as const;
