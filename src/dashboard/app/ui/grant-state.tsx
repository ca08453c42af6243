// The state of a grant as id_listAccessGrants reports it (a subject's delegation to a fund administrator, or an
// administrator's grant to a regulator): `onChain` is the chain now (for an administrator's grant, its delegation
// too); a grant no longer on chain whose expiry passed expired, otherwise it was revoked or its delegation withdrawn.
import type { Result } from '../../../protocol/api.js';
import { date, nowSec } from '../lib/format.js';
import { Badge } from './kit.js';

export type ListedGrant = Result<'id_listAccessGrants'>[number];
export type GrantStateName = 'active' | 'expired' | 'revoked' | 'delegation withdrawn';

export function grantState(g: ListedGrant): GrantStateName {
  if (g.onChain) return 'active';
  if (g.expiresAt && g.expiresAt <= nowSec()) return 'expired';
  if (g.status === 'active' && g.delegation && !g.delegation.onChain) return 'delegation withdrawn';
  return 'revoked';
}

export const GrantState = ({ g }: { g: ListedGrant }) => {
  const s = grantState(g);
  return <Badge tone={s === 'active' ? 'ok' : s === 'expired' ? 'warn' : 'neutral'}>{s}</Badge>;
};

export const grantUntil = (g: ListedGrant) => (g.expiresAt ? date(g.expiresAt) : 'until revoked');
