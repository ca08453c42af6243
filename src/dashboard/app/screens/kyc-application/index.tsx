// One KYC application, as its reviewer sees it: the document decrypted in this browser with every integrity check
// shown, the decision (approve: the claim signed here with the topic's validity; reject: a reason), the history.
import { useState } from 'preact/hooks';
import type { Address, Hex } from 'viem';
import { api } from '../../../../protocol/api.js';
import { fromBase64 } from '../../../../sdk/base64.js';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { date, dateTime, short, topicName } from '../../lib/format.js';
import { openWithChecks, type OpenedDocument } from '../../lib/documents.js';
import { ReportField, useReport } from '../../ui/report-field.js';
import { policyText, validityDays, validityError } from '../../lib/policy.js';
import { signClaimWindow } from '../../lib/claim-signing.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { DocumentView } from '../../ui/document-view.js';
import { Badge, Button, DataTable, Field, Loading, Mono, Notice, Page, Panel, ProblemNotice, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { check, fieldFromRefusal } from '../../ui/validate.js';
import { statusTone } from '../kyc-queue/index.js';

const reviewParams = api.id_reviewKycApplication.params.shape;

export default function Application({ route }: { route: Route }) {
  const id = route.query.get('id') ?? '';
  return (
    <Page title="Application" intro={<><a href="#/kyc/queue">Queue</a> › application <Mono>{id.slice(0, 8)}</Mono></>}>
      <KeyGate purpose="Reviewing needs your reviewer key (it signs the read and decrypts the document).">{(s) => <Review s={s} id={id} />}</KeyGate>
    </Page>
  );
}

function Review({ s, id }: { s: Session; id: string }) {
  const [tick, setTick] = useState(0);
  const app = useAsync(() => client.write('id_getKycApplication', { applicationId: id, includeDocument: true }, s.signer), [id, tick, s.signer.address]);
  const [doc, setDoc] = useState<OpenedDocument>();
  // What the issued claim binds: the upload's hash, or the issuer's report when one was sealed at approval.
  const boundHash = useAsync(async () => {
    const a = app.data;
    if (!a?.claimId) return undefined;
    return (await client.rpc.id_getClaim({ identity: a.identity as Address, claimId: a.claimId as Hex }).catch(() => undefined))?.documentHash;
  }, [app.data?.claimId]);
  const decrypt = useAction(async () => {
    const a = app.data!;
    const mine = a.envelopes.find((e) => e.recipient === s.encryption.did);
    if (!mine?.envelope) throw new Error('This application holds no key envelope for your encryption key: it was sealed for another reviewer key.');
    if (!a.ciphertext) throw new Error('The node could not return the document bytes (absent or damaged in its store).');
    setDoc(await openWithChecks({
      ciphertext: fromBase64(a.ciphertext), envelope: mine.envelope, expectedHash: a.documentHash, expectedCid: a.cid,
      mediaType: 'application/octet-stream', claim: { chainId: await client.chainId(), identity: a.identity as Address, topic: a.topic },
    }, s.encryption));
  });
  if (app.error) return <ProblemNotice error={app.error} />;
  if (!app.data) return <Loading what="the application" />;
  const a = app.data;
  const reportBound = boundHash.data && boundHash.data.toLowerCase() !== a.documentHash.toLowerCase();
  return (
    <div class="grid side">
      <div class="stack">
        <Panel title="Document" actions={!doc && <Button class="primary small" busy={decrypt.busy} busyLabel="Decrypting…" onClick={() => decrypt.run()}>Decrypt in this browser</Button>}>
          {decrypt.error !== undefined && <ProblemNotice error={decrypt.error} />}
          {doc ? <DocumentView doc={doc} name={`application-${a.id.slice(0, 8)}`} /> : (
            <p class="muted" style={{ margin: 0 }}>Sealed document <Mono>{short(a.cid, 10)}</Mono>. It is decrypted here with your ML-KEM-768 key; the node only holds the sealed bytes.</p>
          )}
        </Panel>
        {a.status === 'pending' ? <Decide s={s} app={a} onDone={() => setTick((t) => t + 1)} /> : (
          <Notice tone={a.status === 'approved' ? 'ok' : 'warn'} title={`Application ${a.status}`}>
            {a.status === 'approved' ? <>Claim <Mono>{short(a.claimId, 10)}</Mono> issued on chain (transaction <Mono>{short(a.txHash, 10)}</Mono>).
              {reportBound && <> It binds your KYC report, sealed for the subject: documentHash <Mono title={boundHash.data}>{short(boundHash.data, 10)}</Mono>.</>}</> : <>Reason: {a.reason}</>}
          </Notice>
        )}
      </div>
      <div class="stack">
        <Panel title="Summary">
          <dl class="kv">
            <dt>Status</dt><dd><Badge tone={statusTone(a.status)}>{a.status}</Badge></dd>
            <dt>Topic</dt><dd>{topicName(a.topic)}</dd>
            <dt>Identity</dt><dd><Mono>{a.identity}</Mono></dd>
            <dt>Wallet</dt><dd><Mono>{a.wallet}</Mono></dd>
            <dt>Submitted</dt><dd>{dateTime(a.createdAt)}</dd>
            <dt>Document hash</dt><dd><Mono>{short(a.documentHash, 12)}</Mono></dd>
          </dl>
        </Panel>
        <Panel title="History" flush>
          <DataTable caption="History" rows={a.history} rowKey={(h) => `${h.at}-${h.status}`} empty="No history."
            columns={[
              { key: 'at', title: 'When', render: (h) => dateTime(h.at) },
              { key: 'status', title: 'Event', render: (h) => <Badge tone={statusTone(h.status)}>{h.status === 'pending' ? 'submitted' : h.status}</Badge> },
              { key: 'actor', title: 'By', render: (h) => <Mono title={h.actor}>{short(h.actor)}</Mono> },
              { key: 'reason', title: 'Reason', render: (h) => h.reason ?? '' },
            ]} />
        </Panel>
      </div>
    </div>
  );
}

type App = { id: string; identity: string; issuer: string; topic: number; documentHash: string; cid: string };

function Decide({ s, app, onDone }: { s: Session; app: App; onDone: () => void }) {
  const max = validityDays(app.topic);
  const [days, setDays] = useState(String(max));
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<{ days?: string; reason?: string }>({});
  const report = useReport(app.identity as Address, app.topic);
  const approve = useAction(async () => {
    const bad = validityError(app.topic, days, topicName(app.topic));
    setErrors({ days: bad });
    if (bad) return;
    const d = Number(days);
    const sealed = report.given ? await report.seal() : undefined;
    if (report.given && !sealed) return;
    const documentHash = sealed?.documentHash ?? (app.documentHash as Hex);
    const sealedReport = sealed?.report;
    const { issuedAt, expiresAt, signature } = await signClaimWindow(s, { issuer: app.issuer as Address, identity: app.identity as Address, topic: app.topic, documentHash, days: d });
    try {
      const r = await client.write('id_reviewKycApplication', { applicationId: app.id, decision: 'approve', claim: { issuedAt, expiresAt, signature }, ...(sealedReport ? { report: sealedReport } : {}) }, s.signer);
      toast('ok', 'Approved: claim issued', `Valid until ${date(expiresAt)}; claim ${short(r.claimId, 8)}${sealedReport ? `; it binds your report ${short(documentHash, 8)}` : ''}`);
      onDone();
    } catch (e) {
      const f = fieldFromRefusal(e, ['report']);
      if (f) { report.setError(f.report); return; }
      throw e;
    }
  });
  const reject = useAction(async () => {
    const e = reason.trim() ? check(reviewParams.reason, reason.trim()) : 'a rejection needs a reason';
    setErrors({ reason: e });
    if (e) return;
    await client.write('id_reviewKycApplication', { applicationId: app.id, decision: 'reject', reason: reason.trim() }, s.signer);
    toast('ok', 'Application rejected');
    onDone();
  });
  return (
    <Panel title="Decision">
      <div class="grid cols-2">
        <form class="stack" aria-label="Approve" onSubmit={(e) => { e.preventDefault(); approve.run(); }}>
          <TextField label="Validity (days)" name="days" value={days} onInput={setDays} type="number" error={errors.days}
            hint={`${topicName(app.topic)} policy: ${policyText(app.topic)}. The claim is signed in this browser.`} />
          <ReportField r={report} label="Your KYC report (optional)" id="reportfile" />
          {approve.error !== undefined && <ProblemNotice error={approve.error} />}
          <div class="row"><Button type="submit" class="primary" busy={approve.busy} busyLabel="Sealing, signing and issuing…">Approve and issue the claim</Button></div>
        </form>
        <form class="stack" aria-label="Reject" onSubmit={(e) => { e.preventDefault(); reject.run(); }}>
          <Field label="Reason for rejection" error={errors.reason} hint="Shown to the applicant; no personal data (it is stored by the node).">
            {(fid, aria) => <textarea id={fid} name="reason" value={reason} onInput={(e) => setReason((e.target as HTMLTextAreaElement).value)} {...aria} style={{ fontFamily: 'inherit', minHeight: '3.2rem' }} />}
          </Field>
          {reject.error !== undefined && <ProblemNotice error={reject.error} />}
          <div class="row"><Button type="submit" class="danger" busy={reject.busy} busyLabel="Rejecting…">Reject</Button></div>
        </form>
      </div>
    </Panel>
  );
}
