import { getAddress, type Hex } from 'viem';
import { investorOnboardingAbi } from '../../chain/artifacts/InvestorOnboarding.js';
import { canTransferReason } from '../../chain/token.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, ZERO32 } from './common.js';
import { checkPolicy, claimArgs } from './claims.js';
import { unauthorized } from '../rpc/errors.js';
import { revertError } from '../chain/relayer.js';
import { checkOnboardingJurisdiction, recordOnboardingJurisdiction } from '../risk/onboarding.js';

export const tokenHandlers = (ctx: NodeContext): Pick<Handlers, 'token_predictInvestorIdentity' | 'token_onboardInvestor' | 'token_canTransfer'> => ({
  async token_predictInvestorIdentity(p) {
    const identity = await ctx.clients.publicClient.readContract({
      address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'predictIdentity', args: [p.wallet, (p.salt ?? ZERO32) as Hex],
    });
    return { identity };
  },

  async token_onboardInvestor(p, { raw }) {
    const signer = await authorize(ctx, 'token_onboardInvestor', raw, p.auth);
    if (signer.toLowerCase() !== p.wallet.toLowerCase()) throw unauthorized('only the investor wallet can ask to be onboarded', { field: 'auth.signer' });
    const salt = (p.salt ?? ZERO32) as Hex;
    const identity = await ctx.clients.publicClient.readContract({ address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'predictIdentity', args: [p.wallet, salt] });
    p.claims.forEach((c, i) => checkPolicy(ctx, c, `claims.${i}.`));
    const jurisdiction = await checkOnboardingJurisdiction(ctx, p);
    const claims = p.claims.map((c) => {
      const [topic, scheme, issuer, signature, data, uri] = claimArgs({ ...c, identity });
      return { topic, scheme, issuer, signature, data, uri };
    });
    const r = await ctx.relayer.write({ address: ctx.deployment.onboarding, abi: investorOnboardingAbi, functionName: 'onboard', args: [p.wallet, p.country, salt, claims] });
    if (jurisdiction) await recordOnboardingJurisdiction(ctx, identity, p.country, jurisdiction);
    return { identity: getAddress(identity), txHash: r.hash };
  },

  async token_canTransfer(p) {
    try {
      const res = await canTransferReason(ctx.clients.publicClient, p.token ?? ctx.deployment.token, p.from, p.to, BigInt(p.amount));
      return { ok: res.code === 0, code: res.code, name: res.name, message: res.message };
    } catch (e) {
      throw revertError(e, 'canTransferReason');
    }
  },
});
