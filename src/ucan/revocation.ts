/**
 * Revoked delegations, by CID (string form). A revoked delegation stops every chain that uses it,
 * from the next check on. Who may revoke is the writer's concern: per UCAN, only an issuer in the
 * delegation's own chain (the delegation's issuer or someone upstream); the node checks that before
 * calling `revoke`.
 */
export interface RevocationStore {
  isRevoked(delegationCid: string): Promise<boolean> | boolean;
}

export class MemoryRevocationStore implements RevocationStore {
  readonly #revoked = new Map<string, number>();

  revoke(delegationCid: string, at: number = Math.floor(Date.now() / 1000)): void {
    if (!this.#revoked.has(delegationCid)) this.#revoked.set(delegationCid, at);
  }

  isRevoked(delegationCid: string): boolean {
    return this.#revoked.has(delegationCid);
  }

  /** When it was revoked (unix seconds), for audit. */
  revokedAt(delegationCid: string): number | undefined {
    return this.#revoked.get(delegationCid);
  }
}

/**
 * Spent invocations: an invocation is single-use, so its (issuer, nonce) is recorded when it is accepted and any
 * later presentation is refused. `spend` must check and record in one atomic step and durably (a replay must be
 * refused after a restart too); `expiration` lets the store forget a nonce once the invocation could no longer be
 * accepted anyway.
 */
export interface InvocationStore {
  /** Records the invocation as used; false (and no change) when its issuer's nonce was spent already. */
  spend(invocation: { issuer: string; nonce: Uint8Array; cid: string; expiration: number }): Promise<boolean> | boolean;
}
