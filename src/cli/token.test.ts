// `masque token ...` end to end against a started node: an issuer deploys its own suite from the CLI, its agent
// registers KYC'd investors and runs every admin write with keys from the keystore; refusals name the role or the rule.
import { after, before, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Address } from 'viem';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { cli } from './main.js';

const run = promisify(execFile);
const bin = join(import.meta.dirname, 'masque.mjs');
const PASSPHRASE = 'correct horse battery staple';
let t: TestNode;
let home: string;

const env = () => ({ ...process.env, MASQUE_NODE_URL: t.node.url, MASQUE_KEYSTORE: join(home, 'keys'), MASQUE_PASSPHRASE: PASSPHRASE, MASQUE_SCRYPT_LOG_N: '12' });
const masque = (...args: string[]): Promise<any> => cli(args, env());

before(async () => {
  t = await startTestNode();
  home = mkdtempSync(join(tmpdir(), 'masque-cli-token-'));
});
after(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
});

/** `who` creates its identity (country 250), applies for KYC and the node's KYC issuer approves it. */
async function kycd(who: string, issuerDid: string): Promise<void> {
  await masque('identity', 'create', '--as', who, '--country', '250');
  const doc = join(home, `${who}.txt`);
  writeFileSync(doc, `Name: ${who} Testperson\n`);
  const sub = await masque('kyc', 'submit', '--as', who, '--file', doc, '--issuer', 'kyc', '--issuer-key', issuerDid);
  await masque('kyc', 'review', sub.applicationId, '--as', 'kyc', '--approve', '--days', '30');
}

it("deploys an issuer's token and runs every admin write from the CLI", { timeout: 180_000 }, async () => {
  const names = ['owner', 'agent', 'alice', 'bob', 'alice-new', 'stranger'];
  const [kycKey, ...made] = await Promise.all([
    masque('keys', 'new', 'kyc', '--private-key', t.issuerPrivateKey), ...names.map((n) => masque('keys', 'new', n)),
  ]);
  const addr = Object.fromEntries(names.map((n, i) => [n, made[i].address as Address]));
  await kycd('alice', kycKey.encryptionDid);
  await kycd('bob', kycKey.encryptionDid);

  // Bad input is refused before any signature or gas, naming what is wrong.
  await assert.rejects(masque('token', 'deploy', '--as', 'owner', '--name', 'Cli Fund', '--symbol', 'CLIF', '--agent', 'agent:MINTER'), /unknown role "MINTER"/);
  await assert.rejects(masque('token', 'deploy', '--as', 'owner', '--name', 'Cli Fund', '--symbol', 'CLIF', '--agent', 'nobody:AGENT'), /no key "nobody"/);
  await assert.rejects(masque('token', 'deploy', '--as', 'owner', '--symbol', 'CLIF'), /--name is required/);

  const d = await masque('token', 'deploy', '--as', 'owner', '--name', 'Cli Fund', '--symbol', 'CLIF', '--topics', '1', '--trusted-issuer', 'kyc',
    '--agent', 'agent:AGENT', '--allow-countries', '250,276');
  assert.ok(BigInt(d.gasUsed) > 0n);
  const token = d.token as Address;
  const tok = ['--token', token];
  const info = await masque('token', 'info', ...tok);
  assert.deepEqual([info.owner, info.symbol, info.claimTopics, info.modules.map((m: { name: string }) => m.name)], [addr.owner, 'CLIF', [1], ['CountryAllowModule']]);
  assert.deepEqual(info.agents, [{ address: addr.agent, roles: ['SUPPLY_MODIFIER', 'FREEZER', 'TRANSFER_MANAGER', 'RECOVERY_AGENT', 'COMPLIANCE_AGENT', 'WHITELIST_MANAGER'] }]);
  // Same owner, same symbol: the same salt, refused naming it.
  await assert.rejects(masque('token', 'deploy', '--as', 'owner', '--name', 'Cli Fund', '--symbol', 'CLIF'), /already deployed/);

  // The token keeps its own identity registry: investors are registered there by the whitelist manager.
  assert.equal((await masque('token', 'balance', 'alice', ...tok)).registered, false);
  await assert.rejects(masque('token', 'register', 'alice', '--country', '250', '--as', 'stranger', ...tok), /WHITELIST_MANAGER/);
  for (const who of ['alice', 'bob']) await masque('token', 'register', who, '--country', '250', '--as', 'agent', ...tok);
  assert.equal((await masque('token', 'balance', 'alice', ...tok)).verified, true);

  await assert.rejects(masque('token', 'mint', 'alice', '1000', '--as', 'owner', ...tok), /SUPPLY_MODIFIER/);
  await assert.rejects(masque('token', 'mint', 'stranger', '1', '--as', 'agent', ...tok), /verified/i);
  // Amounts are tokens: this token has 0 decimals, so 1.5 is refused before anything is signed.
  await assert.rejects(masque('token', 'mint', 'alice', '1.5', '--as', 'agent', ...tok), { message: 'amount: 1.5 has 1 decimal; the token has 0 (whole tokens only)' });
  await masque('token', 'mint', 'alice', '1000', '--as', 'agent', ...tok);
  await masque('token', 'batch-mint', 'bob=500', `${addr.alice}=10`, '--as', 'agent', ...tok);
  await masque('token', 'transfer', 'bob', '110', '--as', 'alice', ...tok);
  const balance = async (who: string) => masque('token', 'balance', who, ...tok);
  assert.deepEqual([(await balance('alice')).balance, (await balance('bob')).balance], ['900', '610']);

  await masque('token', 'pause', '--as', 'agent', ...tok);
  assert.deepEqual(await masque('token', 'can-transfer', 'alice', 'bob', '1', ...tok).then((r) => [r.ok, r.name]), [false, 'PAUSED']);
  await masque('token', 'unpause', '--as', 'agent', ...tok);
  assert.equal((await masque('token', 'can-transfer', 'alice', 'bob', '1', ...tok)).ok, true);

  await masque('token', 'freeze', 'bob', '--as', 'agent', ...tok);
  assert.equal((await balance('bob')).frozen, true);
  await assert.rejects(masque('token', 'transfer', 'alice', '1', '--as', 'bob', ...tok), /SENDER_FROZEN|frozen/i);
  await masque('token', 'unfreeze', 'bob', '--as', 'agent', ...tok);
  await masque('token', 'freeze', 'bob', '--amount', '600', '--as', 'agent', ...tok);
  assert.deepEqual(await balance('bob').then((b) => [b.frozen, b.frozenTokens, b.available]), [false, '600', '10']);
  await masque('token', 'unfreeze', 'bob', '--amount', '100', '--as', 'agent', ...tok);
  assert.equal((await balance('bob')).frozenTokens, '500');

  // Forced transfers move frozen tokens; burns too.
  await masque('token', 'forced-transfer', 'bob', 'alice', '300', '--as', 'agent', ...tok);
  await masque('token', 'burn', 'alice', '200', '--as', 'agent', ...tok);
  assert.deepEqual([(await balance('alice')).balance, (await balance('bob')).balance], ['1000', '310']);

  // Recovery: alice's new wallet becomes a management key of her identity (her signature), then the agent recovers.
  const identity = (await balance('alice')).identity as Address;
  await assert.rejects(masque('token', 'recover', 'alice', 'alice-new', '--as', 'agent', ...tok), /RecoveryKeyMissing/);
  await masque('identity', 'add-key', '--as', 'alice', '--key', addr['alice-new']!, '--purpose', 'management');
  await masque('token', 'recover', 'alice', 'alice-new', '--as', 'agent', ...tok);
  assert.deepEqual(await balance('alice-new').then((b) => [b.balance, b.verified, b.identity]), ['1000', true, identity]);
  assert.equal((await balance('alice')).balance, '0');

  // Roles: granted and revoked by the owner only.
  await assert.rejects(masque('token', 'add-agent', 'stranger', '--roles', 'SUPPLY_MODIFIER', '--as', 'agent', ...tok), /owner/);
  await masque('token', 'add-agent', 'stranger', '--roles', 'SUPPLY_MODIFIER,WHITELIST_MANAGER', '--as', 'owner', ...tok);
  await masque('token', 'mint', 'bob', '1', '--as', 'stranger', ...tok);
  await masque('token', 'remove-agent', 'stranger', '--roles', 'SUPPLY_MODIFIER,WHITELIST_MANAGER', '--as', 'owner', ...tok);
  await assert.rejects(masque('token', 'mint', 'bob', '1', '--as', 'stranger', ...tok), /SUPPLY_MODIFIER/);

  // Compliance: a module added, configured, refused transfers name the rule, removed.
  await masque('token', 'set-compliance', 'add', 'CountryRestrictModule', '--as', 'owner', ...tok);
  await masque('token', 'set-compliance', 'configure', '--restrict-countries', '250', '--as', 'owner', ...tok);
  assert.equal((await masque('token', 'can-transfer', 'bob', 'alice-new', '1', ...tok)).name, 'COUNTRY_RESTRICTED');
  await assert.rejects(masque('token', 'set-compliance', 'configure', '--as', 'owner', ...tok), /configure takes one setting/);
  // The binary exits 2 on a refused transfer (scripts branch on it).
  const refused = await run(process.execPath, [bin, 'token', 'can-transfer', 'bob', 'alice-new', '1', ...tok], { env: env() })
    .then(() => assert.fail('expected exit 2'), (e: { code: number; stdout: string }) => e);
  assert.equal(refused.code, 2);
  assert.equal(JSON.parse(refused.stdout).name, 'COUNTRY_RESTRICTED');
  await masque('token', 'set-compliance', 'remove', 'CountryRestrictModule', '--as', 'owner', ...tok);
  assert.equal((await masque('token', 'can-transfer', 'bob', 'alice-new', '1', ...tok)).ok, true);

  const h = await masque('token', 'holders', ...tok);
  assert.deepEqual(h.holders.map((x: { wallet: string; balance: string }) => [x.wallet, x.balance]), [[addr['alice-new'], '1000'], [addr.bob, '311']]);
  assert.equal(h.totalSupply, '1311');
  assert.equal((await masque('token', 'holders', '--limit', '1', ...tok)).nextOffset, 1);
});

it('amounts in tokens per the decimals (or --base-units), refusals naming the field; one-call onboarding', { timeout: 180_000 }, async () => {
  // Keys of the first test: owner, agent, bob (KYC'd); a new investor for onboarding.
  const d = await masque('token', 'deploy', '--as', 'owner', '--name', 'Cli Cents', '--symbol', 'CLIC', '--decimals', '2', '--topics', '1',
    '--trusted-issuer', 'kyc', '--agent', 'agent:AGENT');
  const tok = ['--token', d.token as string];
  assert.equal((await masque('token', 'info', ...tok)).decimals, 2);
  await masque('token', 'register', 'bob', '--country', '250', '--as', 'agent', ...tok);
  await masque('token', 'mint', 'bob', '1.5', '--as', 'agent', ...tok);
  const b = await masque('token', 'balance', 'bob', ...tok);
  assert.deepEqual([b.balance, b.tokens.balance], ['150', '1.5']);
  await masque('token', 'mint', 'bob', '25', '--base-units', '--as', 'agent', ...tok);
  await masque('token', 'freeze', 'bob', '--amount', '0.5', '--as', 'agent', ...tok);
  await masque('token', 'batch-mint', 'bob=0.01', '--as', 'agent', ...tok);
  assert.deepEqual(await masque('token', 'balance', 'bob', ...tok).then((x) => [x.balance, x.frozenTokens, x.tokens.available]), ['176', '50', '1.26']);
  // Bad amounts: refused naming the field, nothing signed or sent.
  await assert.rejects(masque('token', 'mint', 'bob', '1.234', '--as', 'agent', ...tok), { message: 'amount: 1.234 has 3 decimals; the token has 2' });
  await assert.rejects(masque('token', 'mint', 'bob', '-5', '--as', 'agent', ...tok), { message: 'amount: must not be negative (-5)' });
  await assert.rejects(masque('token', 'freeze', 'bob', '--amount', '-0.5', '--as', 'agent', ...tok), { message: '--amount: must not be negative (-0.5)' });
  await assert.rejects(masque('token', 'batch-mint', 'bob=1', 'bob=0.001', '--as', 'agent', ...tok), { message: 'recipients.1.amount (bob): 0.001 has 3 decimals; the token has 2' });
  await assert.rejects(masque('token', 'transfer', 'bob', 'ten', '--as', 'bob', ...tok), { message: 'amount: "ten" is not a number of tokens (e.g. 1.5)' });
  await assert.rejects(masque('token', 'mint', 'bob', '1.5', '--base-units', '--as', 'agent', ...tok), { message: 'amount: "1.5" is not a whole number of base units (--base-units)' });
  assert.equal((await masque('token', 'balance', 'bob', ...tok)).balance, '176');

  // One-call onboarding: the KYC issuer signs a claim for the identity dave's wallet will get; dave sends it once.
  const dave = (await masque('keys', 'new', 'dave')).address as Address;
  const doc = join(home, 'dave-kyc.txt');
  writeFileSync(doc, 'Name: Dave Testperson\n');
  await assert.rejects(masque('token', 'sign-claim', 'dave', '--as', 'kyc', '--document-hash', '0x12'), /--document-hash: expected 32 bytes/);
  const signed = await masque('token', 'sign-claim', 'dave', '--as', 'kyc', '--file', doc, '--days', '30');
  assert.equal(signed.topic, 1);
  const claimFile = join(home, 'dave-claim.json');
  writeFileSync(claimFile, JSON.stringify(signed));
  await assert.rejects(masque('token', 'onboard', '--as', 'dave', '--country', '250'), /--claim <file.json> is required/);
  await assert.rejects(masque('token', 'onboard', '--as', 'dave', '--country', '0', '--claim', claimFile), (e: { data?: { field?: string } }) => e.data?.field === 'country');
  const onboarded = await masque('token', 'onboard', '--as', 'dave', '--country', '250', '--claim', claimFile);
  const position = await masque('token', 'balance', 'dave'); // the node's token, whose registry onboarding writes
  assert.deepEqual([position.identity, position.registered, position.verified], [onboarded.identity, true, true]);
  assert.equal((await masque('claim', 'verify', '--identity', onboarded.identity, '--topic', '1')).state, 'valid');
  assert.equal((await t.node.ctx.clients.publicClient.getCode({ address: onboarded.identity })) !== undefined, true, `${dave}'s identity deployed`);
});
