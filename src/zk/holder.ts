/**
 * The holder role: answers a verifier's request from the claims it holds, with two proofs that reveal only what the
 * request asks: holder-auth (a key of its latest published state, through the GIST) and the credential query, bound
 * by one fresh commitment. Browser-safe: the wallet is reached through `HolderKeys` (src/wallet's Wallet is one).
 */
import type { AffinePoint } from '../crypto/babyjub.js';
import type { Claim } from '../claims/index.js';
import type { Proof } from '../smt/index.js';
import { parseId, type Identity } from '../identity/index.js';
import type { CredentialSource } from './issuer.js';
import { evaluateOperator, holderSubject, padValues, type HolderWitness } from './inputs.js';
import { proveAnswer } from './prover.js';
import type { GistReader } from './registry.js';
import { parseRequest, responseToJson, type CredentialQueryResponseJson } from './request.js';
import { ZkError, type ProverArtifacts } from './types.js';

/** What the holder role needs of a wallet: its identity's trees, its keys (by seed index) and their secrets, its claims. */
export interface HolderKeys {
  readonly identity: Pick<Identity, 'id' | 'genesisState' | 'rootsAt'>;
  /** A key of this wallet in the authentication tree at `state`: its seed index, slot and membership proof. */
  keyAt(state?: bigint): { index: number; slot: number; proof: Proof } | undefined;
  publicKey(index?: number): AffinePoint;
  authKeyScalar(index?: number): bigint;
  claims(filter?: { schemaHash?: bigint }): readonly { readonly claim: Claim; readonly issuerId: string }[];
}

/** The circuits a holder proves with. */
export interface HolderArtifacts {
  readonly credentialQuery: ProverArtifacts;
  readonly holderAuth: ProverArtifacts;
}

/**
 * The holder witness of a wallet at the GIST's view of it: its latest published state (its genesis state when the
 * GIST does not hold it) and a wallet key of that state. UNSATISFIED when the wallet has no key there.
 */
export async function walletHolderWitness(
  wallet: HolderKeys,
  gist: Pick<GistReader, 'gistProof'>,
  profileNonce?: bigint,
): Promise<HolderWitness> {
  const id = wallet.identity.id.bigint;
  const proof = await gist.gistProof(id);
  const state = proof.state ?? wallet.identity.genesisState;
  const key = wallet.keyAt(state);
  if (!key) throw new ZkError('UNSATISFIED', 'no key of this wallet is an authentication key of its published state');
  return {
    id, roots: wallet.identity.rootsAt(state), keySlot: key.slot, key: wallet.publicKey(key.index), authProof: key.proof,
    authKey: () => wallet.authKeyScalar(key.index), gist: proof, profileNonce,
  };
}

export class ZkHolder {
  constructor(
    private readonly wallet: HolderKeys,
    private readonly artifacts: HolderArtifacts,
    /** Where the holder's GIST proof comes from (the chain's registry, a node's mirror). */
    private readonly gist: Pick<GistReader, 'gistProof'>,
    /** Claims name the holder by H(id, profileNonce) when set (src/zk/README.md, "The holder"). */
    private readonly profileNonce?: bigint,
  ) {}

  /** The subject value claims name this holder by. */
  get subject(): bigint {
    return holderSubject({ id: this.wallet.identity.id.bigint, profileNonce: this.profileNonce });
  }

  /**
   * Answers `requestJson` (the verifier's JSON): picks a held claim of the requested schema, from an accepted
   * issuer, that satisfies the request at the issuer's published state, and proves it with a key of the wallet's
   * latest published state. Throws ZkError UNSATISFIED naming why when no held claim can answer.
   */
  async respond(requestJson: unknown, issuers: (issuerId: bigint) => CredentialSource | undefined): Promise<CredentialQueryResponseJson> {
    const request = parseRequest(requestJson);
    const padded = padValues(request.values);
    const reasons: string[] = [];
    let witness: HolderWitness | undefined;
    for (const held of this.wallet.claims({ schemaHash: request.schema })) {
      const issuerId = parseId(held.issuerId).bigint;
      if (!request.issuers.includes(issuerId)) { reasons.push('issuer not accepted'); continue; }
      if (!evaluateOperator(request.operator, held.claim.slots[request.slotIndex], padded)) { reasons.push('the value does not satisfy the request'); continue; }
      const source = issuers(issuerId);
      if (!source) { reasons.push('no status source for the issuer'); continue; }
      try {
        const credential = await source.credential(issuerId, held.claim);
        witness ??= await walletHolderWitness(this.wallet, this.gist, this.profileNonce);
        return responseToJson(request.requestId, await proveAnswer(witness, credential, request, this.artifacts));
      } catch (error) {
        if (!(error instanceof ZkError) || error.code !== 'UNSATISFIED') throw error;
        reasons.push(error.message);
      }
    }
    throw new ZkError('UNSATISFIED', reasons.length ? `no held claim answers the request: ${[...new Set(reasons)].join('; ')}` : 'no held claim of the requested schema');
  }
}
