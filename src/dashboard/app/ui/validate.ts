// Field-level validation with the API's own zod schemas (src/protocol/api.ts): a form checks each field with the
// schema the node will apply, and a node refusal that names a field lands on that field.
import type { ZodType } from 'zod';
import { describeError } from '../lib/errors.js';

export type Errors = Record<string, string | undefined>;

/** The first issue of `schema` for `value`, or undefined when it passes. */
export function check(schema: ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/** Checks each [field, schema, value]; returns the errors (empty when all pass). */
export function checkAll(rows: [string, ZodType, unknown][]): Errors {
  const out: Errors = {};
  for (const [field, schema, value] of rows) {
    const e = check(schema, value);
    if (e) out[field] = e;
  }
  return out;
}

export const hasErrors = (e: Errors) => Object.values(e).some(Boolean);

/** A node refusal that names one of `fields` (its data.field, first segment) becomes that field's error. */
export function fieldFromRefusal(e: unknown, fields: string[]): Errors | undefined {
  const p = describeError(e);
  const f = p.field?.split('.')[0];
  return f && fields.includes(f) ? { [f]: p.detail.replace(/^invalid params: [^:]+: /, '') } : undefined;
}
