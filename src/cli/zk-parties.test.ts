// Issue 17's "done when": issuer, holder and verifier as separate processes sharing nothing but the chain and the
// node's JSON-RPC. The node runs as its own process; every party step is a `masque` process with that party's own
// keystore and ZK directory (the issuer's Baby Jubjub key and tree mirror, the holder's sealed wallet); the
// verifier registers its on-chain requests with its own wallet. KYC approval -> ZK claim delivered -> the holder
// proves "resides in the EU" and "born before 2008" -> the verifier accepts (off-chain and on-chain) -> the holder
// rotates its key (new key in, genesis key out, the transition proven by the holder and published through the node)
// -> the holder proves with the new key -> the verifier accepts (off-chain and on-chain) -> a copy of the wallet taken
// before the rotation (genesis key only) cannot prove at the latest GIST root, and its proof at the root before the
// rotation is refused by a verifier whose window is shorter than the time since (accepted within the default hour)
// -> the issuer revokes -> the holder's next proof is refused.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPublicClient, createWalletClient, defineChain, http, type Address, type PublicClient } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { spawnNode } from '../node/test-helpers.js';
import { createRequest, isNullifierUsed } from '../chain/zk.js';
import type { Wallet as ChainWallet } from '../chain/identity.js';
import { KYC_SCHEMA } from '../claims/index.js';

const exec = promisify(execFile);
const bin = join(import.meta.dirname, 'masque.mjs');
const home = mkdtempSync(join(tmpdir(), 'masque-zk-parties-'));
const issuerKey = generatePrivateKey();
// anvil's funded development accounts (the embedded chain has two): the verifier dapp, and the holder's wallet (it
// pays for its own on-chain answer).
const VERIFIER_KEY = '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80';
const HOLDER_KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d';
const children: ChildProcess[] = [];
let url: string;

before(async () => {
  const issuers = [{ name: 'kyc', signer: privateKeyToAccount(issuerKey).address, topics: [1] }];
  ({ url } = await spawnNode(join(home, 'node'), { MASQUE_ISSUERS: JSON.stringify(issuers) }, children));
});
after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())))));
  rmSync(home, { recursive: true, force: true });
});

/** One party: its own keystore, ZK directory and working files (`passphraseOf`: a copy of another party's). */
function party(name: string, passphraseOf = name) {
  const dir = join(home, name);
  const env = { ...process.env, MASQUE_NODE_URL: url, MASQUE_KEYSTORE: join(dir, 'keys'), MASQUE_ZK_DIR: join(dir, 'zk'), MASQUE_PASSPHRASE: `${passphraseOf} passphrase`, MASQUE_SCRYPT_LOG_N: '12' };
  return {
    file: (f: string) => join(dir, f),
    /** Runs `masque ...` as a process of this party; resolves with its JSON output, or rejects with its error text. */
    async masque(...args: string[]): Promise<any> {
      const { stdout } = await exec(process.execPath, [bin, ...args], { env, maxBuffer: 16 << 20 }).catch((e: { stderr?: string; stdout?: string; code?: number }) => {
        throw new Error(`masque ${args.join(' ')} exited ${e.code}: ${e.stderr ?? ''}${e.stdout ?? ''}`);
      });
      return JSON.parse(stdout);
    },
    /** Like `masque`, for a command whose "no" is an answer (exit status 2, e.g. a refused proof): its JSON output either way. */
    async answer(...args: string[]): Promise<any> {
      return this.masque(...args).catch((e: Error) => {
        const refused = /^masque .* exited 2: (\{.*\})\s*$/s.exec(e.message);
        if (!refused) throw e;
        return JSON.parse(refused[1]!);
      });
    },
  };
}

it('issuer node, holder CLI and verifier as separate processes: KYC -> ZK claim -> proofs accepted -> key rotation: the new key proves, a genesis-only copy is refused -> revocation refuses', { timeout: 600_000 }, async () => {
  const issuer = party('issuer');
  const holder = party('holder');
  const verifier = party('verifier');

  // Keys, each in its own keystore. The issuer publishes its ML-KEM did:key (KYC documents are sealed to it).
  const [issuerPub, holderPub] = await Promise.all([
    issuer.masque('keys', 'new', 'kyc-desk', '--private-key', issuerKey),
    holder.masque('keys', 'new', 'me', '--private-key', HOLDER_KEY),
  ]);
  const [zkIssuer, wallet] = await Promise.all([
    issuer.masque('zk', 'issuer', 'init', '--as', 'kyc-desk', '--issuer', 'kyc'),
    holder.masque('zk', 'wallet', 'init', '--as', 'me'),
  ]);
  assert.equal(zkIssuer.created, true);
  assert.equal(wallet.encryptionKey, holderPub.encryptionDid);

  // The holder applies for KYC; its document names its ZK identity and the key claims are sealed to.
  await holder.masque('identity', 'create', '--as', 'me', '--country', '276');
  const doc = holder.file('kyc.json');
  writeFileSync(doc, JSON.stringify({ name: 'Zk Testperson', birthDate: '2001-03-15', countryOfResidence: 'DE', nationality: 'FR', zk: { holder: wallet.did, encryptionKey: wallet.encryptionKey } }));
  const sub = await holder.masque('kyc', 'submit', '--as', 'me', '--file', doc, '--issuer', 'kyc', '--issuer-key', issuerPub.encryptionDid);

  // The issuer approves, issues the ZK claim from the document it decrypted, and publishes its own transition proof.
  assert.equal((await issuer.masque('kyc', 'review', sub.applicationId, '--as', 'kyc-desk', '--approve')).status, 'approved');
  const issued = await issuer.masque('zk', 'issue', sub.applicationId, '--as', 'kyc-desk');
  assert.equal(issued.published, false);
  assert.deepEqual(await holder.masque('zk', 'fetch', '--as', 'me'), { received: 0, held: 0, pending: 1 }, 'not provable before publication');
  const published = await issuer.masque('zk', 'issuer', 'publish', '--as', 'kyc-desk');
  assert.equal(published.newState, issued.state);
  assert.deepEqual(await holder.masque('zk', 'fetch', '--as', 'me'), { received: 1, held: 1, pending: 0 });

  // The verifier asks; the holder proves locally; the verifier accepts (off-chain, through the node's view of the chain).
  // (Requests for later steps too: each carries its own fresh challenge and request id.)
  const [adult, again, last, eu, euAgain, stolen, stolenBefore] = ['adult.json', 'adult-2.json', 'adult-3.json', 'eu.json', 'eu-2.json', 'stolen.json', 'stolen-before.json'].map((f) => verifier.file(f));
  const ask = (out: string, ...query: string[]) => verifier.masque('zk', 'ask', '--issuer', zkIssuer.did, ...query, '--verifier-id', '4242', '--out', out);
  const adultQuery = ['--field', 'birthDate', '--operator', 'LESS_THAN', '--values', '2008-01-01'];
  const [euRequests] = await Promise.all([
    ask(eu, '--field', 'countryOfResidence', '--operator', 'IN', '--values', 'EU'),
    ask(adult, ...adultQuery), ask(again, ...adultQuery), ask(last, ...adultQuery), ask(stolen, ...adultQuery), ask(stolenBefore, ...adultQuery),
    ask(euAgain, '--field', 'countryOfResidence', '--operator', 'IN', '--values', 'EU'),
  ]);
  assert.equal(euRequests.length, 2, '27 member states: two alternative requests of at most 16 values');
  const adultAnswer = holder.file('adult-response.json');
  const euAnswer = holder.file('eu-response.json');
  await holder.masque('zk', 'prove', adult, '--as', 'me', '--out', adultAnswer);
  await holder.masque('zk', 'prove', eu, '--as', 'me', '--out', euAnswer);
  const accepted = await verifier.masque('zk', 'verify', adult, adultAnswer);
  assert.equal(accepted.ok, true, accepted.message);
  assert.equal(accepted.issuerId, zkIssuer.id);
  assert.equal((await verifier.masque('zk', 'verify', eu, euAnswer)).ok, true);
  // The answer carries the statement, not the birth date (no public signal holds it).
  assert.ok(!readFileSync(adultAnswer, 'utf8').includes('"20010315"'));

  // On chain: the verifier registers a request with its own wallet; the holder answers from its wallet.
  const reader = createPublicClient({ transport: http(url) }) as PublicClient;
  const chain = defineChain({ id: await reader.getChainId(), name: 'masque', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const dapp = createWalletClient({ chain, transport: http(url), account: privateKeyToAccount(VERIFIER_KEY) }) as ChainWallet;
  const queryVerifier = (await verifier.masque('info')).contracts.zkQueryVerifier as Address;
  const answerOnChain = async (name: string) => {
    const onchain = await createRequest(dapp, reader, queryVerifier, { schema: KYC_SCHEMA.hash.toString(), slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: ['20080101'], issuers: [zkIssuer.id] });
    const answer = holder.file(`${name}.json`);
    await holder.masque('zk', 'prove', onchain.requestId.toString(), '--onchain', '--as', 'me', '--out', answer);
    const submitted = await holder.masque('zk', 'submit', onchain.requestId.toString(), answer, '--as', 'me');
    assert.equal(submitted.accepted, true);
    assert.equal(await isNullifierUsed(reader, queryVerifier, BigInt(submitted.nullifier)), true, 'the verifier sees the accepted answer on chain');
  };
  await answerOnChain('onchain-response');

  // The GIST root the holder proved at so far (its ID absent: it never published; the genesis key proved), and a copy
  // of the holder's keystore and wallet as they are now: its identity holds the genesis key only. (The copy also holds
  // the wallet's seed, from which every key is derived: it stands for a leaked genesis key, which a rotation answers,
  // not for a leaked seed, which no rotation within the same seed does.)
  const rootBefore = JSON.parse(readFileSync(adultAnswer, 'utf8')).auth.publicSignals[1] as string;
  cpSync(join(home, 'holder'), join(home, 'copy'), { recursive: true });
  const copy = party('copy', 'holder');

  // Key rotation in the middle: the next key in, the genesis key out, in one transition the holder signs with the
  // outgoing key and proves in its own process; the node relays it and its GIST mirror follows.
  const rotated = await holder.masque('zk', 'rotate', '--as', 'me');
  assert.equal(rotated.publication.isOldStateGenesis, true);
  assert.equal(rotated.added, 1);
  assert.equal((await verifier.masque('zk', 'state', wallet.did)).latestState, rotated.publication.newState);
  const shown = await holder.masque('zk', 'wallet', 'show', '--as', 'me');
  assert.equal(shown.keys.length, 1, 'one key left: the new one');
  assert.notEqual(shown.keys[0].slot, 0, 'the genesis key (slot 0) is removed');
  assert.deepEqual(await holder.masque('zk', 'fetch', '--as', 'me'), { received: 0, held: 1, pending: 0 }, 'the new key authenticates');

  // The holder proves with the new key (holder-auth: a key of its latest state, that state its leaf in the GIST at
  // the current root); the verifier accepts, off-chain and on-chain.
  const againAnswer = holder.file('adult-2-response.json');
  await holder.masque('zk', 'prove', again, '--as', 'me', '--out', againAnswer);
  const rootAfter = JSON.parse(readFileSync(againAnswer, 'utf8')).auth.publicSignals[1] as string;
  assert.notEqual(rootAfter, rootBefore, 'proven at the GIST root that holds the rotated state');
  assert.equal((await verifier.masque('zk', 'verify', again, againAnswer)).ok, true);
  await holder.masque('zk', 'prove', euAgain, '--as', 'me', '--out', holder.file('eu-2-response.json'));
  assert.equal((await verifier.masque('zk', 'verify', euAgain, holder.file('eu-2-response.json'))).ok, true);
  await answerOnChain('onchain-response-2');

  // The copy holding only the genesis key. At the latest GIST root the ID's leaf is the rotated state, whose
  // authentication tree holds only the new key: nothing to prove with (no witness exists, so no proof). It cannot fetch
  // claims either.
  await assert.rejects(copy.masque('zk', 'prove', stolen, '--as', 'me'), /never reached .*none of its keys is an authentication key there/);
  await assert.rejects(copy.masque('zk', 'fetch', '--as', 'me'), /never reached/);
  // At the root before the rotation its ID was absent from the GIST, so the genesis key still proves there. Whether
  // that counts is the verifier's root freshness: IdentityStateRegistry.isGistRootValid(root, maxStateAge). A verifier
  // whose window is shorter than the time since the rotation (0 s here; blocks came since) refuses it...
  const stolenAnswer = copy.file('stolen-before-response.json');
  await copy.masque('zk', 'prove', stolenBefore, '--as', 'me', '--gist-root', rootBefore, '--out', stolenAnswer);
  assert.equal(JSON.parse(readFileSync(stolenAnswer, 'utf8')).auth.publicSignals[1], rootBefore);
  const strict = await verifier.answer('zk', 'verify', stolenBefore, stolenAnswer, '--max-state-age', '0');
  assert.deepEqual([strict.ok, strict.reason], [false, 'GIST_ROOT_INVALID']);
  // ...and one with the default window (one hour, as for a revoked claim) still accepts it: the documented grace.
  assert.equal((await verifier.masque('zk', 'verify', stolenBefore, stolenAnswer)).ok, true);
  await assert.rejects(copy.masque('zk', 'prove', stolen, '--as', 'me', '--gist-root', '12345'), /root/, 'a root the node never held');
  await assert.rejects(copy.masque('zk', 'prove', stolen, '--as', 'me', '--gist-root', 'latest'), /--gist-root: a decimal field element/);

  // The issuer revokes and publishes; the holder's next proof is refused.
  const revoked = await issuer.masque('zk', 'revoke', '--as', 'kyc-desk', '--application', sub.applicationId);
  assert.equal(revoked.revoked.length, 1);
  await issuer.masque('zk', 'issuer', 'publish', '--as', 'kyc-desk');
  await assert.rejects(holder.masque('zk', 'prove', last, '--as', 'me'), /revoked/);
});
