// A verifier's zero-knowledge requests: ask a holder to prove a fact about its KYC claim (born before a date,
// resident of one of some countries) from issuers it trusts, then check the answer: the node verifies the Groth16
// proof, the issuer's state on chain and the nullifier (a response is accepted once). No claim is ever seen.
import { useState } from 'preact/hooks';
import type { Result } from '../../../../protocol/api.js';
import { client } from '../../lib/rpc.js';
import { issuers } from '../../lib/node-info.js';
import { describeRequest, kycRequest, parsePasted, responseSchema } from '../../lib/zk-query.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, CopyButton, Field, Mono, Notice, Page, Panel, ProblemNotice, SelectField, TextField, useAction, useAsync } from '../../ui/kit.js';
import { fieldFromRefusal } from '../../ui/validate.js';

const ASKS = [
  { value: 'adult', label: 'Born before a date', attribute: 'birthDate', operator: 'LESS_THAN', hint: 'YYYY-MM-DD, e.g. 2008-01-01 for "18 or older in 2026"' },
  { value: 'resident', label: 'Resident of one of these countries', attribute: 'countryOfResidence', operator: 'IN', hint: 'ISO 3166-1 alpha-2 codes, comma-separated (at most 16)' },
  { value: 'national', label: 'National of none of these countries', attribute: 'nationality', operator: 'NOT_IN', hint: 'ISO 3166-1 alpha-2 codes, comma-separated' },
];

export default function VerifierProofs() {
  return (
    <Page title="Zero-knowledge requests" intro="Ask a holder to prove a fact about its KYC claim; check the proof it sends back. You learn the fact, never the claim.">
      <KeyGate purpose="Requests carry your verifier ID (from your key) and checks are signed by it.">{(s) => <Requests s={s} />}</KeyGate>
    </Page>
  );
}

function Requests({ s }: { s: Session }) {
  // The ZK issuers hosted for the node's ClaimIssuers: the usual choice of accepted issuers.
  const hosted = useAsync(async () => {
    const out: { name: string; did: string }[] = [];
    for (const i of await issuers()) {
      try { out.push({ name: i.name, did: (await client.rpc.zk_getIssuer({ issuer: i.address })).did }); } catch { /* not a ZK issuer */ }
    }
    return out;
  }, []);
  const [ask, setAsk] = useState('adult');
  const [issuer, setIssuer] = useState('');
  const [values, setValues] = useState('2008-01-01');
  const [errors, setErrors] = useState<{ issuer?: string; values?: string; response?: string }>({});
  const [request, setRequest] = useState<ReturnType<typeof kycRequest>>();
  const [responseText, setResponseText] = useState('');
  const [verdict, setVerdict] = useState<Result<'zk_verifyResponse'>>();
  const accepted = issuer || hosted.data?.[0]?.did || '';
  const create = useAction(async () => {
    const a = ASKS.find((x) => x.value === ask)!;
    const list = values.split(',').map((v) => v.trim()).filter(Boolean);
    const errs: typeof errors = {};
    if (!accepted) errs.issuer = 'name the issuer whose claims you accept (its did:masque)';
    if (!list.length) errs.values = 'at least one value';
    if (!errs.issuer && !errs.values) {
      try {
        setRequest(kycRequest({ verifier: s.signer.address, issuers: [accepted], attribute: a.attribute, operator: a.operator, values: list }));
        setVerdict(undefined);
      } catch (e) {
        const m = (e as { issues?: { path: PropertyKey[]; message: string }[]; message?: string });
        const first = m.issues?.[0];
        if (first?.path[0] === 'issuers') errs.issuer = first.message; else errs.values = first ? `${first.path.join('.')}: ${first.message}` : String(m.message);
      }
    }
    setErrors(errs);
  });
  const check = useAction(async () => {
    const p = parsePasted(responseText.trim(), responseSchema);
    setErrors({ response: p.error });
    if (p.error || !request) return;
    try {
      setVerdict(await client.rpc.zk_verifyResponse({ request, response: p.value as never }));
    } catch (e) {
      const f = fieldFromRefusal(e, ['response']);
      if (f) { setErrors(f); return; }
      throw e;
    }
  });
  const a = ASKS.find((x) => x.value === ask)!;
  const json = request && JSON.stringify(request);
  return (
    <div class="grid cols-2">
      <Panel title="1. Ask for a proof">
        <form class="stack" aria-label="Ask for a proof" onSubmit={(e) => { e.preventDefault(); create.run(); }}>
          <SelectField label="What the holder proves" name="ask" value={ask} onChange={(v) => { setAsk(v); setValues(v === 'adult' ? '2008-01-01' : 'DE, FR, IT'); }} options={ASKS.map((x) => ({ value: x.value, label: x.label }))} />
          <TextField label="Values" name="values" value={values} onInput={setValues} error={errors.values} hint={a.hint} />
          <TextField label="Accepted issuer (did:masque)" name="issuer" value={accepted} onInput={setIssuer} error={errors.issuer}
            hint={hosted.data?.length ? <>Hosted here: {hosted.data.map((h) => `${h.name} ${h.did.slice(0, 22)}…`).join('; ')}</> : 'No ZK issuer is hosted by this node yet.'} />
          <div class="row"><Button type="submit" class="primary" busy={create.busy}>Create the request</Button></div>
        </form>
        {json && (
          <div class="stack" style={{ marginTop: '12px' }}>
            <Field label="Request (send it to the holder)">{(id, aria) => <textarea id={id} readOnly value={json} {...aria} class="mono" style={{ minHeight: '6rem' }} />}</Field>
            <div class="row"><CopyButton text={json} label="Copy the request" /><span class="small muted">Asks: {describeRequest(request!)}</span></div>
          </div>
        )}
      </Panel>
      <Panel title="2. Check the holder's proof">
        <form class="stack" aria-label="Check a proof" onSubmit={(e) => { e.preventDefault(); check.run(); }}>
          <Field label="Response (JSON from the holder)" error={errors.response}>
            {(id, aria) => <textarea id={id} name="response" value={responseText} onInput={(e) => setResponseText((e.target as HTMLTextAreaElement).value)} {...aria} class="mono" style={{ minHeight: '6rem' }} />}
          </Field>
          {check.error !== undefined && <ProblemNotice error={check.error} />}
          <div class="row"><Button type="submit" class="primary" busy={check.busy} busyLabel="Checking…" disabled={!request}>Check the proof</Button>{!request && <span class="small muted">Create a request first.</span>}</div>
        </form>
        {verdict && (verdict.ok ? (
          <Notice tone="ok" title="Proof verified">
            The holder proved that its {describeRequest(request!)}. Issuer <Mono>{verdict.issuerId?.slice(0, 16)}…</Mono> at a state valid on chain; nullifier <Mono>{verdict.nullifier?.slice(0, 12)}…</Mono> recorded (this response cannot be used again). <Badge tone="ok">Groth16 verified</Badge>
          </Notice>
        ) : <Notice tone="bad" title="Proof refused">{verdict.message ?? 'The node refused this response.'}</Notice>)}
      </Panel>
    </div>
  );
}
