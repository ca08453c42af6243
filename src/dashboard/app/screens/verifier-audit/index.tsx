// What I accessed, when, whether it passed, and through whom (an investor's own grant, or a fund administrator's):
// kept in this browser (IndexedDB) for each verifier key. The node's own records (UCAN invocations seen, grants)
// back it up on the server side.
import { useSession } from '../../keys/session.js';
import { dateTime, short, topicName } from '../../lib/format.js';
import { KeyGate } from '../../ui/key-gate.js';
import { auditLog } from '../../keys/db.js';
import { Badge, DataTable, Mono, Page, Panel, ProblemNotice, useAsync } from '../../ui/kit.js';

export default function Audit() {
  const s = useSession();
  const log = useAsync(async () => (s ? (await auditLog.of(s.signer.address)).sort((a, b) => b.at - a.at) : []), [s?.signer.address]);
  const csv = () => {
    const rows = [['time', 'action', 'identity', 'topic', 'via', 'cid', 'documentHash', 'ok', 'detail'], ...(log.data ?? []).map((e) => [new Date(e.at).toISOString(), e.action, e.identity, String(e.topic), e.via ?? '', e.cid ?? '', e.documentHash ?? '', String(e.ok), e.detail ?? ''])];
    const blob = new Blob([rows.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\n')], { type: 'text/csv' });
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: 'masque-audit.csv' });
    a.click();
  };
  return (
    <Page title="Audit trail" intro="Every document you fetched or tried to fetch from this browser, with the integrity verdict." actions={log.data?.length ? <button type="button" onClick={csv}>Export CSV</button> : undefined}>
      <KeyGate purpose="The audit trail is kept per verifier key.">{() => (
        <Panel title="Accesses" flush>
          {log.error ? <ProblemNotice error={log.error} /> : (
            <DataTable caption="Accesses" rows={log.data ?? []} rowKey={(e) => String(e.id)} empty="Nothing accessed yet."
              columns={[
                { key: 'at', title: 'When', render: (e) => dateTime(e.at) },
                { key: 'what', title: 'Document', render: (e) => <>{topicName(e.topic)}{e.via && <span class="small muted"> through administrator <Mono title={e.via}>{short(e.via)}</Mono></span>}</> },
                { key: 'identity', title: 'Identity', render: (e) => <Mono title={e.identity}>{short(e.identity)}</Mono> },
                { key: 'hash', title: 'Document hash', render: (e) => (e.documentHash ? <Mono title={e.documentHash}>{short(e.documentHash, 8)}</Mono> : '—') },
                { key: 'ok', title: 'Result', render: (e) => <Badge tone={e.ok ? 'ok' : 'bad'}>{e.ok ? 'verified' : 'refused'}</Badge> },
                { key: 'detail', title: 'Detail', render: (e) => <span class="small">{e.detail}</span> },
              ]} />
          )}
        </Panel>
      )}</KeyGate>
    </Page>
  );
}
