// Fund administrator: grant a regulator one delegated topic of an investor, while the investor is offline. In this
// page: the key the investor wrapped for me (id_getClaimDelegation: the envelope only, never the document) is
// re-wrapped for the regulator's did:key, the grant is recorded on my own identity (id_grantDelegatedAccess), and a
// UCAN narrowing the investor's delegation to that one topic is signed here and handed over as an access link with
// the investor's delegation as its proof. The grants I made, with their state on chain; revoke one.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { toBase64 } from '../../../../sdk/base64.js';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { nowSec, short, topicName } from '../../lib/format.js';
import { documentCrypto } from '../../lib/documents.js';
import { encodeAccessToken } from '../../lib/access-link.js';
import { localRecords } from '../../lib/local-records.js';
import { pkhOf, resolveRecipient } from '../../lib/parties.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { LinkNotice } from '../../ui/link-notice.js';
import { GrantState, grantState, grantUntil, type ListedGrant } from '../../ui/grant-state.js';
import { Button, CopyButton, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, SelectField, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { check, fieldFromRefusal, hasErrors, type Errors } from '../../ui/validate.js';
import { myIdentity } from '../investor-onboarding/index.js';
import { administratorView, type ReceivedTopic } from '../administrator-delegations/index.js';

const params = api.id_grantDelegatedAccess.params.shape;

/** The access link of a grant this browser made (the grants themselves come from the node). */
interface Link { identity: Address; topic: number; regulator: Address; link: string }
const linksOf = (s: Session) => localRecords<Link>(`administrator-grant-links:${s.signer.address.toLowerCase()}`, (a, b) => a.identity === b.identity && a.topic === b.topic && a.regulator === b.regulator);
const linkKey = (l: { identity: string; topic: number; regulator: string }) => `${l.identity.toLowerCase()}-${l.topic}-${l.regulator.toLowerCase()}`;

export default function AdministratorGrants({ route }: { route: Route }) {
  return (
    <Page title="Regulator grants" intro="Grant a regulator one document an investor delegated to you: its key is re-wrapped in this page for the regulator, the grant recorded on your identity. You never see the document.">
      <KeyGate purpose="Your administrator key opens the keys investors wrapped for you and signs your grants.">{(s) => <Grants s={s} route={route} />}</KeyGate>
    </Page>
  );
}

function Grants({ s, route }: { s: Session; route: Route }) {
  const [tick, setTick] = useState(0);
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const adminIdentity = id.identity as Address;
    const [{ received, made }, links] = await Promise.all([administratorView(s), linksOf(s).list()]);
    const link = new Map(links.map((l) => [linkKey(l), l.link]));
    const rows = made.map((g) => ({ g, link: link.get(linkKey({ ...g, regulator: g.verifier })) }));
    return { adminIdentity, received: received.filter((r) => r.token && grantState(r.g) === 'active'), rows };
  }, [s.signer.address, tick]);
  const revoke = useAction(async (g: ListedGrant) => {
    const delegateIdentity = (g.delegation?.delegateIdentity ?? data.data!.adminIdentity) as Address;
    await client.write('id_revokeDelegatedAccess', { identity: g.identity as Address, topic: g.topic, delegateIdentity, regulator: g.verifier as Address }, s.signer);
    toast('ok', 'Grant revoked', `${short(g.verifier)} can no longer read the ${topicName(g.topic)} document of ${short(g.identity)}`);
    setTick((t) => t + 1);
  });
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your delegations and grants" />;
  if (!data.data) return <Notice tone="info" title="No identity yet">Your grants are recorded on your identity: <a href="#/administrator/delegations">create it</a> first.</Notice>;
  const { adminIdentity, received, rows } = data.data;
  return (
    <div class="grid side">
      <Panel title="Grants made" flush>
        {revoke.error !== undefined && <div class="body"><ProblemNotice error={revoke.error} /></div>}
        <DataTable caption="Grants made" rows={rows} rowKey={(r) => linkKey({ ...r.g, regulator: r.g.verifier })} empty="You have granted nothing."
          columns={[
            { key: 'regulator', title: 'Regulator', render: (r) => <Mono title={r.g.verifier}>{short(r.g.verifier)}</Mono> },
            { key: 'doc', title: 'Document', render: (r) => <>{topicName(r.g.topic)} <span class="muted small">of</span> <Mono title={r.g.identity}>{short(r.g.identity)}</Mono></> },
            { key: 'until', title: 'Until', render: (r) => grantUntil(r.g) },
            { key: 'state', title: 'State', render: (r) => <GrantState g={r.g} /> },
            { key: 'x', title: '', render: (r) => <div class="row">{r.link && <CopyButton text={r.link} label="Copy link" />}{r.g.status === 'active' && r.g.onChain ? <Button class="small danger" busy={revoke.busy} onClick={() => revoke.run(r.g)}>Revoke<span class="sr-only"> grant to {r.g.verifier}</span></Button> : null}</div> },
          ]} />
      </Panel>
      <GrantForm s={s} adminIdentity={adminIdentity} received={received} route={route} onDone={() => setTick((t) => t + 1)} />
    </div>
  );
}

function GrantForm({ s, adminIdentity, received, route, onDone }: { s: Session; adminIdentity: Address; received: ReceivedTopic[]; route: Route; onDone: () => void }) {
  const keyOf = (r: ReceivedTopic) => `${r.g.identity}:${r.g.topic}`;
  const asked = `${route.query.get('identity') ?? ''}:${route.query.get('topic') ?? ''}`.toLowerCase();
  const [chosenKey, setChosen] = useState(received.find((r) => keyOf(r).toLowerCase() === asked) ? keyOf(received.find((r) => keyOf(r).toLowerCase() === asked)!) : '');
  const [regulator, setRegulator] = useState('');
  const [regulatorKey, setRegulatorKey] = useState('');
  const [days, setDays] = useState('30');
  const [errors, setErrors] = useState<Errors>({});
  const [link, setLink] = useState<string>();
  const chosen = received.find((r) => keyOf(r) === chosenKey) ?? received[0];
  const a = useAction(async () => {
    if (!chosen) return;
    setLink(undefined);
    const token = chosen.token!;
    const { identity, holder } = token;
    const topic = chosen.g.topic;
    const chainId = await client.chainId();
    const d = Number(days);
    const now = nowSec();
    // Never beyond the investor's own delegation: the UCAN chain would not hold past it anyway.
    const expiresAt = Math.min(now + d * 86400, token.expiresAt);
    const errs: Errors = {};
    if (!Number.isInteger(d) || d < 1 || d > 3650) errs.expiresAt = 'between 1 and 3650 days';
    else errs.expiresAt = check(params.expiresAt, expiresAt);
    const who = await resolveRecipient({ party: regulator, key: regulatorKey, chainId, fields: { party: 'regulator', key: 'regulatorKey' }, schemas: { address: params.regulator, key: params.regulatorKey } });
    if ('errors' in who) Object.assign(errs, who.errors);
    setErrors(errs);
    if (hasErrors(errs) || 'errors' in who) return;
    // The key the investor wrapped for me, re-wrapped here for the regulator: the document itself never comes here.
    const dlg = await client.write('id_getClaimDelegation', { identity, topic }, s.signer);
    const { rewrapFor } = await documentCrypto();
    const envelope = await rewrapFor(dlg.envelope, s.encryption, who.key);
    try {
      await client.write('id_grantDelegatedAccess', { identity, topic, delegateIdentity: adminIdentity, regulator: who.address, regulatorKey: who.key, envelope, expiresAt }, s.signer);
    } catch (e) {
      const f = fieldFromRefusal(e, ['regulator', 'regulatorKey', 'expiresAt']);
      if (f) { setErrors(f); return; }
      throw e;
    }
    const { delegateOnward } = await import('../../../../sdk/capability.js');
    const ucan = await delegateOnward(s.signer as never, { chainId, holder, regulator: who.address, identity, topic, seconds: expiresAt - now, now });
    const grant = encodeAccessToken({ v: 1, holder, identity, topic, delegation: toBase64(ucan.bytes), proofs: [token.delegation], via: s.signer.address });
    const url = `${location.origin}/#/verifier/documents?grant=${grant}`;
    await linksOf(s).put({ identity, topic, regulator: who.address, link: url });
    setLink(url);
    toast('ok', 'Regulator granted', `Send the access link to ${short(pkhOf(chainId, who.address), 14)}`);
    onDone();
  });
  if (!received.length) return <Panel title="Grant a regulator"><p class="muted" style={{ margin: 0 }}>No active delegation: <a href="#/administrator/delegations">add an investor's delegation link</a> first.</p></Panel>;
  return (
    <Panel title="Grant a regulator">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <SelectField label="Delegated document" name="delegated" value={chosen ? keyOf(chosen) : ''} onChange={setChosen}
          options={received.map((r) => ({ value: keyOf(r), label: `${topicName(r.g.topic)} · investor ${short(r.token!.holder)}` }))} />
        <TextField label="Regulator (DID)" name="regulator" value={regulator} onInput={setRegulator} placeholder="did:pkh:eip155:…:0x…" hint="Its wallet's did:pkh, or the wallet address." error={errors.regulator} />
        <TextField label="Regulator's encryption key (did:key, optional)" name="regulatorKey" value={regulatorKey} onInput={setRegulatorKey} placeholder="did:key:z…"
          hint="Left empty, the key its DID document lists (when its identity publishes keys, it must be one of them)." error={errors.regulatorKey} />
        <TextField label="Valid for (days)" name="days" value={days} onInput={setDays} type="number" hint="At most until the investor's delegation ends." error={errors.expiresAt} />
        {a.error !== undefined && <ProblemNotice error={a.error} />}
        <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Re-wrapping and granting…">Grant access</Button></div>
        {link && (
          <LinkNotice title="Access link for the regulator" label="Access link" link={link}>It carries the investor's delegation and yours, narrowed to this document, in the link's fragment (never sent to a server). Alone it grants nothing: the regulator signs each read, and both grants on chain must stand.</LinkNotice>
        )}
      </form>
    </Panel>
  );
}
