// The EIP-712 request authenticator: canonical signatures only, nonces spent once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bytesToHex, hexToBytes, toHex, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { RequestAuthenticator } from './auth.js';
import { requestTypedData } from '../protocol/request.js';
import { RpcError } from './rpc/errors.js';
import { SECP256K1_HALF_N, SECP256K1_N, isCanonicalEcdsaSignature } from '../crypto/ecdsa.js';
import { bigintToBytesBE, bytesToBigintBE } from '../crypto/bytes.js';

const CHAIN = 31337;

/** The malleable twin of a 65-byte signature: s -> n - s, v flipped. It recovers the same address. */
function highS(signature: Hex): Hex {
  const b = hexToBytes(signature);
  const s = bytesToBigintBE(b.subarray(32, 64));
  const out = new Uint8Array(b);
  out.set(bigintToBytesBE(SECP256K1_N - s, 32), 32);
  out[64] = b[64] === 27 ? 28 : 27;
  return bytesToHex(out);
}

describe('request signatures', () => {
  it('a high-s signature is refused for a never-used nonce, which stays unspent', async () => {
    const spent = new Set<string>();
    const auth = new RequestAuthenticator(CHAIN, (signer, nonce) => !spent.has(`${signer}:${nonce}`) && !!spent.add(`${signer}:${nonce}`));
    const wallet = privateKeyToAccount(generatePrivateKey());
    const params = { identity: '0x1111111111111111111111111111111111111111', topic: 1 };
    const nonce = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const deadline = Math.floor(Date.now() / 1000) + 600;
    const low = await wallet.signTypedData(requestTypedData(CHAIN, 'id_addKey', params, nonce, deadline));
    const high = highS(low);
    assert.ok(isCanonicalEcdsaSignature(hexToBytes(low)));
    assert.ok(!isCanonicalEcdsaSignature(hexToBytes(high)));
    assert.ok(bytesToBigintBE(hexToBytes(high).subarray(32, 64)) > SECP256K1_HALF_N);
    const raw = { ...params, auth: { signer: wallet.address, nonce, deadline, signature: high } };
    await assert.rejects(auth.verify('id_addKey', raw, raw.auth), (e: unknown) => {
      assert.ok(e instanceof RpcError);
      assert.equal(e.code, -32001);
      assert.match(e.message, /low s/);
      assert.deepEqual(e.data, { field: 'auth.signature' });
      return true;
    });
    assert.equal(spent.size, 0, 'the refused twin spent nothing');
    // The canonical signature with the same nonce is still good (once).
    const ok = { ...params, auth: { signer: wallet.address, nonce, deadline, signature: low } };
    assert.equal(await auth.verify('id_addKey', ok, ok.auth), wallet.address);
    await assert.rejects(auth.verify('id_addKey', ok, ok.auth), /replay/);
  });

  it('only 65-byte signatures with v = 27 or 28 and 0 < r < n are canonical', () => {
    const sig = (r: bigint, s: bigint, v: number) => new Uint8Array([...bigintToBytesBE(r, 32), ...bigintToBytesBE(s, 32), v]);
    assert.ok(isCanonicalEcdsaSignature(sig(1n, SECP256K1_HALF_N, 27)));
    assert.ok(!isCanonicalEcdsaSignature(sig(1n, SECP256K1_HALF_N + 1n, 27)));
    assert.ok(!isCanonicalEcdsaSignature(sig(0n, 1n, 28)));
    assert.ok(!isCanonicalEcdsaSignature(sig(SECP256K1_N, 1n, 28)));
    assert.ok(!isCanonicalEcdsaSignature(sig(1n, 0n, 28)));
    assert.ok(!isCanonicalEcdsaSignature(sig(1n, 1n, 0)));
    assert.ok(!isCanonicalEcdsaSignature(sig(1n, 1n, 1)));
    assert.ok(!isCanonicalEcdsaSignature(sig(1n, 1n, 27).subarray(0, 64)));
  });
});
