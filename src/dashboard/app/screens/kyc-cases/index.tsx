// The screening analyst's case list (Ballerine's alert queue): cases opened by the screening service on a list hit,
// by alert state (triggered, under review, escalated, confirmed, dismissed), assignee and holder; assignment; case
// volumes over the last 14 days. Every read is signed: only the operator, its analysts and the served tokens' fund
// administrators may list cases.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api, type Result } from '../../../../protocol/api.js';
import { client } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import { relative, short, topicName } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { DailyBars } from '../../ui/charts.js';
import { Badge, Button, DataTable, Mono, Page, Panel, ProblemNotice, SelectField, Stat, TextField, toast, useAsync, type Tone } from '../../ui/kit.js';
import { check } from '../../ui/validate.js';
import { describeError } from '../../lib/errors.js';

export type Case = Result<'screening_listCases'>['cases'][number];
export type CaseStatus = Case['status'];

export const CASE_STATUSES: { value: CaseStatus; label: string; tone: Tone }[] = [
  { value: 'triggered', label: 'Triggered', tone: 'bad' },
  { value: 'under_review', label: 'Under review', tone: 'info' },
  { value: 'escalated', label: 'Escalated', tone: 'warn' },
  { value: 'confirmed', label: 'Confirmed', tone: 'bad' },
  { value: 'dismissed', label: 'Dismissed (cleared)', tone: 'ok' },
];
const OPEN: CaseStatus[] = ['triggered', 'under_review', 'escalated'];
export const CaseBadge = ({ status }: { status: string }) => {
  const s = CASE_STATUSES.find((x) => x.value === status);
  return <Badge tone={s?.tone ?? 'neutral'}>{s?.label ?? status}</Badge>;
};
export const ActionBadge = ({ state }: { state: Case['actionState'] }) =>
  state === 'none' ? <span class="muted">—</span> : <Badge tone={state === 'acted' ? 'bad' : state === 'restored' ? 'ok' : 'info'}>{state === 'acted' ? 'revoked / frozen' : state}</Badge>;
export const score = (n: number) => `${Math.round(n * 100)}%`;

export async function assignCase(s: Session, caseId: string, to: Address | null, done: () => void): Promise<void> {
  try {
    await client.write('screening_assignCase', { caseId, assignee: to }, s.signer);
    toast('ok', to ? 'Case assigned to you' : 'Case released');
    done();
  } catch (e) {
    const p = describeError(e);
    toast('bad', p.title, p.detail);
  }
}

export default function Cases({ route }: { route: Route }) {
  return (
    <Page title="Screening cases" intro="Alerts the screening service raised against sanctions and PEP lists. The match explanation quotes names: only analysts read it.">
      <KeyGate purpose="Cases are shown to the screening operator and its analysts: unlock your analyst key.">{(s) => <CasesView s={s} route={route} />}</KeyGate>
    </Page>
  );
}

const identityParam = api.screening_listCases.params.shape.identity;

function CasesView({ s, route }: { s: Session; route: Route }) {
  const q = route.query;
  const set = (k: string, v: string) => navigate('/kyc/cases', { ...Object.fromEntries(q), [k]: v });
  const status = q.get('status') ?? 'open';
  const assignee = q.get('assignee') ?? '';
  const holder = q.get('identity') ?? '';
  const [holderInput, setHolderInput] = useState(holder);
  const [holderError, setHolderError] = useState<string>();
  const [tick, setTick] = useState(0);
  const me = s.signer.address.toLowerCase();
  const rows = useAsync(() => client.write('screening_listCases', {
    limit: 200,
    ...(status === 'open' ? { status: OPEN } : status !== 'all' ? { status: [status as CaseStatus] } : {}),
    ...(assignee === 'me' ? { assignee: s.signer.address } : assignee === 'unassigned' ? { assignee: 'unassigned' as const } : {}),
    ...(holder ? { identity: holder as Address } : {}),
  }, s.signer), [status, assignee, holder, tick, me]);
  // Every case, for the counts and the volume chart (the workload's picture).
  const all = useAsync(() => client.write('screening_listCases', { limit: 200 }, s.signer), [tick, me]);
  const days = Array.from({ length: 14 }, (_, i) => new Date(Date.now() - (13 - i) * 86400_000).toISOString().slice(0, 10));
  const cases = all.data?.cases ?? [];
  const perDay = (pick: (c: Case) => boolean) => days.map((d) => cases.filter((c) => pick(c) && new Date(c.createdAt).toISOString().slice(0, 10) === d).length);
  const count = (st: CaseStatus) => cases.filter((c) => c.status === st).length;
  const filterHolder = (e: Event) => {
    e.preventDefault();
    const v = holderInput.trim();
    const err = v ? check(identityParam, v) : undefined;
    setHolderError(err);
    if (!err) set('identity', v);
  };
  return (
    <>
      <div class="grid cols-4">
        <Stat label="Triggered" value={count('triggered')} sub={`${cases.filter((c) => OPEN.includes(c.status) && !c.assignee).length} open and unassigned`} />
        <Stat label="Under review" value={count('under_review')} />
        <Stat label="Escalated" value={count('escalated')} />
        <Stat label="Decided" value={count('confirmed') + count('dismissed')} sub={`${count('confirmed')} confirmed · ${count('dismissed')} dismissed`} />
      </div>
      <div class="stack">
        <Panel title="Cases" flush>
          <form class="filters" aria-label="Case filters" onSubmit={filterHolder}>
            <SelectField label="Alert state" name="status" value={status} onChange={(v) => set('status', v)}
              options={[{ value: 'open', label: 'Open (triggered, under review, escalated)' }, ...CASE_STATUSES.map((c) => ({ value: c.value, label: c.label })), { value: 'all', label: 'All' }]} />
            <SelectField label="Assignee" name="assignee" value={assignee} onChange={(v) => set('assignee', v)} options={[{ value: '', label: 'Anyone' }, { value: 'me', label: 'Me' }, { value: 'unassigned', label: 'Unassigned' }]} />
            <TextField label="Holder identity" name="identity" value={holderInput} onInput={setHolderInput} error={holderError} placeholder="0x… (Enter to filter)" />
          </form>
          {rows.error ? <div class="body"><ProblemNotice error={rows.error} /></div> : (
            <DataTable caption="Cases" rows={rows.data?.cases ?? []} rowKey={(c) => c.caseId}
              empty={rows.loading ? 'Loading…' : 'No case matches these filters.'}
              columns={[
                { key: 'opened', title: 'Opened', render: (c) => relative(c.createdAt) },
                { key: 'identity', title: 'Holder', render: (c) => <Mono title={c.identity}>{short(c.identity)}</Mono> },
                { key: 'entry', title: 'List entry', render: (c) => <Mono title={c.entityHash}>{c.entityId}</Mono> },
                { key: 'score', title: 'Score', render: (c) => score(c.score) },
                { key: 'topics', title: 'Topics', render: (c) => c.topics.map(topicName).join(', ') },
                { key: 'status', title: 'Alert state', render: (c) => <CaseBadge status={c.status} /> },
                { key: 'action', title: 'Restrictions', render: (c) => <ActionBadge state={c.actionState} /> },
                { key: 'assignee', title: 'Assignee', render: (c) => (c.assignee ? (c.assignee === me ? <Badge tone="info">you</Badge> : <Mono>{short(c.assignee)}</Mono>) : <span class="muted">—</span>) },
                { key: 'actions', title: 'Actions', render: (c) => (
                  <div class="row">
                    {OPEN.includes(c.status) && (c.assignee === me
                      ? <Button class="small" onClick={() => assignCase(s, c.caseId, null, () => setTick((t) => t + 1))}>Release</Button>
                      : <Button class="small" onClick={() => assignCase(s, c.caseId, s.signer.address, () => setTick((t) => t + 1))}>Assign to me</Button>)}
                    <a class="button small" href={`#/kyc/case?id=${c.caseId}`}>Open<span class="sr-only"> case {c.caseId.slice(0, 8)}</span></a>
                  </div>
                ) },
              ]} />
          )}
          {rows.data && rows.data.total > rows.data.cases.length && <div class="body small muted">Showing {rows.data.cases.length} of {rows.data.total}.</div>}
        </Panel>
        <Panel title="Cases opened, last 14 days">
          {all.error ? <ProblemNotice error={all.error} /> : <DailyBars label="Cases opened per day" days={days}
            series={[{ name: 'open', values: perDay((c) => OPEN.includes(c.status)) }, { name: 'confirmed', values: perDay((c) => c.status === 'confirmed') }, { name: 'dismissed', values: perDay((c) => c.status === 'dismissed') }]} />}
        </Panel>
      </div>
    </>
  );
}
