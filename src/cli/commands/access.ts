// Sharing a claim's document with a verifier: grant (on-chain grant + re-wrapped key), delegate (UCAN), fetch (the
// verifier's side), revoke-access.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Address } from 'viem';
import { delegateRead, fromBase64, openSealed, readRequest, rewrapFor, toBase64, type UcanToken } from '../../sdk/index.js';
import type { Command } from '../command.js';

export const grant: Command = {
  name: 'grant',
  usage: 'grant --as <key> --application <id> --verifier A --verifier-key did:key [--expires unix]',
  options: { application: { type: 'string' }, verifier: { type: 'string' }, 'verifier-key': { type: 'string' }, expires: { type: 'string' } },
  async run(ctx) {
    const k = await ctx.unlock();
    const app = await ctx.client.write('id_getKycApplication', { applicationId: ctx.need('application'), includeDocument: true }, k.account);
    const mine = app.envelopes.find((e) => e.recipient === k.encryption.did);
    if (!mine?.envelope) throw new Error('the application holds no envelope for this key');
    const verifierKey = ctx.need('verifier-key');
    const envelope = await rewrapFor(mine.envelope, k.encryption, verifierKey);
    const expires = ctx.opt('expires');
    return ctx.client.write('id_grantClaimAccess', {
      identity: app.identity as Address, topic: app.topic, verifier: ctx.need('verifier') as Address, verifierKey, envelope,
      ...(expires ? { expiresAt: Number(expires) } : {}),
    }, k.account);
  },
};

export const delegate: Command = {
  name: 'delegate',
  usage: 'delegate --as <key> --verifier A --topic T [--days 7]    prints a UCAN delegation (base64) for the verifier',
  options: { verifier: { type: 'string' }, topic: { type: 'string' }, days: { type: 'string' } },
  async run(ctx) {
    const k = await ctx.unlock();
    const chainId = await ctx.client.chainId();
    const identity = await ctx.identityOf(k.account.address);
    const d = await delegateRead(k.account, { chainId, verifier: ctx.need('verifier') as Address, identity, topic: Number(ctx.need('topic')), seconds: Number(ctx.opt('days') ?? 7) * 86400 });
    return { delegation: toBase64(d.bytes), cid: d.cid, identity, holder: k.account.address };
  },
};

/** `--delegation`: base64 UCAN delegations, root first, separated by commas or new lines; `@file` reads them from a file. */
export async function readDelegations(raw: string): Promise<UcanToken[]> {
  const text = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8') : raw;
  const { tokenCid } = await import('../../ucan/index.js');
  const parts = text.split(/[\s,]+/).filter(Boolean);
  if (!parts.length) throw new Error('--delegation: no delegation given');
  return Promise.all(parts.map(async (b64) => {
    const bytes = fromBase64(b64);
    return { cid: (await tokenCid(bytes)).toString(), bytes };
  }));
}

/** The root delegation of a chain: its issuer, the subject (holder) every delegation of it is about, and its expiry. */
export async function rootOf(proofs: UcanToken[]): Promise<{ holder: Address; exp: number | null }> {
  const { decodeToken } = await import('../../ucan/index.js');
  const { parsePkh } = await import('../../did/index.js');
  const { payload } = await decodeToken(proofs[0]!.bytes, 'dlg');
  return { holder: parsePkh(payload.iss).address as Address, exp: payload.exp ?? null };
}

export const fetch: Command = {
  name: 'fetch',
  usage: `fetch --as <key> --identity A --topic T --delegation B64[,B64]|@file --out F [--holder A] [--delegate-identity A]
                                          read a granted document and decrypt it here: a verifier with the holder's
                                          delegation, or a regulator with the chain holder -> administrator -> it`,
  options: {
    holder: { type: 'string' }, identity: { type: 'string' }, topic: { type: 'string' }, delegation: { type: 'string' }, out: { type: 'string' },
    'delegate-identity': { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const k = await ctx.unlock();
    const chainId = await client.chainId();
    const proofs = await readDelegations(ctx.need('delegation'));
    const identity = ctx.need('identity') as Address;
    const topic = Number(ctx.need('topic'));
    const out = ctx.need('out');
    const holder = (ctx.opt('holder') ?? (await rootOf(proofs)).holder) as Address;
    const delegateIdentity = ctx.opt('delegate-identity') as Address | undefined;
    const request = await readRequest(k.account, { chainId, holder, identity, topic, proofs, audience: (await client.rpc.node_info({})).did });
    const doc = await client.rpc.id_getClaimDocument({ ...request, ...(delegateIdentity ? { delegateIdentity } : {}) });
    const plain = await openSealed(fromBase64(doc.ciphertext), doc.envelope, k.encryption, { chainId, identity, topic });
    writeFileSync(out, plain, { mode: 0o600 });
    return { cid: doc.cid, documentHash: doc.documentHash, bytes: plain.length, out };
  },
};

export const revokeAccess: Command = {
  name: 'revoke-access',
  usage: 'revoke-access --as <key> --topic T --verifier A',
  options: { topic: { type: 'string' }, verifier: { type: 'string' } },
  async run(ctx) {
    const k = await ctx.unlock();
    const identity = await ctx.identityOf(k.account.address);
    return ctx.client.write('id_revokeClaimAccess', { identity, topic: Number(ctx.need('topic')), verifier: ctx.need('verifier') as Address }, k.account);
  },
};
