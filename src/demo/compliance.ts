/**
 * `npm run demo:compliance`: continuous compliance on embedded defaults, each step printed. A node starts with its
 * screening service (operator key generated in its own keystore); an investor onboarded with KYC gets AML, Sanctions
 * Clear and PEP claims with no action of its own; 28 days later they are renewed; a new PEP list names the investor in
 * Cyrillic: the claims are revoked on chain, the wallet frozen, transfers refused and the fund administrator's webhook
 * receives signed alerts; an analyst reviews the case. Data under .masque/demo-compliance (removed first).
 */
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Address, Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startNode } from '../node/node.js';
import { MasqueClient, signClaim } from '../sdk/index.js';
import { verifyHmacSignature } from '../node/compliance/webhooks.js';
import { demoTokenAgent, requireDemoTokenTopics } from '../node/chain/token-deploy.js';

const t0 = Date.now();
const dataDir = process.env.MASQUE_DEMO_DIR ?? join(process.cwd(), '.masque', 'demo-compliance');
rmSync(dataDir, { recursive: true, force: true });
mkdirSync(dataDir, { recursive: true });
const step = (title: string) => console.log(`\n== ${title}  (+${((Date.now() - t0) / 1000).toFixed(1)} s)`);
const say = (s: string) => console.log(`   ${s}`);
const b64 = (s: string) => Buffer.from(s).toString('base64');
const DAY = 86_400;
const SECRET = 'demo-fund-admin-secret-0123456789';

const hooks: { body: string; signature: string; at: number }[] = [];
const hookServer = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => { body += c; });
  req.on('end', () => { hooks.push({ body, signature: String(req.headers['x-masque-signature']), at: Date.now() }); res.end(); });
});
await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
const hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/alerts`;

step('A node on embedded defaults (anvil, SQLite) with its screening service');
const kyc = privateKeyToAccount(generatePrivateKey());
const analyst = privateKeyToAccount(generatePrivateKey());
const node = await startNode({
  overrides: {
    dataDir, port: 0, logLevel: 'silent', issuers: [{ name: 'kyc', signer: kyc.address, topics: [1] }],
    screening: { enabled: true, tickSeconds: 1, analysts: [analyst.address], tokens: [{ fundAdministrators: [{ name: 'Fund Admin', webhook: { id: 'fund-admin', url: hookUrl, secret: SECRET } }] }] },
  },
  env: {},
});
const client = new MasqueClient(node.url);
const operator = node.ctx.screening!.keys.account;
const status = await client.rpc.screening_status({});
say(`node ${node.url}; operator ${status.operator} (key in ${join(dataDir, 'screening', 'keys')}), screening issuer ${status.issuer} for topics ${status.topics.join(', ')}`);

step('The operator imports the lists (PEP registry, OFAC SDN)');
const fixtures = join(import.meta.dirname, '../screening/fixtures');
const pep = readFileSync(join(fixtures, 'pep/pep.jsonl'), 'utf8');
for (const [source, name, text] of [['masque-pep', 'pep.jsonl', pep], ['ofac-sdn', 'SDN.CSV', readFileSync(join(fixtures, 'ofac/sdn.csv'), 'utf8')]] as const) {
  const r = await client.write('screening_importList', { source, files: [{ name, data: b64(text) }] }, operator);
  say(`${source}: ${r.entryCount} entries, version ${r.hash.slice(0, 22)}…`);
}

step('An investor is onboarded with a KYC claim; the KYC provider submits its screening profile');
const investor = privateKeyToAccount(generatePrivateKey());
const kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: investor.address });
const chainNow = async () => Number((await node.ctx.clients.publicClient.getBlock()).timestamp);
const now = await chainNow();
const documentHash = `0x${'42'.repeat(32)}` as Hex;
const kycClaim = { issuedAt: now, expiresAt: now + 300 * DAY };
const { signature } = await signClaim(kyc, { chainId: node.ctx.chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash, issuedAt: BigInt(kycClaim.issuedAt), expiresAt: BigInt(kycClaim.expiresAt) });
await client.write('token_onboardInvestor', { wallet: investor.address, country: 250, claims: [{ topic: 1, issuer: kycIssuer, documentHash, ...kycClaim, signature }] }, investor);
const enrolled = await client.write('screening_submitProfile', { identity: identity as Address, profile: { names: ['Aleksandr Petrovich Volkov'], birthDate: '1971-04-02', nationalities: ['RU'], wallets: [investor.address] } }, kyc);
say(`identity ${identity}: screened ${enrolled.screening.decision} (best score ${enrolled.screening.bestScore}), claims issued for topics ${enrolled.screening.claimsIssued.join(', ')} — no holder action`);
// The demo token's owner and agent (keys in the data directory) act like a token issuer's: signed calls the node relays.
await requireDemoTokenTopics(node.ctx, [1, 2, 4, 7]);
await client.write('token_mint', { to: investor.address, amount: '1000' }, demoTokenAgent(node.ctx.dir));
say(`the token now requires KYC, AML, Sanctions Clear and PEP; 1000 units minted; transfer allowed: ${(await client.rpc.token_canTransfer({ from: investor.address, to: investor.address, amount: '1' })).ok}`);

step('28 days pass on chain: the claims are renewed before they expire');
const before = (await client.rpc.id_verifyClaim({ identity: identity as Address, topic: 2 })).expiresAt!;
await node.ctx.clients.publicClient.request({ method: 'evm_increaseTime' as never, params: [28 * DAY] as never });
await node.ctx.clients.publicClient.request({ method: 'evm_mine' as never, params: [] as never });
for (;;) {
  const v = await client.rpc.id_verifyClaim({ identity: identity as Address, topic: 2 });
  if (v.expiresAt! > before) { say(`AML claim renewed: expiry ${new Date(before * 1000).toISOString().slice(0, 10)} -> ${new Date(v.expiresAt! * 1000).toISOString().slice(0, 10)} (state ${v.state})`); break; }
  await new Promise((r) => setTimeout(r, 200));
}

step('A new PEP list version names the investor in Cyrillic (Александр Петрович Волков)');
const imported = Date.now();
const seen = hooks.length;
await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(`${pep.trimEnd()}\n${JSON.stringify({ id: 'ru-77', name: 'Александр Петрович Волков', country: 'RU', position: 'Deputy Minister' })}\n`) }] }, operator);
while (!hooks.slice(seen).some((h) => JSON.parse(h.body).type === 'wallet.frozen')) await new Promise((r) => setTimeout(r, 100));
say(`list import -> claims revoked, wallet frozen, webhook delivered: ${Date.now() - imported} ms`);
for (const t of [2, 4, 7]) say(`topic ${t}: ${(await client.rpc.id_verifyClaim({ identity: identity as Address, topic: t })).state}`);
const dry = await client.rpc.token_canTransfer({ from: investor.address, to: investor.address, amount: '1' });
say(`transfer allowed: ${dry.ok} (${dry.name})`);
await new Promise((r) => setTimeout(r, 1500));
for (const h of hooks.slice(seen)) {
  const e = JSON.parse(h.body) as { type: string; data: Record<string, unknown> };
  say(`webhook ${e.type.padEnd(14)} signature valid: ${verifyHmacSignature(SECRET, h.signature, h.body)}  ${JSON.stringify(e.data).slice(0, 90)}`);
}

step('An analyst reviews the case, then confirms it');
const cases = await client.write('screening_listCases', {}, analyst);
const c = cases.cases[0]!;
say(`case ${c.caseId}: ${c.entityId} score ${c.score}, topics ${c.topics.join(', ')}, ${c.status}, actions ${c.actionState}`);
await client.write('screening_assignCase', { caseId: c.caseId, assignee: analyst.address }, analyst);
const decided = await client.write('screening_decideCase', { caseId: c.caseId, decision: 'confirm', reason: 'same person: listed as deputy minister since 2026-11' }, analyst);
say(`decision: ${decided.status} by ${decided.decidedBy}; the claims stay revoked and the wallet frozen`);
const ev = await client.write('screening_getEvidence', { identity: identity as Address, limit: 5 }, operator);
say(`evidence: ${ev.length} records (${ev.map((e) => `${(e.record as { kind: string }).kind}:${(e.record as { decision: string }).decision}`).join(', ')}), each in an operator-signed Merkle run`);

await node.stop();
hookServer.close();
console.log(`\ndone in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
