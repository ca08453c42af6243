import { readFileSync, writeFileSync } from 'node:fs';
import type { Address, Hex } from 'viem';
import { fromBase64, openSealed, sealForClaim, signClaim, toBase64 } from '../../sdk/index.js';
import { unknownSubcommand, type Command } from '../command.js';

export const kyc: Command = {
  name: 'kyc',
  usage: `kyc submit --as <key> --file F --issuer A|name --issuer-key did:key [--topic 1]
kyc show <applicationId>
kyc review <applicationId> --as <key> (--approve [--days 365] | --reject --reason R) [--out F]`,
  options: {
    file: { type: 'string' }, issuer: { type: 'string' }, 'issuer-key': { type: 'string' }, topic: { type: 'string' },
    approve: { type: 'boolean' }, reject: { type: 'boolean' }, reason: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'submit') {
      const k = await ctx.unlock();
      const chainId = await client.chainId();
      const identity = await ctx.identityOf(k.account.address);
      const topic = Number(ctx.opt('topic') ?? 1);
      const issuer = await ctx.issuerAddress(ctx.need('issuer'));
      // Sealed for the reviewing issuer and for the holder itself (so it can grant verifiers later).
      const sealed = await sealForClaim(readFileSync(ctx.need('file')), { chainId, identity, topic }, [ctx.need('issuer-key'), k.encryption.did]);
      return client.write('id_submitKycApplication', {
        identity, topic, issuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
      }, k.account);
    }
    if (sub === 'show') {
      const k = await ctx.unlock();
      return client.write('id_getKycApplication', { applicationId: ctx.arg(1, 'applicationId') }, k.account);
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
      const { signature } = await signClaim(k.account, { chainId, issuer: app.issuer as Address, identity: app.identity as Address, topic: BigInt(app.topic), documentHash: app.documentHash as Hex, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
      return client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature } }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
