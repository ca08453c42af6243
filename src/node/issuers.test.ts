// Issuers and registries at run time, end to end over HTTP against one started node: a KYC provider registers its
// ClaimIssuer while the node runs, the registry owner (a key of its own, never the relayer's) trusts it by a signed
// call the node relays, the issuer then gives claims to an identity created before it existed, and distrusting it
// invalidates them in the same block. Every role refusal and every bad param names what is wrong.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createWalletClient, http, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { MasqueClient, signClaim } from '../sdk/index.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { Role } from '../chain/roles.js';
import { registryKey } from '../chain/identity.js';
import { registryCallTypedData } from '../protocol/registry-calls.js';
import { expectRpcRefusal as refused, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let tir: Address;
let ctr: Address;
let owner: PrivateKeyAccount;
const provider = privateKeyToAccount(generatePrivateKey());
const holder = privateKeyToAccount(generatePrivateKey());
const stranger = privateKeyToAccount(generatePrivateKey());
const delegate = privateKeyToAccount(generatePrivateKey());
const DID = 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
let earlyIdentity: Address;
let newIssuer: Address;

const now = () => Math.floor(Date.now() / 1000);

/** The issuer-signed claim of `topic` for `identity`, valid for an hour from now. */
async function claim(identity: Address, topic = 1, issuedAt = now() - 5) {
  const expiresAt = issuedAt + 3600;
  const documentHash = `0x${'77'.repeat(32)}` as Hex;
  const { signature } = await signClaim(provider, { chainId, issuer: newIssuer, identity, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
  return { identity, topic, issuer: newIssuer, documentHash, issuedAt, expiresAt, signature };
}

/** The registry owner's own transaction on the embedded chain (what a wallet or `cast` does, outside the node). */
async function ownerTx(functionName: 'grantRoles' | 'transferOwnership', args: readonly unknown[]) {
  const rpcUrl = (await client.rpc.node_info({})).rpcUrl!;
  const r = t.node.ctx.clients.publicClient;
  await r.request({ method: 'anvil_setBalance' as never, params: [owner.address, '0x56bc75e2d63100000000'] as never });
  const w = createWalletClient({ account: owner, chain: t.node.ctx.clients.walletClient.chain, transport: http(rpcUrl) });
  const hash = await w.writeContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName, args } as never);
  assert.equal((await r.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status, 'success');
}

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
  const info = await client.rpc.node_info({});
  chainId = info.chainId;
  tir = info.contracts.trustedIssuersRegistry as Address;
  ctr = info.contracts.claimTopicsRegistry as Address;
  owner = privateKeyToAccount(readFileSync(join(t.dataDir, 'keys', 'registry-owner.key'), 'utf8').trim() as Hex);
  // Created before the issuer exists: it must still take the issuer's claims once a registry owner trusts it.
  earlyIdentity = (await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder)).identity as Address;
});
after(async () => { await t?.stop(); });

describe('node_info', () => {
  it("shows the embedded chain's RPC URL, and each issuer with its topics, trust and did:key", async () => {
    const info = await client.rpc.node_info({});
    assert.equal(info.embeddedChain, true);
    const res = await fetch(info.rpcUrl!, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] }) });
    assert.equal(Number(((await res.json()) as { result: string }).result), chainId);
    assert.deepEqual({ ...info.issuers.kyc!, address: undefined }, {
      name: 'kyc', address: undefined, signer: t.issuerSigner.address, topics: [1], encryptionDid: null, trustedTopics: [1],
    });
    assert.deepEqual(info.issuers.aml!.trustedTopics, [2]);
  });

  it('the registries belong to the registry-owner key, not to the relayer', async () => {
    const trusted = await client.rpc.id_getTrustedIssuers({});
    assert.equal(trusted.owner, owner.address);
    assert.notEqual(trusted.owner.toLowerCase(), t.node.ctx.relayerAddress.toLowerCase());
    const topics = await client.rpc.id_getClaimTopics({});
    assert.deepEqual(topics, { registry: ctr, owner: owner.address, topics: [1] });
    const kyc = (await client.rpc.node_info({})).issuers.kyc!.address;
    assert.deepEqual(trusted.issuers.find((i) => i.address === kyc), { address: kyc, topics: [1], name: 'kyc' });
  });

  it('identities the node creates hold its TrustedIssuersRegistry as their claim registry (purpose 5)', async () => {
    const keys = (await client.rpc.id_getIdentity({ identity: earlyIdentity })).keys;
    assert.deepEqual(keys.find((k) => k.key === registryKey(tir))?.purposes, [5]);
  });
});

describe('id_registerIssuer', () => {
  it("deploys a ClaimIssuer for a new provider while the node runs: the provider's wallet manages it, nobody trusts it yet", async () => {
    const r = await client.write('id_registerIssuer', { name: 'acme-kyc', signer: provider.address, topics: [1, 2], encryptionDid: DID }, provider);
    newIssuer = r.address as Address;
    assert.deepEqual(r.trustedTopics, []);
    const listed = (await client.rpc.node_info({})).issuers['acme-kyc']!;
    assert.deepEqual(listed, { name: 'acme-kyc', address: newIssuer, signer: provider.address, topics: [1, 2], encryptionDid: DID, trustedTopics: [] });
    const keys = (await client.rpc.id_getIdentity({ identity: newIssuer })).keys;
    assert.deepEqual(keys.map((k) => k.purposes.sort()), [[1, 3]], "one key, the provider's, management and claim signer");
  });

  it('refuses a name taken, a caller other than the signer, and bad params naming the field', async () => {
    const dup = await refused(client.write('id_registerIssuer', { name: 'acme-kyc', signer: provider.address, topics: [1] }, provider), -32003, /acme-kyc/);
    assert.equal(dup.field, 'name');
    const other = await refused(client.write('id_registerIssuer', { name: 'other', signer: provider.address, topics: [1] }, stranger), -32001);
    assert.equal(other.field, 'auth.signer');
    const bad = (params: Record<string, unknown>) => refused(client.write('id_registerIssuer', { name: 'x', signer: stranger.address, topics: [1], ...params } as never, stranger), -32602);
    assert.equal((await bad({ name: 'Jane Doe' })).field, 'name');
    assert.equal((await bad({ topics: [] })).field, 'topics');
    assert.equal((await bad({ topics: [1, 1] })).field, 'topics');
    assert.equal((await bad({ encryptionDid: 'did:web:x' })).field, 'encryptionDid');
    assert.equal((await bad({ signer: '0x12' })).field, 'signer');
  });
});

describe('trusting an issuer at run time', () => {
  it('before it is trusted, its claim is refused (-32003) and names what to do', async () => {
    await refused(client.rpc.id_issueClaim(await claim(earlyIdentity)), -32003, /id_addTrustedIssuer/);
  });

  it('only the owner or an ISSUERS_SETTER may trust it; the refusal names the role', async () => {
    const e = await refused(client.write('id_addTrustedIssuer', { issuer: newIssuer, topics: [1] }, stranger), -32001, /ISSUERS_SETTER/);
    assert.deepEqual(e.data, { field: 'auth.signer', role: 'ISSUERS_SETTER' });
    // The relayer's key is refused too: it holds nothing here.
    const relayer = t.node.ctx.clients.walletClient.account as PrivateKeyAccount;
    await refused(client.write('id_addTrustedIssuer', { issuer: newIssuer, topics: [1] }, relayer), -32001, /node cannot/);
    assert.equal((await client.rpc.id_getTrustedIssuers({})).issuers.some((i) => i.address === newIssuer), false);
  });

  it('refuses an execution signed by someone else, for another call, or expired', async () => {
    const params = { issuer: newIssuer, topics: [1] };
    const sign = async (by: PrivateKeyAccount, p: Record<string, unknown>, deadline = now() + 600) => {
      const e = { nonce: `0x${'ab'.repeat(32)}` as Hex, deadline };
      return { ...e, signature: await by.signTypedData(registryCallTypedData(chainId, tir, 'id_addTrustedIssuer', p, e)) };
    };
    const bySomeoneElse = await refused(client.write('id_addTrustedIssuer', { ...params, execution: await sign(stranger, params) }, owner), -32001);
    assert.equal(bySomeoneElse.field, 'execution.signature');
    const otherCall = await refused(client.write('id_addTrustedIssuer', { ...params, execution: await sign(owner, { ...params, topics: [1, 2] }) }, owner), -32001);
    assert.equal(otherCall.field, 'execution.signature');
    const expired = await refused(client.write('id_addTrustedIssuer', { ...params, execution: await sign(owner, params, now() - 10) }, owner), -32001);
    assert.equal(expired.field, 'execution.deadline');
  });

  it("the owner's signed call, relayed: the issuer's claims land on an identity created before it existed, and renew", async () => {
    const r = await client.write('id_addTrustedIssuer', { issuer: newIssuer, topics: [1, 2] }, owner);
    assert.equal(r.registry, tir);
    const tx = await t.node.ctx.clients.publicClient.getTransactionReceipt({ hash: r.txHash as Hex });
    assert.equal(tx.from.toLowerCase(), t.node.ctx.relayerAddress.toLowerCase(), 'the node paid the gas');
    assert.deepEqual((await client.rpc.node_info({})).issuers['acme-kyc']!.trustedTopics, [1, 2]);
    await client.rpc.id_issueClaim(await claim(earlyIdentity));
    const v = await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 1, issuer: newIssuer });
    assert.equal(v.state, 'valid');
    assert.equal((await client.rpc.id_getIdentity({ identity: earlyIdentity })).verified, true);
    await client.rpc.id_renewClaim(await claim(earlyIdentity, 1, now() - 1));
    assert.equal((await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 1, issuer: newIssuer })).state, 'valid');
  });

  it('trusting it twice is a conflict naming the issuer; an address without code is a bad param', async () => {
    const twice = await refused(client.write('id_addTrustedIssuer', { issuer: newIssuer, topics: [1] }, owner), -32003);
    assert.equal(twice.field, 'issuer');
    const nothing = await refused(client.write('id_addTrustedIssuer', { issuer: stranger.address, topics: [1] }, owner), -32602);
    assert.equal(nothing.field, 'issuer');
    const noRegistry = await refused(client.write('id_addTrustedIssuer', { registry: stranger.address, issuer: newIssuer, topics: [1] }, owner), -32602);
    assert.equal(noRegistry.field, 'registry');
  });

  it('id_updateIssuerTopics narrows its trust: claims of a dropped topic stop counting at once', async () => {
    await client.rpc.id_issueClaim(await claim(earlyIdentity, 2));
    assert.equal((await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 2, issuer: newIssuer })).state, 'valid');
    await refused(client.write('id_updateIssuerTopics', { issuer: newIssuer, topics: [1] }, stranger), -32001, /ISSUERS_SETTER/);
    await client.write('id_updateIssuerTopics', { issuer: newIssuer, topics: [1] }, owner);
    assert.equal((await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 2, issuer: newIssuer })).state, 'issuer-untrusted');
    assert.equal((await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 1, issuer: newIssuer })).state, 'valid');
  });

  it('an ISSUERS_SETTER the owner delegated to acts without being the owner', async () => {
    await ownerTx('grantRoles', [delegate.address, Role.ISSUERS_SETTER]);
    await client.write('id_updateIssuerTopics', { issuer: newIssuer, topics: [1, 2] }, delegate);
    assert.deepEqual((await client.rpc.id_getTrustedIssuers({})).issuers.find((i) => i.address === newIssuer)?.topics, [1, 2]);
    // Its role is on this registry only: the claim topics registry still refuses it, naming that registry's role.
    await refused(client.write('id_setClaimTopics', { topics: [1, 2] }, delegate), -32001, /CLAIM_TOPICS_SETTER/);
  });

  it('removing the issuer invalidates its claims in the same block; only the owner or a setter may', async () => {
    await refused(client.write('id_removeTrustedIssuer', { issuer: newIssuer }, stranger), -32001, /ISSUERS_SETTER/);
    const r = await client.write('id_removeTrustedIssuer', { issuer: newIssuer }, owner);
    const block = (await t.node.ctx.clients.publicClient.getTransactionReceipt({ hash: r.txHash as Hex })).blockNumber;
    const v = await client.rpc.id_verifyClaim({ identity: earlyIdentity, topic: 1, issuer: newIssuer });
    assert.equal(v.state, 'issuer-untrusted');
    assert.ok(BigInt(v.blockNumber) >= block);
    assert.equal((await client.rpc.id_getIdentity({ identity: earlyIdentity })).verified, false);
    assert.deepEqual((await client.rpc.node_info({})).issuers['acme-kyc']!.trustedTopics, []);
    await refused(client.write('id_removeTrustedIssuer', { issuer: newIssuer }, owner), -32002);
    // No longer trusted, it can no longer push claims either.
    await refused(client.rpc.id_issueClaim(await claim(earlyIdentity, 1, now())), -32003);
  });
});

describe('id_setClaimTopics', () => {
  it('the owner replaces the required topics in one signed call; others are refused naming the role', async () => {
    await refused(client.write('id_setClaimTopics', { topics: [1, 2] }, stranger), -32001, /CLAIM_TOPICS_SETTER/);
    await client.write('id_setClaimTopics', { topics: [2, 1] }, owner);
    assert.deepEqual((await client.rpc.id_getClaimTopics({})).topics, [2, 1]);
    await client.write('id_setClaimTopics', { topics: [1] }, owner);
    assert.deepEqual((await client.rpc.id_getClaimTopics({})).topics, [1]);
  });

  it('bad params name the field', async () => {
    assert.equal((await refused(client.write('id_setClaimTopics', { topics: [1, 1] }, owner), -32602)).field, 'topics');
    assert.equal((await refused(client.write('id_setClaimTopics', { topics: Array.from({ length: 16 }, (_, i) => i + 1) }, owner), -32602)).field, 'topics');
    assert.equal((await refused(client.write('id_setClaimTopics', { topics: [0] }, owner), -32602)).field, 'topics.0');
    assert.equal((await refused(client.rpc.id_getClaimTopics({ registry: owner.address }), -32602)).field, 'registry');
  });
});

describe('id_acceptRegistryOwnership', () => {
  it('completes a two-step transfer by the pending owner only', async () => {
    const next = privateKeyToAccount(generatePrivateKey());
    await ownerTx('transferOwnership', [next.address]);
    await refused(client.write('id_acceptRegistryOwnership', { registry: tir }, stranger), -32001, /pending owner/);
    await client.write('id_acceptRegistryOwnership', { registry: tir }, next);
    assert.equal((await client.rpc.id_getTrustedIssuers({})).owner, next.address);
    // The former owner is refused from now on.
    await refused(client.write('id_addTrustedIssuer', { issuer: newIssuer, topics: [1] }, owner), -32001, /ISSUERS_SETTER/);
    owner = next;
  });
});

describe('the embedded chain clock', () => {
  it('evm_increaseTime moves the next block forward; evm_mine mines it', async () => {
    const r = t.node.ctx.clients.publicClient;
    const before = (await r.getBlock()).timestamp;
    // anvil answers its total offset from the wall clock, which was found below 0 once in CI after the earlier tests'
    // blocks: the step is what this call adds.
    const base = await client.rpc.evm_increaseTime({ seconds: 0 });
    assert.equal(await client.rpc.evm_increaseTime({ seconds: 86_400 }) - base, 86_400);
    assert.equal(await client.rpc.evm_mine({}), '0x0');
    assert.ok((await r.getBlock()).timestamp >= before + 86_400n);
    assert.equal((await refused(client.rpc.evm_increaseTime({ seconds: -1 } as never), -32602)).field, 'seconds');
    assert.equal((await refused(client.rpc.evm_mine({ timestamp: 'soon' } as never), -32602)).field, 'timestamp');
  });
});
