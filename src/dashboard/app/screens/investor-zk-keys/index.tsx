// The investor's zero-knowledge holder keys: the Baby Jubjub keys of its holder identity (derived in this page from
// the unlocked key: key 0 is the genesis key, each rotation adds the next one), its state on chain, and key rotation
// made here: the next key in, the current one out, the transition signed by the outgoing key and proven in this
// browser, published through the node. Once the rotation is on chain the old key no longer fetches claims from
// issuers' nodes nor proves at the GIST roots after it (proofs are made with the key of the state on chain: the
// holder-auth proof, circuits/README.md "Holder key rotation"); verifiers still accept a proof at a root replaced less
// than their window ago (one hour by default), the page says so. Claims keep naming the same holder ID.
import { useState } from 'preact/hooks';
import { ms, short } from '../../lib/format.js';
import type { PageHolder } from '../../lib/zk-holder.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, useAction, useAsync } from '../../ui/kit.js';

export default function ZkKeys() {
  return (
    <Page title="Zero-knowledge keys" intro="The keys of your zero-knowledge holder identity. Rotate them if a device or backup may be exposed: once the rotation is on chain your proofs are made with the new key, the old key no longer fetches your credentials nor proves, and your credentials stay yours.">
      <KeyGate purpose="Your holder keys are derived from your unlocked key.">{(s) => <KeysView s={s} />}</KeyGate>
    </Page>
  );
}

function KeysView({ s }: { s: Session }) {
  const holder = useAsync(async () => (await import('../../lib/zk-holder.js')).pageHolder(s), [s.signer.address]);
  if (holder.error) return <ProblemNotice error={holder.error} />;
  if (!holder.data) return <Loading what="your holder identity and its state on chain" />;
  return <Keys h={holder.data} />;
}

function Keys({ h }: { h: PageHolder }) {
  const [, setTick] = useState(0);
  const [done, setDone] = useState<{ added: number; newState: string; ms: number }>();
  const rotate = useAction(async () => {
    setDone(await h.rotate());
    setTick((t) => t + 1);
  });
  const view = h.keys();
  return (
    <div class="grid side">
      <div class="stack">
        <Panel title="Authentication keys" flush>
          <DataTable caption="Authentication keys" rows={view.keys} rowKey={(k) => String(k.slot)} empty="No key."
            columns={[
              { key: 'key', title: 'Key', render: (k) => (k.index === 0 ? 'Genesis key' : `Key #${k.index}`) },
              { key: 'slot', title: 'Slot', render: (k) => String(k.slot) },
              { key: 'x', title: 'Public key (x)', render: (k) => <Mono title={k.x}>{short(k.x, 8)}</Mono> },
              { key: 'status', title: 'Status', render: () => <Badge tone="ok">current: proves and fetches</Badge> },
            ]} />
        </Panel>
        <Panel title="Rotate the key">
          <div class="stack">
            <p class="small muted" style={{ margin: 0 }}>
              Adds key #{Math.max(...view.keys.map((k) => k.index)) + 1} and removes the current one, in one state transition proven in this browser (a few seconds) and published on chain.
              Verifiers may still accept a proof by the old key made against the identity tree as it was before the rotation, for as long as they accept older roots (one hour by default).
            </p>
            <div class="row"><Button busy={rotate.busy} busyLabel="Proving and publishing…" onClick={() => void rotate.run()}>Rotate my key</Button></div>
            {rotate.error !== undefined && <ProblemNotice error={rotate.error} />}
            {done && (
              <Notice tone="ok" title="Key rotated.">
                {' '}Key #{done.added} is now the key of your identity on chain and your proofs are made with it; the old key is removed. Proof made here in {ms(done.ms)}.
              </Notice>
            )}
          </div>
        </Panel>
      </div>
      <Panel title="My holder identity">
        <dl class="kv">
          <dt>Holder ID</dt><dd><Mono title={h.did}>{short(h.did, 14)}</Mono></dd>
          <dt>State</dt><dd><Mono title={view.state}>{short(view.state, 10)}</Mono></dd>
          <dt>On chain</dt><dd>{view.genesis ? <Badge tone="info">genesis (never rotated)</Badge> : <Badge tone="ok">published</Badge>}</dd>
        </dl>
      </Panel>
    </div>
  );
}
