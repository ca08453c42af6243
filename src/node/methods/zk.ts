// The zk_ namespace: the on-chain ZK contracts (IdentityStateRegistry, ZkQueryVerifier) seen through the node, and
// off-chain verification of credential-query responses as a service. The node only ever sees proofs and public
// signals: never a witness, a claim or a key.
import { statSync } from 'node:fs';
import { getAddress, type Address } from 'viem';
import { identityStateRegistryAbi } from '../../chain/artifacts/index.js';
import { identityStateRegistry } from '../../chain/identity-state.js';
import { checkResponse, getRequest, getState, isStateValid, toSolidityProof, type ZkContracts } from '../../chain/zk.js';
import { parseId, type Id } from '../../identity/index.js';
import { Operator, type VerificationKey } from '../../zk/types.js';
import { releaseProverResources } from '../../zk/prover.js';
import { ZkVerifier } from '../../zk/verifier.js';
import type { CredentialQueryRequestJson, CredentialQueryResponseJson } from '../../zk/request.js';
import { artifactPaths, loadVerificationKey } from '../../zk/node.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { RpcCode, RpcError, invalidParams, notFound } from '../rpc/errors.js';
import { revertError } from '../chain/relayer.js';
import { zkParamsError } from './zk-parties.js';

/** How many of an identity's newest states zk_getIdentityState returns. */
const HISTORY_WINDOW = 256n;

/** IdentityStateRegistry's refusals of a transition, in words. */
const PUBLISH_REFUSALS: Record<string, string> = {
  InvalidSignal: 'a signal is not a field element, or id is not a Masque ID',
  AlreadyPublished: 'the proof starts from the genesis state but this ID already published: prove from its latest state',
  NotGenesisState: 'id is not the genesis ID of oldState',
  NoPublishedState: 'this ID never published: its first transition starts from its genesis state',
  OldStateNotLatest: "oldState is not the ID's latest published state",
  StateAlreadyPublished: 'newState already was a state of this ID',
  InvalidProof: 'the Groth16 proof does not verify for these public signals',
  StaleGistRoot: 'gistOldRoot is not the current GIST root (another transition landed first): prove again on the current root',
};

const operatorNames = Object.fromEntries(Object.entries(Operator).map(([k, v]) => [v, k])) as Record<number, string>;

/** A Masque ID from its base58 string, its did:masque DID or its decimal integer. */
export function parseMasqueId(value: string, field = 'id'): Id {
  if (/^\d+$/.test(value)) {
    try { return parseId(BigInt(value)); } catch { /* maybe base58 made of digits only */ }
  }
  try {
    return parseId(value);
  } catch (e) {
    throw invalidParams(field, `not a Masque ID (${(e as Error).message})`);
  }
}

// The verification key of the credential-query circuit, re-read when the file changes (a new ceremony).
const vkeyCache = new Map<string, { mtimeMs: number; vkey: VerificationKey }>();
function verificationKey(name: 'credentialQuery' | 'holderAuth'): VerificationKey {
  const mtimeMs = statSync(artifactPaths(name).vkey).mtimeMs;
  let cached = vkeyCache.get(name);
  if (cached?.mtimeMs !== mtimeMs) vkeyCache.set(name, cached = { mtimeMs, vkey: loadVerificationKey(name) });
  return cached.vkey;
}

// snarkjs keeps its BN254 curve and worker threads after a verification: released when the node stops (else a
// process that stopped an in-process node would not exit). Only when this node verified something.
let verified = false;
export async function releaseZkResources(): Promise<void> {
  if (!verified) return;
  verified = false;
  await releaseProverResources();
}

function zkContracts(ctx: NodeContext): ZkContracts {
  const d = ctx.deployment;
  if (!d.identityStateRegistry || !d.zkQueryVerifier || !d.stateTransitionVerifier || !d.credentialQueryVerifier || !d.holderAuthVerifier) {
    throw new RpcError(RpcCode.INTERNAL, 'the ZK contracts are not deployed');
  }
  return d as unknown as ZkContracts;
}

type ZkMethods = 'zk_getIdentityState' | 'zk_isStateValid' | 'zk_isGistRootValid' | 'zk_publishState' | 'zk_getRequest' | 'zk_checkResponse' | 'zk_verifyResponse';

export const zkHandlers = (ctx: NodeContext): Pick<Handlers, ZkMethods> => ({
  async zk_getIdentityState(p) {
    const id = parseMasqueId(p.id);
    const registry = zkContracts(ctx).identityStateRegistry;
    const reader = ctx.clients.publicClient;
    const n = await reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'historyLength', args: [id.bigint] });
    const start = n > HISTORY_WINDOW ? n - HISTORY_WINDOW : 0n;
    const states = n === 0n ? [] : await reader.readContract({ address: registry, abi: identityStateRegistryAbi, functionName: 'stateHistory', args: [id.bigint, start, n - start] });
    const infos = await Promise.all(states.map((s) => getState(reader, registry, id.bigint, s)));
    const history = infos.map((info, i) => {
      if (!info) throw new RpcError(RpcCode.UPSTREAM, 'the registry changed while it was read: retry');
      return {
        state: info.state.toString(),
        genesis: start + BigInt(i) === 0n,
        replacedByState: info.replacedByState === 0n ? null : info.replacedByState.toString(),
        createdAt: Number(info.createdAt), createdBlock: Number(info.createdBlock),
        replacedAt: info.replacedAt === 0 ? null : Number(info.replacedAt), replacedBlock: info.replacedBlock === 0 ? null : Number(info.replacedBlock),
      };
    });
    return {
      id: id.string, did: id.did, idDecimal: id.bigint.toString(), registry,
      published: n > 0n,
      latestState: history.length ? history[history.length - 1]!.state : null,
      historyLength: Number(n),
      history,
    };
  },

  async zk_isStateValid(p) {
    const id = parseMasqueId(p.id);
    const reader = ctx.clients.publicClient;
    // The verdict is the chain's at that block's time. cacheTime 0: viem would otherwise answer a block number up to
    // its polling interval old, before a state published a moment ago.
    const blockNumber = await reader.getBlockNumber({ cacheTime: 0 });
    const valid = await isStateValid(reader, zkContracts(ctx).identityStateRegistry, id.bigint, BigInt(p.state), BigInt(p.maxAgeAfterReplacement), { blockNumber });
    return { valid, blockNumber: Number(blockNumber) };
  },

  async zk_isGistRootValid(p) {
    const reader = ctx.clients.publicClient;
    const blockNumber = await reader.getBlockNumber({ cacheTime: 0 });
    const valid = await reader.readContract({
      address: zkContracts(ctx).identityStateRegistry, abi: identityStateRegistryAbi, functionName: 'isGistRootValid',
      args: [BigInt(p.root), BigInt(p.maxAgeAfterReplacement)], blockNumber,
    });
    return { valid, blockNumber: Number(blockNumber) };
  },

  async zk_publishState(p) {
    const registry = zkContracts(ctx).identityStateRegistry;
    const [id, oldState, newState, genesis, gistOldRoot, gistNewRoot] = p.publicSignals.map((s) => BigInt(s)) as [bigint, bigint, bigint, bigint, bigint, bigint];
    if (genesis > 1n) throw invalidParams('publicSignals.3', 'isOldStateGenesis is 0 or 1');
    const { a, b, c } = toSolidityProof(p.proof);
    const call = {
      address: registry, abi: identityStateRegistryAbi, functionName: 'transitState' as const,
      args: [id, oldState, newState, genesis === 1n, gistOldRoot, gistNewRoot, a, b, c] as const,
    };
    // Simulated first, so a refused transition costs nothing and sends nothing (the relayer's gas estimation would
    // refuse it too, but this names the reason in words).
    const refusal = (e: unknown) => {
      const err = e instanceof RpcError ? e : revertError(e, 'transitState');
      const name = (err.data as { error?: string } | undefined)?.error;
      if (err.code !== RpcCode.CHAIN_REVERTED || !name) return err;
      return new RpcError(RpcCode.CHAIN_REVERTED, `state transition refused: ${name}${PUBLISH_REFUSALS[name] ? ` (${PUBLISH_REFUSALS[name]})` : ''}`, { error: name, reason: PUBLISH_REFUSALS[name] });
    };
    try {
      await ctx.clients.publicClient.simulateContract({ ...call, account: ctx.relayer.address } as never);
    } catch (e) {
      throw refusal(e);
    }
    let r;
    try {
      r = await ctx.relayer.write(call as never);
    } catch (e) {
      throw refusal(e);
    }
    return {
      txHash: r.hash, id: id.toString(), oldState: oldState.toString(), newState: newState.toString(), isOldStateGenesis: genesis === 1n,
      blockNumber: Number(r.receipt.blockNumber), gasUsed: r.receipt.gasUsed.toString(),
    };
  },

  async zk_getRequest(p) {
    const queryVerifier = zkContracts(ctx).zkQueryVerifier;
    let r: Awaited<ReturnType<typeof getRequest>>;
    try {
      r = await getRequest(ctx.clients.publicClient, queryVerifier, BigInt(p.requestId));
    } catch (e) {
      const err = revertError(e, 'getRequest');
      if ((err.data as { error?: string } | undefined)?.error === 'UnknownRequest') throw notFound(`no request ${p.requestId} at ZkQueryVerifier ${queryVerifier}`);
      throw err;
    }
    return {
      requestId: p.requestId, queryVerifier, owner: getAddress(r.owner), verifierId: BigInt(r.owner).toString(), active: r.active,
      query: {
        schema: r.schema.toString(), slotIndex: r.slotIndex, operator: operatorNames[r.operator] ?? String(r.operator),
        values: r.values.map(String), issuers: r.trustedIssuers.map((i) => parseId(i).string),
      },
      issuerStateMaxAge: Number(r.issuerStateMaxAge), maxProofAge: Number(r.maxProofAge),
    };
  },

  async zk_checkResponse(p) {
    try {
      // The request checked is the one named by the params, whatever the response says it answers.
      const response = { ...(p.response as CredentialQueryResponseJson), requestId: String(p.requestId) };
      return await checkResponse(ctx.clients.publicClient, zkContracts(ctx).zkQueryVerifier, p.sender as Address, response);
    } catch (e) {
      throw revertError(e, 'checkResponse');
    }
  },

  async zk_verifyResponse(p) {
    const registry = identityStateRegistry({ reader: ctx.clients.publicClient, address: zkContracts(ctx).identityStateRegistry });
    const verifierId = BigInt(p.request.verifierId);
    const verifier = new ZkVerifier({
      verifierId, verificationKeys: { credentialQuery: verificationKey('credentialQuery'), holderAuth: verificationKey('holderAuth') }, registry, maxStateAge: p.maxStateAge,
      nullifiers: ctx.repos.zk.nullifierStore(verifierId),
    });
    let result;
    verified = true;
    try {
      result = await verifier.verify(p.request as CredentialQueryRequestJson, p.response as CredentialQueryResponseJson);
    } catch (e) {
      throw zkParamsError(e, 'request.');
    }
    if (!result.ok) return { ok: false, reason: result.code, message: result.reason };
    const s = result.signals;
    return {
      ok: true, reason: 'OK', nullifier: s.nullifier.toString(), revealedValue: s.revealedValue.toString(), issuerId: parseId(s.issuerId).string,
      issuerState: s.issuerState.toString(), verifierId: s.verifierId.toString(), requestId: s.requestId.toString(),
    };
  },
});
