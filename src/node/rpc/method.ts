import type { z } from 'zod';

/** What a handler sees besides its params. */
export interface CallContext {
  /** The raw request id, for logs. */
  readonly id: string | number | null;
  /** The params exactly as sent (by name), for signatures computed over the wire form. */
  readonly raw: Record<string, unknown>;
}

/**
 * One JSON-RPC method: its schemas are the single source for validation, the TypeScript types of the SDK and
 * the OpenRPC document.
 */
export interface MethodDef<P extends z.ZodObject = z.ZodObject, R extends z.ZodType = z.ZodType> {
  readonly name: string;
  readonly summary: string;
  /** Whether the method changes state (relayed, durable before it answers). */
  readonly write: boolean;
  readonly params: P;
  readonly result: R;
  readonly handler: (params: z.output<P>, ctx: CallContext) => Promise<z.input<R>>;
}

export function method<P extends z.ZodObject, R extends z.ZodType>(def: MethodDef<P, R>): MethodDef<P, R> {
  return def;
}

export type ParamsOf<M> = M extends MethodDef<infer P, z.ZodType> ? z.input<P> : never;
export type ResultOf<M> = M extends MethodDef<z.ZodObject, infer R> ? z.output<R> : never;
