import type { Address, Hex } from 'viem';
import { signClaim } from '../../sdk/index.js';
import { unknownSubcommand, type Command } from '../command.js';
import { sealReport } from './documents.js';

export const claim: Command = {
  name: 'claim',
  usage: `claim show --identity A --topic T [--issuer A]
claim verify --identity A --topic T [--issuer A] [--as <key>]   the claim's state at the chain's time (valid, issued,
                                          pending, expired, revoked, issuer-untrusted, none; exit status 2 unless valid);
                                          --as signs the request, so the applicant or its issuer is told of a pending application
claim revoke --as <key> --identity A --claim-id 0x..
claim issue --as <signer> --identity A --topic T [--issuer name|A] [--days 365] [--report F [--media-type M]]
                                          sign and add a claim; --report: the issuer's own document (KYC report,
                                          screening result, certificate) sealed here for the subject's encryption keys,
                                          stored by CID, its hash bound by the claim`,
  options: {
    identity: { type: 'string' }, topic: { type: 'string' }, issuer: { type: 'string' }, 'claim-id': { type: 'string' }, days: { type: 'string' },
    report: { type: 'string' }, 'media-type': { type: 'string' },
  },
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
    if (sub === 'issue') {
      const k = await ctx.unlock();
      const identity = ctx.need('identity') as Address;
      const topic = Number(ctx.need('topic'));
      // The issuer: --issuer, else the one node_info lists with <signer> as its signer.
      const signsFor = Object.values((await client.rpc.node_info({})).issuers).filter((i) => i.signer.toLowerCase() === k.account.address.toLowerCase());
      if (!issuer && signsFor.length !== 1) throw new Error(`--issuer is required: ${signsFor.length ? `${k.name} signs for ${signsFor.map((i) => i.name).join(', ')}` : `no issuer the node knows has ${k.name} as signer`}`);
      const issuerAddress = issuer ? await ctx.issuerAddress(issuer) : (signsFor[0]!.address as Address);
      const sealed = await sealReport(ctx, { identity, topic });
      const issuedAt = ctx.now() - 60;
      const expiresAt = ctx.now() + Number(ctx.opt('days') ?? 365) * 86400;
      const documentHash = (sealed?.documentHash ?? `0x${'00'.repeat(32)}`) as Hex;
      const { signature } = await signClaim(k.account, { chainId: await client.chainId(), issuer: issuerAddress, identity, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
      return client.rpc.id_issueClaim({ identity, topic, issuer: issuerAddress, documentHash, issuedAt, expiresAt, signature, ...(sealed ? sealed.report : {}) });
    }
    throw unknownSubcommand(this, ctx);
  },
  // claim verify: a claim that is not valid is an answer, printed, with exit status 2 for scripts.
  isNo: (out) => (out as { valid?: unknown } | undefined)?.valid === false,
};
