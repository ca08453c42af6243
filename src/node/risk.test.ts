// The risk engine over a started node: attested jurisdiction at onboarding, scores written on-chain on band changes,
// a country table import pushing an investor over the token's limit (the next transfer refused with
// RISK_SCORE_TOO_HIGH), structuring raising another investor's score, a PEP hit of the compliance service doing the same
// (and its dismissal undoing it, band changes alerted), explanations for those allowed, the registry following an
// expired JURISDICTION claim, and no personal data on chain beyond the score.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generatePrivateKey, privateKeyToAccount, type PrivateKeyAccount } from 'viem/accounts';
import { createWalletClient, encodeFunctionData, getAddress, http, toHex, type Address, type Hex } from 'viem';
import { signClaim } from '../sdk/index.js';
import { TransferRefusal } from '../chain/token.js';
import { demoTokenAgent } from './chain/token-deploy.js';
import { permissionedTokenAbi } from '../chain/artifacts/PermissionedToken.js';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { identityRegistryAbi } from '../chain/artifacts/IdentityRegistry.js';
import { trustedIssuersRegistryAbi } from '../chain/artifacts/TrustedIssuersRegistry.js';
import { claimTopicCatalogAbi } from '../chain/artifacts/ClaimTopicCatalog.js';
import { jurisdictionCommitment } from '../risk/index.js';
import { connectClient, expectRpcRefusal, startTestNode, until, type TestNode } from './test-helpers.js';
import type { MasqueClient } from '../sdk/index.js';

const FR = 250;
const DE = 276;
const KE = 404; // FATF increased monitoring: 60 in the seed table, 36 points
const HOOK_SECRET = 'risk-band-webhook-secret-0123456789';
const TOKEN = 10n ** 18n;
const now = () => Math.floor(Date.now() / 1000);

describe('risk engine over a node', () => {
  let t: TestNode;
  let client: MasqueClient;
  let chainId: number;
  let kycIssuer: Address;
  const operator = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());
  const inv = { a: privateKeyToAccount(generatePrivateKey()), b: privateKeyToAccount(generatePrivateKey()), c: privateKeyToAccount(generatePrivateKey()) };
  const ids: Record<string, Address> = {};
  const salts: Record<string, Hex> = {};
  const hooks: { type: string; identity: string; data: Record<string, unknown> }[] = [];
  let hookServer: Server;

  // issuedAt is signed: the caller passes the value it sends (a second boundary between two now() calls broke it).
  const sign = async (identity: Address, topic: number, documentHash: Hex, issuedAt: number, expiresAt: number) =>
    (await signClaim(t.issuerSigner, { chainId, issuer: kycIssuer, identity, topic: BigInt(topic), documentHash, issuedAt: BigInt(issuedAt), expiresAt: BigInt(expiresAt) })).signature;

  async function onboard(who: PrivateKeyAccount, name: string, country: number, jurisdictionExpiresAt = now() + 30 * 86_400, registered?: number) {
    const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: who.address });
    const kycHash = `0x${'44'.repeat(32)}` as Hex;
    const salt = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const jHash = jurisdictionCommitment(country, salt);
    const issuedAt = now() - 5;
    const kycExpiresAt = now() + 300 * 86_400;
    const claims = [
      { topic: 1, issuer: kycIssuer, documentHash: kycHash, issuedAt, expiresAt: kycExpiresAt, signature: await sign(identity as Address, 1, kycHash, issuedAt, kycExpiresAt) },
      { topic: 9, issuer: kycIssuer, documentHash: jHash, issuedAt, expiresAt: jurisdictionExpiresAt, signature: await sign(identity as Address, 9, jHash, issuedAt, jurisdictionExpiresAt) },
    ];
    await client.write('token_onboardInvestor', registered === undefined
      ? { wallet: who.address, country, claims, jurisdiction: { salt } }
      : { wallet: who.address, country: registered, claims }, who);
    ids[name] = identity as Address;
    salts[name] = salt;
    return { identity: identity as Address, salt, claims };
  }

  const relay = (address: Address, abi: readonly unknown[], functionName: string, args: readonly unknown[]) =>
    t.node.ctx.relayer.write({ address, abi: abi as never, functionName, args });
  const transfer = async (from: PrivateKeyAccount, to: Address, amount: bigint) => {
    const w = createWalletClient({ account: from, transport: http(t.node.chain!.rpcUrl) });
    const r = t.node.ctx.clients.publicClient;
    const hash = await w.sendTransaction({ chain: null, to: t.node.ctx.deployment.token, data: encodeFunctionData({ abi: permissionedTokenAbi, functionName: 'transfer', args: [to, amount] }) });
    return r.waitForTransactionReceipt({ hash, pollingInterval: 50 });
  };
  const explained = (identity: Address, by: PrivateKeyAccount = operator) => client.write('risk_getScore', { identity }, by);

  before(async () => {
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { hooks.push(JSON.parse(body)); res.writeHead(200).end('ok'); });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hooks`;
    t = await startTestNode({
      risk: { operators: [operator.address], intervalMs: 0, model: { activity: { structuringLimit: 1_000 } } },
      // The continuous compliance service: its hits and case decisions feed the scores; band changes are its alerts.
      screening: { enabled: true, tickSeconds: 1, analysts: [operator.address], webhooks: [{ id: 'risk-desk', url, secret: HOOK_SECRET, events: ['risk.band_changed'] }] },
    });
    ({ client, chainId, kycIssuer } = await connectClient(t));
    const { ctx } = t.node;
    const r = ctx.clients.publicClient;
    // The token's rules: MaxRiskScoreModule at 50 over the node's RiskScoreRegistry, set by the demo token's owner
    // (its key in the data directory) through the node; the KYC issuer also attests jurisdiction (topic 9).
    const owner = ctx.demoTokenOwner;
    await client.write('token_setCompliance', { action: 'add', module: 'MaxRiskScoreModule' }, owner);
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'riskLimit', maxScore: 50, allowUnscored: false } }, owner);
    // The issuers registry belongs to its own owner key (not the relayer's): it signs, the node relays.
    const registryOwner = privateKeyToAccount(readFileSync(join(t.dataDir, 'keys', 'registry-owner.key'), 'utf8').trim() as Hex);
    await client.write('id_updateIssuerTopics', { issuer: kycIssuer, topics: [1, 9] }, registryOwner);
    for (const who of Object.values(inv)) await r.request({ method: 'anvil_setBalance' as never, params: [who.address, '0x56bc75e2d63100000'] as never });
  });
  after(async () => {
    await t?.stop();
    await new Promise((r) => hookServer?.close(r));
  });

  it('names the custom topics JURISDICTION and RISK_SCORE in the topic catalogue', async () => {
    const info = await client.rpc.node_info({});
    const catalog = info.contracts.topicCatalog as Address;
    const r = t.node.ctx.clients.publicClient;
    assert.equal(await r.readContract({ address: catalog, abi: claimTopicCatalogAbi, functionName: 'topicName', args: [9n] }), 'JURISDICTION');
    assert.equal(await r.readContract({ address: catalog, abi: claimTopicCatalogAbi, functionName: 'topicName', args: [10n] }), 'RISK_SCORE');
  });

  it('onboarding registers only the country the JURISDICTION claim attests', async () => {
    const who = privateKeyToAccount(generatePrivateKey());
    const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: who.address });
    const salt = toHex(crypto.getRandomValues(new Uint8Array(32)));
    const jHash = jurisdictionCommitment(FR, salt);
    const exp = now() + 86_400;
    const issuedAt = now() - 5;
    const claims = [{ topic: 9, issuer: kycIssuer, documentHash: jHash, issuedAt, expiresAt: exp, signature: await sign(identity as Address, 9, jHash, issuedAt, exp) }];
    const e = await expectRpcRefusal(client.write('token_onboardInvestor', { wallet: who.address, country: DE, claims, jurisdiction: { salt } }, who), -32602, /not the one the JURISDICTION claim attests/);
    assert.equal((e.data as { field?: string }).field, 'country');
    await expectRpcRefusal(client.write('token_onboardInvestor', { wallet: who.address, country: FR, claims: [], jurisdiction: { salt } }, who), -32602, /no JURISDICTION claim/);
  });

  it('scores onboarded investors and writes the first scores on-chain', async () => {
    await onboard(inv.a, 'a', FR);
    await onboard(inv.b, 'b', FR);
    await onboard(inv.c, 'c', FR);
    const s = await t.node.ctx.risk.tick();
    assert.equal(s.rescored, 3);
    assert.deepEqual(new Set(s.written.map((x) => x.identity)), new Set(Object.values(ids)));
    for (const id of Object.values(ids)) {
      const pub = await client.rpc.risk_getScore({ identity: id });
      assert.deepEqual(pub.onchain.score, 0);
      assert.equal(pub.access, 'public');
      assert.equal(pub.factors, undefined, 'no explanation without a signed request');
    }
    const mine = await explained(ids.a, inv.a);
    assert.equal(mine.access, 'holder');
    assert.equal(mine.score, 0);
    assert.equal(mine.factors!.find((f) => f.id === 'country.unattested')!.points, 0, 'country attested by the claim');
    await expectRpcRefusal(explained(ids.a, stranger), -32001);
    // Tokens for the investors (mints pass the risk module: they are scored now).
    const agent = demoTokenAgent(t.node.ctx.dir);
    for (const who of [inv.a, inv.c]) await client.write('token_mint', { to: who.address, amount: String(5_000n * TOKEN) }, agent);
  });

  it('a country table update moves an investor over the token limit: the next transfer is refused (RISK_SCORE_TOO_HIGH)', async () => {
    assert.equal((await transfer(inv.a, inv.b.address, 10n * TOKEN)).status, 'success');
    await expectRpcRefusal(client.write('risk_importCountryTable', { id: 'own-1', name: 'x', asOf: '2026-12-01', source: 'ops', entries: [{ country: 'FR', score: 100 }] }, stranger), -32001);
    const bad = await expectRpcRefusal(client.write('risk_importCountryTable', { id: 'own-1', name: 'x', asOf: '2026-12-01', source: 'ops', entries: [{ country: 'XX', score: 100 }] }, operator), -32602);
    assert.equal((bad.data as { field?: string }).field, 'entries.0.country');
    // A refused CSV line: the field named once in the message, as the CLI and dashboard print it.
    const badCsv = await expectRpcRefusal(client.write('risk_importCountryTable', { id: 'own-1', name: 'x', asOf: '2026-12-01', source: 'ops', csv: 'country,score\nXX,100\n' }, operator), -32602);
    assert.equal(badCsv.message, 'invalid params: line 2.country: not an ISO 3166-1 country code (numeric, alpha-2 or alpha-3): "XX"');
    assert.equal((badCsv.data as { field?: string }).field, 'line 2.country');
    const seed = await client.rpc.risk_getCountryTable({});
    assert.equal(seed.seed, true);
    assert.equal(seed.id, 'fatf-2026-02');
    // An operator's own table: France at 100 (say, an internal policy), on top of the FATF lists.
    const r = await client.write('risk_importCountryTable', {
      id: 'ops-2026-12', name: 'Operator policy', asOf: '2026-12-01', source: 'risk committee',
      csv: `country,score,label\n${seed.entries.map((e) => `${e.country},${e.score},${e.label.replace(/,/g, ';')}`).join('\n')}\nFRA,100,internal policy\n`,
    }, operator);
    assert.deepEqual(r.countries, [FR]);
    assert.equal(r.rescored, 3);
    assert.equal(r.written.length, 3, 'every French investor crossed the limit: written on-chain');
    assert.ok(r.bandChanges.every((c) => c.to === 'high'));
    const dry = await client.rpc.token_canTransfer({ from: inv.a.address, to: inv.b.address, amount: String(TOKEN) });
    assert.equal(dry.code, TransferRefusal.RISK_SCORE_TOO_HIGH);
    assert.equal(dry.name, 'RISK_SCORE_TOO_HIGH');
    await assert.rejects(transfer(inv.a, inv.b.address, TOKEN), 'the very next transfer reverts');
    const e = await explained(ids.a);
    assert.equal(e.score, 60);
    assert.deepEqual(e.factors!.filter((f) => f.points > 0).map((f) => [f.id, f.points, f.detail]), [['country.table', 60, 'FR: internal policy, 100/100 in ops-2026-12']]);
    assert.equal((await client.rpc.risk_getCountryTable({})).id, 'ops-2026-12');
    // Back to the FATF lists: the scores fall under the limit again and the transfer passes.
    const back = await client.write('risk_importCountryTable', { id: 'fatf-2026-02b', name: seed.name, asOf: seed.asOf, source: seed.source, entries: seed.entries.map((x) => ({ country: x.country, score: x.score, label: x.label })) }, operator);
    assert.equal(back.written.length, 3);
    assert.equal((await transfer(inv.a, inv.b.address, TOKEN)).status, 'success');
  });

  it('structuring: a burst of transfers just under the limit raises the sender, written when it crosses a band', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await transfer(inv.c, inv.b.address, 950n * TOKEN + BigInt(i) * TOKEN)).status, 'success');
    const s = await t.node.ctx.risk.tick();
    assert.ok(s.events >= 5, String(s.events));
    const c = await explained(ids.c);
    const f = c.factors!.find((x) => x.id === 'activity.structuring')!;
    assert.equal(f.points, 40, JSON.stringify(c.factors));
    assert.match(f.detail, /5 outgoing transfer\(s\) in 7 days just under 1000/);
    assert.equal(c.score, 40);
    assert.equal(c.band, 'medium');
    assert.ok(s.written.some((w) => w.identity === ids.c && w.score === 40), 'medium band written');
    assert.equal((await client.rpc.risk_getScore({ identity: ids.c })).onchain.score, 40);
    const b = await explained(ids.b);
    assert.equal(b.factors!.find((x) => x.id === 'activity.structuring')!.points, 0, 'the receiver did not choose the amounts');
    // A recompute on request changes nothing that did not change (no write on a wiggle).
    const again = await client.write('risk_recompute', { identity: ids.c }, operator);
    assert.equal(again.written.length, 0);
  });

  it('an opening of the valid JURISDICTION claim sets the registry country the issuer attested', async () => {
    const who = privateKeyToAccount(generatePrivateKey());
    // Registered with the investor's own word (this node does not require attestation at onboarding) ...
    const { identity } = await onboard(who, 'e', FR, undefined, DE);
    await t.node.ctx.risk.tick();
    const r = t.node.ctx.clients.publicClient;
    const country = () => r.readContract({ address: t.node.ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'investorCountry', args: [who.address] });
    assert.equal(await country(), DE);
    assert.equal((await explained(identity)).factors!.find((f) => f.id === 'country.unattested')!.points, 20);
    // ... a wrong opening is refused, the right one makes the registry follow the claim.
    await expectRpcRefusal(client.write('risk_attestJurisdiction', { identity, country: DE, salt: salts.e }, who), -32602, /do not open/);
    await expectRpcRefusal(client.write('risk_attestJurisdiction', { identity, country: FR, salt: salts.e }, stranger), -32001);
    const a = await client.write('risk_attestJurisdiction', { identity, country: FR, salt: salts.e }, who);
    assert.equal(a.updated.length, 1);
    assert.equal(await country(), FR);
    assert.equal(a.score, 0);
    assert.equal((await explained(identity)).factors!.find((f) => f.id === 'country.unattested')!.points, 0);
  });

  it('the registry follows the JURISDICTION claim: expired, the country is cleared; no opening of an expired claim is accepted', async () => {
    const who = privateKeyToAccount(generatePrivateKey());
    const { identity } = await onboard(who, 'd', DE, now() + 120);
    await t.node.ctx.risk.tick();
    const r = t.node.ctx.clients.publicClient;
    assert.equal(await r.readContract({ address: t.node.ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'investorCountry', args: [who.address] }), DE);
    await r.request({ method: 'evm_increaseTime' as never, params: [200] as never });
    await r.request({ method: 'evm_mine' as never, params: [] as never });
    await t.node.ctx.risk.recompute(identity);
    assert.equal(await r.readContract({ address: t.node.ctx.deployment.identityRegistry, abi: identityRegistryAbi, functionName: 'investorCountry', args: [who.address] }), 0);
    const e = await explained(identity);
    assert.ok(e.factors!.find((f) => f.id === 'country.unattested')!.points > 0);
    await expectRpcRefusal(client.write('risk_attestJurisdiction', { identity, country: DE, salt: salts.d }, who), -32602, /no valid JURISDICTION claim/);
  });

  it('a PEP hit through the compliance service moves a score over the limit (the next transfer refused); dismissed, it comes back; band changes alert', async () => {
    const screening = t.node.ctx.screening!;
    const screeningOperator = screening.keys.account;
    const f = privateKeyToAccount(generatePrivateKey());
    await t.node.ctx.clients.publicClient.request({ method: 'anvil_setBalance' as never, params: [f.address, '0x56bc75e2d63100000'] as never });
    await onboard(f, 'f', KE);
    await t.node.ctx.risk.tick();
    await client.write('token_mint', { to: f.address, amount: String(100n * TOKEN) }, demoTokenAgent(t.node.ctx.dir));
    assert.equal((await explained(ids.f)).score, 36, 'Kenya, FATF increased monitoring');
    assert.equal((await client.rpc.token_canTransfer({ from: f.address, to: inv.b.address, amount: String(TOKEN) })).ok, true);
    // The KYC provider enrols the holder with the screening service: clear, its AML / Sanctions / PEP claims issued.
    const enrolled = await client.write('screening_submitProfile', { identity: ids.f, profile: { names: ['Wanjiru Njoroge'], nationalities: ['KE'], wallets: [f.address] } }, screeningOperator);
    assert.equal(enrolled.screening.decision, 'clear');
    // A PEP list version names a Wanjiru Kamau Njoroge: a possible match (0.93), under review, no automatic action.
    const pep = `${readFileSync(join(import.meta.dirname, '../screening/fixtures/pep/pep.jsonl'), 'utf8').trimEnd()}\n${JSON.stringify({ id: 'ke-0042', name: 'Wanjiru Kamau Njoroge', country: 'KE', position: 'Cabinet Secretary', since: '2024-01-01', until: null })}\n`;
    const seen = hooks.length;
    await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: Buffer.from(pep).toString('base64') }] }, screeningOperator);
    const over = await until('the PEP hit in the score', async () => {
      const s = await client.rpc.risk_getScore({ identity: ids.f });
      return s.onchain.score !== null && s.onchain.score > 50 ? s : undefined;
    });
    assert.equal(over.onchain.score, 71);
    const dry = await client.rpc.token_canTransfer({ from: f.address, to: inv.b.address, amount: String(TOKEN) });
    assert.equal(dry.name, 'RISK_SCORE_TOO_HIGH', 'not frozen: a case under review only raises the score');
    await assert.rejects(transfer(f, inv.b.address, TOKEN), 'the very next transfer reverts');
    const e = await explained(ids.f);
    assert.deepEqual(e.factors!.filter((x) => x.points > 0).map((x) => [x.id, x.points]), [['country.table', 36], ['customer.pep', 25], ['customer.openCases', 10]]);
    const cases = await client.write('screening_listCases', { identity: ids.f }, operator);
    assert.equal(cases.total, 1);
    assert.equal(cases.cases[0]!.actionState, 'none');
    // The band change reached the event stream and the operator's webhook (score and bands; never the factors).
    const events = await client.write('screening_events', { limit: 500 }, screeningOperator);
    const band = events.find((x) => x.type === 'risk.band_changed' && x.identity === ids.f.toLowerCase() && (x.data as { to?: string }).to === 'high');
    assert.deepEqual(band?.data, { from: 'medium', to: 'high', score: 71, onchain: true });
    await until('the band webhook', async () => hooks.slice(seen).some((h) => h.type === 'risk.band_changed' && h.identity === ids.f.toLowerCase()));
    assert.ok(!JSON.stringify(hooks).includes('customer.pep'), 'no factor in a webhook');
    // An analyst dismisses the hit: the score falls back under the limit at the decision, and the transfer passes.
    await client.write('screening_decideCase', { caseId: cases.cases[0]!.caseId, decision: 'dismiss', reason: 'different person: date of birth differs' }, operator);
    assert.equal((await client.rpc.risk_getScore({ identity: ids.f })).onchain.score, 36);
    assert.equal((await transfer(f, inv.b.address, TOKEN)).status, 'success');
  });

  it('token rules beyond the maximum score: jurisdictions read from the attested claim, high risk needs a fresh KYC, each refusal with its code', async () => {
    const owner = t.node.ctx.demoTokenOwner;
    const why = async (to: Address, from: Address = inv.a.address) => (await client.rpc.token_canTransfer({ from, to, amount: String(TOKEN) })).name;
    // The token's own trusted issuers registry is the token owner's: it trusts the KYC provider for JURISDICTION too.
    const r = t.node.ctx.clients.publicClient;
    await r.request({ method: 'anvil_setBalance' as never, params: [owner.address, '0x56bc75e2d63100000'] as never });
    const ownerWallet = createWalletClient({ account: owner, transport: http(t.node.chain!.rpcUrl) });
    const hash = await ownerWallet.writeContract({ chain: null, address: t.node.ctx.deployment.tokenTrustedIssuersRegistry, abi: trustedIssuersRegistryAbi, functionName: 'updateIssuerClaimTopics', args: [kycIssuer, [1n, 9n]] });
    assert.equal((await r.waitForTransactionReceipt({ hash, pollingInterval: 50 })).status, 'success');
    // One rule at a time: the maximum score (which would refuse the unattested investor first) steps aside.
    await client.write('token_setCompliance', { action: 'remove', module: 'MaxRiskScoreModule' }, owner);
    await client.write('token_setCompliance', { action: 'add', module: 'JurisdictionModule' }, owner);
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictionRules', allowListOnly: true } }, owner);
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictions', countries: [FR, KE], status: 'allowed' } }, owner);
    assert.equal(await why(inv.b.address), 'OK');
    // d's JURISDICTION claim expired: the registry cleared its country, the module refuses it as unattested.
    const d = getAddress((await t.node.ctx.repos.risk.walletsOf(ids.d))[0]!.wallet);
    assert.equal(await why(d), 'JURISDICTION_NOT_ATTESTED');
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictions', countries: [KE], status: 'blocked' } }, owner);
    const f = getAddress((await t.node.ctx.repos.risk.walletsOf(ids.f))[0]!.wallet);
    assert.equal(await why(f), 'COUNTRY_RESTRICTED');
    assert.equal(await why(inv.a.address, f), 'COUNTRY_RESTRICTED', 'a blocked jurisdiction cannot send either');
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictions', countries: [KE], status: 'none' } }, owner);
    assert.equal(await why(f), 'COUNTRY_NOT_ALLOWED');
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictions', countries: [KE], status: 'allowed' } }, owner);
    assert.equal(await why(f), 'OK');
    const bad = await expectRpcRefusal(client.write('token_setCompliance', { action: 'configure', setting: { kind: 'jurisdictions', countries: [KE], status: 'banned' } } as never, owner), -32602);
    assert.match(JSON.stringify(bad.data), /setting/);
    // High risk needs a fresh KYC: above 30 (f is at 36), a KYC claim younger than a day.
    await client.write('token_setCompliance', { action: 'add', module: 'FreshKycModule' }, owner);
    await client.write('token_setCompliance', { action: 'configure', setting: { kind: 'freshKyc', scoreAbove: 30, maxAgeDays: 1 } }, owner);
    assert.equal(await why(f), 'OK', 'KYC of today');
    await r.request({ method: 'evm_increaseTime' as never, params: [2 * 86_400] as never });
    await r.request({ method: 'evm_mine' as never, params: [] as never });
    assert.equal(await why(f), 'KYC_NOT_FRESH');
    assert.equal((await client.rpc.token_canTransfer({ from: inv.a.address, to: f, amount: String(TOKEN) })).code, TransferRefusal.KYC_NOT_FRESH);
    assert.equal(await why(inv.b.address), 'OK', 'low risk: an old KYC is enough');
    // The KYC provider renews the claim (issued at the chain's time): f passes again.
    const chainNow = Number((await r.getBlock()).timestamp);
    const kycHash = `0x${'45'.repeat(32)}` as Hex;
    const claim = { chainId, issuer: kycIssuer, identity: ids.f, topic: 1n, documentHash: kycHash, issuedAt: BigInt(chainNow - 5), expiresAt: BigInt(chainNow + 300 * 86_400) };
    const { signature } = await signClaim(t.issuerSigner, claim);
    await client.rpc.id_renewClaim({ identity: ids.f, topic: 1, issuer: kycIssuer, documentHash: kycHash, issuedAt: chainNow - 5, expiresAt: chainNow + 300 * 86_400, signature });
    assert.equal(await why(f), 'OK');
  });

  it('no personal data on chain: no explanation, factor or salt in any transaction or log', async () => {
    const r = t.node.ctx.clients.publicClient;
    const head = await r.getBlockNumber();
    const needles = ['structuring', 'country.table', 'internal policy', 'FATF', 'politically'].map((s) => Buffer.from(s).toString('hex'))
      .concat(Object.values(salts).map((s) => s.slice(2).toLowerCase()));
    let scanned = 0;
    for (let n = 0n; n <= head; n++) {
      const b = await r.getBlock({ blockNumber: n, includeTransactions: true }).catch(() => null);
      if (!b) continue; // pruned history
      for (const tx of b.transactions) {
        const receipt = await r.getTransactionReceipt({ hash: tx.hash });
        const blob = (tx.input + receipt.logs.map((l) => l.data + l.topics.join('')).join('')).toLowerCase();
        for (const needle of needles) assert.ok(!blob.includes(needle), `block ${n} carries personal data`);
        scanned++;
      }
    }
    assert.ok(scanned > 20);
  });
});
