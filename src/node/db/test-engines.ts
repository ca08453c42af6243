// Runs a test file's cases on every database engine without copy-paste: `forEachEngine((engine) => describe(...))`.
// SQLite gets a fresh file per `engine.config()`; PostgreSQL a fresh database on one real server per test process
// (TestPostgres: started on first use, stopped when the file's tests end). MASQUE_TEST_ENGINES=sqlite limits the set.
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
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
const sqliteDirs: string[] = [];
// Registered at import, on the file's root: a hook registered inside a test would run after that test alone.
after(async () => {
  if (server) await (await server).stop();
  for (const d of sqliteDirs) rmSync(d, { recursive: true, force: true });
});

/** The test process's PostgreSQL server, started on first use and stopped after the file's tests. */
export function testPostgres(): Promise<TestPostgres> {
  server ??= TestPostgres.start();
  return server;
}

const allEngines: readonly TestEngine[] = [
  {
    name: 'sqlite',
    config: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'masque-db-'));
      sqliteDirs.push(dir);
      return { type: 'sqlite', path: join(dir, 'node.db') };
    },
  },
  {
    name: 'postgres',
    config: async () => ({ type: 'postgres', url: await (await testPostgres()).createDatabase(`masque_${process.pid}_${++databases}`) }),
  },
];

export const engines: readonly TestEngine[] = allEngines.filter((e) => (process.env.MASQUE_TEST_ENGINES ?? 'sqlite,postgres').split(',').includes(e.name));

export function forEachEngine(fn: (engine: TestEngine) => void): void {
  for (const e of engines) fn(e);
}

/**
 * The database a node suite's nodes use: SQLite in their data directory by default; a fresh PostgreSQL database when
 * the suite runs as its PostgreSQL twin (`e2e.postgres.test.ts` sets MASQUE_TEST_ENGINE=postgres, then imports
 * `e2e.test.ts`): one suite, both engines, no copy.
 */
export async function suiteDatabase(): Promise<{ type: 'postgres'; url: string } | undefined> {
  if (process.env.MASQUE_TEST_ENGINE !== 'postgres') return undefined;
  const config = await allEngines.find((e) => e.name === 'postgres')!.config();
  return config as { type: 'postgres'; url: string };
}

/** Runs a suite file again with its nodes on PostgreSQL (the file's tests register when it is imported). */
export async function runOnPostgres(load: () => Promise<unknown>): Promise<void> {
  process.env.MASQUE_TEST_ENGINE = 'postgres';
  await load();
}
