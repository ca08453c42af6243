// The e2e suite again, its node's off-chain state on a real PostgreSQL server (db/test-engines.ts).
import { runOnPostgres } from './db/test-engines.js';

await runOnPostgres(() => import('./e2e.test.js'));
