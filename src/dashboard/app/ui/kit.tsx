// The dashboard's components: page frame, panels, tables, badges, notices, fields, toasts. Plain Preact, no
// component library (measured: src/dashboard/README.md).
import type { ComponentChildren, JSX } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { describeError } from '../lib/errors.js';
import { Store, useStore } from '../lib/store.js';

export function Page(p: { title: string; intro?: ComponentChildren; actions?: ComponentChildren; children: ComponentChildren }) {
  useEffect(() => { document.title = `${p.title} · Masque`; }, [p.title]);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>{p.title}</h1>
          {p.intro && <p>{p.intro}</p>}
        </div>
        {p.actions && <div class="row">{p.actions}</div>}
      </div>
      {p.children}
    </>
  );
}

export function Panel(p: { title?: ComponentChildren; actions?: ComponentChildren; flush?: boolean; children: ComponentChildren; label?: string }) {
  return (
    <section class="panel" aria-label={p.label ?? (typeof p.title === 'string' ? p.title : undefined)}>
      {(p.title || p.actions) && <header><h2>{p.title}</h2>{p.actions && <div class="row">{p.actions}</div>}</header>}
      <div class={p.flush ? 'body flush' : 'body'}>{p.children}</div>
    </section>
  );
}

export type Tone = 'ok' | 'warn' | 'bad' | 'info' | 'neutral';
export const Badge = (p: { tone?: Tone; children: ComponentChildren }) => <span class={`badge ${p.tone ?? 'neutral'}`}>{p.children}</span>;

export function Notice(p: { tone: 'ok' | 'bad' | 'info' | 'warn'; title?: string; children?: ComponentChildren }) {
  return (
    <div class={`notice ${p.tone}`} role={p.tone === 'bad' ? 'alert' : 'status'}>
      <div>{p.title && <strong>{p.title}</strong>}{p.children}</div>
    </div>
  );
}

export const ProblemNotice = ({ error }: { error: unknown }) => {
  const p = describeError(error);
  return <Notice tone="bad" title={p.title}>{p.detail}{p.field && <> <span class="small">(field <code>{p.field}</code>)</span></>}</Notice>;
};

export const Stat = (p: { label: string; value: ComponentChildren; sub?: ComponentChildren }) => (
  <div class="panel stat"><div class="label">{p.label}</div><div class="value">{p.value}</div>{p.sub && <div class="sub">{p.sub}</div>}</div>
);

export interface Column<T> { key: string; title: string; render: (row: T) => ComponentChildren; width?: string }

export function DataTable<T>(p: { columns: Column<T>[]; rows: T[]; rowKey: (r: T) => string; empty: ComponentChildren; onRow?: (r: T) => void; selected?: string; caption: string }) {
  if (p.rows.length === 0) return <div class="empty">{p.empty}</div>;
  return (
    <table class="data">
      <caption class="sr-only">{p.caption}</caption>
      <thead><tr>{p.columns.map((c) => <th scope="col" key={c.key} style={c.width ? { width: c.width } : undefined}>{c.title}</th>)}</tr></thead>
      <tbody>
        {p.rows.map((r) => {
          const k = p.rowKey(r);
          return (
            <tr key={k} class={p.onRow ? 'clickable' : undefined} aria-selected={p.selected === undefined ? undefined : p.selected === k}
              onClick={p.onRow ? () => p.onRow!(r) : undefined}>
              {p.columns.map((c) => <td key={c.key}>{c.render(r)}</td>)}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

let fieldSeq = 0;
/** A labelled control with its hint and its error (announced, and tied to the control by aria-describedby). */
export function Field(p: { label: string; error?: string; hint?: ComponentChildren; children: (id: string, aria: Record<string, string | boolean>) => ComponentChildren }) {
  const id = useRef(`f${++fieldSeq}`).current;
  const aria: Record<string, string | boolean> = { 'aria-invalid': p.error ? 'true' : 'false', 'aria-describedby': `${id}-hint ${id}-err` };
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      {p.children(id, aria)}
      {p.hint && <span class="hint" id={`${id}-hint`}>{p.hint}</span>}
      {p.error && <span class="error" id={`${id}-err`} role="alert">{p.error}</span>}
    </div>
  );
}

export function TextField(p: { label: string; value: string; onInput: (v: string) => void; error?: string; hint?: ComponentChildren; type?: string; placeholder?: string; name?: string; autoComplete?: string }) {
  return (
    <Field label={p.label} error={p.error} hint={p.hint}>
      {(id, aria) => <input id={id} name={p.name} type={(p.type ?? 'text') as 'text'} value={p.value} placeholder={p.placeholder} autoComplete={p.autoComplete ?? 'off'}
        onInput={(e) => p.onInput((e.target as HTMLInputElement).value)} {...aria} />}
    </Field>
  );
}

export function SelectField(p: { label: string; value: string; onChange: (v: string) => void; options: { value: string; label: string }[]; error?: string; hint?: ComponentChildren; name?: string }) {
  return (
    <Field label={p.label} error={p.error} hint={p.hint}>
      {(id, aria) => (
        <select id={id} name={p.name} value={p.value} onChange={(e) => p.onChange((e.target as HTMLSelectElement).value)} {...aria}>
          {p.options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
        </select>
      )}
    </Field>
  );
}

export function CopyButton({ text, label = 'Copy' }: { text: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button type="button" class="small" onClick={async () => { await navigator.clipboard?.writeText(text).catch(() => {}); setDone(true); setTimeout(() => setDone(false), 1500); }}>
      {done ? 'Copied' : label}
    </button>
  );
}

export const Mono = ({ children, title }: { children: ComponentChildren; title?: string }) => <span class="mono" title={title}>{children}</span>;

/** Loads `fn` on mount and whenever `deps` change; `reload` runs it again. Errors are kept, never thrown into a blank page. */
export function useAsync<T>(fn: () => Promise<T>, deps: unknown[]): { data?: T; error?: unknown; loading: boolean; reload: () => void } {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    fn().then((data) => live && setState({ data, loading: false }), (error) => live && setState({ error, loading: false }));
    return () => { live = false; };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Runs an action with a busy flag; its failure is kept as `error` for the form to show. */
export function useAction<A extends unknown[], T>(fn: (...a: A) => Promise<T>): { run: (...a: A) => Promise<T | undefined>; busy: boolean; error?: unknown; clear: () => void } {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async (...a: A) => {
    setBusy(true);
    setError(undefined);
    try {
      return await fn(...a);
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { run, busy, error, clear: () => setError(undefined) };
}

interface Toast { id: number; tone: 'ok' | 'bad' | 'info'; title: string; text?: string }
const toasts = new Store<Toast[]>([]);
let toastSeq = 0;
export function toast(tone: Toast['tone'], title: string, text?: string): void {
  const t = { id: ++toastSeq, tone, title, ...(text ? { text } : {}) };
  toasts.set([...toasts.get(), t]);
  setTimeout(() => toasts.set(toasts.get().filter((x) => x.id !== t.id)), tone === 'bad' ? 9000 : 5000);
}
export function Toasts() {
  const list = useStore(toasts);
  return <div class="toasts" aria-live="polite">{list.map((t) => <Notice key={t.id} tone={t.tone} title={t.title}>{t.text}</Notice>)}</div>;
}

export const Loading = ({ what }: { what: string }) => <div class="empty" role="status">Loading {what}…</div>;

export function Button(p: JSX.IntrinsicElements['button'] & { busy?: boolean; busyLabel?: string }) {
  const { busy, busyLabel, children, disabled, ...rest } = p;
  return <button type="button" {...rest} disabled={busy || disabled} aria-busy={busy ? 'true' : undefined}>{busy ? (busyLabel ?? 'Working…') : children}</button>;
}
