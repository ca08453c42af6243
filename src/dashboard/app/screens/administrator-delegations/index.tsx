// Fund administrator: who I am to investors (my wallet's DID, my encryption key published on my identity so an
// investor can delegate to my DID alone) and the delegations investors made me, from the links they sent, each
// topic with its state read from the investor's identity on chain (active, expired, withdrawn).
import { useEffect, useState } from 'preact/hooks';
import type { Address } from 'viem';
import { delegationTopic } from '../../../../documents/delegation.js';
import { client } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import { short, topicName } from '../../lib/format.js';
import { accessGrantOnChain } from '../../lib/chain.js';
import { decodeDelegationToken, tokenOfLink, type DelegationToken } from '../../lib/access-link.js';
import { localRecords } from '../../lib/local-records.js';
import { pkhOf } from '../../lib/parties.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { GrantState, grantState, grantUntil, type OnChainGrant } from '../../ui/grant-state.js';
import { Badge, Button, CopyButton, DataTable, Loading, Mono, Page, Panel, ProblemNotice, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { myIdentity } from '../investor-onboarding/index.js';

export const inbox = (s: Session) =>
  localRecords<DelegationToken>(`administrator-inbox:${s.signer.address.toLowerCase()}`, (a, b) => a.identity === b.identity && a.delegation === b.delegation);

export interface ReceivedTopic { token: DelegationToken; topic: number; chain: OnChainGrant }

/** Each (investor identity, topic) delegated to me, from the newest link naming it, with its state on chain. */
export async function receivedDelegations(s: Session): Promise<ReceivedTopic[]> {
  const newest = new Map<string, { token: DelegationToken; topic: number }>();
  for (const token of (await inbox(s).list()).sort((a, b) => a.expiresAt - b.expiresAt)) {
    for (const topic of token.topics) newest.set(`${token.identity}-${topic}`, { token, topic });
  }
  return Promise.all([...newest.values()].map(async (r) => ({ ...r, chain: await accessGrantOnChain(r.token.identity, s.signer.address, delegationTopic(BigInt(r.topic))) })));
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
  const rows = useAsync(() => receivedDelegations(s), [s.signer.address, tick]);
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
      <Setup s={s} />
      <div class="grid side">
        <Panel title="Delegations" flush>
          {rows.error !== undefined ? <ProblemNotice error={rows.error} /> : (
            <DataTable caption="Delegations received" rows={rows.data ?? []} rowKey={(r) => `${r.token.identity}-${r.topic}`} empty={rows.loading ? 'Loading…' : 'No delegation yet: an investor sends you a link when delegating.'}
              columns={[
                { key: 'investor', title: 'Investor', render: (r) => <Mono title={r.token.holder}>{short(r.token.holder)}</Mono> },
                { key: 'identity', title: 'Identity', render: (r) => <Mono title={r.token.identity}>{short(r.token.identity)}</Mono> },
                { key: 'topic', title: 'Topic', render: (r) => <strong>{topicName(r.topic)}</strong> },
                { key: 'until', title: 'Until', render: (r) => grantUntil(r.chain, r.token.expiresAt) },
                { key: 'state', title: 'State', render: (r) => <GrantState g={r.chain} /> },
                { key: 'x', title: '', render: (r) => (grantState(r.chain) === 'active'
                  ? <a class="button small" href={`#/administrator/grants?identity=${r.token.identity}&topic=${r.topic}`}>Grant a regulator<span class="sr-only"> {topicName(r.topic)} of {r.token.identity}</span></a> : null) },
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

/** My DIDs for investors, and what grants need: an identity of mine (grants are recorded on it) and my key on it. */
function Setup({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const me = useAsync(async () => ({ id: await myIdentity(s.signer.address), chainId: await client.chainId() }), [s.signer.address, tick]);
  const create = useAction(async () => {
    const r = await client.write('id_createIdentity', { wallet: s.signer.address }, s.signer);
    toast('ok', 'Identity deployed', short(r.identity));
    setTick((t) => t + 1);
  });
  const publish = useAction(async (identity: Address) => {
    await client.write('id_addEncryptionKey', { identity, key: s.encryption.did }, s.signer);
    toast('ok', 'Encryption key published', 'Investors can now delegate to your DID alone');
    setTick((t) => t + 1);
  });
  if (me.error) return <ProblemNotice error={me.error} />;
  if (!me.data) return <Loading what="your identity" />;
  const { id, chainId } = me.data;
  const did = pkhOf(chainId, s.signer.address);
  const published = !!id?.encryptionKeys.some((k) => k.did === s.encryption.did);
  return (
    <Panel title="You as an administrator">
      <dl class="kv">
        <dt>Your DID</dt><dd><Mono>{did}</Mono> <CopyButton text={did} /></dd>
        <dt>Encryption key</dt><dd><Mono title={s.encryption.did}>{short(s.encryption.did, 14)}</Mono> <CopyButton text={s.encryption.did} /></dd>
        <dt>Identity</dt><dd>{id ? <Mono>{id.identity}</Mono> : <><Badge tone="warn">none yet</Badge> <Button class="small primary" busy={create.busy} busyLabel="Deploying…" onClick={() => create.run()}>Create my identity</Button></>}</dd>
        <dt>Key on the identity</dt><dd>{published ? <Badge tone="ok">published: your DID document lists it</Badge>
          : <><Badge tone="warn">not published</Badge> {id && <Button class="small" busy={publish.busy} busyLabel="Publishing…" onClick={() => publish.run(id.identity as Address)}>Publish my encryption key</Button>}</>}</dd>
      </dl>
      {create.error !== undefined && <ProblemNotice error={create.error} />}
      {publish.error !== undefined && <ProblemNotice error={publish.error} />}
    </Panel>
  );
}
