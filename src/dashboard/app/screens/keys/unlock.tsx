// Unlock, create and import keys (the vault's crypto loads with this module, not with the page).
import { useEffect, useState } from 'preact/hooks';
import { keyRecords, type KeyRecord } from '../../keys/db.js';
import { createKey, importKeyFile, unlock, VaultError } from '../../keys/vault.js';
import { connectInjected, injectedProvider } from '../../keys/injected.js';
import { Button, Notice, Panel, ProblemNotice, SelectField, TextField, toast, useAction } from '../../ui/kit.js';
import { short } from '../../lib/format.js';

const fieldError = (e: unknown, field: string) => (e instanceof VaultError && e.field === field ? e.message : undefined);
const otherError = (e: unknown, fields: string[]) => (e && !(e instanceof VaultError && fields.includes(e.field)) ? e : undefined);

export function UnlockPanel({ purpose }: { purpose: string }) {
  const [keys, setKeys] = useState<KeyRecord[] | undefined>();
  const [mode, setMode] = useState<'unlock' | 'create' | 'import'>('unlock');
  const refresh = () => keyRecords.list().then((k) => { setKeys(k); if (k.length === 0) setMode((m) => (m === 'unlock' ? 'create' : m)); });
  useEffect(() => { refresh(); }, []);
  return (
    <div class="center-card">
      <Panel title="Your key" label="Key vault">
        <div class="stack">
          <p class="muted" style={{ margin: 0 }}>{purpose} Keys live in this browser only, sealed under your passphrase (scrypt + XChaCha20-Poly1305); the node never sees them.</p>
          <div class="row" role="tablist" aria-label="Key actions">
            {(['unlock', 'create', 'import'] as const).map((m) => (
              <button key={m} type="button" role="tab" aria-selected={mode === m} class={mode === m ? 'primary small' : 'small'} onClick={() => setMode(m)}>
                {m === 'unlock' ? 'Unlock' : m === 'create' ? 'Create a key' : 'Import a CLI key file'}
              </button>
            ))}
          </div>
          {mode === 'unlock' && <UnlockForm keys={keys ?? []} />}
          {mode === 'create' && <CreateForm onDone={() => { refresh(); setMode('unlock'); }} />}
          {mode === 'import' && <ImportForm onDone={() => { refresh(); setMode('unlock'); }} />}
        </div>
      </Panel>
    </div>
  );
}

function UnlockForm({ keys }: { keys: KeyRecord[] }) {
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [useWallet, setUseWallet] = useState(false);
  const a = useAction(async () => {
    const injected = useWallet ? await connectInjected() : undefined;
    const s = await unlock(name || keys[0]!.name, pass, injected);
    toast('ok', `Unlocked ${s.name}`, `Signing as ${short(s.signer.address)}`);
  });
  if (keys.length === 0) return <Notice tone="info" title="No key in this browser yet">Create one, or import a key file made by <code>masque keys new</code>.</Notice>;
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
      <SelectField label="Key" name="key" value={name || keys[0]!.name} onChange={setName}
        options={keys.map((k) => ({ value: k.name, label: `${k.name} · ${short(k.address)}` }))} error={fieldError(a.error, 'name')} />
      <TextField label="Passphrase" name="passphrase" type="password" value={pass} onInput={setPass} autoComplete="current-password" error={fieldError(a.error, 'passphrase')} />
      {injectedProvider() && (
        <label class="row"><input type="checkbox" checked={useWallet} onChange={(e) => setUseWallet((e.target as HTMLInputElement).checked)} /> Sign with my browser wallet (the encryption key still comes from this key)</label>
      )}
      {otherError(a.error, ['name', 'passphrase']) !== undefined && <ProblemNotice error={a.error} />}
      <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Unlocking…">Unlock</Button></div>
    </form>
  );
}

function CreateForm({ onDone }: { onDone: () => void }) {
  const [name, setName] = useState('');
  const [pass, setPass] = useState('');
  const [pass2, setPass2] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const a = useAction(async () => {
    const r = await createKey(name, pass);
    toast('ok', `Key ${r.name} created`, `Wallet ${short(r.address)}; encryption key ${short(r.encryptionDid, 10)}`);
    onDone();
  });
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); if (pass !== pass2) { setMismatch(true); return; } setMismatch(false); a.run(); }}>
      <TextField label="Name" name="name" value={name} onInput={setName} placeholder="e.g. alice" hint="Letters, digits, _ . - (the CLI's key names)." error={fieldError(a.error, 'name')} />
      <TextField label="Passphrase" name="passphrase" type="password" value={pass} onInput={setPass} autoComplete="new-password" hint="At least 8 characters. Forgotten means lost: nobody can recover it." error={fieldError(a.error, 'passphrase')} />
      <TextField label="Repeat the passphrase" name="passphrase2" type="password" value={pass2} onInput={setPass2} autoComplete="new-password" error={mismatch ? 'the passphrases differ' : undefined} />
      {otherError(a.error, ['name', 'passphrase']) !== undefined && <ProblemNotice error={a.error} />}
      <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Sealing the key…">Create the key</Button></div>
    </form>
  );
}

function ImportForm({ onDone }: { onDone: () => void }) {
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [rename, setRename] = useState('');
  const [pass, setPass] = useState('');
  const a = useAction(async () => {
    if (!text) throw new VaultError('file', 'choose a key file');
    const r = await importKeyFile(text, pass, rename || undefined);
    toast('ok', `Key ${r.name} imported`, short(r.address));
    onDone();
  });
  return (
    <form class="stack" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
      <div class="field">
        <label for="keyfile">Key file</label>
        <input id="keyfile" name="keyfile" type="file" accept=".json,application/json" aria-invalid={fieldError(a.error, 'file') ? 'true' : 'false'}
          onChange={async (e) => { const f = (e.target as HTMLInputElement).files?.[0]; if (f) { setFileName(f.name); setText(await f.text()); } }} />
        <span class="hint">From <code>~/.masque/keys/</code> ({fileName || 'made by masque keys new'}); it stays sealed.</span>
        {fieldError(a.error, 'file') && <span class="error" role="alert">{fieldError(a.error, 'file')}</span>}
      </div>
      <TextField label="Name in this browser (optional)" name="rename" value={rename} onInput={setRename} error={fieldError(a.error, 'name')} />
      <TextField label="Its passphrase" name="passphrase" type="password" value={pass} onInput={setPass} autoComplete="current-password" error={fieldError(a.error, 'passphrase')} />
      {otherError(a.error, ['name', 'passphrase', 'file']) !== undefined && <ProblemNotice error={a.error} />}
      <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Checking the file…">Import</Button></div>
    </form>
  );
}
