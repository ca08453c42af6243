// My claims: every claim on my identity with its lifecycle (valid, expiring in N days, expired, revoked), the
// applications still pending, and when each claim lapses, as a timeline.
import type { Address } from 'viem';
import { client } from '../../lib/rpc.js';
import { lifecycleLabel, lifecycleOf } from '../../lib/lifecycle.js';
import { date, nowSec, short, topicName } from '../../lib/format.js';
import { issuers } from '../../lib/node-info.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { ExpiryTimeline } from '../../ui/charts.js';
import { Badge, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, useAsync } from '../../ui/kit.js';
import { myIdentity } from '../investor-onboarding/index.js';

export default function MyClaims() {
  return (
    <Page title="My claims" intro="Claims on your identity, checked against the chain now: trusted issuer, validity window, revocation.">
      <KeyGate purpose="Unlock your key to see your identity's claims.">{(s) => <Claims s={s} />}</KeyGate>
    </Page>
  );
}

function Claims({ s }: { s: Session }) {
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const names = new Map((await issuers()).map((i) => [i.address.toLowerCase(), i.name]));
    const claims = await Promise.all(id.claims.map(async (c) => {
      const verdict = await client.rpc.id_verifyClaim({ identity: id.identity as Address, topic: c.topic, issuer: c.issuer as Address });
      return { ...c, issuerName: names.get(c.issuer.toLowerCase()), life: lifecycleOf(c, verdict) };
    }));
    const pending = (await client.write('id_listKycApplications', { identity: id.identity as Address, status: 'pending' }, s.signer)).applications;
    return { id, claims, pending };
  }, [s.signer.address]);
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your claims" />;
  if (!data.data) return <Notice tone="info" title="No identity yet"><a href="#/investor/onboarding">Start onboarding</a> to deploy your identity.</Notice>;
  const { claims, pending } = data.data;
  const now = nowSec();
  return (
    <>
      <Panel title="Claims" flush>
        <DataTable caption="My claims" rows={[...pending.map((p) => ({ kind: 'pending' as const, p })), ...claims.map((c) => ({ kind: 'claim' as const, c }))]}
          rowKey={(r) => (r.kind === 'pending' ? r.p.id : r.c.claimId)} empty="No claim yet."
          columns={[
            { key: 'topic', title: 'Topic', render: (r) => <strong>{topicName(r.kind === 'pending' ? r.p.topic : r.c.topic)}</strong> },
            { key: 'state', title: 'State', render: (r) => { const l = r.kind === 'pending' ? { text: 'Pending review', tone: 'info' as const } : lifecycleLabel(r.c.life); return <Badge tone={l.tone}>{l.text}</Badge>; } },
            { key: 'issuer', title: 'Issuer', render: (r) => (r.kind === 'pending' ? <Mono>{short(r.p.issuer)}</Mono> : <>{r.c.issuerName ?? ''} <Mono>{short(r.c.issuer)}</Mono></>) },
            { key: 'issued', title: 'Issued', render: (r) => (r.kind === 'pending' ? <span class="muted">submitted {date(r.p.createdAt)}</span> : date(r.c.issuedAt)) },
            { key: 'expires', title: 'Expires', render: (r) => (r.kind === 'pending' ? '—' : r.c.expiresAt ? date(r.c.expiresAt) : 'never') },
            { key: 'doc', title: 'Document', render: (r) => (r.kind === 'claim' && !/^0x0+$/.test(r.c.documentHash) ? <Mono title={r.c.documentHash}>{short(r.c.documentHash, 8)}</Mono> : <span class="muted">—</span>) },
          ]} />
      </Panel>
      {claims.length > 0 && (
        <Panel title="When my claims lapse">
          <ExpiryTimeline now={now} items={claims.map((c) => ({ label: topicName(c.topic), from: c.issuedAt, to: c.expiresAt, tone: c.life.state === 'valid' ? 'ok' : c.life.state === 'expiring' ? 'warn' : 'bad' }))} />
        </Panel>
      )}
    </>
  );
}
