// `masque issuer ...` and `masque registry ...`: KYC providers and the registries that trust them, at run time.
// A provider registers its own ClaimIssuer (id_registerIssuer, its key's wallet and did:key); a registry's owner (on the
// embedded chain the key in <dataDir>/keys/registry-owner.key, imported with `keys new owner --private-key`) trusts and
// distrusts issuers, changes their topics and sets the required topics, each write signed by its key and relayed.
import type { Address } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';

/** `--registry A` when given: a registry other than the node's own. */
const registryOpt = (ctx: CliContext) => {
  const r = ctx.opt('registry');
  return r ? { registry: r as Address } : {};
};

export const issuer: Command = {
  name: 'issuer',
  usage: `issuer list                               the issuers the node knows: address, signer, topics, trust, did:key
issuer register --as <key> --name N --topics 1,3   deploy a ClaimIssuer for a new KYC provider (<key>: its signer;
                                          applicants seal documents for <key>'s did:key unless --no-encryption-key)
issuer trust <issuer> --topics 1,3 --as <owner> [--registry A]   trust it (name or address) in a TrustedIssuersRegistry
issuer untrust <issuer> --as <owner> [--registry A]              distrust it: its claims stop counting at once
issuer update-topics <issuer> --topics 1 --as <owner> [--registry A]
issuer trusted [--registry A]             a TrustedIssuersRegistry: owner, trusted issuers and their topics`,
  options: { topics: { type: 'string' }, registry: { type: 'string' }, 'no-encryption-key': { type: 'boolean' } },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'list') return Object.values((await client.rpc.node_info({})).issuers);
    if (sub === 'trusted') return client.rpc.id_getTrustedIssuers(registryOpt(ctx));
    if (sub === 'register') {
      const k = await ctx.unlock();
      return client.write('id_registerIssuer', {
        name: ctx.need('name'), signer: k.account.address, topics: ctx.topics(),
        ...(ctx.flag('no-encryption-key') ? {} : { encryptionDid: k.encryption.did }),
      }, k.account);
    }
    if (sub === 'trust' || sub === 'untrust' || sub === 'update-topics') {
      const issuerAddress = (await ctx.issuer(ctx.arg(1, 'issuer'))).address as Address;
      const k = await ctx.unlock();
      const p = { ...registryOpt(ctx), issuer: issuerAddress };
      if (sub === 'untrust') return client.write('id_removeTrustedIssuer', p, k.account);
      return client.write(sub === 'trust' ? 'id_addTrustedIssuer' : 'id_updateIssuerTopics', { ...p, topics: ctx.topics() }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};

export const registry: Command = {
  name: 'registry',
  usage: `registry topics [--registry A]            a ClaimTopicsRegistry: owner and the topics it requires
registry set-topics --topics 1,2 --as <owner> [--registry A]   replace the required topics (--topics "" for none)
registry accept <registry> --as <key>     take ownership of a registry transferred to <key> (Ownable2Step)`,
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'topics') return client.rpc.id_getClaimTopics(registryOpt(ctx));
    if (sub === 'set-topics') {
      const k = await ctx.unlock();
      return client.write('id_setClaimTopics', { ...registryOpt(ctx), topics: ctx.topics({ allowNone: true }) }, k.account);
    }
    if (sub === 'accept') {
      const k = await ctx.unlock();
      return client.write('id_acceptRegistryOwnership', { registry: ctx.arg(1, 'registry') as Address }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
