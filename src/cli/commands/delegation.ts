// Regulators reached through a fund administrator: the investor delegates topics to its administrator (the key
// re-wrapped here for the administrator, the grant on chain, a UCAN delegation to hand over), the administrator grants
// and revokes regulators while the investor is offline (re-wrapping here the key it was delegated), and anyone lists
// who holds what. The regulator reads with `masque fetch` and the chain the administrator gave it.
import { writeFileSync } from 'node:fs';
import type { Address } from 'viem';
import { delegateOnward, delegateToAdministrator, rewrapFor, toBase64, type EncryptionKey } from '../../sdk/index.js';
import { mlKemPublicKeyFromDid } from '../../did/index.js';
import { unknownSubcommand, type Command } from '../command.js';
import type { CliContext } from '../context.js';
import { readDelegations, rootOf } from './access.js';

/** `rewrapFor` for a did:key given on the command line: a key that is no ML-KEM-768 did:key is refused naming the flag. */
async function rewrapForFlag(envelope: string, key: EncryptionKey, did: string, flag: string): Promise<string> {
  try {
    mlKemPublicKeyFromDid(did);
  } catch (e) {
    throw new Error(`--${flag}: ${(e as Error).message}`);
  }
  return rewrapFor(envelope, key, did);
}

/** `--days` (default `fallback`) as seconds, refused naming the flag unless a positive number. */
function seconds(ctx: CliContext, fallback: number): number {
  const days = Number(ctx.opt('days') ?? fallback);
  if (!Number.isFinite(days) || days <= 0) throw new Error(`--days: "${ctx.opt('days')}" is not a positive number of days`);
  return Math.round(days * 86400);
}

/** The administrator's identity: `--delegate-identity`, else the one the node finds for its wallet. */
async function administratorIdentity(ctx: CliContext, wallet: Address): Promise<Address> {
  return (ctx.opt('delegate-identity') as Address | undefined) ?? ctx.identityOf(wallet);
}

/** Prints the delegation chain (base64, root first, comma-separated), or writes it to `--out` (mode 0600). */
function handOver(ctx: CliContext, tokens: { bytes: Uint8Array }[]): { delegation?: string; out?: string } {
  const chain = tokens.map((t) => toBase64(t.bytes)).join(',');
  const out = ctx.opt('out');
  if (!out) return { delegation: chain };
  writeFileSync(out, `${chain}\n`, { mode: 0o600 });
  return { out };
}

export const delegation: Command = {
  name: 'delegation',
  usage: `delegation create --as <investor> --administrator A --administrator-key did:key --topics 1,2 [--days 30] [--out F]
                                          let a fund administrator grant these topics to regulators: each document's
                                          key re-wrapped here for it, recorded on chain; prints (or writes to F) the
                                          UCAN delegation to hand to the administrator
delegation revoke --as <investor> --administrator A --topic T   withdraw it: every regulator it granted loses access
delegation show --as <administrator> --identity A --topic T     what the investor delegated to <administrator>
delegation grant --as <administrator> --identity A --topic T --regulator A --regulator-key did:key
                 --delegation B64|@file [--days 30] [--delegate-identity A] [--out F]
                                          grant a regulator (the investor may be offline): the key re-wrapped here, the
                                          grant on <administrator>'s identity; prints the chain the regulator fetches with
delegation revoke-grant --as <administrator> --identity A --topic T --regulator A [--delegate-identity A]
delegation list [--identity A] [--verifier A] [--delegate A] [--topic T]   grants, delegations and delegated grants`,
  options: {
    administrator: { type: 'string' }, 'administrator-key': { type: 'string' }, topics: { type: 'string' }, topic: { type: 'string' }, days: { type: 'string' },
    out: { type: 'string' }, identity: { type: 'string' }, regulator: { type: 'string' }, 'regulator-key': { type: 'string' }, delegation: { type: 'string' },
    'delegate-identity': { type: 'string' }, verifier: { type: 'string' }, delegate: { type: 'string' },
  },
  async run(ctx) {
    const { client } = ctx;
    const [sub] = ctx.args;
    if (sub === 'list') {
      const topic = ctx.opt('topic');
      const f = { identity: ctx.opt('identity'), verifier: ctx.opt('verifier'), delegate: ctx.opt('delegate') };
      return client.rpc.id_listAccessGrants({
        ...Object.fromEntries(Object.entries(f).filter(([, v]) => v)) as { identity?: Address; verifier?: Address; delegate?: Address },
        ...(topic ? { topic: Number(topic) } : {}),
      });
    }
    if (sub === 'create') {
      const k = await ctx.unlock();
      const chainId = await client.chainId();
      const identity = await ctx.identityOf(k.account.address);
      const topics = ctx.topics();
      const administrator = ctx.need('administrator') as Address;
      const delegateKey = ctx.need('administrator-key');
      const secs = seconds(ctx, 30);
      const expiresAt = ctx.now() + secs;
      const granted = [];
      for (const topic of topics) {
        const [doc] = await client.write('id_listClaimDocuments', { identity, topic }, k.account);
        const keys = [k.encryption, ...k.previousEncryption];
        const own = doc && keys.map((key) => ({ key, e: doc.envelopes.find((x) => x.recipient === key.did) })).find((x) => x.e);
        if (!own?.e) throw new Error(`--topics: no document of topic ${topic} is wrapped for ${k.name}'s encryption keys`);
        const envelope = await rewrapForFlag(own.e.envelope, own.key, delegateKey, 'administrator-key');
        granted.push({ topic, ...(await client.write('id_delegateClaimAccess', { identity, topic, delegate: administrator, delegateKey, envelope, expiresAt }, k.account)) });
      }
      const root = await delegateToAdministrator(k.account, { chainId, administrator, identity, topics, seconds: secs });
      return { identity, administrator, expiresAt, granted, ...handOver(ctx, [root]) };
    }
    if (sub === 'revoke') {
      const k = await ctx.unlock();
      const identity = await ctx.identityOf(k.account.address);
      return client.write('id_revokeClaimDelegation', { identity, topic: Number(ctx.need('topic')), delegate: ctx.need('administrator') as Address }, k.account);
    }
    if (sub === 'show') {
      const k = await ctx.unlock();
      const d = await client.write('id_getClaimDelegation', { identity: ctx.need('identity') as Address, topic: Number(ctx.need('topic')) }, k.account);
      return { cid: d.cid, documentHash: d.documentHash, delegateKey: d.delegateKey, mine: d.delegateKey === k.encryption.did, envelopeRef: d.envelopeRef, expiresAt: d.expiresAt, onChain: d.onChain };
    }
    if (sub === 'grant') {
      const k = await ctx.unlock();
      const chainId = await client.chainId();
      const identity = ctx.need('identity') as Address;
      const topic = Number(ctx.need('topic'));
      const regulator = ctx.need('regulator') as Address;
      const regulatorKey = ctx.need('regulator-key');
      const proofs = await readDelegations(ctx.need('delegation'));
      const secs = seconds(ctx, 30);
      const d = await client.write('id_getClaimDelegation', { identity, topic }, k.account);
      const key = [k.encryption, ...k.previousEncryption].find((x) => x.did === d.delegateKey);
      if (!key) throw new Error(`the delegation is wrapped for ${d.delegateKey}, not for an encryption key of ${k.name}`);
      const envelope = await rewrapForFlag(d.envelope, key, regulatorKey, 'regulator-key');
      const delegateIdentity = await administratorIdentity(ctx, k.account.address);
      const r = await client.write('id_grantDelegatedAccess', { identity, topic, delegateIdentity, regulator, regulatorKey, envelope, expiresAt: ctx.now() + secs }, k.account);
      // Never outliving the investor's delegation it derives from.
      const root = await rootOf(proofs);
      const onward = await delegateOnward(k.account, { chainId, holder: root.holder, regulator, identity, topic, seconds: root.exp ? Math.min(secs, root.exp - ctx.now()) : secs });
      return { ...r, delegateIdentity, ...handOver(ctx, [...proofs, onward]) };
    }
    if (sub === 'revoke-grant') {
      const k = await ctx.unlock();
      return client.write('id_revokeDelegatedAccess', {
        identity: ctx.need('identity') as Address, topic: Number(ctx.need('topic')), delegateIdentity: await administratorIdentity(ctx, k.account.address),
        regulator: ctx.need('regulator') as Address,
      }, k.account);
    }
    throw unknownSubcommand(this, ctx);
  },
};
