// Small SVG charts (no chart library: a few hundred bytes each). Every chart has a text alternative.
import { date } from '../lib/format.js';

const TONES = { pending: '#1f5f99', approved: '#17663a', rejected: '#b42318', open: '#b76e00', confirmed: '#b42318', dismissed: '#17663a' } as const;

/** Stacked bars of counts per day (e.g. applications by status over the last N days). */
export function DailyBars({ days, series, label }: { days: string[]; series: { name: keyof typeof TONES; values: number[] }[]; label: string }) {
  const W = 560, H = 160, pad = { l: 28, r: 8, t: 8, b: 22 };
  const totals = days.map((_, i) => series.reduce((s, x) => s + (x.values[i] ?? 0), 0));
  const max = Math.max(1, ...totals);
  const bw = (W - pad.l - pad.r) / days.length;
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - v / max);
  const summary = `${label}: ${totals.reduce((a, b) => a + b, 0)} in ${days.length} days, at most ${max} a day`;
  return (
    <figure style={{ margin: 0 }}>
      <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
        {[0, Math.ceil(max / 2), max].map((v) => <g key={v}><line x1={pad.l} x2={W - pad.r} y1={y(v)} y2={y(v)} stroke="#e5e8ec" /><text x={pad.l - 6} y={y(v) + 4} text-anchor="end">{v}</text></g>)}
        {days.map((d, i) => {
          let acc = 0;
          return (
            <g key={d}>
              {series.map((s) => {
                const v = s.values[i] ?? 0;
                const top = y(acc + v), bottom = y(acc);
                acc += v;
                return v ? <rect key={s.name} x={pad.l + i * bw + 2} width={Math.max(1, bw - 4)} y={top} height={bottom - top} fill={TONES[s.name]} rx="2" /> : null;
              })}
              {(i % Math.ceil(days.length / 7) === 0 || i === days.length - 1) && <text x={pad.l + i * bw + bw / 2} y={H - 6} text-anchor="middle">{d.slice(5)}</text>}
            </g>
          );
        })}
      </svg>
      <figcaption class="legend">{series.map((s) => <span key={s.name}><i style={{ background: TONES[s.name] }} />{s.name}</span>)}</figcaption>
    </figure>
  );
}

/** Cases opened per day over the last `days` days, stacked open / confirmed / dismissed: a screening workload's picture. */
export function CaseVolume({ cases, days = 14 }: { cases: { status: string; createdAt: number }[]; days?: number }) {
  const dayOf = (t: number) => new Date(t).toISOString().slice(0, 10);
  const axis = Array.from({ length: days }, (_, i) => dayOf(Date.now() - (days - 1 - i) * 86400_000));
  const series = (['open', 'confirmed', 'dismissed'] as const).map((name) => ({
    name, values: axis.map((d) => cases.filter((c) => (name === 'open' ? c.status !== 'confirmed' && c.status !== 'dismissed' : c.status === name) && dayOf(c.createdAt) === d).length),
  }));
  return <DailyBars label="Cases opened per day" days={axis} series={series} />;
}

/** Claims as bars from issue to expiry with today marked: what lapses when. */
export function ExpiryTimeline({ items, now }: { items: { label: string; from: number; to: number; tone: 'ok' | 'warn' | 'bad' }[]; now: number }) {
  if (!items.length) return null;
  const W = 560, row = 22, pad = { l: 120, r: 12, t: 18, b: 8 };
  const H = pad.t + pad.b + row * items.length;
  const lo = Math.min(now, ...items.map((i) => i.from)), hi = Math.max(now + 86400, ...items.map((i) => i.to || now));
  const x = (t: number) => pad.l + ((W - pad.l - pad.r) * (t - lo)) / Math.max(1, hi - lo);
  const colors = { ok: '#17663a', warn: '#b76e00', bad: '#b42318' };
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Expiry timeline of ${items.length} claims: ${items.map((i) => `${i.label} until ${date(i.to)}`).join('; ')}`}>
      <text x={pad.l} y={12}>{date(lo)}</text>
      <text x={W - pad.r} y={12} text-anchor="end">{date(hi)}</text>
      {items.map((it, k) => (
        <g key={k}>
          <text x={pad.l - 8} y={pad.t + k * row + 15} text-anchor="end">{it.label}</text>
          <rect x={x(it.from)} y={pad.t + k * row + 5} width={Math.max(2, x(it.to || hi) - x(it.from))} height={12} rx="3" fill={colors[it.tone]} opacity=".85" />
        </g>
      ))}
      <line x1={x(now)} x2={x(now)} y1={pad.t - 2} y2={H - pad.b} stroke="#17202a" stroke-dasharray="3 3" />
      <text x={x(now) + 4} y={H - pad.b - 2} style={{ fill: '#17202a' }}>today</text>
    </svg>
  );
}

/**
 * Horizontal bars, one per category, each with its count and a second measure as a share (e.g. risk bands: holders
 * and their part of the supply). Colors run from calm to alarming in the given order.
 */
export function CategoryBars({ rows, label, unit, shareLabel }: { rows: { name: string; count: number; share?: number; color: string }[]; label: string; unit: string; shareLabel?: string }) {
  const W = 560, row = 34, pad = { l: 96, r: 120, t: 6, b: 6 };
  const H = pad.t + pad.b + row * rows.length;
  const max = Math.max(1, ...rows.map((r) => r.count));
  const x = (v: number) => ((W - pad.l - pad.r) * v) / max;
  const pct = (s?: number) => (s === undefined ? '' : `${(s * 100).toFixed(1)}%`);
  const summary = `${label}: ${rows.map((r) => `${r.name} ${r.count} ${unit}${r.share !== undefined ? ` (${pct(r.share)} ${shareLabel ?? ''})` : ''}`).join('; ')}`;
  return (
    <svg class="chart" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary}>
      {rows.map((r, k) => {
        const y = pad.t + k * row;
        return (
          <g key={r.name}>
            <text x={pad.l - 8} y={y + row / 2 + 4} text-anchor="end" style={{ fill: '#17202a', fontWeight: 600 }}>{r.name}</text>
            <rect x={pad.l} y={y + 6} width={W - pad.l - pad.r} height={row - 12} rx="4" fill="#f0f2f5" />
            {r.count > 0 && <rect x={pad.l} y={y + 6} width={Math.max(3, x(r.count))} height={row - 12} rx="4" fill={r.color} />}
            <text x={W - pad.r + 8} y={y + row / 2 + 4}>{r.count} {unit}{r.share !== undefined ? ` · ${pct(r.share)}` : ''}</text>
          </g>
        );
      })}
    </svg>
  );
}
