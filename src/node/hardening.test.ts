// Issue 10's findings against a started node: answers reflect transactions sent straight to the chain at once, and
// id_verifyClaim judges a claim's lifecycle at the chain's time, in agreement with on-chain isVerified.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFunctionData, type Abi, type Address, type Hex, type PrivateKeyAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MasqueClient, generateEncryptionKey, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import { walletKey } from '../chain/identity.js';
import { anvilRpc, rpc } from '../chain/anvil.js';
import { identityAbi } from '../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../chain/artifacts/ClaimIssuer.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { identityRegistryAbi } from '../chain/artifacts/IdentityRegistry.js';
import { blockPath, expectRpcRefusal, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let kycIssuer: Address;
let tir: Address;
let identity: Address;
const holder = privateKeyToAccount(generatePrivateKey());

/**
 * A transaction sent straight to anvil (impersonating `from`), not through the node: the node learns of it only
 * from the chain. Resolves once it is mined.
 */
async function direct(from: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[]): Promise<void> {
  const url = t.node.chain!.rpcUrl;
  await rpc(url, 'anvil_setBalance', [from, '0x56bc75e2d63100000000']);
  await rpc(url, 'anvil_impersonateAccount', [from]);
  const hash = await rpc(url, 'eth_sendTransaction', [{ from, to, data: encodeFunctionData({ abi, functionName, args } as never), gas: '0x1e8480' }]) as Hex;
  await rpc(url, 'anvil_stopImpersonatingAccount', [from]);
  let receipt: { status: string } | null = null;
  for (let i = 0; i < 100 && !receipt; i++) {
    receipt = await rpc(url, 'eth_getTransactionReceipt', [hash]) as { status: string } | null;
    if (!receipt) await new Promise((r) => setTimeout(r, 10));
  }
  assert.equal(receipt?.status, "0x1", `${functionName} sent straight to anvil was mined and succeeded: ${JSON.stringify(receipt)}`);
}

/** The latest block's timestamp: claims must be valid at the chain's time to be added, and time travel moves it. */
async function chainNow(): Promise<number> {
  return Number((await t.node.ctx.clients.publicClient.getBlock({ blockTag: 'latest' })).timestamp);
}

async function issueKyc(issuedAt: number, expiresAt?: number, to = identity): Promise<Hex> {
  const documentHash = `0x${'ab'.repeat(32)}` as Hex;
  expiresAt ??= (await chainNow()) + 3600;
  const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity: to, topic: 1n, documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
  return (await client.rpc.id_issueClaim({ identity: to, topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature })).claimId as Hex;
}

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
  ({ chainId } = t.node.ctx);
  kycIssuer = t.node.ctx.deployment.issuers.kyc as Address;
  tir = t.node.ctx.deployment.trustedIssuersRegistry;
  identity = (await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder)).identity as Address;
});
after(async () => { await t?.stop(); });

describe('answers reflect the chain as of the latest block mined before the request', () => {
  // Each round warms the read cache with an answer, changes the chain behind the node's back, and asks again at
  // once: the answer must already be the new one (the old 250 ms head poll served the cached one).
  const ROUNDS = 3;

  it('an issuer removed from the TrustedIssuersRegistry straight on anvil no longer verifies', async () => {
    await issueKyc((await chainNow()) - 100);
    const owner = await t.node.ctx.clients.publicClient.readContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName: 'owner' }) as Address;
    for (let i = 0; i < ROUNDS; i++) {
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: kycIssuer })).valid, true);
      await direct(owner, tir, trustedIssuersRegistryAbi, 'removeTrustedIssuer', [kycIssuer]);
      const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
      assert.equal(v.valid, false, `round ${i}: the removed issuer's claim still verified`);
      assert.equal(v.state, 'issuer-untrusted');
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: kycIssuer })).valid, false);
      assert.equal((await client.rpc.id_getIdentity({ identity })).verified, false);
      await direct(owner, tir, trustedIssuersRegistryAbi, 'addTrustedIssuer', [kycIssuer, [1n]]);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true, `round ${i}: trusted again`);
    }
  });

  it('a claim revoked by its issuer straight on anvil no longer verifies', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      // Each round a newer claim (the issuer refuses to bring back an older or revoked one).
      const claimId = await issueKyc((await chainNow()) - 90 + i);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
      await direct(t.issuerSigner.address, kycIssuer, claimIssuerAbi, 'revokeClaim', [claimId, identity]);
      const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
      assert.equal(v.valid, false, `round ${i}: the revoked claim still verified`);
      assert.equal(v.state, 'revoked');
    }
  });

  it("a management key removed straight on anvil loses access to the identity's KYC application at once", async () => {
    const second = privateKeyToAccount(generatePrivateKey());
    const issuerKey = generateEncryptionKey();
    const sealed = await sealForClaim(new TextEncoder().encode('passport scan'), { chainId, identity, topic: 1 }, [issuerKey.did]);
    const { applicationId } = await client.write('id_submitKycApplication', {
      identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
    }, holder);
    const read = (by: PrivateKeyAccount) => client.write('id_getKycApplication', { applicationId }, by);
    for (let i = 0; i < ROUNDS; i++) {
      await direct(holder.address, identity, identityAbi, 'addKey', [walletKey(second.address), 1n, 1n]);
      assert.equal((await read(second)).id, applicationId);
      await direct(holder.address, identity, identityAbi, 'removeKey', [walletKey(second.address), 1n]);
      await expectRpcRefusal(read(second), -32001);
    }
  });
});

describe("id_verifyClaim: one lifecycle state, judged at the chain's time", () => {
  it('agrees with on-chain isVerified across the window under time travel, where the node clock would not', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const id = (await client.write('id_createIdentity', { wallet: wallet.address, country: 276 }, wallet)).identity as Address;
    const url = t.node.chain!.rpcUrl;
    const registry = t.node.ctx.deployment.identityRegistry;
    const pc = t.node.ctx.clients.publicClient;
    const onChain = async () => [
      await pc.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'isVerified', args: [wallet.address] }),
      await pc.readContract({ address: registry, abi: identityRegistryAbi, functionName: 'hasValidClaim', args: [id, 1n] }),
    ];
    const check = async (state: string) => {
      const v = await client.rpc.id_verifyClaim({ identity: id, topic: 1 });
      const latest = await pc.getBlock({ blockTag: 'latest' });
      assert.equal(v.state, state);
      assert.equal(v.valid, state === 'valid');
      assert.equal(v.blockNumber, Number(latest.number), 'answered at the latest block');
      assert.equal(v.chainTime, Number(latest.timestamp), "judged at the latest block's time");
      assert.ok(Math.abs(v.nodeTime - Math.floor(Date.now() / 1000)) <= 2, 'and the node clock reported');
      assert.deepEqual(await onChain(), [v.valid, v.valid], `isVerified / hasValidClaim at chain time ${v.chainTime}`);
      assert.equal((await client.rpc.id_getIdentity({ identity: id })).verified, v.valid);
      return v;
    };
    await check('none');
    const c0 = await chainNow();
    const expiresAt = c0 + 600;
    await issueKyc(c0 - 5, expiresAt, id);
    await check('valid');
    // The last second of the window, then its end: chain time decides, while the node's clock is ~10 min short of it.
    await anvilRpc.setNextBlockTimestamp(url, expiresAt - 1);
    await anvilRpc.mine(url);
    assert.equal((await check('valid')).chainTime, expiresAt - 1);
    await anvilRpc.setNextBlockTimestamp(url, expiresAt);
    await anvilRpc.mine(url);
    const v = await check('expired');
    assert.equal(v.expiresAt, expiresAt);
    assert.ok(v.nodeTime < expiresAt, 'by the node clock the claim would still be in its window');
    // An expired claim the issuer then revokes: revoked (the issuer withdrew it) says more than expired.
    await direct(t.issuerSigner.address, kycIssuer, claimIssuerAbi, 'revokeClaim', [v.claimId, id]);
    await check('revoked');
    // A new claim, valid at the chain's time (now 10 min ahead of the node's clock).
    await issueKyc(expiresAt - 60, expiresAt + 3600, id);
    await check('valid');
    await anvilRpc.increaseTime(url, 7200);
    await anvilRpc.mine(url);
    await check('expired');
  });

  it('pending: an application awaiting review, told only to a signed request by the applicant or its issuer', async () => {
    const wallet = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const id = (await client.write('id_createIdentity', { wallet: wallet.address }, wallet)).identity as Address;
    const issuerKey = generateEncryptionKey();
    const sealed = await sealForClaim(new TextEncoder().encode('passport scan'), { chainId, identity: id, topic: 1 }, [issuerKey.did]);
    const { applicationId } = await client.write('id_submitKycApplication', {
      identity: id, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
    }, wallet);
    // Who applied where is off-chain and private: unsigned, or signed by a stranger, it is just "none".
    assert.equal((await client.rpc.id_verifyClaim({ identity: id, topic: 1 })).state, 'none');
    assert.equal((await client.write('id_verifyClaim', { identity: id, topic: 1 }, stranger)).state, 'none');
    for (const by of [wallet, t.issuerSigner]) {
      const v = await client.write('id_verifyClaim', { identity: id, topic: 1 }, by);
      assert.deepEqual([v.state, v.valid, v.applicationId, v.issuer], ['pending', false, applicationId, kycIssuer]);
    }
    // Another issuer asked about: not its application.
    assert.equal((await client.write('id_verifyClaim', { identity: id, topic: 1, issuer: t.node.ctx.deployment.issuers.aml as Address }, wallet)).state, 'none');
    // A bad signature is refused, not answered as "none".
    const signed = await client.sign('id_verifyClaim', { identity: id, topic: 1 }, wallet);
    await expectRpcRefusal(client.call('id_verifyClaim', { ...signed, topic: 2 }), -32001);
    // Approved: the claim decides again.
    const c = await chainNow();
    const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity: id, topic: 1n, documentHash: sealed.documentHash as Hex, issuedAt: BigInt(c - 5), expiresAt: BigInt(c + 3600) });
    await client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt: c - 5, expiresAt: c + 3600, signature } }, t.issuerSigner);
    const v = await client.write('id_verifyClaim', { identity: id, topic: 1 }, wallet);
    assert.deepEqual([v.state, v.applicationId], ['valid', undefined]);
  });
});

describe('KYC applications: tampering is not absence, and no existence oracle', () => {
  let applicationId: string;
  let sealedBytes: Uint8Array;

  before(async () => {
    const issuerKey = generateEncryptionKey();
    const sealed = await sealForClaim(new TextEncoder().encode('utility bill'), { chainId, identity, topic: 1 }, [issuerKey.did]);
    sealedBytes = sealed.bytes;
    ({ applicationId } = await client.write('id_submitKycApplication', {
      identity, topic: 1, issuer: kycIssuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
    }, holder));
  });

  it('includeDocument: tampered bytes are -32005 (never sent), an absent block is documentStatus "absent"', async () => {
    const get = (includeDocument?: boolean) => client.write('id_getKycApplication', { applicationId, ...(includeDocument === undefined ? {} : { includeDocument }) }, holder);
    const ok = await get(true);
    assert.deepEqual([ok.documentStatus, ok.ciphertext], ['included', toBase64(sealedBytes)]);
    assert.equal((await get()).documentStatus, undefined);
    const path = blockPath(join(t.dataDir, 'blocks'), ok.cid);
    const original = readFileSync(path);
    const bad = Buffer.from(original); bad[bad.length - 1] ^= 1;
    writeFileSync(path, bad);
    try {
      const e = await expectRpcRefusal(get(true), -32005, /integrity/);
      assert.ok(!JSON.stringify([e.message, e.data]).includes(bad.toString('base64').slice(0, 16)), 'no bytes in the error');
      // The metadata alone is still served: nothing of the document is in it.
      assert.equal((await get(false)).id, applicationId);
      rmSync(path);
      const absent = await get(true);
      assert.deepEqual([absent.documentStatus, absent.ciphertext], ['absent', undefined]);
    } finally {
      writeFileSync(path, original);
    }
    assert.equal((await get(true)).documentStatus, 'included');
  });

  it('an unknown application id and someone else\'s application get the same refusal, for reading and reviewing', async () => {
    const stranger = privateKeyToAccount(generatePrivateKey());
    const unknownId = '00000000-0000-4000-8000-000000000000';
    const same = async (what: string, real: () => Promise<unknown>, unknown: () => Promise<unknown>) => {
      const a = await expectRpcRefusal(real(), -32001);
      const b = await expectRpcRefusal(unknown(), -32001);
      assert.deepEqual([b.code, b.message, b.data], [a.code, a.message, a.data], what);
    };
    await same('read', () => client.write('id_getKycApplication', { applicationId }, stranger), () => client.write('id_getKycApplication', { applicationId: unknownId }, stranger));
    await same('read with the document', () => client.write('id_getKycApplication', { applicationId, includeDocument: true }, stranger), () => client.write('id_getKycApplication', { applicationId: unknownId, includeDocument: true }, stranger));
    // The applicant may read but not review: refused like an unknown id, and learns nothing of the status either.
    await same('review', () => client.write('id_reviewKycApplication', { applicationId, decision: 'reject', reason: 'x' }, holder), () => client.write('id_reviewKycApplication', { applicationId: unknownId, decision: 'reject', reason: 'x' }, holder));
    // Those who may see it: the unknown id is refused to them the same way.
    await expectRpcRefusal(client.write('id_getKycApplication', { applicationId: unknownId }, holder), -32001);
    await expectRpcRefusal(client.write('id_getKycApplication', { applicationId: unknownId }, t.issuerSigner), -32001);
    assert.equal((await client.write('id_getKycApplication', { applicationId }, t.issuerSigner)).status, 'pending');
  });
});
