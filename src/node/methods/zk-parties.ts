// Issuer, holder and verifier as separate parties (src/zk/README.md, "Parties over the network"): the node hosts ZK
// issuers' trees (src/zk/hosted-issuer.ts, their leaves and roots in the node's database: src/node/db/zk-issuers.ts,
// shared by replicas) without any of their keys, takes their claims
// as hashes with the claim sealed to the holder, delivers them to the holder it authenticates, and publishes every
// issuer's whole revocations tree. The issuer signs and proves its state transitions in its own process
// (zk_publishState relays them).
import { getAddress, type Address } from 'viem';
import { getLatestState } from '../../chain/zk.js';
import { parseId } from '../../identity/index.js';
import { Network } from '../../identity/id.js';
import { HostedIssuers, type HostedIssuerRecord, type HostedState } from '../../zk/hosted-issuer.js';
import { checkHolderAuth, proofToJson, rootsToJson, type HolderAuthJson } from '../../zk/parties.js';
import { ZkError } from '../../zk/types.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { applicationFor, authorize, mayReviewApplication, requireIssuerSigner } from './common.js';
import { conflict, invalidParams, notFound, unauthorized, RpcCode, RpcError } from '../rpc/errors.js';
import { parseMasqueId } from './zk.js';

const stores = new WeakMap<NodeContext, HostedIssuers>();

/** This process's view of the hosted issuers: rows in the node's database, trees rebuilt from them in memory. */
function hosted(ctx: NodeContext): HostedIssuers {
  let s = stores.get(ctx);
  if (!s) {
    s = new HostedIssuers(ctx.repos.zkIssuers);
    stores.set(ctx, s);
  }
  return s;
}

/** A ZkError BAD_INPUT "field: reason" as -32602 naming the field (prefixed), anything else unchanged. */
export function zkParamsError(e: unknown, prefix = ''): unknown {
  if (!(e instanceof ZkError) || e.code !== 'BAD_INPUT') return e;
  const m = /^([\w[\].]+): (.*)$/.exec(e.message);
  if (!m) return invalidParams(prefix ? `(${prefix.replace(/\.$/, '')})` : '(params)', e.message);
  return invalidParams(`${prefix}${m[1]!.replace(/\[(\d+)\]/g, '.$1')}`, m[2]!);
}

function registryAddress(ctx: NodeContext): Address {
  const a = ctx.deployment.identityStateRegistry;
  if (!a) throw new RpcError(RpcCode.INTERNAL, 'the ZK contracts are not deployed');
  return a as Address;
}

/** The ID's latest state on chain, or undefined when it never published. */
async function publishedState(ctx: NodeContext, id: bigint): Promise<bigint | undefined> {
  const s = await getLatestState(ctx.clients.publicClient, registryAddress(ctx), id);
  return s === 0n ? undefined : s;
}

/** The hosted issuer's state that counts on chain: its latest published one, or genesis. */
async function publishedHosted(ctx: NodeContext, issuer: HostedIssuerRecord): Promise<HostedState | undefined> {
  const s = (await publishedState(ctx, parseId(issuer.id).bigint)) ?? issuer.genesisState;
  return await hosted(ctx).stateOf(issuer.id, s);
}

async function hostedIssuer(ctx: NodeContext, value: string, field = 'issuer'): Promise<HostedIssuerRecord> {
  const found = await (/^0x[0-9a-fA-F]{40}$/.test(value) ? hosted(ctx).byAddress(value) : hosted(ctx).byId(parseMasqueId(value, field).string));
  if (!found) throw notFound(`${field}: no ZK issuer ${value} is hosted by this node`);
  return found;
}

/** The revocation nonces of an application's claims that are not revoked yet. */
async function unrevokedNonces(store: HostedIssuers, issuer: string, applicationId: string): Promise<bigint[]> {
  const nonces = [];
  for (const c of await store.claimsOfApplication(issuer, applicationId)) if (!(await store.isRevoked(issuer, c.revocationNonce))) nonces.push(c.revocationNonce);
  return nonces;
}

const stateJson = (s: HostedState) => ({ state: s.state.toString(), roots: rootsToJson(s.roots) });

type Methods = 'zk_registerIssuer' | 'zk_issueClaims' | 'zk_revokeClaims' | 'zk_getIssuer' | 'zk_getHolderClaims' | 'zk_getRevocations';

export const zkPartiesHandlers = (ctx: NodeContext): Pick<Handlers, Methods> => ({
  async zk_registerIssuer(p, { raw }) {
    const signer = await authorize(ctx, 'zk_registerIssuer', raw, p.auth);
    await requireIssuerSigner(ctx, p.issuer, signer);
    const keys = p.keys.map((k) => ({ x: BigInt(k.x), y: BigInt(k.y) }));
    let r;
    try {
      r = await hosted(ctx).register({ address: p.issuer, keys, network: p.network === 'main' ? Network.Main : Network.Test });
    } catch (e) {
      throw zkParamsError(e);
    }
    const id = parseId(r.record.id);
    return { id: id.string, did: id.did, issuer: getAddress(r.record.address), genesisState: r.record.genesisState.toString(), created: r.created };
  },

  async zk_issueClaims(p, { raw }) {
    const signer = await authorize(ctx, 'zk_issueClaims', raw, p.auth);
    const issuer = await hostedIssuer(ctx, p.issuer);
    const a = await applicationFor(await ctx.repos.kyc.get(p.applicationId), (x) => mayReviewApplication(ctx, x, signer));
    if (a.issuer.toLowerCase() !== issuer.address) throw unauthorized(`applicationId: not an application to the ClaimIssuer of ZK issuer ${issuer.id}`);
    if (a.status !== 'approved') throw conflict(`applicationId: the application is ${a.status}; ZK claims follow an approval`);
    const claims = p.claims.map((c, i) => {
      try {
        return {
          indexHash: BigInt(c.indexHash), valueHash: BigInt(c.valueHash), revocationNonce: BigInt(c.revocationNonce),
          holder: parseMasqueId(c.holder, `claims.${i}.holder`).string, applicationId: a.id,
          delivery: JSON.stringify({ ...c.delivery, chainId: ctx.chainId, identity: a.identity, topic: a.topic }),
        };
      } catch (e) {
        throw zkParamsError(e);
      }
    });
    let state: HostedState;
    try {
      state = await hosted(ctx).issue(issuer.id, claims);
    } catch (e) {
      throw zkParamsError(e);
    }
    return {
      issuer: issuer.id, state: state.state.toString(), published: false,
      claims: claims.map((c) => ({ indexHash: c.indexHash.toString(), revocationNonce: c.revocationNonce.toString() })),
    };
  },

  async zk_revokeClaims(p, { raw }) {
    const signer = await authorize(ctx, 'zk_revokeClaims', raw, p.auth);
    const issuer = await hostedIssuer(ctx, p.issuer);
    if (!(await mayReviewApplication(ctx, { issuer: issuer.address }, signer))) throw unauthorized("signer holds no claim-signer or management key at the ZK issuer's ClaimIssuer");
    if ((p.nonces === undefined) === (p.applicationId === undefined)) throw invalidParams('nonces', 'exactly one of nonces or applicationId');
    const store = hosted(ctx);
    const nonces = p.nonces
      ? p.nonces.map((n) => BigInt(n))
      : await unrevokedNonces(store, issuer.id, p.applicationId!);
    if (nonces.length === 0) throw conflict('applicationId: no unrevoked ZK claim was issued for this application');
    let state: HostedState;
    try {
      state = await store.revoke(issuer.id, nonces);
    } catch (e) {
      throw zkParamsError(e);
    }
    return { issuer: issuer.id, state: state.state.toString(), revoked: nonces.map(String) };
  },

  async zk_getIssuer(p) {
    const issuer = await hostedIssuer(ctx, p.issuer);
    const current = await hosted(ctx).current(issuer.id);
    const published = await publishedHosted(ctx, issuer);
    const id = parseId(issuer.id);
    return {
      id: id.string, did: id.did, issuer: getAddress(issuer.address), genesisState: issuer.genesisState.toString(),
      current: stateJson(current), published: published ? stateJson(published) : null, pending: published?.state !== current.state,
    };
  },

  async zk_getHolderClaims(p) {
    let holder;
    try {
      const id = parseMasqueId(p.auth.holder, 'auth.holder');
      holder = checkHolderAuth(p.auth as HolderAuthJson, { chainId: ctx.chainId, now: Math.floor(Date.now() / 1000), latestState: await publishedState(ctx, id.bigint) });
    } catch (e) {
      throw zkParamsError(e, 'auth.');
    }
    const store = hosted(ctx);
    const held = await store.claimsOfHolder(holder.string);
    const publishedOf = new Map<string, HostedState | undefined>();
    const claims = [];
    for (const c of held) {
      if (!publishedOf.has(c.issuer)) publishedOf.set(c.issuer, await publishedHosted(ctx, (await store.byId(c.issuer))!));
      const at = publishedOf.get(c.issuer);
      const published = at !== undefined && at.seq >= c.issuedSeq;
      claims.push({
        issuer: parseId(c.issuer).string, indexHash: c.indexHash.toString(), valueHash: c.valueHash.toString(), applicationId: c.applicationId ?? null,
        delivery: JSON.parse(c.delivery) as { ciphertext: string; envelope: string; chainId: number; identity: string; topic: number },
        published,
        issuerState: published ? at.state.toString() : null, issuerRoots: published ? rootsToJson(at.roots) : null,
        proof: published ? proofToJson(await store.proveClaim(c.issuer, c.indexHash, at)) : null,
      });
    }
    return { holder: holder.string, claims };
  },

  async zk_getRevocations(p) {
    const issuer = await hostedIssuer(ctx, p.issuer);
    const store = hosted(ctx);
    let at: HostedState | undefined;
    if (p.state === undefined) {
      at = await publishedHosted(ctx, issuer);
      if (!at) throw new RpcError(RpcCode.INTERNAL, 'the published state of this issuer is unknown to this node');
    } else {
      at = await store.stateOf(issuer.id, BigInt(p.state));
      if (!at) throw notFound('state: never a state of this issuer at this node');
    }
    return { issuer: issuer.id, state: at.state.toString(), roots: rootsToJson(at.roots), nonces: (await store.revokedAt(issuer.id, at)).map(String) };
  },
});
