// The service's pure parts and its tables: profiles (validation errors name the field, never the value; sealed at
// rest, bound to their row), the judge over a list set, the reverse index of profiles for delta screens, and the
// repository's check-and-write rules (one case per holder/entry/content, transitions from the status read only).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { importList, pepJsonlImporter } from '../../screening/index.js';
import { openRepos, type Repos } from '../db/index.js';
import { forEachEngine } from '../db/test-engines.js';
import { ProfileError, openProfile, parseProfile, profileCommitment, profileFromDocument, profileQuery, sealProfile } from './profile.js';
import { ListSet, ProfileIndex, evidenceRecord, judge } from './screen.js';
import { signDelivery, verifyHmacSignature } from './webhooks.js';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import { verifyMessage } from 'viem';

const KEY = new Uint8Array(32).fill(7);
const pepFile = (lines: object[]) => ({ name: 'pep.jsonl', data: [{ format: 'masque-pep/1', publishedAt: '2026-11-01' }, ...lines].map((l) => JSON.stringify(l)).join('\n') });
const testova = { id: 'ru-9', name: 'Мария Ивановна Тестова', birthDate: '1970', country: 'RU', position: 'Deputy Governor' };

describe('screening profiles', () => {
  it('refuses bad input naming the field, never quoting the value', () => {
    try {
      parseProfile({ names: ['Secret Person'], birthDate: '12/31/1970' });
      assert.fail('accepted');
    } catch (e) {
      assert.ok(e instanceof ProfileError);
      assert.equal(e.field, 'profile.birthDate');
      assert.ok(!e.message.includes('12/31/1970') && !e.message.includes('Secret'));
    }
    assert.throws(() => parseProfile({ names: [] }), (e: ProfileError) => e.field === 'profile.names');
    assert.throws(() => parseProfile({ names: ['A'], country: 'Atlantis' }), (e: ProfileError) => e.field === 'profile.country' && !e.message.includes('Atlantis'));
  });

  it('reads the usual KYC document fields', () => {
    const p = profileFromDocument({ fullName: 'Maria Testova', aliases: ['Mariya Ivanovna Testova'], dateOfBirth: '1970-02-03', nationality: 'Russia', passportNumber: 'X1' });
    assert.deepEqual(p.names, ['Maria Testova', 'Mariya Ivanovna Testova']);
    assert.deepEqual(p.nationalities, ['RU']);
    assert.equal(p.birthDate, '1970-02-03');
  });

  it('seals a profile to its row: another identity or chain cannot open it', () => {
    const p = parseProfile({ names: ['Maria Testova'] });
    const box = sealProfile(KEY, 31337, '0xAbC', p);
    assert.ok(!box.includes(Buffer.from('Testova')));
    assert.deepEqual(openProfile(KEY, 31337, '0xabc', box), p);
    assert.throws(() => openProfile(KEY, 31337, '0xabd', box));
    assert.throws(() => openProfile(KEY, 1, '0xabc', box));
    const c1 = profileCommitment(KEY, '0xabc', p);
    assert.match(c1, /^0x[0-9a-f]{64}$/);
    assert.notEqual(c1, profileCommitment(KEY, '0xabd', p));
  });
});

describe('webhook signatures', () => {
  const operator = privateKeyToAccount(generatePrivateKey());
  const body = JSON.stringify({ type: 'wallet.frozen', identity: '0xabc' });

  it('hmac-sha256 over timestamp.body: the receiver checks it, a stale or altered delivery fails', async () => {
    const w = { id: 'fa', url: 'http://127.0.0.1:1/x', signing: 'hmac-sha256' as const, secret: 'a-secret-of-sixteen-chars' };
    const d = await signDelivery(w, operator, 'masque-screening:1:7', body, 1_000_000);
    assert.equal(d.headers['idempotency-key'], 'masque-screening:1:7');
    assert.equal(verifyHmacSignature(w.secret, d.headers['x-masque-signature']!, body, 300, 1_000_100), true);
    assert.equal(verifyHmacSignature(w.secret, d.headers['x-masque-signature']!, `${body} `, 300, 1_000_100), false);
    assert.equal(verifyHmacSignature(w.secret, d.headers['x-masque-signature']!, body, 300, 1_001_000), false, 'stale');
  });

  it('eip191 by the operator key: the receiver recovers the operator address', async () => {
    const d = await signDelivery({ id: 'fa', url: 'http://127.0.0.1:1/x', signing: 'eip191' }, operator, 'k', body, 1_000_000);
    const m = /^t=(\d+),eip191=(0x[0-9a-f]+)$/.exec(d.headers['x-masque-signature']!)!;
    assert.equal(d.headers['x-masque-signer'], operator.address);
    assert.equal(await verifyMessage({ address: operator.address, message: `${m[1]}.${body}`, signature: m[2] as `0x${string}` }), true);
  });
});

describe('screening judge and delta candidates', () => {
  const lists = new ListSet([importList(pepJsonlImporter, [pepFile([testova])])]);
  const holder = profileQuery(parseProfile({ names: ['Maria Ivanovna Testova'], birthDate: '1970-05-01' }));
  const stranger = profileQuery(parseProfile({ names: ['Jonathan Applebaum'] }));

  it('a transliterated name hits the PEP topic only; a stranger is clear', () => {
    const r = judge(lists.matches(holder), lists, { review: 0.8, autoAction: 0.95 }, [2, 4, 7], () => false);
    assert.ok(r.hits.length >= 1, `best ${r.bestScore}`);
    assert.equal(r.hits[0]!.entity.id, 'masque-pep:ru-9');
    assert.equal(r.topics['7'], 'hit');
    assert.equal(r.topics['4'], 'clear');
    assert.equal(r.topics['2'], 'hit');
    const clear = judge(lists.matches(stranger), lists, { review: 0.8, autoAction: 0.95 }, [2, 4, 7], () => false);
    assert.equal(clear.decision, 'clear');
    // A dismissed pair is suppressed: recorded, no action.
    const s = judge(lists.matches(holder), lists, { review: 0.8, autoAction: 0.95 }, [2, 4, 7], () => true);
    assert.equal(s.decision, 'suppressed');
    assert.equal(s.topics['7'], 'clear');
    const { record, leaf } = evidenceRecord({ chainId: 31337, identity: '0xABC', profileCommitment: `0x${'11'.repeat(32)}`, kind: 'full', screenedAt: new Date(0), lists, thresholds: { review: 0.8, autoAction: 0.95 }, result: r });
    assert.equal(record.identity, '0xabc');
    assert.match(leaf, /^0x[0-9a-f]{64}$/);
    assert.ok(!JSON.stringify(record).includes('Testova'), 'no personal data in evidence');
  });

  it('the profile index finds the holders a changed entry could match, and only those', () => {
    const idx = new ProfileIndex();
    idx.add('0x01', holder);
    idx.add('0x02', stranger);
    const version = importList(pepJsonlImporter, [pepFile([testova])]);
    assert.deepEqual([...idx.candidates(version.entries)], ['0x01']);
  });
});

forEachEngine((engine) => describe(`screening tables on ${engine.name}`, () => {
  let repos: Repos;
  before(async () => {
    repos = await openRepos(await engine.config());
  });
  after(async () => {
    await repos.close();
  });

  it('moves a list head only from the head it was read at', async () => {
    const v = (hash: string) => ({ hash, source: 'masque-pep', publishedAt: null, importedAt: 1, entryCount: 1, files: [], warnings: [], content: Buffer.from('x') });
    assert.equal(await repos.screening.putListVersion(v('sha256:a'), null), 'stored');
    assert.equal(await repos.screening.putListVersion(v('sha256:a'), null), 'unchanged');
    assert.equal(await repos.screening.putListVersion(v('sha256:b'), null), 'conflict');
    assert.equal(await repos.screening.putListVersion(v('sha256:b'), 'sha256:a'), 'stored');
    assert.deepEqual((await repos.screening.listHeads()).map((h) => h.hash), ['sha256:b']);
  });

  it('opens one case per holder and entry content, and moves it only from the status it was read in', async () => {
    const c = { id: 'case-1', identity: '0xAA', entityId: 'masque-pep:ru-9', entityHash: 'sha256:1', source: 'masque-pep', listHash: 'sha256:b', score: 0.97, topics: [2, 7], auto: true, detail: Buffer.from([1]), runId: null };
    assert.equal((await repos.screening.openCase(c, 'service')).created, true);
    const again = await repos.screening.openCase({ ...c, id: 'case-2' }, 'service');
    assert.equal(again.created, false);
    assert.equal(again.case.id, 'case-1');
    assert.equal((await repos.screening.openCase({ ...c, id: 'case-3', entityHash: 'sha256:2' }, 'service')).created, true);
    assert.equal(await repos.screening.transitionCase('case-1', 'triggered', 'under_review', '0xA1', null, false), true);
    assert.equal(await repos.screening.transitionCase('case-1', 'triggered', 'dismissed', '0xA1', 'same person?', true), false);
    assert.equal(await repos.screening.transitionCase('case-1', 'under_review', 'dismissed', '0xA1', 'different birth date', true), true);
    const got = (await repos.screening.getCase('case-1'))!;
    assert.equal(got.status, 'dismissed');
    assert.equal(got.decidedBy, '0xa1');
    assert.equal(got.score, 0.97);
    assert.deepEqual((await repos.screening.caseHistory('case-1')).map((e) => e.toStatus), ['triggered', 'under_review', 'dismissed']);
    assert.equal(await repos.screening.assignCase('case-1', '0xA2', '0xA1'), false, 'a decided case is not assignable');
  });
}));
