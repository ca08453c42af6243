// Alerts to fund administrators and the operator: one signed POST per (event, recipient), at least once, with the
// event's idempotency key so a receiver drops repeats. Bodies hold no personal data (identities, case ids, list
// entry ids, topics, transaction hashes), like every event.
//
// Signatures, over `${timestamp}.${body}` so a captured request cannot be replayed later with another time:
// - hmac-sha256: `x-masque-signature: t=<unix>,v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`
// - eip191: `x-masque-signature: t=<unix>,eip191=<0x signature of the same string>` by the operator key; the receiver
//   recovers it (viem verifyMessage) and compares with the operator address it was given (`x-masque-signer`).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { PrivateKeyAccount } from 'viem/accounts';
import type { WebhookConfig } from './config.js';

export interface WebhookDelivery { id: string; url: string; headers: Record<string, string>; body: string }

export async function signDelivery(w: WebhookConfig, operator: PrivateKeyAccount, idempotencyKey: string, body: string, now = Math.floor(Date.now() / 1000)): Promise<WebhookDelivery> {
  const signed = `${now}.${body}`;
  const signature = w.signing === 'hmac-sha256'
    ? `t=${now},v1=${createHmac('sha256', w.secret!).update(signed).digest('hex')}`
    : `t=${now},eip191=${await operator.signMessage({ message: signed })}`;
  return {
    id: w.id, url: w.url, body,
    headers: {
      'content-type': 'application/json', 'x-masque-signature': signature, 'idempotency-key': idempotencyKey,
      ...(w.signing === 'eip191' ? { 'x-masque-signer': operator.address } : {}),
    },
  };
}

/** A receiver's check of an hmac-sha256 delivery (what the tests and the demo run; receivers copy it). */
export function verifyHmacSignature(secret: string, header: string, body: string, maxAgeSeconds = 300, now = Math.floor(Date.now() / 1000)): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(now - Number(m[1])) > maxAgeSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}

/** POSTs one delivery; throws (the job retries with backoff) on a network error or a non-2xx answer. */
export async function deliver(d: WebhookDelivery, timeoutMs = 10_000): Promise<number> {
  let res: Response;
  try {
    res = await fetch(d.url, { method: 'POST', headers: d.headers, body: d.body, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    // The URL may hold a token: name the recipient only.
    throw new Error(`webhook ${d.id}: ${(e as Error).name === 'TimeoutError' ? 'timed out' : 'unreachable'}`);
  }
  await res.arrayBuffer().catch(() => undefined);
  if (res.status < 200 || res.status >= 300) throw new Error(`webhook ${d.id}: HTTP ${res.status}`);
  return res.status;
}
