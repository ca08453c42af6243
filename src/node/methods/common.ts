import { getAddress, type Address } from 'viem';
import type { NodeContext } from '../context.js';
import type { Auth } from '../auth.js';
import { RpcCode, RpcError, invalidParams, unauthorized } from '../rpc/errors.js';
import { keyHasPurpose, isContract } from '../chain/reads.js';
import { KeyPurpose } from '../../chain/identity.js';

/** Verifies the caller's EIP-712 request signature (spending its nonce) and returns the signer. */
export async function authorize(ctx: NodeContext, method: string, raw: Record<string, unknown>, auth: Auth): Promise<Address> {
  return ctx.auth.verify(method, raw, auth);
}

export async function requireIdentity(ctx: NodeContext, identity: Address, field = 'identity'): Promise<void> {
  if (!(await isContract(ctx.clients.publicClient, identity))) throw invalidParams(field, 'no identity contract at this address');
}

/** The signer must hold a management key on `identity`, and must not be the node itself. */
export async function requireManager(ctx: NodeContext, identity: Address, signer: Address): Promise<void> {
  await requireIdentity(ctx, identity);
  if (signer.toLowerCase() === ctx.relayerAddress.toLowerCase()) throw unauthorized('the node cannot authorize its own writes');
  if (!(await keyHasPurpose(ctx.clients.publicClient, identity, signer, KeyPurpose.MANAGEMENT))) {
    throw unauthorized('signer holds no management key on this identity');
  }
}

/** The node relays identity writes through its own management key there; say so plainly when it has none. */
export async function requireNodeManages(ctx: NodeContext, contract: Address, what: string): Promise<void> {
  if (!(await keyHasPurpose(ctx.clients.publicClient, contract, ctx.relayerAddress, KeyPurpose.MANAGEMENT))) {
    throw new RpcError(RpcCode.CONFLICT, `the node holds no management key on this ${what}, so it cannot relay for it`);
  }
}

export async function requireIssuerSigner(ctx: NodeContext, issuer: Address, signer: Address): Promise<void> {
  const r = ctx.clients.publicClient;
  if (!(await isContract(r, issuer))) throw invalidParams('issuer', 'no issuer contract at this address');
  const ok = (await keyHasPurpose(r, issuer, signer, KeyPurpose.CLAIM_SIGNER)) || (await keyHasPurpose(r, issuer, signer, KeyPurpose.MANAGEMENT));
  if (!ok) throw unauthorized("signer holds no claim-signer or management key at the claim's issuer");
}

export const pkh = (chainId: number, a: string) => `did:pkh:eip155:${chainId}:${getAddress(a)}`;
export const ZERO32 = `0x${'00'.repeat(32)}` as const;
