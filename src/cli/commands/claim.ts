import type { Address, Hex } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';

export const claim: Command = {
  name: 'claim',
  usage: `claim show --identity A --topic T [--issuer A]
claim verify --identity A --topic T [--issuer A] [--as <key>]   the claim's state at the chain's time (valid, issued,
                                          pending, expired, revoked, issuer-untrusted, none; exit status 2 unless valid);
                                          --as signs the request, so the applicant or its issuer is told of a pending application
claim revoke --as <key> --identity A --claim-id 0x..`,
  options: { identity: { type: 'string' }, topic: { type: 'string' }, issuer: { type: 'string' }, 'claim-id': { type: 'string' } },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    const issuer = ctx.opt('issuer');
    if (sub === 'show') {
      const claimId = ctx.opt('claim-id');
      return client.rpc.id_getClaim({
        identity: ctx.need('identity') as Address, topic: Number(ctx.need('topic')), issuer: (issuer ? await ctx.issuerAddress(issuer) : undefined) as Address,
        ...(claimId ? { claimId: claimId as Hex } : {}),
      });
    }
    if (sub === 'verify') {
      const params = { identity: ctx.need('identity') as Address, topic: Number(ctx.need('topic')), ...(issuer ? { issuer: await ctx.issuerAddress(issuer) } : {}) };
      return ctx.opt('as') ? client.write('id_verifyClaim', params, (await ctx.unlock()).account) : client.rpc.id_verifyClaim(params);
    }
    if (sub === 'revoke') {
      const k = await ctx.unlock();
      return client.write('id_revokeClaim', { identity: ctx.need('identity') as Address, claimId: ctx.need('claim-id') as Hex }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
  // claim verify: a claim that is not valid is an answer, printed, with exit status 2 for scripts.
  isNo: (out) => (out as { valid?: unknown } | undefined)?.valid === false,
};
