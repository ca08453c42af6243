// Holder-auth (circuits/holderAuth.circom): a holder proves with a key of its latest published state. A holder that
// never published proves with its genesis key (GIST non-membership); after a rotation the new key proves and the
// removed genesis key is refused, at the witness level (every forgery we can build) and with real proofs.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { keyScalar, privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { poseidon } from '../crypto/poseidon.js';
import {
  GlobalStateTree, ZkError, holderAuthInputs, holderAuthWitness, holderCommitment, parseHolderAuthSignals, proveHolderAuth,
  releaseProverResources, stateTransitionInputs, verifyProof, witnessSatisfies, type CircuitInputs,
} from './index.js';
import { artifactPaths, loadVerificationKey } from './node.js';

const ha = artifactPaths('holderAuth');
const st = artifactPaths('stateTransition');
after(releaseProverResources);
const ok = (inputs: CircuitInputs) => witnessSatisfies(inputs, ha.wasm);
const key = (n: number) => privateKeyFromSeed(new Uint8Array(32).fill(n));

// A GIST with other identities in it, and a holder that rotates: adds key 2, removes its genesis key 1.
const gist = GlobalStateTree.empty();
for (let n = 30; n < 36; n++) {
  const other = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(key(n))], network: Network.Test });
  gist.applyTransition(other.id.bigint, other.addKey(key(n), publicKey(key(n + 10))).newState);
}
const genesisKey = key(1);
const newKey = key(2);
const holder = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(genesisKey)], network: Network.Main });
const beforeRotation = gist.root;
const params = { challenge: 987654321n, salt: 4242n };

describe('a holder that never published: genesis key, GIST non-membership', () => {
  test('proves (witness and a real proof); the commitment is H(id, salt)', async () => {
    const w = holderAuthWitness(holder, publicKey(genesisKey), genesisKey, gist.prove(holder.id.bigint));
    const inputs = holderAuthInputs(w, params);
    assert.equal(inputs.isGenesis, '1');
    assert.equal(inputs.gistRoot, gist.root.toString());
    assert.equal(await ok(inputs), true);
    assert.equal(holderCommitment(holder.id.bigint, params.salt), poseidon([holder.id.bigint, params.salt]));
    assert.equal(await ok({ ...inputs, gistRoot: String(gist.root + 1n) }), false, 'another GIST root');
    const p = await proveHolderAuth(w, params, ha);
    assert.equal(await verifyProof(loadVerificationKey('holderAuth'), p), true);
    assert.deepEqual(parseHolderAuthSignals(p.publicSignals), { commitment: holderCommitment(holder.id.bigint, params.salt), gistRoot: gist.root, challenge: params.challenge });
  });

  test('refused: another ID than the genesis state\'s, another network, a stranger\'s key, a wrong secret', async () => {
    const w = holderAuthWitness(holder, publicKey(genesisKey), genesisKey, gist.prove(holder.id.bigint));
    const base = holderAuthInputs(w, params);
    assert.equal(await ok({ ...base, network: String(Network.Test) }), false);
    assert.equal(await ok({ ...base, authSecret: String(keyScalar(key(9))) }), false);
    assert.equal(await ok({ ...base, authSecret: String(BigInt(base.authSecret as string) + 1n) }), false);
    const stranger = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(key(9))], network: Network.Main });
    const sw = holderAuthWitness(stranger, publicKey(key(9)), key(9), gist.prove(stranger.id.bigint));
    // The stranger's own inputs pass, with the holder's ID they do not.
    assert.equal(await ok(holderAuthInputs(sw, params)), true);
    assert.equal(await ok({ ...holderAuthInputs(sw, params), holderId: base.holderId }), false);
    assert.throws(() => holderAuthInputs({ ...w, authKey: key(9) }, params), /authKey: not the secret/);
  });

  test('the paths\' lengths: only the true one hashes to the root; out of range or non-integer refused', async () => {
    const base = holderAuthInputs(holderAuthWitness(holder, publicKey(genesisKey), genesisKey, gist.prove(holder.id.bigint)), params);
    for (const field of ['authLevels', 'gistLevels'] as const) {
      const levels = Number(base[field]);
      for (const wrong of [levels - 1, levels + 1, 33, 2 ** 20]) {
        if (wrong >= 0) assert.equal(await ok({ ...base, [field]: String(wrong) }), false, `${field} ${wrong}`);
      }
    }
  });
});

describe('after a rotation: the new key proves, the removed genesis key does not', () => {
  const added = holder.addKey(genesisKey, publicKey(newKey));
  const removed = holder.removeKey(genesisKey, 0);
  // Published as one transition (what a wallet's rotation does): genesis -> after both changes.
  const rotation = holder.transitionFrom(genesisKey, holder.genesisState);
  const update = gist.updateWitness(holder.id.bigint, rotation.newState);

  test('the rotation\'s transition proves its GIST update (witness)', async () => {
    assert.equal(added.isOldStateGenesis && !removed.isOldStateGenesis, true);
    assert.equal(await witnessSatisfies(stateTransitionInputs(rotation, update), st.wasm), true);
    gist.applyTransition(holder.id.bigint, rotation.newState);
    assert.equal(gist.root, update.newRoot);
    assert.equal(gist.stateOf(holder.id.bigint), rotation.newState);
  });

  test('the new key proves at the new root (witness and a real proof)', async () => {
    const w = holderAuthWitness(holder, publicKey(newKey), newKey, gist.prove(holder.id.bigint));
    const inputs = holderAuthInputs(w, params);
    assert.equal(inputs.isGenesis, '0');
    assert.equal(await ok(inputs), true);
    // The rotated state's leaf proves only this ID's latest state: another ID is refused.
    assert.equal(await ok({ ...inputs, holderId: String(holder.id.bigint + 1n) }), false);
    const p = await proveHolderAuth(w, params, ha);
    assert.equal(await verifyProof(loadVerificationKey('holderAuth'), p), true);
    assert.equal(parseHolderAuthSignals(p.publicSignals).gistRoot, gist.root);
  });

  test('the genesis key is refused: by the wallet helper, and by the circuit whatever path it is given', async () => {
    assert.throws(() => holderAuthWitness(holder, publicKey(genesisKey), genesisKey, gist.prove(holder.id.bigint)),
      (e: unknown) => e instanceof ZkError && e.code === 'UNSATISFIED');
    const genesisRoots = holder.rootsAt(holder.genesisState);
    const genesisAuth = holder.authKeyAt(publicKey(genesisKey), { state: holder.genesisState })!;
    const current = holderAuthInputs(holderAuthWitness(holder, publicKey(newKey), newKey, gist.prove(holder.id.bigint)), params);
    const genesisInputs = {
      ...current, authRoot: String(genesisRoots.auth), claimsRoot: String(genesisRoots.claims), revRoot: String(genesisRoots.revocations),
      keySlot: String(genesisAuth.slot), authSiblings: Array.from({ length: 4 }, (_, l) => (genesisAuth.proof.siblings[l] ?? [0n, 0n, 0n, 0n]).map(String)),
      authLevels: String(genesisAuth.proof.siblings.length), authSecret: String(keyScalar(genesisKey)),
    };
    // The genesis state with the ID's membership path (its leaf holds the rotated state): refused.
    assert.equal(await ok(genesisInputs), false);
    // The genesis state claiming absence from the GIST (isGenesis = 1) over the same path: refused.
    assert.equal(await ok({ ...genesisInputs, isGenesis: '1', gistAuxEmpty: '1', gistAuxKey: '0', gistAuxValue: '0' }), false);
    for (let levels = 0; levels <= 32; levels += 4) {
      assert.equal(await ok({ ...genesisInputs, isGenesis: '1', gistAuxEmpty: '1', gistLevels: String(levels) }), false, `absent at ${levels}`);
    }
    // The TypeScript pre-check names the reason.
    const forged = { ...holderAuthWitness(holder, publicKey(newKey), newKey, gist.prove(holder.id.bigint)), roots: genesisRoots, keySlot: genesisAuth.slot, key: publicKey(genesisKey), authProof: genesisAuth.proof, authKey: genesisKey };
    assert.throws(() => holderAuthInputs(forged, params), /not the state the GIST holds/);
  });

  test('before the rotation was published, the genesis key still proved at that older root: the verifier\'s root freshness is what ends it', async () => {
    const old = gist.prove(holder.id.bigint, { root: beforeRotation });
    assert.equal(old.state, undefined);
    // The new key is not a key of the genesis state.
    assert.throws(() => holderAuthWitness(holder, publicKey(newKey), newKey, old), /not an authentication key/);
    const g = holderAuthWitness(holder, publicKey(genesisKey), genesisKey, old);
    assert.equal(await ok(holderAuthInputs(g, params)), true, 'valid at the old root, which a verifier accepts only within its grace period');
    assert.equal(g.gist.root, beforeRotation);
  });
});
