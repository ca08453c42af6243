// Test helpers of the ZK parties' tests (src/node/zk-parties.test.ts, src/dashboard/zk-keys.test.ts): a KYC
// application the node's KYC issuer approved on chain, which ZK claims are then issued for.
import type { Address, Hex, LocalAccount } from 'viem';
import type { MasqueClient } from '../sdk/index.js';
import { sealForClaim, signClaim, toBase64 } from '../sdk/index.js';

/**
 * A KYC application (topic 1) by `applicant`'s new EVM identity, its document sealed to `encryptionDid`, approved
 * on chain by `reviewer` (a claim signer of the node's `kyc` issuer) unless `approve` is false; returns its id.
 */
export async function approvedKycApplication(
  client: MasqueClient,
  reviewer: LocalAccount,
  applicant: LocalAccount,
  encryptionDid: string,
  approve = true,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const chainId = await client.chainId();
  const kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
  const { identity } = await client.write('id_createIdentity', { wallet: applicant.address }, applicant);
  const sealed = await sealForClaim(new TextEncoder().encode('{"birthDate":"2001-03-15","countryOfResidence":"DE"}'), { chainId, identity: identity as Address, topic: 1 }, [encryptionDid]);
  const sub = await client.write('id_submitKycApplication', { identity: identity as Address, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, applicant);
  if (!approve) return sub.applicationId;
  const app = await client.write('id_getKycApplication', { applicationId: sub.applicationId }, reviewer);
  const issuedAt = now - 10;
  const expiresAt = now + 3600;
  const { signature } = await signClaim(reviewer, { chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash: app.documentHash as Hex, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
  await client.write('id_reviewKycApplication', { applicationId: sub.applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature } }, reviewer);
  return sub.applicationId;
}
