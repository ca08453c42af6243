// The keys kept in this browser: which one is unlocked, export to the CLI, remove.
import { useState } from 'preact/hooks';
import { keyRecords } from '../../keys/db.js';
import { lock, useSession } from '../../keys/session.js';
import { Badge, CopyButton, DataTable, Mono, Page, Panel, useAsync } from '../../ui/kit.js';
import { date, short } from '../../lib/format.js';
import { UnlockPanel } from './unlock.js';

export default function Keys() {
  const s = useSession();
  const [tick, setTick] = useState(0);
  const keys = useAsync(() => keyRecords.list(), [tick, s?.name]);
  const exportFile = async (name: string) => {
    const { exportKeyFile } = await import('../../keys/vault.js');
    const blob = new Blob([await exportKeyFile(name)], { type: 'application/json' });
    const a = Object.assign(document.createElement('a'), { href: URL.createObjectURL(blob), download: `${name}.json` });
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <Page title="Keys in this browser" intro="Each key is a wallet (secp256k1) and an ML-KEM-768 encryption key, sealed under a passphrase in IndexedDB, in the same file format as the masque CLI.">
      {s && (
        <Panel title="Unlocked" actions={<button type="button" class="small" onClick={lock}>Lock</button>}>
          <dl class="kv">
            <dt>Name</dt><dd>{s.name}</dd>
            <dt>Signs as</dt><dd><Mono title={s.signer.address}>{s.signer.address}</Mono> {s.via === 'injected' && <Badge tone="info">browser wallet</Badge>}</dd>
            <dt>Encryption key</dt><dd><Mono title={s.encryption.did}>{short(s.encryption.did, 18)}</Mono> <CopyButton text={s.encryption.did} label="Copy did:key" /></dd>
          </dl>
        </Panel>
      )}
      <Panel title="Stored keys" flush>
        <DataTable caption="Stored keys" rows={keys.data ?? []} rowKey={(k) => k.name} empty={keys.loading ? 'Loading…' : 'No key stored in this browser.'}
          columns={[
            { key: 'name', title: 'Name', render: (k) => <strong>{k.name}</strong> },
            { key: 'address', title: 'Wallet', render: (k) => <Mono title={k.address}>{short(k.address)}</Mono> },
            { key: 'did', title: 'Encryption key', render: (k) => <Mono title={k.encryptionDid}>{short(k.encryptionDid, 12)}</Mono> },
            { key: 'source', title: 'Origin', render: (k) => <Badge tone={k.source === 'created' ? 'info' : 'neutral'}>{k.source}</Badge> },
            { key: 'created', title: 'Added', render: (k) => date(k.createdAt) },
            { key: 'actions', title: '', render: (k) => (
              <div class="row">
                <button type="button" class="small" onClick={() => exportFile(k.name)}>Export file</button>
                <button type="button" class="small danger" onClick={async () => { if (confirm(`Remove ${k.name} from this browser? Without an exported copy it is gone.`)) { if (s?.name === k.name) lock(); await keyRecords.remove(k.name); setTick((t) => t + 1); } }}>Remove</button>
              </div>
            ) },
          ]} />
      </Panel>
      {!s && <UnlockPanel purpose="Unlock a key to act as its owner." />}
    </Page>
  );
}
