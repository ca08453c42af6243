/**
 * The holder role: answers a verifier's request from the claims it holds, with a proof that reveals only what
 * the request asks. Browser-safe: the wallet is reached through `HolderKeys` (src/wallet's Wallet is one).
 */
import type { AffinePoint } from '../crypto/babyjub.js';
import type { Claim } from '../claims/index.js';
import { parseId } from '../identity/index.js';
import type { CredentialSource } from './issuer.js';
import { evaluateOperator, genesisHolder, holderSubject, padValues, type HolderWitness } from './inputs.js';
import { proveCredentialQuery } from './prover.js';
import { parseRequest, responseToJson, type CredentialQueryResponseJson } from './request.js';
import { ZkError, type ProverArtifacts } from './types.js';

/** What the holder role needs of a wallet: its genesis keys, the secret of the one that proves, its claims. */
export interface HolderKeys {
  readonly network: number;
  genesisPublicKeys(): AffinePoint[];
  genesisKeyIndex(slot?: number): number;
  authKeyScalar(index?: number): bigint;
  claims(filter?: { schemaHash?: bigint }): readonly { readonly claim: Claim; readonly issuerId: string }[];
}

export class ZkHolder {
  private readonly witness: HolderWitness;

  constructor(
    private readonly wallet: HolderKeys,
    private readonly credentialQueryArtifacts: ProverArtifacts,
    /** Which genesis key proves ownership. */
    keySlot = 0,
  ) {
    const index = wallet.genesisKeyIndex(keySlot);
    this.witness = genesisHolder({
      keys: wallet.genesisPublicKeys(), network: wallet.network, keySlot,
      authKey: () => wallet.authKeyScalar(index),
    });
  }

  /** The subject value claims name this holder by. */
  get subject(): bigint {
    return holderSubject(this.witness);
  }

  /**
   * Answers `requestJson` (the verifier's JSON): picks a held claim of the requested schema, from an accepted
   * issuer, that satisfies the request at the issuer's published state, and proves it. Throws ZkError
   * UNSATISFIED naming why when no held claim can answer.
   */
  async respond(requestJson: unknown, issuers: (issuerId: bigint) => CredentialSource | undefined): Promise<CredentialQueryResponseJson> {
    const request = parseRequest(requestJson);
    const padded = padValues(request.values);
    const reasons: string[] = [];
    for (const held of this.wallet.claims({ schemaHash: request.schema })) {
      const issuerId = parseId(held.issuerId).bigint;
      if (!request.issuers.includes(issuerId)) { reasons.push('issuer not accepted'); continue; }
      if (!evaluateOperator(request.operator, held.claim.slots[request.slotIndex], padded)) { reasons.push('the value does not satisfy the request'); continue; }
      const source = issuers(issuerId);
      if (!source) { reasons.push('no status source for the issuer'); continue; }
      try {
        const credential = await source.credential(issuerId, held.claim);
        const proof = await proveCredentialQuery(this.witness, credential, request, this.credentialQueryArtifacts);
        return responseToJson(request.requestId, proof);
      } catch (error) {
        if (!(error instanceof ZkError) || error.code !== 'UNSATISFIED') throw error;
        reasons.push(error.message);
      }
    }
    throw new ZkError('UNSATISFIED', reasons.length ? `no held claim answers the request: ${[...new Set(reasons)].join('; ')}` : 'no held claim of the requested schema');
  }
}
