// What an investor hands a verifier so it can read one claim's document: the UCAN delegation (signed in the
// investor's page) with the holder, identity and topic it covers, as one base64url token. It travels in a link's
// fragment (#/verifier/documents?grant=...), which browsers never send to a server. Alone it grants nothing: the
// node also wants the verifier's own signed invocation and the on-chain grant.
import type { Address } from 'viem';

export interface AccessToken { v: 1; holder: Address; identity: Address; topic: number; delegation: string }

const b64url = (s: string) => btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const unb64url = (s: string) => atob(s.replace(/-/g, '+').replace(/_/g, '/'));

export const encodeAccessToken = (t: AccessToken) => b64url(JSON.stringify(t));

export function decodeAccessToken(s: string): AccessToken {
  let t: AccessToken;
  try {
    t = JSON.parse(unb64url(s.trim())) as AccessToken;
  } catch {
    throw new Error('not an access token (it should come from the investor\'s "Grant access" screen)');
  }
  if (t?.v !== 1 || !/^0x[0-9a-fA-F]{40}$/.test(t.holder) || !/^0x[0-9a-fA-F]{40}$/.test(t.identity) || !Number.isInteger(t.topic) || typeof t.delegation !== 'string') {
    throw new Error('malformed access token');
  }
  return t;
}
