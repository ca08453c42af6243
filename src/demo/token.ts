/**
 * `npm run demo:token`: the newcomer's story from `npm start`, through the `masque` CLI, every command printed as a user
 * types it. A node starts on embedded defaults; a KYC provider registers its ClaimIssuer and the node's registry owner
 * trusts it; a token issuer deploys its own ERC-3643 suite in one transaction; two investors create identities, apply
 * for KYC and are approved; the issuer's agent registers them, mints, and they transfer; then a freeze, a forced
 * transfer and the recovery of a lost wallet. Keys live in a CLI keystore; the node holds none of them. Data under
 * .masque/demo-token (removed first; MASQUE_DEMO_DIR elsewhere).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hex } from 'viem';
import { startNode } from '../node/node.js';
import { cli } from '../cli/main.js';

const t0 = Date.now();
const dataDir = process.env.MASQUE_DEMO_DIR ?? join(process.cwd(), '.masque', 'demo-token');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const step = (title: string) => console.log(`\n== ${title}  (+${((Date.now() - t0) / 1000).toFixed(1)} s)`);
const say = (s: string) => console.log(`   ${s}`);

step('npm start: a node on embedded defaults (anvil, SQLite); it prints where the registry owner key is');
const node = await startNode({ overrides: { dataDir: join(dataDir, 'node'), port: 0, logLevel: 'silent' }, env: {} });
const env = {
  ...process.env, MASQUE_NODE_URL: node.url, MASQUE_KEYSTORE: join(dataDir, 'keys'), MASQUE_PASSPHRASE: 'demo passphrase', MASQUE_SCRYPT_LOG_N: '14',
};
/** Long values the printed command lines show as shell variables (`$ACME`), the way a user would type them. */
const shown = new Map<string, string>();
const alias = (value: string, name: string) => { shown.set(value, name); say(`${name.replace(/^\$/, '')}=${value}`); };
const display = (a: string) => {
  for (const [v, name] of shown) a = a.split(v).join(name);
  // Double quotes where a variable is inside (the shell expands it), single quotes otherwise.
  return !/[\s"{]/.test(a) ? a : a.includes('$') ? JSON.stringify(a) : `'${a}'`;
};
/** Runs `masque <args>` (in this process: the binary does the same) and prints the command line. */
async function masque(...args: string[]): Promise<any> {
  console.log(`   $ masque ${args.map(display).join(' ')}`);
  return cli(args, env);
}
/** A refusal the story expects: printed with the node's reason. */
async function refused(...args: string[]): Promise<void> {
  const e = await masque(...args).then(() => { throw new Error(`expected a refusal: masque ${args.join(' ')}`); }, (err: Error & { data?: { reason?: string } }) => err);
  say(`  refused: ${e.data?.reason ?? e.message.split('\n')[0]}`);
}
say(`node ${node.url}`);

step('Keys: the registry owner (its key from the data directory), a KYC provider, a token issuer, two investors');
const registryOwnerKeyPath = join(dataDir, 'node', 'keys', 'registry-owner.key');
const registryOwnerKey = readFileSync(registryOwnerKeyPath, 'utf8').trim();
shown.set(registryOwnerKey, `$(cat ${registryOwnerKeyPath})`);
await masque('keys', 'new', 'registry-owner', '--private-key', registryOwnerKey);
await masque('keys', 'new', 'kyc-provider');
await masque('keys', 'new', 'issuer');
for (const who of ['alice', 'bob']) await masque('keys', 'new', who);
say('(each key sealed under the passphrase in the keystore; `masque keys list` shows addresses and did:keys)');

step('The KYC provider registers its ClaimIssuer; the registry owner trusts it for KYC (topic 1)');
const registered = await masque('issuer', 'register', '--as', 'kyc-provider', '--name', 'acme-kyc', '--topics', '1');
alias(registered.address, '$ACME_KYC');
await masque('issuer', 'trust', 'acme-kyc', '--topics', '1', '--as', 'registry-owner');
const issuers = (await masque('info')).issuers as Record<string, { address: string; trustedTopics: number[] }>;
say(`node_info: acme-kyc trusted for topics ${issuers['acme-kyc']!.trustedTopics.join(', ')}`);

step('The token issuer deploys its own token: one transaction, it owns every contract and is its own agent');
const deployed = await masque('token', 'deploy', '--as', 'issuer', '--name', 'Acme Fund I', '--symbol', 'ACME', '--topics', '1',
  '--trusted-issuer', 'acme-kyc', '--agent', 'issuer:AGENT', '--allow-countries', '250,276');
alias(deployed.token, '$ACME');
say(`its identity registry ${deployed.identityRegistry}: ${Number(deployed.gasUsed).toLocaleString('en-US')} gas, paid by the node`);
const tok = ['--token', deployed.token as string];

step('Investors: an identity each, a KYC application sealed for the provider, approved: a KYC claim on chain');
for (const who of ['alice', 'bob']) {
  const id = await masque('identity', 'create', '--as', who, '--country', '250');
  alias(id.identity, `$${who.toUpperCase()}_ID`);
  const doc = join(dataDir, `${who}-passport.txt`);
  writeFileSync(doc, `Name: ${who[0]!.toUpperCase()}${who.slice(1)} Example\nPassport: X0000000\n`);
  const app = await masque('kyc', 'submit', '--as', who, '--file', doc, '--issuer', 'acme-kyc');
  await masque('kyc', 'review', app.applicationId, '--as', 'kyc-provider', '--approve', '--days', '365');
  const claim = await masque('claim', 'verify', '--identity', id.identity, '--topic', '1');
  say(`${who}'s KYC claim: ${claim.state} (the passport left ${who}'s machine sealed for the provider only)`);
}

step('Onboarding to the token: the agent registers each investor in the token\'s identity registry');
await refused('token', 'mint', 'alice', '1000', '--as', 'issuer', ...tok);
for (const who of ['alice', 'bob']) await masque('token', 'register', who, '--country', '250', '--as', 'issuer', ...tok);
say(`alice verified for the token: ${(await masque('token', 'balance', 'alice', ...tok)).verified}`);

step('Mint and transfer (the holder signs, the node relays: no ether needed)');
await masque('token', 'mint', 'alice', '1000', '--as', 'issuer', ...tok);
await masque('token', 'transfer', 'bob', '250', '--as', 'alice', ...tok);
await refused('token', 'transfer', 'kyc-provider', '1', '--as', 'alice', ...tok);
const show = async (...who: string[]) => {
  for (const w of who) {
    const b = await masque('token', 'balance', w, ...tok);
    say(`${w}: balance ${b.balance}, frozen tokens ${b.frozenTokens}, wallet frozen ${b.frozen}`);
  }
};
await show('alice', 'bob');

step('Freeze: bob\'s wallet, then part of it; a forced transfer moves frozen tokens');
await masque('token', 'freeze', 'bob', '--as', 'issuer', ...tok);
const dry = await masque('token', 'can-transfer', 'bob', 'alice', '1', ...tok);
say(`bob -> alice allowed: ${dry.ok} (${dry.name})`);
await masque('token', 'unfreeze', 'bob', '--as', 'issuer', ...tok);
await masque('token', 'freeze', 'bob', '--amount', '200', '--as', 'issuer', ...tok);
await refused('token', 'transfer', 'alice', '100', '--as', 'bob', ...tok);
await masque('token', 'forced-transfer', 'bob', 'alice', '100', '--as', 'issuer', ...tok);
await show('alice', 'bob');

step('Recovery: alice loses her wallet; her new one becomes a key of her identity, the agent moves everything');
const phone = await masque('keys', 'new', 'alice-phone');
alias(phone.address, '$ALICE_PHONE');
await masque('identity', 'add-key', '--as', 'alice', '--key', phone.address, '--purpose', 'management');
await masque('token', 'recover', 'alice', 'alice-phone', '--as', 'issuer', ...tok);
await show('alice', 'alice-phone');

step('The cap table, from the Transfer events the node indexes');
const holders = await masque('token', 'holders', ...tok);
for (const h of holders.holders as { wallet: Hex; balance: string; share: number }[]) say(`${h.wallet}  ${h.balance.padStart(5)}  ${(h.share * 100).toFixed(1)} %`);
say(`total supply ${holders.totalSupply}`);

await node.stop();
console.log(`\ndone in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
