// Issue 17's "done when": issuer, holder and verifier as separate processes sharing nothing but the chain and the
// node's JSON-RPC. The node runs as its own process; every party step is a `masque` process with that party's own
// keystore and ZK directory (the issuer's Baby Jubjub key and tree mirror, the holder's sealed wallet); the
// verifier registers its on-chain request with its own wallet. KYC approval -> ZK claim delivered -> the holder
// proves "resides in the EU" and "born before 2008" -> the verifier accepts (off-chain and on-chain) -> holder key
// rotation -> the issuer revokes -> the holder's next proof is refused.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** One party: its own keystore, ZK directory and working files. */
function party(name: string) {
  const dir = join(home, name);
  const env = { ...process.env, MASQUE_NODE_URL: url, MASQUE_KEYSTORE: join(dir, 'keys'), MASQUE_ZK_DIR: join(dir, 'zk'), MASQUE_PASSPHRASE: `${name} passphrase`, MASQUE_SCRYPT_LOG_N: '12' };
  return {
    file: (f: string) => join(dir, f),
    /** Runs `masque ...` as a process of this party; resolves with its JSON output, or rejects with its error text. */
    async masque(...args: string[]): Promise<any> {
      const { stdout } = await exec(process.execPath, [bin, ...args], { env, maxBuffer: 16 << 20 }).catch((e: { stderr?: string; stdout?: string; code?: number }) => {
        throw new Error(`masque ${args.join(' ')} exited ${e.code}: ${e.stderr ?? ''}${e.stdout ?? ''}`);
      });
      return JSON.parse(stdout);
    },
  };
}

it('issuer node, holder CLI and verifier as separate processes: KYC -> ZK claim -> proofs accepted -> rotation -> revocation refuses', { timeout: 600_000 }, async () => {
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
  const [adult, again, last, eu] = ['adult.json', 'adult-2.json', 'adult-3.json', 'eu.json'].map((f) => verifier.file(f));
  const ask = (out: string, ...query: string[]) => verifier.masque('zk', 'ask', '--issuer', zkIssuer.did, ...query, '--verifier-id', '4242', '--out', out);
  const adultQuery = ['--field', 'birthDate', '--operator', 'LESS_THAN', '--values', '2008-01-01'];
  const [euRequests] = await Promise.all([
    ask(eu, '--field', 'countryOfResidence', '--operator', 'IN', '--values', 'EU'),
    ask(adult, ...adultQuery), ask(again, ...adultQuery), ask(last, ...adultQuery),
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

  // On chain: the verifier registers the request with its own wallet; the holder answers from its wallet.
  const reader = createPublicClient({ transport: http(url) }) as PublicClient;
  const chain = defineChain({ id: await reader.getChainId(), name: 'masque', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } });
  const dapp = createWalletClient({ chain, transport: http(url), account: privateKeyToAccount(VERIFIER_KEY) }) as ChainWallet;
  const queryVerifier = (await verifier.masque('info')).contracts.zkQueryVerifier as Address;
  const onchain = await createRequest(dapp, reader, queryVerifier, { schema: KYC_SCHEMA.hash.toString(), slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: ['20080101'], issuers: [zkIssuer.id] });
  const onchainAnswer = holder.file('onchain-response.json');
  await holder.masque('zk', 'prove', onchain.requestId.toString(), '--onchain', '--as', 'me', '--out', onchainAnswer);
  const submitted = await holder.masque('zk', 'submit', onchain.requestId.toString(), onchainAnswer, '--as', 'me');
  assert.equal(submitted.accepted, true);
  assert.equal(await isNullifierUsed(reader, queryVerifier, BigInt(submitted.nullifier)), true, 'the verifier sees the accepted answer on chain');

  // Key rotation in the middle: a state transition of the holder on chain; claims and proofs keep working.
  const rotated = await holder.masque('zk', 'rotate', '--as', 'me');
  assert.equal(rotated.publication.isOldStateGenesis, true);
  assert.equal((await verifier.masque('zk', 'state', wallet.did)).latestState, rotated.publication.newState);
  assert.deepEqual(await holder.masque('zk', 'fetch', '--as', 'me'), { received: 0, held: 1, pending: 0 }, 'the new key authenticates');
  await holder.masque('zk', 'prove', again, '--as', 'me', '--out', holder.file('adult-2-response.json'));
  assert.equal((await verifier.masque('zk', 'verify', again, holder.file('adult-2-response.json'))).ok, true);

  // The issuer revokes and publishes; the holder's next proof is refused.
  const revoked = await issuer.masque('zk', 'revoke', '--as', 'kyc-desk', '--application', sub.applicationId);
  assert.equal(revoked.revoked.length, 1);
  await issuer.masque('zk', 'issuer', 'publish', '--as', 'kyc-desk');
  await assert.rejects(holder.masque('zk', 'prove', last, '--as', 'me'), /revoked/);
});
