// Zero-knowledge schemas shared by the zk_ methods (api.ts) and the GIST methods: the node's mirror of the global
// identity state tree (src/node/methods/zk-gist.ts), public like the revocations service. Proofs and public values
// only (decimal strings): never a witness, a claim or a key.
import { z } from 'zod';

const BN254_R = 21888242871839275222246405745257275088548364400416034343698204186575808495617n;
export const decimal = z.string().regex(/^\d{1,78}$/, 'expected a decimal integer string');
// zod 4 runs refinements after a failed regex too: test the digits again before BigInt.
export const fieldElement = decimal.refine((s) => !/^\d{1,78}$/.test(s) || BigInt(s) < BN254_R, 'not a BN254 field element').describe('field element, decimal string');
export const masqueId = z.string().min(1).max(120).regex(/^(did:masque:)?[0-9A-Za-z]+$/, 'expected a Masque ID (base58), its did:masque DID or its decimal integer');
export const smtProof = z.strictObject({
  existence: z.boolean(),
  siblings: z.array(z.array(fieldElement).length(4)).max(110),
  auxLeaf: z.strictObject({ key: fieldElement, value: fieldElement }).optional(),
}).describe('sparse Merkle tree proof (src/smt), decimal strings');

const gistAt = {
  registry: z.string().describe('the IdentityStateRegistry whose events the tree folds'),
  root: z.string().describe('the GIST root the answer is at'),
  block: z.number().describe('the last block folded into root'),
};

/** With `root`: how long after its replacement the registry must still accept it (IdentityStateRegistry.isGistRootValid). */
const gistRootMaxAge = z.number().int().min(0).max(2 ** 40).optional().describe('with root: seconds since its replacement the registry may count (default 3600, the verifiers\' default)');

export const zkGistApi = {
  zk_getGistProof: {
    summary: "An identity's leaf in the node's mirror of the global identity state tree (GIST: ID -> latest published state) with its proof (src/zk GistProofJson): membership when the ID published, non-membership otherwise; at the chain head's root unless a recent root is named. Only at roots the registry holds: the current one after the mirror matched the registry's gistRoot() (-32005 GistMirrorMismatch otherwise), an earlier one while isGistRootValid accepts it (-32002 otherwise). Public; tells the node which ID asks (src/zk/README.md: the trade-off).",
    write: false,
    params: z.strictObject({
      id: masqueId,
      root: fieldElement.optional().describe('a GIST root this node held and the registry still accepts (default: the current one)'),
      maxAgeAfterReplacement: gistRootMaxAge,
    }),
    result: z.object({
      ...gistAt,
      id: z.string().describe('the ID as a decimal integer (the GIST key)'),
      state: z.string().optional().describe('the latest published state; absent when the ID never published (its genesis state counts)'),
      proof: smtProof,
    }),
  },
  zk_getGistUpdate: {
    summary: "The witness of the GIST update a state transition of id to newState makes at the current root (src/zk GistUpdateJson): what the transition proof proves besides the signature; the registry accepts it only while that root is current (re-ask and re-prove after another transition landed first). Public.",
    write: false,
    params: z.strictObject({ id: masqueId, newState: fieldElement }),
    result: z.object({
      registry: gistAt.registry, block: gistAt.block,
      oldRoot: z.string(), newRoot: z.string(), id: z.string(), oldState: z.string().optional(), newState: z.string(),
      proof: smtProof.describe("the ID's proof at oldRoot"), newLevels: z.number().describe('the length of the new leaf\'s path'),
    }),
  },
  zk_getGistLeaves: {
    summary: 'Every leaf (ID, latest state) of the global identity state tree, ordered by ID, a page at a time at one root: a holder rebuilds the tree and proves its own leaf without telling the node which ID it is. Public.',
    write: false,
    params: z.strictObject({
      after: fieldElement.optional().describe('the last ID of the previous page'),
      root: fieldElement.optional().describe('the root of the first page, so that every page is of one tree (default: the current root)'),
      maxAgeAfterReplacement: gistRootMaxAge,
      limit: z.number().int().min(1).max(5000).optional().describe('default 5000'),
    }),
    result: z.object({ ...gistAt, total: z.number(), leaves: z.array(z.object({ id: z.string(), state: z.string() })) }),
  },
} as const;
