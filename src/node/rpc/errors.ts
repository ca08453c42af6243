// The codes are the wire protocol's (src/protocol/errors.ts); the node's error class and its constructors live here.
import { RpcCode } from '../../protocol/errors.js';

export { RpcCode };

export class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'RpcError';
  }
}

/** -32602 `invalid params: <field>: <reason>`: pass the reason alone (an input error's `reason`, not its message). */
export const invalidParams = (field: string, message: string) =>
  new RpcError(RpcCode.INVALID_PARAMS, `invalid params: ${field}: ${message}`, { field });
export const unauthorized = (message: string, data?: unknown) => new RpcError(RpcCode.UNAUTHORIZED, message, data);
export const notFound = (message: string) => new RpcError(RpcCode.NOT_FOUND, message);
export const conflict = (message: string) => new RpcError(RpcCode.CONFLICT, message);
