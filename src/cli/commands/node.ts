// Commands about the node itself and raw access: info, did, chain (the embedded chain's clock), rpc.
import { unknownSubcommand, type Command } from '../command.js';

export const info: Command = {
  name: 'info',
  usage: 'info                                      the node\'s chain, relayer, contracts and issuers',
  run: (ctx) => ctx.client.rpc.node_info({}),
};

export const did: Command = {
  name: 'did',
  usage: 'did <did>                                 resolve a did:pkh or did:key',
  run: (ctx) => ctx.client.rpc.id_resolveDid({ did: ctx.arg(0, 'did') }),
};

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `90`, `90s`, `15m`, `12h`, `30d` as seconds; anything else goes to the node as given, whose refusal names `seconds`. */
const durationOf = (v: string): number | string => {
  const m = /^(\d+)([smhd]?)$/.exec(v);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2] || 's']! : v;
};

export const chain: Command = {
  name: 'chain',
  usage: `chain advance <duration>                  embedded chain only: move its clock forward (90, 15m, 12h, 30d) and mine
                                          a block at the new time (evm_increaseTime + evm_mine; refused on an external chain)
chain mine                                embedded chain only: mine one block`,
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'advance') {
      const offset = await client.rpc.evm_increaseTime({ seconds: durationOf(ctx.arg(1, 'duration')) as number });
      await client.rpc.evm_mine({});
      return { offset };
    }
    if (sub === 'mine') return { result: await client.rpc.evm_mine({}) };
    throw unknownSubcommand(this, ctx);
  },
};

export const rpc: Command = {
  name: 'rpc',
  usage: 'rpc <method> [json-params] [--as <key>]   any method, raw; with --as a write, signed by <key> (request and calls)',
  async run(ctx) {
    const method = ctx.arg(0, 'method');
    const params = ctx.args[1] ? JSON.parse(ctx.args[1]) : {};
    if (!ctx.opt('as')) return ctx.client.call(method as never, params as never);
    return ctx.client.write(method as never, params as never, (await ctx.unlock()).account);
  },
};
