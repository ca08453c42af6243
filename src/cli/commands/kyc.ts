import { readFileSync, writeFileSync } from 'node:fs';
import type { Address, Hex } from 'viem';
import { fromBase64, openSealed, sealForClaim, signClaim, toBase64, type Params } from '../../sdk/index.js';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { sealReport } from './documents.js';

/**
 * The issuer an application goes to: `--issuer` (name or address), else the one issuer node_info lists as trusted for
 * the topic; and the did:key the document is sealed for: `--issuer-key`, else the one the issuer published.
 */
async function reviewerOf(ctx: CliContext, topic: number): Promise<{ address: Address; encryptionDid: string }> {
  const named = ctx.opt('issuer');
  let issuer;
  if (named) issuer = await ctx.issuer(named);
  else {
    const trusted = Object.values((await ctx.client.rpc.node_info({})).issuers).filter((i) => i.trustedTopics.includes(topic));
    if (trusted.length !== 1) {
      throw new Error(`--issuer is required: ${trusted.length ? `issuers trusted for topic ${topic}: ${trusted.map((i) => i.name).join(', ')}` : `no issuer is trusted for topic ${topic}`}`);
    }
    issuer = trusted[0]!;
  }
  const encryptionDid = ctx.opt('issuer-key') ?? issuer.encryptionDid;
  if (!encryptionDid) throw new Error(`--issuer-key is required: issuer ${issuer.name ?? issuer.address} publishes no did:key in node_info`);
  return { address: issuer.address as Address, encryptionDid };
}

export const kyc: Command = {
  name: 'kyc',
  usage: `kyc submit --as <key> --file F [--topic 1] [--issuer A|name] [--issuer-key did:key]
                                          seal F for the issuer (default: the one trusted for the topic; its did:key
                                          from node_info) and for <key>, and submit it for review
kyc show [<applicationId>] --as <key>     one application (applicant or issuer), or without an id the applications
                                          of <key>: the review queue of the issuer it signs for, else its own [--status S]
kyc review <applicationId> --as <key> (--approve [--days 365] [--report F [--media-type M]] | --reject --reason R) [--out F]
                                          --report: the issuer's own report, sealed here for the subject's encryption
                                          keys; the claim binds it instead of the applicant's upload`,
  options: {
    file: { type: 'string' }, issuer: { type: 'string' }, 'issuer-key': { type: 'string' }, topic: { type: 'string' },
    approve: { type: 'boolean' }, reject: { type: 'boolean' }, reason: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' },
    status: { type: 'string' }, report: { type: 'string' }, 'media-type': { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'submit') {
      const k = await ctx.unlock();
      const chainId = await client.chainId();
      const identity = await ctx.identityOf(k.account.address);
      const topic = Number(ctx.opt('topic') ?? 1);
      const issuer = await reviewerOf(ctx, topic);
      // Sealed for the reviewing issuer and for the holder itself (so it can grant verifiers later).
      const sealed = await sealForClaim(readFileSync(ctx.need('file')), { chainId, identity, topic }, [issuer.encryptionDid, k.encryption.did]);
      return client.write('id_submitKycApplication', {
        identity, topic, issuer: issuer.address, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
      }, k.account);
    }
    if (sub === 'show') {
      const k = await ctx.unlock();
      const applicationId = ctx.args[1];
      if (applicationId) return client.write('id_getKycApplication', { applicationId }, k.account);
      const status = ctx.opt('status') as Params<'id_listKycApplications'>['status'];
      const signsFor = Object.values((await client.rpc.node_info({})).issuers).find((i) => i.signer.toLowerCase() === k.account.address.toLowerCase());
      const whose = signsFor ? { issuer: signsFor.address as Address } : { identity: await ctx.identityOf(k.account.address) };
      return client.write('id_listKycApplications', { ...whose, ...(status ? { status } : {}) }, k.account);
    }
    if (sub === 'review') {
      const k = await ctx.unlock();
      const applicationId = ctx.arg(1, 'applicationId');
      const app = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, k.account);
      const chainId = await client.chainId();
      const out = ctx.opt('out');
      if (out) {
        const env = app.envelopes.find((e) => e.recipient === k.encryption.did);
        if (!env?.envelope || !app.ciphertext) throw new Error('no envelope for this key in the application');
        writeFileSync(out, await openSealed(fromBase64(app.ciphertext), env.envelope, k.encryption, { chainId, identity: app.identity as Address, topic: app.topic }), { mode: 0o600 });
      }
      if (ctx.flag('reject')) return client.write('id_reviewKycApplication', { applicationId, decision: 'reject', reason: ctx.need('reason') }, k.account);
      if (!ctx.flag('approve')) throw new Error('--approve or --reject');
      const issuedAt = ctx.now() - 60;
      const expiresAt = ctx.now() + Number(ctx.opt('days') ?? 365) * 86400;
      // --report: the issuer's own KYC report, sealed here for the subject; the claim then binds it, not the upload.
      const sealed = await sealReport(ctx, { identity: app.identity as Address, topic: app.topic });
      const documentHash = (sealed?.documentHash ?? app.documentHash) as Hex;
      const { signature } = await signClaim(k.account, { chainId, issuer: app.issuer as Address, identity: app.identity as Address, topic: BigInt(app.topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
      return client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature }, ...(sealed ? { report: sealed.report } : {}) }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
