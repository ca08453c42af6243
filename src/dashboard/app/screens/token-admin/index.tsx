// Token administration: the token's state, its cap table (paginated, with each holder's freezes), the agents' writes
// (mint, burn, pause, freeze wallet or part, forced transfer, recovery) and compliance modules, each signed in this
// page as EIP-712 calls the suite contracts check themselves; alerts (screening cases of the holders) and frozen wallets.
// A refusal names the missing role or the compliance rule, as the node gives it.
import { useEffect, useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api, type Result } from '../../../../protocol/api.js';
import { SUITE_ROLES } from '../../../../chain/roles.js';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { nowSec, relative, short, topicName } from '../../lib/format.js';
import { useSession, type Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, DataTable, Loading, Mono, Page, Panel, ProblemNotice, Stat, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { CaseVolume, ExpiryTimeline } from '../../ui/charts.js';
import { EXPIRING_DAYS, lifecycleOf } from '../../lib/lifecycle.js';
import { check, checkAll, hasErrors, type Errors } from '../../ui/validate.js';
import { Checks, NeedsKey, positions, Refusal, toBaseUnits, TokenSwitch, units, useToken, type TokenInfo } from './common.js';
import { Modules } from './modules.js';

const PAGE = 10;
type Role = (typeof SUITE_ROLES)[number];

export default function TokenAdmin({ route }: { route: Route }) {
  const { token, info } = useToken(route);
  const [tick, setTick] = useState(0);
  const [selected, setSelected] = useState<string>();
  const refresh = () => { setTick((t) => t + 1); info.reload(); };
  const s = useSession();
  const i = info.data;
  return (
    <Page title={i ? `${i.name} (${i.symbol})` : 'Token administration'}
      intro="Supply, freezes, transfers and compliance of a permissioned token (ERC-3643). Every write is signed in this page by a role holder and checked by the token's own contracts; the node relays it, pays the gas and holds no role."
      actions={<a class="button" href="#/token/deploy">Deploy a token</a>}>
      <TokenSwitch path="/token/admin" current={i} />
      {info.error ? <Refusal error={info.error} what="This token cannot be read" /> : !i ? <Loading what="the token" /> : (
        <>
          <div class="grid cols-4">
            <Stat label="Total supply" value={units(i.totalSupply, i.decimals)} sub={`${i.symbol}, ${i.decimals} decimals`} />
            <Stat label="Transfers" value={i.paused ? <Badge tone="bad">paused</Badge> : <Badge tone="ok">running</Badge>} sub={`indexed to block ${i.indexedBlock}`} />
            <Stat label="Compliance modules" value={i.modules.length} sub={i.modules.map((m) => m.name).join(', ') || 'none: identity checks only'} />
            <Stat label="Required claim topics" value={i.claimTopics.length} sub={i.claimTopics.join(', ') || 'none'} />
          </div>
          <div class="grid side">
            <CapTable token={token} info={i} tick={tick} selected={selected} onSelect={setSelected} />
            <KeyGate purpose="Token writes are signed by a role holder's key.">{(s) => <Operations s={s} info={i} wallet={selected} onDone={refresh} />}</KeyGate>
          </div>
          <Modules s={s} info={i} onDone={refresh} />
          <div class="grid cols-2">
            <Agents s={s} info={i} onDone={refresh} />
            <ClaimExpiry token={token} info={i} tick={tick} />
          </div>
          <Alerts s={s} token={token} info={i} tick={tick} />
        </>
      )}
    </Page>
  );
}

function CapTable({ token, info, tick, selected, onSelect }: { token?: Address; info: TokenInfo; tick: number; selected?: string; onSelect: (w: string) => void }) {
  const [offset, setOffset] = useState(0);
  const page = useAsync(async () => {
    const h = await client.rpc.token_holders({ ...(token ? { token } : {}), offset, limit: PAGE });
    return { ...h, positions: await positions(token, h.holders.map((x) => x.wallet)) };
  }, [token, offset, tick]);
  const h = page.data;
  return (
    <Panel title="Cap table" flush actions={h && <span class="small muted">{h.total} holder{h.total === 1 ? '' : 's'}</span>}>
      {page.error ? <div style={{ padding: 16 }}><ProblemNotice error={page.error} /></div> : (
        <DataTable caption="Cap table" rows={h?.holders ?? []} rowKey={(r) => r.wallet} selected={selected}
          empty={page.loading ? 'Loading…' : 'No holder yet: mint to a verified wallet.'}
          columns={[
            { key: 'wallet', title: 'Wallet', render: (r) => <Mono title={r.wallet}>{short(r.wallet)}</Mono> },
            { key: 'balance', title: 'Balance', render: (r) => units(r.balance, info.decimals) },
            { key: 'share', title: 'Share', render: (r) => <span class="row" style={{ flexWrap: 'nowrap' }}><meter min={0} max={1} value={r.share} aria-label={`share of ${short(r.wallet)}`} />{(r.share * 100).toFixed(1)}%</span> },
            { key: 'state', title: 'State', render: (r) => <PositionBadges p={h!.positions.get(r.wallet.toLowerCase())} decimals={info.decimals} /> },
            { key: 'act', title: 'Actions', render: (r) => <Button class="small" onClick={() => onSelect(r.wallet)}>Select<span class="sr-only"> {r.wallet}</span></Button> },
          ]} />
      )}
      {h && (h.total > PAGE) && (
        <div class="row small" style={{ padding: 16 }}>
          <span class="muted">{offset + 1}–{offset + h.holders.length} of {h.total}</span><span class="spacer" />
          <Button class="small" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>Previous</Button>
          <Button class="small" disabled={h.nextOffset === null} onClick={() => setOffset(h.nextOffset ?? offset)}>Next</Button>
        </div>
      )}
    </Panel>
  );
}

function PositionBadges({ p, decimals }: { p?: { frozen: boolean; frozenTokens: string; verified: boolean }; decimals: number }) {
  if (!p) return <span class="muted">—</span>;
  return (
    <span class="row">
      {p.frozen && <Badge tone="bad">wallet frozen</Badge>}
      {p.frozenTokens !== '0' && <Badge tone="warn">{units(p.frozenTokens, decimals)} frozen</Badge>}
      {p.verified ? <Badge tone="ok">verified</Badge> : <Badge tone="warn">not verified</Badge>}
    </span>
  );
}

type Op = 'mint' | 'burn' | 'freeze' | 'unfreeze' | 'forced' | 'recover' | 'register' | 'pause';
const OPS: { id: Op; label: string; role: string }[] = [
  { id: 'mint', label: 'Mint', role: 'SUPPLY_MODIFIER' },
  { id: 'burn', label: 'Burn', role: 'SUPPLY_MODIFIER' },
  { id: 'freeze', label: 'Freeze', role: 'FREEZER' },
  { id: 'unfreeze', label: 'Unfreeze', role: 'FREEZER' },
  { id: 'forced', label: 'Forced transfer', role: 'TRANSFER_MANAGER' },
  { id: 'recover', label: 'Recovery', role: 'RECOVERY_AGENT' },
  { id: 'register', label: 'Register investor', role: 'WHITELIST_MANAGER' },
  { id: 'pause', label: 'Pause', role: 'FREEZER' },
];
const shapes = {
  mint: api.token_mint.params.shape, burn: api.token_burn.params.shape, freeze: api.token_freeze.params.shape,
  forced: api.token_forcedTransfer.params.shape, recover: api.token_recover.params.shape, register: api.token_registerInvestor.params.shape,
};

/** The agents' writes, one form per operation; the selected holder fills the wallet fields. */
function Operations({ s, info, wallet, onDone }: { s: Session; info: TokenInfo; wallet?: string; onDone: () => void }) {
  const [op, setOp] = useState<Op>('mint');
  const [f, setF] = useState<Record<string, string>>({});
  const [errors, setErrors] = useState<Errors>({});
  useEffect(() => { if (wallet) setF((x) => ({ ...x, to: x.to || wallet, from: wallet, wallet, lostWallet: wallet })); }, [wallet]);
  const set = (k: string) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const tok = { token: info.token as Address };
  const myRoles = info.agents.find((a) => a.address.toLowerCase() === s.signer.address.toLowerCase())?.roles ?? [];
  const isOwner = info.owner.toLowerCase() === s.signer.address.toLowerCase();

  const amount = (field = 'amount', optional = false): string | undefined => {
    const text = f[field] ?? '';
    if (optional && text.trim() === '') return undefined;
    const r = toBaseUnits(text, info.decimals);
    if (r.error) throw new FieldError(field, r.error);
    return r.value;
  };
  const a = useAction(async (what: Op | 'unpause') => {
    setErrors({});
    try {
      const done = await send(what);
      toast('ok', `${done} signed in this page and relayed`);
      onDone();
    } catch (e) {
      if (e instanceof FieldError) setErrors({ [e.field]: e.message });
      else throw e;
    }
  });
  async function send(what: Op | 'unpause'): Promise<string> {
    const addr = (field: string, schema: typeof shapes.mint.to) => {
      const err = check(schema, (f[field] ?? '').trim());
      if (err) throw new FieldError(field, err);
      return (f[field] ?? '').trim() as Address;
    };
    switch (what) {
      case 'pause': await client.write('token_pause', tok, s.signer); return 'Pause';
      case 'unpause': await client.write('token_unpause', tok, s.signer); return 'Unpause';
      case 'mint': { const to = addr('to', shapes.mint.to); const v = amount(); await client.write('token_mint', { ...tok, to, amount: v! }, s.signer); return `Mint of ${f.amount}`; }
      case 'burn': { const from = addr('from', shapes.burn.from); const v = amount(); await client.write('token_burn', { ...tok, from, amount: v! }, s.signer); return `Burn of ${f.amount}`; }
      case 'freeze':
      case 'unfreeze': {
        const w = addr('wallet', shapes.freeze.wallet); const v = amount('amount', true);
        await client.write(what === 'freeze' ? 'token_freeze' : 'token_unfreeze', { ...tok, wallet: w, ...(v ? { amount: v } : {}) }, s.signer);
        return v ? `${what === 'freeze' ? 'Freeze' : 'Unfreeze'} of ${f.amount} tokens` : `Wallet ${what}`;
      }
      case 'forced': {
        const from = addr('from', shapes.forced.from); const to = addr('to', shapes.forced.to); const v = amount();
        await client.write('token_forcedTransfer', { ...tok, from, to, amount: v! }, s.signer); return `Forced transfer of ${f.amount}`;
      }
      case 'recover': {
        const lostWallet = addr('lostWallet', shapes.recover.lostWallet); const newWallet = addr('newWallet', shapes.recover.newWallet);
        // The identity the lost wallet is registered to, read from the token when not typed.
        let identity = (f.identity ?? '').trim();
        if (!identity) {
          identity = (await client.rpc.token_balanceOf({ ...tok, wallet: lostWallet })).identity ?? '';
          if (!identity) throw new FieldError('lostWallet', 'this wallet is not registered to an identity in the token');
        }
        const err = check(shapes.recover.identity, identity);
        if (err) throw new FieldError('identity', err);
        await client.write('token_recover', { ...tok, lostWallet, newWallet, identity: identity as Address }, s.signer);
        return 'Recovery';
      }
      case 'register': {
        const w = addr('wallet', shapes.register.wallet);
        // The identity the node knows for the wallet (id_getIdentity), when not typed.
        let identity = (f.identity ?? '').trim();
        if (!identity) {
          identity = await client.rpc.id_getIdentity({ wallet: w }).then((x) => x.identity, () => '');
          if (!identity) throw new FieldError('identity', 'no identity known for this wallet: type its identity contract');
        }
        const err = check(shapes.register.identity, identity);
        if (err) throw new FieldError('identity', err);
        const country = (f.country ?? '').trim() === '' ? NaN : Number(f.country);
        const cErr = check(shapes.register.country, country);
        if (cErr) throw new FieldError('country', Number.isNaN(country) ? 'expected an ISO 3166-1 numeric code, e.g. 250' : cErr);
        await client.write('token_registerInvestor', { ...tok, wallet: w, identity: identity as Address, country }, s.signer);
        return 'Registration';
      }
    }
  }
  const field = (k: string, label: string, hint?: string) => <TextField label={label} name={k} value={f[k] ?? ''} onInput={set(k)} error={errors[k]} hint={hint} placeholder={/wallet|to|from/i.test(k) ? '0x…' : undefined} />;
  const role = OPS.find((o) => o.id === op)!.role;
  return (
    <Panel title="Operations" label="Operations">
      <div class="stack">
        <div class="row" role="tablist" aria-label="Operation">
          {OPS.map((o) => <button key={o.id} type="button" role="tab" aria-selected={op === o.id} class={op === o.id ? 'primary small' : 'small'} onClick={() => { setOp(o.id); setF((x) => ({ ...x, amount: '', identity: '' })); setErrors({}); a.clear(); }}>{o.label}</button>)}
        </div>
        <p class="small muted" style={{ margin: 0 }}>
          Needs <Badge tone={myRoles.includes(role) ? 'ok' : 'warn'}>{role}</Badge>{' '}
          {myRoles.length ? <>You hold {myRoles.join(', ')}{isOwner ? ' and own the token' : ''}.</> : isOwner ? 'You own the token (owners grant roles; they hold none by default).' : 'You hold no role on this token: the contracts will refuse.'}
        </p>
        <form class="stack" aria-label={OPS.find((o) => o.id === op)!.label} onSubmit={(e) => { e.preventDefault(); if (op !== 'pause') a.run(op); }}>
          {op === 'mint' && <>{field('to', 'Recipient wallet', 'Must be verified in the token\'s identity registry.')}{field('amount', `Amount (${info.symbol})`)}</>}
          {op === 'burn' && <>{field('from', 'Wallet')}{field('amount', `Amount (${info.symbol})`, 'Frozen tokens are released as needed.')}</>}
          {(op === 'freeze' || op === 'unfreeze') && <>{field('wallet', 'Wallet')}{field('amount', `Amount (${info.symbol}, optional)`, op === 'freeze' ? 'Empty: the whole wallet is frozen. An amount: only that part of its balance.' : 'Empty: the wallet freeze ends. An amount: that many frozen tokens are released.')}</>}
          {op === 'forced' && <>{field('from', 'From wallet')}{field('to', 'To wallet', 'Moves tokens regardless of freezes, pause and modules; the receiver must be verified.')}{field('amount', `Amount (${info.symbol})`)}</>}
          {op === 'register' && <>{field('wallet', 'Wallet')}{field('identity', 'Identity (optional)', 'Empty: the identity the node knows for the wallet.')}{field('country', 'Country (ISO 3166-1 numeric)', 'The investor\'s attested country, e.g. 250 for France.')}</>}
          {op === 'recover' && <>{field('lostWallet', 'Lost wallet')}{field('newWallet', 'New wallet', "Must already be a management key of the investor's identity.")}{field('identity', 'Identity (optional)', 'Empty: the identity the lost wallet is registered to.')}</>}
          {op === 'pause' ? (
            <div class="row">
              {info.paused ? <Button class="primary" busy={a.busy} onClick={() => a.run('unpause')}>Unpause transfers</Button> : <Button class="danger" busy={a.busy} onClick={() => a.run('pause')}>Pause all transfers</Button>}
            </div>
          ) : <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Signing and relaying…">{op === 'recover' ? 'Recover' : op === 'register' ? 'Register' : OPS.find((o) => o.id === op)!.label}</Button></div>}
        </form>
        {a.error !== undefined && <Refusal error={a.error} what="Refused" />}
      </div>
    </Panel>
  );
}

class FieldError extends Error {
  constructor(readonly field: string, message: string) { super(message); }
}

function Agents({ s, info, onDone }: { s: Session | null; info: TokenInfo; onDone: () => void }) {
  return (
    <Panel title="Owner and agents" flush>
      <div style={{ padding: 16 }}><dl class="kv"><dt>Owner</dt><dd><Mono>{info.owner}</Mono></dd><dt>Token identity</dt><dd><Mono>{info.onchainID}</Mono></dd></dl></div>
      <DataTable caption="Agents" rows={info.agents} rowKey={(a) => a.address} empty="No agent holds a role."
        columns={[
          { key: 'address', title: 'Agent', render: (a) => <Mono title={a.address}>{short(a.address)}</Mono> },
          { key: 'roles', title: 'Roles', render: (a) => <span class="row">{a.roles.map((r) => <Badge key={r} tone="info">{r}</Badge>)}</span> },
        ]} />
      <div style={{ padding: 16 }}>{s ? <RoleForm s={s} info={info} onDone={onDone} /> : <NeedsKey what="grant or revoke roles (the owner)" />}</div>
    </Panel>
  );
}

/** token_addAgent / token_removeAgent: the owner signs one call per suite contract that checks the roles. */
function RoleForm({ s, info, onDone }: { s: Session; info: TokenInfo; onDone: () => void }) {
  const [agent, setAgent] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [errors, setErrors] = useState<Errors>({});
  const shape = api.token_addAgent.params.shape;
  const a = useAction(async (grant: boolean) => {
    const errs = checkAll([['agent', shape.agent, agent.trim()], ['roles', shape.roles, roles]]);
    if (errs.roles) errs.roles = 'choose at least one role';
    setErrors(errs);
    if (hasErrors(errs)) return;
    await client.write(grant ? 'token_addAgent' : 'token_removeAgent', { token: info.token as Address, agent: agent.trim() as Address, roles }, s.signer);
    toast('ok', `Roles ${grant ? 'granted' : 'revoked'}`, `${roles.join(', ')} ${grant ? 'to' : 'from'} ${short(agent.trim())}`);
    onDone();
  });
  return (
    <form class="stack" aria-label="Grant or revoke roles" onSubmit={(e) => e.preventDefault()}>
      <TextField label="Agent wallet" name="agent" value={agent} onInput={setAgent} error={errors.agent} placeholder="0x…" />
      <Checks legend="Roles" options={[...SUITE_ROLES]} value={roles} onChange={setRoles} label={(r) => r} />
      {errors.roles && <span class="error" role="alert">{errors.roles}</span>}
      {a.error !== undefined && <Refusal error={a.error} what="Role change refused" />}
      <div class="row">
        <Button class="primary small" busy={a.busy} onClick={() => a.run(true)}>Grant roles</Button>
        <Button class="small danger" busy={a.busy} onClick={() => a.run(false)}>Revoke roles</Button>
      </div>
    </form>
  );
}

type Case = Result<'screening_listCases'>['cases'][number];
const OPEN_CASE = ['triggered', 'under_review', 'escalated'];
const ACTION_WORDS: Record<Case['actionState'], string> = {
  none: 'none yet (acts on confirmation)', acting: 'revoking claims, freezing wallets', acted: 'claims revoked, wallets frozen', restoring: 'restoring the holder', restored: 'holder restored',
};
const caseTone = (st: string) => (st === 'confirmed' ? 'bad' : st === 'dismissed' ? 'neutral' : st === 'escalated' ? 'warn' : 'info') as 'bad';

/**
 * Frozen wallets among the holders (with the screening case that froze each, when this key may read cases), the
 * screening cases opened on the holders' identities with their alert and action states, and their volume per day.
 * Cases are decided on the case screen (analysts, operator); fund administrators read them.
 */
function Alerts({ s, token, info, tick }: { s: Session | null; token?: Address; info: TokenInfo; tick: number }) {
  const held = useAsync(async () => {
    const all: { wallet: string; balance: string }[] = [];
    for (let offset: number | null = 0; offset !== null && all.length < 500;) {
      const h: Awaited<ReturnType<typeof client.rpc.token_holders>> = await client.rpc.token_holders({ ...(token ? { token } : {}), offset, limit: 500 });
      all.push(...h.holders);
      offset = h.nextOffset;
    }
    const pos = await positions(token, all.map((h) => h.wallet));
    return all.map((h) => ({ ...h, ...pos.get(h.wallet.toLowerCase())! })).filter((h) => h.identity !== undefined);
  }, [token, tick]);
  const holders = held.data ?? [];
  const identities = holders.map((h) => h.identity).filter(Boolean) as string[];
  const cases = useAsync(async () => {
    if (!s) return undefined;
    const r = await client.write('screening_listCases', { limit: 200, offset: 0 }, s.signer);
    const mine = new Set(identities.map((i) => i.toLowerCase()));
    return r.cases.filter((c) => mine.has(c.identity.toLowerCase()));
  }, [s?.signer.address, identities.join(), tick]);
  const walletsOf = (identity: string) => holders.filter((h) => h.identity?.toLowerCase() === identity.toLowerCase()).map((h) => h.wallet);
  /** The case that froze a holder: its newest acted (or acting) case. */
  const freezingCase = (identity: string | null) => [...(cases.data ?? [])].reverse()
    .find((c) => c.identity.toLowerCase() === identity?.toLowerCase() && (c.actionState === 'acted' || c.actionState === 'acting'));
  const frozen = holders.filter((h) => h.frozen || h.frozenTokens !== '0');
  return (
    <>
      <div class="grid cols-2">
        <Panel title="Frozen wallets" flush>
          {held.error ? <div style={{ padding: 16 }}><ProblemNotice error={held.error} /></div> : (
            <DataTable caption="Frozen wallets" rows={frozen} rowKey={(h) => h.wallet} empty={held.loading ? 'Loading…' : 'No holder is frozen.'}
              columns={[
                { key: 'wallet', title: 'Wallet', render: (h) => <Mono title={h.wallet}>{short(h.wallet)}</Mono> },
                { key: 'what', title: 'Freeze', render: (h) => <PositionBadges p={h} decimals={info.decimals} /> },
                { key: 'available', title: 'Available', render: (h) => units(h.available, info.decimals) },
                {
                  key: 'why', title: 'By', render: (h) => {
                    const c = freezingCase(h.identity);
                    return c ? <a href={`#/kyc/case?id=${c.caseId}`}>screening case ({c.source})</a> : <span class="muted">{cases.data ? 'an agent' : 'unknown to this key'}</span>;
                  },
                },
              ]} />
          )}
        </Panel>
        <Panel title="Cases opened on holders, last 14 days">
          {cases.data ? <CaseVolume cases={cases.data} /> : <p class="small muted" style={{ margin: 0 }}>The chart needs a key that may read cases.</p>}
        </Panel>
      </div>
      <Panel title="Alerts: screening cases of holders" flush>
        {!s ? <div style={{ padding: 16 }}><NeedsKey what="read the screening cases (operator, analysts and the token's fund administrators)" /></div>
          : cases.error ? <div style={{ padding: 16 }}><Refusal error={cases.error} what="Cases not available to this key" /></div> : (
            <DataTable caption="Screening cases of holders" rows={cases.data ?? []} rowKey={(c) => c.caseId} empty={cases.loading ? 'Loading…' : 'No screening case on this token\'s holders.'}
              columns={[
                { key: 'identity', title: 'Holder', render: (c) => <><Mono title={c.identity}>{short(c.identity)}</Mono>{walletsOf(c.identity).map((w) => <div key={w} class="small muted"><Mono title={w}>{short(w)}</Mono></div>)}</> },
                { key: 'source', title: 'List', render: (c) => <><span>{c.source}</span><div class="small muted">score {c.score.toFixed(2)}{c.auto ? ', acted at once' : ''}</div></> },
                { key: 'status', title: 'Alert', render: (c) => <Badge tone={caseTone(c.status)}>{c.status.replace('_', ' ')}</Badge> },
                { key: 'action', title: 'Restrictions', render: (c) => ACTION_WORDS[c.actionState] },
                { key: 'assignee', title: 'Assignee', render: (c) => (c.assignee ? <Mono title={c.assignee}>{short(c.assignee)}</Mono> : <span class="muted">unassigned</span>) },
                { key: 'opened', title: 'Opened', render: (c) => relative(c.createdAt) },
                { key: 'open', title: 'Case', render: (c) => <a class="button small" href={`#/kyc/case?id=${c.caseId}`}>{OPEN_CASE.includes(c.status) ? 'Review' : 'Open'}<span class="sr-only"> case of {short(c.identity)}</span></a> },
              ]} />
          )}
      </Panel>
    </>
  );
}

/**
 * When the largest holders' claims of the topics the token requires lapse (every claim when it requires none), soonest
 * first: a holder whose claim expires stops being verified and can neither receive nor send.
 */
function ClaimExpiry({ token, info, tick }: { token?: Address; info: TokenInfo; tick: number }) {
  const claims = useAsync(async () => {
    const { holders } = await client.rpc.token_holders({ ...(token ? { token } : {}), limit: 12 });
    const pos = await positions(token, holders.map((h) => h.wallet));
    const held = holders.map((h) => ({ wallet: h.wallet, identity: pos.get(h.wallet.toLowerCase())?.identity })).filter((h) => h.identity);
    if (!held.length) return [];
    const res = await client.batch(held.map((h) => ({ method: 'id_getIdentity', params: { identity: h.identity } })));
    return res.flatMap((r, i) => (r.status === 'fulfilled' ? (r.value as Result<'id_getIdentity'>).claims : [])
      .filter((c) => !info.claimTopics.length || info.claimTopics.includes(c.topic))
      .map((c) => ({ ...c, wallet: held[i]!.wallet })));
  }, [token, tick, info.claimTopics.join()]);
  const now = nowSec();
  const all = claims.data ?? [];
  const rows = [...all].sort((a, b) => (a.expiresAt || Infinity) - (b.expiresAt || Infinity)).slice(0, 12);
  const lapsing = all.filter((c) => ['expiring', 'expired'].includes(lifecycleOf(c, undefined, now).state)).length;
  return (
    <Panel title="Holders' claims: expiry" actions={claims.data && <span class="small muted">{lapsing} expired or expiring within {EXPIRING_DAYS} days</span>}>
      {claims.error ? <ProblemNotice error={claims.error} /> : !claims.data ? <Loading what="the holders' claims" />
        : !rows.length ? <p class="small muted" style={{ margin: 0 }}>No large holder holds a claim of the required topics.</p> : (
          <ExpiryTimeline now={now} items={rows.map((c) => {
            const state = lifecycleOf(c, undefined, now).state;
            return { label: `${topicName(c.topic)} ${short(c.wallet, 3)}`, from: c.issuedAt, to: c.expiresAt, tone: state === 'valid' ? 'ok' : state === 'expiring' ? 'warn' : 'bad' };
          })} />
        )}
    </Panel>
  );
}
