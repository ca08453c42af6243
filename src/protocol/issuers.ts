// Issuers and registries at run time: KYC providers register their own ClaimIssuer while the node runs, a token's
// registry owner (or role holder) trusts and distrusts issuers and sets the required topics by signature, and on the
// embedded chain a test network's clock moves (evm_increaseTime / evm_mine). Merged into `api` (api.ts).
import { z } from 'zod';
import { addressSchema, authSchema, bytes32Schema, hexSchema } from './auth.js';
import { didKey, topic, txHash } from './fields.js';

/** Topics of one list: distinct, at most 15 (the registries' bound). */
const topicList = (min: number) => z.array(topic).min(min).max(15)
  .refine((t) => new Set(t).size === t.length, 'topics must be distinct');

/**
 * The EIP-712 `SignedCall` of the registry function (domain "Masque Signed Call", verifyingContract = the registry)
 * by its owner or the role holder: the node relays it through the registry's `executeSigned` and holds no role.
 */
const registryCall = z.strictObject({
  nonce: bytes32Schema,
  deadline: z.number().int().positive(),
  signature: hexSchema,
}).describe('EIP-712 SignedCall of this registry call (domain "Masque Signed Call", verifyingContract = the registry), by its owner or role holder');

/** An issuer the node knows: deployed from the config at first start, or registered since (id_registerIssuer). */
export const issuerInfo = z.object({
  name: z.string(),
  address: z.string().describe('the ClaimIssuer contract'),
  signer: z.string().describe("the provider's wallet: management and claim-signer key of the contract"),
  topics: z.array(z.number()).describe('topics the provider issues (declared at registration)'),
  encryptionDid: z.string().nullable().describe('did:key (ML-KEM-768) applicants seal their documents for'),
  trustedTopics: z.array(z.number()).describe("topics the node's default TrustedIssuersRegistry trusts it for now"),
});

const registryOut = z.object({ registry: z.string(), txHash });

export const issuerApi = {
  id_registerIssuer: {
    summary: "Deploys a ClaimIssuer for a new KYC provider while the node runs: its signer (the caller's wallet) is management and claim-signer key; the node pays gas, keeps no key, and trusts it nowhere (a registry owner does: id_addTrustedIssuer).",
    write: true,
    params: z.strictObject({
      name: z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, ".", "_" and "-" only (a label, not a person\'s name)')
        .describe('the name the CLI and node_info know it by; unique on this node'),
      signer: addressSchema.describe("the provider's wallet; must be auth.signer"),
      topics: topicList(1),
      encryptionDid: didKey.optional().describe("the provider's ML-KEM-768 did:key, published by node_info for applicants"),
      auth: authSchema,
    }),
    result: issuerInfo.extend({ txHash }),
  },
  id_addTrustedIssuer: {
    summary: "Trusts an issuer for topics in a TrustedIssuersRegistry (the node's default one when `registry` is absent), by the registry owner's (or ISSUERS_SETTER's) signed call, relayed.",
    write: true,
    params: z.strictObject({
      registry: addressSchema.optional().describe("a TrustedIssuersRegistry (default: node_info.contracts.trustedIssuersRegistry)"),
      issuer: addressSchema.describe('the ClaimIssuer contract'),
      topics: topicList(1),
      execution: registryCall,
      auth: authSchema,
    }),
    result: registryOut,
  },
  id_removeTrustedIssuer: {
    summary: 'Stops trusting an issuer in a TrustedIssuersRegistry (its claims stop counting at once), by the owner\'s (or ISSUERS_SETTER\'s) signed call, relayed.',
    write: true,
    params: z.strictObject({
      registry: addressSchema.optional().describe("a TrustedIssuersRegistry (default: node_info.contracts.trustedIssuersRegistry)"),
      issuer: addressSchema,
      execution: registryCall,
      auth: authSchema,
    }),
    result: registryOut,
  },
  id_updateIssuerTopics: {
    summary: "Replaces the topics a trusted issuer is trusted for (claims of dropped topics stop counting at once), by the owner's (or ISSUERS_SETTER's) signed call, relayed.",
    write: true,
    params: z.strictObject({
      registry: addressSchema.optional().describe("a TrustedIssuersRegistry (default: node_info.contracts.trustedIssuersRegistry)"),
      issuer: addressSchema,
      topics: topicList(1),
      execution: registryCall,
      auth: authSchema,
    }),
    result: registryOut,
  },
  id_acceptRegistryOwnership: {
    summary: 'Completes a two-step ownership transfer of a registry (TrustedIssuersRegistry or ClaimTopicsRegistry): the pending owner\'s signed acceptOwnership, relayed.',
    write: true,
    params: z.strictObject({
      registry: addressSchema.describe('the registry whose pending owner signs'),
      execution: registryCall,
      auth: authSchema,
    }),
    result: registryOut,
  },
  id_setClaimTopics: {
    summary: "Sets the claim topics a ClaimTopicsRegistry requires (the node's default one when `registry` is absent), the whole list in one signed call of its owner (or CLAIM_TOPICS_SETTER), relayed.",
    write: true,
    params: z.strictObject({
      registry: addressSchema.optional().describe("a ClaimTopicsRegistry (default: node_info.contracts.claimTopicsRegistry)"),
      topics: topicList(0),
      execution: registryCall,
      auth: authSchema,
    }),
    result: registryOut,
  },
  id_getTrustedIssuers: {
    summary: 'A TrustedIssuersRegistry: owner, and each trusted issuer with its topics (and its name when the node knows it).',
    write: false,
    params: z.strictObject({ registry: addressSchema.optional().describe('default: the node\'s') }),
    result: z.object({
      registry: z.string(), owner: z.string(),
      issuers: z.array(z.object({ address: z.string(), topics: z.array(z.number()), name: z.string().nullable() })),
    }),
  },
  id_getClaimTopics: {
    summary: 'A ClaimTopicsRegistry: owner and the topics it requires.',
    write: false,
    params: z.strictObject({ registry: addressSchema.optional().describe('default: the node\'s') }),
    result: z.object({ registry: z.string(), owner: z.string(), topics: z.array(z.number()) }),
  },
  evm_increaseTime: {
    summary: "Embedded chain only (refused on an external one): moves the chain's clock forward by `seconds` for the next block; anvil's answer (the total offset, seconds).",
    write: true,
    params: z.strictObject({
      seconds: z.union([z.number().int().min(0).max(2 ** 40), z.string().regex(/^0x[0-9a-fA-F]{1,11}$/, 'expected seconds (a number or 0x-hex)')])
        .transform((v) => (typeof v === 'number' ? v : Number(v))),
    }),
    result: z.number(),
  },
  evm_mine: {
    summary: 'Embedded chain only (refused on an external one): mines one block, at `timestamp` when given; anvil\'s answer ("0x0").',
    write: true,
    params: z.strictObject({ timestamp: z.number().int().min(0).max(2 ** 40).optional().describe('unix seconds of the new block') }),
    result: z.string(),
  },
} as const;
