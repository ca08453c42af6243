// The node's API, as zod schemas: the one source of request validation, the SDK's TypeScript types and the
// OpenRPC document. No runtime dependencies beyond zod, so clients can import it.
import { z } from 'zod';
import { addressSchema, authSchema, bytes32Schema, hexSchema } from './auth.js';
import { screeningApi } from './screening-api.js';
import { riskApi } from './risk.js';
import { base64, claimUri, didKey, execution, topic, txHash, unix, writeOut } from './fields.js';
import { issuerApi, issuerInfo } from './issuers.js';
import { tokenApi } from './token-api.js';
import { documentsApi, recipientEnvelopes, sealedDocument } from './documents-api.js';
import { decimal, fieldElement, masqueId, smtProof, zkGistApi } from './zk-api.js';


const claimOut = z.object({
  claimId: z.string(), topic: z.number(), scheme: z.number(), issuer: z.string(), signature: z.string(), data: z.string(),
  uri: z.string(), documentHash: z.string(), issuedAt: z.number(), expiresAt: z.number(),
});
const signedClaim = z.strictObject({
  issuer: addressSchema.describe('ClaimIssuer contract'),
  documentHash: bytes32Schema.optional().describe('sha-256 of the encrypted document (zero when none)'),
  issuedAt: unix,
  expiresAt: unix,
  signature: hexSchema.describe('EIP-712 Claim signature by a claim-signer key of the issuer'),
  uri: claimUri.optional(),
});
/** A claim's lifecycle, judged at the chain's time (the answering block's timestamp); src/node/README.md defines each. */
export const claimStates = ['valid', 'issued', 'pending', 'expired', 'revoked', 'issuer-untrusted', 'none'] as const;
const verification = z.object({
  state: z.enum(claimStates).describe(
    'valid: in its window at the chain time, issuer trusted for the topic, issuer vouches (= on-chain hasValidClaim); ' +
    'issued: present and vouched for, but its window starts after the chain time; pending: no valid or issued claim, and a KYC ' +
    'application awaits review (reported only to a signed request by the applicant or a signer of its issuer); expired: the ' +
    'chain time is at or past expiresAt; revoked: the issuer no longer vouches (claim, signature or digest revoked, or its ' +
    'signing key removed); issuer-untrusted: the TrustedIssuersRegistry does not trust the issuer for the topic; none: no claim',
  ),
  valid: z.boolean().describe("state === 'valid'"),
  blockNumber: z.number().describe('the block the answer was read at: the latest when the request arrived, or newer'),
  chainTime: z.number().describe("that block's timestamp (unix seconds): the time windows are judged at"),
  nodeTime: z.number().describe("the node's clock when it answered (unix seconds), for comparison"),
  claimId: z.string().optional(), issuer: z.string().optional(), issuedAt: z.number().optional(), expiresAt: z.number().optional(),
  applicationId: z.string().optional().describe('pending: the application awaiting review'),
});
// Zero-knowledge: proofs and public signals only (snarkjs JSON, decimal strings); never a witness or claim data.
const groth16Proof = z.strictObject({
  pi_a: z.array(decimal).length(3),
  pi_b: z.array(z.array(decimal).length(2)).length(3),
  pi_c: z.array(decimal).length(3),
  protocol: z.literal('groth16'),
  curve: z.literal('bn128'),
}).describe('snarkjs Groth16 proof JSON');
const zkOperator = z.enum(['NOOP', 'EQUAL', 'LESS_THAN', 'GREATER_THAN', 'IN', 'NOT_IN', 'NOT_EQUAL', 'LESS_OR_EQUAL', 'GREATER_OR_EQUAL', 'IN_RANGE', 'NOT_IN_RANGE', 'DISCLOSE']);
/** The src/zk request JSON (masque/credential-query-request@1). */
const zkRequest = z.strictObject({
  type: z.literal('masque/credential-query-request@1'),
  verifierId: fieldElement, requestId: fieldElement, challenge: fieldElement,
  issuers: z.array(masqueId).min(1).max(64).describe('accepted issuers: IDs or did:masque DIDs'),
  schema: fieldElement,
  slotIndex: z.number().int().min(0).max(7),
  operator: zkOperator,
  values: z.array(fieldElement).max(16),
  timestamp: z.union([z.number().int().min(0).max(2 ** 40), decimal]).describe('unix seconds'),
}).describe('src/zk credential-query request JSON');
/** The src/zk response JSON (masque/credential-query-response@1): a proof and its 27 public signals. */
const zkResponse = z.strictObject({
  type: z.literal('masque/credential-query-response@1'),
  requestId: fieldElement,
  proof: groth16Proof,
  publicSignals: z.array(fieldElement).length(28),
  auth: z.strictObject({ proof: groth16Proof, publicSignals: z.array(fieldElement).length(3) }).describe('the holder-auth proof: [commitment, gistRoot, challenge]'),
}).describe('src/zk credential-query response JSON');
const zkQuery = z.object({ schema: z.string(), slotIndex: z.number(), operator: z.string(), values: z.array(z.string()), issuers: z.array(z.string()) });
const zkVerdict = z.object({
  ok: z.boolean(),
  reason: z.string().describe('OK, or the refusal: UNKNOWN_REQUEST, REQUEST_INACTIVE, WRONG_SCHEMA, WRONG_SLOT, WRONG_OPERATOR, WRONG_VALUES, WRONG_TIMESTAMP, WRONG_VERIFIER_ID, WRONG_REQUEST_ID, WRONG_CHALLENGE, TIMESTAMP_IN_FUTURE, PROOF_TOO_OLD, ISSUER_NOT_TRUSTED, ISSUER_STATE_INVALID, NULLIFIER_USED, INVALID_PROOF, AUTH_MISMATCH, GIST_ROOT_INVALID, INVALID_AUTH_PROOF, BAD_RESPONSE'),
});

// Issuer, holder and verifier as separate parties (src/zk/parties.ts): the node hosts issuers' trees, never a key.
const rootsJson = z.strictObject({ auth: fieldElement, claims: fieldElement, revocations: fieldElement }).describe("an identity's three tree roots");
const pointJson = z.strictObject({ x: fieldElement, y: fieldElement }).describe('Baby Jubjub point');
const holderAuth = z.strictObject({
  holder: masqueId,
  roots: rootsJson.describe("the holder's roots at its latest published state (its genesis roots if it never published)"),
  keySlot: z.number().int().min(0).max(624),
  key: pointJson,
  authProof: smtProof.describe('membership of (keySlot, H(key)) in roots.auth'),
  timestamp: z.number().int().min(0).max(2 ** 40).describe('unix seconds, within 300 s of the node\'s clock'),
  signature: z.strictObject({ R8: pointJson, S: fieldElement }).describe('EdDSA-Poseidon of H("masque/zk-holder-auth@1", holder, chainId, timestamp) by key'),
}).describe("the holder's authentication: a signature by a key of its identity's latest published state");
const hostedState = z.object({ state: z.string(), roots: z.object({ auth: z.string(), claims: z.string(), revocations: z.string() }) });

const kycStatus = z.enum(['pending', 'approved', 'rejected']);
const application = z.object({
  id: z.string(), identity: z.string(), wallet: z.string(), topic: z.number(), issuer: z.string(), status: kycStatus,
  cid: z.string(), documentHash: z.string(), reason: z.string().nullable(), claimId: z.string().nullable(), txHash: z.string().nullable(),
  createdAt: z.number(), updatedAt: z.number(),
  history: z.array(z.object({ status: kycStatus, actor: z.string(), reason: z.string().nullable(), at: z.number() })),
  envelopes: z.array(z.object({ recipient: z.string(), ref: z.string(), envelope: z.string().optional() })),
  documentStatus: z.enum(['included', 'absent']).optional()
    .describe('with includeDocument: included (ciphertext checked against documentHash), or absent (no stored bytes); tampered bytes are error -32005, never sent'),
  ciphertext: z.string().optional(),
});

/** An application in a listing: no history, envelopes or document; who reviews it. */
const queueEntry = application.omit({ history: true, envelopes: true, ciphertext: true }).extend({
  assignee: z.string().nullable(), assignedBy: z.string().nullable(), assignedAt: z.number().nullable().describe('unix ms'),
});

export const api = {
  node_info: {
    summary: 'Chain, relayer and contract addresses this node serves.',
    write: false,
    params: z.strictObject({}),
    result: z.object({
      version: z.string(), chainId: z.number(), relayer: z.string(),
      did: z.string().describe("the node's DID (did:pkh of its relayer key): the audience document-read invocations must name"),
      embeddedChain: z.boolean(),
      rpcUrl: z.string().nullable().describe("the embedded chain's JSON-RPC URL (for a wallet or cast); null on an external chain"),
      contracts: z.record(z.string(), z.string()),
      issuers: z.record(z.string(), issuerInfo).describe('issuers the node knows, by name: configured or registered (id_registerIssuer)'),
    }),
  },
  id_createIdentity: {
    summary: "Deploys the wallet's identity (CREATE2) with the wallet as management key; the node relays and pays gas.",
    write: true,
    params: z.strictObject({
      wallet: addressSchema,
      salt: bytes32Schema.optional(),
      country: z.number().int().min(1).max(999).optional().describe('ISO 3166-1 numeric; when given the identity is also registered'),
      auth: authSchema,
    }),
    result: z.object({
      identity: z.string(), wallet: z.string(), did: z.string().describe("the identity contract's did:pkh"),
      walletDid: z.string().describe("the wallet's did:pkh (its DID document lists the identity and its encryption keys)"),
      created: z.boolean(), txHash: z.string().nullable(),
    }),
  },
  id_getIdentity: {
    summary: 'An identity: keys, claims, registry status.',
    write: false,
    params: z.strictObject({ identity: addressSchema.optional(), wallet: addressSchema.optional() })
      .refine((p) => p.identity || p.wallet, { message: 'identity or wallet is required', path: ['identity'] }),
    result: z.object({
      identity: z.string(), wallet: z.string().nullable(), did: z.string().nullable(), registered: z.boolean(), verified: z.boolean(),
      keys: z.array(z.object({ key: z.string(), purposes: z.array(z.number()) })), claims: z.array(claimOut),
      encryptionKeys: z.array(z.object({ keyId: z.string(), did: z.string().nullable().describe('null when the public key is not in the blockstore') }))
        .describe('ML-KEM-768 keys (purpose 4): what documents for this identity are wrapped for'),
    }),
  },
  id_addKey: {
    summary: 'Adds an ERC-734 key (management key signature required).',
    write: true,
    params: z.strictObject({
      identity: addressSchema,
      key: z.union([addressSchema, bytes32Schema]).describe('a wallet address (its key: keccak256 of it; for purpose 5, a TrustedIssuersRegistry: its address padded) or a bytes32 key'),
      purpose: z.number().int().min(1).max(5).describe('1 management, 2 action, 3 claim, 4 encryption, 5 claim registry (issuers it trusts push their claims)'),
      execution: execution.optional(), auth: authSchema,
    }),
    result: writeOut,
  },
  id_removeKey: {
    summary: 'Removes an ERC-734 key purpose (management key signature required).',
    write: true,
    params: z.strictObject({
      identity: addressSchema,
      key: z.union([addressSchema, bytes32Schema]),
      purpose: z.number().int().min(1).max(5),
      execution: execution.optional(), auth: authSchema,
    }),
    result: writeOut,
  },
  id_issueClaim: {
    summary: "Adds an issuer-signed claim to an identity (the issuer's EIP-712 signature authorizes it).",
    write: true,
    params: z.strictObject({
      identity: addressSchema, topic, ...signedClaim.shape,
      document: sealedDocument.optional().describe("the issuer's own document (report, screening result, certificate) sealed for the subject: stored by CID, its sha-256 is the claim's documentHash, the uri ipfs://<cid>"),
      envelopes: recipientEnvelopes.optional(),
    }).refine((p) => !p.document || p.envelopes, { message: 'a document needs its envelopes', path: ['envelopes'] })
      .refine((p) => !p.envelopes || p.document, { message: 'envelopes need the document', path: ['document'] }),
    result: z.object({ claimId: z.string(), txHash, cid: z.string().optional() }),
  },
  id_getClaim: {
    summary: 'A claim by id, or by issuer and topic.',
    write: false,
    params: z.strictObject({ identity: addressSchema, claimId: bytes32Schema.optional(), issuer: addressSchema.optional(), topic: topic.optional() })
      .refine((p) => p.claimId || (p.issuer && p.topic), { message: 'claimId, or issuer and topic, are required', path: ['claimId'] }),
    result: claimOut,
  },
  id_revokeClaim: {
    summary: "Revokes a claim at its issuer: the issuer's management key signs ClaimIssuer.revokeClaim (execution), relayed through the issuer contract's executeSigned.",
    write: true,
    params: z.strictObject({
      identity: addressSchema, claimId: bytes32Schema,
      issuer: addressSchema.optional().describe("the claim's issuer contract (the execution's verifying contract; must match the claim)"),
      execution: execution.optional(), auth: authSchema,
    }),
    result: writeOut,
  },
  id_verifyClaim: {
    summary: "The lifecycle state of the identity's claim on the topic at the chain's time: valid, issued, pending, expired, revoked, issuer-untrusted or none.",
    write: false,
    params: z.strictObject({
      identity: addressSchema, topic, issuer: addressSchema.optional(),
      auth: authSchema.optional().describe('optional: signed by a management key of the identity or a signer of the issuer, to be told of a pending KYC application'),
    }),
    result: verification,
  },
  id_renewClaim: {
    summary: 'Replaces a claim with a new window and revokes the old one in the same transaction.',
    write: true,
    params: z.strictObject({ identity: addressSchema, topic, ...signedClaim.shape }),
    result: z.object({ claimId: z.string(), txHash }),
  },
  id_submitKycApplication: {
    summary: 'Submits an encrypted document for review by the issuer trusted for the topic (status pending).',
    write: true,
    params: z.strictObject({
      identity: addressSchema,
      topic,
      issuer: addressSchema,
      document: z.strictObject({ ciphertext: base64, mediaType: z.string().max(100).default('application/octet-stream') }),
      envelopes: z.array(z.strictObject({ recipient: didKey, envelope: z.string().min(1).max(16384) })).min(1).max(8)
        .describe('the document key wrapped for each recipient (the issuer, usually the holder too)'),
      auth: authSchema,
    }),
    result: z.object({ applicationId: z.string(), status: kycStatus, cid: z.string(), documentHash: z.string() }),
  },
  id_getKycApplication: {
    summary: 'A KYC application with its status history (and the encrypted document when asked); applicant or reviewing issuer only.',
    write: false,
    params: z.strictObject({
      applicationId: z.string().uuid(),
      includeDocument: z.boolean().optional(),
      auth: authSchema.describe('the applicant (a management key of the identity) or a signer of the application issuer'),
    }),
    result: application,
  },
  id_reviewKycApplication: {
    summary: 'Approves (issuing the claim on chain) or rejects (with a reason) a pending application; issuer only.',
    write: true,
    params: z.strictObject({
      applicationId: z.string().uuid(),
      decision: z.enum(['approve', 'reject']),
      reason: z.string().min(1).max(500).optional(),
      claim: z.strictObject({ issuedAt: unix, expiresAt: unix, signature: hexSchema }).optional(),
      report: z.strictObject({ document: sealedDocument, envelopes: recipientEnvelopes }).optional()
        .describe("approval: the issuer's KYC report sealed for the subject; the claim binds its hash (signed as documentHash) instead of the applicant's upload"),
      auth: authSchema,
    }).refine((p) => p.decision !== 'reject' || p.reason, { message: 'a rejection needs a reason', path: ['reason'] })
      .refine((p) => p.decision !== 'approve' || p.claim, { message: 'an approval needs the signed claim', path: ['claim'] }),
    result: z.object({ applicationId: z.string(), status: kycStatus, claimId: z.string().nullable(), txHash: z.string().nullable() }),
  },
  id_listKycApplications: {
    summary: "KYC applications, oldest first, filtered by status, topic, assignee and age: an issuer's review queue (signed by a claim-signer or management key of the issuer) or an applicant's own (a management key of the identity).",
    write: false,
    params: z.strictObject({
      issuer: addressSchema.optional().describe("the reviewing issuer's ClaimIssuer (its queue)"),
      identity: addressSchema.optional().describe("the applicant's identity (its own applications)"),
      status: kycStatus.optional(),
      topic: topic.optional(),
      assignee: z.union([addressSchema, z.literal('unassigned')]).optional().describe("a reviewer's address, or 'unassigned'"),
      createdAfter: unix.optional().describe('submitted at or after (unix seconds)'),
      createdBefore: unix.optional().describe('submitted before (unix seconds): older than an age'),
      limit: z.number().int().min(1).max(200).default(50),
      offset: z.number().int().min(0).max(1_000_000).default(0),
      auth: authSchema,
    }).refine((p) => Boolean(p.issuer) !== Boolean(p.identity), { message: 'exactly one of issuer or identity is required', path: ['issuer'] }),
    result: z.object({ total: z.number(), applications: z.array(queueEntry) }),
  },
  id_assignKycApplication: {
    summary: "Assigns a pending application to one of the issuer's reviewers (a claim-signer or management key of the issuer), or releases it (assignee null); issuer's keys only.",
    write: true,
    params: z.strictObject({
      applicationId: z.string().uuid(),
      assignee: addressSchema.nullable().describe("the reviewer's wallet, or null to release"),
      auth: authSchema,
    }),
    result: z.object({ applicationId: z.string(), assignee: z.string().nullable(), assignedBy: z.string().nullable(), assignedAt: z.number().nullable() }),
  },
  id_grantClaimAccess: {
    summary: "Grants one verifier access to one claim's document: stores the key re-wrapped for the verifier and records the grant on chain.",
    write: true,
    params: z.strictObject({
      identity: addressSchema, topic, verifier: addressSchema, verifierKey: didKey,
      envelope: z.string().min(1).max(16384), expiresAt: unix.optional(), execution: execution.optional(), auth: authSchema,
    }),
    result: z.object({ envelopeRef: z.string(), txHash }),
  },
  id_revokeClaimAccess: {
    summary: "Revokes one verifier's grant for one topic (on chain and its capabilities).",
    write: true,
    params: z.strictObject({
      identity: addressSchema, topic, verifier: addressSchema,
      delegations: z.array(z.string().regex(/^bafy[a-z2-7]+$/, 'expected a UCAN CID')).max(32).optional()
        .describe('extra delegation CIDs to revoke (those the node saw used are revoked anyway)'),
      execution: execution.optional(), auth: authSchema,
    }),
    result: z.object({ txHash, revokedDelegations: z.number() }),
  },
  id_getClaimDocument: {
    summary: 'The encrypted document of a claim and the envelope for the verifier: capability, on-chain grant and integrity are checked.',
    write: false,
    params: z.strictObject({
      identity: addressSchema,
      topic,
      verifier: addressSchema.describe('the verifier wallet: the invocation issuer (did:pkh) and the on-chain grantee'),
      invocation: base64.max(16384).describe('UCAN 1.0 invocation of /masque/document/read (DAG-CBOR, base64)'),
      proofs: z.array(base64.max(16384)).max(8).describe('the delegations the invocation names, root first (base64)'),
      delegateIdentity: addressSchema.optional().describe("a read through a fund administrator: the administrator's identity holding the grant, when the caller knows it (otherwise resolved from the chain)"),
    }),
    result: z.object({ cid: z.string(), documentHash: z.string(), ciphertext: z.string(), envelope: z.string(), mediaType: z.string() }),
  },
  id_listAccessGrants: {
    summary: "Access grants with their current on-chain state: a subject's own (direct), its delegations to fund administrators (delegation) and the grants those administrators made to regulators under them (delegated). Filter by the subject's identity, the grantee (a verifier, regulator or administrator), the administrator, the topic; at least one of identity, verifier, delegate.",
    write: false,
    params: z.strictObject({
      identity: addressSchema.optional().describe("the subject's identity"),
      topic: topic.optional().describe('only the grants of this topic'),
      verifier: addressSchema.optional().describe('only the grants to this wallet (a verifier, a regulator, or an administrator for its delegations)'),
      delegate: addressSchema.optional().describe("only the delegations to this fund administrator's wallet and the grants it made under them"),
    }),
    result: z.array(z.object({
      kind: z.enum(['direct', 'delegation', 'delegated']).describe("direct: the subject's grant to a verifier; delegation: the subject's to a fund administrator (the right to grant onwards, never a read); delegated: an administrator's grant to a regulator"),
      identity: z.string().describe("the subject's identity"),
      topic: z.number(), verifier: z.string().describe('the grantee (every address of the listing is EIP-55 checksummed; filters take any case)'), verifierKey: z.string(), envelopeRef: z.string(), cid: z.string(), expiresAt: z.number(),
      status: z.enum(['active', 'revoked']).describe('as recorded by this node'),
      onChain: z.boolean().describe('current on chain now; for delegated grants, the delegation it was made under too'),
      createdAt: z.number(), revokedAt: z.number().nullable(),
      grantedBy: z.string().nullable().describe("delegated: the administrator's wallet that granted; otherwise null (the subject)"),
      delegation: z.object({
        delegate: z.string(), delegateIdentity: z.string().describe("the administrator's identity, where its grant is recorded"),
        status: z.enum(['active', 'revoked', 'unknown']).describe('the delegation as recorded by this node (unknown: made elsewhere)'),
        onChain: z.boolean(),
      }).nullable().describe('delegated: the delegation it was made under; otherwise null'),
    })),
  },
  id_resolveDid: {
    summary: 'Resolves did:pkh (from chain state) and did:key (ML-KEM-768) into W3C DID documents.',
    write: false,
    params: z.strictObject({ did: z.string().min(8).max(4096).regex(/^did:(pkh|key):/, 'expected did:pkh or did:key') }),
    result: z.record(z.string(), z.unknown()),
  },
  token_predictInvestorIdentity: {
    summary: 'The identity address token_onboardInvestor will deploy for a wallet (what issuers sign claims for).',
    write: false,
    params: z.strictObject({ wallet: addressSchema, salt: bytes32Schema.optional() }),
    result: z.object({ identity: z.string() }),
  },
  token_onboardInvestor: {
    summary: 'One transaction: deploys the identity, adds the signed claims, registers the country, checks isVerified.',
    write: true,
    params: z.strictObject({
      wallet: addressSchema,
      country: z.number().int().min(1).max(999),
      salt: bytes32Schema.optional(),
      claims: z.array(z.strictObject({ topic, ...signedClaim.shape })).max(16),
      jurisdiction: z.strictObject({ salt: bytes32Schema }).optional()
        .describe('the salt of the JURISDICTION claim (topic 9) among `claims`: its documentHash must commit to `country` (src/risk/jurisdiction.ts)'),
      auth: authSchema,
    }),
    result: z.object({ identity: z.string(), txHash }),
  },
  token_canTransfer: {
    summary: 'Dry run of a token transfer: the reason code of the first failing check (0 = allowed).',
    write: false,
    params: z.strictObject({
      token: addressSchema.optional(), from: addressSchema, to: addressSchema,
      amount: z.string().regex(/^\d{1,78}$/, 'expected a decimal integer string'),
    }),
    result: z.object({ ok: z.boolean(), code: z.number(), name: z.string(), message: z.string() }),
  },
  zk_getIdentityState: {
    summary: "A ZK identity's published states (IdentityStateRegistry): the latest, or that it never published (its genesis state then counts), and the history with times and blocks.",
    write: false,
    params: z.strictObject({ id: masqueId }),
    result: z.object({
      id: z.string(), did: z.string(), idDecimal: z.string(), registry: z.string(),
      published: z.boolean().describe('false: never published; its genesis state is the valid one'),
      latestState: z.string().nullable(),
      historyLength: z.number().describe('states on chain, the genesis state included (0 when never published)'),
      history: z.array(z.object({
        state: z.string(), genesis: z.boolean(), replacedByState: z.string().nullable(),
        createdAt: z.number(), createdBlock: z.number(), replacedAt: z.number().nullable(), replacedBlock: z.number().nullable(),
      })).describe('newest 256 states, oldest first'),
    }),
  },
  zk_isStateValid: {
    summary: "IdentityStateRegistry.isStateValid at the chain's time: the ID's latest state, a replaced one within maxAgeAfterReplacement seconds of its replacement, or the genesis state of an ID that never published; never an unknown state.",
    write: false,
    params: z.strictObject({
      id: masqueId,
      state: fieldElement,
      maxAgeAfterReplacement: z.number().int().min(0).max(2 ** 40).describe('seconds a replaced state stays acceptable'),
    }),
    result: z.object({ valid: z.boolean(), blockNumber: z.number().describe('the block whose time the answer used') }),
  },
  zk_isGistRootValid: {
    summary: "IdentityStateRegistry.isGistRootValid at the chain's time: the current GIST root, or one replaced within maxAgeAfterReplacement seconds; never an unknown root (what a verifier checks of a holder-auth proof).",
    write: false,
    params: z.strictObject({
      root: fieldElement,
      maxAgeAfterReplacement: z.number().int().min(0).max(2 ** 40).describe('seconds a replaced root stays acceptable'),
    }),
    result: z.object({ valid: z.boolean(), blockNumber: z.number().describe('the block whose time the answer used') }),
  },
  zk_publishState: {
    summary: 'Relays a state-transition proof to IdentityStateRegistry (the proof is the authorization; the relayer only pays gas). Simulated first: a refusal sends nothing.',
    write: true,
    params: z.strictObject({
      proof: groth16Proof,
      publicSignals: z.array(fieldElement).length(6).describe('[id, oldState, newState, isOldStateGenesis, gistOldRoot, gistNewRoot]'),
    }),
    result: z.object({ txHash, id: z.string(), oldState: z.string(), newState: z.string(), isOldStateGenesis: z.boolean(), blockNumber: z.number(), gasUsed: z.string() }),
  },
  zk_getRequest: {
    summary: 'An on-chain credential-query request (ZkQueryVerifier) as the src/zk request JSON pieces: query, owner / verifierId, active, state and proof ages.',
    write: false,
    params: z.strictObject({ requestId: fieldElement }),
    result: z.object({
      requestId: z.string(), queryVerifier: z.string(), owner: z.string(), verifierId: z.string(), active: z.boolean(), query: zkQuery,
      issuerStateMaxAge: z.number().describe('seconds a replaced issuer state stays acceptable'),
      maxProofAge: z.number().describe("seconds a proof's timestamp may lie in the past"),
    }),
  },
  zk_checkResponse: {
    summary: "ZkQueryVerifier.checkResponse: what submitResponse would answer if `sender` submitted the response now (nothing consumed).",
    write: false,
    params: z.strictObject({
      requestId: fieldElement.describe('the on-chain request (the response JSON\'s own requestId is not trusted)'),
      sender: addressSchema.describe('the wallet that would submit (the proof\'s challenge)'),
      response: zkResponse,
    }),
    result: zkVerdict.extend({ code: z.number() }),
  },
  zk_verifyResponse: {
    summary: "Off-chain verification for verifiers that are not contracts: the response answers the request, issuer state valid on chain, fresh nullifier (then recorded by the node), Groth16 proof.",
    write: true,
    params: z.strictObject({
      request: zkRequest,
      response: zkResponse,
      maxStateAge: z.number().int().min(0).max(2 ** 40).optional().describe('seconds a replaced issuer state stays acceptable (default 3600)'),
    }),
    result: zkVerdict.extend({
      message: z.string().optional().describe('the refusal in words'),
      nullifier: z.string().optional(), revealedValue: z.string().optional(), issuerId: z.string().optional(), issuerState: z.string().optional(),
      verifierId: z.string().optional(), requestId: z.string().optional(),
    }),
  },
  zk_registerIssuer: {
    summary: "Hosts a ZK issuer identity at this node from its genesis Baby Jubjub public keys (the node never holds its keys), linked to an on-chain issuer (ClaimIssuer) whose claim-signer or management key signs the request.",
    write: true,
    params: z.strictObject({
      issuer: addressSchema.describe('the ClaimIssuer contract'),
      keys: z.array(pointJson).min(1).max(8).describe('genesis authentication keys, slot 0 first'),
      network: z.enum(['test', 'main']).optional().describe('the ID\'s network byte (default test)'),
      auth: authSchema,
    }),
    result: z.object({ id: z.string(), did: z.string(), issuer: z.string(), genesisState: z.string(), created: z.boolean() }),
  },
  zk_issueClaims: {
    summary: "On an approved KYC application, inserts the issuer's ZK claims (hashes only) into its hosted claims tree and keeps each claim sealed to the holder for delivery; published by the issuer's next state transition.",
    write: true,
    params: z.strictObject({
      issuer: masqueId.describe('the hosted ZK issuer'),
      applicationId: z.string().min(1).max(100).describe('an approved KYC application of the linked ClaimIssuer'),
      claims: z.array(z.strictObject({
        indexHash: fieldElement, valueHash: fieldElement,
        revocationNonce: decimal.describe('below 5^14, unused by this issuer'),
        holder: masqueId.describe('the holder ID the claim is delivered to'),
        delivery: z.strictObject({ ciphertext: base64, envelope: z.string().min(1).max(20_000) }).describe('the claim sealed to the holder (SDK sealForClaim with the application\'s identity and topic)'),
      })).min(1).max(16),
      auth: authSchema,
    }),
    result: z.object({ issuer: z.string(), state: z.string(), published: z.boolean(), claims: z.array(z.object({ indexHash: z.string(), revocationNonce: z.string() })) }),
  },
  zk_revokeClaims: {
    summary: "Revokes claims in the hosted issuer's revocations tree (by nonce, or every claim of a KYC application); published by the issuer's next state transition.",
    write: true,
    params: z.strictObject({
      issuer: masqueId,
      nonces: z.array(decimal).min(1).max(64).optional().describe('revocation nonces'),
      applicationId: z.string().min(1).max(100).optional().describe('revoke every claim issued for this application'),
      auth: authSchema,
    }),
    result: z.object({ issuer: z.string(), state: z.string(), revoked: z.array(z.string()) }),
  },
  zk_getIssuer: {
    summary: "A hosted ZK issuer: its current trees' state (what its next transition publishes) next to the state published on chain; public.",
    write: false,
    params: z.strictObject({ issuer: z.union([masqueId, addressSchema]).describe('the ZK issuer ID / DID, or its ClaimIssuer address') }),
    result: z.object({
      id: z.string(), did: z.string(), issuer: z.string(), genesisState: z.string(),
      current: hostedState, published: hostedState.nullable().describe('the latest state on chain (null if unknown to this node)'), pending: z.boolean(),
    }),
  },
  zk_getHolderClaims: {
    summary: "The holder's claims from every issuer hosted here, sealed to the holder, with membership proofs at each issuer's latest published state; authenticated by the holder's signature.",
    write: false,
    params: z.strictObject({ auth: holderAuth }),
    result: z.object({
      holder: z.string(),
      claims: z.array(z.object({
        issuer: z.string(), indexHash: z.string(), valueHash: z.string(), applicationId: z.string().nullable(),
        delivery: z.object({ ciphertext: z.string(), envelope: z.string(), chainId: z.number(), identity: z.string(), topic: z.number() }),
        published: z.boolean().describe('false: issued after the published state (not provable yet)'),
        issuerState: z.string().nullable(), issuerRoots: z.object({ auth: z.string(), claims: z.string(), revocations: z.string() }).nullable(),
        proof: z.unknown().nullable().describe('membership at issuerState (src/smt proof JSON)'),
      })),
    }),
  },
  zk_getRevocations: {
    summary: "The whole revocations tree of a hosted issuer at a published state, as its revoked nonces: holders rebuild it and prove non-revocation without telling the node which claim; public.",
    write: false,
    params: z.strictObject({ issuer: masqueId, state: fieldElement.optional().describe('default: the latest published state') }),
    result: z.object({ issuer: z.string(), state: z.string(), roots: z.object({ auth: z.string(), claims: z.string(), revocations: z.string() }), nonces: z.array(z.string()) }),
  },
  ...screeningApi,
  ...riskApi,
  ...issuerApi,
  ...tokenApi,
  ...documentsApi,
  ...zkGistApi,
} as const;

export type Api = typeof api;
export type MethodName = keyof Api;
export type Params<M extends MethodName> = z.input<Api[M]['params']>;
export type Result<M extends MethodName> = z.output<Api[M]['result']>;
