// kill -9 of a node running the screening service in the middle of a case's actions (two revocations and a freeze,
// sent by the `screening.actions` job): after the restart the plan finishes, and on the chain each action happened
// exactly once (the step in flight reads the chain before sending, so a repeat sends nothing).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicClient, http, toFunctionSelector, type Address, type Hex } from 'viem';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { spawnNode } from '../test-helpers.js';
import { MasqueClient, signClaim } from '../../sdk/index.js';
import { Keystore } from '../../wallet/keystore.js';

const children: ChildProcess[] = [];
const dataDir = mkdtempSync(join(tmpdir(), 'masque-compliance-crash-'));
const exited = (c: ChildProcess) => new Promise<void>((r) => (c.exitCode !== null || c.signalCode !== null ? r() : c.once('exit', () => r())));
const b64 = (s: string) => Buffer.from(s).toString('base64');
const PEP = (extra: object[] = []) => [{ format: 'masque-pep/1' }, { id: 'fr-1', name: 'Jean-Pierre Testard', country: 'FR' }, ...extra].map((l) => JSON.stringify(l)).join('\n');

after(async () => {
  // SIGTERM, not SIGKILL: a node killed with -9 leaves its embedded anvil running (the next start in the same data
  // directory would kill it by its pid file; after the last test there is no next start).
  const live = children.filter((c) => c.exitCode === null && c.signalCode === null);
  for (const c of live) c.kill('SIGTERM');
  const stuck = setTimeout(() => { for (const c of live) c.kill('SIGKILL'); }, 20_000);
  await Promise.all(live.map(exited));
  clearTimeout(stuck);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('continuous compliance under kill -9', { timeout: 600_000 }, () => {
  it('a case cut mid-action finishes after the restart, each revocation and freeze on chain once', async () => {
    const kyc = privateKeyToAccount(generatePrivateKey());
    const investor = privateKeyToAccount(generatePrivateKey());
    writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ issuers: [{ name: 'kyc', signer: kyc.address, topics: [1] }], screening: { tickSeconds: 1 } }));
    const env = { MASQUE_SCREENING: 'on' };
    let { child, url } = await spawnNode(dataDir, env, children);
    let client = new MasqueClient(url);
    const keysDir = join(dataDir, 'screening', 'keys');
    const operator = (await new Keystore(keysDir).unlock('operator', readFileSync(join(keysDir, 'operator.passphrase'), 'utf8').trim())).account;
    const info = await client.rpc.node_info({});
    const issuer = info.issuers.screening!.address as Address;
    const token = info.contracts.token as Address;
    await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(PEP()) }] }, operator);
    const { identity } = await client.rpc.token_predictInvestorIdentity({ wallet: investor.address });
    const now = Math.floor(Date.now() / 1000);
    const documentHash = `0x${'42'.repeat(32)}` as Hex;
    const { signature } = await signClaim(kyc, { chainId: info.chainId, issuer: info.issuers.kyc!.address as Address, identity: identity as Address, topic: 1n, documentHash, issuedAt: BigInt(now - 5), expiresAt: BigInt(now + 300 * 86_400) });
    await client.write('token_onboardInvestor', { wallet: investor.address, country: 250, claims: [{ topic: 1, issuer: info.issuers.kyc!.address as Address, documentHash, issuedAt: now - 5, expiresAt: now + 300 * 86_400, signature }] }, investor);
    const r = await client.write('screening_submitProfile', { identity: identity as Address, profile: { names: ['Aleksandr Petrovich Volkov'], wallets: [investor.address] } }, kyc);
    assert.deepEqual(r.screening.claimsIssued, [2, 4, 7]);

    // The list names the holder; the first revocation is the signal to kill the node.
    await client.write('screening_importList', { source: 'masque-pep', files: [{ name: 'pep.jsonl', data: b64(PEP([{ id: 'ru-77', name: 'Александр Петрович Волков', country: 'RU' }])) }] }, operator);
    let ev: { type: string }[] = [];
    while (!ev.some((e) => e.type === 'claim.revoked')) {
      await new Promise((res) => setTimeout(res, 20));
      ev = await client.write('screening_events', { limit: 500 }, operator);
    }
    child.kill('SIGKILL');
    // Cut mid-plan: the case's actions had not all run (a freeze and the end of the plan were still ahead).
    assert.ok(!ev.some((e) => e.type === 'case.actioned'), 'the kill came after the whole plan');
    await exited(child);

    ({ child, url } = await spawnNode(dataDir, env, children));
    client = new MasqueClient(url);
    // The job's lease (30 s) expires, the restarted worker takes it and finishes the plan.
    const acted = await (async () => {
      for (const t0 = Date.now(); Date.now() - t0 < 120_000;) {
        const l = await client.write('screening_listCases', {}, operator);
        if (l.cases[0]?.actionState === 'acted') return l.cases[0];
        await new Promise((res) => setTimeout(res, 500));
      }
      assert.fail('the case was not finished after the restart');
    })();
    assert.deepEqual(acted.topics, [2, 7]);
    const full = await client.write('screening_getCase', { caseId: acted.caseId }, operator);
    assert.ok(full.actions.every((a) => a.status === 'done' || a.status === 'skipped'));
    assert.equal((await client.rpc.id_verifyClaim({ identity: identity as Address, topic: 7 })).state, 'revoked');
    assert.equal((await client.rpc.id_verifyClaim({ identity: identity as Address, topic: 2 })).state, 'revoked');
    assert.equal((await client.rpc.id_verifyClaim({ identity: identity as Address, topic: 4 })).state, 'valid');
    assert.equal((await client.rpc.token_canTransfer({ from: investor.address, to: investor.address, amount: '0' })).name, 'SENDER_FROZEN');

    // On the chain: two signed revocations at the issuer, one signed freeze at the token, no more.
    const pc = createPublicClient({ transport: http(url) });
    const executeSigned = toFunctionSelector('executeSigned(address,uint256,bytes,uint256,uint256,bytes)');
    const signedCall = toFunctionSelector('executeSigned(bytes,uint256,uint256,bytes)');
    const setAddressFrozen = toFunctionSelector('setAddressFrozen(address,bool)');
    let revocations = 0;
    let freezes = 0;
    const head = await pc.getBlockNumber();
    for (let n = 1n; n <= head; n++) {
      const block = await pc.getBlock({ blockNumber: n, includeTransactions: true });
      for (const tx of block.transactions) {
        if (tx.to?.toLowerCase() === issuer.toLowerCase() && tx.input.startsWith(executeSigned)) revocations++;
        // The token's owner also grants the operator FREEZER by a signed call at start: count only the freezes.
        if (tx.to?.toLowerCase() === token.toLowerCase() && tx.input.startsWith(signedCall) && tx.input.includes(setAddressFrozen.slice(2))) freezes++;
      }
    }
    assert.equal(revocations, 2);
    assert.equal(freezes, 1);
  });
});
