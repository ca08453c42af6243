// Formatting shared by the screens: addresses, times, durations, sizes, topics.
export const TOPICS: Record<number, string> = {
  1: 'KYC', 2: 'AML', 3: 'Accreditation', 4: 'Sanctions clear', 5: 'Tax residency', 6: 'UBO', 7: 'PEP', 8: 'Travel rule',
};
export const topicName = (t: number) => TOPICS[t] ?? `Topic ${t}`;

export const short = (a: string | null | undefined, n = 6) => (!a ? '—' : a.length <= 2 * n + 3 ? a : `${a.slice(0, n + 2)}…${a.slice(-n + 2)}`);

export const nowSec = () => Math.floor(Date.now() / 1000);

export function dateTime(t: number | null | undefined): string {
  if (!t) return '—';
  const ms = t > 1e12 ? t : t * 1000;
  return new Date(ms).toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}
export function date(t: number | null | undefined): string {
  if (!t) return '—';
  const ms = t > 1e12 ? t : t * 1000;
  return new Date(ms).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

/** "3 days ago", "in 12 days" for unix seconds or ms. */
export function relative(t: number | null | undefined): string {
  if (!t) return '—';
  const s = Math.round((t > 1e12 ? t : t * 1000) / 1000) - nowSec();
  const a = Math.abs(s);
  const [n, unit] = a < 90 ? [a, 'second'] : a < 5400 ? [Math.round(a / 60), 'minute'] : a < 129600 ? [Math.round(a / 3600), 'hour'] : [Math.round(a / 86400), 'day'];
  const u = `${n} ${unit}${n === 1 ? '' : 's'}`;
  return s < 0 ? `${u} ago` : `in ${u}`;
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} kB`;
  return `${(n / 1024 / 1024).toFixed(2)} MB`;
}

export const ms = (n: number) => (n < 1000 ? `${Math.round(n)} ms` : `${(n / 1000).toFixed(2)} s`);
