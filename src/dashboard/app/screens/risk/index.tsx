// The risk of a token's holders: their distribution by band as a chart (holders and share of the supply), each
// holder's score, an identity's explanation (every factor with its weight, value and points, by family) for those the
// node lets read it (the holder, a risk operator, a regulator: signed requests made in this page), the country risk
// table (view, import as CSV) and a recompute. Without a signed request only the on-chain number is public.
import { useState } from 'preact/hooks';
import type { Address } from 'viem';
import { api, type Result } from '../../../../protocol/api.js';
import { addressSchema } from '../../../../protocol/auth.js';
import { client } from '../../lib/rpc.js';
import type { Route } from '../../lib/router.js';
import { dateTime, short } from '../../lib/format.js';
import { useSession, type Session } from '../../keys/session.js';
import { KeyGate } from '../../ui/key-gate.js';
import { CategoryBars } from '../../ui/charts.js';
import { Badge, Button, DataTable, Loading, Mono, Page, Panel, Stat, TextField, toast, useAction, useAsync, type Tone } from '../../ui/kit.js';
import { check, checkAll, hasErrors, type Errors } from '../../ui/validate.js';
import { positions, Refusal, TokenSwitch, units, useToken, type TokenInfo } from '../token-admin/common.js';

type Score = Result<'risk_getScore'>;
/** The node's default display bands (src/risk/bands.ts): used only to group public on-chain numbers. */
const DEFAULT_BANDS = [{ name: 'low', from: 0 }, { name: 'medium', from: 25 }, { name: 'high', from: 50 }, { name: 'severe', from: 75 }];
const COLORS = ['#17663a', '#b7950b', '#d9731a', '#b42318', '#7a1a12'];
const UNSCORED = 'unscored';
const bandOfNumber = (score: number) => DEFAULT_BANDS.reduce((b, x) => (score >= x.from ? x.name : b), DEFAULT_BANDS[0]!.name);
const bandTone = (band?: string): Tone => (!band || band === UNSCORED ? 'neutral' : band === 'low' ? 'ok' : band === 'medium' ? 'warn' : 'bad');
const importParams = api.risk_importCountryTable.params.shape;

interface Holder { wallet: string; balance: string; share: number; identity: string | null; score?: number; band: string; explained: boolean }

export default function RiskScreen({ route }: { route: Route }) {
  const { token, info } = useToken(route);
  const s = useSession();
  const [tick, setTick] = useState(0);
  const [explain, setExplain] = useState('');
  const i = info.data;
  return (
    <Page title={i ? `Risk of ${i.symbol} holders` : 'Risk of holders'}
      intro="Scores 0-100 from country, customer, activity and compliance factors. On chain there is only the number; the explanation goes to the holder, risk operators and regulators, by requests signed in this page.">
      <TokenSwitch path="/token/risk" current={i} />
      {info.error ? <Refusal error={info.error} what="This token cannot be read" /> : !i ? <Loading what="the token" /> : (
        <>
          <Distribution token={token} info={i} s={s} tick={tick} onExplain={setExplain} />
          <div class="grid side">
            <Explanation s={s} identity={explain} onIdentity={setExplain} tick={tick} />
            <Panel title="Recompute">
              <KeyGate purpose="Recomputes and country tables are a risk operator's signed requests.">{(s) => <Recompute s={s} onDone={() => setTick((t) => t + 1)} />}</KeyGate>
            </Panel>
          </div>
          <CountryTable s={s} tick={tick} onDone={() => setTick((t) => t + 1)} />
        </>
      )}
    </Page>
  );
}

/** Every holder's score: explained (band from the node) when this key may read it, else the public on-chain number. */
async function holderScores(token: Address | undefined, s: Session | null): Promise<{ holders: Holder[]; explained: boolean }> {
  const all: { wallet: string; balance: string; share: number }[] = [];
  for (let offset: number | null = 0; offset !== null && all.length < 500;) {
    const h: Result<'token_holders'> = await client.rpc.token_holders({ ...(token ? { token } : {}), offset, limit: 500 });
    all.push(...h.holders);
    offset = h.nextOffset;
  }
  const pos = await positions(token, all.map((h) => h.wallet));
  const ids = [...new Set(all.map((h) => pos.get(h.wallet.toLowerCase())?.identity).filter(Boolean) as string[])];
  let scores = new Map<string, Score>();
  let explained = false;
  if (s && ids.length) {
    // Signed in the page, one request per identity, sent in one batch: refused as a whole when this key may not read.
    const signed = await Promise.all(ids.map((identity) => client.sign('risk_getScore', { identity: identity as Address }, s.signer)));
    const res = await client.batch(signed.map((params) => ({ method: 'risk_getScore', params })));
    if (res.every((r) => r.status === 'fulfilled')) {
      explained = true;
      res.forEach((r, k) => scores.set(ids[k]!.toLowerCase(), (r as PromiseFulfilledResult<Score>).value));
    }
  }
  if (!explained && ids.length) {
    const res = await client.batch(ids.map((identity) => ({ method: 'risk_getScore', params: { identity } })));
    scores = new Map(res.flatMap((r, k) => (r.status === 'fulfilled' ? [[ids[k]!.toLowerCase(), r.value as Score]] : [])));
  }
  const holders = all.map((h) => {
    const identity = pos.get(h.wallet.toLowerCase())?.identity ?? null;
    const sc = identity ? scores.get(identity.toLowerCase()) : undefined;
    const score = sc?.score ?? sc?.onchain.score ?? undefined;
    const band = sc?.band ?? (score === undefined || score === null ? UNSCORED : bandOfNumber(score));
    return { ...h, identity, score: score ?? undefined, band, explained: sc?.band !== undefined };
  });
  return { holders, explained };
}

function Distribution({ token, info, s, tick, onExplain }: { token?: Address; info: TokenInfo; s: Session | null; tick: number; onExplain: (id: string) => void }) {
  const data = useAsync(() => holderScores(token, s), [token, s?.signer.address, tick]);
  if (data.error) return <Refusal error={data.error} what="Scores could not be read" />;
  if (!data.data) return <Loading what="the holders' scores" />;
  const { holders, explained } = data.data;
  const names = [...DEFAULT_BANDS.map((b) => b.name)];
  for (const h of holders) if (!names.includes(h.band) && h.band !== UNSCORED) names.push(h.band);
  names.push(UNSCORED);
  const rows = names.map((name, k) => {
    const inBand = holders.filter((h) => h.band === name);
    return { name, count: inBand.length, share: inBand.reduce((a, h) => a + h.share, 0), color: name === UNSCORED ? '#8a94a3' : COLORS[Math.min(k, COLORS.length - 1)]! };
  }).filter((r) => r.name !== UNSCORED || r.count > 0);
  const atRisk = holders.filter((h) => h.band !== 'low' && h.band !== 'medium' && h.band !== UNSCORED);
  return (
    <>
      <div class="grid cols-4">
        <Stat label="Holders" value={holders.length} sub={`of ${units(info.totalSupply, info.decimals)} ${info.symbol}`} />
        <Stat label="High risk or above" value={atRisk.length} sub={`${(atRisk.reduce((a, h) => a + h.share, 0) * 100).toFixed(1)}% of the supply`} />
        <Stat label="Unscored" value={holders.filter((h) => h.band === UNSCORED).length} />
        <Stat label="Scores shown" value={explained ? 'explained' : 'on-chain'} sub={explained ? 'bands as the node computes them' : s ? 'this key may not read explanations' : 'unlock an operator or regulator key for bands'} />
      </div>
      <div class="grid cols-2">
        <Panel title="Holders by risk band" label="Risk distribution">
          <CategoryBars label="Holders by risk band" unit="holders" shareLabel="of the supply" rows={rows} />
          <p class="small muted" style={{ marginBottom: 0 }}>
            {explained ? 'Bands from each holder\'s current score (the node\'s model).' : 'On-chain scores grouped by the default bands (low < 25 ≤ medium < 50 ≤ high < 75 ≤ severe). The on-chain number moves only when a band or a token limit is crossed.'}
            {' '}Bar length: holders; the figure after it: their share of the supply.
          </p>
        </Panel>
        <Panel title="Holders" flush>
          <DataTable caption="Holders and their scores" rows={[...holders].sort((a, b) => (b.score ?? -1) - (a.score ?? -1))} rowKey={(h) => h.wallet} empty="No holder yet."
            columns={[
              { key: 'wallet', title: 'Wallet', render: (h) => <Mono title={h.wallet}>{short(h.wallet)}</Mono> },
              { key: 'balance', title: 'Balance', render: (h) => units(h.balance, info.decimals) },
              { key: 'score', title: 'Score', render: (h) => (h.score === undefined ? '—' : h.score) },
              { key: 'band', title: 'Band', render: (h) => <Badge tone={bandTone(h.band)}>{h.band}</Badge> },
              { key: 'why', title: 'Why', render: (h) => (h.identity ? <Button class="small" onClick={() => onExplain(h.identity!)}>Explain<span class="sr-only"> {h.wallet}</span></Button> : <span class="muted small">not registered</span>) },
            ]} />
        </Panel>
      </div>
    </>
  );
}

const FAMILY_COLORS: Record<string, string> = { country: '#3046c9', customer: '#7a3fb0', activity: '#b76e00', compliance: '#b42318' };

function Explanation({ s, identity, onIdentity, tick }: { s: Session | null; identity: string; onIdentity: (v: string) => void; tick: number }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string>();
  const shown = identity || '';
  const score = useAsync(async () => {
    if (!shown) return undefined;
    return s ? client.write('risk_getScore', { identity: shown as Address }, s.signer) : client.rpc.risk_getScore({ identity: shown as Address });
  }, [shown, s?.signer.address, tick]);
  const x = score.data;
  return (
    <Panel title="Score and explanation" label="Score and explanation">
      <div class="stack">
        <form class="row" style={{ alignItems: 'flex-end' }} onSubmit={(e) => { e.preventDefault(); const err = check(addressSchema, text.trim()); setError(err); if (!err) onIdentity(text.trim()); }}>
          <TextField label="Identity" name="identity" value={text || shown} onInput={setText} error={error} placeholder="0x… (an identity contract)" />
          <Button type="submit" class="small">Explain</Button>
        </form>
        {!shown ? <p class="muted small" style={{ margin: 0 }}>Choose a holder's "Explain", or type an identity.</p>
          : score.error ? <Refusal error={score.error} what="The explanation is not available to this key" />
          : !x ? <Loading what="the score" /> : <Explained x={x} />}
      </div>
    </Panel>
  );
}

function Explained({ x }: { x: Score }) {
  if (!x.factors) {
    return (
      <dl class="kv">
        <dt>On-chain score</dt><dd>{x.onchain.score ?? 'none yet'}{x.onchain.updatedAt ? ` (written ${dateTime(x.onchain.updatedAt)})` : ''}</dd>
        <dt>Access</dt><dd>{x.access === 'public' ? 'public: the explanation needs a holder, operator or regulator key' : `${x.access}: no score computed yet (recompute)`}</dd>
      </dl>
    );
  }
  const factors = [...x.factors].sort((a, b) => b.points - a.points);
  const families = Object.entries(x.families ?? {});
  const total = Math.max(1, families.reduce((a, [, v]) => a + v, 0));
  return (
    <div class="stack">
      <div class="row">
        <span style={{ fontSize: 28, fontWeight: 700 }}>{x.score}</span><Badge tone={bandTone(x.band)}>{x.band}</Badge>
        <span class="small muted">computed {dateTime(x.computedAt)} · on chain {x.onchain.score ?? 'none'} · model {x.model} · country table {x.countryTable} · read as {x.access}</span>
      </div>
      <svg class="chart" viewBox="0 0 560 28" role="img" aria-label={`Points by family: ${families.map(([f, v]) => `${f} ${v}`).join(', ')}`}>
        {(() => {
          let at = 0;
          return families.filter(([, v]) => v > 0).map(([f, v]) => {
            const w = (560 * v) / total; const r = <rect key={f} x={at} y={4} width={w} height={20} fill={FAMILY_COLORS[f] ?? '#566270'} />; at += w; return r;
          });
        })()}
      </svg>
      <div class="legend">{families.map(([f, v]) => <span key={f}><i style={{ background: FAMILY_COLORS[f] ?? '#566270' }} />{f} {v}</span>)}</div>
      <DataTable caption="Risk factors" rows={factors} rowKey={(f) => f.id} empty="No factor."
        columns={[
          { key: 'family', title: 'Family', render: (f) => f.family },
          { key: 'factor', title: 'Factor', render: (f) => <><strong>{f.id}</strong><div class="small muted">{f.detail}</div></> },
          { key: 'weight', title: 'Weight', render: (f) => f.weight },
          { key: 'value', title: 'Value', render: (f) => f.value.toFixed(2) },
          { key: 'points', title: 'Points', render: (f) => (f.points > 0 ? <strong>{f.points.toFixed(1)}</strong> : f.points.toFixed(1)) },
        ]} />
    </div>
  );
}

function Recompute({ s, onDone }: { s: Session; onDone: () => void }) {
  const [last, setLast] = useState<Result<'risk_recompute'>>();
  const a = useAction(async () => {
    const r = await client.write('risk_recompute', {}, s.signer);
    setLast(r);
    toast('ok', `Recomputed ${r.rescored} identities`, `${r.written.length} scores written on chain, ${r.bandChanges.length} band changes`);
    onDone();
  });
  return (
    <div class="stack">
      <p class="small muted" style={{ margin: 0 }}>Indexes new transfers, re-reads every registered identity's facts from the chain and rescores it; scores that cross a band or a token's limit are written on chain. The node also does it on every event and on a schedule.</p>
      <Button class="primary" busy={a.busy} busyLabel="Recomputing…" onClick={() => a.run()}>Recompute all scores</Button>
      {a.error !== undefined && <Refusal error={a.error} what="Recompute refused" />}
      {last && (
        <dl class="kv">
          <dt>Rescored</dt><dd>{last.rescored}</dd><dt>Written on chain</dt><dd>{last.written.length}</dd>
          <dt>Band changes</dt><dd>{last.bandChanges.map((b) => `${short(b.identity)} ${b.from ?? 'none'} → ${b.to}`).join('; ') || 'none'}</dd>
        </dl>
      )}
    </div>
  );
}

function CountryTable({ s, tick, onDone }: { s: Session | null; tick: number; onDone: () => void }) {
  const table = useAsync(() => client.rpc.risk_getCountryTable({}), [tick]);
  const [all, setAll] = useState(false);
  const t = table.data;
  const entries = t ? [...t.entries].sort((a, b) => b.score - a.score) : [];
  return (
    <div class="grid side">
      <Panel title="Country risk table" flush actions={t && <Badge tone={t.seed ? 'info' : 'ok'}>{t.seed ? 'FATF seed' : 'imported'}</Badge>}>
        {table.error ? <div style={{ padding: 16 }}><Refusal error={table.error} /></div> : !t ? <Loading what="the country table" /> : (
          <>
            <div style={{ padding: 16 }}>
              <dl class="kv">
                <dt>Table</dt><dd>{t.name} <span class="muted small">({t.id}, as of {t.asOf})</span></dd>
                <dt>Source</dt><dd>{t.source}</dd>
                <dt>Other countries</dt><dd>{t.defaultScore}</dd>
                {t.importedAt && <><dt>Imported</dt><dd>{dateTime(t.importedAt)} by <Mono>{short(t.importedBy)}</Mono></dd></>}
              </dl>
            </div>
            <DataTable caption="Country scores" rows={all ? entries : entries.slice(0, 12)} rowKey={(e) => String(e.country)} empty="No country listed."
              columns={[
                { key: 'country', title: 'Country', render: (e) => e.country },
                { key: 'label', title: 'Label', render: (e) => e.label },
                { key: 'score', title: 'Score', render: (e) => e.score },
              ]} />
            {entries.length > 12 && <div style={{ padding: 12 }}><Button class="small" onClick={() => setAll(!all)}>{all ? 'Show the highest 12' : `Show all ${entries.length}`}</Button></div>}
          </>
        )}
      </Panel>
      <Panel title="Import a country table">
        {s ? <ImportTable s={s} onDone={onDone} /> : <p class="small muted" style={{ margin: 0 }}>Unlock a risk operator's key to import a table.</p>}
      </Panel>
    </div>
  );
}

function ImportTable({ s, onDone }: { s: Session; onDone: () => void }) {
  const [f, setF] = useState({ id: '', name: '', asOf: new Date().toISOString().slice(0, 10), source: '', scale: '', csv: '' });
  const [errors, setErrors] = useState<Errors>({});
  const set = (k: keyof typeof f) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const a = useAction(async () => {
    const scale = f.scale.trim() === '' ? undefined : Number(f.scale);
    const errs = checkAll([['id', importParams.id, f.id.trim()], ['name', importParams.name, f.name.trim()], ['source', importParams.source, f.source.trim()], ['scale', importParams.scale, scale], ['csv', importParams.csv.unwrap().min(1, 'paste the table: country,score[,label] per line'), f.csv]]);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(f.asOf)) errs.asOf = 'expected YYYY-MM-DD';
    setErrors(errs);
    if (hasErrors(errs)) return;
    const r = await client.write('risk_importCountryTable', { id: f.id.trim(), name: f.name.trim(), asOf: f.asOf, source: f.source.trim(), csv: f.csv, ...(scale ? { scale } : {}) }, s.signer);
    toast('ok', `Table ${r.table} active`, `${r.countries.length} countries changed, ${r.rescored} identities rescored, ${r.bandChanges.length} band changes`);
    onDone();
  });
  return (
    <form class="stack" aria-label="Import a country table" onSubmit={(e) => { e.preventDefault(); a.run(); }}>
      <div class="grid cols-2">
        <TextField label="Table id" name="id" value={f.id} onInput={set('id')} error={errors.id} placeholder="ops-2026-12" />
        <TextField label="As of" name="asOf" value={f.asOf} onInput={set('asOf')} error={errors.asOf} />
      </div>
      <TextField label="Name" name="name" value={f.name} onInput={set('name')} error={errors.name} placeholder="Internal country policy" />
      <TextField label="Source" name="source" value={f.source} onInput={set('source')} error={errors.source} placeholder="e.g. Basel AML Index 2026 (licensed)" />
      <TextField label="Scale (optional)" name="scale" value={f.scale} onInput={set('scale')} error={errors.scale} hint="The source's maximum, e.g. 10 for the Basel AML Index; scores are mapped to 0-100." />
      <div class="field">
        <label for="risk-csv">Table (CSV)</label>
        <textarea id="risk-csv" name="csv" value={f.csv} rows={5} placeholder={'country,score,label\nFR,100,internal policy\n408,100,DPRK'} aria-invalid={errors.csv ? 'true' : 'false'} aria-describedby="risk-csv-hint"
          onInput={(e) => set('csv')((e.target as HTMLTextAreaElement).value)} />
        <span class="hint" id="risk-csv-hint">A header naming the columns (country,score and optionally label), then one country a line: ISO 3166-1 numeric, alpha-2 or alpha-3, its score, its label. It replaces the active table; identities of the countries whose score changed are rescored at once.</span>
        {errors.csv && <span class="error" role="alert">{errors.csv}</span>}
      </div>
      {a.error !== undefined && <Refusal error={a.error} what="Import refused" />}
      <div class="row"><Button type="submit" class="primary" busy={a.busy} busyLabel="Importing…">Import and rescore</Button></div>
    </form>
  );
}
