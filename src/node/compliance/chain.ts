// What the screening operator does on chain, each signed by the operator's own key and relayed by the node (which
// pays gas and holds no authority): claims pushed and renewed through its ClaimIssuer (the identity checks the
// operator's claim signature), revocations through the ClaimIssuer's executeSigned (the operator is its manager), wallet
// freezes through the token's executeSigned (the operator holds FREEZER there, granted by the token's owner).
//
// Each action first reads whether it is already in effect, so a step repeated after a crash sends nothing twice.
import { encodeFunctionData, type Address, type Hex } from 'viem';
import { claimIssuerAbi } from '../../chain/artifacts/ClaimIssuer.js';
import { permissionedTokenAbi } from '../../chain/artifacts/PermissionedToken.js';
import { CLAIM_SCHEME_ECDSA, claimId as claimIdOf, encodeClaimData, randomExecuteNonce, signClaim, signExecute } from '../../chain/identity.js';
import { Role } from '../../chain/roles.js';
import { signCall } from '../../chain/suite.js';
import { getClaim, issuerSaysValid } from '../chain/reads.js';
import type { NodeContext } from '../context.js';
import type { OperatorKeys } from './keys.js';

/** Signed calls are valid for this long: a relayer stuck longer than that makes the step retry with a new signature. */
const SIGNED_CALL_TTL = 3600;

export class OperatorChain {
  constructor(private readonly ctx: NodeContext, private readonly keys: OperatorKeys, readonly issuer: Address) {}

  get operator(): Address {
    return this.keys.account.address;
  }

  /** The chain's time (latest block): claim windows are judged on it, so renewals follow it too. */
  async now(): Promise<number> {
    const b = await this.ctx.clients.publicClient.getBlock({ blockTag: 'latest' });
    return Number(b.timestamp);
  }

  /**
   * Issues (or renews, when this issuer's claim of the topic is on the identity) a claim of `topic` valid from
   * `issuedAt` to `expiresAt`, binding `documentHash` (the evidence record's leaf). One transaction: renewClaim revokes
   * the held claim and adds the new one atomically. Checked against the node's validity policy before signing.
   */
  async putClaim(identity: Address, topic: number, documentHash: Hex, issuedAt: number, expiresAt: number): Promise<{ claimId: Hex; txHash: Hex; renewed: boolean }> {
    this.ctx.policy.check({ topic, issuer: this.issuer, issuedAt, expiresAt });
    const signed = await signClaim(this.keys.account, {
      chainId: this.ctx.chainId, issuer: this.issuer, identity, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt),
    });
    // A claim in force is replaced atomically (renewClaim); a revoked or lapsed one is simply superseded (issueClaim).
    const renewed = await this.claimInForce(identity, topic);
    const data = encodeClaimData({ documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
    const r = await this.ctx.relayer.write({
      address: this.issuer, abi: claimIssuerAbi, functionName: renewed ? 'renewClaim' : 'issueClaim',
      args: [identity, BigInt(topic), CLAIM_SCHEME_ECDSA, signed.signature, data, ''],
    });
    return { claimId: claimIdOf(this.issuer, BigInt(topic)), txHash: r.hash, renewed };
  }

  /** Whether the issuer still vouches for its claim of `topic` on `identity` (false: none, or revoked). */
  async claimInForce(identity: Address, topic: number): Promise<boolean> {
    const c = await getClaim(this.ctx.clients.publicClient, identity, claimIdOf(this.issuer, BigInt(topic)));
    if (!c) return false;
    return issuerSaysValid(this.ctx.clients.publicClient, c, identity);
  }

  /** Revokes the issuer's claim of `topic` on `identity` (ClaimIssuer.revokeClaim, signed by the operator); null when nothing was in force. */
  async revokeClaim(identity: Address, topic: number): Promise<Hex | null> {
    if (!(await this.claimInForce(identity, topic))) return null;
    const data = encodeFunctionData({ abi: claimIssuerAbi, functionName: 'revokeClaim', args: [claimIdOf(this.issuer, BigInt(topic)), identity] });
    const nonce = randomExecuteNonce();
    const deadline = BigInt((await this.now()) + SIGNED_CALL_TTL);
    const signature = await signExecute(this.keys.account, { chainId: this.ctx.chainId, identity: this.issuer, to: this.issuer, value: 0n, data, nonce, deadline });
    const r = await this.ctx.relayer.write({ address: this.issuer, abi: claimIssuerAbi, functionName: 'executeSigned', args: [this.issuer, 0n, data, nonce, deadline, signature] });
    return r.hash;
  }

  async isFrozen(token: Address, wallet: Address): Promise<boolean> {
    return this.ctx.clients.publicClient.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'isFrozen', args: [wallet] });
  }

  async mayFreeze(token: Address): Promise<boolean> {
    return this.ctx.clients.publicClient.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'hasRoles', args: [this.operator, Role.FREEZER] });
  }

  /** Sets the wallet's freeze flag on `token` (signed call by the operator); null when it already was so. */
  async setFrozen(token: Address, wallet: Address, frozen: boolean): Promise<Hex | null> {
    if ((await this.isFrozen(token, wallet)) === frozen) return null;
    const data = encodeFunctionData({ abi: permissionedTokenAbi, functionName: 'setAddressFrozen', args: [wallet, frozen] });
    return this.signedOnToken(token, this.keys.account, data);
  }

  /** Relays `data` (a call of the token's own) signed by `signer` through the token's executeSigned. */
  private async signedOnToken(token: Address, signer: Parameters<typeof signCall>[0], data: Hex): Promise<Hex> {
    const s = await signCall(signer, { chainId: this.ctx.chainId, contract: token, data, deadline: BigInt((await this.now()) + SIGNED_CALL_TTL) });
    const r = await this.ctx.relayer.write({ address: token, abi: permissionedTokenAbi, functionName: 'executeSigned', args: [data, s.nonce, s.deadline, s.signature] });
    return r.hash;
  }

  /**
   * On the node's demo token (embedded defaults: its owner's key is in the data directory, see token-deploy.ts), the
   * owner grants the operator FREEZER by a signed call, as a token issuer would for its screening provider. Other
   * tokens' owners grant it themselves.
   */
  async grantFreezerOnOwnToken(token: Address): Promise<boolean> {
    const r = this.ctx.clients.publicClient;
    const owner = await r.readContract({ address: token, abi: permissionedTokenAbi, functionName: 'owner' });
    const demoOwner = this.ctx.demoTokenOwner;
    if (owner.toLowerCase() !== demoOwner.address.toLowerCase()) return false;
    if (await this.mayFreeze(token)) return true;
    await this.signedOnToken(token, demoOwner, encodeFunctionData({ abi: permissionedTokenAbi, functionName: 'grantRoles', args: [this.operator, Role.FREEZER] }));
    return true;
  }
}
