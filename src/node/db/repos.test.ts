// The repositories on every engine (SQLite file, real PostgreSQL server): same calls, same answers.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { openRepos, migrations, type Repos } from './index.js';
import { forEachEngine } from './test-engines.js';
import { IssuerNameTakenError } from './meta.js';

forEachEngine((engine) => describe(`repositories on ${engine.name}`, () => {
  const opened: Repos[] = [];
  const open = async (config?: Awaited<ReturnType<typeof engine.config>>) => {
    const r = await openRepos(config ?? (await engine.config()));
    opened.push(r);
    return r;
  };
  after(async () => { for (const r of opened) await r.close().catch(() => {}); });

  it('KYC: pending -> approved once, history kept, survives reopen', async () => {
    const config = await engine.config();
    let repos = await open(config);
    const id = '00000000-0000-4000-8000-000000000001';
    await repos.kyc.create({ id, identity: '0xAA', wallet: '0xBB', topic: 1, issuer: '0xCC', cid: 'bafk', documentHash: '0x01' }, '0xBB');
    assert.equal(await repos.kyc.decide(id, { status: 'approved', actor: '0xDD', claimId: '0x02', txHash: '0x03' }), true);
    assert.equal(await repos.kyc.decide(id, { status: 'rejected', actor: '0xDD', reason: 'late' }), false);
    await repos.close();
    repos = await open(config);
    const a = (await repos.kyc.get(id))!;
    assert.deepEqual({ ...a, createdAt: 0, updatedAt: 0 }, {
      id, identity: '0xaa', wallet: '0xbb', topic: 1, issuer: '0xcc', status: 'approved', cid: 'bafk', documentHash: '0x01', reason: null,
      claimId: '0x02', txHash: '0x03', createdAt: 0, updatedAt: 0,
    });
    assert.equal(typeof a.createdAt, 'number');
    assert.deepEqual((await repos.kyc.history(id)).map((h) => [h.status, h.actor]), [['pending', '0xbb'], ['approved', '0xdd']]);
    assert.deepEqual((await repos.kyc.byIdentity('0xaA')).map((r) => r.id), [id]);
  });

  it('migrations: applied once, recorded, a second open changes nothing', async () => {
    const config = await engine.config();
    const first = await open(config);
    const ids = (await first.db.selectFrom('schema_migrations').select('id').orderBy('id').execute()).map((r) => r.id);
    assert.deepEqual(ids, migrations.map((m) => m.id));
    await first.close();
    const again = await open(config);
    assert.equal((await again.db.selectFrom('schema_migrations').select((e) => e.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, ids.length);
  });

  it('replicas starting together on one database apply the migrations once', async () => {
    const config = await engine.config();
    const replicas = await Promise.all(Array.from({ length: engine.name === 'postgres' ? 4 : 1 }, () => open(config)));
    const rows = await replicas[0]!.db.selectFrom('schema_migrations').select('id').execute();
    assert.equal(rows.length, migrations.length);
  });

  it('check-and-write is one statement: concurrent decisions, nonces and nullifiers each win once', async () => {
    const repos = await open();
    const id = '00000000-0000-4000-8000-000000000002';
    await repos.kyc.create({ id, identity: '0xa1', wallet: '0xb1', topic: 1, issuer: '0xc1', cid: 'bafk2', documentHash: '0x02' }, '0xb1');
    const decisions = await Promise.all(Array.from({ length: 8 }, (_, i) => repos.kyc.decide(id, { status: i % 2 ? 'approved' : 'rejected', actor: `0x${i}` })));
    assert.equal(decisions.filter(Boolean).length, 1);
    assert.equal((await repos.kyc.history(id)).length, 2);
    const nonces = await Promise.all(Array.from({ length: 8 }, (_, i) => repos.meta.spendNonce(i % 2 ? '0xAB' : '0xab', '0x01')));
    assert.equal(nonces.filter(Boolean).length, 1);
    const big = 2n ** 250n + 7n; // field elements beyond 64 bits round-trip exactly
    const nullifiers = await Promise.all(Array.from({ length: 8 }, () => repos.zk.addNullifier(5n, big, big + 1n)));
    assert.equal(nullifiers.filter(Boolean).length, 1);
    assert.equal(await repos.zk.hasNullifier(5n, big, big + 1n), true);
    assert.equal(await repos.zk.hasNullifier(6n, big, big + 1n), false, 'per verifier');
    assert.equal(await repos.zk.countNullifiers(5n, big), 1);
    const store = repos.zk.nullifierStore(7n);
    assert.equal(await store.add(1n, 2n), true);
    assert.equal(await store.add(1n, 2n), false);
  });

  it('UCAN invocations: spent once per (issuer, nonce), concurrently too; expired ones forgotten', async () => {
    const repos = await open();
    const inv = (issuer: string, nonce: number, expiration = Math.floor(Date.now() / 1000) + 300) => ({ issuer, nonce: Uint8Array.of(nonce, 1, 2), cid: `bafy${nonce}`, expiration });
    const spent = await Promise.all(Array.from({ length: 8 }, () => repos.ucanInvocations.spend(inv('did:key:a', 1))));
    assert.equal(spent.filter(Boolean).length, 1);
    assert.equal(await repos.ucanInvocations.spend(inv('did:key:b', 1)), true, 'nonces are per issuer');
    assert.equal(await repos.ucanInvocations.spend(inv('did:key:a', 2, Math.floor(Date.now() / 1000) - 1)), true);
    assert.equal(await repos.ucanInvocations.count(), 3);
    assert.equal(await repos.ucanInvocations.prune(Date.now()), 1, 'the expired row is forgotten');
    assert.equal(await repos.ucanInvocations.count(), 2);
    assert.equal(await repos.ucanInvocations.spend(inv('did:key:a', 1)), false, 'an unexpired one still refuses its replay');
  });

  it('a transaction commits all or nothing', async () => {
    const repos = await open();
    await assert.rejects(repos.transaction(async (tx) => {
      await tx.documents.putDocument({ cid: 'bafk3', digest: '0x03', size: 3, mediaType: 'text/plain' });
      await tx.documents.putEnvelope({ ref: '0xEE', cid: 'bafk3', recipient: 'did:key:z', envelope: '{}' });
      throw new Error('after the writes');
    }), /after the writes/);
    assert.equal(await repos.documents.document('bafk3'), undefined);
    assert.equal(await repos.documents.envelope('0xee'), undefined);
    // A foreign key refused inside rolls back the rest.
    await assert.rejects(repos.transaction(async (tx) => {
      await tx.documents.putDocument({ cid: 'bafk4', digest: '0x04', size: 4, mediaType: 'text/plain' });
      await tx.documents.putEnvelope({ ref: '0xef', cid: 'no-such-document', recipient: 'did:key:z', envelope: '{}' });
    }));
    assert.equal(await repos.documents.document('bafk4'), undefined);
    await repos.transaction(async (tx) => {
      await tx.documents.putDocument({ cid: 'bafk5', digest: '0x05', size: 2 ** 40, mediaType: 'text/plain' });
      await tx.documents.putEnvelope({ ref: '0xF0', cid: 'bafk5', recipient: 'did:key:z', envelope: '{"a":1}' });
    });
    assert.equal((await repos.documents.document('bafk5'))!.size, 2 ** 40);
    assert.deepEqual((await repos.documents.envelopesOf('bafk5')).map((e) => e.ref), ['0xf0']);
  });

  it('grants, pending revocations, UCAN records, identities and meta', async () => {
    const repos = await open();
    const g = { identity: '0xI', topic: 1, verifier: '0xV', verifierKey: 'did:key:v', envelopeRef: '0xR', cid: 'bafk', expiresAt: 0, txHash: '0x01' };
    await repos.grants.put(g);
    await repos.grants.revoke('0xi', 1, '0xv', null);
    let row = (await repos.grants.get('0xI', 1, '0xV'))!;
    assert.deepEqual([row.status, row.txHash, typeof row.revokedAt], ['revoked', '0x01', 'number']);
    await repos.grants.put({ ...g, txHash: '0x02' });
    row = (await repos.grants.get('0xi', 1, '0xv'))!;
    assert.deepEqual([row.status, row.txHash, row.envelopeRef], ['active', '0x02', '0xr']);
    assert.notEqual(row.revokedAt, null, 'revoked_at kept across a re-grant');
    assert.equal((await repos.grants.list('0xi')).length, 1);
    await repos.grants.beginRevocation('0xI', 1, '0xV', ['c1', 'c2'], 123);
    await repos.grants.beginRevocation('0xI', 1, '0xV', ['c1', 'c2', 'c3'], 124);
    assert.deepEqual((await repos.grants.pendingRevocations()).map((p) => [p.identity, p.cids, p.grantedAt]), [['0xi', ['c1', 'c2', 'c3'], 124]]);
    await repos.grants.endRevocation('0xi', 1, '0xv');
    assert.equal((await repos.grants.pendingRevocations()).length, 0);

    await repos.ucan.markSeen('0xI', 1, '0xV', ['c1', 'c2']);
    await repos.ucan.markSeen('0xi', 1, '0xv', ['c2', 'c3']);
    assert.deepEqual((await repos.ucan.seen('0xi', 1, '0xv')).sort(), ['c1', 'c2', 'c3']);
    await repos.ucan.revoke('c1');
    await repos.ucan.revoke('c1');
    assert.deepEqual([await repos.ucan.isRevoked('c1'), await repos.ucan.isRevoked('c2')], [true, false]);

    await repos.identities.put({ wallet: '0xW', identity: '0xID', salt: '0x00', txHash: null });
    await repos.identities.put({ wallet: '0xw', identity: '0xid', salt: '0x00', txHash: '0x09' });
    await repos.identities.put({ wallet: '0xw', identity: '0xid', salt: '0x00', txHash: null });
    assert.equal((await repos.identities.byIdentity('0xId'))!.txHash, '0x09', 'a retry without a hash keeps the known one');
    assert.equal(await repos.identities.count(), 1);

    assert.equal(await repos.meta.spendNonce('0xS', '0xN1'), true);
    await repos.db.updateTable('auth_nonces').set({ used_at: 1000 }).where('nonce', '=', '0xn1').execute();
    assert.equal(await repos.meta.spendNonce('0xS', '0xN2'), true);
    assert.equal(await repos.meta.pruneNonces(2000), 1, 'only the old nonce is forgotten');
    assert.equal(await repos.meta.spendNonce('0xS', '0xN2'), false, 'a recent one still refuses its replay');

    await repos.meta.set('deployment', { a: 1 });
    await repos.meta.set('deployment', { a: 2 });
    assert.deepEqual(await repos.meta.get('deployment'), { a: 2 });
    await repos.meta.putIssuer({ address: '0xA', name: 'kyc', signer: '0xS', topics: [1, 2] });
    await repos.meta.putIssuer({ address: '0xa', name: 'kyc2', signer: '0xS', topics: [3] });
    assert.deepEqual((await repos.meta.issuers()).map((i) => [i.address, i.name, i.topics]), [['0xa', 'kyc2', [3]]]);
  });
  it('issuer names: unique across replicas (reservations, then the unique index), a stale reservation taken over', async () => {
    const config = await engine.config();
    const first = await open(config);
    const replicas = engine.name === 'postgres' ? [first, await open(config), await open(config)] : [first, first, first];
    const stale = () => Date.now() - 60_000;
    // Three registrations of one name at once: one reservation.
    const got = await Promise.all(replicas.map((r, i) => r.meta.reserveIssuerName('acme', `0xS${i}`, stale())));
    assert.equal(got.filter(Boolean).length, 1, `${got}`);
    assert.equal(await replicas[1]!.meta.reserveIssuerName('acme', '0xS9', stale()), false, 'held');
    await replicas[0]!.meta.putIssuer({ address: '0xAC', name: 'acme', signer: '0xS0', topics: [1] });
    await replicas[0]!.meta.releaseIssuerName('acme');
    assert.equal(await replicas[2]!.meta.reserveIssuerName('acme', '0xS2', stale()), false, 'an issuer has the name');
    // Past the reservations, the database refuses a second address under the name, naming the field.
    await assert.rejects(replicas[1]!.meta.putIssuer({ address: '0xBD', name: 'acme', signer: '0xS1', topics: [1] }),
      (e: unknown) => e instanceof IssuerNameTakenError && e.field === 'name' && e.message === 'an issuer named "acme" exists on this node');
    await replicas[1]!.meta.putIssuer({ address: '0xac', name: 'acme', signer: '0xS0', topics: [1, 2] }); // the same issuer: updated
    assert.deepEqual((await first.meta.issuers()).filter((i) => i.name === 'acme').map((i) => [i.address, i.topics]), [['0xac', [1, 2]]]);
    // A reservation whose replica died (never released) is taken over once stale.
    assert.equal(await replicas[0]!.meta.reserveIssuerName('orphan', '0xS0', stale()), true);
    assert.equal(await replicas[1]!.meta.reserveIssuerName('orphan', '0xS1', stale()), false);
    assert.equal(await replicas[1]!.meta.reserveIssuerName('orphan', '0xS1', Date.now() + 1), true, 'stale: taken over');
  });
  it('coordination: relayer nonces handed out in order, once, across replicas; one KYC review lease at a time; exclusive sections', async () => {
    const config = await engine.config();
    // Three replicas (on SQLite one process holds the file: the same repositories).
    const first = await open(config);
    const replicas = engine.name === 'postgres' ? [first, await open(config), await open(config)] : [first, first, first];
    const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
    const take = (r: Repos) => r.transaction(async (tx) => {
      const n = (await tx.coordination.lockNonce('0xRELAYER')) ?? 100;
      await sleep(2); // a send in flight: nobody else may read the same nonce meanwhile
      await tx.coordination.setNonce('0xrelayer', n + 1);
      return n;
    });
    const got = await Promise.all(Array.from({ length: 30 }, (_, i) => take(replicas[i % 3]!)));
    assert.deepEqual([...got].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => 100 + i), 'each nonce once, no gap');
    // A failed send (the transaction rolls back) consumes nothing.
    await assert.rejects(first.transaction(async (tx) => { await tx.coordination.lockNonce('0xrelayer'); throw new Error('reverted in estimation'); }));
    assert.equal(await take(first), 130);

    const wins = await Promise.all(replicas.map((r, i) => r.coordination.takeReview('app-1', `replica-${i}`, 60_000)));
    assert.equal(wins.filter(Boolean).length, 1, 'one reviewer');
    const holder = `replica-${wins.indexOf(true)}`;
    await first.coordination.releaseReview('app-1', 'someone-else');
    assert.equal(await first.coordination.takeReview('app-1', 'late', 60_000), false, 'only the holder releases');
    await first.coordination.releaseReview('app-1', holder);
    assert.equal(await first.coordination.takeReview('app-1', 'late', 1), true, 'free again after release');
    await sleep(5);
    assert.equal(await first.coordination.takeReview('app-1', 'after-a-crash', 60_000), true, 'an expired lease is taken over');

    const order: string[] = [];
    await Promise.all(replicas.map((r, i) => r.exclusive('test:section', async () => {
      order.push(`in${i}`);
      await sleep(20);
      order.push(`out${i}`);
    })));
    for (let i = 0; i < order.length; i += 2) assert.equal(order[i]!.slice(2), order[i + 1]!.slice(3), `sections do not overlap: ${order.join(' ')}`);
  });
}));
