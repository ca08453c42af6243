// The OpenRPC document served by `rpc.discover`, generated from the same zod schemas that validate requests.
import { z } from 'zod';
import type { MethodDef } from './method.js';
import { RpcCode } from './errors.js';

function jsonSchema(t: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // 'any' keeps transforms representable: the document describes the wire shape, not the parsed one.
  return z.toJSONSchema(t, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
}

export function openRpcDocument(methods: readonly MethodDef[], info: { version: string; passThrough: string[] }) {
  return {
    openrpc: '1.3.2',
    info: {
      title: 'Masque identity node',
      version: info.version,
      description: 'Identity, claims, KYC applications, selective disclosure of documents and ERC-3643 compliance. ' +
        `Standard Ethereum namespaces (${info.passThrough.join(', ')}) are passed through to the chain.`,
    },
    methods: methods.map((m) => {
      const schema = jsonSchema(m.params, 'input') as { properties?: Record<string, unknown>; required?: string[] };
      const required = new Set(schema.required ?? []);
      return {
        name: m.name,
        summary: m.summary,
        paramStructure: 'either',
        params: Object.entries(schema.properties ?? {}).map(([name, s]) => ({
          name,
          required: required.has(name),
          schema: s,
        })),
        result: { name: 'result', schema: jsonSchema(m.result, 'output') },
        errors: [
          { code: RpcCode.INVALID_PARAMS, message: 'invalid params (data.field names the field)' },
          ...(m.write ? [{ code: RpcCode.UNAUTHORIZED, message: 'not authorized' }, { code: RpcCode.CHAIN_REVERTED, message: 'the chain refused the transaction' }] : []),
        ],
        'x-write': m.write,
      };
    }),
    components: {
      errors: Object.fromEntries(Object.entries(RpcCode).map(([k, code]) => [k, { code, message: k.toLowerCase().replace(/_/g, ' ') }])),
    },
  };
}
