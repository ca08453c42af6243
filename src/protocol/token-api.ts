// The token_ methods of the node (token suites deployed through TokenFactory, their admin writes and reads), as zod
// schemas spread into `api` (api.ts). Writes carry the caller's `auth` (EIP-712 Request) and `executions`: one
// EIP-712 SignedCall per suite contract the write touches (token-calls.ts), which the contracts check themselves.
import { z } from 'zod';
import { addressSchema, authSchema, bytes32Schema, hexSchema } from './auth.js';
import { SUITE_ROLES } from '../chain/roles.js';
import { JURISDICTION_STATUSES, MODULE_NAMES } from './token-calls.js';

const amount = z.string().regex(/^\d{1,39}$/, 'expected a decimal integer string (token units)')
  .refine((s) => !/^\d{1,39}$/.test(s) || BigInt(s) < 2n ** 128n, 'above the token supply cap (2^128 - 1)');
const positiveAmount = amount.refine((s) => !/^\d{1,39}$/.test(s) || BigInt(s) > 0n, 'must be above 0');
const country = z.number().int().min(1).max(999).describe('ISO 3166-1 numeric country code');
const topic = z.number().int().min(1).max(2 ** 32).describe('claim topic (1 = KYC, 2 = AML, ...)');
const tokenParam = addressSchema.optional().describe("the token (default: the node's default token)");
const role = z.enum(SUITE_ROLES).describe('a suite role: SUPPLY_MODIFIER, FREEZER, TRANSFER_MANAGER, RECOVERY_AGENT, COMPLIANCE_AGENT, WHITELIST_MANAGER, REGISTRY_SETTER, COMPLIANCE_SETTER, ISSUERS_SETTER, CLAIM_TOPICS_SETTER, TOKEN_INFO_SETTER');
const moduleRef = z.union([z.enum(MODULE_NAMES), addressSchema]).describe('one of the node\'s modules by name, or any compliance module\'s address');
const countries = z.array(country).min(1).max(200);
export const moduleSetting = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('allowCountries'), countries }),
  z.strictObject({ kind: z.literal('disallowCountries'), countries }),
  z.strictObject({ kind: z.literal('restrictCountries'), countries }),
  z.strictObject({ kind: z.literal('unrestrictCountries'), countries }),
  z.strictObject({ kind: z.literal('maxBalance'), amount }),
  z.strictObject({ kind: z.literal('riskLimit'), maxScore: z.number().int().min(0).max(100), allowUnscored: z.boolean(), riskRegistry: addressSchema.optional() }),
  z.strictObject({ kind: z.literal('jurisdictionRules'), allowListOnly: z.boolean().describe('only allowed jurisdictions pass'), topic: topic.optional().describe('the attesting claim topic (default 9, JURISDICTION)') }),
  z.strictObject({ kind: z.literal('jurisdictions'), countries, status: z.enum(JURISDICTION_STATUSES) }),
  z.strictObject({
    kind: z.literal('freshKyc'), scoreAbove: z.number().int().min(0).max(100).describe('parties scored above this need a fresh KYC claim'),
    maxAgeDays: z.number().int().min(1).max(49_710).describe('how young the KYC claim must be'), topic: topic.max(2 ** 32 - 1).optional().describe('the KYC topic (default 1)'), riskRegistry: addressSchema.optional(),
  }),
], { error: (i) => (i.code === 'invalid_union' ? 'expected kind allowCountries, disallowCountries, restrictCountries, unrestrictCountries, maxBalance, riskLimit, jurisdictionRules, jurisdictions or freshKyc' : undefined) })
  .describe('one configuration call of a module (allow/restrict countries: Country*Module; maxBalance: MaxBalanceModule; riskLimit: MaxRiskScoreModule; jurisdictionRules, jurisdictions: JurisdictionModule; freshKyc: FreshKycModule)');
const countryList = z.array(z.number()).describe('ISO 3166-1 numeric codes, ascending');
const riskRegistry = z.string().nullable().describe('where scores are read; null: the module is not configured for this token and refuses every transfer');
/** A module's current settings for one token, read from the chain (what `moduleSetting` changes). */
export const moduleSettings = z.discriminatedUnion('module', [
  z.object({ module: z.literal('CountryAllowModule'), allowedCountries: countryList.describe('only receivers registered in these countries pass') }),
  z.object({ module: z.literal('CountryRestrictModule'), restrictedCountries: countryList.describe('receivers registered in these countries are refused') }),
  z.object({ module: z.literal('MaxBalanceModule'), maxBalance: z.string().describe("each identity's balance cap in token units (0 refuses every incoming transfer)") }),
  z.object({ module: z.literal('MaxRiskScoreModule'), riskRegistry, maxScore: z.number(), allowUnscored: z.boolean() }),
  z.object({ module: z.literal('JurisdictionModule'), topic: z.number().describe('the attesting claim topic'), allowListOnly: z.boolean(), allowedCountries: countryList, blockedCountries: countryList }),
  z.object({
    module: z.literal('FreshKycModule'), riskRegistry, scoreAbove: z.number(), maxAgeSeconds: z.number().describe('how young the KYC claim must be'), topic: z.number().describe('the KYC topic'),
  }),
]);
const execution = z.strictObject({ nonce: bytes32Schema, deadline: z.number().int().positive(), signature: hexSchema });
const executions = z.array(execution).min(1).max(5)
  .describe('EIP-712 SignedCall signatures (domain "Masque Signed Call", verifyingContract = the suite contract), one per contract the write touches, in the order token, identityRegistry, compliance, trustedIssuersRegistry, claimTopicsRegistry');
const txHash = z.string().describe('transaction hash');
const writeOut = z.object({ txHash, txHashes: z.array(z.string()).describe('one per signed call, in order'), blockNumber: z.number() });
const suite = z.object({
  token: z.string(), identityRegistry: z.string(), identityRegistryStorage: z.string(), compliance: z.string(),
  trustedIssuersRegistry: z.string(), claimTopicsRegistry: z.string(),
});

/** A write on a token: its params plus the signatures. */
const tokenWrite = <S extends z.ZodRawShape>(shape: S) => z.strictObject({ token: tokenParam, ...shape, executions, auth: authSchema });

export const tokenApi = {
  token_deploy: {
    summary: "Deploys a token issuer's whole ERC-3643 suite in one transaction (TokenFactory): token, identity registry with its own storage or a shared one, claim topics and trusted issuers, modular compliance with its modules and settings, the token's identity; the owner owns everything, its agents get their roles, the node pays gas and holds nothing.",
    write: true,
    params: z.strictObject({
      owner: addressSchema.describe("the issuer's wallet: owns every contract (auth.signer must be it)"),
      name: z.string().min(1).max(64),
      symbol: z.string().min(1).max(16).regex(/^[A-Za-z0-9.-]+$/, 'letters, digits, . and - only'),
      decimals: z.number().int().min(0).max(18).optional().describe('default 0'),
      salt: bytes32Schema.describe('chooses the suite\'s CREATE2 addresses (one suite per owner and salt)'),
      onchainID: addressSchema.optional().describe("the token's identity; absent: one is deployed, managed by the owner"),
      identityRegistryStorage: addressSchema.optional().describe('a shared storage (its owner signs storageBinding); absent: a new one'),
      claimTopics: z.array(topic).max(15).optional(),
      trustedIssuers: z.array(z.strictObject({ issuer: addressSchema, topics: z.array(topic).min(1).max(15) })).max(50).optional(),
      modules: z.array(z.strictObject({ module: moduleRef, settings: z.array(moduleSetting).max(10).optional() })).max(25).optional(),
      agents: z.array(z.strictObject({ address: addressSchema, roles: z.array(role).min(1) })).max(16).optional(),
      authorization: z.strictObject({ deadline: z.number().int().positive(), signature: hexSchema })
        .describe('the owner\'s EIP-712 DeploySuite signature (domain "Masque Token Factory")'),
      storageBinding: execution.optional().describe("the shared storage owner's SignedCall of bindIdentityRegistry(predicted identity registry)"),
      auth: authSchema,
    }),
    result: suite.extend({ onchainID: z.string(), txHash, blockNumber: z.number(), gasUsed: z.string() }),
  },
  token_predictSuite: {
    summary: 'The addresses token_deploy gives an owner\'s suite for a salt (what a shared storage\'s owner signs the binding for).',
    write: false,
    params: z.strictObject({ owner: addressSchema, salt: bytes32Schema, ownStorage: z.boolean().optional(), createOnchainID: z.boolean().optional() }),
    result: suite.extend({ onchainID: z.string() }),
  },
  token_info: {
    summary: 'A token and its suite: metadata, supply, pause, owner, registries, required topics, trusted issuers, compliance modules with their current settings, agents and their roles.',
    write: false,
    params: z.strictObject({ token: tokenParam }),
    result: suite.extend({
      name: z.string(), symbol: z.string(), decimals: z.number(), totalSupply: z.string(), paused: z.boolean(), owner: z.string(),
      onchainID: z.string(), claimTopics: z.array(z.number()),
      trustedIssuers: z.array(z.object({ issuer: z.string(), topics: z.array(z.number()) })),
      modules: z.array(z.object({
        address: z.string(), name: z.string().describe("the module's name(), 'unknown' when it has none"),
        settings: moduleSettings.nullable().describe('read from the chain now; null: settings unknown (not a module Masque knows, or its getters refused)'),
        configurable: z.boolean().describe("token_setCompliance configure reaches it (the node's instance of the module)"),
      })),
      agents: z.array(z.object({ address: z.string(), roles: z.array(z.string()) })).describe('accounts holding roles, from the indexed role events, roles read now'),
      indexedBlock: z.number(),
    }),
  },
  token_balanceOf: {
    summary: "A wallet's position: balance, frozen tokens, wallet freeze, and its registration in the token's identity registry.",
    write: false,
    params: z.strictObject({ token: tokenParam, wallet: addressSchema }),
    result: z.object({
      balance: z.string(), frozenTokens: z.string(), available: z.string(), frozen: z.boolean(),
      identity: z.string().nullable(), registered: z.boolean(), verified: z.boolean(),
    }),
  },
  token_holders: {
    summary: 'The cap table: holders with a balance, largest first, from the Transfer events the node indexes durably.',
    write: false,
    params: z.strictObject({ token: tokenParam, offset: z.number().int().min(0).optional(), limit: z.number().int().min(1).max(500).optional().describe('default 100') }),
    result: z.object({
      holders: z.array(z.object({ wallet: z.string(), balance: z.string(), share: z.number().describe('fraction of the supply') })),
      total: z.number().describe('holders with a balance'), totalSupply: z.string(), indexedBlock: z.number(), nextOffset: z.number().nullable(),
    }),
  },
  token_transfer: {
    summary: "A holder's transfer, signed by the holder and relayed (the holder needs no ether); compliance refusals name the reason.",
    write: true,
    params: tokenWrite({ to: addressSchema, amount: positiveAmount }),
    result: writeOut,
  },
  token_mint: {
    summary: 'Mints to a verified wallet (SUPPLY_MODIFIER).',
    write: true,
    params: tokenWrite({ to: addressSchema, amount: positiveAmount }),
    result: writeOut,
  },
  token_batchMint: {
    summary: 'Mints to several verified wallets in one transaction, all or nothing (SUPPLY_MODIFIER).',
    write: true,
    params: tokenWrite({ recipients: z.array(z.strictObject({ to: addressSchema, amount: positiveAmount })).min(1).max(100) }),
    result: writeOut,
  },
  token_burn: {
    summary: "Burns from a wallet, releasing frozen tokens as needed (SUPPLY_MODIFIER).",
    write: true,
    params: tokenWrite({ from: addressSchema, amount: positiveAmount }),
    result: writeOut,
  },
  token_pause: { summary: 'Pauses every transfer (FREEZER).', write: true, params: tokenWrite({}), result: writeOut },
  token_unpause: { summary: 'Ends the pause (FREEZER).', write: true, params: tokenWrite({}), result: writeOut },
  token_freeze: {
    summary: 'Freezes a wallet (no amount) or part of its balance (amount) (FREEZER).',
    write: true,
    params: tokenWrite({ wallet: addressSchema, amount: positiveAmount.optional() }),
    result: writeOut,
  },
  token_unfreeze: {
    summary: "Undoes a freeze: the wallet's (no amount) or part of its frozen tokens (amount) (FREEZER).",
    write: true,
    params: tokenWrite({ wallet: addressSchema, amount: positiveAmount.optional() }),
    result: writeOut,
  },
  token_forcedTransfer: {
    summary: 'Moves tokens between wallets regardless of freezes, pause and compliance; the receiver must be verified (TRANSFER_MANAGER).',
    write: true,
    params: tokenWrite({ from: addressSchema, to: addressSchema, amount: positiveAmount }),
    result: writeOut,
  },
  token_recover: {
    summary: "Moves a lost wallet's balance, frozen tokens, freeze and registration to a new wallet, a management key of the investor's identity (RECOVERY_AGENT).",
    write: true,
    params: tokenWrite({ lostWallet: addressSchema, newWallet: addressSchema, identity: addressSchema.describe('the identity the lost wallet is registered to (token_balanceOf)') }),
    result: writeOut,
  },
  token_registerInvestor: {
    summary: "Registers an investor's wallet, identity and country in the token's identity registry (WHITELIST_MANAGER).",
    write: true,
    params: tokenWrite({ wallet: addressSchema, identity: addressSchema, country }),
    result: writeOut,
  },
  token_setCompliance: {
    summary: 'Adds or removes a compliance module (COMPLIANCE_SETTER), or configures one (COMPLIANCE_SETTER or COMPLIANCE_AGENT).',
    write: true,
    params: tokenWrite({
      action: z.enum(['add', 'remove', 'configure']),
      module: moduleRef.optional().describe('add / remove: the module'),
      setting: moduleSetting.optional().describe('configure: the configuration call (its module is implied)'),
    }).refine((p) => p.action === 'configure' || p.module !== undefined, { message: 'add and remove need the module', path: ['module'] })
      .refine((p) => p.action !== 'configure' || p.setting !== undefined, { message: 'configure needs the setting', path: ['setting'] })
      .refine((p) => p.action === 'configure' ? p.module === undefined : p.setting === undefined, { message: 'module goes with add / remove, setting with configure', path: ['action'] }),
    result: writeOut,
  },
  token_addAgent: {
    summary: 'Grants roles to an account, each on the suite contract that checks it (the owner signs one call per contract).',
    write: true,
    params: tokenWrite({ agent: addressSchema, roles: z.array(role).min(1) }),
    result: writeOut,
  },
  token_removeAgent: {
    summary: 'Revokes roles from an account, on each suite contract holding them (owner).',
    write: true,
    params: tokenWrite({ agent: addressSchema, roles: z.array(role).min(1) }),
    result: writeOut,
  },
} as const;
