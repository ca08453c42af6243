// `masque compliance ...`: the node's continuous compliance service over its `screening_` methods (the local list
// tools without a node are `masque screening ...`). Writes and reads of cases, profiles and evidence are signed with
// `--as <key>`: the screening operator's key (its keystore is <dataDir>/screening/keys, MASQUE_KEYSTORE), an analyst's,
// or a KYC issuer's signer for `enrol`.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Address } from 'viem';
import { toBase64 } from '../../sdk/index.js';
import { unknownSubcommand, type Command } from '../command.js';

const DECISIONS = ['review', 'escalate', 'confirm', 'dismiss'] as const;
const SIGNED = ['import', 'enrol', 'cases', 'case', 'assign', 'decide', 'evidence', 'events'] as const;

export const compliance: Command = {
  name: 'compliance',
  usage: `compliance status                         the node's screening service: operator, issuer, lists, holders
compliance import <source> <file>... --as <operator> [--published YYYY-MM-DD]
                                          a new list version (a delta screen of the holders it could concern follows)
compliance versions [--source S]          list versions, newest first
compliance enrol <identity> --file profile.json --as <key>
                                          a holder's screening profile (names in any script, birthDate, nationalities,
                                          country, wallets); screened at once, claims issued when clear
compliance cases [--status S] [--identity A] [--assignee A|unassigned] --as <key>
compliance case <caseId> --as <key>       one case: history, action steps, match explanation (analysts)
compliance assign <caseId> <address|none> --as <key>
compliance decide <caseId> review|escalate|confirm|dismiss [--reason R] --as <key>
compliance evidence <identity> --as <key> a holder's evidence records with proofs and signed run headers
compliance events [--after N] --as <key>  the alert stream`,
  options: {
    source: { type: 'string' }, published: { type: 'string' }, file: { type: 'string' }, status: { type: 'string' },
    identity: { type: 'string' }, assignee: { type: 'string' }, reason: { type: 'string' }, after: { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'status') return client.rpc.screening_status({});
    if (sub === 'versions') return client.rpc.screening_listVersions({ ...(ctx.opt('source') ? { source: ctx.opt('source')! } : {}) });
    if (!SIGNED.includes(sub as never)) throw unknownSubcommand(this, ctx);
    const k = await ctx.unlock();
    switch (sub) {
      case 'import': {
        const source = ctx.arg(1, 'source');
        const paths = ctx.args.slice(2);
        if (paths.length === 0) throw new Error('<file> is required');
        const files = paths.map((p) => ({ name: basename(p), data: toBase64(readFileSync(p)) }));
        const published = ctx.opt('published');
        return client.write('screening_importList', { source, files, ...(published ? { publishedAt: published } : {}) }, k.account);
      }
      case 'enrol':
        return client.write('screening_submitProfile', { identity: ctx.arg(1, 'identity') as Address, profile: JSON.parse(readFileSync(ctx.need('file'), 'utf8')) }, k.account);
      case 'cases': {
        const status = ctx.opt('status')?.split(',') as ('triggered' | 'under_review' | 'escalated' | 'confirmed' | 'dismissed')[] | undefined;
        const assignee = ctx.opt('assignee');
        return client.write('screening_listCases', {
          ...(status ? { status } : {}), ...(ctx.opt('identity') ? { identity: ctx.opt('identity') as Address } : {}),
          ...(assignee ? { assignee: assignee as Address | 'unassigned' } : {}),
        }, k.account);
      }
      case 'case':
        return client.write('screening_getCase', { caseId: ctx.arg(1, 'caseId') }, k.account);
      case 'assign': {
        const who = ctx.arg(2, 'address|none');
        return client.write('screening_assignCase', { caseId: ctx.arg(1, 'caseId'), assignee: who === 'none' ? null : (who as Address) }, k.account);
      }
      case 'decide': {
        const decision = ctx.arg(2, 'decision');
        if (!(DECISIONS as readonly string[]).includes(decision)) throw new Error(`<decision> must be one of ${DECISIONS.join(', ')}`);
        const reason = ctx.opt('reason');
        return client.write('screening_decideCase', { caseId: ctx.arg(1, 'caseId'), decision: decision as (typeof DECISIONS)[number], ...(reason ? { reason } : {}) }, k.account);
      }
      case 'evidence':
        return client.write('screening_getEvidence', { identity: ctx.arg(1, 'identity') as Address }, k.account);
      case 'events':
        return client.write('screening_events', { after: Number(ctx.opt('after') ?? 0) }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
