// One screening case, as an analyst works it: why it matched (the matcher's explanation, token by token, and the
// list entry), the evidence of every screening of the holder checked in this browser (record -> Merkle path -> run
// root signed by the operator), the restrictions the service applied (claims revoked, wallets frozen), the history,
// and the decision: review, escalate, confirm or dismiss (a reason to confirm or dismiss).
import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import { verifyMessage, type Hex } from 'viem';
import { api, type Result } from '../../../../protocol/api.js';
import { checkEvidence, runMessage, type EvidenceRecord, type MerkleProof, type RunHeader } from '../../../../screening/evidence.js';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { dateTime, short, topicName } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, DataTable, Field, Loading, Mono, Notice, Page, Panel, ProblemNotice, toast, useAction, useAsync } from '../../ui/kit.js';
import { check, fieldFromRefusal } from '../../ui/validate.js';
import { ActionBadge, assignCase, CaseBadge, score } from '../kyc-cases/index.js';

type CaseFull = Result<'screening_getCase'>;
type Decision = 'review' | 'escalate' | 'confirm' | 'dismiss';
const reasonSchema = api.screening_decideCase.params.shape.reason.unwrap();
const DECISIONS: { d: Decision; from: string[]; label: string; tone: string; needsReason?: boolean }[] = [
  { d: 'review', from: ['triggered'], label: 'Start review', tone: '' },
  { d: 'escalate', from: ['triggered', 'under_review'], label: 'Escalate', tone: '' },
  { d: 'confirm', from: ['triggered', 'under_review', 'escalated'], label: 'Confirm the match', tone: 'danger', needsReason: true },
  { d: 'dismiss', from: ['triggered', 'under_review', 'escalated'], label: 'Dismiss as a false positive', tone: 'primary', needsReason: true },
];

interface Explanation {
  score: number; nameScore: number; queryName: string; listName: string; listNameKind?: string;
  name: { pairs: { query: string; candidate: string; sim: number; rule: string }[]; unmatchedQuery: string[]; unmatchedCandidate: string[]; notes: string[] };
  qualifiers: { field: string; effect: number; detail: string }[];
  identifier?: { type: string; value: string };
}
interface ListedEntity { id: string; source: string; schema: string; names: { full: string; kind: string }[]; birthDates: string[]; nationalities: string[]; programs: string[]; listedOn?: string; details?: Record<string, string> }

export default function CaseScreen({ route }: { route: Route }) {
  const id = route.query.get('id') ?? '';
  return (
    <Page title="Screening case" intro={<><a href="#/kyc/cases">Cases</a> › case <Mono>{id.slice(0, 8)}</Mono></>}>
      <KeyGate purpose="A case is read with an analyst's key (the explanation quotes names).">{(s) => <CaseView s={s} id={id} />}</KeyGate>
    </Page>
  );
}

function CaseView({ s, id }: { s: Session; id: string }) {
  const [tick, setTick] = useState(0);
  const c = useAsync(() => client.write('screening_getCase', { caseId: id }, s.signer), [id, tick, s.signer.address]);
  if (c.error) return <ProblemNotice error={c.error} />;
  if (!c.data) return <Loading what="the case" />;
  const k = c.data;
  const me = s.signer.address.toLowerCase();
  const open = ['triggered', 'under_review', 'escalated'].includes(k.status);
  const detail = k.detail as { explanation?: Explanation; entity?: ListedEntity } | undefined;
  return (
    <div class="grid side">
      <div class="stack">
        <Panel title="Why it matched">
          {detail?.explanation ? <ExplanationView e={detail.explanation} entity={detail.entity} /> : <p class="muted" style={{ margin: 0 }}>The match explanation is shown to the operator and analysts only.</p>}
        </Panel>
        {open ? <Decide s={s} k={k} onDone={() => setTick((t) => t + 1)} /> : (
          <Notice tone={k.status === 'dismissed' ? 'ok' : 'warn'} title={`Case ${k.status}`}>
            By <Mono>{short(k.decidedBy)}</Mono> on {dateTime(k.decidedAt)}: {k.reason}
          </Notice>
        )}
        <Evidence s={s} identity={k.identity} />
        <Panel title="Restrictions applied" flush>
          <DataTable caption="Restrictions applied" rows={k.actions} rowKey={(a) => `${a.phase}-${a.step}`} empty="No restriction: nothing was revoked or frozen."
            columns={[
              { key: 'phase', title: 'Phase', render: (a) => a.phase },
              { key: 'kind', title: 'Step', render: (a) => `${a.kind} ${/^\d+$/.test(a.target) ? topicName(Number(a.target)) : ''}`.trim() },
              { key: 'target', title: 'Target', render: (a) => <Mono title={a.target}>{short(a.target)}</Mono> },
              { key: 'status', title: 'Status', render: (a) => <Badge tone={a.status === 'done' ? 'ok' : 'info'}>{a.status}</Badge> },
              { key: 'tx', title: 'Transaction', render: (a) => <Mono title={a.txHash ?? ''}>{short(a.txHash)}</Mono> },
            ]} />
        </Panel>
        <Panel title="Decision history" flush>
          <DataTable caption="Decision history" rows={k.history} rowKey={(h) => `${h.at}-${h.action}-${h.toStatus}`} empty="No history."
            columns={[
              { key: 'at', title: 'When', render: (h) => dateTime(h.at) },
              { key: 'action', title: 'Event', render: (h) => (h.toStatus && h.action === 'status' ? <>{h.fromStatus ?? '—'} → <CaseBadge status={h.toStatus} /></> : h.action) },
              { key: 'actor', title: 'By', render: (h) => <Mono title={h.actor}>{short(h.actor)}</Mono> },
              { key: 'note', title: 'Note', render: (h) => h.note ?? '' },
            ]} />
        </Panel>
      </div>
      <div class="stack">
        <Panel title="Summary" actions={open && (k.assignee === me
          ? <Button class="small" onClick={() => assignCase(s, k.caseId, null, () => setTick((t) => t + 1))}>Release</Button>
          : <Button class="small" onClick={() => assignCase(s, k.caseId, s.signer.address, () => setTick((t) => t + 1))}>Assign to me</Button>)}>
          <dl class="kv">
            <dt>Alert state</dt><dd><CaseBadge status={k.status} /></dd>
            <dt>Score</dt><dd>{score(k.score)}{k.auto && <> <Badge tone="bad">auto-actioned</Badge></>}</dd>
            <dt>Holder</dt><dd><Mono>{k.identity}</Mono></dd>
            <dt>List entry</dt><dd><Mono>{k.entityId}</Mono></dd>
            <dt>Entry hash</dt><dd><Mono title={k.entityHash}>{short(k.entityHash, 10)}</Mono></dd>
            <dt>List version</dt><dd><Mono title={k.listHash}>{k.source} · {short(k.listHash, 8)}</Mono></dd>
            <dt>Topics</dt><dd>{k.topics.map(topicName).join(', ')}</dd>
            <dt>Restrictions</dt><dd><ActionBadge state={k.actionState} /></dd>
            <dt>Assignee</dt><dd>{k.assignee ? (k.assignee === me ? 'you' : <Mono>{k.assignee}</Mono>) : '—'}</dd>
            <dt>Opened</dt><dd>{dateTime(k.createdAt)}</dd>
          </dl>
        </Panel>
      </div>
    </div>
  );
}

function ExplanationView({ e, entity }: { e: Explanation; entity?: ListedEntity }) {
  return (
    <div class="stack">
      <p style={{ margin: 0 }}>
        The holder's name <strong>{e.queryName}</strong> matched the listed {entity?.schema?.toLowerCase() ?? 'entry'} name <strong>{e.listName}</strong>
        {e.listNameKind && e.listNameKind !== 'primary' ? ` (${e.listNameKind})` : ''}: name score {score(e.nameScore)}, overall {score(e.score)}.
        {e.identifier && <> An identifier matched exactly: {e.identifier.type} <Mono>{e.identifier.value}</Mono>.</>}
      </p>
      <DataTable caption="Name parts compared" rows={e.name.pairs} rowKey={(p) => `${p.query}-${p.candidate}`} empty="No name part matched."
        columns={[
          { key: 'q', title: "Holder's name part", render: (p) => p.query },
          { key: 'c', title: 'Listed name part', render: (p) => p.candidate },
          { key: 'sim', title: 'Similarity', render: (p) => score(p.sim) },
          { key: 'rule', title: 'Rule', render: (p) => p.rule },
        ]} />
      {(e.name.unmatchedQuery.length > 0 || e.name.unmatchedCandidate.length > 0 || e.name.notes.length > 0) && (
        <p class="small muted" style={{ margin: 0 }}>
          {e.name.unmatchedQuery.length > 0 && <>Unmatched in the holder's name: {e.name.unmatchedQuery.join(', ')}. </>}
          {e.name.unmatchedCandidate.length > 0 && <>Unmatched in the listed name: {e.name.unmatchedCandidate.join(', ')}. </>}
          {e.name.notes.join('; ')}
        </p>
      )}
      {e.qualifiers.length > 0 && (
        <DataTable caption="Qualifiers" rows={e.qualifiers} rowKey={(q) => `${q.field}-${q.detail}`} empty=""
          columns={[
            { key: 'f', title: 'Qualifier', render: (q) => q.field },
            { key: 'e', title: 'Effect', render: (q) => <Badge tone={q.effect > 0 ? 'bad' : q.effect < 0 ? 'ok' : 'neutral'}>{q.effect > 0 ? '+' : ''}{Math.round(q.effect * 100)} pts</Badge> },
            { key: 'd', title: 'Detail', render: (q) => q.detail },
          ]} />
      )}
      {entity && (
        <dl class="kv" aria-label="Listed entry">
          <dt>Listed as</dt><dd>{entity.names.map((n) => n.full).join(' · ')}</dd>
          {entity.programs.length > 0 && <><dt>Programmes / position</dt><dd>{entity.programs.join(', ')}</dd></>}
          {entity.birthDates.length > 0 && <><dt>Born</dt><dd>{entity.birthDates.join(', ')}</dd></>}
          {entity.nationalities.length > 0 && <><dt>Nationality</dt><dd>{entity.nationalities.join(', ')}</dd></>}
          {entity.listedOn && <><dt>Listed on</dt><dd>{entity.listedOn}</dd></>}
          {Object.entries(entity.details ?? {}).slice(0, 6).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>)}
        </dl>
      )}
    </div>
  );
}

/** The holder's evidence records, each checked here: leaf, Merkle path to the run root, the operator's signature. */
function Evidence({ s, identity }: { s: Session; identity: string }) {
  const ev = useAsync(async () => {
    const [records, status] = await Promise.all([client.write('screening_getEvidence', { identity: identity as `0x${string}`, limit: 10 }, s.signer), client.rpc.screening_status({})]);
    return Promise.all(records.map(async (e) => {
      const record = e.record as unknown as EvidenceRecord, header = e.header as unknown as RunHeader;
      const proof = checkEvidence(record, e.proof as MerkleProof, header);
      const signed = proof.ok && header.operator.toLowerCase() === status.operator?.toLowerCase()
        && await verifyMessage({ address: header.operator as `0x${string}`, message: runMessage(header), signature: e.signature as Hex });
      return { record, header, verdict: !proof.ok ? proof.reason : signed ? 'verified' : 'signature does not match the operator' };
    }));
  }, [identity, s.signer.address]);
  return (
    <Panel title="Evidence of screenings" flush>
      {ev.error ? <div class="body"><ProblemNotice error={ev.error} /></div> : (
        <DataTable caption="Evidence of screenings" rows={ev.data ?? []} rowKey={(r) => `${r.header.runId}-${r.record.screenedAt}`} empty={ev.loading ? 'Loading and checking…' : 'No evidence.'}
          columns={[
            { key: 'at', title: 'Screened', render: (r) => dateTime(Date.parse(r.record.screenedAt)) },
            { key: 'kind', title: 'Kind', render: (r) => r.record.kind },
            { key: 'lists', title: 'Lists', render: (r) => r.record.lists.map((l) => `${l.source} (${l.entryCount})`).join(', ') },
            { key: 'best', title: 'Best score', render: (r) => score(r.record.bestScore) },
            { key: 'decision', title: 'Decision', render: (r) => <Badge tone={r.record.decision === 'clear' ? 'ok' : r.record.decision === 'suppressed' ? 'neutral' : 'bad'}>{r.record.decision}</Badge> },
            { key: 'check', title: 'Checked here', render: (r) => <Badge tone={r.verdict === 'verified' ? 'ok' : 'bad'}>{r.verdict === 'verified' ? `run ${r.header.runId} signed by the operator` : r.verdict}</Badge> },
          ]} />
      )}
    </Panel>
  );
}

function Decide({ s, k, onDone }: { s: Session; k: CaseFull; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const act = useAction(async (d: Decision, needsReason?: boolean) => {
    const r = reason.trim();
    const e = needsReason ? (r ? check(reasonSchema, r) : `a ${d} decision needs a reason`) : r ? check(reasonSchema, r) : undefined;
    setError(e);
    if (e) return;
    try {
      await client.write('screening_decideCase', { caseId: k.caseId, decision: d, ...(r ? { reason: r } : {}) }, s.signer);
    } catch (x) {
      const f = fieldFromRefusal(x, ['reason']);
      if (f) { setError(f.reason); return; }
      throw x;
    }
    toast('ok', `Case ${d === 'review' ? 'under review' : d === 'escalate' ? 'escalated' : `${d}ed`}`);
    setReason('');
    onDone();
  });
  return (
    <Panel title="Decision">
      <form class="stack" aria-label="Decision" onSubmit={(e) => e.preventDefault()}>
        <Field label="Reason" error={error} hint="Required to confirm or dismiss; kept in the case's history. Dismissing restores the holder (claims re-issued, wallets unfrozen).">
          {(fid, aria) => <textarea id={fid} name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} {...aria} style={{ fontFamily: 'inherit', minHeight: '3.2rem' }} />}
        </Field>
        {act.error !== undefined && <ProblemNotice error={act.error} />}
        <div class="row">
          {DECISIONS.filter((x) => x.from.includes(k.status)).map((x) => (
            <Button key={x.d} class={x.tone} busy={act.busy} onClick={() => act.run(x.d, x.needsReason)}>{x.label}</Button>
          ))}
        </div>
      </form>
    </Panel>
  );
}
