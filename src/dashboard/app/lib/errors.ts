// What a refusal says, in words a person can act on. No SDK import: the page's shell uses it before any screen
// (and the SDK) has loaded.
const CODES: Record<number, string> = {
  [-32001]: 'Not authorized', [-32002]: 'Not found', [-32003]: 'Conflict', [-32004]: 'Refused by the contract',
  [-32005]: 'Integrity check failed', [-32006]: 'Upstream unavailable', [-32007]: 'Too large',
  [-32602]: 'Invalid input', [-32601]: 'Not supported by this node', [-32603]: 'Node error',
};

export interface Problem { title: string; detail: string; field?: string; code?: number }

/** A thrown value as a titled, readable problem: node refusals keep their reason (and the field they name). */
export function describeError(e: unknown): Problem {
  const err = e as { name?: string; message?: string; code?: unknown; data?: unknown };
  if (err && typeof err.code === 'number' && (err.name === 'MasqueRpcError' || err.name === 'RpcError')) {
    const data = err.data as { field?: string; error?: string; layer?: string; reason?: string } | undefined;
    const extra = [data?.error && `contract error ${data.error}`, data?.layer && `refused by the ${data.layer} layer`, data?.reason].filter(Boolean).join('; ');
    return { title: CODES[err.code] ?? `Node error ${err.code}`, detail: extra ? `${err.message} (${extra})` : String(err.message), code: err.code, ...(data?.field ? { field: data.field } : {}) };
  }
  if (e instanceof TypeError && /fetch/i.test(e.message)) return { title: 'Node unreachable', detail: 'The node did not answer. Is it running?' };
  return { title: err?.name && err.name !== 'Error' && err.name !== 'TypeError' ? err.name.replace(/([a-z])([A-Z])/g, '$1 $2') : 'Something went wrong', detail: err?.message ?? String(e) };
}

/** One JSON-RPC call with fetch alone, for the shell (screens use the SDK client of ./rpc.ts). */
export async function rawCall<T>(method: string, params: unknown = {}): Promise<T> {
  const res = await fetch('/', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
  const body = (await res.json()) as { result?: T; error?: { code: number; message: string; data?: unknown } };
  if (body.error) throw Object.assign(new Error(body.error.message), { name: 'RpcError', code: body.error.code, data: body.error.data });
  return body.result as T;
}
