// Zero-knowledge proofs, made in this browser: the investor's holder identity (derived from the unlocked key), the
// credentials issuers sealed to it (fetched with the holder's own signature, opened here, checked against the
// issuer's published state), and a verifier's request answered with two Groth16 proofs computed in this page (the
// holder's key of its state on chain, rotated or not, and the credential query), the proving time and the key shown.
// The proofs reveal only what the request asks; the node never sees the claim.
import { useState } from 'preact/hooks';
import type { CredentialQueryResponseJson } from '../../../../zk/request.js';
import { ms, short } from '../../lib/format.js';
import { describeRequest, parsePasted, requestSchema } from '../../lib/zk-query.js';
import type { PageHolder } from '../../lib/zk-holder.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, CopyButton, DataTable, Field, Loading, Mono, Notice, Page, Panel, ProblemNotice, useAction, useAsync } from '../../ui/kit.js';

export default function Proofs() {
  return (
    <Page title="Zero-knowledge proofs" intro="Prove a fact about your KYC claim (born before a date, resident of a country) without showing the claim. The proof is made in this browser.">
      <KeyGate purpose="Your holder key is derived from your unlocked key.">{(s) => <ProofsView s={s} />}</KeyGate>
    </Page>
  );
}

const Readonly = ({ label, value }: { label: string; value: string }) => (
  <Field label={label}>{(id, aria) => <div class="row"><input id={id} readOnly value={value} class="mono" {...aria} style={{ flex: 1 }} /><CopyButton text={value} /></div>}</Field>
);

function ProofsView({ s }: { s: Session }) {
  const holder = useAsync(async () => (await import('../../lib/zk-holder.js')).pageHolder(s), [s.signer.address]);
  if (holder.error) return <ProblemNotice error={holder.error} />;
  if (!holder.data) return <Loading what="your holder identity (a signature derives its key)" />;
  const h = holder.data;
  return (
    <div class="grid side">
      <div class="stack">
        <Answer h={h} />
      </div>
      <div class="stack">
        <Panel title="My holder identity">
          <div class="stack">
            <Readonly label="Holder ID (did:masque)" value={h.did} />
            <Readonly label="Encryption key for credentials (did:key)" value={h.encryptionDid} />
            <p class="small muted" style={{ margin: 0 }}>Give both to your KYC provider: it issues your zero-knowledge credentials to this ID, sealed to this key.</p>
          </div>
        </Panel>
        <Credentials h={h} />
      </div>
    </div>
  );
}

function Credentials({ h }: { h: PageHolder }) {
  const [tick, setTick] = useState(0);
  const got = useAsync(() => h.agent.receive(), [h, tick]);
  const held = h.claims();
  return (
    <Panel title="My credentials" flush actions={<Button class="small" busy={got.loading} busyLabel="Fetching…" onClick={() => setTick((t) => t + 1)}>Fetch again</Button>}>
      {got.error !== undefined && <div class="body"><ProblemNotice error={got.error} /></div>}
      <DataTable caption="My credentials" rows={held} rowKey={(c) => `${c.issuerId}-${c.claim.indexHash}`} empty={got.loading ? 'Fetching…' : 'No credential issued to this holder yet.'}
        columns={[
          { key: 'issuer', title: 'Issuer', render: (c) => <Mono title={c.issuerId}>{short(c.issuerId, 8)}</Mono> },
          { key: 'schema', title: 'Schema', render: (c) => <Mono title={c.claim.schemaHash.toString()}>{short(c.claim.schemaHash.toString(), 6)}</Mono> },
          { key: 'state', title: 'State', render: () => <Badge tone="ok">published</Badge> },
        ]} />
      {got.data && got.data.pending > 0 && <div class="body small muted">{got.data.pending} more issued but not yet published by their issuer (not provable yet).</div>}
    </Panel>
  );
}

function Answer({ h }: { h: PageHolder }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const [result, setResult] = useState<{ response: CredentialQueryResponseJson; ms: number; keyIndex: number; asked: string }>();
  const prove = useAction(async () => {
    const p = parsePasted(text.trim(), requestSchema);
    setError(p.error);
    if (p.error) return;
    setResult(undefined);
    const list = (Array.isArray(p.value) ? p.value : [p.value]) as Parameters<typeof describeRequest>[0][];
    const r = await h.prove(p.value);
    const answered = list.find((q) => (q as unknown as { requestId: string }).requestId === r.response.requestId) ?? list[0]!;
    setResult({ ...r, asked: describeRequest(answered) });
  });
  const json = result && JSON.stringify(result.response);
  return (
    <Panel title="Answer a verifier's request">
      <form class="stack" aria-label="Answer a request" onSubmit={(e) => { e.preventDefault(); prove.run(); }}>
        <Field label="Request (JSON from the verifier)" error={error} hint="A masque/credential-query-request@1 document, or a list of alternatives.">
          {(id, aria) => <textarea id={id} name="request" value={text} onInput={(e) => setText((e.target as HTMLTextAreaElement).value)} {...aria} class="mono" style={{ minHeight: '7rem' }} />}
        </Field>
        {prove.error !== undefined && <ProblemNotice error={prove.error} />}
        <div class="row"><Button type="submit" class="primary" busy={prove.busy} busyLabel="Proving in this browser…">Prove in this browser</Button></div>
      </form>
      {result && json && (
        <div class="stack" style={{ marginTop: '12px' }}>
          <Notice tone="ok" title={`Proof made in this browser in ${ms(result.ms)}`}>
            It shows that your {result.asked}, and nothing else. Made with {result.keyIndex === 0 ? 'your genesis key' : `key #${result.keyIndex}`}, the current key of your identity on chain.
          </Notice>
          <Field label="Response (send it to the verifier)">
            {(id, aria) => <textarea id={id} readOnly value={json} {...aria} class="mono" style={{ minHeight: '6rem' }} />}
          </Field>
          <div class="row"><CopyButton text={json} label="Copy the response" /></div>
        </div>
      )}
    </Panel>
  );
}
