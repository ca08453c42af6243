import type { Address } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';
import { partyOptions, partyUsage, runParty } from './zk-parties.js';

export const zk: Command = {
  name: 'zk',
  usage: `zk state <id>                             a ZK identity's published states (ID, did:masque or decimal)
zk valid <id> <state> [--max-state-age S] the chain's verdict on a state of that ID (a replaced one counts for S s, default 3600)
zk publish <proof.json>                   relay a state-transition proof ({ proof, publicSignals }; the node pays gas)
zk request <requestId>                    an on-chain credential-query request (ZkQueryVerifier)
zk check <requestId> <response.json> --sender A   the contract's verdict if A submitted the response now
zk verify <request.json> <response.json> [--max-state-age S]   off-chain verification by the node (records the nullifier; a list of requests: the one answered)
                                          (zk valid / check / verify exit with status 2 when the answer is no)
${partyUsage}`,
  options: { sender: { type: 'string' }, 'max-state-age': { type: 'string' }, ...partyOptions },
  async run(ctx) {
    const { zk } = ctx.client;
    const [sub] = ctx.args;
    const maxStateAge = ctx.opt('max-state-age');
    if (sub === 'state') return zk.identityState(ctx.arg(1, 'id'));
    if (sub === 'valid') {
      const state = ctx.arg(2, 'state');
      if (!/^\d{1,78}$/.test(state)) throw new Error('state: a decimal field element');
      return zk.isStateValid(ctx.arg(1, 'id'), BigInt(state), Number(maxStateAge ?? 3600));
    }
    if (sub === 'publish') return zk.publishState(ctx.json(1, 'proof.json'));
    if (sub === 'request') return zk.request(ctx.arg(1, 'requestId'));
    if (sub === 'check') return zk.checkResponse(ctx.arg(1, 'requestId'), ctx.need('sender') as Address, ctx.json(2, 'response.json'));
    if (sub === 'verify') {
      const response = ctx.json(2, 'response.json');
      // A list of alternative requests (a set query larger than the circuit): the one the response answers.
      const requests = [ctx.json(1, 'request.json')].flat();
      const request = requests.find((r: { requestId?: unknown }) => r.requestId === response.requestId) ?? requests[0];
      return zk.verifyResponse(request, response, maxStateAge === undefined ? {} : { maxStateAge: Number(maxStateAge) });
    }
    const party = await runParty(ctx);
    if (party !== undefined) return party;
    throw unknownSubcommand(this, ctx);
  },
  // A refused proof is an answer, not a failure of the command.
  isNo: (out) => {
    const answer = out as { ok?: unknown; valid?: unknown } | undefined;
    return answer?.ok === false || answer?.valid === false;
  },
};
