// Delegation to a fund administrator: the investor lets its administrator grant regulators some of its claim
// documents while the investor is offline. Everything is made in this page: for each topic the document key is
// re-wrapped from the investor's envelope to the administrator's did:key and recorded on chain as a delegation grant
// (id_delegateClaimAccess: never a read grant), and one UCAN delegation of the chosen topics (the attenuation) is
// signed here and handed to the administrator as a link. Withdrawing a topic cuts every regulator it reached.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { toBase64 } from '../../../../sdk/base64.js';
import { client } from '../../lib/rpc.js';
import { nowSec, short, topicName } from '../../lib/format.js';
import { documentCrypto } from '../../lib/documents.js';
import { encodeAccessToken } from '../../lib/access-link.js';
import { localRecords } from '../../lib/local-records.js';
import { pkhOf, resolveRecipient } from '../../lib/parties.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { LinkNotice } from '../../ui/link-notice.js';
import { GrantState, grantUntil } from '../../ui/grant-state.js';
import { Button, CopyButton, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { check, fieldFromRefusal, hasErrors, type Errors } from '../../ui/validate.js';
import { myIdentity } from '../investor-onboarding/index.js';

const params = api.id_delegateClaimAccess.params.shape;

/** The link of a delegation this browser made, per administrator and topic (the delegations come from the node). */
interface Link { administrator: Address; topic: number; link: string }
const linkKey = (administrator: string, topic: number) => `${administrator.toLowerCase()}-${topic}`;
const linksOf = (s: Session) => localRecords<Link>(`investor-delegation-links:${s.signer.address.toLowerCase()}`, (a, b) => linkKey(a.administrator, a.topic) === linkKey(b.administrator, b.topic));

export default function InvestorDelegation() {
  return (
    <Page title="Fund administrator" intro="Let your fund administrator grant regulators chosen documents while you are offline. It receives each document's key re-wrapped here for its own key, never a document: it holds no read grant and the node gives it no ciphertext.">
      <KeyGate purpose="Delegating re-wraps your documents' keys with your encryption key and signs with your wallet.">{(s) => <Delegations s={s} />}</KeyGate>
    </Page>
  );
}

function Delegations({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const identity = id.identity as Address;
    const docs = await client.write('id_listClaimDocuments', { identity }, s.signer);
    // Only documents this key can re-wrap: those with an envelope for it.
    const mine = docs.flatMap((d) => { const e = d.envelopes.find((x) => x.recipient === s.encryption.did); return e ? [{ topic: d.topic, envelope: e.envelope }] : []; });
    // The node lists my delegations and the grants administrators made under them, each with its state on chain.
    const [grants, links] = await Promise.all([client.rpc.id_listAccessGrants({ identity }), linksOf(s).list()]);
    const link = new Map(links.map((l) => [linkKey(l.administrator, l.topic), l.link]));
    const newest = (a: { createdAt: number }, b: { createdAt: number }) => b.createdAt - a.createdAt;
    const rows = grants.filter((g) => g.kind === 'delegation').sort(newest).map((g) => ({ g, link: link.get(linkKey(g.verifier, g.topic)) }));
    return { identity, mine, rows, onward: grants.filter((g) => g.kind === 'delegated').sort(newest) };
  }, [s.signer.address, tick]);
  const revoke = useAction(async (topic: number, delegate: Address) => {
    await client.write('id_revokeClaimDelegation', { identity: data.data!.identity, topic, delegate }, s.signer);
    toast('ok', 'Delegation withdrawn', `${short(delegate)} can no longer grant your ${topicName(topic)} document, and every regulator it granted lost access`);
    setTick((t) => t + 1);
  });
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your documents and delegations" />;
  if (!data.data) return <Notice tone="info" title="No identity yet"><a href="#/investor/onboarding">Start onboarding</a> first.</Notice>;
  const { identity, mine, rows, onward } = data.data;
  return (
    <div class="grid side">
      <div class="stack">
        <Panel title="Delegations" flush>
          {revoke.error !== undefined && <div class="body"><ProblemNotice error={revoke.error} /></div>}
          <DataTable caption="Delegations" rows={rows} rowKey={(r) => linkKey(r.g.verifier, r.g.topic)} empty="You have delegated nothing."
            columns={[
              { key: 'admin', title: 'Administrator', render: (r) => <Mono title={r.g.verifier}>{short(r.g.verifier)}</Mono> },
              { key: 'topic', title: 'Topic', render: (r) => topicName(r.g.topic) },
              { key: 'until', title: 'Until', render: (r) => grantUntil(r.g) },
              { key: 'state', title: 'State', render: (r) => <GrantState g={r.g} /> },
              { key: 'x', title: '', render: (r) => <div class="row">{r.link && <CopyButton text={r.link} label="Copy link" />}{r.g.status === 'active' && r.g.onChain ? <Button class="small danger" busy={revoke.busy} onClick={() => revoke.run(r.g.topic, r.g.verifier as Address)}>Withdraw<span class="sr-only"> {topicName(r.g.topic)} from {r.g.verifier}</span></Button> : null}</div> },
            ]} />
        </Panel>
        <Panel title="Regulators your administrators granted" flush>
          <DataTable caption="Regulators granted through your administrators" rows={onward} rowKey={(g) => `${g.grantedBy}-${g.verifier}-${g.topic}`} empty="No regulator granted yet."
            columns={[
              { key: 'regulator', title: 'Regulator', render: (g) => <Mono title={g.verifier}>{short(g.verifier)}</Mono> },
              { key: 'topic', title: 'Topic', render: (g) => topicName(g.topic) },
              { key: 'by', title: 'Granted by', render: (g) => <Mono title={g.grantedBy ?? ''}>{short(g.grantedBy)}</Mono> },
              { key: 'until', title: 'Until', render: (g) => grantUntil(g) },
              { key: 'state', title: 'State', render: (g) => <GrantState g={g} /> },
            ]} />
        </Panel>
      </div>
      <DelegateForm s={s} identity={identity} mine={mine} onDone={() => setTick((t) => t + 1)} />
    </div>
  );
}

function DelegateForm({ s, identity, mine, onDone }: { s: Session; identity: Address; mine: { topic: number; envelope: string }[]; onDone: () => void }) {
  const [admin, setAdmin] = useState('');
  const [adminKey, setAdminKey] = useState('');
  const [topics, setTopics] = useState<number[]>([]);
  const [days, setDays] = useState('90');
  const [errors, setErrors] = useState<Errors>({});
  const [link, setLink] = useState<string>();
  const a = useAction(async () => {
    setLink(undefined);
    const chainId = await client.chainId();
    const d = Number(days);
    const now = nowSec();
    const expiresAt = now + d * 86400;
    const errs: Errors = {};
    if (!Number.isInteger(d) || d < 1 || d > 3650) errs.expiresAt = 'between 1 and 3650 days';
    else errs.expiresAt = check(params.expiresAt, expiresAt);
    if (!topics.length) errs.topic = 'choose at least one document';
    else errs.topic = topics.map((t) => check(params.topic, t)).find(Boolean);
    const who = await resolveRecipient({ party: admin, key: adminKey, chainId, fields: { party: 'delegate', key: 'delegateKey' }, schemas: { address: params.delegate, key: params.delegateKey } });
    if ('errors' in who) Object.assign(errs, who.errors);
    setErrors(errs);
    if (hasErrors(errs) || 'errors' in who) return;
    const { rewrapFor } = await documentCrypto();
    for (const topic of topics) {
      // The key of this topic's document, re-wrapped here from your envelope to the administrator's did:key.
      const envelope = await rewrapFor(mine.find((m) => m.topic === topic)!.envelope, s.encryption, who.key);
      try {
        await client.write('id_delegateClaimAccess', { identity, topic, delegate: who.address, delegateKey: who.key, envelope, expiresAt }, s.signer);
      } catch (e) {
        const f = fieldFromRefusal(e, ['delegate', 'delegateKey', 'expiresAt', 'topic']);
        if (f) { setErrors(f); return; }
        throw e;
      }
    }
    // One UCAN for all the topics (the attenuation): the administrator narrows it to one topic per regulator.
    const { delegateToAdministrator } = await import('../../../../sdk/capability.js');
    const ucan = await delegateToAdministrator(s.signer as never, { chainId, administrator: who.address, identity, topics, seconds: d * 86400, now });
    const token = encodeAccessToken({ v: 1, holder: s.signer.address, identity, topics, expiresAt, delegation: toBase64(ucan.bytes) });
    const url = `${location.origin}/#/administrator/delegations?delegation=${token}`;
    for (const topic of topics) await linksOf(s).put({ administrator: who.address, topic, link: url });
    setLink(url);
    toast('ok', 'Delegated', `Send the delegation link to ${short(pkhOf(chainId, who.address), 14)}`);
    onDone();
  });
  if (!mine.length) return <Panel title="Delegate to a fund administrator"><p class="muted" style={{ margin: 0 }}>A document can be delegated once a claim with a document for your key is issued.</p></Panel>;
  const toggle = (t: number, on: boolean) => setTopics((x) => (on ? [...x.filter((y) => y !== t), t].sort((p, q) => p - q) : x.filter((y) => y !== t)));
  return (
    <Panel title="Delegate to a fund administrator">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <TextField label="Administrator (DID)" name="delegate" value={admin} onInput={setAdmin} placeholder="did:pkh:eip155:…:0x…" hint="Its wallet's did:pkh, or the wallet address." error={errors.delegate} />
        <TextField label="Administrator's encryption key (did:key, optional)" name="delegateKey" value={adminKey} onInput={setAdminKey} placeholder="did:key:z…"
          hint="Left empty, the key its DID document lists." error={errors.delegateKey} />
        <fieldset class="field" aria-describedby={errors.topic ? 'dlg-topics-err' : undefined}>
          <legend>Documents it may grant</legend>
          {mine.map((m) => (
            <label key={m.topic} class="row" style={{ gap: 6 }}>
              <input type="checkbox" name="topic" value={String(m.topic)} checked={topics.includes(m.topic)} onChange={(e) => toggle(m.topic, (e.target as HTMLInputElement).checked)} />
              {topicName(m.topic)}
            </label>
          ))}
          {errors.topic && <span class="error" id="dlg-topics-err" role="alert">{errors.topic}</span>}
        </fieldset>
        <TextField label="Valid for (days)" name="days" value={days} onInput={setDays} type="number" error={errors.expiresAt} />
        {a.error !== undefined && <ProblemNotice error={a.error} />}
        <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Re-wrapping and delegating…">Delegate</Button></div>
        {link && (
          <LinkNotice title="Delegation link for the administrator" label="Delegation link" link={link}>It carries your signed UCAN delegation of these topics in the link's fragment (never sent to a server). Alone it grants nothing: the delegation on chain must stand, and you can withdraw it here.</LinkNotice>
        )}
      </form>
    </Panel>
  );
}
