// The dashboard's entry: the shell (navigation by role, node and key status) and the router. Screens load on
// demand; a screen that fails to load or throws shows its error in place, never a blank page.
import { Component, render, type ComponentChildren, type ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useRoute, type Route } from './lib/router.js';
import { describeError, rawCall } from './lib/errors.js';
import { ROLES, SCREENS, type ScreenDef, type ScreenProps } from './screens/registry.js';
import { lock, useSession } from './keys/session.js';
import { Notice, Page, ProblemNotice, Toasts, Panel, Loading } from './ui/kit.js';
import { short } from './lib/format.js';

class Boundary extends Component<{ children: ComponentChildren; resetKey: string }, { error?: unknown; key: string }> {
  override state: { error?: unknown; key: string } = { key: '' };
  static override getDerivedStateFromError(error: unknown) { return { error }; }
  override componentDidUpdate() {
    if (this.state.error && this.state.key !== this.props.resetKey) this.setState({ error: undefined, key: this.props.resetKey });
  }
  override componentDidMount() { this.setState({ key: this.props.resetKey }); }
  override render() {
    if (this.state.error) {
      const p = describeError(this.state.error);
      return <Notice tone="bad" title={`This screen failed: ${p.title}`}>{p.detail} <a href="#/">Back to the overview</a>.</Notice>;
    }
    return this.props.children;
  }
}

const Logo = () => (
  <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true"><rect width="32" height="32" rx="7" fill="#3046c9" /><path d="M7 22V10l9 7 9-7v12" stroke="#fff" stroke-width="3" fill="none" stroke-linejoin="round" /></svg>
);

function Nav({ route }: { route: Route }) {
  return (
    <nav class="sidebar" aria-label="Roles and screens">
      <a class="brand" href="#/"><Logo />Masque</a>
      {ROLES.map((r) => (
        <div class="nav-group" key={r.id}>
          <h2>{r.title}</h2>
          <ul>
            {SCREENS.filter((s) => s.role === r.id && !s.detail).map((s) => (
              <li key={s.path}>
                <a href={`#${s.path}`} aria-current={route.path === s.path ? 'page' : undefined}>
                  {s.title}{s.waitingFor && <span class="soon">soon</span>}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

function TopBar() {
  const s = useSession();
  const [node, setNode] = useState<{ ok: boolean; text: string }>({ ok: false, text: 'connecting…' });
  useEffect(() => {
    rawCall<{ chainId: number; embeddedChain: boolean; version: string }>('node_info').then(
      (i) => setNode({ ok: true, text: `chain ${i.chainId}${i.embeddedChain ? ' (embedded)' : ''} · node ${i.version}` }),
      (e) => setNode({ ok: false, text: describeError(e).detail }),
    );
  }, []);
  return (
    <header class="topbar">
      <div class="node"><span class={`badge ${node.ok ? 'ok' : 'bad'}`}>{node.ok ? 'Node online' : 'Node offline'}</span><span>{node.text}</span></div>
      <div class="who">
        {s ? (
          <>
            <span class="keychip" title={`${s.signer.address}\n${s.encryption.did}`}><span class="dot" aria-hidden="true" />{s.name} · {short(s.signer.address)}{s.via === 'injected' ? ' (browser wallet)' : ''}</span>
            <button type="button" class="small" onClick={lock}>Lock</button>
          </>
        ) : (
          <a class="button" href="#/keys">Unlock a key</a>
        )}
      </div>
    </header>
  );
}

function Home() {
  return (
    <Page title="Masque dashboard" intro="Identity and compliance operations for every role. Keys and documents stay in this browser: the node relays signed requests and never sees a private key or a plaintext.">
      <div class="grid cols-3">
        {ROLES.map((r) => {
          const first = SCREENS.find((s) => s.role === r.id && s.load);
          return (
            <Panel key={r.id} title={r.title}>
              <p class="muted" style={{ marginTop: 0 }}>{r.blurb}</p>
              {first && <a class="button" href={`#${first.path}`}>Open {first.title.toLowerCase()}</a>}
            </Panel>
          );
        })}
      </div>
    </Page>
  );
}

function Waiting({ def }: { def: ScreenDef }) {
  const w = def.waitingFor!;
  const [present, setPresent] = useState<string[] | undefined>();
  useEffect(() => {
    rawCall<{ methods?: { name: string }[] }>('rpc.discover').then((r) => {
      const names = (r.methods ?? []).map((m) => m.name);
      setPresent(w.methods.filter((m) => names.includes(m)));
    }, () => setPresent([]));
  }, [def.path]);
  return (
    <Page title={def.title} intro={`This screen covers ${w.what}.`}>
      <Notice tone="info" title={`Coming with issue ${w.issue}`}>
        It needs these node methods: {w.methods.map((m, i) => <span key={m}>{i ? ', ' : ''}<code>{m}</code></span>)}.
        {present && ` This node offers ${present.length} of ${w.methods.length}.`}
      </Notice>
    </Page>
  );
}

function Screen({ def, route }: { def: ScreenDef; route: Route }) {
  const [loaded, setLoaded] = useState<{ path: string; C?: ComponentType<ScreenProps>; error?: unknown }>({ path: '' });
  useEffect(() => {
    if (!def.load) return;
    let live = true;
    def.load().then((m) => live && setLoaded({ path: def.path, C: m.default }), (error) => live && setLoaded({ path: def.path, error }));
    return () => { live = false; };
  }, [def.path]);
  if (def.waitingFor) return <Waiting def={def} />;
  if (loaded.path !== def.path) return <Loading what={def.title.toLowerCase()} />;
  if (loaded.error) return <ProblemNotice error={loaded.error} />;
  const C = loaded.C!;
  return <C route={route} />;
}

function App() {
  const route = useRoute();
  const def = SCREENS.find((s) => s.path === route.path);
  useEffect(() => { document.querySelector<HTMLElement>('main')?.focus(); }, [route.path]);
  return (
    <div class="shell">
      <Nav route={route} />
      <div class="main">
        <TopBar />
        <main class="content" tabIndex={-1} data-screen={def?.path ?? '/'}>
          <Boundary resetKey={route.path}>
            {def ? <Screen def={def} route={route} /> : route.path === '/' ? <Home /> : <Notice tone="warn" title="No such screen">Nothing lives at <code>{route.path}</code>. <a href="#/">Back to the overview</a>.</Notice>}
          </Boundary>
        </main>
      </div>
      <Toasts />
    </div>
  );
}

const root = document.getElementById('app')!;
root.textContent = '';
render(<App />, root);
document.documentElement.dataset.ready = 'true';
// Rendered and listening: what `npm run bench -- dashboard` reads as time to interactive.
performance.mark('masque-interactive');
