// A document opened in the page: its integrity checks, then its content (text, image, or a download).
import { useEffect, useMemo } from 'preact/hooks';
import { viewOf, type OpenedDocument } from '../lib/documents.js';
import { bytes as fmtBytes, ms } from '../lib/format.js';
import { Badge } from './kit.js';

export function DocumentView({ doc, name }: { doc: OpenedDocument; name: string }) {
  const ok = doc.checks.every((c) => c.ok);
  const view = useMemo(() => (ok ? viewOf(doc.bytes, doc.mediaType) : undefined), [doc]);
  useEffect(() => () => { if (view && view.kind !== 'text') URL.revokeObjectURL(view.url); }, [view]);
  return (
    <div class="stack">
      <div class="row"><Badge tone={ok ? 'ok' : 'bad'}>{ok ? 'Integrity verified' : 'Integrity check failed'}</Badge>
        <span class="muted small">decrypted in this browser in {ms(doc.ms)}{ok ? `, ${fmtBytes(doc.bytes.length)}` : ''}</span></div>
      <ul class="checks" aria-label="Integrity checks">
        {doc.checks.map((c) => <li key={c.label}><span class={c.ok ? 'tick' : 'cross'} aria-hidden="true">{c.ok ? '✓' : '✗'}</span><span><strong>{c.label}</strong> <span class="muted">{c.detail}</span></span><span class="sr-only">{c.ok ? 'passed' : 'failed'}</span></li>)}
      </ul>
      {view?.kind === 'text' && <div class="docview" aria-label="Decrypted document" tabIndex={0}>{view.text}</div>}
      {view?.kind === 'image' && <img src={view.url} alt={`Decrypted document ${name}`} style={{ maxWidth: '100%' }} />}
      {view?.kind === 'file' && <a class="button" href={view.url} download={name}>Download the decrypted file</a>}
    </div>
  );
}
