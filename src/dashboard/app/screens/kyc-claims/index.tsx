// Claims this issuer has issued: every approved application's claim and any identity looked up, with its state read
// from the chain now (valid, expiring, expired, revoked), an expiry timeline, and the two issuer actions, both signed
// in this browser: revoke (the issuer's management key signs ClaimIssuer.revokeClaim, relayed by the node) and renew
// (a new claim signed here with the topic's validity, replacing the old one in one transaction), optionally with a new
// report of the issuer sealed here for the subject (the claim is then issued again over the report's hash).
import { useState } from 'preact/hooks';
import type { Address, Hex } from 'viem';
import { api } from '../../../../protocol/api.js';
import { client } from '../../lib/rpc.js';
import { issuers } from '../../lib/node-info.js';
import { navigate, type Route } from '../../lib/router.js';
import { date, nowSec, short, topicName, TOPICS } from '../../lib/format.js';
import { lifecycleLabel, lifecycleOf } from '../../lib/lifecycle.js';
import { policyText, validityDays, validityError } from '../../lib/policy.js';
import { signClaimWindow } from '../../lib/claim-signing.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { ExpiryTimeline } from '../../ui/charts.js';
import { Badge, Button, DataTable, Loading, Mono, Page, Panel, ProblemNotice, SelectField, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { checkAll, fieldFromRefusal, hasErrors, type Errors } from '../../ui/validate.js';
import { ReportField, useReport } from '../../ui/report-field.js';

const lookupParams = api.id_verifyClaim.params.shape;

export default function ClaimsIssued({ route }: { route: Route }) {
  return (
    <Page title="Claims issued" intro="Claims your issuer signed, as the chain sees them now. Revocations and renewals are signed with your key in this browser.">
      <KeyGate purpose="Revoking and renewing are signed by the issuer's key: unlock it.">{(s) => <Issued s={s} route={route} />}</KeyGate>
    </Page>
  );
}

interface Row { identity: Address; topic: number }

function Issued({ s, route }: { s: Session; route: Route }) {
  const list = useAsync(() => issuers(), []);
  const issuer = (route.query.get('issuer') ?? list.data?.[0]?.address) as Address | undefined;
  const [extra, setExtra] = useState<Row[]>([]);
  const [tick, setTick] = useState(0);
  const rows = useAsync(async () => {
    if (!issuer) return undefined;
    const approved = (await client.write('id_listKycApplications', { issuer, status: 'approved', limit: 200 }, s.signer)).applications;
    const seen = new Set<string>();
    const keys = [...extra, ...approved.map((a) => ({ identity: a.identity as Address, topic: a.topic }))].filter((r) => {
      const k = `${r.identity.toLowerCase()}:${r.topic}`;
      return seen.has(k) ? false : (seen.add(k), true);
    });
    const out = await Promise.all(keys.map(async (r) => {
      const verdict = await client.rpc.id_verifyClaim({ identity: r.identity, topic: r.topic, issuer });
      if (verdict.state === 'none' || verdict.state === 'pending') return undefined;
      const claim = await client.rpc.id_getClaim({ identity: r.identity, issuer, topic: r.topic });
      return { ...r, claim, verdict, life: lifecycleOf(claim, verdict) };
    }));
    return out.filter((x) => x !== undefined);
  }, [issuer, tick, extra, s.signer.address]);
  const [open, setOpen] = useState<string>();
  if (list.error) return <ProblemNotice error={list.error} />;
  if (!list.data) return <Loading what="issuers" />;
  const now = nowSec();
  const data = rows.data ?? [];
  const selected = data.find((r) => `${r.identity}:${r.topic}` === open);
  return (
    <>
      <div class="grid side">
        <Panel title="Claims" flush>
          <form class="filters" aria-label="Issuer" onSubmit={(e) => e.preventDefault()}>
            <SelectField label="Issuer" name="issuer" value={issuer ?? ''} onChange={(v) => navigate('/kyc/claims', { issuer: v })} options={list.data.map((i) => ({ value: i.address, label: i.name }))} />
          </form>
          {rows.error ? <div class="body"><ProblemNotice error={rows.error} /></div> : (
            <DataTable caption="Claims issued" rows={data} rowKey={(r) => `${r.identity}:${r.topic}`} selected={open}
              empty={rows.loading ? 'Loading…' : 'No claim issued by this issuer yet.'}
              columns={[
                { key: 'identity', title: 'Identity', render: (r) => <Mono title={r.identity}>{short(r.identity)}</Mono> },
                { key: 'topic', title: 'Topic', render: (r) => topicName(r.topic) },
                { key: 'state', title: 'State', render: (r) => { const l = lifecycleLabel(r.life); return <Badge tone={l.tone}>{l.text}</Badge>; } },
                { key: 'window', title: 'Valid', render: (r) => `${date(r.claim.issuedAt)} – ${r.claim.expiresAt ? date(r.claim.expiresAt) : 'never'}` },
                { key: 'claim', title: 'Claim', render: (r) => <Mono title={r.claim.claimId}>{short(r.claim.claimId, 6)}</Mono> },
                { key: 'actions', title: 'Actions', render: (r) => <Button class="small" onClick={() => setOpen(`${r.identity}:${r.topic}`)}>Manage<span class="sr-only"> {topicName(r.topic)} claim of {short(r.identity)}</span></Button> },
              ]} />
          )}
        </Panel>
        <div class="stack">
          {selected ? <Manage key={open} s={s} issuer={issuer!} row={selected} onDone={() => setTick((t) => t + 1)} /> : <Lookup onFound={(r) => { setExtra((x) => [r, ...x]); setOpen(`${r.identity}:${r.topic}`); }} />}
          {data.length > 0 && (
            <Panel title="When they lapse">
              <ExpiryTimeline now={now} items={data.slice(0, 12).map((r) => ({ label: `${topicName(r.topic)} ${short(r.identity, 3)}`, from: r.claim.issuedAt, to: r.claim.expiresAt, tone: r.life.state === 'valid' ? 'ok' : r.life.state === 'expiring' ? 'warn' : 'bad' }))} />
            </Panel>
          )}
        </div>
      </div>
    </>
  );
}

/** Adds any identity's claim of this issuer to the list (claims issued outside the queue: screening, CLI). */
function Lookup({ onFound }: { onFound: (r: Row) => void }) {
  const [identity, setIdentity] = useState('');
  const [topic, setTopic] = useState('1');
  const [errors, setErrors] = useState<Errors>({});
  return (
    <Panel title="Find a claim">
      <form class="stack" aria-label="Find a claim" onSubmit={(e) => {
        e.preventDefault();
        const errs = checkAll([['identity', lookupParams.identity, identity.trim()], ['topic', lookupParams.topic, Number(topic)]]);
        setErrors(errs);
        if (!hasErrors(errs)) onFound({ identity: identity.trim() as Address, topic: Number(topic) });
      }}>
        <TextField label="Identity" name="identity" value={identity} onInput={setIdentity} error={errors.identity} placeholder="0x…" />
        <SelectField label="Topic" name="topic" value={topic} onChange={setTopic} options={Object.entries(TOPICS).map(([k, v]) => ({ value: k, label: v }))} />
        <div class="row"><Button type="submit">Find</Button></div>
      </form>
    </Panel>
  );
}

type Managed = { identity: Address; topic: number; claim: { claimId: string; documentHash: string; issuedAt: number; expiresAt: number }; life: ReturnType<typeof lifecycleOf> };

function Manage({ s, issuer, row, onDone }: { s: Session; issuer: Address; row: Managed; onDone: () => void }) {
  const [days, setDays] = useState(String(validityDays(row.topic)));
  const [error, setError] = useState<string>();
  const report = useReport(row.identity, row.topic);
  const renew = useAction(async () => {
    const bad = validityError(row.topic, days, topicName(row.topic));
    setError(bad);
    if (bad) return;
    // With a new report the claim is issued again over the report's hash (id_issueClaim replaces this issuer's claim
    // on the topic); without one it is renewed over the same document (id_renewClaim revokes the old one).
    const sealed = report.given ? await report.seal() : undefined;
    if (report.given && !sealed) return;
    const documentHash = sealed?.documentHash ?? (row.claim.documentHash as Hex);
    const signed = await signClaimWindow(s, { issuer, identity: row.identity, topic: row.topic, documentHash, days: Number(days) });
    if (sealed) {
      try {
        await client.rpc.id_issueClaim({ identity: row.identity, topic: row.topic, issuer, documentHash, ...signed, ...sealed.report });
      } catch (e) {
        const f = fieldFromRefusal(e, ['envelopes', 'document']);
        if (f) { report.setError(f.envelopes ?? f.document); return; }
        throw e;
      }
      toast('ok', 'Claim issued with your new report', `Valid until ${date(signed.expiresAt)}; it binds the report ${short(documentHash, 8)}.`);
      report.setText('');
    } else {
      await client.rpc.id_renewClaim({ identity: row.identity, topic: row.topic, issuer, documentHash, ...signed });
      toast('ok', 'Claim renewed', `Valid until ${date(signed.expiresAt)}; the previous claim is revoked.`);
    }
    onDone();
  });
  const revoke = useAction(async () => {
    await client.write('id_revokeClaim', { identity: row.identity, claimId: row.claim.claimId as Hex, issuer }, s.signer);
    toast('ok', 'Claim revoked', 'It no longer verifies anywhere.');
    onDone();
  });
  const l = lifecycleLabel(row.life);
  return (
    <Panel title={`${topicName(row.topic)} claim`}>
      <div class="stack">
        <dl class="kv">
          <dt>Identity</dt><dd><Mono>{row.identity}</Mono></dd>
          <dt>State</dt><dd><Badge tone={l.tone}>{l.text}</Badge></dd>
          <dt>Window</dt><dd>{date(row.claim.issuedAt)} – {row.claim.expiresAt ? date(row.claim.expiresAt) : 'never'}</dd>
        </dl>
        <form class="stack" aria-label="Renew" onSubmit={(e) => { e.preventDefault(); renew.run(); }}>
          <TextField label="Renew for (days)" name="days" value={days} onInput={setDays} type="number" error={error} hint={`${topicName(row.topic)} policy: ${policyText(row.topic)}. Signed in this browser.`} />
          <ReportField r={report} label="A new report (optional)" id="renewreport" />
          {renew.error !== undefined && <ProblemNotice error={renew.error} />}
          <div class="row"><Button type="submit" class="primary" busy={renew.busy} busyLabel="Sealing, signing and renewing…">Renew the claim</Button></div>
        </form>
        {revoke.error !== undefined && <ProblemNotice error={revoke.error} />}
        {row.life.state !== 'revoked' && <div class="row"><Button class="danger" busy={revoke.busy} busyLabel="Revoking…" onClick={() => revoke.run()}>Revoke the claim</Button></div>}
      </div>
    </Panel>
  );
}
