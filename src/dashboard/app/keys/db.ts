// IndexedDB for the dashboard: sealed key files (the `masque` CLI's keystore format, so a file moves between the
// CLI and the browser unchanged) and the verifier's local audit trail. Nothing here is ever in clear: a key
// record's secret part is a passphrase box.
import type { PassphraseBox } from '../../../crypto/passphrase-box.js';

/** The CLI's key file (src/wallet/keystore.ts): public parts beside a passphrase box of { privateKey, kemSeed }. */
export interface KeyFile { version: 1; name: string; address: string; encryptionDid: string; box: PassphraseBox }
export interface KeyRecord extends KeyFile { createdAt: number; source: 'created' | 'imported' }
export interface AuditEntry { id?: number; at: number; actor: string; action: string; identity: string; topic: number; cid?: string; documentHash?: string; ok: boolean; detail?: string; via?: string }

const DB = 'masque-dashboard';
let dbp: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  return (dbp ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('keys', { keyPath: 'name' });
      db.createObjectStore('audit', { keyPath: 'id', autoIncrement: true }).createIndex('actor', 'actor');
      db.createObjectStore('kv');
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  }));
}

function tx<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return open().then((db) => new Promise<T>((resolve, reject) => {
    const t = db.transaction(store, mode);
    const r = fn(t.objectStore(store));
    // Resolve on commit, not on the request: a write is acknowledged only once it is durable in the database.
    t.oncomplete = () => resolve(r.result);
    t.onerror = () => reject(t.error ?? r.error);
    t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted'));
  }));
}

export const keyRecords = {
  list: () => tx<KeyRecord[]>('keys', 'readonly', (s) => s.getAll() as IDBRequest<KeyRecord[]>),
  get: (name: string) => tx<KeyRecord | undefined>('keys', 'readonly', (s) => s.get(name) as IDBRequest<KeyRecord | undefined>),
  add: (r: KeyRecord) => tx('keys', 'readwrite', (s) => s.add(r)),
  /** Replaces a record (the same key resealed: after a rotation of its encryption key). */
  put: (r: KeyRecord) => tx('keys', 'readwrite', (s) => s.put(r)),
  remove: (name: string) => tx('keys', 'readwrite', (s) => s.delete(name)),
};

export const auditLog = {
  add: (e: AuditEntry) => tx('audit', 'readwrite', (s) => s.add(e)),
  of: (actor: string) => tx<AuditEntry[]>('audit', 'readonly', (s) => s.index('actor').getAll(actor.toLowerCase()) as IDBRequest<AuditEntry[]>),
};

/** Small per-browser settings and public records (never a secret). */
export const kv = {
  get: <T>(k: string) => tx<T | undefined>('kv', 'readonly', (s) => s.get(k) as IDBRequest<T | undefined>),
  set: (k: string, v: unknown) => tx('kv', 'readwrite', (s) => s.put(v, k)),
};
