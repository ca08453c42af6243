// The pin audit walks the grants' key envelopes as well as the documents: over the fs blockstore (a folder keeps every
// block it holds, so "pinned" there is "present"), an envelope block gone from the store is counted missing.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsBlockstore } from '../storage/index.js';
import { cidOfDigest, documentHash } from '../documents/index.js';
import { openRepos } from './db/index.js';
import { auditPins, type PinStore } from './pins.js';

const dir = mkdtempSync(join(tmpdir(), 'masque-pins-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('the audit checks every envelope block by the CID of its ref, and counts the missing one', async () => {
  const repos = await openRepos({ type: 'sqlite', path: join(dir, 'node.db') });
  const blocks = await FsBlockstore.open(join(dir, 'blocks'));
  const store: PinStore = { pinned: (cid) => blocks.has(cid), has: (cid) => blocks.has(cid), pinBlock: async () => { throw new Error('an fs store needs no pin'); } };
  try {
    const doc = new TextEncoder().encode('sealed bytes');
    const cid = (await blocks.put(doc)).toString();
    await repos.documents.putDocument({ cid, digest: documentHash(doc), size: doc.length, mediaType: 'application/octet-stream' });
    const refs: `0x${string}`[] = [];
    for (const recipient of ['did:key:zA', 'did:key:zB']) {
      const envelope = JSON.stringify({ recipient });
      const bytes = new TextEncoder().encode(envelope);
      const stored = await blocks.put(bytes);
      const ref = documentHash(bytes);
      assert.equal(cidOfDigest(ref).toString(), stored.toString(), 'an envelope block is named by its ref');
      await repos.documents.putEnvelope({ ref, cid, recipient, envelope });
      refs.push(ref as `0x${string}`);
    }
    const whole = await auditPins(repos, store);
    assert.deepEqual([whole.checked, whole.envelopes, whole.repinned, whole.missing], [1, 2, 0, 0]);
    await blocks.delete(cidOfDigest(refs[1]!));
    const after = await auditPins(repos, store);
    assert.deepEqual([after.checked, after.envelopes, after.missing], [1, 2, 1]);
  } finally {
    await repos.close();
  }
});
