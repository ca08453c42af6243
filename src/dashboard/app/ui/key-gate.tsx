// Screens that sign or decrypt render their content only with an unlocked key; otherwise the unlock panel, in place.
import type { ComponentChildren, ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useSession, type Session } from '../keys/session.js';
import { Loading } from './kit.js';

let panel: Promise<ComponentType<{ purpose: string }>> | undefined;

export function KeyGate(p: { purpose: string; children: (s: Session) => ComponentChildren }) {
  const s = useSession();
  const [P, setP] = useState<ComponentType<{ purpose: string }>>();
  useEffect(() => {
    if (!s && !P) (panel ??= import('../screens/keys/unlock.js').then((m) => m.UnlockPanel)).then((c) => setP(() => c));
  }, [s]);
  if (s) return <>{p.children(s)}</>;
  return P ? <P purpose={p.purpose} /> : <Loading what="the key vault" />;
}
