import type { Address } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';

export const identity: Command = {
  name: 'identity',
  usage: `identity create --as <key> [--country N]  deploy the identity of <key>'s wallet (node relays, <key> signs)
identity show (--wallet A | --identity A)`,
  options: { country: { type: 'string' }, wallet: { type: 'string' }, identity: { type: 'string' } },
  async run(ctx) {
    const [sub] = ctx.args;
    if (sub === 'create') {
      const k = await ctx.unlock();
      const country = ctx.opt('country');
      return ctx.client.write('id_createIdentity', { wallet: k.account.address, ...(country ? { country: Number(country) } : {}) }, k.account);
    }
    if (sub === 'show') {
      const id = ctx.opt('identity');
      return ctx.client.rpc.id_getIdentity(id ? { identity: id as Address } : { wallet: ctx.need('wallet') as Address });
    }
    throw unknownSubcommand(this, ctx);
  },
};
