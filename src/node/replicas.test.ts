// Three node replicas (separate processes, the same config) on one PostgreSQL, one anvil and one blockstore folder
// behave as one node: started together they deploy once; concurrent relayed writes through all of them, with one
// replica killed (kill -9) mid-burst, lose no acknowledged write, apply none twice and leave no nonce gap stuck; every
// replica gives the same answers; a KYC application is reviewed exactly once; a hosted ZK issuer's trees are shared
// (claims issued through two replicas at once both land, in turn); a signed request is spent everywhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Address } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startAnvil, type Anvil } from '../chain/anvil.js';
import { MasqueClient, generateEncryptionKey, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { idFromGenesisState, Network } from '../identity/index.js';
import { testPostgres } from './db/test-engines.js';
import { expectRpcRefusal, spawnNode } from './test-helpers.js';

// anvil's first default dev account: funded on any fresh anvil; the one relayer key of every replica.
const RELAYER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const RELAYER = privateKeyToAccount(RELAYER_KEY).address;

describe('three replicas on one PostgreSQL', { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), 'masque-replicas-'));
  const children: ChildProcess[] = [];
  const issuer = privateKeyToAccount(generatePrivateKey());
  const configFile = join(root, 'config.json');
  let anvil: Anvil;
  let clients: MasqueClient[] = [];
  const replicas: { child: ChildProcess; url: string }[] = [];
  let approvedApplication: { id: string; kycIssuer: Address } | undefined;
  const start = (i: number) => spawnNode(join(root, `replica-${i}`), { MASQUE_CONFIG: configFile }, children);
  const chainRpc = async (method: string, params: unknown[]) => {
    const res = await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) });
    return ((await res.json()) as { result: unknown }).result;
  };

  before(async () => {
    const pg = await testPostgres();
    const url = await pg.createDatabase(`masque_replicas_${process.pid}`);
    anvil = await startAnvil({ chainId: 31339 });
    writeFileSync(configFile, JSON.stringify({
      rpcUrl: anvil.rpcUrl, relayerKey: RELAYER_KEY, logLevel: 'silent',
      database: { type: 'postgres', url, poolSize: 5 },
      blockstore: { type: 'fs', path: join(root, 'blocks') },
      issuers: [{ name: 'kyc', signer: issuer.address, topics: [1] }],
    }));
    // All three at once on an empty database: migrations and the deployment happen once (advisory locks).
    replicas.push(...await Promise.all([0, 1, 2].map(start)));
    clients = replicas.map((r) => new MasqueClient(r.url));
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await anvil?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('started together, they deployed once and serve the same contracts', async () => {
    const infos = await Promise.all(clients.map((c) => c.rpc.node_info({})));
    for (const i of infos) {
      assert.deepEqual(i.contracts, infos[0]!.contracts);
      assert.equal(i.relayer, RELAYER);
    }
    // One deployment: the relayer's transactions are those of a single deployment (a second would double them).
    const sent = Number(await chainRpc('eth_getTransactionCount', [RELAYER, 'latest']));
    assert.ok(sent > 0 && sent < 40, `${sent} deployment transactions`);
  });

  it('concurrent writes through all three, one killed mid-burst: no acknowledged write lost, none applied twice, no nonce gap', async () => {
    const wallets = Array.from({ length: 48 }, () => privateKeyToAccount(generatePrivateKey()));
    let acked = 0;
    let killed = false;
    const victim = replicas[2]!.child;
    const results = await Promise.allSettled(wallets.map(async (w, i) => {
      const r = await clients[i % 3]!.write('id_createIdentity', { wallet: w.address }, w);
      if (++acked === 12 && !killed) {
        killed = true;
        victim.kill('SIGKILL');
      }
      return r;
    }));
    assert.ok(killed, 'the replica was killed mid-burst');
    results.forEach((r, i) => {
      if (r.status === 'rejected') assert.equal(i % 3, 2, `only the killed replica's requests may fail: ${r.reason}`);
    });
    const survivors = clients.slice(0, 2);
    const failed = results.filter((r) => r.status === 'rejected').length;
    assert.ok(failed > 0 && failed <= 16, `${failed} requests lost with the killed replica`);
    // Every acknowledged write: the same identity from every surviving replica; asked again, it is not created twice.
    for (const [i, r] of results.entries()) {
      const w = wallets[i]!;
      if (r.status === 'fulfilled') {
        for (const c of survivors) assert.equal((await c.rpc.id_getIdentity({ wallet: w.address })).identity, r.value.identity);
      }
      const again = await survivors[i % 2]!.write('id_createIdentity', { wallet: w.address }, w);
      if (r.status === 'fulfilled') {
        assert.deepEqual([again.identity, again.created], [r.value.identity, false], 'applied once');
      }
    }
    const identities = new Set(await Promise.all(wallets.map(async (w) => (await survivors[0]!.rpc.id_getIdentity({ wallet: w.address })).identity)));
    assert.equal(identities.size, wallets.length, 'one identity per wallet');
    // No transaction stuck behind a nonce gap: everything sent is mined, and the next writes go through at once.
    assert.equal(await chainRpc('eth_getTransactionCount', [RELAYER, 'pending']), await chainRpc('eth_getTransactionCount', [RELAYER, 'latest']));
    for (const c of survivors) {
      const w = privateKeyToAccount(generatePrivateKey());
      assert.equal((await c.write('id_createIdentity', { wallet: w.address }, w)).created, true);
    }
    // The killed replica comes back on the same config and answers like the others.
    replicas[2] = await start(2);
    clients[2] = new MasqueClient(replicas[2].url);
    for (const w of wallets.slice(0, 6)) {
      const answers = await Promise.all(clients.map((c) => c.rpc.id_getIdentity({ wallet: w.address })));
      for (const a of answers) assert.deepEqual(a, answers[0]);
    }
  });

  it('a KYC application is reviewed exactly once when every replica is asked at once; the others see the decision', async () => {
    const holder = privateKeyToAccount(generatePrivateKey());
    const { identity } = await clients[0]!.write('id_createIdentity', { wallet: holder.address }, holder);
    const info = await clients[1]!.rpc.node_info({});
    const kycIssuer = info.issuers.kyc!.address as Address;
    const issuerKey = generateEncryptionKey();
    const sealed = await sealForClaim(new TextEncoder().encode('passport scan'), { chainId: info.chainId, identity: identity as Address, topic: 1 }, [issuerKey.did]);
    // Submitted through one replica (its block lands in the shared folder), read through another.
    const { applicationId } = await clients[1]!.write('id_submitKycApplication', { identity: identity as Address, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes }, holder);
    const app = await clients[2]!.write('id_getKycApplication', { applicationId, includeDocument: true }, issuer);
    assert.equal(app.documentStatus, 'included');
    const now = Math.floor(Date.now() / 1000);
    const claim = { issuedAt: now - 60, expiresAt: now + 86_400 };
    const { signature } = await signClaim(issuer, { chainId: info.chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash: app.documentHash as `0x${string}`, issuedAt: BigInt(claim.issuedAt), expiresAt: BigInt(claim.expiresAt) });
    const before = Number(await chainRpc('eth_getTransactionCount', [RELAYER, 'latest']));
    approvedApplication = { id: applicationId, kycIssuer };
    const reviews = await Promise.allSettled(clients.map((c) => c.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { ...claim, signature } }, issuer)));
    assert.equal(reviews.filter((r) => r.status === 'fulfilled').length, 1, 'one review wins');
    for (const r of reviews) if (r.status === 'rejected') await expectRpcRefusal(Promise.reject(r.reason), -32003, /being reviewed|already approved/);
    assert.equal(Number(await chainRpc('eth_getTransactionCount', [RELAYER, 'latest'])) - before, 1, 'one claim transaction relayed');
    for (const c of clients) {
      assert.equal((await c.write('id_getKycApplication', { applicationId }, issuer)).status, 'approved');
      assert.equal((await c.rpc.id_verifyClaim({ identity: identity as Address, topic: 1 })).valid, true, 'every replica reads the new claim at once');
    }
  });

  it('a ZK issuer hosted through one replica is served by all: claims issued through two at once, revoked through a third', async () => {
    assert.ok(approvedApplication, 'the KYC test approved an application');
    const { id: applicationId, kycIssuer } = approvedApplication;
    const keys = [publicKey(privateKeyFromSeed(new Uint8Array(32).fill(9)))].map((k) => ({ x: k.x.toString(), y: k.y.toString() }));
    const hosted = await clients[0]!.write('zk_registerIssuer', { issuer: kycIssuer, keys }, issuer);
    assert.equal(hosted.created, true);
    for (const c of clients.slice(1)) assert.equal((await c.write('zk_registerIssuer', { issuer: kycIssuer, keys }, issuer)).created, false, 'registered once, for every replica');
    const holder = idFromGenesisState(12345n, Network.Test).string;
    const claim = (n: number) => ({ indexHash: String(1000 + n), valueHash: String(2000 + n), revocationNonce: String(n), holder, delivery: { ciphertext: 'AA==', envelope: 'sealed' } });
    // Two replicas issue for the one issuer at once: both batches land, one after the other.
    const issued = await Promise.all([1, 2].map((r) => clients[r]!.write('zk_issueClaims', { issuer: hosted.id, applicationId, claims: [claim(r * 10), claim(r * 10 + 1)] }, issuer)));
    const views = await Promise.all(clients.map((c) => c.rpc.zk_getIssuer({ issuer: hosted.id })));
    for (const v of views) assert.deepEqual(v, views[0], 'every replica sees the same trees');
    assert.ok(issued.some((i) => i.state === views[0]!.current.state), 'the later batch built on the earlier one');
    const revoked = await clients[0]!.write('zk_revokeClaims', { issuer: hosted.id, applicationId }, issuer);
    assert.deepEqual(revoked.revoked.sort(), ['10', '11', '20', '21']);
    for (const c of clients) {
      const list = await c.rpc.zk_getRevocations({ issuer: hosted.id, state: revoked.state });
      assert.deepEqual(list.nonces.sort(), ['10', '11', '20', '21']);
      assert.equal((await c.rpc.zk_getIssuer({ issuer: kycIssuer })).current.state, revoked.state);
    }
    await expectRpcRefusal(clients[1]!.write('zk_revokeClaims', { issuer: hosted.id, nonces: ['20'] }, issuer), -32602, /already revoked/);
  });

  it('one issuer name registered through three replicas at once: one ClaimIssuer, the others refused naming the field', async () => {
    const providers = [0, 1, 2].map(() => privateKeyToAccount(generatePrivateKey()));
    const outcomes = await Promise.allSettled(clients.map((c, i) => c.write('id_registerIssuer', { name: 'same-name', signer: providers[i]!.address, topics: [1] }, providers[i]!)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(won.length, 1, 'one registration');
    for (const o of outcomes) {
      if (o.status === 'fulfilled') continue;
      const e = o.reason as { code?: number; data?: { field?: string }; message: string };
      assert.deepEqual([e.code, e.data?.field], [-32003, 'name'], e.message);
      assert.match(e.message, /"same-name" exists on this node/);
    }
    const listed = await Promise.all(clients.map(async (c) => (await c.rpc.node_info({})).issuers['same-name']?.address));
    assert.deepEqual(listed, [0, 1, 2].map(() => (won[0] as PromiseFulfilledResult<{ address: string }>).value.address));
    // Later, through any replica: still taken.
    await expectRpcRefusal(clients[2]!.write('id_registerIssuer', { name: 'same-name', signer: providers[2]!.address, topics: [1] }, providers[2]!), -32003, /same-name/);
  });

  it('a signed request spent on one replica is a replay on every other', async () => {
    const w = privateKeyToAccount(generatePrivateKey());
    const signed = await clients[0]!.sign('id_createIdentity', { wallet: w.address }, w);
    await clients[0]!.call('id_createIdentity', signed);
    for (const c of clients.slice(1)) await expectRpcRefusal(c.call('id_createIdentity', signed), -32001, /replay/);
  });
});
