/** JSON-RPC 2.0 error codes; -32000..-32099 are the node's own. */
export const RpcCode = {
  PARSE_ERROR: -32700,
  INVALID_REQUEST: -32600,
  METHOD_NOT_FOUND: -32601,
  INVALID_PARAMS: -32602,
  INTERNAL: -32603,
  /** The caller's signature or capability does not authorize the request. */
  UNAUTHORIZED: -32001,
  /** The thing asked for does not exist. */
  NOT_FOUND: -32002,
  /** The request conflicts with current state (e.g. reviewing an application twice). */
  CONFLICT: -32003,
  /** The chain refused the transaction (revert); data.error names the custom error when known. */
  CHAIN_REVERTED: -32004,
  /** Stored document bytes do not match the on-chain hash: the content is never returned. */
  INTEGRITY: -32005,
  /** The upstream chain could not be reached. */
  UPSTREAM: -32006,
  /** Request larger than the node accepts. */
  TOO_LARGE: -32007,
} as const;
export type RpcCode = (typeof RpcCode)[keyof typeof RpcCode];
