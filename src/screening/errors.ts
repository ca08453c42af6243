/**
 * A list file that cannot be imported. `file` is the name the caller gave the file; `line` (1-based) and `element`
 * (an XML path or a CSV column) say where, when known. The message names them all, never the whole record: list files
 * are public, but the same error type carries holder profiles' fields in the screening service.
 */
export class ListFormatError extends Error {
  override readonly name = 'ListFormatError';
  constructor(
    readonly file: string,
    readonly reason: string,
    readonly where: { readonly line?: number; readonly element?: string } = {},
  ) {
    super(`${file}${where.line !== undefined ? `:${where.line}` : ''}${where.element ? ` (${where.element})` : ''}: ${reason}`);
  }
}

/** A bad argument to the matcher or the index (a query without a name, a threshold out of range, ...); `field: reason`. */
export class ScreeningInputError extends Error {
  override readonly name = 'ScreeningInputError';
  constructor(readonly field: string, readonly reason: string) {
    super(`${field}: ${reason}`);
  }
}

/** A stored list version whose content no longer hashes to its recorded hash. */
export class ListIntegrityError extends Error {
  override readonly name = 'ListIntegrityError';
  constructor(readonly source: string, readonly expected: string, readonly actual: string) {
    super(`list version of ${source}: content hashes to ${actual}, recorded ${expected}`);
  }
}
