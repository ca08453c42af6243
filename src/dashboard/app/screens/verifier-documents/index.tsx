// Documents granted to me (a regulator or verifier): open an access link, sign the read here, fetch the sealed
// document and open it in this page, with each integrity check shown against the claim on chain. A link from a fund
// administrator carries the chain investor -> administrator -> me, invoked whole. Every access, granted or refused,
// goes into this browser's audit trail.
import { useEffect, useState } from 'preact/hooks';
import type { Address } from 'viem';
import { fromBase64 } from '../../../../sdk/base64.js';
import { client, describeError } from '../../lib/rpc.js';
import { navigate, type Route } from '../../lib/router.js';
import { short, topicName } from '../../lib/format.js';
import { openWithChecks, type OpenedDocument } from '../../lib/documents.js';
import { decodeAccessToken, tokenOfLink, type AccessToken } from '../../lib/access-link.js';
import { nodeInfo } from '../../lib/node-info.js';
import { auditLog, kv } from '../../keys/db.js';
import type { Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { PartySetup } from '../../ui/party-setup.js';
import { DocumentView } from '../../ui/document-view.js';
import { Button, DataTable, Mono, Page, Panel, ProblemNotice, TextField, useAction, useAsync } from '../../ui/kit.js';

export default function GrantedDocuments({ route }: { route: Route }) {
  return (
    <Page title="Granted documents" intro="Documents investors granted you, directly or through their fund administrator. They are fetched sealed and opened here with your encryption key; the node checks your signed request, the on-chain grant and the bytes' integrity before it answers.">
      <KeyGate purpose="Reading needs your verifier key: it signs each request and opens the document.">{(s) => <Inbox s={s} route={route} />}</KeyGate>
    </Page>
  );
}

const inboxKey = (s: Session) => `verifier-inbox:${s.signer.address.toLowerCase()}`;

function Inbox({ s, route }: { s: Session; route: Route }) {
  const [tick, setTick] = useState(0);
  const [paste, setPaste] = useState('');
  const [pasteError, setPasteError] = useState<string>();
  const tokens = useAsync(async () => (await kv.get<AccessToken[]>(inboxKey(s))) ?? [], [tick, s.signer.address]);
  const add = async (raw: string) => {
    try {
      const t = decodeAccessToken(tokenOfLink(raw, 'grant'));
      const list = ((await kv.get<AccessToken[]>(inboxKey(s))) ?? []).filter((x) => !(x.identity === t.identity && x.topic === t.topic && x.via === t.via));
      await kv.set(inboxKey(s), [...list, t]);
      setPasteError(undefined);
      setPaste('');
      setTick((x) => x + 1);
      return t;
    } catch (e) {
      setPasteError((e as Error).message);
      return undefined;
    }
  };
  // An access link opened directly: keep its token in this browser's inbox, then drop it from the address bar.
  useEffect(() => {
    const g = route.query.get('grant');
    if (g) add(g).then(() => navigate('/verifier/documents'));
  }, [route.query.get('grant')]);
  const [opened, setOpened] = useState<{ t: AccessToken; doc: OpenedDocument }>();
  const read = useAction(async (t: AccessToken) => {
    const chainId = await client.chainId();
    const { readRequest } = await import('../../../../sdk/capability.js');
    const { tokenCid } = await import('../../../../ucan/index.js');
    // The delegation chain, root (the investor's) first: through an administrator, its onward delegation comes last.
    const proofs = await Promise.all([...(t.proofs ?? []), t.delegation].map(async (b) => { const bytes = fromBase64(b); return { cid: (await tokenCid(bytes)).toString(), bytes }; }));
    const entry = { at: Date.now(), actor: s.signer.address.toLowerCase(), action: t.via ? 'read document (through an administrator)' : 'read document', identity: t.identity, topic: t.topic, ...(t.via ? { via: t.via } : {}) };
    try {
      const params = await readRequest(s.signer as never, { chainId, holder: t.holder, identity: t.identity, topic: t.topic, proofs, audience: (await nodeInfo()).did });
      const doc = await client.rpc.id_getClaimDocument(params);
      // The hash the claim binds on chain, not the one the node reports: the check is against the chain.
      const claim = (await client.rpc.id_getIdentity({ identity: t.identity })).claims.find((c) => c.topic === t.topic);
      const expectedHash = claim?.documentHash ?? doc.documentHash;
      const opened = await openWithChecks({ ciphertext: fromBase64(doc.ciphertext), envelope: doc.envelope, expectedHash, expectedCid: doc.cid, mediaType: doc.mediaType, claim: { chainId, identity: t.identity, topic: t.topic } }, s.encryption);
      if (claim) opened.checks.unshift({ label: 'Bound by the claim on chain', ok: claim.documentHash.toLowerCase() === doc.documentHash.toLowerCase(), detail: `claim ${short(claim.claimId, 8)} by issuer ${short(claim.issuer)}` });
      const ok = opened.checks.every((c) => c.ok);
      await auditLog.add({ ...entry, cid: doc.cid, documentHash: doc.documentHash, ok, detail: ok ? `opened, ${opened.bytes.length} bytes` : 'integrity check failed' });
      setOpened({ t, doc: opened });
    } catch (e) {
      await auditLog.add({ ...entry, ok: false, detail: describeError(e).detail });
      throw e;
    }
  });
  return (
    <>
      <div class="grid side">
        <Panel title="Inbox" flush>
          <DataTable caption="Granted documents" rows={tokens.data ?? []} rowKey={(t) => `${t.identity}-${t.topic}-${t.via ?? ''}`} empty="No access link yet: an investor sends you one when granting access."
            columns={[
              { key: 'topic', title: 'Document', render: (t) => <strong>{topicName(t.topic)}</strong> },
              { key: 'identity', title: 'Identity', render: (t) => <Mono title={t.identity}>{short(t.identity)}</Mono> },
              { key: 'holder', title: 'Granted by', render: (t) => (t.via
                ? <span>administrator <Mono title={t.via}>{short(t.via)}</Mono> <span class="muted small">for investor</span> <Mono title={t.holder}>{short(t.holder)}</Mono></span>
                : <Mono title={t.holder}>{short(t.holder)}</Mono>) },
              { key: 'x', title: '', render: (t) => <Button class="small primary" busy={read.busy} busyLabel="Fetching…" onClick={() => read.run(t)}>Fetch and decrypt<span class="sr-only"> {topicName(t.topic)} of {t.identity}</span></Button> },
            ]} />
        </Panel>
        <Panel title="Add an access link">
          <form class="stack" onSubmit={(e) => { e.preventDefault(); add(paste); }}>
            <TextField label="Access link or token" name="grant" value={paste} onInput={setPaste} placeholder="https://…/#/verifier/documents?grant=…" error={pasteError} />
            <div class="row"><Button type="submit">Add</Button></div>
          </form>
          <div style={{ marginTop: 12 }}><PartySetup s={s} grantors="Investors and fund administrators" /></div>
        </Panel>
      </div>
      {read.error !== undefined && <ProblemNotice error={read.error} />}
      {opened && (
        <Panel title={`${topicName(opened.t.topic)} document of ${short(opened.t.identity)}`} actions={<button type="button" class="small" onClick={() => setOpened(undefined)}>Close</button>}>
          <DocumentView doc={opened.doc} name={`${topicName(opened.t.topic)}-${opened.t.identity.slice(0, 10)}`} />
        </Panel>
      )}
    </>
  );
}

