import { getAddress, type Address, type Hex } from 'viem';
import { identityAbi } from '../../chain/artifacts/Identity.js';
import { ClaimTopic, KeyPurpose } from '../../chain/identity.js';
import { cidOfDigest, decodeEnvelope, documentHash, envelopeContext } from '../../documents/index.js';
import { DidError, mlKemDid, mlKemKeyId, mlKemPublicKeyFromDid } from '../../did/index.js';
import type { NodeContext } from '../context.js';
import type { RepoSet } from '../db/index.js';
import type { Handlers } from './types.js';
import { authorize, prepareIdentityCall, requireManager } from './common.js';
import { claimsOfTopic } from '../chain/reads.js';
import { invalidParams } from '../rpc/errors.js';
import { checkEnvelope } from './envelopes.js';
import { putEnvelopeBlocks, storedDocument } from './documents.js';
import { walletIdentities } from './wallet-identities.js';

/** Media type of the documents rows that record encryption public keys (so pin audits keep them too). */
const PUBLIC_KEY_MEDIA_TYPE = 'application/vnd.masque.mlkem768-public-key';

export function cidOfUri(uri: string): string | undefined {
  return /^ipfs:\/\/(b[a-z2-7]+)$/.exec(uri)?.[1];
}

/**
 * The identity's ML-KEM-768 encryption keys (purpose 4) at the request's head: the on-chain key is sha256 of the
 * public key, whose bytes the blockstore holds under the CID of that digest (did null when they are not there).
 */
export async function encryptionKeys(ctx: NodeContext, identity: Address): Promise<{ keyId: Hex; did: string | null }[]> {
  const keys = await ctx.cache.get(`enckeys:${identity.toLowerCase()}`, (head) => ctx.clients.publicClient.readContract({
    address: identity, abi: identityAbi, functionName: 'getKeysByPurpose', args: [KeyPurpose.ENCRYPTION], blockNumber: head.number,
  }));
  return Promise.all(keys.map(async (keyId) => {
    try {
      return { keyId, did: mlKemDid(await ctx.blocks.get(cidOfDigest(keyId))) };
    } catch {
      return { keyId, did: null };
    }
  }));
}

async function currentKeyDids(ctx: NodeContext, identity: Address): Promise<Set<string>> {
  return new Set((await encryptionKeys(ctx, identity)).flatMap((k) => (k.did ? [k.did] : [])));
}

export interface StoredBytes { cid: string; digest: Hex; size: number }

/**
 * Puts sealed bytes in the blockstore (before any database row or transaction refers to them: a crash in between
 * leaves an orphan block, never a row pointing at missing bytes) and returns their names.
 */
export async function putSealedBytes(ctx: NodeContext, ciphertext: string, field: string): Promise<StoredBytes> {
  const bytes = Buffer.from(ciphertext, 'base64');
  if (bytes.length === 0) throw invalidParams(field, 'empty document');
  const digest = documentHash(bytes);
  const cid = (await ctx.blocks.put(bytes)).toString();
  return { cid, digest, size: bytes.length };
}

export interface CheckedEnvelope { recipient: string; ref: Hex; canonical: string }

/** Each envelope bound to this identity, topic, document and its stated recipient (and that recipient allowed, when `allowed` is given). */
export function checkEnvelopes(
  ctx: NodeContext, list: readonly { recipient: string; envelope: string }[], want: { identity: Address; topic: number; doc: StoredBytes },
  field: string, allowed?: { dids: Set<string>; why: string },
): CheckedEnvelope[] {
  return list.map((e, i) => {
    if (allowed && !allowed.dids.has(e.recipient)) throw invalidParams(`${field}.${i}.recipient`, allowed.why);
    const c = checkEnvelope(e.envelope, {
      chainId: ctx.chainId, identity: want.identity, topic: want.topic, documentHash: want.doc.digest, cid: want.doc.cid, recipient: e.recipient,
    }, `${field}.${i}.envelope`);
    return { recipient: e.recipient, ref: c.ref, canonical: c.canonical };
  });
}

/** The document row and its envelopes, in the caller's transaction. */
export async function recordDocument(tx: RepoSet, doc: StoredBytes, mediaType: string, envelopes: readonly CheckedEnvelope[]): Promise<void> {
  await tx.documents.putDocument({ cid: doc.cid, digest: doc.digest, size: doc.size, mediaType });
  for (const e of envelopes) await tx.documents.putEnvelope({ ref: e.ref, cid: doc.cid, recipient: e.recipient, envelope: e.canonical });
}

export interface IssuerDocument {
  document: { ciphertext: string; mediaType?: string };
  envelopes: readonly { recipient: string; envelope: string }[];
}

/**
 * An issuer's own document for a claim (a KYC report, a screening result, a certificate), sealed client-side for the
 * subject: stored by CID, recorded with its envelopes, and returned with the hash and uri the claim must bind. Every
 * envelope is for a current encryption key of the subject or of the issuer's contract (a copy the issuer keeps), and
 * at least one for the subject: a key the subject rotated away opens nothing issued after the rotation.
 */
export async function storeIssuerDocument(
  ctx: NodeContext, c: { identity: Address; topic: number; issuer: Address }, d: IssuerDocument, prefix = '',
): Promise<{ cid: string; documentHash: Hex; uri: string }> {
  const subjectKeys = await currentKeyDids(ctx, c.identity);
  if (subjectKeys.size === 0) throw invalidParams('identity', 'the identity has no encryption key (purpose 4) to seal the document for: its manager adds one (id_addEncryptionKey)');
  if (!d.envelopes.some((e) => subjectKeys.has(e.recipient))) throw invalidParams(`${prefix}envelopes`, "no envelope for a current encryption key of the subject");
  const allowed = new Set([...subjectKeys, ...(await currentKeyDids(ctx, c.issuer).catch(() => new Set<string>()))]);
  const doc = await putSealedBytes(ctx, d.document.ciphertext, `${prefix}document.ciphertext`);
  const envelopes = checkEnvelopes(ctx, d.envelopes, { identity: c.identity, topic: c.topic, doc }, `${prefix}envelopes`, {
    dids: allowed, why: "not a current encryption key (purpose 4) of the subject's identity or of the issuer's contract",
  });
  await putEnvelopeBlocks(ctx, envelopes.map((e) => e.canonical));
  await ctx.repos.transaction((tx) => recordDocument(tx, doc, d.document.mediaType ?? 'application/octet-stream', envelopes));
  return { cid: doc.cid, documentHash: doc.digest, uri: `ipfs://${doc.cid}` };
}

/** Puts an ML-KEM-768 public key in the blockstore under the CID of its key id (what resolvers read back) and records it. */
async function storePublicKey(ctx: NodeContext, did: string, publicKey: Uint8Array): Promise<string> {
  const cid = (await ctx.blocks.put(publicKey)).toString();
  await ctx.repos.documents.putDocument({ cid, digest: mlKemKeyId(did), size: publicKey.length, mediaType: PUBLIC_KEY_MEDIA_TYPE });
  return cid;
}

/**
 * A key a party (a fund administrator, a regulator) is to receive envelopes for, checked against the chain: when the
 * identities its wallet manages (wherever deployed) hold encryption keys (purpose 4), `did` must be one of them
 * (-32602 naming `field`); a party with none on chain is taken at its word. A key found on chain whose bytes this
 * node lacked (added elsewhere) is stored, so the party's did:pkh document lists it from then on.
 */
export async function checkPartyKey(ctx: NodeContext, wallet: Address, did: string, field: string): Promise<void> {
  const publicKey = parseKey(did, field);
  const keyId = mlKemKeyId(did).toLowerCase();
  const onChain = (await Promise.all((await walletIdentities(ctx, wallet)).map((i) => encryptionKeys(ctx, i)))).flat();
  if (onChain.length === 0) return;
  const match = onChain.find((k) => k.keyId.toLowerCase() === keyId);
  if (!match) throw invalidParams(field, "not a current encryption key (purpose 4) of the party's identity");
  if (!match.did) await storePublicKey(ctx, did, publicKey);
}

function parseKey(did: string, field: string): Uint8Array {
  try {
    return mlKemPublicKeyFromDid(did);
  } catch (e) {
    if (e instanceof DidError || e instanceof TypeError) throw invalidParams(field, (e as Error).message);
    throw e;
  }
}

const ALL_TOPICS = Object.values(ClaimTopic).map(Number);

export const claimDocumentHandlers = (ctx: NodeContext): Pick<Handlers, 'id_addEncryptionKey' | 'id_listClaimDocuments' | 'id_rewrapDocuments'> => ({
  async id_addEncryptionKey(p, { raw }) {
    const signer = await authorize(ctx, 'id_addEncryptionKey', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const publicKey = parseKey(p.key, 'key');
    const send = await prepareIdentityCall(ctx, 'id_addEncryptionKey', p, signer);
    // The public key's bytes first: the on-chain key must always resolve to a did:key.
    const cid = await storePublicKey(ctx, p.key, publicKey);
    const r = await send();
    return { txHash: r.hash, keyId: mlKemKeyId(p.key), cid };
  },

  async id_listClaimDocuments(p, { raw }) {
    const signer = await authorize(ctx, 'id_listClaimDocuments', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const topics = p.topic !== undefined ? [p.topic] : [...new Set([...ALL_TOPICS, ...ctx.config.requiredTopics])];
    const claims = (await Promise.all(topics.map((t) => claimsOfTopic(ctx.clients.publicClient, p.identity, t)))).flat();
    const out = [];
    for (const c of claims) {
      const cid = cidOfUri(c.uri);
      const row = cid ? await ctx.repos.documents.document(cid) : undefined;
      if (!cid || !row) continue;
      const envelopes = (await ctx.repos.documents.envelopesOf(cid)).map((e) => ({ recipient: e.recipient, ref: e.ref, envelope: e.envelope }));
      const base = { topic: c.topic, issuer: getAddress(c.issuer), claimId: c.claimId, cid, documentHash: c.documentHash, mediaType: row.mediaType, envelopes };
      if (!p.includeCiphertext) { out.push(base); continue; }
      const bytes = await storedDocument(ctx, cid, c.documentHash);
      out.push({ ...base, ...(bytes ? { documentStatus: 'included' as const, ciphertext: Buffer.from(bytes).toString('base64') } : { documentStatus: 'absent' as const }) });
    }
    return out;
  },

  async id_rewrapDocuments(p, { raw }) {
    const signer = await authorize(ctx, 'id_rewrapDocuments', raw, p.auth);
    await requireManager(ctx, p.identity, signer);
    const keys = await currentKeyDids(ctx, p.identity);
    const checked: (CheckedEnvelope & { cid: string; topic: number })[] = [];
    for (const [i, e] of p.envelopes.entries()) {
      const field = `envelopes.${i}.envelope`;
      let stated;
      try {
        stated = envelopeContext(decodeEnvelope(e.envelope));
      } catch (err) {
        throw invalidParams(field, (err as Error).message);
      }
      if (!keys.has(stated.recipient)) throw invalidParams(`${field}.context.recipient`, 'not a current encryption key (purpose 4) of the identity');
      // Bound to a document of a claim the identity holds on that topic now, and stored here.
      const claim = (await claimsOfTopic(ctx.clients.publicClient, p.identity, e.topic)).find((c) => cidOfUri(c.uri) === String(stated.cid));
      if (!claim || !(await ctx.repos.documents.document(String(stated.cid)))) throw invalidParams(`${field}.context.cid`, 'no claim of this identity on this topic holds this stored document');
      const doc = { cid: String(stated.cid), digest: claim.documentHash, size: 0 };
      const [c] = checkEnvelopes(ctx, [{ recipient: stated.recipient, envelope: e.envelope }], { identity: p.identity, topic: e.topic, doc }, `envelopes.${i}`);
      checked.push({ ...c!, cid: doc.cid, topic: e.topic });
    }
    await putEnvelopeBlocks(ctx, checked.map((e) => e.canonical));
    await ctx.repos.transaction(async (tx) => {
      for (const e of checked) await tx.documents.putEnvelope({ ref: e.ref, cid: e.cid, recipient: e.recipient, envelope: e.canonical });
    });
    return { stored: checked.map((e) => ({ topic: e.topic, recipient: e.recipient, ref: e.ref })) };
  },
});
