/** Why a tree operation was refused. Callers branch on `code`; the message is for humans. */
export type SmtErrorCode =
  | 'KEY_EXISTS'
  | 'KEY_NOT_FOUND'
  | 'PATH_COLLISION'
  | 'UNKNOWN_ROOT'
  | 'MISSING_NODE'
  | 'CONFLICT'
  | 'CONFIG_MISMATCH';

export class SmtError extends Error {
  readonly code: SmtErrorCode;

  constructor(code: SmtErrorCode, message: string) {
    super(message);
    this.name = 'SmtError';
    this.code = code;
  }
}
