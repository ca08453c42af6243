// My documents and who may read them: open my own KYC documents in this page; grant one claim's document to a
// verifier (its key re-wrapped here for the verifier's did:key, the grant recorded on chain, a UCAN delegation signed
// here to hand over); revoke a grant.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { fromBase64, toBase64 } from '../../../../sdk/base64.js';
import { client } from '../../lib/rpc.js';
import { date, relative, short, topicName } from '../../lib/format.js';
import { documentCrypto, openWithChecks, type OpenedDocument } from '../../lib/documents.js';
import { encodeAccessToken } from '../../lib/access-link.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { DocumentView } from '../../ui/document-view.js';
import { Badge, Button, CopyButton, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, SelectField, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { checkAll, fieldFromRefusal, hasErrors, type Errors } from '../../ui/validate.js';
import { myIdentity } from '../investor-onboarding/index.js';

const grantParams = api.id_grantClaimAccess.params.shape;

export default function Documents() {
  return (
    <Page title="Documents & grants" intro="Your documents open only here. A grant re-wraps one document's key for one verifier; you can revoke it at any time.">
      <KeyGate purpose="Your documents open with your encryption key.">{(s) => <Docs s={s} />}</KeyGate>
    </Page>
  );
}

function Docs({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const identity = id.identity as Address;
    const [apps, grants] = await Promise.all([
      client.write('id_listKycApplications', { identity }, s.signer),
      client.rpc.id_listAccessGrants({ identity }),
    ]);
    // This table revokes with id_revokeClaimAccess: the subject's own grants (delegations have their own screen).
    return { identity, apps: apps.applications, grants: grants.filter((g) => g.kind === 'direct') };
  }, [s.signer.address, tick]);
  const [opened, setOpened] = useState<{ id: string; doc: OpenedDocument }>();
  const open = useAction(async (applicationId: string) => {
    const a = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, s.signer);
    const mine = a.envelopes.find((e) => e.recipient === s.encryption.did);
    if (!mine?.envelope || !a.ciphertext) throw new Error('No envelope for your key in this application (it was sealed without a copy for you).');
    setOpened({ id: applicationId, doc: await openWithChecks({ ciphertext: fromBase64(a.ciphertext), envelope: mine.envelope, expectedHash: a.documentHash, expectedCid: a.cid, mediaType: 'application/octet-stream', claim: { chainId: await client.chainId(), identity: a.identity as Address, topic: a.topic } }, s.encryption) });
  });
  const revoke = useAction(async (topic: number, verifier: string) => {
    await client.write('id_revokeClaimAccess', { identity: data.data!.identity, topic, verifier: verifier as Address }, s.signer);
    toast('ok', 'Grant revoked', `${short(verifier)} can no longer read your ${topicName(topic)} document`);
    setTick((t) => t + 1);
  });
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your documents" />;
  if (!data.data) return <Notice tone="info" title="No identity yet"><a href="#/investor/onboarding">Start onboarding</a> first.</Notice>;
  const { apps, grants, identity } = data.data;
  const approved = apps.filter((a) => a.status === 'approved');
  return (
    <>
      <Panel title="My documents" flush>
        <DataTable caption="My documents" rows={apps} rowKey={(a) => a.id} empty="No document submitted yet."
          columns={[
            { key: 'topic', title: 'Topic', render: (a) => topicName(a.topic) },
            { key: 'status', title: 'Application', render: (a) => <Badge tone={a.status === 'approved' ? 'ok' : a.status === 'rejected' ? 'bad' : 'info'}>{a.status}</Badge> },
            { key: 'cid', title: 'Sealed document', render: (a) => <Mono title={a.cid}>{short(a.cid, 10)}</Mono> },
            { key: 'submitted', title: 'Submitted', render: (a) => relative(a.createdAt) },
            { key: 'open', title: '', render: (a) => <Button class="small" busy={open.busy} onClick={() => open.run(a.id)}>Open<span class="sr-only"> {topicName(a.topic)} document</span></Button> },
          ]} />
      </Panel>
      {open.error !== undefined && <ProblemNotice error={open.error} />}
      {opened && <Panel title="Document opened in this browser" actions={<button type="button" class="small" onClick={() => setOpened(undefined)}>Close</button>}><DocumentView doc={opened.doc} name={`document-${opened.id.slice(0, 8)}`} /></Panel>}
      <div class="grid cols-2">
        <GrantForm s={s} identity={identity} approved={approved} onDone={() => setTick((t) => t + 1)} />
        <Panel title="Grants" flush>
          {revoke.error !== undefined && <div class="body"><ProblemNotice error={revoke.error} /></div>}
          <DataTable caption="Grants" rows={grants} rowKey={(g) => `${g.topic}-${g.verifier}`} empty="You have granted nothing."
            columns={[
              { key: 'verifier', title: 'Verifier', render: (g) => <Mono title={g.verifier}>{short(g.verifier)}</Mono> },
              { key: 'topic', title: 'Topic', render: (g) => topicName(g.topic) },
              { key: 'status', title: 'Status', render: (g) => <Badge tone={g.status === 'active' && g.onChain ? 'ok' : 'neutral'}>{g.status}</Badge> },
              { key: 'expires', title: 'Until', render: (g) => (g.expiresAt ? date(g.expiresAt) : 'revoked by you') },
              { key: 'x', title: '', render: (g) => (g.status === 'active' ? <Button class="small danger" busy={revoke.busy} onClick={() => revoke.run(g.topic, g.verifier)}>Revoke<span class="sr-only"> grant to {g.verifier}</span></Button> : null) },
            ]} />
        </Panel>
      </div>
    </>
  );
}

function GrantForm({ s, identity, approved, onDone }: { s: Session; identity: Address; approved: { id: string; topic: number }[]; onDone: () => void }) {
  const [app, setApp] = useState('');
  const [verifier, setVerifier] = useState('');
  const [verifierKey, setVerifierKey] = useState('');
  const [days, setDays] = useState('30');
  const [errors, setErrors] = useState<Errors>({});
  const [link, setLink] = useState<string>();
  const chosen = approved.find((a) => a.id === app) ?? approved[0];
  const a = useAction(async () => {
    if (!chosen) return;
    const d = Number(days);
    const expiresAt = Math.floor(Date.now() / 1000) + d * 86400;
    const errs = checkAll([['verifier', grantParams.verifier, verifier.trim()], ['verifierKey', grantParams.verifierKey, verifierKey.trim()], ['expiresAt', grantParams.expiresAt, expiresAt]]);
    if (!Number.isInteger(d) || d < 1 || d > 3650) errs.expiresAt = 'between 1 and 3650 days';
    setErrors(errs);
    if (hasErrors(errs)) return;
    const full = await client.write('id_getKycApplication', { applicationId: chosen.id, includeDocument: true }, s.signer);
    const mine = full.envelopes.find((e) => e.recipient === s.encryption.did);
    if (!mine?.envelope) throw new Error('No envelope for your key in this application: it cannot be re-wrapped.');
    const { rewrapFor } = await documentCrypto();
    // The document key is re-wrapped here, from your envelope to the verifier's did:key: the node never sees it.
    const envelope = await rewrapFor(mine.envelope, s.encryption, verifierKey.trim());
    try {
      await client.write('id_grantClaimAccess', { identity, topic: full.topic, verifier: verifier.trim() as Address, verifierKey: verifierKey.trim(), envelope, expiresAt }, s.signer);
    } catch (e) {
      const f = fieldFromRefusal(e, ['verifier', 'verifierKey', 'expiresAt']);
      if (f) { setErrors(f); return; }
      throw e;
    }
    const { delegateRead } = await import('../../../../sdk/capability.js');
    const delegation = await delegateRead(s.signer as never, { chainId: await client.chainId(), verifier: verifier.trim() as Address, identity, topic: full.topic, seconds: d * 86400 });
    const token = encodeAccessToken({ v: 1, holder: s.signer.address, identity, topic: full.topic, delegation: toBase64(delegation.bytes) });
    setLink(`${location.origin}/#/verifier/documents?grant=${token}`);
    toast('ok', 'Access granted', `Send the access link to ${short(verifier.trim())}`);
    onDone();
  });
  if (!approved.length) return <Panel title="Grant access"><p class="muted" style={{ margin: 0 }}>A document can be granted once its claim is issued.</p></Panel>;
  return (
    <Panel title="Grant access to a verifier">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <SelectField label="Document" name="application" value={chosen?.id ?? ''} onChange={setApp} options={approved.map((x) => ({ value: x.id, label: `${topicName(x.topic)} · ${x.id.slice(0, 8)}` }))} />
        <TextField label="Verifier wallet" name="verifier" value={verifier} onInput={setVerifier} placeholder="0x…" error={errors.verifier} />
        <TextField label="Verifier encryption key (did:key)" name="verifierKey" value={verifierKey} onInput={setVerifierKey} placeholder="did:key:z…" error={errors.verifierKey} />
        <TextField label="Valid for (days)" name="days" value={days} onInput={setDays} type="number" error={errors.expiresAt} />
        {a.error !== undefined && <ProblemNotice error={a.error} />}
        <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Re-wrapping and granting…">Grant access</Button></div>
        {link && (
          <Notice tone="ok" title="Access link for the verifier">
            <span class="small">It carries your signed delegation in the link's fragment (never sent to a server). Alone it grants nothing: the verifier signs each read, and the on-chain grant must still stand.</span>
            <div class="row" style={{ marginTop: 6 }}><input aria-label="Access link" readOnly value={link} style={{ flex: 1 }} /><CopyButton text={link} /></div>
          </Notice>
        )}
      </form>
    </Panel>
  );
}
