/** An input that cannot be encoded into a claim; `field` names the offending schema field or slot. */
export class ClaimFieldError extends Error {
  override readonly name = 'ClaimFieldError';
  constructor(readonly field: string, reason: string) {
    super(`${field}: ${reason}`);
  }
}
