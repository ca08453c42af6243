// Who I am to those who grant me documents (an investor delegating to its fund administrator, an administrator
// granting a regulator): my wallet's DID and my encryption key. A grant is wrapped only for a key the grantee's
// identity publishes (purpose 4, listed as keyAgreement by its DID document), so the identity is created and the
// key published from here, signed in the page.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { client } from '../lib/rpc.js';
import { short } from '../lib/format.js';
import { pkhOf } from '../lib/parties.js';
import type { Session } from '../keys/session.js';
import { Badge, Button, CopyButton, Loading, Mono, ProblemNotice, toast, useAction, useAsync } from './kit.js';

async function identityOf(wallet: Address) {
  try {
    return await client.rpc.id_getIdentity({ wallet });
  } catch (e) {
    if ((e as { code?: number }).code === -32002) return null;
    throw e;
  }
}

export function PartySetup({ s, grantors }: { s: Session; grantors: string }) {
  const [tick, setTick] = useState(0);
  const me = useAsync(async () => ({ id: await identityOf(s.signer.address), chainId: await client.chainId() }), [s.signer.address, tick]);
  const create = useAction(async () => {
    const r = await client.write('id_createIdentity', { wallet: s.signer.address }, s.signer);
    toast('ok', 'Identity deployed', short(r.identity));
    setTick((t) => t + 1);
  });
  const publish = useAction(async (identity: Address) => {
    await client.write('id_addEncryptionKey', { identity, key: s.encryption.did }, s.signer);
    toast('ok', 'Encryption key published', `${grantors} can now name you by your DID alone`);
    setTick((t) => t + 1);
  });
  if (me.error) return <ProblemNotice error={me.error} />;
  if (!me.data) return <Loading what="your identity" />;
  const { id, chainId } = me.data;
  const did = pkhOf(chainId, s.signer.address);
  const published = !!id?.encryptionKeys.some((k) => k.did === s.encryption.did);
  return (
    <div class="stack">
      <dl class="kv" aria-label={`What ${grantors.toLowerCase()} need from you`}>
        <dt>Your DID</dt><dd><Mono>{did}</Mono> <CopyButton text={did} /></dd>
        <dt>Encryption key</dt><dd><Mono title={s.encryption.did}>{short(s.encryption.did, 14)}</Mono> <CopyButton text={s.encryption.did} /></dd>
        <dt>Identity</dt><dd>{id ? <Mono>{id.identity}</Mono> : <><Badge tone="warn">none yet</Badge> <Button class="small primary" busy={create.busy} busyLabel="Deploying…" onClick={() => create.run()}>Create my identity</Button></>}</dd>
        <dt>Key on the identity</dt><dd>{published ? <Badge tone="ok">published: your DID document lists it</Badge>
          : <><Badge tone="warn">not published</Badge> {id && <Button class="small" busy={publish.busy} busyLabel="Publishing…" onClick={() => publish.run(id.identity as Address)}>Publish my encryption key</Button>}</>}</dd>
      </dl>
      {create.error !== undefined && <ProblemNotice error={create.error} />}
      {publish.error !== undefined && <ProblemNotice error={publish.error} />}
    </div>
  );
}
