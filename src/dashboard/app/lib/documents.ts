// Document crypto in the page, loaded on demand (ML-KEM-768, HPKE, AES-GCM): sealing a KYC document for the issuer
// and the holder, opening one with the unlocked key, re-wrapping for a verifier. The node only ever sees sealed
// bytes and wrapped keys.
import type { Address } from 'viem';
import type { EncryptionKey } from '../../../sdk/crypto.js';

export const documentCrypto = () => import('../../../sdk/crypto.js');

/** How a decrypted document is shown: text inline, images as pictures, anything else as a download. */
export function viewOf(bytes: Uint8Array, mediaType: string): { kind: 'text'; text: string } | { kind: 'image' | 'file'; url: string } {
  if (mediaType.startsWith('image/')) return { kind: 'image', url: URL.createObjectURL(new Blob([bytes as BlobPart], { type: mediaType })) };
  if (mediaType.startsWith('text/') || mediaType === 'application/json' || mediaType === 'application/octet-stream') {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    // Binary content decodes to replacement characters: offer it as a file instead.
    if (mediaType !== 'application/octet-stream' || !/\uFFFD/.test(text.slice(0, 4096))) return { kind: 'text', text };
  }
  return { kind: 'file', url: URL.createObjectURL(new Blob([bytes as BlobPart], { type: mediaType })) };
}

export interface OpenedDocument { bytes: Uint8Array; mediaType: string; checks: { label: string; ok: boolean; detail: string }[]; ms: number }

/**
 * Opens sealed bytes in the page and reports each integrity check as it passed: the bytes hash to the expected
 * document hash (the one the claim or grant binds), the CID names these bytes, the envelope is bound to this claim,
 * document and recipient (HPKE context), and the AEAD tag verifies.
 */
export async function openWithChecks(o: { ciphertext: Uint8Array; envelope: string; expectedHash: string; expectedCid: string; mediaType: string; claim: { chainId: number; identity: Address; topic: number } }, key: EncryptionKey): Promise<OpenedDocument> {
  const t0 = performance.now();
  const { openSealed } = await documentCrypto();
  const { documentHash, documentCid } = await import('../../../documents/hashes.js');
  const hash = documentHash(o.ciphertext);
  const cid = (await documentCid(o.ciphertext)).toString();
  const checks = [
    { label: 'Document hash', ok: hash.toLowerCase() === o.expectedHash.toLowerCase(), detail: `sha-256 of the sealed bytes = ${hash.slice(0, 18)}…` },
    { label: 'Content address', ok: cid === o.expectedCid, detail: `CID ${cid.slice(0, 16)}… names these bytes` },
  ];
  if (checks.some((c) => !c.ok)) return { bytes: new Uint8Array(), mediaType: o.mediaType, checks, ms: performance.now() - t0 };
  try {
    const bytes = await openSealed(o.ciphertext, o.envelope, key, o.claim);
    checks.push({ label: 'Key envelope', ok: true, detail: 'ML-KEM-768 / HPKE, bound to this claim, document and your key' });
    checks.push({ label: 'Authenticated decryption', ok: true, detail: 'AES-256-GCM tag verified' });
    return { bytes, mediaType: o.mediaType, checks, ms: performance.now() - t0 };
  } catch (e) {
    checks.push({ label: 'Key envelope and decryption', ok: false, detail: (e as Error).message });
    return { bytes: new Uint8Array(), mediaType: o.mediaType, checks, ms: performance.now() - t0 };
  }
}

/**
 * The envelope of `envelopes` that a key of this session opens, with that key: the current encryption key first,
 * then the retired ones the vault keeps after a rotation.
 */
export function envelopeForSession<E extends { recipient: string; envelope?: string }>(envelopes: readonly E[], s: { encryption: EncryptionKey; retired: readonly EncryptionKey[] }): { envelope: string; key: EncryptionKey } | undefined {
  for (const key of [s.encryption, ...s.retired]) {
    const e = envelopes.find((x) => x.recipient === key.did && x.envelope);
    if (e) return { envelope: e.envelope!, key };
  }
  return undefined;
}

/**
 * The integrity check "hash vs claim": the claim the chain holds now for this identity, topic and issuer binds
 * `documentHash` (read from chain state, not taken from the listing that delivered the document).
 */
export async function claimBindingCheck(identity: Address, topic: number, issuer: string, documentHash: string): Promise<OpenedDocument['checks'][number]> {
  const { client } = await import('./rpc.js');
  const claim = (await client.rpc.id_getIdentity({ identity })).claims.find((c) => c.topic === topic && c.issuer.toLowerCase() === issuer.toLowerCase());
  if (!claim) return { label: 'Bound by the claim on chain', ok: false, detail: 'no claim of this issuer on this topic on chain now' };
  const ok = claim.documentHash.toLowerCase() === documentHash.toLowerCase();
  return { label: 'Bound by the claim on chain', ok, detail: `claim ${claim.claimId.slice(0, 10)}… binds documentHash ${claim.documentHash.slice(0, 12)}…${ok ? '' : `, not ${documentHash.slice(0, 12)}…`}` };
}
