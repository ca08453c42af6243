// Hosted ZK issuers in the node's database (src/zk/hosted-issuer.ts over ZkIssuersRepo), on both engines; then two
// replicas (two engines, two HostedIssuers, one PostgreSQL database) writing for one issuer at once.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { privateKeyFromSeed, publicKey } from '../../crypto/eddsa.js';
import { Network, identityState, CLAIMS_TREE_DEPTH, REVOCATIONS_TREE_DEPTH } from '../../identity/index.js';
import { MemoryStore, SparseMerkleTree, verifyProof } from '../../smt/index.js';
import { HostedIssuers, type HostedClaimInput } from '../../zk/hosted-issuer.js';
import { ZkError } from '../../zk/types.js';
import { openRepos, type Repos } from './index.js';
import { engines, forEachEngine } from './test-engines.js';

const key = (i: number) => publicKey(privateKeyFromSeed(new Uint8Array(32).fill(i + 1)));
const field = () => BigInt(`0x${randomBytes(31).toString('hex')}`);
let nonce = 1000n;
const claim = (holder = 'holder-1', applicationId?: string): HostedClaimInput => ({
  indexHash: field(), valueHash: field(), revocationNonce: nonce++, holder, delivery: '{"sealed":true}', ...(applicationId ? { applicationId } : {}),
});
const refusal = (field: string) => (e: unknown) => e instanceof ZkError && e.code === 'BAD_INPUT' && e.message.startsWith(`${field}:`);

forEachEngine((engine) => describe(`hosted ZK issuers on ${engine.name}`, () => {
  const opened: Repos[] = [];
  after(async () => { for (const r of opened) await r.close().catch(() => {}); });
  const open = async (config?: Awaited<ReturnType<typeof engine.config>>) => {
    const r = await openRepos(config ?? await engine.config());
    opened.push(r);
    return r;
  };

  it('register, issue, revoke: states, proofs and refusals from the rows; a reopened node rebuilds the same trees', async () => {
    const config = await engine.config();
    const issuers = new HostedIssuers((await open(config)).zkIssuers);
    const address = '0x00000000000000000000000000000000000000AA';
    const { record, created } = await issuers.register({ address, keys: [key(0), key(1)], network: Network.Test });
    assert.equal(created, true);
    assert.deepEqual(await issuers.register({ address, keys: [key(0), key(1)], network: Network.Test }), { record, created: false });
    await assert.rejects(issuers.register({ address, keys: [key(2)], network: Network.Test }), refusal('address'));
    await assert.rejects(issuers.register({ address: '0x00000000000000000000000000000000000000bb', keys: [key(0), key(1)], network: Network.Test }), refusal('keys'));
    assert.deepEqual(await issuers.byAddress(address.toLowerCase()), record);
    const genesis = await issuers.current(record.id);
    assert.equal(genesis.seq, 0);
    assert.equal(genesis.state, record.genesisState);

    const batch = [claim('h1', 'app-1'), claim('h1', 'app-1'), claim('h2')];
    const s1 = await issuers.issue(record.id, batch);
    assert.equal(s1.seq, 1);
    assert.equal(s1.state, identityState(s1.roots));
    // A refused batch writes nothing, and the next one still builds on s1.
    await assert.rejects(issuers.issue(record.id, [claim(), { ...claim(), indexHash: batch[0]!.indexHash }]), refusal('claims.1.indexHash'));
    await assert.rejects(issuers.issue(record.id, [{ ...claim(), revocationNonce: batch[1]!.revocationNonce }]), refusal('claims.0.revocationNonce'));
    await assert.rejects(issuers.revoke(record.id, [batch[2]!.revocationNonce, batch[2]!.revocationNonce]), refusal('nonces.1'));
    assert.equal((await issuers.current(record.id)).seq, 1);
    const s2 = await issuers.revoke(record.id, [batch[2]!.revocationNonce]);
    await assert.rejects(issuers.revoke(record.id, [batch[2]!.revocationNonce]), refusal('nonces.0'));
    await assert.rejects(issuers.issue(record.id, [{ ...claim(), revocationNonce: batch[2]!.revocationNonce }]), refusal('claims.0.revocationNonce'));
    const late = claim('h2');
    const s3 = await issuers.issue(record.id, [late]);
    assert.deepEqual([s2.seq, s3.seq], [2, 3]);

    assert.deepEqual((await issuers.claimsOfHolder('h1')).map((c) => [c.indexHash, c.issuedSeq, c.applicationId]), [batch[0], batch[1]]
      .sort((a, b) => (String(a.indexHash) < String(b.indexHash) ? -1 : 1)).map((c) => [c.indexHash, 1, 'app-1']));
    assert.equal((await issuers.claimsOfApplication(record.id, 'app-1')).length, 2);
    assert.equal(await issuers.isRevoked(record.id, batch[2]!.revocationNonce), true);
    assert.deepEqual(await issuers.revokedAt(record.id, s1), []);
    assert.deepEqual(await issuers.revokedAt(record.id, s3), [batch[2]!.revocationNonce]);
    assert.deepEqual(await issuers.stateOf(record.id, s2.state), s2);

    // Proofs at an older state and at the latest, from this process and from a fresh one on the same database.
    const check = async (h: HostedIssuers) => {
      assert.ok(verifyProof(s1.roots.claims, batch[0]!.indexHash, batch[0]!.valueHash, await h.proveClaim(record.id, batch[0]!.indexHash, s1)));
      assert.ok(verifyProof(s3.roots.claims, late.indexHash, late.valueHash, await h.proveClaim(record.id, late.indexHash, s3)));
      assert.ok(verifyProof(s3.roots.claims, batch[2]!.indexHash, batch[2]!.valueHash, await h.proveClaim(record.id, batch[2]!.indexHash, s3)));
    };
    await check(issuers);
    const reopened = await open(config);
    await check(new HostedIssuers(reopened.zkIssuers));
    // A fresh process loads the stored nodes, and notices when a state's are missing.
    await reopened.db.deleteFrom('zk_hosted_nodes').where('seq', '=', 3).where('tree', '=', 'claims').execute();
    await assert.rejects(new HostedIssuers(reopened.zkIssuers).proveClaim(record.id, late.indexHash, s3), /stored nodes of state 3 miss its claims root/);
  });
}));

const postgres = engines.find((e) => e.name === 'postgres');
if (postgres) describe('hosted ZK issuers shared by two replicas on one PostgreSQL', () => {
  const opened: Repos[] = [];
  after(async () => { for (const r of opened) await r.close().catch(() => {}); });

  it('both write for one issuer at once: every batch lands once, in turn; each replica serves proofs of the other\'s claims', async () => {
    const config = await postgres.config();
    const [a, b] = await Promise.all([openRepos(config), openRepos(config)]);
    opened.push(a!, b!);
    const replicas = [new HostedIssuers(a!.zkIssuers), new HostedIssuers(b!.zkIssuers)];
    const keys = [key(7)];
    const address = '0x00000000000000000000000000000000000000cc';
    // Registered by both at once: one identity, created once.
    const registered = await Promise.all(replicas.map((r) => r.register({ address, keys, network: Network.Main })));
    assert.deepEqual(registered.map((r) => r.created).sort(), [false, true]);
    const id = registered[0]!.record.id;

    const batches = Array.from({ length: 12 }, (_, i) => [claim(`holder-${i % 3}`), claim(`holder-${i % 3}`)]);
    const states = await Promise.all(batches.map((batch, i) => replicas[i % 2]!.issue(id, batch)));
    assert.deepEqual(states.map((s) => s.seq).sort((x, y) => x - y), Array.from({ length: 12 }, (_, i) => i + 1), 'one state per batch, no seq twice');
    const revoked = [batches[0]![0]!.revocationNonce, batches[5]![1]!.revocationNonce];
    const [r1, r2] = await Promise.all([replicas[0]!.revoke(id, [revoked[0]!]), replicas[1]!.revoke(id, [revoked[1]!])]);
    assert.deepEqual([r1!.seq, r2!.seq].sort(), [13, 14]);

    // The latest state's roots are those of the trees of every leaf, built independently.
    const latest = await replicas[0]!.current(id);
    assert.equal(latest.seq, 14);
    const claims = SparseMerkleTree.open(new MemoryStore(), { maxDepth: CLAIMS_TREE_DEPTH });
    claims.batch(batches.flat().map((c) => ({ op: 'insert' as const, key: c.indexHash, value: c.valueHash })));
    const revocations = SparseMerkleTree.open(new MemoryStore(), { maxDepth: REVOCATIONS_TREE_DEPTH });
    revocations.batch(revoked.map((n) => ({ op: 'insert' as const, key: n, value: 0n })));
    assert.deepEqual([latest.roots.claims, latest.roots.revocations], [claims.root, revocations.root]);

    // Either replica proves any claim, whichever replica issued it, at the latest state and at the one that added it.
    for (const [i, batch] of batches.entries()) {
      for (const [j, r] of replicas.entries()) {
        const c = batch[j]!;
        assert.ok(verifyProof(latest.roots.claims, c.indexHash, c.valueHash, await r.proveClaim(id, c.indexHash, latest)), `batch ${i} on replica ${j}`);
        assert.ok(verifyProof(states[i]!.roots.claims, c.indexHash, c.valueHash, await r.proveClaim(id, c.indexHash, states[i]!)));
      }
    }
    assert.deepEqual(new Set(await replicas[1]!.revokedAt(id, latest)), new Set(revoked));
    assert.equal((await replicas[1]!.claimsOfHolder('holder-1')).length, 8);
  });
});
