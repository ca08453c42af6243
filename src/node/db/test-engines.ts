// Runs a test file's cases on every database engine without copy-paste: `forEachEngine((engine) => describe(...))`.
// SQLite gets a fresh file per `engine.config()`; PostgreSQL a fresh database on one real server per test process
// (TestPostgres: started on first use, stopped when the file's tests end). MASQUE_TEST_ENGINES=sqlite limits the set.
import { after } from 'node:test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseConfig } from './engine.js';
import { TestPostgres } from './test-postgres.js';

export interface TestEngine {
  readonly name: 'sqlite' | 'postgres';
  /** The config of a fresh, empty database of this engine. */
  config(): Promise<DatabaseConfig>;
}

let server: Promise<TestPostgres> | undefined;
let databases = 0;
// Registered at import, on the file's root: a hook registered inside a test would run after that test alone.
after(async () => { if (server) await (await server).stop(); });

/** The test process's PostgreSQL server, started on first use and stopped after the file's tests. */
export function testPostgres(): Promise<TestPostgres> {
  server ??= TestPostgres.start();
  return server;
}

export const engines: readonly TestEngine[] = [
  { name: 'sqlite', config: async () => ({ type: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'masque-db-')), 'node.db') }) },
  {
    name: 'postgres',
    config: async () => ({ type: 'postgres', url: await (await testPostgres()).createDatabase(`masque_${process.pid}_${++databases}`) }),
  },
].filter((e) => (process.env.MASQUE_TEST_ENGINES ?? 'sqlite,postgres').split(',').includes(e.name)) as TestEngine[];

export function forEachEngine(fn: (engine: TestEngine) => void): void {
  for (const e of engines) fn(e);
}
