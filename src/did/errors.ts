/** A DID string that does not parse, or names a method, chain or key type this module does not accept. */
export class DidError extends Error {
  override readonly name = 'DidError';
  constructor(readonly did: string, reason: string) {
    super(`${did.length > 80 ? `${did.slice(0, 77)}...` : did}: ${reason}`);
  }
}
