// What browser.test.ts runs from a browser bundle (esbuild, platform 'browser') in a runtime stripped of Node's
// globals: the onboarding story through the SDK alone. A holder creates its identity, seals a document for the KYC
// issuer and itself, the issuer reads and approves it, the holder grants a verifier, delegates a UCAN (the lazily
// loaded chunk), the verifier fetches and opens the document. Returns what the test checks.
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address, Hex } from 'viem';
import {
  MasqueClient, MasqueRpcError, delegateRead, fromBase64, generateEncryptionKey, openSealed, readRequest, rewrapFor, sealForClaim,
  sha256Hex, signClaim, toBase64,
} from './index.js';

export interface ScenarioInput { url: string; issuerPrivateKey: Hex; document: string }

export async function run(input: ScenarioInput) {
  const client = new MasqueClient(input.url);
  const info = await client.rpc.node_info({});
  const chainId = info.chainId;
  const holder = privateKeyToAccount(generatePrivateKey());
  const issuer = privateKeyToAccount(input.issuerPrivateKey);
  const verifier = privateKeyToAccount(generatePrivateKey());
  const [holderKey, issuerKey, verifierKey] = [generateEncryptionKey(), generateEncryptionKey(), generateEncryptionKey()];

  const { identity } = await client.write('id_createIdentity', { wallet: holder.address, country: 276 }, holder);
  const topic = 1;
  const plaintext = new TextEncoder().encode(input.document);
  const sealed = await sealForClaim(plaintext, { chainId, identity: identity as Address, topic }, [issuerKey.did, holderKey.did]);
  const submitted = await client.write('id_submitKycApplication', {
    identity: identity as Address, topic, issuer: info.issuers.kyc!.address as Address,
    document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
  }, holder);

  // The issuer opens what it reviews, then signs and approves.
  const app = await client.write('id_getKycApplication', { applicationId: submitted.applicationId, includeDocument: true }, issuer);
  const issuerEnvelope = app.envelopes.find((e) => e.recipient === issuerKey.did)!.envelope!;
  const reviewed = new TextDecoder().decode(await openSealed(fromBase64(app.ciphertext!), issuerEnvelope, issuerKey, { chainId, identity: identity as Address, topic }));
  const now = Math.floor(Date.now() / 1000);
  const { signature } = await signClaim(issuer, {
    chainId, issuer: app.issuer as Address, identity: identity as Address, topic: BigInt(topic), documentHash: app.documentHash as Hex,
    issuedAt: BigInt(now - 60), expiresAt: BigInt(now + 86400),
  });
  await client.write('id_reviewKycApplication', { applicationId: submitted.applicationId, decision: 'approve', claim: { issuedAt: now - 60, expiresAt: now + 86400, signature } }, issuer);
  const verified = await client.rpc.id_verifyClaim({ identity: identity as Address, topic });

  // Grant (an Execute signature on the identity, src/protocol/signed-calls.ts), delegate, fetch, open.
  const holderEnvelope = sealed.envelopes.find((e) => e.recipient === holderKey.did)!.envelope;
  const envelope = await rewrapFor(holderEnvelope, holderKey, verifierKey.did);
  await client.write('id_grantClaimAccess', { identity: identity as Address, topic, verifier: verifier.address, verifierKey: verifierKey.did, envelope }, holder);
  const delegation = await delegateRead(holder, { chainId, verifier: verifier.address, identity: identity as Address, topic, seconds: 600 });
  const doc = await client.rpc.id_getClaimDocument(await readRequest(verifier, { chainId, holder: holder.address, identity: identity as Address, topic, proofs: [delegation], audience: info.did }));
  const fetched = new TextDecoder().decode(await openSealed(fromBase64(doc.ciphertext), doc.envelope, verifierKey, { chainId, identity: identity as Address, topic }));

  // A refusal reaches the caller as a typed error naming the field.
  let refusal: { name: string; code: number; field: string | undefined } | undefined;
  try {
    await client.rpc.id_verifyClaim({ identity: '0x1234' as Address, topic });
  } catch (e) {
    if (e instanceof MasqueRpcError) refusal = { name: e.name, code: e.code, field: e.field };
  }
  return {
    identity, verified: verified.valid, reviewed, fetched, documentHash: sealed.documentHash, sha256OfSealed: sha256Hex(sealed.bytes), refusal,
    base64RoundTrip: toBase64(fromBase64(toBase64(plaintext))) === toBase64(plaintext),
  };
}
