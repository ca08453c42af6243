// Fund administrator: who I am to investors (my wallet's DID, my encryption key published on my identity so an
// investor can delegate to my DID alone) and the delegations investors made me (id_listAccessGrants by delegate:
// topic, expiry, state on chain), joined with the links they sent (their UCAN, which my grants extend).
import { useEffect, useState } from 'preact/hooks';
import type { Address } from 'viem';
import { client } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import { short, topicName } from '../../lib/format.js';
import { decodeDelegationToken, tokenOfLink, type DelegationToken } from '../../lib/access-link.js';
import { localRecords } from '../../lib/local-records.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { PartySetup } from '../../ui/party-setup.js';
import { GrantState, grantState, grantUntil, type ListedGrant } from '../../ui/grant-state.js';
import { Badge, Button, DataTable, Mono, Page, Panel, ProblemNotice, TextField, useAsync } from '../../ui/kit.js';

const inbox = (s: Session) =>
  localRecords<DelegationToken>(`administrator-inbox:${s.signer.address.toLowerCase()}`, (a, b) => a.identity === b.identity && a.delegation === b.delegation);

/** A delegation to me as the node lists it, with the investor's link for it when this browser holds one. */
export interface ReceivedTopic { g: ListedGrant; token?: DelegationToken }

/** Everything granted to or by me through delegations (id_listAccessGrants by delegate), delegations joined with their links. */
export async function administratorView(s: Session): Promise<{ received: ReceivedTopic[]; made: ListedGrant[] }> {
  const [rows, tokens] = await Promise.all([client.rpc.id_listAccessGrants({ delegate: s.signer.address }), inbox(s).list()]);
  // The link whose UCAN names the topic and lasts longest.
  const tokenFor = (g: ListedGrant) => tokens.filter((t) => t.identity.toLowerCase() === g.identity.toLowerCase() && t.topics.includes(g.topic)).sort((a, b) => b.expiresAt - a.expiresAt)[0];
  const received = rows.filter((g) => g.kind === 'delegation').sort((a, b) => b.createdAt - a.createdAt).map((g) => ({ g, token: tokenFor(g) }));
  const made = rows.filter((g) => g.kind === 'delegated' && g.grantedBy?.toLowerCase() === s.signer.address.toLowerCase()).sort((a, b) => b.createdAt - a.createdAt);
  return { received, made };
}

export default function AdministratorDelegations({ route }: { route: Route }) {
  return (
    <Page title="Delegations received" intro="Investors delegate to you the right to grant regulators some of their documents. You receive document keys, never documents: you re-wrap a key for a regulator in this page and record the grant on your own identity.">
      <KeyGate purpose="Your administrator key signs your grants and holds the keys investors wrapped for you.">{(s) => <Received s={s} route={route} />}</KeyGate>
    </Page>
  );
}

function Received({ s, route }: { s: Session; route: Route }) {
  const [tick, setTick] = useState(0);
  const [paste, setPaste] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const rows = useAsync(async () => (await administratorView(s)).received, [s.signer.address, tick]);
  const add = async (raw: string) => {
    try {
      const t = decodeDelegationToken(tokenOfLink(raw, 'delegation'));
      await inbox(s).put(t);
      setPasteError(undefined);
      setPaste('');
      setTick((x) => x + 1);
    } catch (e) {
      setPasteError((e as Error).message);
    }
  };
  // A delegation link opened directly: keep its token in this browser, then drop it from the address bar.
  useEffect(() => {
    const d = route.query.get('delegation');
    if (d) add(d).then(() => navigate('/administrator/delegations'));
  }, [route.query.get('delegation')]);
  return (
    <>
      <Panel title="You as an administrator"><PartySetup s={s} grantors="Investors" /></Panel>
      <div class="grid side">
        <Panel title="Delegations" flush>
          {rows.error !== undefined ? <ProblemNotice error={rows.error} /> : (
            <DataTable caption="Delegations received" rows={rows.data ?? []} rowKey={(r) => `${r.g.identity}-${r.g.topic}`} empty={rows.loading ? 'Loading…' : 'No delegation yet: an investor sends you a link when delegating.'}
              columns={[
                { key: 'investor', title: 'Investor', render: (r) => (r.token ? <Mono title={r.token.holder}>{short(r.token.holder)}</Mono> : <span class="muted">—</span>) },
                { key: 'identity', title: 'Identity', render: (r) => <Mono title={r.g.identity}>{short(r.g.identity)}</Mono> },
                { key: 'topic', title: 'Topic', render: (r) => <strong>{topicName(r.g.topic)}</strong> },
                { key: 'until', title: 'Until', render: (r) => grantUntil(r.g) },
                { key: 'state', title: 'State', render: (r) => <GrantState g={r.g} /> },
                { key: 'x', title: '', render: (r) => (grantState(r.g) !== 'active' ? null : r.token
                  ? <a class="button small" href={`#/administrator/grants?identity=${r.g.identity}&topic=${r.g.topic}`}>Grant a regulator<span class="sr-only"> {topicName(r.g.topic)} of {r.g.identity}</span></a>
                  : <Badge tone="warn">ask the investor for its link</Badge>) },
              ]} />
          )}
        </Panel>
        <Panel title="Add a delegation link">
          <form class="stack" onSubmit={(e) => { e.preventDefault(); add(paste); }}>
            <TextField label="Delegation link or token" name="delegation" value={paste} onInput={setPaste} placeholder="https://…/#/administrator/delegations?delegation=…" error={pasteError} />
            <div class="row"><Button type="submit">Add</Button></div>
          </form>
        </Panel>
      </div>
    </>
  );
}
