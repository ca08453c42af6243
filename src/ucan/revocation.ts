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
