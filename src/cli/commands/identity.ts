import type { Address, Hex } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';

/** ERC-734 purposes by name, as `--purpose` takes them (or their numbers). */
const PURPOSES: Record<string, number> = { management: 1, action: 2, claim: 3, encryption: 4, registry: 5 };

/** `--purpose`: a name or a number; anything else goes to the node as given, whose refusal names `purpose`. */
function purposeOf(ctx: CliContext): number {
  const v = ctx.need('purpose');
  return PURPOSES[v.toLowerCase()] ?? (/^\d+$/.test(v) ? Number(v) : Number.NaN);
}

export const identity: Command = {
  name: 'identity',
  usage: `identity create --as <key> [--country N]  deploy the identity of <key>'s wallet (node relays, <key> signs)
identity show (--wallet A | --identity A)
identity add-key --as <key> --key A|0x<32 bytes> --purpose management|action|claim|encryption|registry|1-5 [--identity A]
                                          add an ERC-734 key, signed by <key>, a management key of the identity
                                          (default: <key>'s own); a wallet address becomes keccak256 of it, a
                                          registry's (purpose 5) its address padded
identity remove-key --as <key> --key A|0x<32 bytes> --purpose P [--identity A]`,
  options: { country: { type: 'string' }, wallet: { type: 'string' }, identity: { type: 'string' }, key: { type: 'string' }, purpose: { type: 'string' } },
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
    if (sub === 'add-key' || sub === 'remove-key') {
      const key = ctx.need('key') as Hex;
      const purpose = purposeOf(ctx);
      const k = await ctx.unlock();
      const identity = (ctx.opt('identity') ?? (await ctx.identityOf(k.account.address))) as Address;
      return ctx.client.write(sub === 'add-key' ? 'id_addKey' : 'id_removeKey', { identity, key, purpose }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
