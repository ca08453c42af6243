// Hash routing: `#/kyc/queue?status=pending`. The fragment never reaches the server, so a link can carry a
// verifier's delegation token without the node (or any proxy) seeing it.
import { useEffect, useState } from 'preact/hooks';

export interface Route { path: string; query: URLSearchParams }

export function currentRoute(): Route {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, q] = raw.split('?');
  return { path: path || '/', query: new URLSearchParams(q ?? '') };
}

export function navigate(path: string, query?: Record<string, string | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== '') q.set(k, v);
  const s = q.toString();
  location.hash = `#${path}${s ? `?${s}` : ''}`;
}

export function useRoute(): Route {
  const [r, setR] = useState(currentRoute());
  useEffect(() => {
    const on = () => setR(currentRoute());
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return r;
}
