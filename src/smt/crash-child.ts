/**
 * Child process for sqlite.test.ts's crash tests: `node --import tsx crash-child.ts <db> <mode> <seed>`.
 * - `self-kill`: one big batch whose commit SIGKILLs this process halfway through writing its nodes, inside
 *   the SQLite transaction (with a tiny page cache so uncommitted pages have already spilled into the WAL).
 * - `loop`: big batches forever, printing each committed root, until the parent SIGKILLs it.
 */
import { SparseMerkleTree } from './tree.js';
import { SqliteStore } from './sqlite-store.js';
import type { TreeStore } from './store.js';
import type { SmtNode } from './node.js';

const [file, mode, seedArg] = process.argv.slice(2);
const store = SqliteStore.open(file!, { tree: 'crash' });
store.db.pragma('cache_size = 5');
let seed = BigInt(seedArg ?? '1');
const nextKey = () => (seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 250n);

function* killHalfway(nodes: Iterable<readonly [bigint, SmtNode]>, after: number): Generator<readonly [bigint, SmtNode]> {
  let n = 0;
  for (const entry of nodes) {
    yield entry;
    if (++n === after) process.kill(process.pid, 'SIGKILL');
  }
}

const target: TreeStore =
  mode === 'self-kill'
    ? {
        initialize: (d, t) => store.initialize(d, t),
        getNode: (h) => store.getNode(h),
        commit: (nodes, root, t, seq) => {
          const all = [...nodes];
          process.stdout.write(`writing ${all.length}\n`);
          return store.commit(killHalfway(all, all.length >> 1), root, t, seq);
        },
        latestRoot: () => store.latestRoot(),
        findRoot: (r) => store.findRoot(r),
        rootHistory: (l) => store.rootHistory(l),
        close: () => store.close(),
      }
    : store;

const tree = SparseMerkleTree.open(target, { maxDepth: 14 });
for (;;) {
  tree.batch(Array.from({ length: mode === 'self-kill' ? 3000 : 400 }, () => ({ op: 'insert' as const, key: nextKey(), value: 1n })));
  process.stdout.write(`committed ${tree.latest.seq} ${tree.root}\n`);
}
