import type { Db, Migration } from './sqlite.js';

export const documentsMigration: Migration = {
  id: '003-documents',
  sql: `
    CREATE TABLE documents (
      cid TEXT PRIMARY KEY, digest TEXT NOT NULL, size INTEGER NOT NULL, media_type TEXT NOT NULL, created_at INTEGER NOT NULL
    );
    CREATE TABLE envelopes (
      ref TEXT PRIMARY KEY, cid TEXT NOT NULL REFERENCES documents(cid), recipient TEXT NOT NULL, envelope TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX envelopes_cid ON envelopes(cid);
  `,
};

export interface DocumentRow { cid: string; digest: string; size: number; mediaType: string; createdAt: number }
export interface EnvelopeRow { ref: string; cid: string; recipient: string; envelope: string; createdAt: number }

/** Metadata of encrypted documents (bytes live in the blockstore) and their key envelopes, one per recipient. */
export class DocumentsRepo {
  private readonly insD; private readonly getD; private readonly insE; private readonly getE; private readonly byCid;
  constructor(db: Db) {
    this.insD = db.prepare('INSERT OR IGNORE INTO documents (cid, digest, size, media_type, created_at) VALUES (?, ?, ?, ?, ?)');
    this.getD = db.prepare('SELECT cid, digest, size, media_type AS mediaType, created_at AS createdAt FROM documents WHERE cid = ?');
    this.insE = db.prepare('INSERT OR IGNORE INTO envelopes (ref, cid, recipient, envelope, created_at) VALUES (?, ?, ?, ?, ?)');
    this.getE = db.prepare('SELECT ref, cid, recipient, envelope, created_at AS createdAt FROM envelopes WHERE ref = ?');
    this.byCid = db.prepare('SELECT ref, cid, recipient, envelope, created_at AS createdAt FROM envelopes WHERE cid = ? ORDER BY created_at');
  }
  putDocument(d: Omit<DocumentRow, 'createdAt'>): void {
    this.insD.run(d.cid, d.digest, d.size, d.mediaType, Date.now());
  }
  document(cid: string): DocumentRow | undefined {
    return this.getD.get(cid) as DocumentRow | undefined;
  }
  putEnvelope(e: Omit<EnvelopeRow, 'createdAt'>): void {
    this.insE.run(e.ref.toLowerCase(), e.cid, e.recipient, e.envelope, Date.now());
  }
  envelope(ref: string): EnvelopeRow | undefined {
    return this.getE.get(ref.toLowerCase()) as EnvelopeRow | undefined;
  }
  envelopesOf(cid: string): EnvelopeRow[] {
    return this.byCid.all(cid) as EnvelopeRow[];
  }
}
