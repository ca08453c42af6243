// Issue 10's findings against a started node: answers reflect transactions sent straight to the chain at once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeFunctionData, type Abi, type Address, type Hex, type PrivateKeyAccount } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { MasqueClient, generateEncryptionKey, sealForClaim, signClaim, toBase64 } from '../sdk/index.js';
import { walletKey } from '../chain/identity.js';
import { rpc } from '../chain/anvil.js';
import { identityAbi } from '../chain/artifacts/Identity.js';
import { claimIssuerAbi } from '../chain/artifacts/ClaimIssuer.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { expectRpcRefusal, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let chainId: number;
let kycIssuer: Address;
let tir: Address;
let identity: Address;
const holder = privateKeyToAccount(generatePrivateKey());
const now = () => Math.floor(Date.now() / 1000);

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

async function issueKyc(issuedAt: number): Promise<Hex> {
  const documentHash = `0x${'ab'.repeat(32)}` as Hex;
  const expiresAt = now() + 3600;
  const { signature } = await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity, topic: 1n, documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
  return (await client.rpc.id_issueClaim({ identity, topic: 1, issuer: kycIssuer, documentHash, issuedAt, expiresAt, signature })).claimId as Hex;
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
    await issueKyc(now() - 100);
    const owner = await t.node.ctx.clients.publicClient.readContract({ address: tir, abi: trustedIssuersRegistryAbi, functionName: 'owner' }) as Address;
    for (let i = 0; i < ROUNDS; i++) {
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: kycIssuer })).valid, true);
      await direct(owner, tir, trustedIssuersRegistryAbi, 'removeTrustedIssuer', [kycIssuer]);
      const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
      assert.equal(v.valid, false, `round ${i}: the removed issuer's claim still verified`);
      assert.equal(v.reason, 'UNTRUSTED_ISSUER');
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1, issuer: kycIssuer })).valid, false);
      assert.equal((await client.rpc.id_getIdentity({ identity })).verified, false);
      await direct(owner, tir, trustedIssuersRegistryAbi, 'addTrustedIssuer', [kycIssuer, [1n]]);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true, `round ${i}: trusted again`);
    }
  });

  it('a claim revoked by its issuer straight on anvil no longer verifies', async () => {
    for (let i = 0; i < ROUNDS; i++) {
      // Each round a newer claim (the issuer refuses to bring back an older or revoked one).
      const claimId = await issueKyc(now() - 90 + i);
      assert.equal((await client.rpc.id_verifyClaim({ identity, topic: 1 })).valid, true);
      await direct(t.issuerSigner.address, kycIssuer, claimIssuerAbi, 'revokeClaim', [claimId, identity]);
      const v = await client.rpc.id_verifyClaim({ identity, topic: 1 });
      assert.equal(v.valid, false, `round ${i}: the revoked claim still verified`);
      assert.equal(v.reason, 'REVOKED_OR_INVALID');
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
