// The KYC provider's application queue: filters by status, topic, assignee and age; assignment to a reviewer;
// submissions per day as a chart. Every listing is signed by the reviewer's key (the queue says who applied where).
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { client } from '../../lib/rpc.js';
import { issuers } from '../../lib/node-info.js';
import { navigate, type Route } from '../../lib/router.js';
import { relative, short, topicName, TOPICS } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { DailyBars } from '../../ui/charts.js';
import { Badge, Button, DataTable, Loading, Mono, Page, Panel, ProblemNotice, SelectField, Stat, toast, useAsync } from '../../ui/kit.js';

const AGES = [{ value: '', label: 'Any age' }, { value: '1', label: 'Older than 1 day' }, { value: '7', label: 'Older than 7 days' }, { value: '30', label: 'Older than 30 days' }];

export default function Queue({ route }: { route: Route }) {
  return (
    <Page title="Application queue" intro="Applications to review, oldest first. Documents open only in your browser, with your encryption key.">
      <KeyGate purpose="The queue is visible to the issuer's reviewers only: unlock your reviewer key.">{(s) => <QueueView s={s} route={route} />}</KeyGate>
    </Page>
  );
}

export const statusTone = (s: string) => (s === 'approved' ? 'ok' : s === 'rejected' ? 'bad' : 'info');

function QueueView({ s, route }: { s: Session; route: Route }) {
  const q = route.query;
  const set = (k: string, v: string) => navigate('/kyc/queue', { ...Object.fromEntries(q), [k]: v });
  const list = useAsync(() => issuers(), []);
  const issuer = (q.get('issuer') ?? list.data?.[0]?.address) as Address | undefined;
  const status = q.get('status') ?? 'pending';
  const topic = q.get('topic') ?? '';
  const assignee = q.get('assignee') ?? '';
  const age = q.get('age') ?? '';
  const [tick, setTick] = useState(0);
  const rows = useAsync(async () => {
    if (!issuer) return undefined;
    const createdBefore = age ? Math.floor(Date.now() / 1000) - Number(age) * 86400 : undefined;
    return client.write('id_listKycApplications', {
      issuer, limit: 200,
      ...(status !== 'all' ? { status: status as 'pending' } : {}),
      ...(topic ? { topic: Number(topic) } : {}),
      ...(assignee === 'me' ? { assignee: s.signer.address } : assignee === 'unassigned' ? { assignee: 'unassigned' as const } : {}),
      ...(createdBefore ? { createdBefore } : {}),
    }, s.signer);
  }, [issuer, status, topic, assignee, age, tick, s.signer.address]);
  // Volume over the last 14 days, every status: the picture of the workload.
  const volume = useAsync(async () => (issuer ? (await client.write('id_listKycApplications', { issuer, limit: 200, createdAfter: Math.floor(Date.now() / 1000) - 14 * 86400 }, s.signer)).applications : undefined), [issuer, tick, s.signer.address]);
  const assign = async (id: string, to: Address | null) => {
    try {
      await client.write('id_assignKycApplication', { applicationId: id, assignee: to }, s.signer);
      toast('ok', to ? 'Assigned to you' : 'Released');
      setTick((t) => t + 1);
    } catch (e) {
      const { describeError } = await import('../../lib/errors.js');
      const p = describeError(e);
      toast('bad', p.title, p.detail);
    }
  };
  if (list.error) return <ProblemNotice error={list.error} />;
  if (!list.data) return <Loading what="issuers" />;
  const days = Array.from({ length: 14 }, (_, i) => new Date(Date.now() - (13 - i) * 86400_000).toISOString().slice(0, 10));
  const count = (st: string) => days.map((d) => (volume.data ?? []).filter((a) => a.status === st && new Date(a.createdAt).toISOString().slice(0, 10) === d).length);
  const pending = (volume.data ?? []).filter((a) => a.status === 'pending');
  return (
    <>
      <div class="grid cols-4">
        <Stat label="Pending (14 days)" value={pending.length} sub={`${pending.filter((a) => !a.assignee).length} unassigned`} />
        <Stat label="Approved (14 days)" value={(volume.data ?? []).filter((a) => a.status === 'approved').length} />
        <Stat label="Rejected (14 days)" value={(volume.data ?? []).filter((a) => a.status === 'rejected').length} />
        <Stat label="Oldest pending" value={pending[0] ? relative(pending[0].createdAt) : '—'} />
      </div>
      <div class="grid side">
        <Panel title="Applications" flush>
          <form class="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
            <SelectField label="Issuer" name="issuer" value={issuer ?? ''} onChange={(v) => set('issuer', v)} options={list.data.map((i) => ({ value: i.address, label: i.name }))} />
            <SelectField label="Status" name="status" value={status} onChange={(v) => set('status', v)} options={['pending', 'approved', 'rejected', 'all'].map((v) => ({ value: v, label: v[0]!.toUpperCase() + v.slice(1) }))} />
            <SelectField label="Topic" name="topic" value={topic} onChange={(v) => set('topic', v)} options={[{ value: '', label: 'All topics' }, ...Object.entries(TOPICS).map(([k, v]) => ({ value: k, label: v }))]} />
            <SelectField label="Assignee" name="assignee" value={assignee} onChange={(v) => set('assignee', v)} options={[{ value: '', label: 'Anyone' }, { value: 'me', label: 'Me' }, { value: 'unassigned', label: 'Unassigned' }]} />
            <SelectField label="Age" name="age" value={age} onChange={(v) => set('age', v)} options={AGES} />
          </form>
          {rows.error ? <div class="body"><ProblemNotice error={rows.error} /></div> : (
            <DataTable caption="Applications" rows={rows.data?.applications ?? []} rowKey={(a) => a.id}
              empty={rows.loading ? 'Loading…' : 'Nothing matches these filters.'}
              columns={[
                { key: 'submitted', title: 'Submitted', render: (a) => relative(a.createdAt) },
                { key: 'topic', title: 'Topic', render: (a) => topicName(a.topic) },
                { key: 'identity', title: 'Identity', render: (a) => <Mono title={a.identity}>{short(a.identity)}</Mono> },
                { key: 'status', title: 'Status', render: (a) => <Badge tone={statusTone(a.status)}>{a.status}</Badge> },
                { key: 'assignee', title: 'Assignee', render: (a) => (a.assignee ? (a.assignee === s.signer.address.toLowerCase() ? <Badge tone="info">you</Badge> : <Mono>{short(a.assignee)}</Mono>) : <span class="muted">—</span>) },
                { key: 'actions', title: 'Actions', render: (a) => (
                  <div class="row">
                    {a.status === 'pending' && (a.assignee === s.signer.address.toLowerCase()
                      ? <Button class="small" onClick={() => assign(a.id, null)}>Release</Button>
                      : <Button class="small" onClick={() => assign(a.id, s.signer.address)}>Assign to me</Button>)}
                    <a class="button small" href={`#/kyc/application?id=${a.id}&issuer=${a.issuer}`}>Open<span class="sr-only"> application {a.id.slice(0, 8)}</span></a>
                  </div>
                ) },
              ]} />
          )}
          {rows.data && rows.data.total > rows.data.applications.length && <div class="body small muted">Showing {rows.data.applications.length} of {rows.data.total}.</div>}
        </Panel>
        <Panel title="Submissions, last 14 days">
          {volume.error ? <ProblemNotice error={volume.error} /> : <DailyBars label="Applications per day" days={days} series={[{ name: 'pending', values: count('pending') }, { name: 'approved', values: count('approved') }, { name: 'rejected', values: count('rejected') }]} />}
        </Panel>
      </div>
    </>
  );
}
