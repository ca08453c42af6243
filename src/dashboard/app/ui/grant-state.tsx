// The state of an access grant as the chain holds it (lib/chain.ts accessGrantOnChain): a revoked grant is deleted
// on chain, so a grant we made that reads as never granted was revoked.
import { date } from '../lib/format.js';
import { Badge } from './kit.js';

export type OnChainGrant = { grantedAt: number; expiresAt: number; active: boolean };

export const grantState = (g: OnChainGrant) => (g.active ? 'active' : g.grantedAt ? 'expired' : 'revoked');

export const GrantState = ({ g }: { g: OnChainGrant }) => {
  const s = grantState(g);
  return <Badge tone={s === 'active' ? 'ok' : s === 'expired' ? 'warn' : 'neutral'}>{s}</Badge>;
};

export const grantUntil = (g: OnChainGrant, fallback: number) => (g.grantedAt ? (g.expiresAt ? date(g.expiresAt) : 'until revoked') : date(fallback));
