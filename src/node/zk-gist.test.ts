// The node's mirror of the global identity state tree (src/node/methods/zk-gist.ts): identities' transitions
// published on chain become leaves (ID -> latest state) served with proofs that verify against the mirror's root; a
// never-published ID gets a non-membership proof; a replica over the same database reaches the same root from the
// stored leaves; the leaves are served page by page at one root; proofs only at roots the registry holds; a mirror
// whose root differs from the registry's is logged (no ID) and serves nothing at its own root.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Address } from 'viem';
import { MasqueClient } from '../sdk/index.js';
import { privateKeyFromSeed, publicKey } from '../crypto/eddsa.js';
import { Identity, MemoryIdentityStore, Network } from '../identity/index.js';
import { verifyProof } from '../smt/index.js';
import { GIST_DEPTH, GlobalStateTree, gistUpdateRoot, proveStateTransition, releaseProverResources } from '../zk/index.js';
import { gistUpdateFromJson, proofFromJson } from '../zk/parties.js';
import { artifactPaths } from '../zk/node.js';
import { GistMirror } from './methods/zk-gist.js';
import { expectRpcRefusal as refused, startTestNode, type TestNode } from './test-helpers.js';

let t: TestNode;
let client: MasqueClient;

before(async () => {
  t = await startTestNode();
  client = new MasqueClient(t.node.url);
});
after(async () => {
  await releaseProverResources();
  await t?.stop();
});

/** A holder identity of key `seed`/0; `rotate` adds the next key of the seed, removes the old one and publishes. */
function holder(seed: number) {
  const key = (i: number) => privateKeyFromSeed(new Uint8Array(32).fill(seed), i);
  const identity = Identity.create(new MemoryIdentityStore(), { keys: [publicKey(key(0))], network: Network.Main });
  let signer = 0;
  let published: bigint | undefined;
  return {
    identity,
    async rotate() {
      const from = published ?? identity.genesisState;
      const next = signer + 1;
      identity.addKey(key(signer), publicKey(key(next)));
      identity.removeKey(key(next), identity.keys.find((k) => k.key.x === publicKey(key(signer)).x)!.slot);
      const transition = identity.transitionFrom(key(signer), from);
      await client.zk.publishState(await proveStateTransition(transition, await client.zk.gistUpdate(identity.id.bigint, transition.newState), artifactPaths('stateTransition')));
      signer = next;
      published = identity.state;
    },
  };
}

const expectedRoot = (leaves: [bigint, bigint][]) => GlobalStateTree.fromTransitions(leaves.map(([id, newState]) => ({ id, newState }))).root;

describe('GIST mirror', () => {
  const a = holder(31);
  const b = holder(32);
  const never = holder(33);
  let firstRoot: string;

  it('serves membership of a published identity\'s latest state and non-membership of one that never published', async () => {
    const empty = await client.rpc.zk_getGistProof({ id: a.identity.id.string });
    assert.equal(empty.state, undefined);
    assert.equal(empty.id, a.identity.id.bigint.toString());
    await a.rotate();
    await b.rotate();
    const pa = await client.rpc.zk_getGistProof({ id: a.identity.id.did });
    assert.equal(pa.state, a.identity.state.toString());
    assert.equal(pa.root, expectedRoot([[a.identity.id.bigint, a.identity.state], [b.identity.id.bigint, b.identity.state]]).toString(), 'the root of the published leaves, nothing else');
    assert.ok(verifyProof(BigInt(pa.root), a.identity.id.bigint, a.identity.state, proofFromJson(pa.proof), { maxDepth: GIST_DEPTH }));
    assert.ok(!verifyProof(BigInt(pa.root), a.identity.id.bigint, a.identity.genesisState, proofFromJson(pa.proof), { maxDepth: GIST_DEPTH }), 'not the genesis state');
    const pn = await client.rpc.zk_getGistProof({ id: never.identity.id.bigint.toString() });
    assert.equal(pn.state, undefined);
    assert.equal(pn.root, pa.root);
    assert.ok(verifyProof(BigInt(pn.root), never.identity.id.bigint, undefined, proofFromJson(pn.proof), { maxDepth: GIST_DEPTH }), 'non-membership');
    assert.equal(pa.registry.toLowerCase(), (t.node.ctx.deployment.identityStateRegistry as string).toLowerCase());
    firstRoot = pa.root;
    const sdk = await client.zk.gistProof(a.identity.id.string);
    assert.equal(sdk.state, a.identity.state, 'the SDK checks the proof at its root and parses it');
  });

  it('a second transition replaces the leaf; a recent root stays answerable; an unknown root is refused', async () => {
    await a.rotate();
    const now = await client.rpc.zk_getGistProof({ id: a.identity.id.string });
    assert.notEqual(now.root, firstRoot);
    assert.equal(now.state, a.identity.state.toString());
    const before = await client.rpc.zk_getGistProof({ id: a.identity.id.string, root: firstRoot });
    assert.equal(before.root, firstRoot);
    assert.notEqual(before.state, now.state);
    assert.ok(verifyProof(BigInt(firstRoot), a.identity.id.bigint, BigInt(before.state!), proofFromJson(before.proof), { maxDepth: GIST_DEPTH }));
    await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string, root: '12345' }), -32002, /root/);
    // The registry replaced firstRoot a moment ago: a caller's window of 0 s no longer counts it once a block of a
    // later second exists (anvil gives blocks of one second the same timestamp).
    await new Promise((r) => setTimeout(r, 1_100));
    await b.rotate();
    await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string, root: firstRoot, maxAgeAfterReplacement: 0 }), -32002, /no longer accepts/);
    assert.equal((await client.rpc.zk_getGistProof({ id: a.identity.id.string, root: firstRoot })).root, firstRoot, 'within the default hour it does');
    let e = await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string, root: firstRoot, maxAgeAfterReplacement: -1 }), -32602);
    assert.match(e.field ?? '', /maxAgeAfterReplacement/);
    e = await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string, root: 'x1' }), -32602);
    assert.equal(e.field, 'root');
    await refused(client.rpc.zk_getGistProof({ id: 'not-an-id!' }), -32602, /id/);
  });

  it('serves the GIST update a transition makes at the current root (the transition proof\'s witness)', async () => {
    const current = await client.rpc.zk_getGistProof({ id: b.identity.id.string });
    const w = gistUpdateFromJson(await client.rpc.zk_getGistUpdate({ id: b.identity.id.string, newState: '777' }));
    assert.equal(w.oldRoot.toString(), current.root);
    assert.equal(w.oldState, b.identity.state);
    assert.equal(w.newRoot, gistUpdateRoot(w));
    assert.equal(w.newRoot, expectedRoot([[a.identity.id.bigint, a.identity.state], [b.identity.id.bigint, 777n]]));
    const first = gistUpdateFromJson(await client.rpc.zk_getGistUpdate({ id: never.identity.id.string, newState: '778' }));
    assert.equal(first.oldState, undefined, 'a first transition: the ID is absent');
    await refused(client.rpc.zk_getGistUpdate({ id: b.identity.id.string, newState: b.identity.state.toString() }), -32602, /newState/);
  });

  it('serves every leaf a page at a time at one root', async () => {
    const first = await client.rpc.zk_getGistLeaves({ limit: 1 });
    assert.equal(first.total, 2);
    assert.equal(first.leaves.length, 1);
    const second = await client.rpc.zk_getGistLeaves({ limit: 1, after: first.leaves[0]!.id, root: first.root });
    assert.equal(second.root, first.root);
    const all = [...first.leaves, ...second.leaves];
    assert.ok(BigInt(all[0]!.id) < BigInt(all[1]!.id), 'ordered by ID');
    assert.equal(expectedRoot(all.map((l) => [BigInt(l.id), BigInt(l.state)])).toString(), first.root, 'the leaves rebuild the root');
    assert.deepEqual((await client.rpc.zk_getGistLeaves({ after: all[1]!.id })).leaves, []);
  });

  it('replicas over one database agree: a new mirror loads the stored leaves; two folding at once count each event once', async () => {
    const ctx = t.node.ctx;
    const registry = ctx.deployment.identityStateRegistry as Address;
    const current = await client.rpc.zk_getGistProof({ id: a.identity.id.string });
    const replica = new GistMirror(ctx.clients.publicClient, ctx.repos.zkGist, registry);
    assert.equal((await replica.catchUp()).root.toString(), current.root);
    await b.rotate();
    const other = new GistMirror(ctx.clients.publicClient, ctx.repos.zkGist, registry);
    const [x, y] = await Promise.all([replica.catchUp(), other.catchUp()]);
    assert.equal(x.root, y.root);
    assert.equal(x.root, expectedRoot([[a.identity.id.bigint, a.identity.state], [b.identity.id.bigint, b.identity.state]]));
    assert.equal(await ctx.repos.zkGist.count(registry), 2);
  });

  // Last: it leaves this node's mirror out of step for good.
  it('a mirror whose root is not the registry\'s is logged without an ID and serves nothing at its own root', async () => {
    const ctx = t.node.ctx;
    const registry = ctx.deployment.identityStateRegistry as Address;
    const good = await client.rpc.zk_getGistProof({ id: a.identity.id.string });
    const lines: string[] = [];
    const log = ctx.log;
    ctx.log = (line) => { lines.push(line); log(line); };
    try {
      // The database gains a leaf no transition on chain made (a corrupted or foreign row).
      const cursor = await ctx.repos.zkGist.indexedBlock(registry);
      assert.equal(await ctx.repos.zkGist.apply(registry, cursor, cursor, [{ id: never.identity.id.bigint, state: 4242n, block: cursor }]), true);
      await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string }), -32005, /does not match the registry/);
      await refused(client.rpc.zk_getGistUpdate({ id: a.identity.id.string, newState: '779' }), -32005, /does not match the registry/);
      await refused(client.rpc.zk_getGistLeaves({}), -32005, /does not match the registry/);
      const mirrorRoot = expectedRoot([[a.identity.id.bigint, a.identity.state], [b.identity.id.bigint, b.identity.state], [never.identity.id.bigint, 4242n]]);
      await refused(client.rpc.zk_getGistProof({ id: a.identity.id.string, root: mirrorRoot.toString() }), -32002, /root/);
      // The registry's own root (the last one the mirror matched) is still served, proofs and leaves.
      const atGood = await client.rpc.zk_getGistProof({ id: a.identity.id.string, root: good.root });
      assert.equal(atGood.state, a.identity.state.toString());
      assert.equal((await client.rpc.zk_getGistLeaves({ root: good.root })).total, 2);
      const said = lines.filter((l) => /GIST mirror/.test(l));
      assert.equal(said.length, 1, 'logged once per block, not per request');
      assert.match(said[0]!, new RegExp(`${mirrorRoot}.*registry's is ${good.root}`));
      for (const id of [never.identity.id, a.identity.id, b.identity.id]) {
        assert.ok(!said[0]!.includes(id.bigint.toString()) && !said[0]!.includes(id.string), 'no identity in the log line');
      }
    } finally {
      ctx.log = log;
    }
  });
});
