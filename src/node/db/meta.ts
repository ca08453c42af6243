import type { Db, Migration } from './sqlite.js';

export const metaMigration: Migration = {
  id: '001-meta',
  sql: `
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE issuers (
      address TEXT PRIMARY KEY, name TEXT NOT NULL, signer TEXT NOT NULL, topics TEXT NOT NULL, created_at INTEGER NOT NULL
    );
    CREATE TABLE auth_nonces (signer TEXT NOT NULL, nonce TEXT NOT NULL, used_at INTEGER NOT NULL, PRIMARY KEY (signer, nonce));
  `,
};

export interface IssuerRow { address: string; name: string; signer: string; topics: number[]; createdAt: number }

/** Deployment record, configured issuers and spent authorization nonces. */
export class MetaRepo {
  private readonly getS; private readonly setS; private readonly issuerIns; private readonly issuerAll; private readonly nonceIns;
  constructor(private readonly db: Db) {
    this.getS = db.prepare('SELECT value FROM meta WHERE key = ?');
    this.setS = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value');
    this.issuerIns = db.prepare('INSERT OR REPLACE INTO issuers (address, name, signer, topics, created_at) VALUES (?, ?, ?, ?, ?)');
    this.issuerAll = db.prepare('SELECT address, name, signer, topics, created_at AS createdAt FROM issuers ORDER BY created_at');
    this.nonceIns = db.prepare('INSERT OR IGNORE INTO auth_nonces (signer, nonce, used_at) VALUES (?, ?, ?)');
  }
  get<T>(key: string): T | undefined {
    const r = this.getS.get(key) as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as T) : undefined;
  }
  set(key: string, value: unknown): void {
    this.setS.run(key, JSON.stringify(value));
  }
  putIssuer(i: Omit<IssuerRow, 'createdAt'>): void {
    this.issuerIns.run(i.address.toLowerCase(), i.name, i.signer.toLowerCase(), JSON.stringify(i.topics), Date.now());
  }
  issuers(): IssuerRow[] {
    return (this.issuerAll.all() as (Omit<IssuerRow, 'topics'> & { topics: string })[]).map((r) => ({ ...r, topics: JSON.parse(r.topics) as number[] }));
  }
  /** Records a spent nonce; false when it was spent already (a replay). */
  spendNonce(signer: string, nonce: string): boolean {
    return this.nonceIns.run(signer.toLowerCase(), nonce.toLowerCase(), Date.now()).changes === 1;
  }
}
