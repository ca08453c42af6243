import { getAddress, type Address, type Hex } from 'viem';
import { decodeEnvelope, encodeEnvelope, envelopeContext, envelopeRef, FormatError, type KeyEnvelope } from '../../documents/index.js';
import { invalidParams } from '../rpc/errors.js';

export interface ExpectedEnvelope { chainId: number; identity: Address; topic: number; documentHash: Hex; cid: string; recipient: string }

/**
 * Parses an envelope the caller sent and checks that it is bound to exactly this claim, document and recipient:
 * the node cannot open it, but it can refuse one that could never open for its recipient.
 */
export function checkEnvelope(text: string, want: ExpectedEnvelope, field: string): { envelope: KeyEnvelope; canonical: string; ref: Hex } {
  let envelope: KeyEnvelope;
  try {
    envelope = decodeEnvelope(text);
  } catch (e) {
    if (e instanceof FormatError || e instanceof TypeError) throw invalidParams(field, (e as Error).message);
    throw e;
  }
  let ctx;
  try {
    ctx = envelopeContext(envelope);
  } catch (e) {
    throw invalidParams(field, (e as Error).message);
  }
  const checks: [string, string, string][] = [
    ['chainId', String(ctx.chainId), String(want.chainId)],
    ['identity', getAddress(ctx.identity), getAddress(want.identity)],
    ['topic', String(ctx.topic), String(want.topic)],
    ['documentHash', ctx.documentHash.toLowerCase(), want.documentHash.toLowerCase()],
    ['cid', String(ctx.cid), want.cid],
    ['recipient', ctx.recipient, want.recipient],
  ];
  for (const [name, got, expected] of checks) {
    if (got !== expected) throw invalidParams(`${field}.context.${name}`, `envelope is bound to ${got}, expected ${expected}`);
  }
  return { envelope, canonical: new TextDecoder().decode(encodeEnvelope(envelope)), ref: envelopeRef(envelope) };
}
