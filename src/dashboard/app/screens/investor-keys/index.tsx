// My encryption keys: the ML-KEM-768 keys my identity publishes on chain (purpose 4: what issuers seal their reports
// for, the keyAgreement of my wallet's DID document), publishing this browser's key, and rotation done in the page: a
// new key generated here and sealed in the vault (the old one kept as retired under the same passphrase), added on
// chain, every document's key re-wrapped here for it, the old key removed on chain. Grants to verifiers are wrapped
// for their keys, not mine: they stay valid until revoked.
import { useState } from 'preact/hooks';
import type { Address, Hex } from 'viem';
import { client } from '../../lib/rpc.js';
import { date, short, topicName } from '../../lib/format.js';
import { documentCrypto, envelopeForSession } from '../../lib/documents.js';
import { session, type Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { Badge, Button, DataTable, Loading, Mono, Notice, Page, Panel, ProblemNotice, TextField, toast, useAction, useAsync } from '../../ui/kit.js';
import { myIdentity } from '../investor-onboarding/index.js';

export default function EncryptionKeys() {
  return (
    <Page title="Encryption keys" intro="Issuers seal their reports for the encryption keys your identity publishes on chain. Rotate yours here: the new key is made in this browser, your documents are re-wrapped here, and the node never sees a key.">
      <KeyGate purpose="Your encryption keys live in your key vault.">{(s) => <Keys s={s} />}</KeyGate>
    </Page>
  );
}

type Step = { label: string; state: 'todo' | 'doing' | 'done'; detail?: string };

/**
 * Brings the identity's on-chain keys in line with the vault, idempotently (a rotation interrupted anywhere is
 * finished by running it again): the current key added if missing, every document without an envelope for it
 * re-wrapped here from an envelope a retired key opens, then the retired keys removed on chain.
 */
async function settleKeys(s: Session, identity: Address, onStep: (i: number, detail?: string) => void): Promise<{ rewrapped: number; unreachable: number }> {
  const onChain = (await client.rpc.id_getIdentity({ identity })).encryptionKeys;
  if (!onChain.some((k) => k.did === s.encryption.did)) await client.write('id_addEncryptionKey', { identity, key: s.encryption.did }, s.signer);
  onStep(1, short(s.encryption.did, 12));
  const docs = await client.write('id_listClaimDocuments', { identity }, s.signer);
  const { rewrapFor } = await documentCrypto();
  const envelopes: { topic: number; envelope: string }[] = [];
  let unreachable = 0;
  for (const d of docs) {
    if (d.envelopes.some((e) => e.recipient === s.encryption.did)) continue;
    const held = envelopeForSession(d.envelopes, s);
    if (!held) { unreachable++; continue; }
    // Opened with the retired key and wrapped for the new one, here: the document key never leaves the page.
    envelopes.push({ topic: d.topic, envelope: await rewrapFor(held.envelope, held.key, s.encryption.did) });
  }
  if (envelopes.length) await client.write('id_rewrapDocuments', { identity, envelopes }, s.signer);
  onStep(2, `${envelopes.length} document${envelopes.length === 1 ? '' : 's'} re-wrapped${unreachable ? `, ${unreachable} sealed for no key of yours` : ''}`);
  const retired = new Set(s.retired.map((k) => k.did));
  const stale = onChain.filter((k) => k.did && retired.has(k.did));
  for (const k of stale) await client.write('id_removeKey', { identity, key: k.keyId as Hex, purpose: 4 }, s.signer);
  onStep(3, stale.length ? `${stale.length} removed` : 'none on chain');
  return { rewrapped: envelopes.length, unreachable };
}

const STEPS = ['New key made in this browser, sealed in your vault (the old one kept)', 'New key added to your identity on chain', 'Documents re-wrapped in this browser for the new key', 'Old key removed from your identity on chain'];

function Keys({ s }: { s: Session }) {
  const [tick, setTick] = useState(0);
  const data = useAsync(async () => {
    const id = await myIdentity(s.signer.address);
    if (!id) return null;
    const identity = id.identity as Address;
    const grants = (await client.rpc.id_listAccessGrants({ identity })).filter((g) => g.kind === 'direct' && g.status === 'active');
    return { identity, keys: id.encryptionKeys, grants };
  }, [s.signer.address, s.encryption.did, s.retired.length, tick]);
  const [steps, setSteps] = useState<Step[]>();
  const [pass, setPass] = useState('');
  const [passError, setPassError] = useState<string>();
  const progress = (i: number, detail?: string) => setSteps((st) => st?.map((x, j) => (j === i ? { ...x, state: 'done', detail } : j === i + 1 ? { ...x, state: 'doing' } : x)));
  const run = async (fresh: boolean) => {
    setSteps(STEPS.map((label, i) => ({ label, state: i === 0 ? 'doing' : 'todo' })));
    const identity = data.data!.identity;
    if (fresh) {
      const { rotateEncryptionKey, VaultError } = await import('../../keys/vault.js');
      try {
        await rotateEncryptionKey(s.name, pass);
      } catch (e) {
        setSteps(undefined);
        if (e instanceof VaultError && e.field === 'passphrase') { setPassError(e.message); return; }
        throw e;
      }
      setPass('');
    }
    const now = session.get()!;
    progress(0, fresh ? short(now.encryption.did, 12) : 'already in your vault');
    const r = await settleKeys(now, identity, progress);
    toast('ok', fresh ? 'Encryption key rotated' : 'Encryption keys settled', `${r.rewrapped} document${r.rewrapped === 1 ? '' : 's'} re-wrapped in this browser`);
    setTick((t) => t + 1);
  };
  const rotate = useAction(async () => {
    setPassError(pass.length < 8 ? 'your passphrase: at least 8 characters' : undefined);
    if (pass.length < 8) return;
    await run(true);
  });
  const settle = useAction(() => run(false));
  const publish = useAction(async () => {
    await client.write('id_addEncryptionKey', { identity: data.data!.identity, key: s.encryption.did }, s.signer);
    toast('ok', 'Encryption key published', 'Issuers can seal their reports for it');
    setTick((t) => t + 1);
  });
  if (data.error) return <ProblemNotice error={data.error} />;
  if (data.loading && !data.data) return <Loading what="your keys" />;
  if (!data.data) return <Notice tone="info" title="No identity yet"><a href="#/investor/onboarding">Start onboarding</a> first.</Notice>;
  const { keys, grants } = data.data;
  const retired = new Set(s.retired.map((k) => k.did));
  const currentOnChain = keys.some((k) => k.did === s.encryption.did);
  const unfinished = keys.length > 0 && (!currentOnChain || keys.some((k) => k.did && retired.has(k.did)));
  const held = (did: string | null) => (did === s.encryption.did ? <Badge tone="ok">current, in this browser</Badge> : did && retired.has(did) ? <Badge tone="warn">retired, still in this browser</Badge> : <Badge>not in this browser</Badge>);
  return (
    <>
      <Panel title="On my identity" flush>
        <DataTable caption="Encryption keys on my identity" rows={keys} rowKey={(k) => k.keyId} empty="No encryption key on your identity: issuers cannot seal reports for you yet."
          columns={[
            { key: 'did', title: 'Key (did:key)', render: (k) => <Mono title={k.did ?? undefined}>{short(k.did ?? 'public key not in the blockstore', 16)}</Mono> },
            { key: 'id', title: 'On-chain key (purpose 4)', render: (k) => <Mono title={k.keyId}>{short(k.keyId, 8)}</Mono> },
            { key: 'held', title: 'Here', render: (k) => held(k.did) },
          ]} />
      </Panel>
      {keys.length === 0 && (
        <Panel title="Publish my encryption key">
          <div class="stack">
            <p class="muted" style={{ margin: 0 }}>Adds this browser's key <Mono>{short(s.encryption.did, 12)}</Mono> to your identity (purpose 4); your wallet's DID document then lists it, and issuers seal their reports for it.</p>
            {publish.error !== undefined && <ProblemNotice error={publish.error} />}
            <div class="row"><Button class="primary" busy={publish.busy} busyLabel="Publishing…" onClick={() => publish.run()}>Publish my encryption key</Button></div>
          </div>
        </Panel>
      )}
      {keys.length > 0 && (
        <div class="grid cols-2">
          <Panel title="Rotate my encryption key">
            <form class="stack" onSubmit={(e) => { e.preventDefault(); rotate.run(); }}>
              <p class="muted" style={{ margin: 0 }}>A new ML-KEM-768 key is made here and sealed in your vault under your passphrase; every document of your claims is re-wrapped here for it; the old key is then removed from your identity and kept in this browser, retired, as long as you need it.</p>
              <TextField label="Your passphrase" name="passphrase" type="password" value={pass} onInput={setPass} autoComplete="current-password" error={passError} hint="The vault is sealed again with the new key in it." />
              {rotate.error !== undefined && <ProblemNotice error={rotate.error} />}
              {settle.error !== undefined && <ProblemNotice error={settle.error} />}
              <div class="row">
                <Button type="submit" class="primary" busy={rotate.busy} busyLabel="Rotating…">Rotate my encryption key</Button>
                {unfinished && !rotate.busy && <Button type="button" busy={settle.busy} busyLabel="Finishing…" onClick={() => settle.run()}>Finish the rotation</Button>}
              </div>
              {steps && (
                <ol class="steps" aria-label="Rotation">
                  {steps.map((x) => <li key={x.label} class={x.state === 'done' ? 'done' : x.state === 'doing' ? 'current' : ''}><span>{x.label}{x.detail && <span class="muted small"> · {x.detail}</span>}<span class="sr-only"> ({x.state === 'done' ? 'done' : x.state === 'doing' ? 'in progress' : 'to do'})</span></span></li>)}
                </ol>
              )}
              {steps?.every((x) => x.state === 'done') && <Notice tone="ok" title="Rotation complete">Your identity publishes the new key only; new reports are sealed for it, and the old key opens nothing new.</Notice>}
            </form>
          </Panel>
          <Panel title="Grants stay valid until you revoke them" flush>
            <div style={{ padding: "10px 16px" }}><p class="muted small" style={{ margin: 0 }}>Each grant holds the document key wrapped for the verifier's own key, not yours: a rotation leaves it readable. <a href="#/investor/documents">Revoke grants</a> you no longer want.</p></div>
            <DataTable caption="Active grants" rows={grants} rowKey={(g) => `${g.topic}-${g.verifier}`} empty="No active grant."
              columns={[
                { key: 'verifier', title: 'Verifier', render: (g) => <Mono title={g.verifier}>{short(g.verifier)}</Mono> },
                { key: 'topic', title: 'Topic', render: (g) => topicName(g.topic) },
                { key: 'since', title: 'Granted', render: (g) => date(g.createdAt) },
                { key: 'state', title: 'State', render: (g) => <Badge tone={g.onChain ? 'ok' : 'neutral'}>{g.onChain ? 'valid' : 'not on chain'}</Badge> },
              ]} />
          </Panel>
        </div>
      )}
      {s.retired.length > 0 && <RetiredKeys s={s} />}
    </>
  );
}

function RetiredKeys({ s }: { s: Session }) {
  const [pass, setPass] = useState('');
  const [error, setError] = useState<string>();
  const forget = useAction(async (did: string) => {
    const { forgetRetiredKey, VaultError } = await import('../../keys/vault.js');
    try {
      await forgetRetiredKey(s.name, pass, did);
      setError(undefined);
      setPass('');
      toast('ok', 'Retired key forgotten', 'It is gone from this browser');
    } catch (e) {
      if (e instanceof VaultError && e.field === 'passphrase') { setError(e.message); return; }
      throw e;
    }
  });
  return (
    <Panel title="Retired keys kept in this browser">
      <div class="stack">
        <p class="muted small" style={{ margin: 0 }}>They open what was wrapped for them before the rotation. Forget one once every document opens with your current key (Documents & grants shows which key opens each).</p>
        <TextField label="Passphrase to forget a retired key" name="forgetPassphrase" type="password" value={pass} onInput={setPass} autoComplete="current-password" error={error} />
        {forget.error !== undefined && <ProblemNotice error={forget.error} />}
        <DataTable caption="Retired keys" rows={s.retired} rowKey={(k) => k.did} empty="None."
          columns={[
            { key: 'did', title: 'Key (did:key)', render: (k) => <Mono title={k.did}>{short(k.did, 16)}</Mono> },
            { key: 'x', title: '', render: (k) => <Button class="small danger" busy={forget.busy} onClick={() => forget.run(k.did)}>Forget<span class="sr-only"> {k.did}</span></Button> },
          ]} />
      </div>
    </Panel>
  );
}
