// Issuers and registries at run time: node_info (issuers with their topics and did:key, the embedded chain's URL),
// id_registerIssuer (a ClaimIssuer for a new KYC provider, deployed while the node runs), the registry writes signed by
// the registry's owner or role holder and relayed through its executeSigned (the node pays gas, holds no role), their
// reads, and the embedded chain's clock (evm_increaseTime / evm_mine, refused on an external chain).
import { getAddress, type Address, type Hex } from 'viem';
import { claimIssuerAbi, claimIssuerBytecode } from '../../chain/artifacts/ClaimIssuer.js';
import { claimTopicsRegistryAbi } from '../../chain/artifacts/ClaimTopicsRegistry.js';
import { trustedIssuersRegistryAbi } from '../../chain/artifacts/TrustedIssuersRegistry.js';
import { Role } from '../../chain/roles.js';
import {
  defaultRegistryKey, registryCallData, registryCallSigner, type RegistryCallMethod, type RegistryExecution,
} from '../../protocol/registry-calls.js';
import type { Auth } from '../../protocol/auth.js';
import type { NodeContext } from '../context.js';
import { IssuerNameTakenError } from '../db/meta.js';
import type { Handlers } from './types.js';
import { authorize, hasCode, pkh, requireCallSignedBy } from './common.js';
import { RpcCode, RpcError, invalidParams, notFound, unauthorized } from '../rpc/errors.js';

type IssuerMethods = 'node_info' | 'id_registerIssuer' | 'id_addTrustedIssuer' | 'id_removeTrustedIssuer' | 'id_updateIssuerTopics'
  | 'id_setClaimTopics' | 'id_acceptRegistryOwnership' | 'id_getTrustedIssuers' | 'id_getClaimTopics' | 'evm_increaseTime' | 'evm_mine';

/** What the node keeps of an issuer beyond the issuers table (meta key `issuerProfile:<address>`). */
interface IssuerProfile { encryptionDid: string | null }
const profileKey = (address: string) => `issuerProfile:${address.toLowerCase()}`;

/** The role each registry write needs besides ownership, named in refusals. */
const REQUIRED_ROLE: Record<Exclude<RegistryCallMethod, 'id_acceptRegistryOwnership'>, { name: string; bit: bigint }> = {
  id_addTrustedIssuer: { name: 'ISSUERS_SETTER', bit: Role.ISSUERS_SETTER },
  id_removeTrustedIssuer: { name: 'ISSUERS_SETTER', bit: Role.ISSUERS_SETTER },
  id_updateIssuerTopics: { name: 'ISSUERS_SETTER', bit: Role.ISSUERS_SETTER },
  id_setClaimTopics: { name: 'CLAIM_TOPICS_SETTER', bit: Role.CLAIM_TOPICS_SETTER },
};

const trustedTopics = async (ctx: NodeContext, registry: Address, issuer: Address): Promise<number[]> =>
  (await ctx.cache.get(`tit:${registry.toLowerCase()}:${issuer.toLowerCase()}`, (head) => ctx.clients.publicClient.readContract({
    address: registry, abi: trustedIssuersRegistryAbi, functionName: 'getTrustedIssuerClaimTopics', args: [issuer], blockNumber: head.number,
  }))).map(Number);

/** Every issuer the node knows (configured or registered), by name, with the topics the node's registry trusts it for. */
async function knownIssuers(ctx: NodeContext) {
  const rows = await ctx.repos.meta.issuers();
  const configured = new Map(ctx.config.issuers.map((i) => [i.name, i]));
  const out: Record<string, { name: string; address: string; signer: string; topics: number[]; encryptionDid: string | null; trustedTopics: number[] }> = {};
  for (const r of rows) {
    const address = getAddress(r.address);
    const profile = await ctx.repos.meta.get<IssuerProfile>(profileKey(address));
    out[r.name] = {
      name: r.name, address, signer: getAddress(r.signer), topics: r.topics, encryptionDid: profile?.encryptionDid ?? configured.get(r.name)?.encryptionDid ?? null,
      trustedTopics: await trustedTopics(ctx, ctx.deployment.trustedIssuersRegistry, address),
    };
  }
  return out;
}

async function readRegistry<T>(ctx: NodeContext, registry: Address, functionName: string, args: readonly unknown[] = []): Promise<T> {
  return ctx.cache.get(`reg:${registry.toLowerCase()}:${functionName}:${args.join(',')}`, (head) => ctx.clients.publicClient.readContract({
    address: registry, abi: trustedIssuersRegistryAbi, functionName: functionName as 'owner', args: args as [], blockNumber: head.number,
  }) as Promise<T>);
}

/** The registry a method writes or reads: `registry`, else the node's own; it must be a contract. */
async function registryOf(ctx: NodeContext, given: Address | undefined, fallback: 'trustedIssuersRegistry' | 'claimTopicsRegistry'): Promise<Address> {
  const registry = getAddress(given ?? ctx.deployment[fallback]);
  if (given && !(await hasCode(ctx, registry))) throw invalidParams('registry', 'no contract at this address');
  return registry;
}

/**
 * Checks and relays a registry owner's (or role holder's) signed call: the Request signer must be the one who signed
 * the call, and the registry must let them (checked here for a refusal naming the role; the registry checks again).
 */
async function relayRegistryCall(
  ctx: NodeContext, method: RegistryCallMethod, raw: Record<string, unknown>,
  p: Record<string, unknown> & { registry?: Address; execution: RegistryExecution; auth: Auth },
): Promise<{ registry: Address; txHash: Hex }> {
  const signer = await authorize(ctx, method, raw, p.auth);
  if (signer.toLowerCase() === ctx.relayerAddress.toLowerCase()) throw unauthorized('the node cannot authorize its own writes', { field: 'auth.signer' });
  const registry = await registryOf(ctx, p.registry, defaultRegistryKey(method));
  const e = p.execution;
  await requireCallSignedBy(signer, e, () => registryCallSigner(ctx.chainId, registry, method, p, e), {
    what: 'execution signature', field: 'execution', mismatch: 'execution signature is not by auth.signer or not for this call on this registry',
  });
  if (method === 'id_acceptRegistryOwnership') {
    const pending = await readRegistry<Address>(ctx, registry, 'pendingOwner');
    if (pending.toLowerCase() !== signer.toLowerCase()) throw unauthorized('signer is not the pending owner of this registry', { field: 'auth.signer' });
  } else {
    const role = REQUIRED_ROLE[method];
    const [owner, roles] = await Promise.all([readRegistry<Address>(ctx, registry, 'owner'), readRegistry<bigint>(ctx, registry, 'rolesOf', [signer])]);
    if (owner.toLowerCase() !== signer.toLowerCase() && (roles & role.bit) === 0n) {
      throw unauthorized(`signer is neither the owner of this registry nor holds ${role.name} there`, { field: 'auth.signer', role: role.name });
    }
  }
  const r = await ctx.relayer.write({
    // The registry's own ABI, so its custom errors come back by name (-32004 data.error).
    address: registry, abi: method === 'id_setClaimTopics' ? claimTopicsRegistryAbi : trustedIssuersRegistryAbi, functionName: 'executeSigned',
    args: [registryCallData(method, p), BigInt(e.nonce), BigInt(e.deadline), e.signature],
  });
  return { registry, txHash: r.hash };
}

/** The issuer must be a contract, and for a removal or an update, trusted by the registry. */
async function requireIssuer(ctx: NodeContext, registry: Address, issuer: Address, trusted: boolean): Promise<void> {
  if (!(await hasCode(ctx, issuer))) throw invalidParams('issuer', 'no contract at this address (a ClaimIssuer: id_registerIssuer deploys one)');
  const is = await readRegistry<boolean>(ctx, registry, 'isTrustedIssuer', [issuer]);
  if (trusted && !is) throw notFound('this registry does not trust this issuer');
  if (!trusted && is) throw new RpcError(RpcCode.CONFLICT, 'this registry trusts this issuer already (id_updateIssuerTopics changes its topics)', { field: 'issuer' });
}

/** Embedded chain only: test networks need time travel, a shared chain must never see it. */
function embedded(ctx: NodeContext): NonNullable<NodeContext['embeddedChain']> {
  if (!ctx.embeddedChain) throw new RpcError(RpcCode.METHOD_NOT_FOUND, 'only on the embedded chain: this node serves an external chain');
  return ctx.embeddedChain;
}

/**
 * A registration's hold on its name, in the database all replicas share: longer than any deployment takes, after which
 * the name is free again (its replica died between reserving and recording).
 */
const RESERVATION_STALE_MS = 10 * 60_000;
const nameTaken = (name: string) => new RpcError(RpcCode.CONFLICT, `an issuer named "${name}" exists on this node (or is being registered)`, { field: 'name' });

export const issuerHandlers = (ctx: NodeContext): Pick<Handlers, IssuerMethods> => ({
  async node_info() {
    const { issuers: _configured, chainId, relayer, ...rest } = ctx.deployment;
    // Addresses only (the deployment record may hold other values, e.g. block numbers).
    const contracts = Object.fromEntries(Object.entries(rest).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
    return {
      version: '0.1.0', chainId, relayer, did: pkh(ctx.chainId, ctx.relayerAddress), embeddedChain: ctx.embeddedChain !== undefined,
      rpcUrl: ctx.embeddedChain?.rpcUrl ?? null, contracts, issuers: await knownIssuers(ctx),
    };
  },

  async id_registerIssuer(p, { raw }) {
    const signer = await authorize(ctx, 'id_registerIssuer', raw, p.auth);
    if (signer.toLowerCase() !== p.signer.toLowerCase()) throw unauthorized("only the provider's wallet (signer) can register it", { field: 'auth.signer' });
    if (signer.toLowerCase() === ctx.relayerAddress.toLowerCase()) throw unauthorized('the node cannot be an issuer', { field: 'signer' });
    // The name is reserved in the database before anything is deployed: one registration per name across replicas.
    if (!(await ctx.repos.meta.reserveIssuerName(p.name, signer, Date.now() - RESERVATION_STALE_MS))) throw nameTaken(p.name);
    try {
      const owner = getAddress(p.signer);
      // Complete in its deploying transaction: the provider's wallet is management and claim-signer key.
      const d = await ctx.relayer.deploy({ abi: claimIssuerAbi, bytecode: claimIssuerBytecode, args: [owner, [owner], ctx.deployment.identityImplementation], what: 'ClaimIssuer' });
      await ctx.repos.meta.set(profileKey(d.address), { encryptionDid: p.encryptionDid ?? null } satisfies IssuerProfile);
      await ctx.repos.meta.putIssuer({ address: d.address, name: p.name, signer: owner, topics: p.topics }).catch((e: unknown) => {
        throw e instanceof IssuerNameTakenError ? nameTaken(p.name) : e;
      });
      ctx.log(`issuer ${p.name} registered at ${d.address}`);
      return {
        name: p.name, address: d.address, signer: owner, topics: p.topics, encryptionDid: p.encryptionDid ?? null,
        trustedTopics: [], txHash: d.hash,
      };
    } finally {
      await ctx.repos.meta.releaseIssuerName(p.name);
    }
  },

  async id_addTrustedIssuer(p, { raw }) {
    await requireIssuer(ctx, await registryOf(ctx, p.registry, 'trustedIssuersRegistry'), p.issuer, false);
    return relayRegistryCall(ctx, 'id_addTrustedIssuer', raw, p);
  },

  async id_removeTrustedIssuer(p, { raw }) {
    await requireIssuer(ctx, await registryOf(ctx, p.registry, 'trustedIssuersRegistry'), p.issuer, true);
    return relayRegistryCall(ctx, 'id_removeTrustedIssuer', raw, p);
  },

  async id_updateIssuerTopics(p, { raw }) {
    await requireIssuer(ctx, await registryOf(ctx, p.registry, 'trustedIssuersRegistry'), p.issuer, true);
    return relayRegistryCall(ctx, 'id_updateIssuerTopics', raw, p);
  },

  async id_setClaimTopics(p, { raw }) {
    return relayRegistryCall(ctx, 'id_setClaimTopics', raw, p);
  },

  async id_acceptRegistryOwnership(p, { raw }) {
    return relayRegistryCall(ctx, 'id_acceptRegistryOwnership', raw, p);
  },

  async id_getTrustedIssuers(p) {
    const registry = await registryOf(ctx, p.registry, 'trustedIssuersRegistry');
    const names = new Map((await ctx.repos.meta.issuers()).map((i) => [i.address.toLowerCase(), i.name]));
    const [owner, list] = await Promise.all([
      readRegistry<Address>(ctx, registry, 'owner'), readRegistry<readonly Address[]>(ctx, registry, 'getTrustedIssuers'),
    ]).catch(() => { throw invalidParams('registry', 'not a TrustedIssuersRegistry'); });
    const issuers = await Promise.all(list.map(async (a) => ({
      address: getAddress(a), topics: await trustedTopics(ctx, registry, a), name: names.get(a.toLowerCase()) ?? null,
    })));
    return { registry, owner: getAddress(owner), issuers };
  },

  async id_getClaimTopics(p) {
    const registry = await registryOf(ctx, p.registry, 'claimTopicsRegistry');
    const [owner, topics] = await Promise.all([
      readRegistry<Address>(ctx, registry, 'owner'),
      ctx.cache.get(`ctr:${registry.toLowerCase()}`, (head) => ctx.clients.publicClient.readContract({ address: registry, abi: claimTopicsRegistryAbi, functionName: 'getClaimTopics', blockNumber: head.number })),
    ]).catch(() => { throw invalidParams('registry', 'not a ClaimTopicsRegistry'); });
    return { registry, owner: getAddress(owner), topics: topics.map(Number) };
  },

  async evm_increaseTime(p) {
    const chain = embedded(ctx);
    const total = await ctx.clients.publicClient.request({ method: 'evm_increaseTime' as never, params: [p.seconds] as never });
    await chain.persist();
    return Number(total);
  },

  async evm_mine(p) {
    const chain = embedded(ctx);
    const r = await ctx.clients.publicClient.request({ method: 'evm_mine' as never, params: (p.timestamp === undefined ? [] : [p.timestamp]) as never });
    await chain.persist();
    return String(r);
  },
});
