// Client-side document sealing and key envelopes, over src/documents (HPKE with ML-KEM-768): the node only ever
// sees sealed bytes and wrapped keys.
import type { Address, Hex } from 'viem';
import {
  decodeEnvelope,
  documentCid,
  documentHash,
  encodeEnvelope,
  envelopeContext,
  generateRecipientKeyPair,
  openDocument,
  openEnvelope,
  rewrapKey,
  sealDocument,
  wrapKey,
  type EnvelopeContext,
} from '../documents/index.js';
import { mlKemDid } from '../did/index.js';

/** An ML-KEM-768 recipient key: `secretKey` is the 64-byte seed, `did` its did:key. */
export interface EncryptionKey { did: string; publicKey: Uint8Array; secretKey: Uint8Array }

export function generateEncryptionKey(seed?: Uint8Array): EncryptionKey {
  const kp = generateRecipientKeyPair(seed);
  return { did: mlKemDid(kp.publicKey), publicKey: kp.publicKey, secretKey: kp.secretKey };
}

export interface ClaimRef { chainId: number; identity: Address; topic: number }

export interface SealedForClaim {
  bytes: Uint8Array;
  documentHash: Hex;
  cid: string;
  envelopes: { recipient: string; envelope: string }[];
}

const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Seals `plaintext` for a claim and wraps its key for each recipient did:key (the issuer, the holder). */
export async function sealForClaim(plaintext: Uint8Array, claim: ClaimRef, recipients: string[]): Promise<SealedForClaim> {
  const ctx = { chainId: claim.chainId, identity: claim.identity, topic: BigInt(claim.topic) };
  const sealed = await sealDocument(plaintext, ctx);
  try {
    const cid = sealed.cid.toString();
    const envelopes = await Promise.all(recipients.map(async (recipient) => ({
      recipient,
      envelope: text(encodeEnvelope(await wrapKey(sealed.key, { ...ctx, documentHash: sealed.documentHash, cid, recipient }))),
    })));
    return { bytes: sealed.bytes, documentHash: sealed.documentHash, cid, envelopes };
  } finally {
    sealed.key.fill(0);
  }
}

async function expectedContext(bytes: Uint8Array, claim: ClaimRef, recipient: string): Promise<EnvelopeContext> {
  return { chainId: claim.chainId, identity: claim.identity, topic: BigInt(claim.topic), documentHash: documentHash(bytes), cid: (await documentCid(bytes)).toString(), recipient };
}

/** Opens sealed bytes with an envelope for `key`, checking both are bound to `claim` and to these very bytes. */
export async function openSealed(bytes: Uint8Array, envelope: string, key: EncryptionKey, claim: ClaimRef): Promise<Uint8Array> {
  const ctx = await expectedContext(bytes, claim, key.did);
  const dk = await openEnvelope(decodeEnvelope(envelope), key.secretKey, ctx);
  try {
    return await openDocument(bytes, dk, { chainId: claim.chainId, identity: claim.identity, topic: BigInt(claim.topic) });
  } finally {
    dk.fill(0);
  }
}

/** Re-wraps the document key of `envelope` (opened with the holder's `key`) for `verifierDid`. */
export async function rewrapFor(envelope: string, key: EncryptionKey, verifierDid: string): Promise<string> {
  const env = decodeEnvelope(envelope);
  const ctx = { ...envelopeContext(env), recipient: key.did };
  return text(encodeEnvelope(await rewrapKey(env, key.secretKey, ctx, verifierDid)));
}

