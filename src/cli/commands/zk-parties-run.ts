// The party subcommands of `masque zk` (usage, options and routing in ./zk-parties.ts, which imports this module
// only when one of them runs), each party in its own process with its own keys (src/zk/README.md, "Parties over the
// network"): the issuer (`zk issuer init|show|publish`, `zk issue`, `zk revoke`), the holder (`zk wallet init|show`,
// `zk fetch`, `zk prove`, `zk submit`, `zk rotate`), the verifier (`zk ask`; `zk verify` is in zk.ts). Local state
// lives in --zk-dir ($MASQUE_ZK_DIR, default ~/.masque/zk): the issuer's mirror of its trees (issuer-<key>.db) and the
// holder's sealed wallet (<key>.wallet). Baby Jubjub keys never leave these processes.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { hkdf } from '@noble/hashes/hkdf.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { createPublicClient, createWalletClient, defineChain, http, type Address, type PublicClient } from 'viem';
import { submitResponse } from '../../chain/zk.js';
import type { Wallet as ChainWallet } from '../../chain/identity.js';
import { publicKey, type PrivateKey } from '../../crypto/eddsa.js';
import { ACCREDITATION_SCHEMA, KYC_SCHEMA, SANCTIONS_SCHEMA, type Schema } from '../../claims/index.js';
import { Identity, Network } from '../../identity/index.js';
import { SqliteIdentityStore } from '../../identity/sqlite-store.js';
import { Wallet } from '../../wallet/index.js';
import { fromBase64, openSealed } from '../../sdk/index.js';
import { ZkHolderAgent, ZkIssuerAgent } from '../../sdk/zk-parties.js';
import { ZkVerifier } from '../../zk/verifier.js';
import { EU_MEMBER_STATES, setQueryAlternatives } from '../../zk/parties.js';
import { Operator, type OperatorName } from '../../zk/types.js';
import { artifactPaths, loadVerificationKey } from '../../zk/node.js';
import { nodeStateRegistry } from '../../sdk/zk.js';
import type { CliContext } from '../context.js';
import { scryptFromEnv, type UnlockedKey } from '../../wallet/keystore.js';

const SCHEMAS: Record<string, Schema> = { kyc: KYC_SCHEMA, accreditation: ACCREDITATION_SCHEMA, sanctions: SANCTIONS_SCHEMA };

function zkDir(ctx: CliContext): string {
  const dir = ctx.opt('zk-dir') ?? ctx.env.MASQUE_ZK_DIR ?? join(homedir(), '.masque', 'zk');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The issuer's Baby Jubjub key, derived from its CLI key's secret seed (never stored). */
function issuerBabyJubjubKey(k: UnlockedKey): PrivateKey {
  return hkdf(sha256, k.encryption.secretKey, utf8ToBytes('masque/cli/zk-issuer'), utf8ToBytes('baby-jubjub/0'), 32);
}

async function issuerAgent(ctx: CliContext, create = false): Promise<{ agent: ZkIssuerAgent; close: () => void }> {
  const k = await ctx.unlock();
  const file = join(zkDir(ctx), `issuer-${k.name}.db`);
  if (!create && !existsSync(file)) throw new Error(`no ZK issuer for key "${k.name}" in ${zkDir(ctx)}: run \`masque zk issuer init\``);
  const store = SqliteIdentityStore.open(file);
  const key = issuerBabyJubjubKey(k);
  const identity = store.loadRecord() ? Identity.open(store) : Identity.create(store, { keys: [publicKey(key)], network: Network.Test });
  return { agent: new ZkIssuerAgent(ctx.client, identity, key, k.account, artifactPaths('stateTransition')), close: () => store.close() };
}

async function holderAgent(ctx: CliContext, create = false): Promise<ZkHolderAgent> {
  const k = await ctx.unlock();
  const file = join(zkDir(ctx), `${k.name}.wallet`);
  const passphrase = await ctx.passphrase();
  if (!create && !existsSync(file)) throw new Error(`no wallet for key "${k.name}" in ${zkDir(ctx)}: run \`masque zk wallet init\``);
  const wallet = existsSync(file) ? await Wallet.open(file, passphrase) : await Wallet.create(file, passphrase, { network: Network.Main, scrypt: scryptFromEnv(ctx.env) });
  return new ZkHolderAgent(ctx.client, wallet, k.encryption, { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth'), stateTransition: artifactPaths('stateTransition') });
}

/** The KYC document of an application, opened with the issuer's ML-KEM key: JSON with the claim data and `zk`. */
async function kycDocument(ctx: CliContext, k: UnlockedKey, applicationId: string) {
  const app = await ctx.client.write('id_getKycApplication', { applicationId, includeDocument: true }, k.account);
  const env = app.envelopes.find((e) => e.recipient === k.encryption.did);
  if (!env?.envelope || !app.ciphertext) throw new Error('applicationId: no envelope for this key in the application');
  const plain = await openSealed(fromBase64(app.ciphertext), env.envelope, k.encryption, { chainId: await ctx.client.chainId(), identity: app.identity as Address, topic: app.topic });
  let doc: { birthDate?: unknown; countryOfResidence?: unknown; nationality?: unknown; zk?: { holder?: unknown; encryptionKey?: unknown } };
  try { doc = JSON.parse(new TextDecoder().decode(plain)); } catch { throw new Error('document: not JSON (a ZK claim needs birthDate, countryOfResidence, nationality and zk.holder, zk.encryptionKey)'); }
  for (const f of ['birthDate', 'countryOfResidence', 'nationality'] as const) if (typeof doc[f] !== 'string') throw new Error(`document.${f}: missing`);
  if (typeof doc.zk?.holder !== 'string') throw new Error('document.zk.holder: missing (the holder\'s did:masque)');
  if (typeof doc.zk?.encryptionKey !== 'string') throw new Error('document.zk.encryptionKey: missing (the holder\'s did:key)');
  return { data: { birthDate: doc.birthDate, countryOfResidence: doc.countryOfResidence, nationality: doc.nationality }, holder: { id: doc.zk.holder, encryptionKey: doc.zk.encryptionKey } };
}

/** A query bound as the schema encodes the field (dates, countries...); `EU` stands for the 27 member states. */
function queryValues(schema: Schema, field: string, list: string | undefined): bigint[] {
  if (!list) return [];
  return list.split(',').flatMap((v) => (v === 'EU' ? [...EU_MEMBER_STATES] : [v.trim()])).map((v) => (/^\d+$/.test(v) && !/date/i.test(field) ? BigInt(v) : schema.encodeField(field, v)));
}

/** The chain through the node's eth_ pass-through. */
const chainReader = (ctx: CliContext) => createPublicClient({ transport: http(ctx.client.url) }) as PublicClient;

async function withIssuer<T>(ctx: CliContext, create: boolean, f: (agent: ZkIssuerAgent) => Promise<T>): Promise<T> {
  const { agent, close } = await issuerAgent(ctx, create);
  try { return await f(agent); } finally { close(); }
}

/** Runs a party subcommand (./zk-parties.ts routes only those here). */
export async function runParty(ctx: CliContext): Promise<unknown> {
  const [sub, verb] = ctx.args;
  if (sub === 'issuer' && verb === 'init') {
    return withIssuer(ctx, true, async (a) => a.register(await ctx.issuerAddress(ctx.need('issuer'))));
  }
  if (sub === 'issuer' && verb === 'show') return withIssuer(ctx, false, (a) => ctx.client.call('zk_getIssuer', { issuer: a.identity.id.string }));
  if (sub === 'issuer' && verb === 'publish') {
    return withIssuer(ctx, false, async (a) => (await a.publish()) ?? { published: false, reason: 'nothing pending' });
  }
  if (sub === 'issue') {
    const applicationId = ctx.arg(1, 'applicationId');
    return withIssuer(ctx, false, async (a) => {
      const { data, holder } = await kycDocument(ctx, await ctx.unlock(), applicationId);
      const expiration = ctx.now() + Number(ctx.opt('days') ?? 365) * 86400;
      const { result } = await a.issueForApplication(applicationId, holder, [{ schema: KYC_SCHEMA, expiration, data }]);
      return result;
    });
  }
  if (sub === 'revoke') {
    const application = ctx.opt('application');
    const nonce = ctx.opt('nonce');
    if (!application === !nonce) throw new Error('--application or --nonce');
    return withIssuer(ctx, false, (a) => a.revoke(application ? { applicationId: application } : { nonces: [BigInt(nonce!)] }));
  }
  if (sub === 'wallet' && (verb === 'init' || verb === 'show')) {
    const h = await holderAgent(ctx, verb === 'init');
    if (verb === 'init') return h.holder;
    return {
      ...h.holder, keys: h.wallet.identity.keys.map((k) => ({ slot: k.slot, x: k.key.x.toString(), y: k.key.y.toString() })),
      claims: h.wallet.claims().map((c) => ({ issuer: c.issuerId, schema: c.claim.schemaHash.toString(), expiration: Number(c.claim.expiration ?? 0), revocationNonce: c.claim.revocationNonce.toString() })),
    };
  }
  if (sub === 'fetch') return (await holderAgent(ctx)).receive();
  if (sub === 'prove') {
    const holder = await holderAgent(ctx);
    let request: unknown;
    if (ctx.flag('onchain')) {
      // The proof's timestamp is the chain's (ZkQueryVerifier refuses one from its future).
      const { timestamp } = await chainReader(ctx).getBlock({ blockTag: 'latest' });
      request = await ctx.client.zk.holderRequest(ctx.arg(1, 'requestId'), { wallet: (await ctx.unlock()).account.address, timestamp });
    } else {
      request = ctx.json(1, 'request.json');
    }
    const gistRoot = ctx.opt('gist-root');
    if (gistRoot !== undefined && !/^\d{1,78}$/.test(gistRoot)) throw new Error('--gist-root: a decimal field element (a GIST root)');
    const response = await holder.respond(request, gistRoot === undefined ? {} : { gistRoot: BigInt(gistRoot) });
    const out = ctx.opt('out');
    if (out) writeFileSync(out, JSON.stringify(response));
    return response;
  }
  if (sub === 'submit') {
    const requestId = ctx.arg(1, 'requestId');
    const response = { ...ctx.json(2, 'response.json'), requestId };
    const k = await ctx.unlock();
    const chain = defineChain({ id: await ctx.client.chainId(), name: 'masque', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [ctx.client.url] } } });
    const wallet = createWalletClient({ chain, transport: http(ctx.client.url), account: k.account }) as ChainWallet;
    const queryVerifier = (await ctx.client.rpc.node_info({})).contracts.zkQueryVerifier as Address;
    const r = await submitResponse(wallet, chainReader(ctx), queryVerifier, response);
    return { accepted: true, requestId, nullifier: r.nullifier.toString(), revealedValue: r.revealedValue.toString(), txHash: r.receipt.transactionHash };
  }
  if (sub === 'rotate') return (await holderAgent(ctx)).rotateKey();
  if (sub === 'ask') {
    const schema = SCHEMAS[ctx.opt('schema') ?? 'kyc'];
    if (!schema) throw new Error(`--schema: one of ${Object.keys(SCHEMAS).join(', ')}`);
    const field = ctx.need('field');
    const operator = ctx.need('operator') as OperatorName;
    if (!Object.hasOwn(Operator, operator)) throw new Error(`--operator: one of ${Object.keys(Operator).join(', ')}`);
    const verifierId = ctx.opt('verifier-id') ?? (ctx.opt('as') ? BigInt((await ctx.unlock()).account.address).toString() : undefined);
    if (!verifierId || !/^\d+$/.test(verifierId)) throw new Error('--verifier-id: a decimal integer (or --as K: its address)');
    const verifier = new ZkVerifier({ verifierId: BigInt(verifierId), verificationKeys: { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') }, registry: nodeStateRegistry(ctx.client) });
    const values = queryValues(schema, field, ctx.opt('values'));
    const make = (v: bigint[]) => verifier.createRequest({ issuers: ctx.need('issuer').split(','), schema: schema.hash, slotIndex: schema.slotIndex(field), operator, values: v });
    const request = values.length > 16 && (operator === 'IN') ? setQueryAlternatives(values, make) : make(values);
    const out = ctx.opt('out');
    if (out) writeFileSync(out, JSON.stringify(request));
    return request;
  }
  return undefined;
}
