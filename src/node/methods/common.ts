import { decodeFunctionData, getAddress, zeroAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { executionSigner, signedCall, type Execution, type SignedCallMethod } from '../../protocol/signed-calls.js';
import type { NodeContext } from '../context.js';
import type { Auth } from '../../protocol/auth.js';
import { RpcCode, RpcError, invalidParams, unauthorized } from '../rpc/errors.js';
import { keyHasPurpose, isContract } from '../chain/reads.js';
import { KeyPurpose } from '../../chain/identity.js';

/** Verifies the caller's EIP-712 request signature (spending its nonce) and returns the signer. */
export async function authorize(ctx: NodeContext, method: string, raw: Record<string, unknown>, auth: Auth): Promise<Address> {
  return ctx.auth.verify(method, raw, auth);
}

// Deployed code never disappears from identities and issuers (no selfdestruct), so a positive answer is kept.
const knownContracts = new Set<string>();

export async function hasCode(ctx: NodeContext, a: Address): Promise<boolean> {
  const k = `${ctx.chainId}:${a.toLowerCase()}`;
  if (knownContracts.has(k)) return true;
  const yes = await isContract(ctx.clients.publicClient, a);
  if (yes) knownContracts.add(k);
  return yes;
}

export async function requireIdentity(ctx: NodeContext, identity: Address, field = 'identity'): Promise<void> {
  if (!(await hasCode(ctx, identity))) throw invalidParams(field, 'no identity contract at this address');
}

/** keyHasPurpose through the read cache (at a head at least as new as the request). */
export function hasPurpose(ctx: NodeContext, contract: Address, wallet: Address, purpose: bigint): Promise<boolean> {
  return ctx.cache.get(`khp:${contract.toLowerCase()}:${wallet.toLowerCase()}:${purpose}`, (head) => keyHasPurpose(ctx.clients.publicClient, contract, wallet, purpose, head.number));
}

/** The signer must hold a management key on `identity`, and must not be the node itself. */
export async function requireManager(ctx: NodeContext, identity: Address, signer: Address, field = 'identity'): Promise<void> {
  await requireIdentity(ctx, identity, field);
  if (signer.toLowerCase() === ctx.relayerAddress.toLowerCase()) throw unauthorized('the node cannot authorize its own writes');
  if (!(await hasPurpose(ctx, identity, signer, KeyPurpose.MANAGEMENT))) {
    throw unauthorized('signer holds no management key on this identity');
  }
}

/**
 * Relays `method`'s call on `p.identity` for `signer` (already checked as a management key there). With the
 * subject's `execution` signature it goes through Identity.executeSigned, so the node needs no key on the identity
 * (node-created and onboarded identities alike). Without one, only identities that still carry the node's key as a
 * manager (created by earlier versions of the node) can be served.
 */
export async function relayIdentityCall(
  ctx: NodeContext, method: SignedCallMethod, p: Record<string, unknown> & { identity: Address; execution?: Execution }, signer: Address,
): Promise<{ hash: Hex }> {
  return (await prepareIdentityCall(ctx, method, p, signer))();
}

/**
 * Every check `relayIdentityCall` makes before it spends gas (execution signature, its signer, its deadline, the
 * legacy management key), returning the send. Callers with off-chain side effects run it first, so a refused call
 * changes nothing anywhere; the relayer's gas estimation then refuses what the contract would revert, before any
 * transaction is sent.
 */
export async function prepareIdentityCall(
  ctx: NodeContext, method: SignedCallMethod, p: Record<string, unknown> & { identity: Address; execution?: Execution }, signer: Address,
): Promise<() => Promise<{ hash: Hex }>> {
  const call = signedCall(method, p, p.execution?.nonce ?? `0x${'00'.repeat(32)}`, p.execution?.deadline ?? 0);
  const target = call.to;
  if (!p.execution) {
    await requireNodeManages(ctx, target, `${method === 'id_revokeClaim' ? 'issuer' : 'identity'} (send an execution signature)`);
    const abi = method === 'id_revokeClaim' ? claimIssuerAbi : identityAbi;
    const { functionName, args } = decodeFunctionData({ abi, data: call.data });
    return () => ctx.relayer.write({ address: target, abi, functionName, args } as never);
  }
  const e = p.execution;
  // Checked here for a clear error; the contract checks it again (management key, nonce, deadline, low s).
  await requireCallSignedBy(signer, e, () => executionSigner(ctx.chainId, method, p, e), {
    what: 'execution signature', field: 'execution', mismatch: 'execution signature is not by auth.signer or not for this call',
  });
  return () => ctx.relayer.write({
    address: target, abi: identityAbi, functionName: 'executeSigned', args: [call.to, call.value, call.data, call.nonce, call.deadline, e.signature],
  });
}

/**
 * Checks a signature the caller brought for a call the node relays through a contract's executeSigned (an identity's,
 * an issuer's, a registry's or a token suite's): unexpired, well formed, and by the Request's signer. `recover` rebuilds
 * the typed data of exactly the call the params describe, so a signature of any other call recovers to someone else.
 * The contract checks it again; this refuses before any gas with an error naming the field (`<field>.deadline` or
 * `<field>.signature`).
 */
export async function requireCallSignedBy(
  signer: Address, e: { deadline: number }, recover: () => Promise<Address>, say: { what: string; field: string; mismatch: string },
): Promise<void> {
  if (e.deadline < Math.floor(Date.now() / 1000)) throw unauthorized(`${say.what} expired (deadline passed)`, { field: `${say.field}.deadline` });
  let by: Address;
  try {
    by = await recover();
  } catch {
    throw unauthorized(`malformed ${say.what}`, { field: `${say.field}.signature` });
  }
  if (by.toLowerCase() !== signer.toLowerCase()) throw unauthorized(say.mismatch, { field: `${say.field}.signature` });
}

/** The node relays identity writes through its own management key there; say so plainly when it has none. */
export async function requireNodeManages(ctx: NodeContext, contract: Address, what: string): Promise<void> {
  if (!(await hasPurpose(ctx, contract, ctx.relayerAddress, KeyPurpose.MANAGEMENT))) {
    throw new RpcError(RpcCode.CONFLICT, `the node holds no management key on this ${what}, so it cannot relay for it`);
  }
}

export async function requireIssuerSigner(ctx: NodeContext, issuer: Address, signer: Address): Promise<void> {
  if (!(await hasCode(ctx, issuer))) throw invalidParams('issuer', 'no issuer contract at this address');
  if (!(await isIssuerSigner(ctx, issuer, signer))) throw unauthorized("signer holds no claim-signer or management key at the claim's issuer");
}

/** The signer holds a claim-signer or management key at the issuer contract. */
export async function isIssuerSigner(ctx: NodeContext, issuer: Address, signer: Address): Promise<boolean> {
  return (await hasPurpose(ctx, issuer, signer, KeyPurpose.CLAIM_SIGNER)) || (await hasPurpose(ctx, issuer, signer, KeyPurpose.MANAGEMENT));
}

/**
 * A KYC application, even its metadata (identity, issuer, topic, status history), says who applied for what: only a
 * management key of the applying identity (never the node itself) or a signer of the application's issuer sees it.
 */
export async function mayReadApplication(ctx: NodeContext, a: { identity: string; issuer: string }, signer: Address): Promise<boolean> {
  const isNode = signer.toLowerCase() === ctx.relayerAddress.toLowerCase();
  if (!isNode && (await hasPurpose(ctx, a.identity as Address, signer, KeyPurpose.MANAGEMENT).catch(() => false))) return true;
  return mayReviewApplication(ctx, a, signer);
}

/** A signer of the application's issuer: who may review or assign it. */
export async function mayReviewApplication(ctx: NodeContext, a: { issuer: string }, signer: Address): Promise<boolean> {
  return (await hasCode(ctx, a.issuer as Address)) && isIssuerSigner(ctx, a.issuer as Address, signer);
}

const NOBODYS_APPLICATION = { identity: zeroAddress, issuer: zeroAddress };

/**
 * The application when `may` allows the signer; otherwise one refusal (-32001), the same whether the id is unknown or
 * the application someone else's, so no key learns which ids exist. An unknown id runs the same permission check
 * against nobody's application first, so it is not answered noticeably sooner.
 */
export async function applicationFor<T extends { identity: string; issuer: string }>(found: T | undefined, may: (a: { identity: string; issuer: string }) => Promise<boolean>): Promise<T> {
  const allowed = await may(found ?? NOBODYS_APPLICATION).catch(() => false);
  if (!found || !allowed) throw unauthorized('no such application that this signer may see (its applicant or a signer of its issuer)', { field: 'applicationId' });
  return found;
}

export const pkh = (chainId: number, a: string) => `did:pkh:eip155:${chainId}:${getAddress(a)}`;
export const ZERO32 = `0x${'00'.repeat(32)}` as const;
