// A claim's lifecycle as a holder or an issuer sees it: pending (applied, not decided), valid, expiring in N days,
// expired, revoked, not yet valid; from id_getIdentity's claims and id_verifyClaim's verdicts.
import type { Tone } from '../ui/kit.js';
import { nowSec } from './format.js';

export type Lifecycle = 'pending' | 'valid' | 'expiring' | 'expired' | 'revoked' | 'not-yet-valid' | 'untrusted' | 'rejected';
export const EXPIRING_DAYS = 30;

/** `verdict` is id_verifyClaim's answer: its state is judged at the chain's time, which then counts the days too. */
export function lifecycleOf(c: { issuedAt: number; expiresAt: number }, verdict?: { valid: boolean; state: string; chainTime?: number }, clock = nowSec()): { state: Lifecycle; days?: number } {
  const now = verdict?.chainTime ?? clock;
  if (verdict && !verdict.valid) {
    if (verdict.state === 'expired') return { state: 'expired' };
    if (verdict.state === 'issued') return { state: 'not-yet-valid' };
    if (verdict.state === 'issuer-untrusted') return { state: 'untrusted' };
    if (verdict.state === 'pending') return { state: 'pending' };
    return { state: 'revoked' };
  }
  if (c.expiresAt !== 0 && c.expiresAt <= now) return { state: 'expired' };
  if (c.issuedAt > now) return { state: 'not-yet-valid' };
  const days = c.expiresAt === 0 ? undefined : Math.ceil((c.expiresAt - now) / 86400);
  if (days !== undefined && days <= EXPIRING_DAYS) return { state: 'expiring', days };
  return { state: 'valid', ...(days !== undefined ? { days } : {}) };
}

export function lifecycleLabel(l: { state: Lifecycle; days?: number }): { text: string; tone: Tone } {
  switch (l.state) {
    case 'valid': return { text: 'Valid', tone: 'ok' };
    case 'expiring': return { text: `Expiring in ${l.days} day${l.days === 1 ? '' : 's'}`, tone: 'warn' };
    case 'expired': return { text: 'Expired', tone: 'bad' };
    case 'revoked': return { text: 'Revoked', tone: 'bad' };
    case 'not-yet-valid': return { text: 'Not yet valid', tone: 'info' };
    case 'untrusted': return { text: 'Issuer no longer trusted', tone: 'bad' };
    case 'pending': return { text: 'Pending review', tone: 'info' };
    case 'rejected': return { text: 'Rejected', tone: 'bad' };
  }
}
