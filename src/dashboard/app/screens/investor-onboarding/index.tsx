// Investor onboarding: the identity (deployed by the node, controlled by the investor's key), then a KYC application
// whose document is sealed in this page for the reviewing issuer and for the investor, then its progress.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api } from '../../../../protocol/api.js';
import { client } from '../../lib/rpc.js';
import { nodeInfo, issuers } from '../../lib/node-info.js';
import { trustedIssuerTopics } from '../../lib/chain.js';
import { documentCrypto } from '../../lib/documents.js';
import { toBase64 } from '../../../../sdk/base64.js';
import { bytes, relative, short, topicName } from '../../lib/format.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, SelectField, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { checkAll, fieldFromRefusal, hasErrors, type Errors } from '../../ui/validate.js';

const createParams = api.id_createIdentity.params.shape;
const submitParams = api.id_submitKycApplication.params.shape;

export async function myIdentity(wallet: Address) {
  try {
    return await client.rpc.id_getIdentity({ wallet });
  } catch (e) {
    if ((e as { code?: number }).code === -32002) return null;
    throw e;
  }
}

export default function Onboarding() {
  return (
    <Page title="Onboarding" intro="Your identity on chain, controlled by your key; your KYC document encrypted in this page for the reviewer you choose and for you. The node relays and pays gas.">
      <KeyGate purpose="Your identity is controlled by your key.">{(s) => <Flow s={s} />}</KeyGate>
    </Page>
  );
}

function Flow({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const ident = useAsync(() => myIdentity(s.signer.address), [s.signer.address, tick]);
  const apps = useAsync(async () => (ident.data ? (await client.write('id_listKycApplications', { identity: ident.data.identity as Address }, s.signer)).applications : []), [ident.data?.identity, tick]);
  if (ident.error) return <ProblemNotice error={ident.error} />;
  if (ident.loading && !ident.data) return <Loading what="your identity" />;
  const id = ident.data;
  const submitted = (apps.data?.length ?? 0) > 0;
  const approved = apps.data?.some((a) => a.status === 'approved');
  return (
    <div class="grid side">
      <div class="stack">
        {!id ? <CreateIdentity s={s} onDone={() => setTick((t) => t + 1)} /> : (
          <Panel title="Your identity">
            <dl class="kv">
              <dt>Identity contract</dt><dd><Mono>{id.identity}</Mono></dd>
              <dt>DID</dt><dd><Mono>{id.did ?? '—'}</Mono></dd>
              <dt>Registered</dt><dd>{id.registered ? <Badge tone="ok">in the identity registry</Badge> : <Badge>not registered</Badge>}</dd>
              <dt>Verified</dt><dd>{id.verified ? <Badge tone="ok">holds every required claim</Badge> : <Badge tone="warn">missing required claims</Badge>}</dd>
            </dl>
          </Panel>
        )}
        {id && id.encryptionKeys.length === 0 && (
          <Notice tone="warn" title="No encryption key on your identity. ">
            Issuers seal their reports for the encryption keys your identity publishes on chain, and can seal nothing for you until it has one.{' '}
            <a href="#/investor/keys">Publish your encryption key</a> before your application is reviewed.
          </Notice>
        )}
        {id && <SubmitKyc s={s} identity={id.identity as Address} onDone={() => setTick((t) => t + 1)} />}
        {id && (
          <Panel title="My applications" flush>
            {apps.error ? <ProblemNotice error={apps.error} /> : (
              <DataTable caption="My applications" rows={apps.data ?? []} rowKey={(a) => a.id} empty={apps.loading ? 'Loading…' : 'No application yet.'}
                columns={[
                  { key: 'topic', title: 'Topic', render: (a) => topicName(a.topic) },
                  { key: 'status', title: 'Status', render: (a) => <Badge tone={a.status === 'approved' ? 'ok' : a.status === 'rejected' ? 'bad' : 'info'}>{a.status}</Badge> },
                  { key: 'reason', title: 'Reason', render: (a) => a.reason ?? <span class="muted">—</span> },
                  { key: 'submitted', title: 'Submitted', render: (a) => relative(a.createdAt) },
                  { key: 'id', title: 'Application', render: (a) => <Mono title={a.id}>{a.id.slice(0, 8)}</Mono> },
                ]} />
            )}
          </Panel>
        )}
      </div>
      <Panel title="Progress">
        <ol class="steps">
          <li class="done">Key unlocked <span class="muted small">({s.name})</span></li>
          <li class={id ? 'done' : 'current'}>Identity deployed</li>
          <li class={submitted ? 'done' : id ? 'current' : ''}>KYC document submitted</li>
          <li class={approved ? 'done' : submitted ? 'current' : ''}>Claim issued by the reviewer</li>
        </ol>
        {approved && <p class="small" style={{ marginBottom: 0 }}><a href="#/investor/claims">See my claims</a></p>}
      </Panel>
    </div>
  );
}

function CreateIdentity({ s, onDone }: { s: Session; onDone: () => void }) {
  const [country, setCountry] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const a = useAction(async () => {
    const c = country.trim() === '' ? undefined : Number(country);
    const errs = checkAll([['country', createParams.country, c]]);
    setErrors(errs);
    if (hasErrors(errs)) return;
    try {
      const r = await client.write('id_createIdentity', { wallet: s.signer.address, ...(c !== undefined ? { country: c } : {}) }, s.signer);
      toast('ok', 'Identity deployed', short(r.identity));
      onDone();
    } catch (e) {
      const f = fieldFromRefusal(e, ['country', 'wallet']);
      if (f) setErrors(f); else throw e;
    }
  });
  return (
    <Panel title="Create your identity">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <p class="muted" style={{ margin: 0 }}>An ERC-734/735 identity contract with your wallet <Mono>{short(s.signer.address)}</Mono> as its only management key. The node pays the gas and holds no key on it.</p>
        <TextField label="Country (ISO 3166-1 numeric, optional)" name="country" value={country} onInput={setCountry} placeholder="e.g. 276 for Germany" hint="Given, the identity is also registered in the token's identity registry." error={errors.country} />
        {a.error !== undefined && <ProblemNotice error={a.error} />}
        <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Deploying…">Create my identity</Button></div>
      </form>
    </Panel>
  );
}

function SubmitKyc({ s, identity, onDone }: { s: Session; identity: Address; onDone: () => void }) {
  const options = useAsync(async () => {
    const [list, info] = await Promise.all([issuers(), nodeInfo()]);
    const topics = await trustedIssuerTopics(info.contracts.trustedIssuersRegistry as Address);
    return list.map((i) => ({ ...i, topics: topics.find((t) => t.issuer.toLowerCase() === i.address.toLowerCase())?.topics ?? [] })).filter((i) => i.topics.length);
  }, []);
  const [issuer, setIssuer] = useState('');
  const [topic, setTopic] = useState('');
  const [issuerKey, setIssuerKey] = useState('');
  const [file, setFile] = useState<File | undefined>();
  const [errors, setErrors] = useState<Errors>({});
  const chosen = options.data?.find((o) => o.address === issuer) ?? options.data?.[0];
  const a = useAction(async () => {
    if (!chosen) return;
    const t = Number(topic || chosen.topics[0]);
    const errs = checkAll([['issuer', submitParams.issuer, chosen.address], ['topic', submitParams.topic, t], ['issuerKey', submitParams.envelopes.element.shape.recipient, issuerKey.trim()]]);
    if (!file) errs.document = 'choose the document to submit';
    else if (file.size > 10 * 1024 * 1024) errs.document = 'at most 10 MB';
    setErrors(errs);
    if (hasErrors(errs)) return;
    const { sealForClaim } = await documentCrypto();
    const chainId = await client.chainId();
    const plaintext = new Uint8Array(await file!.arrayBuffer());
    // Sealed here, for the reviewing issuer and for the investor (who re-wraps it for verifiers later).
    const sealed = await sealForClaim(plaintext, { chainId, identity, topic: t }, [issuerKey.trim(), s.encryption.did]);
    plaintext.fill(0);
    try {
      const r = await client.write('id_submitKycApplication', {
        identity, topic: t, issuer: chosen.address, document: { ciphertext: toBase64(sealed.bytes), mediaType: file!.type || 'application/octet-stream' }, envelopes: sealed.envelopes,
      }, s.signer);
      toast('ok', 'Application submitted', `Sealed ${bytes(sealed.bytes.length)} in this page; the node stored ${r.cid.slice(0, 12)}…`);
      setFile(undefined);
      onDone();
    } catch (e) {
      const f = fieldFromRefusal(e, ['issuer', 'topic', 'envelopes', 'document']);
      if (f) setErrors(f.envelopes ? { issuerKey: f.envelopes } : f); else throw e;
    }
  });
  if (options.error) return <ProblemNotice error={options.error} />;
  if (!options.data) return <Loading what="the issuers" />;
  return (
    <Panel title="Submit a KYC document">
      <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
        <div class="grid cols-2">
          <SelectField label="Reviewing issuer" name="issuer" value={chosen?.address ?? ''} onChange={(v) => { setIssuer(v); setTopic(''); }}
            options={options.data.map((o) => ({ value: o.address, label: `${o.name} · ${short(o.address)}` }))} error={errors.issuer} />
          <SelectField label="Claim topic" name="topic" value={topic || String(chosen?.topics[0] ?? '')} onChange={setTopic}
            options={(chosen?.topics ?? []).map((t) => ({ value: String(t), label: topicName(t) }))} error={errors.topic} />
        </div>
        <TextField label="Issuer's encryption key (did:key)" name="issuerKey" value={issuerKey} onInput={setIssuerKey} placeholder="did:key:z…"
          hint="The ML-KEM-768 key the KYC provider publishes: only it and you can open the document." error={errors.issuerKey} />
        <div class="field">
          <label for="kycdoc">Document</label>
          <input id="kycdoc" name="document" type="file" aria-invalid={errors.document ? 'true' : 'false'} aria-describedby="kycdoc-hint"
            onChange={(e) => setFile((e.target as HTMLInputElement).files?.[0])} />
          <span class="hint" id="kycdoc-hint">Encrypted in this page (AES-256-GCM, key wrapped with ML-KEM-768) before it leaves your browser.</span>
          {errors.document && <span class="error" role="alert">{errors.document}</span>}
        </div>
        {a.error !== undefined && <ProblemNotice error={a.error} />}
        <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Encrypting and submitting…">Encrypt and submit</Button></div>
      </form>
    </Panel>
  );
}
