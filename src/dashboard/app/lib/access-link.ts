// What an investor hands a verifier so it can read one claim's document: the UCAN delegation (signed in the
// investor's page) with the holder, identity and topic it covers, as one base64url token. It travels in a link's
// fragment (#/verifier/documents?grant=...), which browsers never send to a server. Alone it grants nothing: the
// node also wants the verifier's own signed invocation and the on-chain grant.
//
// Through a fund administrator the same token carries a chain: `proofs` holds the investor's delegation to the
// administrator (root first) and `delegation` the administrator's onward one to the regulator, `via` names the
// administrator. The investor's own link to its administrator is a `DelegationToken`
// (#/administrator/delegations?delegation=...): its delegation names several topics.
import type { Address } from 'viem';

export interface AccessToken { v: 1; holder: Address; identity: Address; topic: number; delegation: string; proofs?: string[]; via?: Address }
export interface DelegationToken { v: 1; holder: Address; identity: Address; topics: number[]; expiresAt: number; delegation: string }

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64url = (s: string) => atob(s.replace(/-/g, '+').replace(/_/g, '/'));
const isAddress = (a: unknown) => typeof a === 'string' && /^0x[0-9a-fA-F]{40}$/.test(a);
const isStrings = (x: unknown) => Array.isArray(x) && x.every((p) => typeof p === 'string');

export const encodeAccessToken = (t: AccessToken | DelegationToken) => b64url(JSON.stringify(t));

function decode<T>(s: string, from: string): T {
  try {
    return JSON.parse(unb64url(s.trim())) as T;
  } catch {
    throw new Error(`not an access token (it should come from ${from})`);
  }
}

/** The token of a link or the link itself (`…#/path?<param>=<token>`). */
export const tokenOfLink = (raw: string, param: string) =>
  (raw.includes(`${param}=`) ? new URL(raw, location.origin).hash.split(`${param}=`)[1]!.split('&')[0]! : raw);

export function decodeAccessToken(s: string): AccessToken {
  const t = decode<AccessToken>(s, 'the investor\'s "Grant access" screen or a fund administrator');
  if (t?.v !== 1 || !isAddress(t.holder) || !isAddress(t.identity) || !Number.isInteger(t.topic) || typeof t.delegation !== 'string'
    || (t.proofs !== undefined && !isStrings(t.proofs)) || (t.via !== undefined && !isAddress(t.via))) {
    throw new Error('malformed access token');
  }
  return t;
}

export function decodeDelegationToken(s: string): DelegationToken {
  const t = decode<DelegationToken>(s, 'the investor\'s "Fund administrator" screen');
  if (t?.v !== 1 || !isAddress(t.holder) || !isAddress(t.identity) || !Array.isArray(t.topics) || !t.topics.every(Number.isInteger) || !t.topics.length
    || !Number.isInteger(t.expiresAt) || typeof t.delegation !== 'string') {
    throw new Error('malformed delegation token');
  }
  return t;
}
