import type { Kysely } from 'kysely';
import type { Migration } from './migrate.js';

export interface DocumentsTables {
  documents: { cid: string; digest: string; size: number; media_type: string; created_at: number };
  envelopes: { ref: string; cid: string; recipient: string; envelope: string; created_at: number };
}

export const documentsMigration: Migration = {
  id: '0003-documents',
  async up(db, t) {
    await db.schema.createTable('documents')
      .addColumn('cid', t.text, (c) => c.primaryKey())
      .addColumn('digest', t.text, (c) => c.notNull())
      .addColumn('size', t.bigint, (c) => c.notNull())
      .addColumn('media_type', t.text, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createTable('envelopes')
      .addColumn('ref', t.text, (c) => c.primaryKey())
      .addColumn('cid', t.text, (c) => c.notNull().references('documents.cid'))
      .addColumn('recipient', t.text, (c) => c.notNull())
      .addColumn('envelope', t.text, (c) => c.notNull())
      .addColumn('created_at', t.bigint, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('envelopes_cid').on('envelopes').column('cid').execute();
  },
};

export interface DocumentRow { cid: string; digest: string; size: number; mediaType: string; createdAt: number }
export interface EnvelopeRow { ref: string; cid: string; recipient: string; envelope: string; createdAt: number }

/** Metadata of encrypted documents (bytes live in the blockstore) and their key envelopes, one per recipient. */
export class DocumentsRepo {
  constructor(private readonly db: Kysely<DocumentsTables>) {}

  async putDocument(d: Omit<DocumentRow, 'createdAt'>): Promise<void> {
    await this.db.insertInto('documents').values({ cid: d.cid, digest: d.digest, size: d.size, media_type: d.mediaType, created_at: Date.now() })
      .onConflict((oc) => oc.doNothing()).execute();
  }
  document(cid: string): Promise<DocumentRow | undefined> {
    return this.db.selectFrom('documents').select(['cid', 'digest', 'size', 'media_type as mediaType', 'created_at as createdAt'])
      .where('cid', '=', cid).executeTakeFirst();
  }
  /** Document CIDs in key order after `after` (exclusive), `limit` of them: to walk every document in pages. */
  async cidsAfter(after: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('documents').select('cid').where('cid', '>', after).orderBy('cid').limit(limit).execute();
    return rows.map((r) => r.cid);
  }
  /** Envelope references (the digests of their blocks' CIDs) in order, after `after`: for the pin audit. */
  async envelopeRefsAfter(after: string, limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('envelopes').select('ref').where('ref', '>', after).orderBy('ref').limit(limit).execute();
    return rows.map((r) => r.ref);
  }
  async putEnvelope(e: Omit<EnvelopeRow, 'createdAt'>): Promise<void> {
    await this.db.insertInto('envelopes').values({ ref: e.ref.toLowerCase(), cid: e.cid, recipient: e.recipient, envelope: e.envelope, created_at: Date.now() })
      .onConflict((oc) => oc.doNothing()).execute();
  }
  envelope(ref: string): Promise<EnvelopeRow | undefined> {
    return this.envelopes().where('ref', '=', ref.toLowerCase()).executeTakeFirst();
  }
  envelopesOf(cid: string): Promise<EnvelopeRow[]> {
    return this.envelopes().where('cid', '=', cid).orderBy('created_at').execute();
  }
  private envelopes() {
    return this.db.selectFrom('envelopes').select(['ref', 'cid', 'recipient', 'envelope', 'created_at as createdAt']);
  }
}
