/** Shared by the zk tests and the benchmark: an issuer, a genesis holder, and a claim issued to it. */
import { privateKeyFromSeed, publicKey, type PrivateKey } from '../crypto/eddsa.js';
import { defineSchema, type Claim } from '../claims/index.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { genesisHolder, holderSubject, type CredentialQuery, type CredentialWitness, type HolderWitness, type QueryHolder } from './inputs.js';
import { GlobalStateTree, type GistProof } from './gist.js';

export const TEST_SCHEMA = defineSchema({
  name: 'masque.test.zk',
  version: '1',
  fields: [
    { name: 'tier', slot: 'i2', type: 'integer' },
    { name: 'amount', slot: 'v1', type: 'integer' },
    { name: 'digest', slot: 'v2', type: 'field' },
  ],
});
/** Above 2^252: orderings cannot be proven on it, equality and disclosure can. */
export const HUGE = (1n << 252n) + 12345n;
export const AMOUNT = 1000n;

const seed = (n: number) => new Uint8Array(32).fill(n);

export interface Fixture {
  readonly issuer: Identity;
  readonly issuerKey: PrivateKey;
  /** The holder as holder-auth proves it: its genesis key, absent from `gist` (it never published). */
  readonly holder: HolderWitness;
  /** The holder as the credential query sees it (ID, a fixed salt, no profile). */
  readonly queryHolder: QueryHolder;
  readonly holderKey: PrivateKey;
  /** A local GIST holding the issuer's current state (not the holder: it never published). */
  readonly gist: GlobalStateTree;
  /** The genesis holder with its GIST proof from elsewhere (a registry's: `registry.gistProof(holder.id)`). */
  holderAt(gist: GistProof): HolderWitness;
  readonly holderIdentity: Identity;
  /** Issue a claim to `subject` (default: the holder) and return it with both proofs at the issuer's current state. */
  issue(data?: Partial<{ tier: number; amount: number; digest: bigint }>, options?: { expiration?: bigint; subject?: bigint; revocationNonce?: bigint }): Claim;
  credential(claim: Claim): CredentialWitness;
  query(overrides?: Partial<CredentialQuery>): CredentialQuery;
}

export function makeFixture(): Fixture {
  const issuerKey = privateKeyFromSeed(seed(1));
  const holderKey = privateKeyFromSeed(seed(2));
  const otherKey = privateKeyFromSeed(seed(3));
  const issuer = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerKey)], network: Network.Test });
  const keys = [publicKey(otherKey), publicKey(holderKey)];
  const holderIdentity = Identity.create(new MemoryIdentityStore(), { keys, network: Network.Main });
  // The holder signs with its second key (slot 1): a non-trivial authentication path.
  const gist = GlobalStateTree.empty();
  // Another identity in the GIST, so that the holder's non-membership path is not the empty tree's.
  gist.applyTransition(issuer.id.bigint, issuer.state);
  const holderAt = (g: GistProof) => genesisHolder({ keys, network: Network.Main, keySlot: 1, authKey: holderKey, gist: g });
  const holder = holderAt(gist.prove(holderIdentity.id.bigint));
  if (holder.roots.auth !== holderIdentity.roots.auth) throw new Error('fixture: genesis auth tree mismatch');
  const queryHolder = { id: holder.id, salt: 4242n };
  let tier = 100; // tiers below 100 are the tests' own
  return {
    issuer, issuerKey, holder, queryHolder, holderKey, holderIdentity, gist, holderAt,
    issue(data = {}, options = {}) {
      return issuer.issueClaim(issuerKey, {
        schema: TEST_SCHEMA,
        data: { tier: data.tier ?? ++tier, amount: data.amount ?? Number(AMOUNT), digest: data.digest ?? HUGE },
        subject: options.subject ?? holderSubject(holder),
        expiration: options.expiration,
        revocationNonce: options.revocationNonce,
      }).claim;
    },
    credential(claim) {
      const status = issuer.revocationStatus(claim.revocationNonce);
      return {
        claim,
        issuerId: issuer.id.string,
        issuerState: issuer.state,
        issuerRoots: issuer.roots,
        claimProof: issuer.proveClaim(claim),
        revocationProof: status.proof,
      };
    },
    query(overrides = {}) {
      return {
        schema: TEST_SCHEMA.hash,
        slotIndex: 5,
        operator: 'NOOP',
        values: [],
        timestamp: 1_800_000_000n,
        verifierId: 0xbeefn,
        requestId: 42n,
        challenge: 777n,
        ...overrides,
      };
    },
  };
}
