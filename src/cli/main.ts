// `masque`: the onboarding story from a terminal, over the typed SDK. Keys live in an encrypted keystore; the
// node never sees them. Every command prints one JSON document.
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import type { Address, Hex } from 'viem';
import { MasqueClient, delegateRead, fromBase64, openSealed, readRequest, rewrapFor, sealForClaim, signClaim, toBase64, type UcanToken } from '../sdk/index.js';
import { Keystore, type UnlockedKey } from './keystore.js';

const USAGE = `masque <command> [options]   (node: --node URL | $MASQUE_NODE_URL, default http://127.0.0.1:8546)

keys new <name> [--private-key 0x..]      create a wallet + ML-KEM-768 key in the encrypted keystore
keys list                                 names, addresses and did:keys (no passphrase needed)
info                                      the node's chain, relayer, contracts and issuers
identity create --as <key> [--country N]  deploy the identity of <key>'s wallet (node relays, <key> signs)
identity show (--wallet A | --identity A)
kyc submit --as <key> --file F --issuer A|name --issuer-key did:key [--topic 1]
kyc show <applicationId>
kyc review <applicationId> --as <key> (--approve [--days 365] | --reject --reason R) [--out F]
claim show --identity A --topic T [--issuer A]
claim verify --identity A --topic T [--issuer A]
claim revoke --as <key> --identity A --claim-id 0x..
grant --as <key> --application <id> --verifier A --verifier-key did:key [--expires unix]
delegate --as <key> --verifier A --topic T [--days 7]    prints a UCAN delegation (base64) for the verifier
fetch --as <key> --holder A --identity A --topic T --delegation B64|@file --out F
revoke-access --as <key> --topic T --verifier A
zk state <id>                             a ZK identity's published states (ID, did:masque or decimal)
zk valid <id> <state> [--max-state-age S] the chain's verdict on a state of that ID (a replaced one counts for S s, default 3600)
zk publish <proof.json>                   relay a state-transition proof ({ proof, publicSignals }; the node pays gas)
zk request <requestId>                    an on-chain credential-query request (ZkQueryVerifier)
zk check <requestId> <response.json> --sender A   the contract's verdict if A submitted the response now
zk verify <request.json> <response.json> [--max-state-age S]   off-chain verification by the node (records the nullifier)
                                          (zk valid / check / verify exit with status 2 when the answer is no)
did <did>                                 resolve a did:pkh or did:key
rpc <method> [json-params]                any method, raw
Passphrase: $MASQUE_PASSPHRASE, else asked on the terminal. Keystore: $MASQUE_KEYSTORE or ~/.masque/keys.`;

const OPTIONS = {
    node: { type: 'string' }, as: { type: 'string' }, country: { type: 'string' }, wallet: { type: 'string' }, identity: { type: 'string' },
    file: { type: 'string' }, issuer: { type: 'string' }, 'issuer-key': { type: 'string' }, topic: { type: 'string' },
    approve: { type: 'boolean' }, reject: { type: 'boolean' }, reason: { type: 'string' }, days: { type: 'string' }, out: { type: 'string' },
    'claim-id': { type: 'string' }, application: { type: 'string' }, verifier: { type: 'string' }, 'verifier-key': { type: 'string' },
    expires: { type: 'string' }, holder: { type: 'string' }, delegation: { type: 'string' }, 'private-key': { type: 'string' }, sender: { type: 'string' }, 'max-state-age': { type: 'string' }, help: { type: 'boolean', short: 'h' },
} as const;

/** Runs one command and returns what it prints (a JSON-able value); throws on failure. */
export async function cli(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<unknown> {
const { values: o, positionals } = parseArgs({ args: argv, allowPositionals: true, options: OPTIONS });
const client = new MasqueClient(o.node ?? env.MASQUE_NODE_URL ?? 'http://127.0.0.1:8546');
const keystore = new Keystore(env.MASQUE_KEYSTORE ?? undefined, undefined, env);
const print = (v: unknown) => v;
const need = (v: string | undefined, name: string): string => {
  if (!v) throw new Error(`--${name} is required`);
  return v;
};
const now = () => Math.floor(Date.now() / 1000);

async function passphrase(): Promise<string> {
  if (env.MASQUE_PASSPHRASE) return env.MASQUE_PASSPHRASE;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try { return await rl.question('passphrase: '); } finally { rl.close(); }
}
async function unlock(): Promise<UnlockedKey> {
  return keystore.unlock(need(o.as, 'as'), await passphrase());
}
async function issuerAddress(v: string): Promise<Address> {
  if (v.startsWith('0x')) return v as Address;
  const info = await client.rpc.node_info({});
  const a = info.issuers[v];
  if (!a) throw new Error(`unknown issuer "${v}"; known: ${Object.keys(info.issuers).join(', ')}`);
  return a as Address;
}
async function identityOf(wallet: Address): Promise<Address> {
  return (await client.rpc.id_getIdentity({ wallet })).identity as Address;
}

  const [cmd, sub, arg, arg2] = positionals;
  const json = (path: string | undefined, name: string) => {
    if (!path) throw new Error(`<${name}> is required`);
    return JSON.parse(readFileSync(path, 'utf8'));
  };
  if (!cmd || o.help) return USAGE;
  switch (cmd) {
    case 'keys':
      if (sub === 'new') {
        const f = await keystore.create(need(arg, 'name'), await passphrase(), { privateKey: o['private-key'] as Hex | undefined });
        return print({ name: f.name, address: f.address, encryptionDid: f.encryptionDid });
      }
      if (sub === 'list') return print(keystore.list().map((f) => ({ name: f.name, address: f.address, encryptionDid: f.encryptionDid })));
      break;
    case 'info':
      return print(await client.rpc.node_info({}));
    case 'identity':
      if (sub === 'create') {
        const k = await unlock();
        return print(await client.write('id_createIdentity', { wallet: k.account.address, ...(o.country ? { country: Number(o.country) } : {}) }, k.account));
      }
      if (sub === 'show') return print(await client.rpc.id_getIdentity(o.identity ? { identity: o.identity as Address } : { wallet: need(o.wallet, 'wallet') as Address }));
      break;
    case 'kyc':
      if (sub === 'submit') {
        const k = await unlock();
        const chainId = await client.chainId();
        const identity = await identityOf(k.account.address);
        const topic = Number(o.topic ?? 1);
        const issuer = await issuerAddress(need(o.issuer, 'issuer'));
        // Sealed for the reviewing issuer and for the holder itself (so it can grant verifiers later).
        const sealed = await sealForClaim(readFileSync(need(o.file, 'file')), { chainId, identity, topic }, [need(o['issuer-key'], 'issuer-key'), k.encryption.did]);
        return print(await client.write('id_submitKycApplication', {
          identity, topic, issuer, document: { ciphertext: toBase64(sealed.bytes) }, envelopes: sealed.envelopes,
        }, k.account));
      }
      if (sub === 'show') {
        const k = await unlock();
        const app = await client.write('id_getKycApplication', { applicationId: need(arg, 'applicationId') }, k.account);
        return print(app);
      }
      if (sub === 'review') {
        const k = await unlock();
        const applicationId = need(arg, 'applicationId');
        const app = await client.write('id_getKycApplication', { applicationId, includeDocument: true }, k.account);
        const chainId = await client.chainId();
        if (o.out) {
          const env = app.envelopes.find((e) => e.recipient === k.encryption.did);
          if (!env?.envelope || !app.ciphertext) throw new Error('no envelope for this key in the application');
          writeFileSync(o.out, await openSealed(fromBase64(app.ciphertext), env.envelope, k.encryption, { chainId, identity: app.identity as Address, topic: app.topic }), { mode: 0o600 });
        }
        if (o.reject) return print(await client.write('id_reviewKycApplication', { applicationId, decision: 'reject', reason: need(o.reason, 'reason') }, k.account));
        if (!o.approve) throw new Error('--approve or --reject');
        const issuedAt = now() - 60;
        const expiresAt = now() + Number(o.days ?? 365) * 86400;
        const { signature } = await signClaim(k.account, { chainId, issuer: app.issuer as Address, identity: app.identity as Address, topic: BigInt(app.topic), documentHash: app.documentHash as Hex, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) });
        return print(await client.write('id_reviewKycApplication', { applicationId, decision: 'approve', claim: { issuedAt, expiresAt, signature } }, k.account));
      }
      break;
    case 'claim': {
      if (sub === 'show') return print(await client.rpc.id_getClaim({ identity: need(o.identity, 'identity') as Address, topic: Number(need(o.topic, 'topic')), issuer: (o.issuer ? await issuerAddress(o.issuer) : undefined) as Address, ...(o['claim-id'] ? { claimId: o['claim-id'] as Hex } : {}) }));
      if (sub === 'verify') return print(await client.rpc.id_verifyClaim({ identity: need(o.identity, 'identity') as Address, topic: Number(need(o.topic, 'topic')), ...(o.issuer ? { issuer: await issuerAddress(o.issuer) } : {}) }));
      if (sub === 'revoke') {
        const k = await unlock();
        return print(await client.write('id_revokeClaim', { identity: need(o.identity, 'identity') as Address, claimId: need(o['claim-id'], 'claim-id') as Hex }, k.account));
      }
      break;
    }
    case 'grant': {
      const k = await unlock();
      const app = await client.write('id_getKycApplication', { applicationId: need(o.application, 'application'), includeDocument: true }, k.account);
      const mine = app.envelopes.find((e) => e.recipient === k.encryption.did);
      if (!mine?.envelope) throw new Error('the application holds no envelope for this key');
      const envelope = await rewrapFor(mine.envelope, k.encryption, need(o['verifier-key'], 'verifier-key'));
      return print(await client.write('id_grantClaimAccess', {
        identity: app.identity as Address, topic: app.topic, verifier: need(o.verifier, 'verifier') as Address, verifierKey: o['verifier-key']!, envelope,
        ...(o.expires ? { expiresAt: Number(o.expires) } : {}),
      }, k.account));
    }
    case 'delegate': {
      const k = await unlock();
      const chainId = await client.chainId();
      const identity = await identityOf(k.account.address);
      const d = await delegateRead(k.account, { chainId, verifier: need(o.verifier, 'verifier') as Address, identity, topic: Number(need(o.topic, 'topic')), seconds: Number(o.days ?? 7) * 86400 });
      return print({ delegation: toBase64(d.bytes), cid: d.cid, identity, holder: k.account.address });
    }
    case 'fetch': {
      const k = await unlock();
      const chainId = await client.chainId();
      const raw = need(o.delegation, 'delegation');
      const b64 = raw.startsWith('@') ? readFileSync(raw.slice(1), 'utf8').trim() : raw;
      const bytes = fromBase64(b64);
      const { tokenCid } = await import('../ucan/index.js');
      const proof: UcanToken = { cid: (await tokenCid(bytes)).toString(), bytes };
      const identity = need(o.identity, 'identity') as Address;
      const topic = Number(need(o.topic, 'topic'));
      const doc = await client.rpc.id_getClaimDocument(await readRequest(k.account, { chainId, holder: need(o.holder, 'holder') as Address, identity, topic, proofs: [proof], audience: (await client.rpc.node_info({})).did }));
      const plain = await openSealed(fromBase64(doc.ciphertext), doc.envelope, k.encryption, { chainId, identity, topic });
      writeFileSync(need(o.out, 'out'), plain, { mode: 0o600 });
      return print({ cid: doc.cid, documentHash: doc.documentHash, bytes: plain.length, out: o.out });
    }
    case 'revoke-access': {
      const k = await unlock();
      const identity = await identityOf(k.account.address);
      return print(await client.write('id_revokeClaimAccess', { identity, topic: Number(need(o.topic, 'topic')), verifier: need(o.verifier, 'verifier') as Address }, k.account));
    }
    case 'zk':
      if (sub === 'state') return print(await client.zk.identityState(need(arg, 'id')));
      if (sub === 'valid') {
        const state = need(arg2, 'state');
        if (!/^\d{1,78}$/.test(state)) throw new Error('state: a decimal field element');
        return print(await client.zk.isStateValid(need(arg, 'id'), BigInt(state), Number(o['max-state-age'] ?? 3600)));
      }
      if (sub === 'publish') return print(await client.zk.publishState(json(arg, 'proof.json')));
      if (sub === 'request') return print(await client.zk.request(need(arg, 'requestId')));
      if (sub === 'check') return print(await client.zk.checkResponse(need(arg, 'requestId'), need(o.sender, 'sender') as Address, json(arg2, 'response.json')));
      if (sub === 'verify') {
        const maxStateAge = o['max-state-age'] === undefined ? {} : { maxStateAge: Number(o['max-state-age']) };
        return print(await client.zk.verifyResponse(json(arg, 'request.json'), json(arg2, 'response.json'), maxStateAge));
      }
      break;
    case 'did':
      return print(await client.rpc.id_resolveDid({ did: need(sub, 'did') }));
    case 'rpc':
      return print(await client.call(need(sub, 'method') as never, (arg ? JSON.parse(arg) : {}) as never));
  }
  throw new Error(`unknown command: ${positionals.join(' ')}\n\n${USAGE}`);
}

export async function main(argv: string[]): Promise<void> {
  try {
    const out = await cli(argv);
    // A refused proof is an answer, not a failure of the command: printed, with its own exit status for scripts.
    const answer = out as { ok?: unknown; valid?: unknown } | undefined;
    if (argv[0] === 'zk' && (answer?.ok === false || answer?.valid === false)) process.exitCode = 2;
    console.log(typeof out === 'string' ? out : JSON.stringify(out, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2));
  } catch (e) {
    const err = e as Error & { code?: number; data?: unknown };
    console.error(JSON.stringify({ error: err.message, ...(err.code !== undefined ? { code: err.code, data: err.data } : {}) }));
    process.exitCode = 1;
  }
}
