// token_ writes on a suite: each is the caller's EIP-712 Request (auth) plus one EIP-712 SignedCall per suite
// contract it touches (executions), rebuilt here from the params (protocol/token-calls.ts) and relayed through the
// contract's executeSigned. The contracts check the signer's role; the relayer pays gas and holds none. A refusal names
// the missing role (-32001) or the transfer rule that refused (-32004, data.reason), and sends nothing.
import { recoverTypedDataAddress, type Address, type Hex } from 'viem';
import { roleNames } from '../../chain/roles.js';
import { suiteErrors } from '../../chain/suite.js';
import { transferRefusals } from '../../chain/token.js';
import {
  moduleDirectory, suiteContractAbis, tokenCallTypedData, tokenCalls, type SuiteAddresses, type TokenCall, type TokenCallMethod,
} from '../../protocol/token-calls.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, hasCode, requireCallSignedBy } from './common.js';
import { readSuite } from './token-index.js';
import { RpcCode, RpcError, invalidParams, unauthorized } from '../rpc/errors.js';
import { revertError } from '../chain/relayer.js';

interface Execution { nonce: Hex; deadline: number; signature: Hex }
type WriteParams = Record<string, unknown> & { token?: Address; executions: Execution[]; auth: { signer: Address } };

/** The suite of `token` (default: the node's demo token), refused with -32602 when no ERC-3643 token is there. */
export async function suiteOf(ctx: NodeContext, token: Address | undefined): Promise<SuiteAddresses> {
  const address = token ?? ctx.deployment.token;
  if (!(await hasCode(ctx, address))) throw invalidParams('token', 'no token contract at this address');
  try {
    return await readSuite(ctx.clients.publicClient, address);
  } catch {
    throw invalidParams('token', 'not an ERC-3643 token (no identity registry or compliance)');
  }
}

export const moduleDirectoryOf = (ctx: NodeContext) => moduleDirectory(ctx.deployment as unknown as Record<string, string>);

/** A custom error a suite contract reverted with, as the answer a caller can act on. */
export function tokenRefusal(e: unknown, call?: TokenCall): unknown {
  if (!(e instanceof RpcError) || e.code !== RpcCode.CHAIN_REVERTED) return e;
  const data = e.data as { error?: string; args?: string[] } | undefined;
  const where = call ? `the ${call.contract}` : 'the contract';
  switch (data?.error) {
    case 'MissingRole': {
      const [account, bits] = data.args ?? [];
      const roles = roleNames(BigInt(bits ?? 0));
      return unauthorized(`${account} lacks the ${roles.join(' or ')} role on ${where}`, { error: 'MissingRole', account, roles, contract: call?.contract });
    }
    case 'OwnableUnauthorizedAccount':
      return unauthorized(`only the owner of ${where} may do this (${data.args?.[0]} is not)`, { error: data.error, account: data.args?.[0], roles: ['OWNER'], contract: call?.contract });
    case 'SignedNonceUsed':
      return unauthorized('this signed call was used already (its nonce is spent)', { error: data.error, field: 'executions' });
    case 'SignatureExpired':
      return unauthorized('signed call expired (deadline passed)', { error: data.error, field: 'executions' });
  }
  const refusal = Object.entries(transferRefusals).find(([code, r]) => Number(code) > 0 && r.error === data?.error);
  if (refusal) {
    const [code, r] = refusal;
    return new RpcError(RpcCode.CHAIN_REVERTED, `refused: ${r.message} (${r.name})`, { ...data, code: Number(code), reason: r.name });
  }
  return e;
}

/**
 * Checks the request and every signed call, simulates them all, then relays them in order. Everything that can refuse
 * runs before the first transaction, so a refused write sends nothing (a multi-contract write lands whole, barring a
 * concurrent change between the simulation and the send).
 */
export async function relayTokenWrite(ctx: NodeContext, method: TokenCallMethod, p: WriteParams, raw: Record<string, unknown>) {
  const signer = await authorize(ctx, method, raw, p.auth as never);
  if (signer.toLowerCase() === ctx.relayerAddress.toLowerCase()) throw unauthorized('the node cannot authorize its own writes');
  const suite = await suiteOf(ctx, p.token);
  const calls = tokenCalls(method, p, suite, moduleDirectoryOf(ctx));
  if (p.executions.length !== calls.length) {
    throw invalidParams('executions', `expected ${calls.length} signed call(s), one per contract: ${calls.map((c) => c.contract).join(', ')}`);
  }
  const sends = [];
  for (const [i, call] of calls.entries()) {
    const e = p.executions[i]!;
    await requireCallSignedBy(signer, e, () => recoverTypedDataAddress({ ...tokenCallTypedData(ctx.chainId, call, e), signature: e.signature }), {
      what: 'signed call', field: `executions.${i}`, mismatch: `signed call ${i} is not by auth.signer or not for this ${call.contract} call`,
    });
    const write = {
      address: call.to, abi: [...suiteContractAbis[call.contract], ...suiteErrors()],
      functionName: 'executeSigned', args: [call.data, BigInt(e.nonce), BigInt(e.deadline), e.signature] as const,
    };
    try {
      await ctx.clients.publicClient.estimateContractGas({ ...write, account: ctx.relayerAddress } as never);
    } catch (err) {
      throw tokenRefusal(revertError(err, method), call);
    }
    sends.push({ call, write });
  }
  const txHashes: string[] = [];
  let blockNumber = 0;
  for (const { call, write } of sends) {
    try {
      const r = await ctx.relayer.write(write as never);
      txHashes.push(r.hash);
      blockNumber = Number(r.receipt.blockNumber);
    } catch (err) {
      throw tokenRefusal(err, call);
    }
  }
  await ctx.tokenIndex.track(suite.token, 0, suite);
  await ctx.tokenIndex.catchUp(suite.token);
  return { txHash: txHashes[txHashes.length - 1]!, txHashes, blockNumber };
}

type WriteMethods = Extract<keyof Handlers, TokenCallMethod>;

export const tokenAdminHandlers = (ctx: NodeContext): Pick<Handlers, WriteMethods> => {
  const relay = (method: TokenCallMethod) => (p: unknown, c: { raw: Record<string, unknown> }) => relayTokenWrite(ctx, method, p as WriteParams, c.raw);
  return {
    token_transfer: relay('token_transfer'),
    token_mint: relay('token_mint'),
    token_batchMint: relay('token_batchMint'),
    token_burn: relay('token_burn'),
    token_pause: relay('token_pause'),
    token_unpause: relay('token_unpause'),
    token_freeze: relay('token_freeze'),
    token_unfreeze: relay('token_unfreeze'),
    token_forcedTransfer: relay('token_forcedTransfer'),
    token_recover: relay('token_recover'),
    token_registerInvestor: relay('token_registerInvestor'),
    token_setCompliance: relay('token_setCompliance'),
    token_addAgent: relay('token_addAgent'),
    token_removeAgent: relay('token_removeAgent'),
  };
};
