// Attested jurisdiction at onboarding: the country token_onboardInvestor registers must be the one a JURISDICTION
// claim among the signed claims commits to (its documentHash opened by the salt the investor shows), from an issuer
// the TrustedIssuersRegistry trusts for topic 9. With `risk.requireAttestedJurisdiction` the opening is mandatory.
import type { Address, Hex } from 'viem';
import { JURISDICTION_TOPIC, opensCommitment } from '../../risk/index.js';
import { claimId } from '../../chain/identity.js';
import { isTrustedFor } from '../chain/reads.js';
import type { NodeContext } from '../context.js';
import { invalidParams } from '../rpc/errors.js';

interface OnboardingClaim { topic: number; issuer: string; documentHash?: string }

/** Checks before anything is sent; returns what to record once the onboarding transaction is mined. */
export async function checkOnboardingJurisdiction(
  ctx: NodeContext, p: { country: number; claims: readonly OnboardingClaim[]; jurisdiction?: { salt: string } },
): Promise<{ issuer: Address; salt: Hex } | undefined> {
  const i = p.claims.findIndex((c) => c.topic === JURISDICTION_TOPIC);
  if (!p.jurisdiction) {
    if (ctx.config.risk.requireAttestedJurisdiction) {
      throw invalidParams('jurisdiction', `this node registers only a country attested by a JURISDICTION claim (topic ${JURISDICTION_TOPIC}) of a trusted issuer: add the claim and its salt`);
    }
    return undefined;
  }
  if (i < 0) throw invalidParams('claims', `jurisdiction given but no JURISDICTION claim (topic ${JURISDICTION_TOPIC}) among the claims`);
  const c = p.claims[i];
  if (!(await isTrustedFor(ctx.clients.publicClient, ctx.deployment.trustedIssuersRegistry, c.issuer as Address, JURISDICTION_TOPIC))) {
    throw invalidParams(`claims.${i}.issuer`, `the issuer is not trusted for topic ${JURISDICTION_TOPIC} (JURISDICTION)`);
  }
  if (!c.documentHash || !opensCommitment(c.documentHash as Hex, p.country, p.jurisdiction.salt as Hex)) {
    throw invalidParams('country', 'the country is not the one the JURISDICTION claim attests (documentHash does not open with this country and salt)');
  }
  return { issuer: c.issuer as Address, salt: p.jurisdiction.salt as Hex };
}

/** Records the opening after the onboarding transaction: the risk service then follows the claim. */
export async function recordOnboardingJurisdiction(ctx: NodeContext, identity: Address, country: number, j: { issuer: Address; salt: Hex }): Promise<void> {
  await ctx.repos.risk.putJurisdiction({ identity, country, salt: j.salt, issuer: j.issuer, claimId: claimId(j.issuer, BigInt(JURISDICTION_TOPIC)) });
}
