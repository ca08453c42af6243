// Test helper for queue.test.ts: a worker whose job hangs after recording that it started, until kill -9.
// argv[2] = database config JSON, argv[3] = lease ms.
import { openRepos, type DatabaseConfig } from '../db/index.js';
import { JobQueue } from './queue.js';

const repos = await openRepos(JSON.parse(process.argv[2]!) as DatabaseConfig);
const queue = new JobQueue(repos, { worker: 'doomed', leaseMs: Number(process.argv[3]), pollMs: 50 });
queue.register('effect', async () => {
  process.stdout.write('started\n');
  await new Promise(() => {}); // hangs: only kill -9 ends it
});
queue.start();
