// My documents and who may read them: the documents my claims bind (the issuer's own report, or my upload when the
// issuer kept it) and my uploads, opened in this page with the integrity check against the claim on chain; one
// claim's document granted to a verifier (its key re-wrapped here for the verifier's did:key, the grant recorded on
// chain, a UCAN delegation signed here to hand over); grants listed by topic and revoked.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { fromBase64, toBase64 } from '../../../../sdk/base64.js';
import { client } from '../../lib/rpc.js';
import { issuers } from '../../lib/node-info.js';
import { date, relative, short, topicName } from '../../lib/format.js';
import { claimBindingCheck, documentCrypto, envelopeForSession, openWithChecks, type OpenedDocument } from '../../lib/documents.js';
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
    <Page title="Documents & grants" intro="Your documents open only here: the reports your issuers sealed for you and the documents you uploaded. A grant re-wraps one document's key for one verifier; you can revoke it at any time.">
      <KeyGate purpose="Your documents open with your encryption key.">{(s) => <Docs s={s} />}</KeyGate>
    </Page>
  );
}

/** A document one of my claims binds, as id_listClaimDocuments lists it, with where it came from. */
interface ClaimDoc { topic: number; issuer: string; issuerName: string; claimId: string; cid: string; documentHash: string; mediaType: string; envelopes: { recipient: string; envelope: string }[]; uploaded: boolean }

function Docs({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const identity = id.identity as Address;
    const [apps, docs, names] = await Promise.all([
      client.write('id_listKycApplications', { identity }, s.signer),
      client.write('id_listClaimDocuments', { identity }, s.signer),
      issuers(),
    ]);
    const uploads = new Set(apps.applications.map((a) => a.cid));
    const claimDocs: ClaimDoc[] = docs.map((d) => ({
      ...d, uploaded: uploads.has(d.cid), issuerName: names.find((n) => n.address.toLowerCase() === d.issuer.toLowerCase())?.name ?? short(d.issuer),
    }));
    return { identity, apps: apps.applications, claimDocs, onChainKeys: id.encryptionKeys };
  }, [s.signer.address, tick, s.encryption.did]);
  const [opened, setOpened] = useState<{ title: string; doc: OpenedDocument }>();
  const openUpload = useAction(async (applicationId: string) => {
    const a = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, s.signer);
    const mine = envelopeForSession(a.envelopes, s);
    if (!mine || !a.ciphertext) throw new Error('No envelope for your keys in this application (it was sealed without a copy for you).');
    setOpened({ title: `Your ${topicName(a.topic)} upload`, doc: await openWithChecks({ ciphertext: fromBase64(a.ciphertext), envelope: mine.envelope, expectedHash: a.documentHash, expectedCid: a.cid, mediaType: 'application/octet-stream', claim: { chainId: await client.chainId(), identity: a.identity as Address, topic: a.topic } }, mine.key) });
  });
  const openClaimDoc = useAction(async (d: ClaimDoc) => {
    const identity = data.data!.identity;
    const [full] = (await client.write('id_listClaimDocuments', { identity, topic: d.topic, includeCiphertext: true }, s.signer)).filter((x) => x.cid === d.cid);
    if (!full?.ciphertext) throw new Error('The node could not return the document bytes (absent or damaged in its store).');
    const mine = envelopeForSession(full.envelopes, s);
    if (!mine) throw new Error('No envelope for your keys: this document was sealed for another encryption key.');
    const doc = await openWithChecks({ ciphertext: fromBase64(full.ciphertext), envelope: mine.envelope, expectedHash: full.documentHash, expectedCid: full.cid, mediaType: full.mediaType, claim: { chainId: await client.chainId(), identity, topic: d.topic } }, mine.key);
    // The hash the bytes were checked against is the one the claim on chain binds, read from chain state here.
    doc.checks.unshift(await claimBindingCheck(identity, d.topic, d.issuer, full.documentHash));
    setOpened({ title: `${topicName(d.topic)} ${d.uploaded ? 'document you uploaded' : `report by ${d.issuerName}`}`, doc });
  });
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your documents" />;
  if (!data.data) return <Notice tone="info" title="No identity yet"><a href="#/investor/onboarding">Start onboarding</a> first.</Notice>;
  const { apps, claimDocs, identity, onChainKeys } = data.data;
  const opensWith = (d: ClaimDoc) => {
    const m = envelopeForSession(d.envelopes, s);
    return !m ? <Badge tone="bad">no envelope for your keys</Badge> : m.key === s.encryption ? <Badge tone="ok">your current key</Badge> : <Badge tone="warn">a retired key</Badge>;
  };
  return (
    <>
      {onChainKeys.length === 0 && (
        <Notice tone="warn" title="No encryption key on your identity">Issuers seal their reports for the encryption keys your identity publishes on chain. <a href="#/investor/keys">Publish yours</a> to receive them.</Notice>
      )}
      <Panel title="Documents of my claims" flush>
        <DataTable caption="Documents of my claims" rows={claimDocs} rowKey={(d) => d.cid} empty="No claim of yours binds a document yet."
          columns={[
            { key: 'topic', title: 'Topic', render: (d) => topicName(d.topic) },
            { key: 'kind', title: 'Document', render: (d) => (d.uploaded ? 'Your upload' : <strong>Issuer's report</strong>) },
            { key: 'issuer', title: 'Issuer', render: (d) => <span title={d.issuer}>{d.issuerName}</span> },
            { key: 'hash', title: 'Claim binds', render: (d) => <Mono title={d.documentHash}>{short(d.documentHash, 8)}</Mono> },
            { key: 'key', title: 'Opens with', render: opensWith },
            { key: 'open', title: '', render: (d) => <Button class="small" busy={openClaimDoc.busy} onClick={() => openClaimDoc.run(d)}>Open<span class="sr-only"> {topicName(d.topic)} {d.uploaded ? 'upload' : 'report'}</span></Button> },
          ]} />
      </Panel>
      {openClaimDoc.error !== undefined && <ProblemNotice error={openClaimDoc.error} />}
      {opened && <Panel title={opened.title} actions={<button type="button" class="small" onClick={() => setOpened(undefined)}>Close</button>}><DocumentView doc={opened.doc} name={opened.title.replace(/\W+/g, '-')} /></Panel>}
      <Panel title="My uploads" flush>
        <DataTable caption="My uploads" rows={apps} rowKey={(a) => a.id} empty="No document submitted yet."
          columns={[
            { key: 'topic', title: 'Topic', render: (a) => topicName(a.topic) },
            { key: 'status', title: 'Application', render: (a) => <Badge tone={a.status === 'approved' ? 'ok' : a.status === 'rejected' ? 'bad' : 'info'}>{a.status}</Badge> },
            { key: 'cid', title: 'Sealed document', render: (a) => <Mono title={a.cid}>{short(a.cid, 10)}</Mono> },
            { key: 'submitted', title: 'Submitted', render: (a) => relative(a.createdAt) },
            { key: 'open', title: '', render: (a) => <Button class="small" busy={openUpload.busy} onClick={() => openUpload.run(a.id)}>Open<span class="sr-only"> {topicName(a.topic)} upload {a.id.slice(0, 8)}</span></Button> },
          ]} />
      </Panel>
      {openUpload.error !== undefined && <ProblemNotice error={openUpload.error} />}
      <div class="grid cols-2">
        <GrantForm s={s} identity={identity} docs={claimDocs} onDone={() => setTick((t) => t + 1)} />
        <Grants s={s} identity={identity} tick={tick} onChange={() => setTick((t) => t + 1)} />
      </div>
    </>
  );
}

function Grants({ s, identity, tick, onChange }: { s: Session; identity: Address; tick: number; onChange: () => void }) {
  const [topic, setTopic] = useState('');
  // The subject's own grants, which this table revokes with id_revokeClaimAccess (delegations have their own screen).
  const grants = useAsync(async () => (await client.rpc.id_listAccessGrants({ identity, ...(topic ? { topic: Number(topic) } : {}) })).filter((g) => g.kind === 'direct'), [identity, topic, tick]);
  const revoke = useAction(async (t: number, verifier: string) => {
    await client.write('id_revokeClaimAccess', { identity, topic: t, verifier: verifier as Address }, s.signer);
    toast('ok', 'Grant revoked', `${short(verifier)} can no longer read your ${topicName(t)} document`);
    onChange();
  });
  return (
    <Panel title="Grants" flush actions={
      <SelectField label="Topic" name="grantTopic" value={topic} onChange={setTopic}
        options={[{ value: '', label: 'All topics' }, ...[1, 2, 3, 4, 5, 6, 7, 8].map((t) => ({ value: String(t), label: topicName(t) }))]} />
    }>
      {revoke.error !== undefined && <div class="body"><ProblemNotice error={revoke.error} /></div>}
      {grants.error !== undefined && <div class="body"><ProblemNotice error={grants.error} /></div>}
      <DataTable caption="Grants" rows={grants.data ?? []} rowKey={(g) => `${g.topic}-${g.verifier}-${g.createdAt}`} empty={grants.loading ? 'Loading…' : topic ? `No grant on ${topicName(Number(topic))}.` : 'You have granted nothing.'}
        columns={[
          { key: 'verifier', title: 'Verifier', render: (g) => <Mono title={`${g.verifier}\n${g.verifierKey}`}>{short(g.verifier)}</Mono> },
          { key: 'topic', title: 'Topic', render: (g) => topicName(g.topic) },
          { key: 'status', title: 'Status', render: (g) => <Badge tone={g.status === 'active' && g.onChain ? 'ok' : 'neutral'}>{g.status}</Badge> },
          { key: 'expires', title: 'Until', render: (g) => (g.status === 'revoked' ? `ended ${date(g.revokedAt)}` : g.expiresAt ? date(g.expiresAt) : 'until you revoke it') },
          { key: 'x', title: '', render: (g) => (g.status === 'active' ? <Button class="small danger" busy={revoke.busy} onClick={() => revoke.run(g.topic, g.verifier)}>Revoke<span class="sr-only"> {topicName(g.topic)} grant to {g.verifier}</span></Button> : null) },
        ]} />
    </Panel>
  );
}

function GrantForm({ s, identity, docs, onDone }: { s: Session; identity: Address; docs: ClaimDoc[]; onDone: () => void }) {
  const [cid, setCid] = useState('');
  const [verifier, setVerifier] = useState('');
  const [verifierKey, setVerifierKey] = useState('');
  const [days, setDays] = useState('30');
  const [errors, setErrors] = useState<Errors>({});
  const [link, setLink] = useState<string>();
  const chosen = docs.find((d) => d.cid === cid) ?? docs[0];
  const a = useAction(async () => {
    if (!chosen) return;
    const d = Number(days);
    const expiresAt = Math.floor(Date.now() / 1000) + d * 86400;
    const errs = checkAll([['verifier', grantParams.verifier, verifier.trim()], ['verifierKey', grantParams.verifierKey, verifierKey.trim()], ['expiresAt', grantParams.expiresAt, expiresAt]]);
    if (!Number.isInteger(d) || d < 1 || d > 3650) errs.expiresAt = 'between 1 and 3650 days';
    setErrors(errs);
    if (hasErrors(errs)) return;
    const mine = envelopeForSession(chosen.envelopes, s);
    if (!mine) throw new Error('No envelope for your keys on this document: it cannot be re-wrapped.');
    const { rewrapFor } = await documentCrypto();
    // The document key is re-wrapped here, from your envelope to the verifier's did:key: the node never sees it.
    const envelope = await rewrapFor(mine.envelope, mine.key, verifierKey.trim());
    try {
      await client.write('id_grantClaimAccess', { identity, topic: chosen.topic, verifier: verifier.trim() as Address, verifierKey: verifierKey.trim(), envelope, expiresAt }, s.signer);
    } catch (e) {
      const f = fieldFromRefusal(e, ['verifier', 'verifierKey', 'expiresAt']);
      if (f) { setErrors(f); return; }
      throw e;
    }
    const { delegateRead } = await import('../../../../sdk/capability.js');
    const delegation = await delegateRead(s.signer as never, { chainId: await client.chainId(), verifier: verifier.trim() as Address, identity, topic: chosen.topic, seconds: d * 86400 });
    const token = encodeAccessToken({ v: 1, holder: s.signer.address, identity, topic: chosen.topic, delegation: toBase64(delegation.bytes) });
    setLink(`${location.origin}/#/verifier/documents?grant=${token}`);
    toast('ok', 'Access granted', `Send the access link to ${short(verifier.trim())}`);
    onDone();
  });
  if (!docs.length) return <Panel title="Grant access"><p class="muted" style={{ margin: 0 }}>A document can be granted once a claim binds it.</p></Panel>;
  return (
    <Panel title="Grant access to a verifier">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <SelectField label="Document" name="document" value={chosen?.cid ?? ''} onChange={setCid}
          options={docs.map((x) => ({ value: x.cid, label: `${topicName(x.topic)} · ${x.uploaded ? 'your upload' : `report by ${x.issuerName}`}` }))} />
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
