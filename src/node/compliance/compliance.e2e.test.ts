// Continuous compliance end to end, over a started node on embedded defaults: investors onboarded with KYC get their
// AML, Sanctions Clear and PEP claims from the screening service; 28 days later the claims are renewed with no holder
// action; a new list version names one investor by a transliterated alias (Cyrillic): the claims are revoked on chain,
// the wallet frozen, transfers refused and the fund administrator's webhook receives signed alerts, within seconds; a
// second investor's false hit is dismissed by an analyst and that investor is restored. Personal data appears in no
// transaction, log, event, webhook or error of the run.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, verifyMessage, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { startNode, type RunningNode } from '../node.js';
import { MasqueClient, MasqueRpcError } from '../../sdk/index.js';
import { signClaim } from '../../chain/identity.js';
import { demoTokenAgent, requireDemoTokenTopics } from '../chain/token-deploy.js';
import { permissionedTokenAbi } from '../../chain/artifacts/PermissionedToken.js';
import { checkEvidence, runMessage, type EvidenceRecord, type MerkleProof, type RunHeader } from '../../screening/index.js';
import { verifyHmacSignature } from './webhooks.js';
import { until } from '../test-helpers.js';

const FIXTURES = join(import.meta.dirname, '../../screening/fixtures');
const SECRET = 'fund-admin-webhook-secret-0123456789';
const DAY = 86_400;

// The holders' personal data: none of it may leave the service's sealed tables.
const VOLKOV = { names: ['Aleksandr Petrovich Volkov'], birthDate: '1971-04-02', nationalities: ['RU'] };
const ORLOV = { names: ['Ivan Sergeyevich Orlov'], nationalities: ['RU'] };
const NEEDLES = ['Aleksandr Petrovich Volkov', 'Volkov', 'Волков', 'Orlov', '1971-04-02'];

const pepV1 = readFileSync(join(FIXTURES, 'pep/pep.jsonl'), 'utf8');
const pepV2 = `${pepV1.trimEnd()}\n${JSON.stringify({ id: 'ru-77', name: 'Александр Петрович Волков', country: 'RU', position: 'Deputy Minister', since: '2026-11-20', until: null })}\n`;
const sdnV1 = readFileSync(join(FIXTURES, 'ofac/sdn.csv'), 'utf8');
const sdnV2 = `${sdnV1.trimEnd()}\n2001,"ORLOV, Ivan Sergeyevich","individual","RUSSIA-EO14024",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"nationality Russia."\n`;
const b64 = (s: string) => Buffer.from(s).toString('base64');

interface Hook { headers: Record<string, string | string[] | undefined>; body: string; at: number }

describe('continuous compliance (end to end)', { timeout: 600_000 }, () => {
  let dataDir: string;
  let node: RunningNode;
  let client: MasqueClient;
  let hookServer: Server;
  const hooks: Hook[] = [];
  const logLines: string[] = [];
  const errors: string[] = [];
  const kyc = privateKeyToAccount(generatePrivateKey());
  const analyst = privateKeyToAccount(generatePrivateKey());
  const fundAdmin = privateKeyToAccount(generatePrivateKey());
  const stranger = privateKeyToAccount(generatePrivateKey());
  const a = privateKeyToAccount(generatePrivateKey());
  const b = privateKeyToAccount(generatePrivateKey());
  let idA: Address;
  let idB: Address;
  let kycIssuer: Address;
  const origWrite = process.stderr.write.bind(process.stderr);
  const operator = () => node.ctx.screening!.keys.account;
  const refused = async (p: Promise<unknown>, code: number, field?: string) => {
    try {
      await p;
    } catch (e) {
      assert.ok(e instanceof MasqueRpcError, String(e));
      errors.push(e.message, JSON.stringify(e.data ?? null));
      assert.equal(e.code, code, e.message);
      if (field) assert.equal((e.data as { field?: string })?.field, field, e.message);
      return e;
    }
    assert.fail('expected a refusal');
  };
  const chainNow = async () => Number((await node.ctx.clients.publicClient.getBlock()).timestamp);
  const verify = (identity: Address, topic: number) => client.rpc.id_verifyClaim({ identity, topic });

  before(async () => {
    hookServer = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => { body += c; });
      req.on('end', () => { hooks.push({ headers: req.headers, body, at: Date.now() }); res.writeHead(200).end('ok'); });
    });
    await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
    const hookUrl = `http://127.0.0.1:${(hookServer.address() as { port: number }).port}/hooks`;
    dataDir = mkdtempSync(join(tmpdir(), 'masque-compliance-e2e-'));
    // The node's log lines are captured (and scanned for personal data at the end).
    process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      const s = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
      if (s.startsWith('[masque-node]')) { logLines.push(s); return true; }
      return (origWrite as (...x: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof process.stderr.write;
    node = await startNode({
      overrides: {
        dataDir, port: 0, logLevel: 'info', requiredTopics: [1],
        issuers: [{ name: 'kyc', signer: kyc.address, topics: [1] }],
        screening: {
          enabled: true, tickSeconds: 1, analysts: [analyst.address],
          // A scheduled source (files here; URLs alike): imported by the service's job, every 2 seconds for the test.
          sources: [{ source: 'un-sc', files: [join(FIXTURES, 'un/consolidated.xml')], every: 2 }],
          tokens: [{ fundAdministrators: [{ name: 'Fund Admin', address: fundAdmin.address, webhook: { id: 'fund-admin', url: hookUrl, secret: SECRET } }] }],
        },
      },
      env: {},
    });
    client = new MasqueClient(node.url);
    const info = await client.rpc.node_info({});
    kycIssuer = info.issuers.kyc!.address as Address;
  });

  after(async () => {
    process.stderr.write = origWrite;
    await node?.stop();
    await new Promise((r) => hookServer.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('imports the lists (operator only; a malformed file names the field and stores nothing)', async () => {
    const status = await client.rpc.screening_status({});
    assert.equal(status.enabled, true);
    assert.equal(status.operator, operator().address);
    await refused(client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(pepV1) }] }, stranger), -32001);
    await refused(client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64('{"id":"x"}\n') }] }, operator()), -32602, 'files');
    await refused(client.write('screening_importList', { source: 'nowhere', files: [{ name: 'x.csv', data: b64('a') }] }, operator()), -32602, 'source');
    const pep = await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(pepV1) }] }, operator());
    assert.equal(pep.status, 'stored');
    const sdn = await client.write('screening_importList', { source: 'ofac-sdn', files: [{ name: 'SDN.CSV', data: b64(sdnV1) }] }, operator());
    assert.equal(sdn.status, 'stored');
    const again = await client.write('screening_importList', { source: 'ofac-sdn', files: [{ name: 'SDN.CSV', data: b64(sdnV1) }] }, operator());
    assert.equal(again.status, 'unchanged');
    // The scheduled UN source came in by itself (once: later runs find the same version).
    await until('the scheduled UN import', async () => (await client.rpc.screening_listVersions({ source: 'un-sc' })).length === 1);
    assert.equal((await client.rpc.screening_listVersions({})).length, 3);
  });

  it('issues AML, Sanctions Clear and PEP claims to investors onboarded with KYC, with no holder action', async () => {
    const now = await chainNow();
    for (const [wallet, profile] of [[a, VOLKOV], [b, ORLOV]] as const) {
      const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: wallet.address });
      const documentHash = `0x${'42'.repeat(32)}` as Hex;
      const c = { chainId: node.ctx.chainId, issuer: kycIssuer, identity: identity as Address, topic: 1n, documentHash, issuedAt: BigInt(now - 5), expiresAt: BigInt(now + 300 * DAY) };
      const { signature } = await signClaim(kyc, c);
      await client.write('token_onboardInvestor', { wallet: wallet.address, country: 250, claims: [{ topic: 1, issuer: kycIssuer, documentHash, issuedAt: now - 5, expiresAt: now + 300 * DAY, signature }] }, wallet);
      assert.equal((await verify(identity as Address, 2)).state, 'none');
      // The KYC provider submits what it verified; only a KYC issuer's signer (or the operator, an analyst) may.
      await refused(client.write('screening_submitProfile', { identity: identity as Address, profile: { ...profile, wallets: [wallet.address] } }, stranger), -32001);
      await refused(client.write('screening_submitProfile', { identity: identity as Address, profile: { names: ['X'], birthDate: '31/12/1999' } }, kyc), -32602, 'profile.birthDate');
      const r = await client.write('screening_submitProfile', { identity: identity as Address, profile: { ...profile, wallets: [wallet.address] } }, kyc);
      assert.equal(r.screening.decision, 'clear');
      assert.deepEqual(r.screening.claimsIssued, [2, 4, 7]);
      for (const t of [2, 4, 7]) assert.equal((await verify(identity as Address, t)).state, 'valid');
      if (wallet === a) idA = identity as Address; else idB = identity as Address;
    }
    // The token's issuer now requires AML, Sanctions Clear and PEP of every holder (the screening service keeps them).
    // The demo token's owner (its key in the data directory) requires them; its agent mints through the node.
    await requireDemoTokenTopics(node.ctx, [1, 2, 4, 7]);
    const agent = demoTokenAgent(node.ctx.dir);
    await client.write('token_batchMint', { recipients: [{ to: a.address, amount: '1000' }, { to: b.address, amount: '1000' }] }, agent);
    assert.equal((await client.rpc.token_canTransfer({ from: a.address, to: b.address, amount: '10' })).ok, true);
  });

  it('renews the claims 28 days later, before they expire, without the holder', async () => {
    const before = await verify(idA, 2);
    const pc = node.ctx.clients.publicClient;
    await pc.request({ method: 'evm_increaseTime' as never, params: [28 * DAY] as never });
    await pc.request({ method: 'evm_mine' as never, params: [] as never });
    for (const id of [idA, idB]) {
      for (const t of [2, 4, 7]) {
        const v = await until(`renewal of topic ${t}`, async () => {
          const x = await verify(id, t);
          return x.expiresAt! > before.expiresAt! + 20 * DAY && x.state === 'valid' ? x : undefined;
        });
        assert.ok(v.expiresAt! - (await chainNow()) > 29 * DAY);
      }
    }
    assert.equal((await client.rpc.token_canTransfer({ from: a.address, to: b.address, amount: '10' })).ok, true);
  });

  it('a new list version naming a holder by a transliterated alias: claims revoked, wallet frozen, transfers refused, webhook signed, within 30 s', async () => {
    const t0 = Date.now();
    const seen = hooks.length;
    const r = await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(pepV2) }] }, operator());
    assert.deepEqual(r.diff, { added: 1, removed: 0, changed: 0 });
    const hook = await until('the freeze webhook', async () => hooks.slice(seen).find((h) => JSON.parse(h.body).type === 'wallet.frozen'), 30_000);
    const latency = hook.at - t0;
    assert.ok(latency < 30_000, `list to freeze took ${latency} ms`);
    process.env.MASQUE_TEST_REPORT && origWrite(`list-to-freeze latency: ${latency} ms\n`);
    // PEP hit: the PEP and AML claims go, Sanctions Clear stays; the wallet is frozen on the token.
    assert.equal((await verify(idA, 7)).state, 'revoked');
    assert.equal((await verify(idA, 2)).state, 'revoked');
    assert.equal((await verify(idA, 4)).state, 'valid');
    const dry = await client.rpc.token_canTransfer({ from: a.address, to: b.address, amount: '10' });
    assert.equal(dry.ok, false);
    assert.ok(['SENDER_FROZEN', 'SENDER_NOT_VERIFIED'].includes(dry.name), dry.name);
    assert.equal(await node.ctx.clients.publicClient.readContract({ address: node.ctx.deployment.token, abi: permissionedTokenAbi, functionName: 'isFrozen', args: [a.address] }), true);
    // Every delivery is signed (HMAC over timestamp.body) and carries an idempotency key.
    const mine = hooks.slice(seen);
    for (const h of mine) {
      assert.equal(verifyHmacSignature(SECRET, String(h.headers['x-masque-signature']), h.body), true);
      assert.match(String(h.headers['idempotency-key']), /^masque-screening:\d+:\d+$/);
      assert.equal(verifyHmacSignature('another-secret-of-sufficient-length', String(h.headers['x-masque-signature']), h.body), false);
    }
    const types = new Set(mine.map((h) => JSON.parse(h.body).type));
    // The fund administrator hears of revocations, freezes and the case's actions (not of case openings under review).
    await until('the revocation and case alerts', async () => {
      for (const h of hooks.slice(seen)) types.add(JSON.parse(h.body).type);
      return ['claim.revoked', 'wallet.frozen', 'case.actioned'].every((t) => types.has(t));
    }, 20_000);
    // The case is there for analysts, auto-actioned.
    const cases = await client.write('screening_listCases', { identity: idA }, analyst);
    assert.equal(cases.total, 1);
    assert.equal(cases.cases[0]!.entityId, 'masque-pep:ru-77');
    assert.equal(cases.cases[0]!.actionState, 'acted');
    assert.deepEqual(cases.cases[0]!.topics, [2, 7]);
  });

  it('an analyst dismisses a false hit: the holder is restored, and the same pair does not alert again', async () => {
    await client.write('screening_importList', { source: 'ofac-sdn', files: [{ name: 'SDN.CSV', data: b64(sdnV2) }] }, operator());
    const c = await until("B's case acted on", async () => {
      const l = await client.write('screening_listCases', { identity: idB }, analyst);
      return l.cases.find((x) => x.actionState === 'acted');
    });
    assert.equal((await verify(idB, 4)).state, 'revoked');
    assert.equal((await client.rpc.token_canTransfer({ from: b.address, to: a.address, amount: '1' })).ok, false);
    // The analyst reads the match explanation; the fund administrator reads the case without it.
    const full = await client.write('screening_getCase', { caseId: c.caseId }, analyst);
    assert.ok(full.detail);
    const fa = await client.write('screening_getCase', { caseId: c.caseId }, fundAdmin);
    assert.equal(fa.detail, undefined);
    await refused(client.write('screening_getCase', { caseId: c.caseId }, stranger), -32001);
    await refused(client.write('screening_decideCase', { caseId: c.caseId, decision: 'dismiss', reason: 'x' }, fundAdmin), -32001);
    await refused(client.write('screening_decideCase', { caseId: c.caseId, decision: 'dismiss' }, analyst), -32602, 'reason');
    await refused(client.write('screening_decideCase', { caseId: '00000000-0000-4000-8000-000000000000', decision: 'review' }, analyst), -32002);
    await client.write('screening_assignCase', { caseId: c.caseId, assignee: analyst.address }, analyst);
    await client.write('screening_decideCase', { caseId: c.caseId, decision: 'review' }, analyst);
    const d = await client.write('screening_decideCase', { caseId: c.caseId, decision: 'dismiss', reason: 'different person: passport and date of birth differ' }, analyst);
    assert.equal(d.status, 'dismissed');
    await refused(client.write('screening_decideCase', { caseId: c.caseId, decision: 'confirm', reason: 'x' }, analyst), -32003, 'decision');
    await until('B restored', async () => {
      const x = await client.write('screening_getCase', { caseId: c.caseId }, analyst);
      return x.actionState === 'restored';
    });
    for (const t of [2, 4, 7]) assert.equal((await verify(idB, t)).state, 'valid');
    assert.equal(await node.ctx.clients.publicClient.readContract({ address: node.ctx.deployment.token, abi: permissionedTokenAbi, functionName: 'isFrozen', args: [b.address] }), false);
    const history = (await client.write('screening_getCase', { caseId: c.caseId }, analyst)).history.map((h) => h.action);
    assert.deepEqual(history.filter((h) => h !== 'status'), ['opened', 'actions:acting', 'actions:acted', 'assigned', 'actions:restoring', 'actions:restored']);
    // A full re-screen: the dismissed pair stays quiet; Volkov's confirmed-by-threshold case is not reopened.
    await node.ctx.screening!.fullScreen();
    assert.equal((await client.write('screening_listCases', { identity: idB }, analyst)).total, 1);
    assert.equal((await client.write('screening_listCases', {}, analyst)).total, 2);
    for (const t of [2, 4, 7]) assert.equal((await verify(idB, t)).state, 'valid');
    assert.equal((await verify(idA, 7)).state, 'revoked');
  });

  it('every screening left evidence an auditor can check (signed run, Merkle proof, list hashes), with no personal data', async () => {
    const ev = await client.write('screening_getEvidence', { identity: idA }, fundAdmin);
    assert.ok(ev.length >= 3, `${ev.length} records`);
    for (const e of ev) {
      const record = e.record as unknown as EvidenceRecord;
      const header = e.header as unknown as RunHeader;
      assert.deepEqual(checkEvidence(record, e.proof as MerkleProof, header), { ok: true, leaf: e.leaf });
      assert.equal(await verifyMessage({ address: operator().address, message: runMessage(header), signature: e.signature as Hex }), true);
      assert.equal(record.identity, idA.toLowerCase());
    }
    const kinds = ev.map((e) => (e.record as unknown as EvidenceRecord).kind);
    for (const k of ['enrolment', 'renewal', 'delta']) assert.ok(kinds.includes(k as never), `${k} in ${kinds}`);
    assert.equal((ev.find((e) => (e.record as unknown as EvidenceRecord).kind === 'delta')!.record as unknown as EvidenceRecord).decision, 'hit');
  });

  it('no personal data in any transaction, log line, event, webhook or error of the run', async () => {
    const pc = createPublicClient({ transport: http(node.ctx.clients.chain.rpcUrls.default.http[0]) });
    const head = await pc.getBlockNumber();
    const hex = NEEDLES.flatMap((n) => [Buffer.from(n).toString('hex'), Buffer.from(n.toUpperCase()).toString('hex'), Buffer.from(n.toLowerCase()).toString('hex')]);
    let txs = 0;
    for (let n = head > 255n ? head - 255n : 0n; n <= head; n++) {
      const block = await pc.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        txs++;
        for (const h of hex) assert.ok(!tx.input.toLowerCase().includes(h), `tx ${tx.hash} carries personal data`);
      }
    }
    const logs = await pc.getLogs({ fromBlock: head > 255n ? head - 255n : 0n, toBlock: head });
    for (const l of logs) for (const h of hex) assert.ok(!(l.data + l.topics.join('')).toLowerCase().includes(h), 'a log carries personal data');
    assert.ok(txs > 20, `${txs} transactions scanned`);
    const events = await client.write('screening_events', { limit: 500 }, operator());
    const texts = [...logLines, ...hooks.map((h) => h.body), JSON.stringify(events), ...errors];
    assert.ok(logLines.length > 5 && hooks.length > 5 && events.length > 10);
    for (const t of texts) for (const n of NEEDLES) assert.ok(!t.toLowerCase().includes(n.toLowerCase()), `personal data in: ${t.slice(0, 200)}`);
    // At rest: the profiles are sealed (the database and its WAL hold no holder's name or birth date in the clear).
    const files = (d: string): string[] => readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? files(join(d, f)) : [join(d, f)]));
    for (const f of files(dataDir).filter((f) => /node\.db/.test(f))) {
      const bytes = readFileSync(f);
      for (const n of ['Aleksandr Petrovich Volkov', '1971-04-02']) assert.ok(!bytes.includes(Buffer.from(n)), `${f} holds personal data in the clear`);
    }
  });
});
