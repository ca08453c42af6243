import { getAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { identityFactoryAbi } from '../../chain/artifacts/IdentityFactory.js';
import { identityRegistryAbi } from '../../chain/artifacts/IdentityRegistry.js';
import { KeyPurpose, ECDSA_KEY_TYPE, ClaimTopic, predictIdentityAddress, registryKey, walletKey } from '../../chain/identity.js';
import { resolveDidDocument } from '../../did/index.js';
import type { NodeContext } from '../context.js';
import type { Handlers } from './types.js';
import { authorize, pkh, relayIdentityCall, requireIdentity, requireManager, ZERO32 } from './common.js';
import { claimsOfTopic, isContract } from '../chain/reads.js';
import { invalidParams, notFound, unauthorized } from '../rpc/errors.js';
import { encryptionKeys } from './claim-documents.js';
import { walletIdentities } from './wallet-identities.js';

/**
 * Identities the node creates hold the node's TrustedIssuersRegistry as a claim registry (purpose 5): any issuer that
 * registry trusts for a topic pushes and renews its claims of that topic there (ClaimIssuer.issueClaim / renewClaim,
 * renewal atomic) without the subject online, including issuers registered and trusted after the identity was made.
 * The node's own key gets nothing: it can neither add nor remove a claim there, and key and grant changes come with
 * the subject's executeSigned signature. One key, the same for every identity, so the CREATE2 prediction never
 * depends on which issuers exist. See README "Relaying".
 */
export function nodeKeys(ctx: NodeContext) {
  return [{ key: registryKey(ctx.deployment.trustedIssuersRegistry), purpose: KeyPurpose.CLAIM_REGISTRY }];
}

export function predictNodeIdentity(ctx: NodeContext, wallet: Address, salt: Hex): Address {
  return predictIdentityAddress({
    factory: ctx.deployment.identityFactory, implementation: ctx.deployment.identityImplementation, wallet, salt, keys: nodeKeys(ctx),
  });
}

const ALL_TOPICS = Object.values(ClaimTopic).map(Number);

export const identityHandlers = (ctx: NodeContext): Pick<Handlers, 'id_createIdentity' | 'id_getIdentity' | 'id_addKey' | 'id_removeKey' | 'id_resolveDid'> => ({
  async id_createIdentity(p, { raw }) {
    const signer = await authorize(ctx, 'id_createIdentity', raw, p.auth);
    if (signer.toLowerCase() !== p.wallet.toLowerCase()) throw unauthorized('only the wallet itself can create its identity', { field: 'auth.signer' });
    const salt = (p.salt ?? ZERO32) as Hex;
    // An identity this node already created for the wallet and salt stays its identity, even when the configured
    // issuers (hence the initial keys, hence the predicted address) changed since.
    const known = await ctx.repos.identities.byWallet(p.wallet);
    const identity = known && known.salt.toLowerCase() === salt.toLowerCase() && (await isContract(ctx.clients.publicClient, known.identity as Address))
      ? getAddress(known.identity)
      : predictNodeIdentity(ctx, getAddress(p.wallet), salt);
    let txHash: string | null = null;
    let created = false;
    if (!(await isContract(ctx.clients.publicClient, identity))) {
      const keys = nodeKeys(ctx);
      const r = await ctx.relayer.write({
        address: ctx.deployment.identityFactory, abi: identityFactoryAbi, functionName: 'createIdentityWithKeys',
        args: [p.wallet, salt, keys.map((k) => k.key), keys.map((k) => k.purpose)],
      });
      txHash = r.hash;
      created = true;
    }
    if (p.country !== undefined) {
      const registered = await ctx.clients.publicClient.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'contains', args: [p.wallet] });
      if (!registered) {
        const r = await ctx.relayer.write({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'registerIdentity', args: [p.wallet, identity, p.country] });
        txHash = r.hash;
      }
    }
    await ctx.repos.identities.put({ wallet: p.wallet, identity, salt, txHash });
    return { identity, wallet: getAddress(p.wallet), did: pkh(ctx.chainId, identity), walletDid: pkh(ctx.chainId, p.wallet), created, txHash };
  },

  async id_getIdentity(p) {
    const r = ctx.clients.publicClient;
    const row = await (p.identity ? ctx.repos.identities.byIdentity(p.identity) : ctx.repos.identities.byWallet(p.wallet!));
    let identity = (p.identity ?? row?.identity) as Address | undefined;
    const wallet = (row?.wallet ?? p.wallet) as Address | undefined;
    if (!identity && wallet) {
      const fromRegistry = await r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'identity', args: [wallet] });
      if (!/^0x0{40}$/.test(fromRegistry)) identity = fromRegistry;
    }
    if (!identity || !(await isContract(r, identity))) throw notFound('no identity found');
    const keyLists = await Promise.all([1n, 2n, 3n, 4n, 5n].map((purpose) => r.readContract({ address: identity!, abi: identityAbi, functionName: 'getKeysByPurpose', args: [purpose] })));
    const keys = new Map<string, number[]>();
    keyLists.forEach((list, i) => { for (const k of list) keys.set(k, [...(keys.get(k) ?? []), i + 1]); });
    const topics = [...new Set([...ALL_TOPICS, ...ctx.config.requiredTopics])];
    const claims = (await Promise.all(topics.map((t) => claimsOfTopic(r, identity!, t)))).flat();
    const registered = wallet
      ? await r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'contains', args: [wallet] })
      : false;
    const verified = registered && wallet
      ? await r.readContract({ address: ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'isVerified', args: [wallet] })
      : false;
    return {
      identity: getAddress(identity), wallet: wallet ? getAddress(wallet) : null, did: pkh(ctx.chainId, identity), registered, verified,
      keys: [...keys].map(([key, purposes]) => ({ key, purposes })), claims, encryptionKeys: await encryptionKeys(ctx, identity),
    };
  },

  async id_addKey(p, { raw }) {
    const signer = await authorize(ctx, 'id_addKey', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const r = await relayIdentityCall(ctx, 'id_addKey', p, signer);
    return { txHash: r.hash };
  },

  async id_removeKey(p, { raw }) {
    const signer = await authorize(ctx, 'id_removeKey', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const r = await relayIdentityCall(ctx, 'id_removeKey', p, signer);
    return { txHash: r.hash };
  },

  async id_resolveDid(p) {
    if (p.did.startsWith('did:key:')) {
      try {
        return resolveDidDocument(p.did) as unknown as Record<string, unknown>;
      } catch (e) {
        throw invalidParams('did', (e as Error).message);
      }
    }
    const m = /^did:pkh:eip155:(\d+):(0x[0-9a-fA-F]{40})$/.exec(p.did);
    if (!m) throw invalidParams('did', 'expected did:pkh:eip155:<chainId>:<address>');
    if (Number(m[1]) !== ctx.chainId) throw notFound(`this node serves chain ${ctx.chainId}, not ${m[1]}`);
    const wallet = getAddress(m[2]!);
    // Every identity the chain says this wallet manages, wherever it was deployed (the local record alone proves nothing).
    const identities = await walletIdentities(ctx, wallet);
    // The identities' encryption keys (purpose 4) are the wallet's keyAgreement: what documents for it are wrapped for.
    const keyDids = (await Promise.all([...identities].map((i) => encryptionKeys(ctx, i)))).flat().flatMap((k) => (k.did ? [k.did] : []));
    try {
      return resolveDidDocument(`did:pkh:eip155:${ctx.chainId}:${wallet}`, { identities: [...identities], encryptionKeys: [...new Set(keyDids)] }) as unknown as Record<string, unknown>;
    } catch (e) {
      throw invalidParams('did', (e as Error).message);
    }
  },
});

export { requireIdentity };
