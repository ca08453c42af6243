// The operators' commands of `masque` against a started node: a KYC provider registers its issuer, the registry owner
// (the key the embedded node generated into its data directory) trusts it, changes its topics and the required topics,
// an applicant submits without naming the issuer or pasting its did:key, `kyc show` lists queues, ERC-734 keys are added
// and removed, a registry changes hands, the embedded chain's clock moves. Each command also meets a bad param (the error names the field or flag) and,
// for signed writes, a signer without the role.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createWalletClient, http, type Address, type Hex } from 'viem';
import { privateKeyToAccount } from 'viem/accounts';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { walletKey } from '../chain/identity.js';
import { MasqueRpcError } from '../sdk/index.js';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { cli } from './main.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, 'masque.mjs');
let t: TestNode;
let home: string;
let ownerKey: Hex;
let tir: Address;
const keys: Record<string, { address: Address; encryptionDid: string }> = {};

const env = () => ({ ...process.env, MASQUE_NODE_URL: t.node.url, MASQUE_KEYSTORE: join(home, 'keys'), MASQUE_PASSPHRASE: 'correct horse battery staple', MASQUE_SCRYPT_LOG_N: '12' });
const masque = (...args: string[]): Promise<any> => cli(args, env());

/** The command fails with a -32602 naming `field` (a node refusal, as the binary prints it: code and data.field). */
async function badParam(field: string | RegExp, ...args: string[]): Promise<void> {
  await assert.rejects(masque(...args), (e: unknown) => {
    assert.ok(e instanceof MasqueRpcError, `expected a node refusal, got ${e}`);
    assert.equal(e.code, -32602, e.message);
    if (typeof field === 'string') assert.equal(e.field, field, e.message);
    else assert.match(e.field ?? '', field, e.message);
    return true;
  });
}

/** The command is refused as unauthorized (-32001), its message matching `re`. */
async function refused(re: RegExp, ...args: string[]): Promise<void> {
  await assert.rejects(masque(...args), (e: unknown) => e instanceof MasqueRpcError && e.code === -32001 && re.test(e.message));
}

before(async () => {
  t = await startTestNode();
  home = mkdtempSync(join(tmpdir(), 'masque-cli-issuer-'));
  ownerKey = readFileSync(join(t.dataDir, 'keys', 'registry-owner.key'), 'utf8').trim() as Hex;
  for (const [name, privateKey] of [['owner', ownerKey], ['provider'], ['holder'], ['stranger'], ['heir']] as const) {
    keys[name] = await masque('keys', 'new', name, ...(privateKey ? ['--private-key', privateKey] : []));
  }
  tir = (await masque('info')).contracts.trustedIssuersRegistry;
});
after(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe('masque issuer', () => {
  let acme: Address;

  it('register: the provider deploys its ClaimIssuer; its key\'s did:key is published; bad params name the field', async () => {
    const reg = await masque('issuer', 'register', '--as', 'provider', '--name', 'acme', '--topics', '3,5');
    acme = reg.address;
    assert.deepEqual([reg.signer, reg.topics, reg.encryptionDid, reg.trustedTopics], [keys.provider!.address, [3, 5], keys.provider!.encryptionDid, []]);
    const listed = (await masque('issuer', 'list')).find((i: { name: string }) => i.name === 'acme');
    assert.deepEqual({ ...listed }, { name: 'acme', address: acme, signer: keys.provider!.address, topics: [3, 5], encryptionDid: keys.provider!.encryptionDid, trustedTopics: [] });
    await badParam('name', 'issuer', 'register', '--as', 'stranger', '--name', 'Jane Doe', '--topics', '3');
    await badParam('topics.0', 'issuer', 'register', '--as', 'stranger', '--name', 'zero', '--topics', '0');
    await assert.rejects(masque('issuer', 'register', '--as', 'stranger', '--name', 'x', '--topics', '3,kyc'), /--topics: "kyc" is not a topic number/);
    await assert.rejects(masque('issuer', 'register', '--as', 'stranger', '--name', 'x'), /--topics is required/);
    await assert.rejects(masque('issuer', 'register', '--as', 'stranger', '--name', 'acme', '--topics', '3'), (e: MasqueRpcError) => e.code === -32003 && e.field === 'name');
  });

  it('trust / update-topics / untrust: the registry owner\'s signed writes; others are refused naming the role', async () => {
    await refused(/ISSUERS_SETTER/, 'issuer', 'trust', 'acme', '--topics', '3', '--as', 'stranger');
    await badParam('issuer', 'issuer', 'trust', '0x1234', '--topics', '3', '--as', 'owner');
    await badParam('issuer', 'issuer', 'trust', keys.stranger!.address, '--topics', '3', '--as', 'owner');
    await badParam('topics.0', 'issuer', 'trust', 'acme', '--topics', '0', '--as', 'owner');
    await badParam('registry', 'issuer', 'trust', 'acme', '--topics', '3', '--as', 'owner', '--registry', keys.stranger!.address);
    await assert.rejects(masque('issuer', 'trust', 'nobody', '--topics', '3', '--as', 'owner'), /unknown issuer "nobody"/);

    const trusted = await masque('issuer', 'trust', 'acme', '--topics', '3', '--as', 'owner');
    assert.equal(trusted.registry, tir);
    const inRegistry = (await masque('issuer', 'trusted')).issuers.find((i: { name: string }) => i.name === 'acme');
    assert.deepEqual(inRegistry, { address: acme, topics: [3], name: 'acme' });

    await refused(/ISSUERS_SETTER/, 'issuer', 'update-topics', 'acme', '--topics', '3,5', '--as', 'stranger');
    await badParam('topics', 'issuer', 'update-topics', acme, '--topics', '3,3', '--as', 'owner');
    await masque('issuer', 'update-topics', acme, '--topics', '3,5', '--as', 'owner');
    assert.deepEqual((await masque('issuer', 'list')).find((i: { name: string }) => i.name === 'acme').trustedTopics, [3, 5]);
  });

  it('kyc: submit finds the issuer trusted for the topic and its did:key in node_info; show lists queues; review issues', async () => {
    const { identity } = await masque('identity', 'create', '--as', 'holder', '--country', '276');
    const doc = join(home, 'accreditation.txt');
    writeFileSync(doc, 'Accredited investor statement\n');
    await assert.rejects(masque('kyc', 'submit', '--as', 'holder', '--file', doc, '--topic', '6'), /--issuer is required: no issuer is trusted for topic 6/);
    await assert.rejects(masque('kyc', 'submit', '--as', 'holder', '--file', doc, '--topic', '1'), /--issuer-key is required: issuer kyc publishes no did:key/);
    const sub = await masque('kyc', 'submit', '--as', 'holder', '--file', doc, '--topic', '3');
    assert.equal(sub.status, 'pending');

    const mine = await masque('kyc', 'show', '--as', 'holder');
    assert.deepEqual(mine.applications.map((a: { id: string; issuer: string }) => [a.id, a.issuer.toLowerCase()]), [[sub.applicationId, acme.toLowerCase()]]);
    const queue = await masque('kyc', 'show', '--as', 'provider', '--status', 'pending');
    assert.deepEqual(queue.applications.map((a: { id: string }) => a.id), [sub.applicationId]);
    assert.equal((await masque('kyc', 'show', sub.applicationId, '--as', 'provider')).identity.toLowerCase(), identity.toLowerCase());
    await badParam('status', 'kyc', 'show', '--as', 'provider', '--status', 'lost');
    await badParam('applicationId', 'kyc', 'show', 'not-a-uuid', '--as', 'holder');
    await assert.rejects(masque('kyc', 'show', sub.applicationId, '--as', 'stranger'), (e: MasqueRpcError) => e.code === -32001);

    // The provider opens the document with its own key (the one node_info published) and approves.
    const out = join(home, 'opened.txt');
    await masque('kyc', 'review', sub.applicationId, '--as', 'provider', '--approve', '--days', '30', '--out', out);
    assert.equal(readFileSync(out, 'utf8'), readFileSync(doc, 'utf8'));
    assert.equal((await masque('claim', 'verify', '--identity', identity, '--topic', '3')).state, 'valid');

    // Distrusted: its claim stops counting at once.
    await refused(/ISSUERS_SETTER/, 'issuer', 'untrust', 'acme', '--as', 'stranger');
    await badParam('registry', 'issuer', 'untrust', 'acme', '--as', 'owner', '--registry', 'nope');
    await masque('issuer', 'untrust', 'acme', '--as', 'owner');
    assert.equal((await masque('claim', 'verify', '--identity', identity, '--topic', '3')).state, 'issuer-untrusted');
    assert.deepEqual((await masque('issuer', 'list')).find((i: { name: string }) => i.name === 'acme').trustedTopics, []);
  });
});

describe('masque registry', () => {
  it('topics / set-topics: the owner replaces the required topics; bad params and other signers refused', async () => {
    const before = await masque('registry', 'topics');
    await refused(/CLAIM_TOPICS_SETTER/, 'registry', 'set-topics', '--topics', '1,2', '--as', 'stranger');
    await badParam('topics', 'registry', 'set-topics', '--topics', '1,1', '--as', 'owner');
    await badParam('registry', 'registry', 'topics', '--registry', keys.stranger!.address);
    await masque('registry', 'set-topics', '--topics', '1,2', '--as', 'owner');
    assert.deepEqual((await masque('registry', 'topics')).topics, [1, 2]);
    await masque('registry', 'set-topics', '--topics', '', '--as', 'owner');
    assert.deepEqual((await masque('registry', 'topics')).topics, []);
    await masque('registry', 'set-topics', '--topics', before.topics.join(','), '--as', 'owner');
    assert.deepEqual((await masque('registry', 'topics')).topics, before.topics);
  });

  it('accept: the pending owner takes the registry; nobody else can', async () => {
    // The owner starts the transfer with its own wallet against the embedded chain (node_info.rpcUrl), as with cast.
    const info = await masque('info');
    await t.node.ctx.clients.publicClient.request({ method: 'anvil_setBalance' as never, params: [keys.owner!.address, '0x56bc75e2d63100000000'] as never });
    const w = createWalletClient({ account: privateKeyToAccount(ownerKey), chain: t.node.ctx.clients.walletClient.chain, transport: http(info.rpcUrl) });
    const hash = await w.writeContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName: 'transferOwnership', args: [keys.heir!.address] });
    await t.node.ctx.clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 });

    await refused(/pending owner/, 'registry', 'accept', tir, '--as', 'stranger');
    await badParam('registry', 'registry', 'accept', '0xabc', '--as', 'heir');
    await assert.rejects(masque('registry', 'accept', '--as', 'heir'), /<registry> is required/);
    await masque('registry', 'accept', tir, '--as', 'heir');
    assert.equal((await masque('issuer', 'trusted')).owner, keys.heir!.address);
  });
});

describe('masque identity add-key / remove-key', () => {
  it('a management key adds and removes a purpose; others are refused; bad params name the field', async () => {
    const { identity } = await masque('identity', 'show', '--wallet', keys.holder!.address);
    const key = walletKey(keys.stranger!.address);
    const purposesOf = async () => (await masque('identity', 'show', '--identity', identity)).keys.find((k: { key: string }) => k.key === key)?.purposes ?? [];

    await masque('identity', 'add-key', '--as', 'holder', '--key', keys.stranger!.address, '--purpose', 'action');
    assert.deepEqual(await purposesOf(), [2]);
    await masque('identity', 'add-key', '--as', 'holder', '--key', key, '--purpose', '3', '--identity', identity);
    assert.deepEqual(await purposesOf(), [2, 3]);
    await masque('identity', 'remove-key', '--as', 'holder', '--key', keys.stranger!.address, '--purpose', 'action');
    assert.deepEqual(await purposesOf(), [3]);

    // The stranger holds a claim key, not a management key: it cannot change the identity's keys.
    await assert.rejects(masque('identity', 'add-key', '--as', 'stranger', '--identity', identity, '--key', keys.heir!.address, '--purpose', 'management'), (e: MasqueRpcError) => e.code === -32001);
    await badParam('purpose', 'identity', 'add-key', '--as', 'holder', '--key', keys.heir!.address, '--purpose', 'owner');
    await badParam('purpose', 'identity', 'add-key', '--as', 'holder', '--key', keys.heir!.address, '--purpose', '9');
    await badParam('key', 'identity', 'add-key', '--as', 'holder', '--key', '0x1234', '--purpose', 'action');
    await badParam('identity', 'identity', 'add-key', '--as', 'holder', '--identity', '0xnope', '--key', keys.heir!.address, '--purpose', 'action');
    await assert.rejects(masque('identity', 'add-key', '--as', 'holder', '--purpose', 'action'), /--key is required/);
  });
});

describe('masque chain', () => {
  it('advance moves the embedded chain\'s clock and mines a block there; mine mines one; a bad duration names seconds', async () => {
    const r = t.node.ctx.clients.publicClient;
    const before = await r.getBlock();
    const { offset } = await masque('chain', 'advance', '2d');
    assert.ok(offset >= 2 * 86_400, `offset ${offset}`);
    const after = await r.getBlock();
    assert.equal(after.number, before.number + 1n);
    assert.ok(after.timestamp >= before.timestamp + 2n * 86_400n);
    assert.deepEqual(await masque('chain', 'mine'), { result: '0x0' });
    assert.equal((await r.getBlock()).number, after.number + 1n);
    await badParam('seconds', 'chain', 'advance', 'a fortnight');
    await badParam('seconds', 'chain', 'advance', '--', '-5');
    await assert.rejects(masque('chain', 'advance'), /<duration> is required/);
  });
});

it('the binary prints a refusal with its code and the field, and exits 1', async () => {
  const r = await run(process.execPath, [bin, 'issuer', 'register', '--as', 'stranger', '--name', 'bad name', '--topics', '3'], { env: env() })
    .then(() => assert.fail('expected exit 1'), (e: { code: number; stderr: string }) => e);
  assert.equal(r.code, 1);
  const printed = JSON.parse(r.stderr);
  assert.deepEqual([printed.code, printed.data.field], [-32602, 'name']);
});
