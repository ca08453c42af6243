import type { Db, Migration } from './sqlite.js';

export const identitiesMigration: Migration = {
  id: '002-identities',
  sql: `
    CREATE TABLE identities (
      wallet TEXT PRIMARY KEY, identity TEXT NOT NULL UNIQUE, salt TEXT NOT NULL, tx_hash TEXT, created_at INTEGER NOT NULL
    );
  `,
};

export interface IdentityRow { wallet: string; identity: string; salt: string; txHash: string | null; createdAt: number }

const COLS = 'wallet, identity, salt, tx_hash AS txHash, created_at AS createdAt';

export class IdentitiesRepo {
  private readonly ins; private readonly byW; private readonly byI; private readonly cnt;
  constructor(db: Db) {
    this.ins = db.prepare('INSERT INTO identities (wallet, identity, salt, tx_hash, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(wallet) DO UPDATE SET tx_hash = COALESCE(excluded.tx_hash, identities.tx_hash)');
    this.byW = db.prepare(`SELECT ${COLS} FROM identities WHERE wallet = ?`);
    this.byI = db.prepare(`SELECT ${COLS} FROM identities WHERE identity = ?`);
    this.cnt = db.prepare('SELECT COUNT(*) AS n FROM identities');
  }
  put(r: Omit<IdentityRow, 'createdAt'>): void {
    this.ins.run(r.wallet.toLowerCase(), r.identity.toLowerCase(), r.salt, r.txHash, Date.now());
  }
  byWallet(wallet: string): IdentityRow | undefined {
    return this.byW.get(wallet.toLowerCase()) as IdentityRow | undefined;
  }
  byIdentity(identity: string): IdentityRow | undefined {
    return this.byI.get(identity.toLowerCase()) as IdentityRow | undefined;
  }
  count(): number {
    return (this.cnt.get() as { n: number }).n;
  }
}
