import { api, type MethodName } from '../../protocol/api.js';
import type { NodeContext } from '../context.js';
import { method, type MethodDef } from '../rpc/method.js';
import type { Handlers } from './types.js';
import { identityHandlers } from './identity.js';
import { claimHandlers } from './claims.js';
import { kycHandlers } from './kyc.js';
import { accessHandlers } from './access.js';
import { tokenHandlers } from './token.js';
import { zkHandlers } from './zk.js';
import { kycQueueHandlers } from './kyc-queue.js';
import { zkPartiesHandlers } from './zk-parties.js';
import { zkGistHandlers } from './zk-gist.js';
import { screeningHandlers } from './screening.js';
import { riskHandlers } from './risk.js';
import { callerChainError } from './chain-errors.js';
import { issuerHandlers } from './issuers.js';
import { claimDocumentHandlers } from './claim-documents.js';
import { delegationHandlers } from './delegation.js';

export function buildHandlers(ctx: NodeContext): Handlers {
  return {
    ...identityHandlers(ctx), ...claimHandlers(ctx), ...kycHandlers(ctx), ...accessHandlers(ctx), ...tokenHandlers(ctx), ...zkHandlers(ctx),
    ...kycQueueHandlers(ctx), ...zkPartiesHandlers(ctx), ...screeningHandlers(ctx), ...riskHandlers(ctx), ...issuerHandlers(ctx),
    ...claimDocumentHandlers(ctx), ...delegationHandlers(ctx), ...zkGistHandlers(ctx),
  };
}

export function buildMethods(ctx: NodeContext): MethodDef[] {
  const handlers = buildHandlers(ctx);
  return (Object.keys(api) as MethodName[]).map((name) => {
    const a = api[name];
    const handler = handlers[name] as unknown as MethodDef['handler'];
    const guarded: MethodDef['handler'] = async (p, c) => {
      try {
        return await handler(p, c);
      } catch (e) {
        throw callerChainError(e, c.raw);
      }
    };
    return method({ name, summary: a.summary, write: a.write, params: a.params, result: a.result, handler: guarded as never }) as unknown as MethodDef;
  });
}
