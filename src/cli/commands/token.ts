// `masque token ...`: a token issuer's suite through the node's token_ methods. Every write is signed with `--as <key>`
// (the owner's or an agent's key in the keystore): the SDK signs the request and one call per suite contract the write
// touches, the contracts check the role, the node only relays. Wallets and agents are addresses or keystore names.
import { readFileSync } from 'node:fs';
import { isAddress, isHex, keccak256, toHex, type Address, type Hex } from 'viem';
import { signClaim } from '../../sdk/index.js';
import { AGENT_ROLES, SUITE_ROLES } from '../../chain/roles.js';
import { MODULE_NAMES, settingModule, type ModuleSetting } from '../../protocol/token-calls.js';
import type { Params } from '../../protocol/api.js';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { baseUnits, fromBaseUnits, toBaseUnits } from '../amounts.js';

type Role = (typeof SUITE_ROLES)[number];

/** An address, or the name of a key in the keystore (its wallet address; no passphrase needed). */
function addressOf(ctx: CliContext, v: string): Address {
  if (isAddress(v)) return v;
  if (v.startsWith('0x')) throw new Error(`"${v}" is not an address`);
  return ctx.keystore.read(v).address as Address;
}

/** `ROLE,ROLE`; `AGENT` stands for the six agent roles. */
function rolesOf(list: string): Role[] {
  const roles: string[] = list.split(',').map((r) => r.trim().toUpperCase()).flatMap((r): string[] => (r === 'AGENT' ? [...AGENT_ROLES] : [r]));
  for (const r of roles) if (!(SUITE_ROLES as readonly string[]).includes(r)) throw new Error(`unknown role "${r}"; roles: AGENT (all agent roles), ${SUITE_ROLES.join(', ')}`);
  return [...new Set(roles)] as Role[];
}

const numbers = (v: string, what: string) => v.split(',').map((x) => {
  const n = Number(x.trim());
  if (!Number.isInteger(n)) throw new Error(`--${what}: "${x}" is not a whole number`);
  return n;
});

/** Reads amounts as typed (tokens, or base units with --base-units) into base units; `decimals` asked once, lazily. */
type Amounts = (text: string, field: string) => Promise<string>;
function amountsOf(ctx: CliContext, decimals: () => Promise<number>): Amounts {
  let known: Promise<number> | undefined;
  return async (text, field) => (ctx.flag('base-units') ? baseUnits(text, field) : toBaseUnits(text, await (known ??= decimals()), field));
}

/** Module settings named by options (`--allow-countries 250,276`, `--max-balance 1000`, ...), in a fixed order. */
async function settingsOf(ctx: CliContext, amount: Amounts): Promise<ModuleSetting[]> {
  const out: ModuleSetting[] = [];
  for (const kind of ['allowCountries', 'disallowCountries', 'restrictCountries', 'unrestrictCountries'] as const) {
    const flag = kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const v = ctx.opt(flag);
    if (v) out.push({ kind, countries: numbers(v, flag) });
  }
  const max = ctx.opt('max-balance');
  if (max) out.push({ kind: 'maxBalance', amount: await amount(max, '--max-balance') });
  const risk = ctx.opt('max-risk-score');
  if (risk) out.push({ kind: 'riskLimit', maxScore: Number(risk), allowUnscored: ctx.flag('allow-unscored') });
  return out;
}

/** A salt: 32 bytes as hex, or any text (its keccak256). Default: the symbol's, so one suite per owner and symbol. */
const saltOf = (v: string): Hex => (isHex(v) && v.length === 66 ? v : keccak256(toHex(v)));

/** token_deploy's params from the options (a `--file` JSON of the same params is the base the options override). */
async function deployParams(ctx: CliContext, owner: Address): Promise<Omit<Params<'token_deploy'>, 'auth' | 'authorization'>> {
  const file = ctx.opt('file');
  const base = (file ? JSON.parse(readFileSync(file, 'utf8')) : {}) as Partial<Params<'token_deploy'>>;
  const name = ctx.opt('name') ?? base.name;
  const symbol = ctx.opt('symbol') ?? base.symbol;
  if (!name) throw new Error('--name is required');
  if (!symbol) throw new Error('--symbol is required');
  const topics = ctx.opt('topics') !== undefined ? ctx.topics({ allowNone: true }) : base.claimTopics;
  const trustedIssuers = [...(base.trustedIssuers ?? [])];
  for (const spec of ctx.list('trusted-issuer')) {
    // name-or-address[:topic,topic] (default: the token's claim topics)
    const [who, t] = spec.split(':');
    const issuerTopics = t ? numbers(t, 'trusted-issuer') : topics;
    if (!issuerTopics?.length) throw new Error(`--trusted-issuer ${spec}: give its topics (${who}:1,2) or --topics`);
    trustedIssuers.push({ issuer: await ctx.issuerAddress(who!), topics: issuerTopics });
  }
  const modules = [...(base.modules ?? [])];
  const moduleOf = (m: string) => {
    let entry = modules.find((x) => x.module === m);
    if (!entry) modules.push((entry = { module: m as (typeof MODULE_NAMES)[number] }));
    return entry;
  };
  for (const m of ctx.list('module')) moduleOf(m);
  const decimals = ctx.opt('decimals') ?? base.decimals;
  for (const s of await settingsOf(ctx, amountsOf(ctx, async () => Number(decimals ?? 0)))) {
    const entry = moduleOf(settingModule(s));
    entry.settings = [...(entry.settings ?? []), s];
  }
  const agents = [...(base.agents ?? [])];
  for (const spec of ctx.list('agent')) {
    // key-or-address:ROLE,ROLE
    const [who, roles] = spec.split(':');
    if (!who || !roles) throw new Error(`--agent ${spec}: expected <key|address>:<ROLE,ROLE> (AGENT = every agent role)`);
    agents.push({ address: addressOf(ctx, who), roles: rolesOf(roles) });
  }
  return {
    ...base, owner, name, symbol, salt: saltOf(ctx.opt('salt') ?? base.salt ?? symbol),
    ...(decimals !== undefined ? { decimals: Number(decimals) } : {}),
    ...(topics ? { claimTopics: topics } : {}),
    ...(trustedIssuers.length ? { trustedIssuers } : {}),
    ...(modules.length ? { modules } : {}),
    ...(agents.length ? { agents } : {}),
  };
}

/**
 * An issuer's claim for the identity `wallet` will get from token_onboardInvestor (its predicted address), signed with
 * the issuer's key: what the investor passes to `token onboard --claim`. The issuer is the one `--as` signs for, or
 * `--issuer`; the document hash is given, or the keccak256 of `--file` (the document itself stays with the issuer).
 */
async function signOnboardingClaim(ctx: CliContext, wallet: Address) {
  const { client } = ctx;
  const k = await ctx.unlock();
  const issuerOpt = ctx.opt('issuer');
  const signsFor = issuerOpt ? undefined : Object.values((await client.rpc.node_info({})).issuers).find((i) => i.signer.toLowerCase() === k.account.address.toLowerCase());
  const issuer = issuerOpt ? await ctx.issuerAddress(issuerOpt) : (signsFor?.address as Address | undefined);
  if (!issuer) throw new Error(`--issuer: ${k.account.address} signs for no issuer this node knows; give --issuer <name|address>`);
  const file = ctx.opt('file');
  const given = ctx.opt('document-hash');
  if (given !== undefined && !(isHex(given) && given.length === 66)) throw new Error('--document-hash: expected 32 bytes as 0x-hex');
  if (!given && !file) throw new Error('--file or --document-hash is required (what the claim attests)');
  const documentHash = (given ?? keccak256(readFileSync(file!))) as Hex;
  const salt = ctx.opt('salt');
  const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet, ...(salt ? { salt: saltOf(salt) } : {}) });
  const topic = Number(ctx.opt('topic') ?? 1);
  const issuedAt = ctx.now() - 60;
  const expiresAt = ctx.now() + Number(ctx.opt('days') ?? 365) * 86_400;
  const { signature } = await signClaim(k.account, {
    chainId: await client.chainId(), issuer, identity: identity as Address, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt),
  });
  return { topic, issuer, documentHash, issuedAt, expiresAt, signature };
}

export const token: Command = {
  name: 'token',
  usage: `token deploy --as <owner> --name N --symbol S [--decimals 0] [--salt S] [--topics 1,2] [--trusted-issuer <name|address>[:1,2]]...
             [--agent <key|address>:ROLE,ROLE]... [--module NAME|address]... [--allow-countries 250,276] [--restrict-countries ..]
             [--max-balance N] [--max-risk-score N [--allow-unscored]] [--file params.json]
                                          deploy a token suite in one transaction (the owner owns it; AGENT = every agent role)
token info [--token A]                    metadata, supply, pause, registries, topics, issuers, modules, agents and roles
token balance <wallet> [--token A]        balance, frozen tokens, wallet freeze, registration
token holders [--token A] [--offset N] [--limit N]   the cap table, largest first
token can-transfer <from> <to> <amount> [--token A]  dry run: the first failing rule (exit status 2 when refused)
token register <wallet> --country N [--identity A] --as <key>   add an investor to the token's identity registry
token sign-claim <wallet> --as <issuer-key> [--topic 1] [--file F | --document-hash 0x..] [--days 365] [--issuer name|A]
                                          an issuer signs a claim for the identity <wallet> will get at onboarding (prints it)
token onboard --as <investor> --country N --claim <file.json>... [--salt S]   one transaction: deploys the investor's
                                          identity, adds the signed claims, registers the country in the node's registry
token transfer <to> <amount> --as <holder>
token mint <to> <amount> --as <key>       token batch-mint <to>=<amount>... --as <key>      token burn <from> <amount> --as <key>
token pause --as <key>                    token unpause --as <key>
token freeze <wallet> [--amount N] --as <key>   the wallet, or N of its tokens       token unfreeze <wallet> [--amount N] --as <key>
token forced-transfer <from> <to> <amount> --as <key>
token recover <lost-wallet> <new-wallet> [--identity A] --as <key>   the new wallet must be a management key of the identity
token set-compliance add|remove <module> --as <key>   token set-compliance configure --allow-countries 250|--max-balance N|... --as <key>
token add-agent <key|address> --roles ROLE,ROLE --as <owner>          token remove-agent <key|address> --roles ROLE,ROLE --as <owner>
                                          every token command takes --token A (default: the node's token); wallets are
                                          addresses or key names
  amounts (<amount>, --amount, --max-balance) are numbers of tokens, decimals allowed up to the token's own (1.5 with
  2 decimals is 150 base units; never rounded); --base-units: whole numbers of the token's smallest unit instead.
  Answers count base units; \`token balance\` adds them in tokens (\`tokens\`)`,
  options: {
    token: { type: 'string' }, symbol: { type: 'string' }, decimals: { type: 'string' },
    'trusted-issuer': { type: 'string', multiple: true }, agent: { type: 'string', multiple: true }, module: { type: 'string', multiple: true },
    'allow-countries': { type: 'string' }, 'disallow-countries': { type: 'string' }, 'restrict-countries': { type: 'string' },
    'unrestrict-countries': { type: 'string' }, 'max-balance': { type: 'string' }, 'max-risk-score': { type: 'string' },
    'allow-unscored': { type: 'boolean' }, amount: { type: 'string' }, roles: { type: 'string' }, offset: { type: 'string' }, limit: { type: 'string' },
    'base-units': { type: 'boolean' }, claim: { type: 'string', multiple: true }, 'document-hash': { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    const tokenOpt = ctx.opt('token');
    const tok = tokenOpt ? { token: addressOf(ctx, tokenOpt) } : {};
    const wallet = (i: number, name: string) => addressOf(ctx, ctx.arg(i, name));
    const decimals = async () => (await client.rpc.token_info(tok)).decimals;
    const amounts = amountsOf(ctx, decimals);
    const amount = (i: number, name: string) => amounts(ctx.arg(i, name), name);
    switch (sub) {
      case 'info': return client.rpc.token_info(tok);
      case 'balance': {
        const [b, d] = await Promise.all([client.rpc.token_balanceOf({ ...tok, wallet: wallet(1, 'wallet') }), decimals()]);
        return { ...b, tokens: { balance: fromBaseUnits(b.balance, d), frozenTokens: fromBaseUnits(b.frozenTokens, d), available: fromBaseUnits(b.available, d) } };
      }
      case 'holders': {
        const [offset, limit] = [ctx.opt('offset'), ctx.opt('limit')];
        return client.rpc.token_holders({ ...tok, ...(offset ? { offset: Number(offset) } : {}), ...(limit ? { limit: Number(limit) } : {}) });
      }
      case 'can-transfer':
        return client.rpc.token_canTransfer({ ...tok, from: wallet(1, 'from'), to: wallet(2, 'to'), amount: await amount(3, 'amount') });
      case 'sign-claim': return signOnboardingClaim(ctx, wallet(1, 'wallet'));
    }
    const write = async <M extends Parameters<typeof client.write>[0]>(method: M, params: Record<string, unknown>) =>
      client.write(method, { ...tok, ...params } as never, (await ctx.unlock()).account);
    const partial = async () => (ctx.opt('amount') ? { amount: await amounts(ctx.opt('amount')!, '--amount') } : {});
    switch (sub) {
      case 'deploy': {
        const k = await ctx.unlock();
        return client.write('token_deploy', await deployParams(ctx, k.account.address), k.account);
      }
      case 'register': {
        const w = wallet(1, 'wallet');
        const identity = ctx.opt('identity') ? addressOf(ctx, ctx.opt('identity')!) : await ctx.identityOf(w);
        return write('token_registerInvestor', { wallet: w, identity, country: Number(ctx.need('country')) });
      }
      case 'onboard': {
        const k = await ctx.unlock();
        const claims = ctx.list('claim').map((f) => JSON.parse(readFileSync(f, 'utf8')) as Params<'token_onboardInvestor'>['claims'][number]);
        if (claims.length === 0) throw new Error('--claim <file.json> is required (a claim signed by its issuer: token sign-claim)');
        const salt = ctx.opt('salt');
        return client.write('token_onboardInvestor', {
          wallet: k.account.address, country: Number(ctx.need('country')), claims, ...(salt ? { salt: saltOf(salt) } : {}),
        }, k.account);
      }
      case 'transfer': return write('token_transfer', { to: wallet(1, 'to'), amount: await amount(2, 'amount') });
      case 'mint': return write('token_mint', { to: wallet(1, 'to'), amount: await amount(2, 'amount') });
      case 'batch-mint': {
        const specs = ctx.args.slice(1);
        if (specs.length === 0) throw new Error('<to>=<amount> is required');
        const recipients = [];
        for (const [i, s] of specs.entries()) {
          const [to, value] = s.split('=');
          if (!to || !value) throw new Error(`"${s}": expected <to>=<amount>`);
          recipients.push({ to: addressOf(ctx, to), amount: await amounts(value, `recipients.${i}.amount (${to})`) });
        }
        return write('token_batchMint', { recipients });
      }
      case 'burn': return write('token_burn', { from: wallet(1, 'from'), amount: await amount(2, 'amount') });
      case 'pause': return write('token_pause', {});
      case 'unpause': return write('token_unpause', {});
      case 'freeze': return write('token_freeze', { wallet: wallet(1, 'wallet'), ...(await partial()) });
      case 'unfreeze': return write('token_unfreeze', { wallet: wallet(1, 'wallet'), ...(await partial()) });
      case 'forced-transfer': return write('token_forcedTransfer', { from: wallet(1, 'from'), to: wallet(2, 'to'), amount: await amount(3, 'amount') });
      case 'recover': {
        const lostWallet = wallet(1, 'lost-wallet');
        // The identity the lost wallet is registered to in this token's registry, unless given.
        const identity = ctx.opt('identity') ? addressOf(ctx, ctx.opt('identity')!) : (await client.rpc.token_balanceOf({ ...tok, wallet: lostWallet })).identity;
        if (!identity) throw new Error(`${lostWallet} is not registered with this token: give --identity`);
        return write('token_recover', { lostWallet, newWallet: wallet(2, 'new-wallet'), identity });
      }
      case 'set-compliance': {
        const action = ctx.arg(1, 'add|remove|configure');
        if (action === 'add' || action === 'remove') return write('token_setCompliance', { action, module: ctx.arg(2, 'module') });
        if (action !== 'configure') throw new Error('<action> must be add, remove or configure');
        const settings = await settingsOf(ctx, amounts);
        if (settings.length !== 1) throw new Error('configure takes one setting: --allow-countries, --disallow-countries, --restrict-countries, --unrestrict-countries, --max-balance or --max-risk-score');
        return write('token_setCompliance', { action, setting: settings[0] });
      }
      case 'add-agent':
      case 'remove-agent':
        return write(sub === 'add-agent' ? 'token_addAgent' : 'token_removeAgent', { agent: wallet(1, 'agent'), roles: rolesOf(ctx.need('roles')) });
    }
    throw unknownSubcommand(this, ctx);
  },
  // can-transfer: a refused transfer is an answer, printed, with exit status 2 for scripts.
  isNo: (out) => (out as { ok?: unknown } | undefined)?.ok === false,
};
