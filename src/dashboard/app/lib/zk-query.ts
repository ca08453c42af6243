// Zero-knowledge requests in words, and the request JSON a verifier sends (src/zk's masque/credential-query-request@1).
// The KYC schema's attributes are what verifiers ask about; values are encoded by the schema itself.
import { KYC_SCHEMA } from '../../../claims/index.js';
import { api } from '../../../protocol/api.js';

export const ATTRIBUTES = KYC_SCHEMA.definition.fields.map((f) => f.name);
export const requestSchema = api.zk_verifyResponse.params.shape.request;
export const responseSchema = api.zk_verifyResponse.params.shape.response;
const OPERATOR_WORDS: Record<string, string> = {
  EQUAL: 'equals', NOT_EQUAL: 'differs from', LESS_THAN: 'is before / below', GREATER_THAN: 'is after / above', LESS_OR_EQUAL: 'is at most',
  GREATER_OR_EQUAL: 'is at least', IN: 'is one of', NOT_IN: 'is none of', IN_RANGE: 'lies in', NOT_IN_RANGE: 'lies outside', DISCLOSE: 'is disclosed', NOOP: 'exists',
};

/** "birthDate is before / below 20080101" for a request JSON (KYC schema attributes by name). */
export function describeRequest(r: { schema: string; slotIndex: number; operator: string; values: readonly string[] }): string {
  const name = BigInt(r.schema) === KYC_SCHEMA.hash ? ATTRIBUTES.find((a) => KYC_SCHEMA.slotIndex(a) === r.slotIndex) ?? `slot ${r.slotIndex}` : `slot ${r.slotIndex} of schema ${r.schema.slice(0, 8)}…`;
  return `${name} ${OPERATOR_WORDS[r.operator] ?? r.operator} ${r.values.join(', ')}`;
}

/** Random field element of `bytes` bytes (request ids and challenges). */
export function randomField(bytes: number): string {
  return BigInt(`0x${Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('')}`).toString();
}

/** The request a verifier sends: its id (from its wallet), what it asks of which issuers' KYC claims. */
export function kycRequest(p: { verifier: string; issuers: string[]; attribute: string; operator: string; values: string[] }) {
  return requestSchema.parse({
    type: 'masque/credential-query-request@1',
    verifierId: BigInt(p.verifier).toString(), requestId: randomField(8), challenge: randomField(31),
    issuers: p.issuers, schema: KYC_SCHEMA.hash.toString(), slotIndex: KYC_SCHEMA.slotIndex(p.attribute), operator: p.operator,
    values: p.values.map((v) => KYC_SCHEMA.encodeField(p.attribute, v).toString()),
    timestamp: String(Math.floor(Date.now() / 1000)),
  });
}

/** Parses a pasted JSON document; the field error when it is not JSON or fails `schema` (each of a list). */
export function parsePasted(text: string, schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string; path: PropertyKey[] }[] } } }): { value?: unknown; error?: string } {
  let value: unknown;
  try { value = JSON.parse(text); } catch { return { error: 'not JSON: paste the whole document' }; }
  for (const v of Array.isArray(value) ? value : [value]) {
    const r = schema.safeParse(v);
    if (!r.success) { const i = r.error!.issues[0]!; return { error: `${i.path.join('.') || 'document'}: ${i.message}` }; }
  }
  return { value };
}
