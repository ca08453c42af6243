// The subject's claim documents: list and open them (the issuer's report or its own upload), and rotate the ML-KEM-768
// key they are wrapped for: a new key on the identity (purpose 4), every document re-wrapped here, the old key removed.
// Also the issuer's side: a report sealed here for the subject's current keys (`claim issue`, `kyc review`).
import { readFileSync, writeFileSync } from 'node:fs';
import type { Address } from 'viem';
import { fromBase64, mlKemKeyId, openSealed, rewrapFor, sealForClaim, toBase64, type EncryptionKey } from '../../sdk/index.js';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';

/**
 * `--report F` sealed for the subject's current encryption keys (purpose 4 on its identity: what its did:pkh document
 * lists as keyAgreement), or undefined without `--report`. What `id_issueClaim` and the KYC approval take.
 */
export async function sealReport(ctx: CliContext, c: { identity: Address; topic: number }) {
  const file = ctx.opt('report');
  if (!file) return undefined;
  const recipients = (await ctx.client.rpc.id_getIdentity({ identity: c.identity })).encryptionKeys.flatMap((k) => (k.did ? [k.did] : []));
  if (!recipients.length) throw new Error('--report: the subject has no encryption key on its identity to seal it for (the subject runs `masque documents add-encryption-key`)');
  const sealed = await sealForClaim(readFileSync(file), { chainId: await ctx.client.chainId(), ...c }, recipients);
  return {
    documentHash: sealed.documentHash,
    report: { document: { ciphertext: toBase64(sealed.bytes), mediaType: ctx.opt('media-type') ?? 'application/octet-stream' }, envelopes: sealed.envelopes },
  };
}

/** The envelope of `doc` one of the keystore key's encryption keys (current first, then the ones it replaced) opens. */
function ownEnvelope(doc: { envelopes: { recipient: string; envelope: string }[] }, keys: EncryptionKey[]): { key: EncryptionKey; envelope: string } | undefined {
  for (const key of keys) {
    const e = doc.envelopes.find((x) => x.recipient === key.did);
    if (e) return { key, envelope: e.envelope };
  }
  return undefined;
}

export const documents: Command = {
  name: 'documents',
  usage: `documents list --as <key> [--topic T]    the documents of <key>'s identity's claims (issuer reports, uploads) and
                                          who each is wrapped for
documents open --as <key> --topic T --out F   decrypt one here (with <key>'s encryption key, or one it replaced)
documents add-encryption-key --as <key> [--rotate]   put <key>'s ML-KEM-768 did:key on its identity (purpose 4);
                                          --rotate first replaces it in the keystore (the old one kept for rewrap)
documents rewrap --as <key>               re-wrap every document for <key>'s current did:key, here, from an envelope
                                          a key it replaced opens; the node checks each against its claim
documents remove-encryption-key --as <key> [--key did:key|0xkeyId]   default: every encryption key of the identity
                                          but <key>'s current one (after rewrap; grants made under them stay valid)`,
  options: { topic: { type: 'string' }, out: { type: 'string' }, rotate: { type: 'boolean' }, key: { type: 'string' } },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (!['list', 'open', 'add-encryption-key', 'rewrap', 'remove-encryption-key'].includes(sub ?? '')) throw unknownSubcommand(this, ctx);
    const k = await ctx.unlock();
    const identity = await ctx.identityOf(k.account.address);
    const topic = ctx.opt('topic');
    const list = (includeCiphertext = false) => client.write('id_listClaimDocuments', { identity, ...(topic ? { topic: Number(topic) } : {}), includeCiphertext }, k.account);
    if (sub === 'list') {
      return (await list()).map((d) => ({
        topic: d.topic, issuer: d.issuer, cid: d.cid, documentHash: d.documentHash, mediaType: d.mediaType,
        recipients: d.envelopes.map((e) => e.recipient), mine: !!ownEnvelope(d, [k.encryption, ...k.previousEncryption]),
      }));
    }
    if (sub === 'open') {
      const t = Number(ctx.need('topic'));
      const out = ctx.need('out');
      const [doc] = await list(true);
      if (!doc) throw new Error(`--topic: no document of a current claim on topic ${t}`);
      if (!doc.ciphertext) throw new Error('the node does not hold this document\'s bytes');
      const own = ownEnvelope(doc, [k.encryption, ...k.previousEncryption]);
      if (!own) throw new Error(`no envelope of this document is for ${k.name}'s encryption keys`);
      const plain = await openSealed(fromBase64(doc.ciphertext), own.envelope, own.key, { chainId: await client.chainId(), identity, topic: t });
      writeFileSync(out, plain, { mode: 0o600 });
      return { topic: t, cid: doc.cid, mediaType: doc.mediaType, bytes: plain.length, out };
    }
    if (sub === 'add-encryption-key') {
      let key = k.encryption.did;
      if (ctx.flag('rotate')) key = (await ctx.keystore.rotateEncryption(k.name, await ctx.passphrase())).encryptionDid;
      const r = await client.write('id_addEncryptionKey', { identity, key }, k.account);
      return { ...r, key, rotated: ctx.flag('rotate') };
    }
    if (sub === 'rewrap') {
      const docs = await list();
      const envelopes: { topic: number; envelope: string }[] = [];
      for (const d of docs) {
        if (d.envelopes.some((e) => e.recipient === k.encryption.did)) continue;
        const own = ownEnvelope(d, k.previousEncryption);
        if (!own) throw new Error(`topic ${d.topic}: no envelope for a key this keystore holds: it cannot be re-wrapped here`);
        envelopes.push({ topic: d.topic, envelope: await rewrapFor(own.envelope, own.key, k.encryption.did) });
      }
      if (!envelopes.length) return { stored: [], recipient: k.encryption.did };
      return { ...(await client.write('id_rewrapDocuments', { identity, envelopes }, k.account)), recipient: k.encryption.did };
    }
    if (sub === 'remove-encryption-key') {
      const named = ctx.opt('key');
      const current = mlKemKeyId(k.encryption.did).toLowerCase();
      const onChain = (await client.rpc.id_getIdentity({ identity })).encryptionKeys.map((x) => x.keyId);
      const remove = named ? [named.startsWith('did:key:') ? mlKemKeyId(named) : named] : onChain.filter((id) => id.toLowerCase() !== current);
      const removed = [];
      for (const key of remove) removed.push({ key, ...(await client.write('id_removeKey', { identity, key: key as `0x${string}`, purpose: 4 }, k.account)) });
      return { removed, kept: onChain.filter((id) => !remove.some((r) => r.toLowerCase() === id.toLowerCase())) };
    }
    throw unknownSubcommand(this, ctx);
  },
};
