// `masque risk ...`: risk scores and country tables through a node's risk_ methods.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Address, Hex } from 'viem';
import { unknownSubcommand, type Command } from '../command.js';

export const risk: Command = {
  name: 'risk',
  usage: `risk score <identity> [--as <key>]        the on-chain score; with --as (holder, operator, regulator) the score and every factor
risk table                                the active country risk table
risk import <file.json|file.csv> --as <key> [--id ID --name N --as-of YYYY-MM-DD --source S] [--scale 10]
                                          make a country table active (CSV: country,score[,label]; JSON: { id, name, asOf, source, entries })
risk recompute [identity] --as <key>      index, re-read facts, rescore and write band changes (operators)
risk attest <identity> --country N --salt 0x.. --as <key>
                                          show the node the opening of the identity's JURISDICTION claim: the registry takes its country`,
  options: {
    id: { type: 'string' }, name: { type: 'string' }, 'as-of': { type: 'string' }, source: { type: 'string' }, scale: { type: 'string' },
    country: { type: 'string' }, salt: { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'score') {
      const identity = ctx.arg(1, 'identity') as Address;
      if (!ctx.opt('as')) return client.rpc.risk_getScore({ identity });
      return client.write('risk_getScore', { identity }, (await ctx.unlock()).account);
    }
    if (sub === 'table') return client.rpc.risk_getCountryTable({});
    if (sub === 'import') {
      const file = ctx.arg(1, 'file');
      const text = readFileSync(file, 'utf8');
      const scale = ctx.opt('scale') === undefined ? undefined : Number(ctx.opt('scale'));
      const k = await ctx.unlock();
      if (file.endsWith('.json')) {
        const t = JSON.parse(text) as { id: string; name: string; asOf: string; source: string; defaultScore?: number; entries: { country: number | string; score: number | string; label?: string }[] };
        return client.write('risk_importCountryTable', { id: t.id, name: t.name, asOf: t.asOf, source: t.source, defaultScore: t.defaultScore, entries: t.entries, scale }, k.account);
      }
      return client.write('risk_importCountryTable', {
        id: ctx.opt('id') ?? basename(file).replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]/g, '-'),
        name: ctx.opt('name') ?? basename(file), asOf: ctx.need('as-of'), source: ctx.opt('source') ?? basename(file), csv: text, scale,
      }, k.account);
    }
    if (sub === 'recompute') {
      const identity = ctx.args[1] as Address | undefined;
      return client.write('risk_recompute', identity ? { identity } : {}, (await ctx.unlock()).account);
    }
    if (sub === 'attest') {
      return client.write('risk_attestJurisdiction', {
        identity: ctx.arg(1, 'identity') as Address, country: Number(ctx.need('country')), salt: ctx.need('salt') as Hex,
      }, (await ctx.unlock()).account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
