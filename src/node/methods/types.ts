import type { z } from 'zod';
import type { Api, MethodName } from '../../protocol/api.js';
import type { CallContext } from '../rpc/method.js';

export type Handlers = {
  [M in MethodName]: (params: z.output<Api[M]['params']>, ctx: CallContext) => Promise<z.input<Api[M]['result']>>;
};
