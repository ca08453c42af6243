// Issuer, holder and verifier over one node's JSON-RPC, each with its own keys (the SDK's ZkIssuerAgent and
// ZkHolderAgent, src/zk's ZkVerifier): a KYC approval yields ZK claims sealed to the holder, published by the
// issuer's own transition proof; the holder fetches them with a signature by a key of its latest published state,
// proves locally; key rotation moves that authentication; a revocation makes the holder's next proof impossible.
// The three-process version of this story is src/cli/zk-parties.test.ts.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts';
import type { Address } from 'viem';
import { MasqueClient, generateEncryptionKey, nodeStateRegistry } from '../sdk/index.js';
import { ZkHolderAgent, ZkIssuerAgent } from '../sdk/zk-parties.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { KYC_SCHEMA, countryToNumeric } from '../claims/index.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { Wallet } from '../wallet/index.js';
import {
  GIST_DEPTH, ZkVerifier, holderAuthInputs, holderAuthWitness, releaseProverResources, siblingsMatrix, witnessSatisfies, type CredentialQueryRequestJson,
} from '../zk/index.js';
import { toCircuitProof } from '../smt/index.js';
import { signHolderAuth } from '../zk/parties.js';
import { EU_MEMBER_STATES, setQueryAlternatives } from '../zk/parties.js';
import { artifactPaths, loadVerificationKey } from '../zk/node.js';
import { expectRpcRefusal as refused, startTestNode, type TestNode } from './test-helpers.js';
import { approvedKycApplication } from './zk-test-helpers.js';

let t: TestNode;
let client: MasqueClient;
let issuer: ZkIssuerAgent;
let holder: ZkHolderAgent;
let kycIssuer: Address;
let applicationId: string;
const holderAccount = privateKeyToAccount(generatePrivateKey());
const holderEncryption = generateEncryptionKey();
const issuerBjj = privateKeyFromSeed(new Uint8Array(32).fill(71));
const now = () => Math.floor(Date.now() / 1000);
const artifacts = { credentialQuery: artifactPaths('credentialQuery'), holderAuth: artifactPaths('holderAuth'), stateTransition: artifactPaths('stateTransition') };

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
  kycIssuer = (await client.rpc.node_info({})).issuers.kyc!.address as Address;
  const identity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(issuerBjj)], network: Network.Test });
  issuer = new ZkIssuerAgent(client, identity, issuerBjj, t.issuerSigner, artifacts.stateTransition);
  const wallet = await Wallet.create(join(t.dataDir, 'holder.wallet'), 'pass', { scrypt: { N: 2 ** 10, r: 8, p: 1 }, network: Network.Main });
  holder = new ZkHolderAgent(client, wallet, holderEncryption, artifacts);
});
after(async () => {
  await releaseProverResources();
  await t?.stop();
});

/** A KYC application by the holder's EVM identity, approved on chain by the issuer; returns its id. */
const approvedApplication = (approve = true) => approvedKycApplication(client, t.issuerSigner, holderAccount, holderEncryption.did, approve);

const kycClaim = () => ({ schema: KYC_SCHEMA, expiration: now() + 365 * 86400, data: { birthDate: '2001-03-15', countryOfResidence: 'DE', nationality: 'FR' } });

describe('ZK parties over one node', () => {
  it('hosts the issuer from its public keys only, for a signer of its ClaimIssuer', async () => {
    const stranger = privateKeyToAccount(generatePrivateKey());
    await refused(client.write('zk_registerIssuer', { issuer: kycIssuer, keys: [{ x: '1', y: '2' }] }, stranger), -32001, /claim-signer or management/);
    const r = await issuer.register(kycIssuer);
    assert.equal(r.id, issuer.identity.id.string);
    assert.equal(r.created, true);
    assert.equal((await issuer.register(kycIssuer)).created, false, 'idempotent');
    const info = await client.rpc.zk_getIssuer({ issuer: kycIssuer });
    assert.equal(info.id, issuer.identity.id.string);
    assert.equal(info.current.state, issuer.identity.genesisState.toString());
    assert.equal(info.pending, false);
    await refused(client.rpc.zk_getIssuer({ issuer: 'did:masque:nope' }), -32602, /issuer/);
  });

  it('ZK claims follow an approval only; bad claims are refused naming the field', async () => {
    const pending = await approvedApplication(false);
    await refused(issuer.issueForApplication(pending, holder.holder, [kycClaim()]), -32003, /pending/);
    applicationId = await approvedApplication();
    const claim = { indexHash: '1', valueHash: '2', revocationNonce: String(5n ** 14n), holder: holder.holder.id, delivery: { ciphertext: 'AA==', envelope: 'x' } };
    let e = await refused(client.write('zk_issueClaims', { issuer: issuer.identity.id.string, applicationId, claims: [claim] }, t.issuerSigner), -32602);
    assert.equal(e.field, 'claims.0.revocationNonce');
    e = await refused(client.write('zk_issueClaims', { issuer: issuer.identity.id.string, applicationId, claims: [{ ...claim, indexHash: 'x' }] }, t.issuerSigner), -32602);
    assert.equal(e.field, 'claims.0.indexHash');
    assert.equal((await client.rpc.zk_getIssuer({ issuer: issuer.identity.id.did })).pending, false, 'nothing changed');
  });

  it('delivers the claim sealed to the holder once the issuer published its own transition proof', async () => {
    const { result } = await issuer.issueForApplication(applicationId, holder.holder, [kycClaim()]);
    assert.equal(result.published, false);
    assert.equal(result.state, issuer.identity.state.toString(), 'the node and the issuer computed the same state');
    let delivered = await holder.fetch();
    assert.deepEqual(delivered.map((d) => d.published), [false]);
    assert.equal(delivered[0]!.claim.slots[KYC_SCHEMA.slotIndex('countryOfResidence')], BigInt(countryToNumeric('DE')));
    const pub = await issuer.publish();
    assert.equal(pub?.newState, issuer.identity.state.toString());
    assert.equal(await issuer.publish(), undefined, 'nothing pending');
    delivered = await holder.fetch();
    assert.equal(delivered[0]!.published, true);
    assert.deepEqual(await holder.receive(), { received: 1, held: 1, pending: 0 });
  });

  let verifier: ZkVerifier;
  it('the holder proves "born before 2008" and "resides in the EU" locally; the verifier accepts with nothing but the chain', async () => {
    verifier = new ZkVerifier({ verifierId: 0xfeedn, verificationKeys: { credentialQuery: loadVerificationKey('credentialQuery'), holderAuth: loadVerificationKey('holderAuth') }, registry: nodeStateRegistry(client) });
    const adult = verifier.createRequest({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: [20080101n] });
    const r1 = await holder.respond(adult);
    assert.equal((await verifier.verify(adult, r1)).ok, true);
    // 27 member states: more than the circuit's 16 values, asked as two alternative requests.
    const eu = setQueryAlternatives(EU_MEMBER_STATES.map((c) => BigInt(countryToNumeric(c))), (values) => verifier.createRequest({
      issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('countryOfResidence'), operator: 'IN', values,
    }));
    assert.equal(eu.length, 2);
    const r2 = await holder.respond(eu);
    const answered = eu.find((q) => q.requestId === r2.requestId) as CredentialQueryRequestJson;
    assert.equal((await verifier.verify(answered, r2)).ok, true);
    assert.equal((await client.zk.verifyResponse(answered, r2)).ok, true, 'and off-chain by the node');
    const elsewhere = verifier.createRequest({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('countryOfResidence'), operator: 'IN', values: [840n, 826n] });
    await assert.rejects(holder.respond(elsewhere), /does not satisfy/);
  });

  it('holder authentication: a stranger or a wrong signature gets nothing, naming the field', async () => {
    const w = holder.wallet;
    const key = w.keyAt(w.identity.genesisState)!;
    const chainId = await client.chainId();
    const good = signHolderAuth({ id: w.id, roots: w.identity.rootsAt(w.identity.genesisState), keySlot: key.slot, key: w.publicKey(key.index), authProof: key.proof }, w.privateKey(key.index), chainId, now());
    let e = await refused(client.call('zk_getHolderClaims', { auth: { ...good, timestamp: good.timestamp + 1 } } as never), -32602);
    assert.equal(e.field, 'auth.signature');
    e = await refused(client.call('zk_getHolderClaims', { auth: { ...good, timestamp: good.timestamp - 3600 } } as never), -32602);
    assert.equal(e.field, 'auth.timestamp');
    const other = signHolderAuth({ id: w.id, roots: w.identity.rootsAt(w.identity.genesisState), keySlot: key.slot, key: publicKey(issuerBjj), authProof: key.proof }, issuerBjj, chainId, now());
    e = await refused(client.call('zk_getHolderClaims', { auth: other } as never), -32602);
    assert.equal(e.field, 'auth.key');
  });

  it('key rotation is a state transition on chain: the new key fetches and proves, the genesis key no longer does', async () => {
    const w = holder.wallet;
    const genesis = w.identity.genesisState;
    const oldKey = w.keyAt(genesis)!;
    const before = await client.zk.gistProof(w.id.bigint);
    assert.equal(before.state, undefined, 'never published: absent from the GIST');
    const r = await holder.rotateKey();
    assert.equal(r.publication.isOldStateGenesis, true);
    assert.equal((await client.zk.identityState(w.id.string)).latestState, w.identity.state.toString());
    assert.equal(w.keyAt()!.index, r.added);
    const chainId = await client.chainId();
    const stale = signHolderAuth({ id: w.id, roots: w.identity.rootsAt(genesis), keySlot: oldKey.slot, key: w.publicKey(oldKey.index), authProof: oldKey.proof }, w.privateKey(oldKey.index), chainId, now());
    const e = await refused(client.call('zk_getHolderClaims', { auth: stale } as never), -32602);
    assert.equal(e.field, 'auth.roots');
    assert.equal((await holder.fetch()).length, 1, 'the new key authenticates');
    const adult = verifier.createRequest({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: [20080101n] });
    const answer = await holder.respond(adult);
    assert.equal((await verifier.verify(adult, answer)).ok, true, 'claims still name the same holder ID');
    const latest = await client.zk.gistProof(w.id.bigint);
    assert.equal(latest.state, w.identity.state, 'the GIST holds the rotated state');
    assert.equal(answer.auth.publicSignals[1], latest.root.toString(), 'proven at the root that holds it, with the new key');

    // The genesis key at that root: the witness builder refuses it (not a key of the state the GIST holds), and so
    // does the circuit when the genesis state's inputs are forced onto the latest root's path.
    const genesisKey = [w.publicKey(oldKey.index), w.privateKey(oldKey.index)] as const;
    assert.throws(() => holderAuthWitness(w.identity, ...genesisKey, latest), /not an authentication key/);
    const atBefore = holderAuthInputs(holderAuthWitness(w.identity, ...genesisKey, before), { challenge: 1n, salt: 2n });
    const wasm = artifactPaths('holderAuth').wasm;
    assert.equal(await witnessSatisfies(atBefore, wasm), true, 'at the root before the rotation the genesis key still proves (the verifier\'s root window decides)');
    const path = toCircuitProof({ root: latest.root, key: latest.id, value: latest.state, proof: latest.proof, maxDepth: GIST_DEPTH });
    const forced = {
      ...atBefore, gistRoot: latest.root.toString(), isGenesis: '0', gistSiblings: siblingsMatrix(path.siblings, GIST_DEPTH),
      gistLevels: path.levels.toString(), gistAuxKey: path.auxKey.toString(), gistAuxValue: path.auxValue.toString(), gistAuxEmpty: path.isAux0.toString(),
    };
    assert.equal(await witnessSatisfies(forced, wasm), false, 'no witness: the genesis state is not the ID\'s leaf at the latest root');
    assert.equal(await witnessSatisfies({ ...forced, isGenesis: '1' }, wasm), false, 'nor is the ID absent there');
  });

  it('a revocation published by the issuer: the revocations tree is public, and the holder\'s next proof is refused', async () => {
    const r = await issuer.revoke({ applicationId });
    assert.equal(r.revoked.length, 1);
    await refused(issuer.revoke({ applicationId }), -32003, /no unrevoked/);
    await issuer.publish();
    const list = await client.rpc.zk_getRevocations({ issuer: issuer.identity.id.string });
    assert.deepEqual(list.nonces, r.revoked);
    assert.equal(list.state, issuer.identity.state.toString());
    const adult = verifier.createRequest({ issuers: [issuer.identity.id.did], schema: KYC_SCHEMA.hash, slotIndex: KYC_SCHEMA.slotIndex('birthDate'), operator: 'LESS_THAN', values: [20080101n] });
    await assert.rejects(holder.respond(adult), /revoked/);
  });
});
