// Commands about the node itself and raw access: info, did, rpc.
import type { Command } from '../command.js';

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

export const rpc: Command = {
  name: 'rpc',
  usage: 'rpc <method> [json-params]                any method, raw',
  run: (ctx) => ctx.client.call(ctx.arg(0, 'method') as never, (ctx.args[1] ? JSON.parse(ctx.args[1]) : {}) as never),
};
