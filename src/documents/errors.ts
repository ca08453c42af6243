/**
 * Stored bytes that do not match what the chain says (hash) or what the CID says: the content is
 * withheld, never returned alongside the error.
 */
export class IntegrityError extends Error {
  override readonly name = 'IntegrityError';
  constructor(reason: string) {
    super(`integrity check failed: ${reason}`);
  }
}

/** A ciphertext that does not open: wrong key or recipient, or altered bytes, nonce, header or context. */
export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
  constructor(what: string) {
    super(`${what} does not open: wrong key, or the bytes or their context were altered`);
  }
}

/** An envelope presented for another claim, document or recipient than the one asked for. */
export class ContextMismatchError extends Error {
  override readonly name = 'ContextMismatchError';
  constructor(readonly field: string, expected: string, actual: string) {
    super(`envelope context mismatch on ${field}: expected ${expected}, got ${actual}`);
  }
}

/** Bytes or JSON that are not a document or envelope of a version this code reads. */
export class FormatError extends Error {
  override readonly name = 'FormatError';
}
