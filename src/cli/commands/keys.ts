import type { Hex } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';

export const keys: Command = {
  name: 'keys',
  usage: `keys new <name> [--private-key 0x..]      create a wallet + ML-KEM-768 key in the encrypted keystore
keys list                                 names, addresses and did:keys (no passphrase needed)`,
  options: { 'private-key': { type: 'string' } },
  async run(ctx) {
    const [sub] = ctx.args;
    if (sub === 'new') {
      const f = await ctx.keystore.create(ctx.arg(1, 'name'), await ctx.passphrase(), { privateKey: ctx.opt('private-key') as Hex | undefined });
      return { name: f.name, address: f.address, encryptionDid: f.encryptionDid };
    }
    if (sub === 'list') return ctx.keystore.list().map((f) => ({ name: f.name, address: f.address, encryptionDid: f.encryptionDid }));
    throw unknownSubcommand(this, ctx);
  },
};
