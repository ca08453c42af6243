// Chain reads at addresses the caller names. An address that holds no contract, or one of another kind, is the
// caller's mistake: -32602 naming the field that gave the address, not -32603 (an internal error tells the caller
// nothing and logs a stack trace). A chain that cannot be reached is -32006. Anything else stays as it was.
import {
  BaseError, ContractFunctionExecutionError, ContractFunctionRevertedError, ContractFunctionZeroDataError, ExecutionRevertedError, HttpRequestError, RpcRequestError,
  SocketClosedError, TimeoutError, WebSocketRequestError,
} from 'viem';
import { RpcCode, RpcError, invalidParams } from '../rpc/errors.js';
import { revertError } from '../chain/relayer.js';

/** The dotted path of the first string in `params` equal to `address` (case-insensitive), searched a few levels deep. */
function fieldHolding(params: unknown, address: string, depth = 0): string | undefined {
  if (depth > 4 || params === null || typeof params !== 'object') return undefined;
  for (const [k, v] of Object.entries(params)) {
    if (typeof v === 'string' && v.toLowerCase() === address.toLowerCase()) return k;
    const inner = fieldHolding(v, address, depth + 1);
    if (inner) return `${k}.${inner}`;
  }
  return undefined;
}

/** `e` as the caller's error when it is one (see above); otherwise `e` itself. */
export function callerChainError(e: unknown, params: unknown): unknown {
  if (!(e instanceof BaseError)) return e;
  const call = e.walk((x) => x instanceof ContractFunctionExecutionError) as ContractFunctionExecutionError | null;
  const field = call?.contractAddress ? fieldHolding(params, call.contractAddress) : undefined;
  if (call && field) {
    const revert = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
    // A contract of the right kind refusing by name is a revert to report as such.
    if (revert?.data?.errorName) return revertError(e, call.functionName);
    if (revert || e.walk((x) => x instanceof ContractFunctionZeroDataError)) {
      return invalidParams(field, `the contract at this address does not answer ${call.functionName}: no contract, or not of the kind expected`);
    }
  }
  if (e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError)) return new RpcError(RpcCode.UPSTREAM, 'the chain could not be reached');
  return e;
}

/** The request never got a contract's answer: the connection failed or timed out, or the provider refused it. */
export function chainUnreachable(e: unknown): boolean {
  return e instanceof BaseError && !!e.walk((x) => x instanceof HttpRequestError || x instanceof TimeoutError || x instanceof WebSocketRequestError
    || x instanceof SocketClosedError || x instanceof RpcRequestError);
}

/**
 * The contract answered, and not as the ABI expects: it reverted, returned nothing, or returned data that does not
 * decode (a contract of another kind or version). Never true of a failure to reach the chain (`chainUnreachable`).
 */
export function contractRefused(e: unknown): boolean {
  if (!(e instanceof BaseError)) return false;
  if (e.walk((x) => x instanceof ContractFunctionRevertedError || x instanceof ContractFunctionZeroDataError || x instanceof ExecutionRevertedError)) return true;
  return !!e.walk((x) => x instanceof ContractFunctionExecutionError) && !chainUnreachable(e);
}
