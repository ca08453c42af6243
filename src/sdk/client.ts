// Typed client of the Masque node: every method of src/protocol/api.ts, with its params and result types, plus
// signing of writes (EIP-712 `Request`) by a caller-held key. Transport: fetch, JSON-RPC 2.0 over HTTP.
import { bytesToHex, type Address, type Hex } from 'viem';
import type { MethodName, Params, Result } from '../protocol/api.js';
import { requestTypedData } from '../protocol/request.js';
import { executionTypedData, isSignedCallMethod } from '../protocol/signed-calls.js';
import { defaultRegistryKey, isRegistryCallMethod, registryCallTypedData } from '../protocol/registry-calls.js';
import { signDeployment, signTokenCalls, type TokenTypedData } from './token.js';
import { isTokenCallMethod, type SuiteAddresses } from '../protocol/token-calls.js';
import { MasqueZk } from './zk.js';

export class MasqueRpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) {
    super(message);
    this.name = 'MasqueRpcError';
  }
  /** The field a -32602 names. */
  get field(): string | undefined {
    return (this.data as { field?: string } | undefined)?.field;
  }
}

/** What signs requests: a viem LocalAccount (privateKeyToAccount) fits. */
export interface RequestSigner {
  address: Address;
  signTypedData(args: ReturnType<typeof requestTypedData>): Promise<Hex>;
  /** The identity call of a key or grant change (Identity.executeSigned). */
  signTypedData(args: ReturnType<typeof executionTypedData>): Promise<Hex>;
  /** A registry owner's (or role holder's) call on the registry (SignedCalls.executeSigned). */
  signTypedData(args: ReturnType<typeof registryCallTypedData>): Promise<Hex>;
  /** A token write's call on a suite contract (SignedCalls.executeSigned), and a token suite's deployment. */
  signTypedData(args: TokenTypedData['call']): Promise<Hex>;
  signTypedData(args: TokenTypedData['deploy']): Promise<Hex>;
}

type WriteMethod = { [M in MethodName]: 'auth' extends keyof Params<M> ? M : never }[MethodName];
/**
 * A write's params before signing: without `auth`; the signatures `sign` adds when absent optional (an identity's or
 * registry's `execution`, token writes' signed calls, a suite's deployment authorization and binding).
 */
type Signed = 'execution' | 'executions' | 'authorization' | 'storageBinding';
export type Unsigned<M extends WriteMethod> = Omit<Params<M>, 'auth' | Signed> & Partial<Pick<Params<M>, Signed & keyof Params<M>>>;

type Typed = { [M in MethodName]: (params: Params<M>) => Promise<Result<M>> };

let nextId = 1;

/** A one-time 32-byte value (Request and Execute nonces: any unused value is accepted). */
/**
 * Call signatures (token writes, identity and registry calls) are built from the params: params too malformed to encode
 * (a bad address, an unknown role, a topic that is not a number) are sent unsigned, so the node's refusal names the
 * field. Errors of the node (token_info, token_predictSuite) still throw.
 */
async function unlessMalformed<T>(p: () => Promise<T>): Promise<T | undefined> {
  try {
    return await p();
  } catch (e) {
    if (e instanceof MasqueRpcError) throw e;
    return undefined;
  }
}

const randomNonce = (): Hex => bytesToHex(crypto.getRandomValues(new Uint8Array(32)));

export class MasqueClient {
  private chainIdP: Promise<number> | undefined;
  private contractsP: Promise<Record<string, string>> | undefined;
  /** Suites of the tokens this client signed for (their contracts do not move unless the owner replaces one). */
  private readonly suites = new Map<string, Promise<SuiteAddresses>>();
  /** `client.rpc.id_getClaim({...})`: every method, typed. */
  readonly rpc: Typed;
  /** The zk_ methods with src/zk's types (publish state proofs, identity states, requests, response checks). */
  readonly zk: MasqueZk = new MasqueZk(this);

  constructor(readonly url: string, private readonly opts: { chainId?: number; headers?: Record<string, string> } = {}) {
    this.rpc = new Proxy({} as Typed, { get: (_t, name: string) => (params: unknown) => this.call(name as MethodName, params as never) });
  }

  async raw(body: unknown): Promise<unknown> {
    const res = await fetch(this.url, { method: 'POST', headers: { 'content-type': 'application/json', ...this.opts.headers }, body: JSON.stringify(body) });
    if (res.status === 204) return undefined;
    return res.json();
  }

  async call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    const res = (await this.raw({ jsonrpc: '2.0', id: nextId++, method, params })) as { result?: unknown; error?: { code: number; message: string; data?: unknown } };
    if (res.error) throw new MasqueRpcError(res.error.code, res.error.message, res.error.data);
    return res.result as Result<M>;
  }

  /** Many calls in one HTTP request; each entry resolves or rejects on its own. */
  async batch(calls: { method: string; params?: unknown }[]): Promise<PromiseSettledResult<unknown>[]> {
    const base = nextId;
    nextId += calls.length;
    const res = (await this.raw(calls.map((c, i) => ({ jsonrpc: '2.0', id: base + i, method: c.method, params: c.params })))) as { id: number; result?: unknown; error?: { code: number; message: string; data?: unknown } }[];
    const byId = new Map(res.map((r) => [r.id, r]));
    return calls.map((_c, i) => {
      const r = byId.get(base + i);
      if (!r) return { status: 'rejected', reason: new Error('no response') };
      return r.error ? { status: 'rejected', reason: new MasqueRpcError(r.error.code, r.error.message, r.error.data) } : { status: 'fulfilled', value: r.result };
    });
  }

  /** The node's contracts (node_info), fetched once. */
  contracts(): Promise<Record<string, string>> {
    return (this.contractsP ??= this.call('node_info', {}).then((i) => i.contracts));
  }

  /** The suite of `token` (default: the node's demo token), fetched once per token. */
  suite(token?: Address): Promise<SuiteAddresses> {
    const key = token?.toLowerCase() ?? 'default';
    let p = this.suites.get(key);
    if (!p) {
      p = this.call('token_info', token ? { token } : {}).then((i) => i as unknown as SuiteAddresses);
      p.catch(() => this.suites.delete(key));
      this.suites.set(key, p);
    }
    return p;
  }

  chainId(): Promise<number> {
    if (this.opts.chainId) return Promise.resolve(this.opts.chainId);
    return (this.chainIdP ??= this.call('node_info', {}).then((i) => i.chainId));
  }

  /** Signs `params` as `signer` (EIP-712 Request, fresh nonce, deadline in 10 minutes) and calls the write. */
  async write<M extends WriteMethod>(method: M, params: Unsigned<M>, signer: RequestSigner, opts: { deadline?: number; nonce?: Hex } = {}): Promise<Result<M>> {
    return this.call(method, (await this.sign(method, params, signer, opts)) as Params<M>);
  }

  async sign<M extends WriteMethod>(method: M, params: Unsigned<M>, signer: RequestSigner, opts: { deadline?: number; nonce?: Hex } = {}): Promise<Params<M>> {
    const chainId = await this.chainId();
    const nonce = opts.nonce ?? randomNonce();
    const deadline = opts.deadline ?? Math.floor(Date.now() / 1000) + 600;
    // Key and grant changes run on the identity through executeSigned: the signer also signs that exact call, so
    // the node relays it without holding a key on the identity. Done first: the request signature covers it.
    let p = params as Record<string, unknown>;
    if (method === 'id_revokeClaim' && p.issuer === undefined) {
      // The revocation is signed for the claim's issuer contract: look it up when the caller did not name it.
      const c = await this.call('id_getClaim', { identity: p.identity as Address, claimId: p.claimId as Hex });
      params = { ...params, issuer: c.issuer } as typeof params;
      p = params as Record<string, unknown>;
    }
    if (isTokenCallMethod(method) && p.executions === undefined) {
      // One signed call per suite contract the write touches: the contracts check the signer's role themselves.
      const executions = await unlessMalformed(() => signTokenCalls(this, chainId, method, p, signer, deadline));
      if (executions) params = { ...params, executions } as typeof params;
    }
    if (method === 'token_deploy') {
      const signatures = await unlessMalformed(() => signDeployment(this, chainId, p, signer, deadline));
      if (signatures) params = { ...params, ...signatures } as typeof params;
    }
    if (isSignedCallMethod(method) && p.execution === undefined) {
      const e = { nonce: randomNonce(), deadline };
      const signature = await unlessMalformed(() => signer.signTypedData(executionTypedData(chainId, method, p, e)));
      if (signature) params = { ...params, execution: { ...e, signature } };
    }
    if (isRegistryCallMethod(method) && p.execution === undefined) {
      // Registry writes run on the registry through executeSigned: its owner (or role holder) signs the call itself.
      const registry = (p.registry ?? (await this.contracts())[defaultRegistryKey(method)]) as Address;
      const e = { nonce: randomNonce(), deadline };
      const signature = await unlessMalformed(() => signer.signTypedData(registryCallTypedData(chainId, registry, method, p, e)));
      if (signature) params = { ...params, execution: { ...e, signature } };
    }
    const signature = await signer.signTypedData(requestTypedData(chainId, method, params as Record<string, unknown>, nonce, deadline));
    return { ...params, auth: { signer: signer.address, nonce, deadline, signature } } as Params<M>;
  }
}
