// Issue 16 through the `masque` CLI against a started node: the KYC provider's own report sealed on approval and on
// `claim issue`, the subject listing and opening its documents, an encryption-key rotation (add, rewrap, remove), and
// the regulator story: the investor delegates to its fund administrator and its keystore goes away; the administrator
// grants a regulator who fetches and decrypts the report; revoked, the regulator is refused. Bad params name the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MasqueRpcError } from '../sdk/index.js';
import { startTestNode, type TestNode } from '../node/test-helpers.js';
import { cli } from './main.js';

let t: TestNode;
let home: string;
const keys: Record<string, { address: string; encryptionDid: string }> = {};
let identity: string;

const env = () => ({ ...process.env, MASQUE_NODE_URL: t.node.url, MASQUE_KEYSTORE: join(home, 'keys'), MASQUE_PASSPHRASE: 'correct horse battery staple', MASQUE_SCRYPT_LOG_N: '12' });
const masque = (...args: string[]): Promise<any> => cli(args, env());
const file = (name: string) => join(home, name);

async function badParam(field: string, ...args: string[]): Promise<void> {
  await assert.rejects(masque(...args), (e: unknown) => {
    assert.ok(e instanceof MasqueRpcError, `expected a node refusal, got ${e}`);
    assert.equal(e.code, -32602, e.message);
    assert.equal(e.field, field, e.message);
    return true;
  });
}

const REPORT = 'KYC report\nSubject: Ottoline Quarrendon-Vey\nPassport verified, liveness passed\n';
const RENEWED = `${REPORT}Renewed after the key rotation\n`;

before(async () => {
  t = await startTestNode();
  home = mkdtempSync(join(tmpdir(), 'masque-cli-documents-'));
  for (const [name, privateKey] of [['holder'], ['issuer', t.issuerPrivateKey], ['admin'], ['regulator'], ['stranger']] as const) {
    keys[name] = await masque('keys', 'new', name, ...(privateKey ? ['--private-key', privateKey] : []));
  }
  writeFileSync(file('passport.txt'), 'Passport scan\n');
  writeFileSync(file('report.txt'), REPORT);
  writeFileSync(file('renewed.txt'), RENEWED);
});
after(async () => {
  await t?.stop();
  rmSync(home, { recursive: true, force: true });
});

describe("the issuer's report and the subject's documents", () => {
  it('the KYC approval attaches the report sealed for the subject; the subject lists and opens it', async () => {
    identity = (await masque('identity', 'create', '--as', 'holder', '--country', '276')).identity;
    // No encryption key on the identity yet: a report has nobody to be sealed for.
    const sub = await masque('kyc', 'submit', '--as', 'holder', '--file', file('passport.txt'), '--issuer', 'kyc', '--issuer-key', keys.issuer!.encryptionDid);
    await assert.rejects(masque('kyc', 'review', sub.applicationId, '--as', 'issuer', '--approve', '--report', file('report.txt')), /--report: the subject has no encryption key/);
    await badParam('key', 'rpc', 'id_addEncryptionKey', JSON.stringify({ identity, key: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK' }), '--as', 'holder');
    const added = await masque('documents', 'add-encryption-key', '--as', 'holder');
    assert.equal(added.key, keys.holder!.encryptionDid);
    const approved = await masque('kyc', 'review', sub.applicationId, '--as', 'issuer', '--approve', '--report', file('report.txt'), '--media-type', 'text/plain');
    assert.equal(approved.status, 'approved');
    const [doc] = await masque('documents', 'list', '--as', 'holder');
    assert.deepEqual([doc.topic, doc.mediaType, doc.recipients, doc.mine], [1, 'text/plain', [keys.holder!.encryptionDid], true]);
    assert.equal((await masque('claim', 'show', '--identity', identity, '--topic', '1', '--issuer', 'kyc')).uri, `ipfs://${doc.cid}`);
    await masque('documents', 'open', '--as', 'holder', '--topic', '1', '--out', file('opened.txt'));
    assert.equal(readFileSync(file('opened.txt'), 'utf8'), REPORT);
    await assert.rejects(masque('documents', 'open', '--as', 'holder', '--out', file('x')), /--topic is required/);
    await assert.rejects(masque('documents', 'list', '--as', 'stranger'), /no identity/i);
  });

  it('rotation: a new key in the keystore and on chain, every document re-wrapped here, the old key removed', async () => {
    const before = keys.holder!.encryptionDid;
    const r = await masque('documents', 'add-encryption-key', '--as', 'holder', '--rotate');
    assert.notEqual(r.key, before);
    const rewrapped = await masque('documents', 'rewrap', '--as', 'holder');
    assert.deepEqual(rewrapped.stored.map((s: { topic: number; recipient: string }) => [s.topic, s.recipient]), [[1, r.key]]);
    const removed = await masque('documents', 'remove-encryption-key', '--as', 'holder');
    assert.equal(removed.removed.length, 1);
    assert.equal(removed.kept.length, 1);
    assert.deepEqual((await masque('rpc', 'id_getIdentity', JSON.stringify({ identity }))).encryptionKeys.map((k: { did: string }) => k.did), [r.key]);
    keys.holder!.encryptionDid = r.key;
    // claim issue: the issuer's renewed report, sealed for the current key only.
    await badParam('identity', 'claim', 'issue', '--as', 'issuer', '--identity', '0x000000000000000000000000000000000000dEaD', '--topic', '1');
    const issued = await masque('claim', 'issue', '--as', 'issuer', '--identity', identity, '--topic', '1', '--days', '30', '--report', file('renewed.txt'), '--media-type', 'text/plain');
    assert.match(issued.cid, /^bafkrei/);
    const [doc] = await masque('documents', 'list', '--as', 'holder', '--topic', '1');
    assert.deepEqual([doc.cid, doc.recipients], [issued.cid, [r.key]]);
    await masque('documents', 'open', '--as', 'holder', '--topic', '1', '--out', file('renewed-opened.txt'));
    assert.equal(readFileSync(file('renewed-opened.txt'), 'utf8'), RENEWED);
  });
});

describe('a regulator through the fund administrator, the investor offline', () => {
  let adminIdentity: string;

  it('the investor delegates topic 1 to its administrator, then its keystore goes away', async () => {
    adminIdentity = (await masque('identity', 'create', '--as', 'admin')).identity;
    await masque('documents', 'add-encryption-key', '--as', 'admin');
    // A key that is not the administrator's on-chain encryption key is refused, naming the field.
    await badParam('delegateKey', 'delegation', 'create', '--as', 'holder', '--administrator', keys.admin!.address, '--administrator-key', keys.stranger!.encryptionDid, '--topics', '1');
    await assert.rejects(masque('delegation', 'create', '--as', 'holder', '--administrator', keys.admin!.address, '--administrator-key', keys.admin!.encryptionDid, '--topics', '1', '--days', 'soon'), /--days/);
    const d = await masque('delegation', 'create', '--as', 'holder', '--administrator', keys.admin!.address, '--administrator-key', keys.admin!.encryptionDid, '--topics', '1', '--out', file('root.ucan'));
    assert.deepEqual(d.granted.map((g: { topic: number }) => g.topic), [1]);
    renameSync(join(home, 'keys', 'holder.json'), file('holder-keystore-offline.json'));
    await assert.rejects(masque('documents', 'list', '--as', 'holder'), /no key "holder"/);
  });

  it('the administrator grants the regulator, who fetches and decrypts the report; listing shows who granted what', async () => {
    const shown = await masque('delegation', 'show', '--as', 'admin', '--identity', identity, '--topic', '1');
    assert.deepEqual([shown.mine, shown.onChain], [true, true]);
    await assert.rejects(masque('delegation', 'show', '--as', 'stranger', '--identity', identity, '--topic', '1'), (e: MasqueRpcError) => e.code === -32001);
    await assert.rejects(masque('delegation', 'grant', '--as', 'admin', '--identity', identity, '--topic', '1', '--regulator', keys.regulator!.address,
      '--regulator-key', 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK', '--delegation', `@${file('root.ucan')}`), /--regulator-key: .*mlkem-768/);
    await badParam('regulatorKey', 'delegation', 'grant', '--as', 'admin', '--identity', identity, '--topic', '1', '--regulator', keys.admin!.address,
      '--regulator-key', keys.regulator!.encryptionDid, '--delegation', `@${file('root.ucan')}`);
    await badParam('regulator', 'delegation', 'grant', '--as', 'admin', '--identity', identity, '--topic', '1', '--regulator', 'nobody',
      '--regulator-key', keys.regulator!.encryptionDid, '--delegation', `@${file('root.ucan')}`);
    const g = await masque('delegation', 'grant', '--as', 'admin', '--identity', identity, '--topic', '1', '--regulator', keys.regulator!.address,
      '--regulator-key', keys.regulator!.encryptionDid, '--delegation', `@${file('root.ucan')}`, '--out', file('regulator.ucan'));
    assert.equal(g.delegateIdentity, adminIdentity);
    const got = await masque('fetch', '--as', 'regulator', '--identity', identity, '--topic', '1', '--delegation', `@${file('regulator.ucan')}`, '--out', file('regulator-read.txt'));
    assert.equal(readFileSync(file('regulator-read.txt'), 'utf8'), RENEWED);
    assert.ok(got.bytes > 0);
    // Someone else holding the same chain is refused; so is the administrator itself.
    await assert.rejects(masque('fetch', '--as', 'stranger', '--identity', identity, '--topic', '1', '--delegation', `@${file('regulator.ucan')}`, '--out', file('x')), (e: MasqueRpcError) => e.code === -32001);
    await assert.rejects(masque('fetch', '--as', 'admin', '--identity', identity, '--topic', '1', '--delegation', `@${file('root.ucan')}`, '--out', file('x')), (e: MasqueRpcError) => e.code === -32001);
    const listed = await masque('delegation', 'list', '--verifier', keys.regulator!.address);
    assert.deepEqual(listed.map((x: { kind: string; verifier: string; grantedBy: string; onChain: boolean }) => [x.kind, x.verifier, x.grantedBy, x.onChain]), [['delegated', keys.regulator!.address, keys.admin!.address, true]]);
    assert.deepEqual((await masque('delegation', 'list', '--identity', identity, '--topic', '1')).map((x: { kind: string }) => x.kind), ['delegation', 'delegated']);
    await badParam('identity', 'delegation', 'list');
  });

  it('the administrator revokes the regulator: the next fetch is refused', async () => {
    await masque('delegation', 'revoke-grant', '--as', 'admin', '--identity', identity, '--topic', '1', '--regulator', keys.regulator!.address);
    await assert.rejects(masque('fetch', '--as', 'regulator', '--identity', identity, '--topic', '1', '--delegation', `@${file('regulator.ucan')}`, '--out', file('x')), /grant/);
    const [g] = await masque('delegation', 'list', '--verifier', keys.regulator!.address);
    assert.deepEqual([g.status, g.onChain], ['revoked', false]);
  });
});
