import { base64 } from 'multiformats/bases/base64';
import type { Hex } from 'viem';
import { documentHash } from './hashes.js';
import { equalBytes } from '../crypto/bytes.js';
import { mlKemPublicKeyFromDid } from '../did/key.js';
import { envelopeInfo, normalizeEnvelopeContext, type EnvelopeContext } from './context.js';
import { DOCUMENT_KEY_BYTES } from './document.js';
import { ContextMismatchError, DecryptionError, FormatError } from './errors.js';
import {
  AEAD_AES_256_GCM,
  AEAD_CHACHA20_POLY1305,
  KDF_HKDF_SHA256,
  KEM_ML_KEM_768,
  ML_KEM_768_ENC_BYTES,
  expandSecretKey,
  openBase,
  sealBase,
  type HpkeAead,
} from './hpke.js';

/**
 * A key envelope: one document key wrapped for one recipient, bound to one claim and one document.
 * Wire form: UTF-8 JSON with exactly these keys in this order (see README), binary fields in
 * RFC 4648 base64 without padding, topic as a decimal string (uint256 does not fit a JSON number).
 */
export interface KeyEnvelope {
  readonly type: 'masque/key-envelope';
  readonly version: 1;
  readonly suite: { readonly kem: typeof KEM_ML_KEM_768; readonly kdf: typeof KDF_HKDF_SHA256; readonly aead: HpkeAead };
  readonly context: {
    readonly chainId: number;
    readonly identity: string;
    readonly topic: string;
    readonly documentHash: string;
    readonly cid: string;
    readonly recipient: string;
  };
  /** HPKE encapsulated key (ML-KEM-768 ciphertext, 1088 bytes). */
  readonly enc: string;
  /** HPKE ciphertext of the 32-byte document key (48 bytes with the tag). */
  readonly ct: string;
}

const NO_AAD = new Uint8Array(0);
const b64 = (b: Uint8Array) => base64.baseEncode(b);
function unb64(s: string, field: string): Uint8Array {
  try {
    return base64.baseDecode(s);
  } catch {
    throw new FormatError(`envelope ${field} is not base64`);
  }
}

export function envelopeContext(envelope: KeyEnvelope): EnvelopeContext {
  const c = envelope.context;
  try {
    return normalizeEnvelopeContext({ ...c, identity: c.identity as Hex, topic: BigInt(c.topic), documentHash: c.documentHash as Hex });
  } catch (e) {
    throw new FormatError(`envelope context: ${(e as Error).message}`);
  }
}

/** Wraps a document key for `context.recipient` (HPKE base mode, info = envelopeInfo(context)). */
export async function wrapKey(documentKey: Uint8Array, context: EnvelopeContext, options: { aead?: HpkeAead } = {}): Promise<KeyEnvelope> {
  if (documentKey.length !== DOCUMENT_KEY_BYTES) throw new TypeError('document key must be 32 bytes');
  const ctx = normalizeEnvelopeContext(context);
  const aead = options.aead ?? AEAD_AES_256_GCM;
  const { enc, ct } = await sealBase(mlKemPublicKeyFromDid(ctx.recipient), envelopeInfo(ctx), NO_AAD, documentKey, aead);
  return {
    type: 'masque/key-envelope',
    version: 1,
    suite: { kem: KEM_ML_KEM_768, kdf: KDF_HKDF_SHA256, aead },
    context: {
      chainId: ctx.chainId,
      identity: ctx.identity,
      topic: ctx.topic.toString(10),
      documentHash: ctx.documentHash,
      cid: ctx.cid,
      recipient: ctx.recipient,
    },
    enc: b64(enc),
    ct: b64(ct),
  };
}

/**
 * Opens an envelope with the recipient's 64-byte ML-KEM seed, for the context the caller expects
 * (the claim it asked for, the document hash read on chain, itself as recipient). The envelope's
 * stated context must equal it, and the HPKE info is rebuilt from the expected context, so an
 * envelope replayed for another claim, document or recipient fails even if its JSON is edited.
 */
export async function openEnvelope(envelope: KeyEnvelope, recipientSecretKey: Uint8Array, expected: EnvelopeContext): Promise<Uint8Array> {
  checkEnvelopeShape(envelope);
  const want = normalizeEnvelopeContext(expected);
  const got = envelopeContext(envelope);
  for (const field of ['chainId', 'identity', 'topic', 'documentHash', 'cid', 'recipient'] as const) {
    if (String(got[field]) !== String(want[field])) throw new ContextMismatchError(field, String(want[field]), String(got[field]));
  }
  const secretKey = expandSecretKey(recipientSecretKey);
  try {
    // ML-KEM-768's expanded secret key embeds the encapsulation key at bytes [1152, 2336).
    if (!equalBytes(secretKey.subarray(1152, 1152 + 1184), mlKemPublicKeyFromDid(want.recipient))) {
      throw new ContextMismatchError('recipient', want.recipient, 'a secret key of another recipient');
    }
    const key = await openBase(secretKey, unb64(envelope.enc, 'enc'), envelopeInfo(want), NO_AAD, unb64(envelope.ct, 'ct'), envelope.suite.aead);
    if (key.length !== DOCUMENT_KEY_BYTES) throw new DecryptionError('key envelope');
    return key;
  } catch (e) {
    if (e instanceof ContextMismatchError || e instanceof DecryptionError) throw e;
    throw new DecryptionError('key envelope');
  } finally {
    secretKey.fill(0);
  }
}

/**
 * A grant: the holder of an envelope (normally the subject, with its own envelope) re-wraps the
 * document key for one verifier's ML-KEM-768 did:key, for the same claim and document. The new
 * envelope opens for that verifier only; revoking it touches no other envelope.
 */
export async function rewrapKey(
  envelope: KeyEnvelope,
  holderSecretKey: Uint8Array,
  holderContext: EnvelopeContext,
  verifier: string,
  options: { aead?: HpkeAead } = {},
): Promise<KeyEnvelope> {
  const key = await openEnvelope(envelope, holderSecretKey, holderContext);
  try {
    return await wrapKey(key, { ...holderContext, recipient: verifier }, { aead: options.aead ?? envelope.suite.aead });
  } finally {
    key.fill(0);
  }
}

function checkEnvelopeShape(e: KeyEnvelope): void {
  const ok =
    e !== null &&
    typeof e === 'object' &&
    e.type === 'masque/key-envelope' &&
    e.version === 1 &&
    e.suite?.kem === KEM_ML_KEM_768 &&
    e.suite.kdf === KDF_HKDF_SHA256 &&
    (e.suite.aead === AEAD_AES_256_GCM || e.suite.aead === AEAD_CHACHA20_POLY1305) &&
    typeof e.context === 'object' &&
    e.context !== null &&
    Number.isSafeInteger(e.context.chainId) &&
    typeof e.context.identity === 'string' &&
    typeof e.context.topic === 'string' &&
    /^(0|[1-9][0-9]{0,77})$/.test(e.context.topic) &&
    typeof e.context.documentHash === 'string' &&
    typeof e.context.cid === 'string' &&
    typeof e.context.recipient === 'string' &&
    typeof e.enc === 'string' &&
    typeof e.ct === 'string';
  if (!ok) throw new FormatError('not a version 1 Masque key envelope');
  if (unb64(e.enc, 'enc').length !== ML_KEM_768_ENC_BYTES) throw new FormatError('envelope enc must be 1088 bytes');
}

/** Canonical bytes: fixed key order, no whitespace, so one envelope has one encoding and one ref. */
export function encodeEnvelope(e: KeyEnvelope): Uint8Array {
  checkEnvelopeShape(e);
  const c = e.context;
  const canonical: KeyEnvelope = {
    type: e.type,
    version: e.version,
    suite: { kem: e.suite.kem, kdf: e.suite.kdf, aead: e.suite.aead },
    context: { chainId: c.chainId, identity: c.identity, topic: c.topic, documentHash: c.documentHash, cid: c.cid, recipient: c.recipient },
    enc: e.enc,
    ct: e.ct,
  };
  return new TextEncoder().encode(JSON.stringify(canonical));
}

export function decodeEnvelope(input: Uint8Array | string): KeyEnvelope {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: true }).decode(input);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FormatError('envelope is not JSON');
  }
  checkEnvelopeShape(parsed as KeyEnvelope);
  return parsed as KeyEnvelope;
}

/**
 * SHA-256 of the canonical bytes: the `envelopeRef` an on-chain grant (IAccessGrants) records, and the digest of the
 * CID (raw, sha2-256) under which the node keeps the envelope in the blockstore. So the chain alone names every
 * granted envelope: with the node's database lost, `getAccessGrant` -> CID -> blockstore still finds it.
 */
export function envelopeRef(e: KeyEnvelope): Hex {
  return documentHash(encodeEnvelope(e));
}

