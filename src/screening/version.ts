/**
 * Immutable, content-hashed list versions and the differences between them.
 *
 * Every entry is hashed over its canonical JSON (keys sorted, no white space, UTF-8), and the version over its source
 * and its entries' ids and hashes in id order. Metadata (publication and import dates, file names) is outside the
 * hash: the same content published twice is the same version, and an auditor recomputes the hash from the entries
 * alone. `ListVersion.fromJSON` recomputes every hash, so a stored version that was altered does not load.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { ListIntegrityError, ScreeningInputError } from './errors.js';
import type { Entity } from './model.js';

export interface ListFileInfo {
  /** The role the importer gave the file (`sdn`, `alt`, ...) and the name the caller gave it. */
  readonly role: string;
  readonly name: string;
  readonly bytes: number;
  /** sha256 of the file's bytes as handed in (hex). */
  readonly sha256: string;
}

export interface ListVersionJson {
  readonly format: 'masque-screening-list/1';
  readonly source: string;
  readonly publishedAt: string | null;
  readonly importedAt: string;
  readonly entryCount: number;
  readonly hash: string;
  readonly files: readonly ListFileInfo[];
  readonly warnings: readonly string[];
  readonly entries: readonly Entity[];
}

/** Canonical JSON: object keys sorted, undefined members dropped, no white space. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export const sha256Hex = (data: string | Uint8Array) => bytesToHex(sha256(typeof data === 'string' ? utf8ToBytes(data) : data));

/** The content hash of one entry: `sha256:` + hex of its canonical JSON. */
export const entityHash = (entity: Entity) => `sha256:${sha256Hex(canonicalJson(entity))}`;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

export class ListVersion {
  readonly entryCount: number;
  readonly hash: string;
  private readonly byId: ReadonlyMap<string, { entity: Entity; hash: string }>;

  private constructor(
    readonly source: string,
    /** As the list states it (ISO date or date-time); null when the format carries none and the caller gave none. */
    readonly publishedAt: string | null,
    readonly importedAt: string,
    readonly files: readonly ListFileInfo[],
    readonly warnings: readonly string[],
    /** Sorted by id, frozen. */
    readonly entries: readonly Entity[],
    hashes: readonly string[],
  ) {
    const byId = new Map<string, { entity: Entity; hash: string }>();
    let digestInput = `masque-screening/list/v1\n${source}\n`;
    entries.forEach((entity, i) => {
      byId.set(entity.id, { entity, hash: hashes[i] });
      digestInput += `${entity.id} ${hashes[i]}\n`;
    });
    this.byId = byId;
    this.entryCount = entries.length;
    this.hash = `sha256:${sha256Hex(digestInput)}`;
    Object.freeze(this);
  }

  /**
   * Builds a version from an importer's entities. Ids must be unique and belong to `source`. The version takes the
   * entities over: they are frozen in place (deeply) and kept in id order.
   */
  static create(input: {
    source: string;
    publishedAt?: string | null;
    importedAt?: string;
    files?: readonly ListFileInfo[];
    warnings?: readonly string[];
    entries: readonly Entity[];
  }): ListVersion {
    const entries = [...input.entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    for (let i = 0; i < entries.length; i++) {
      const e = entries[i];
      if (e.source !== input.source) throw new ScreeningInputError(`entries[${e.id}].source`, `is ${e.source}, the version's source is ${input.source}`);
      if (i > 0 && entries[i - 1].id === e.id) throw new ScreeningInputError(`entries[${e.id}].id`, 'appears twice');
    }
    deepFreeze(entries);
    return new ListVersion(
      input.source,
      input.publishedAt ?? null,
      input.importedAt ?? new Date().toISOString(),
      deepFreeze([...(input.files ?? [])]),
      deepFreeze([...(input.warnings ?? [])]),
      entries,
      entries.map(entityHash),
    );
  }

  /** Loads a stored version, recomputing every hash; ListIntegrityError if the content no longer matches `hash`. */
  static fromJSON(json: ListVersionJson): ListVersion {
    if (json?.format !== 'masque-screening-list/1') throw new ScreeningInputError('format', 'not a masque-screening-list/1 document');
    const v = ListVersion.create(json);
    if (v.hash !== json.hash) throw new ListIntegrityError(json.source, json.hash, v.hash);
    return v;
  }

  toJSON(): ListVersionJson {
    return {
      format: 'masque-screening-list/1', source: this.source, publishedAt: this.publishedAt, importedAt: this.importedAt,
      entryCount: this.entryCount, hash: this.hash, files: this.files, warnings: this.warnings, entries: this.entries,
    };
  }

  /** What an evidence record cites: no entries. */
  get summary(): { source: string; publishedAt: string | null; importedAt: string; entryCount: number; hash: string } {
    return { source: this.source, publishedAt: this.publishedAt, importedAt: this.importedAt, entryCount: this.entryCount, hash: this.hash };
  }

  entry(id: string): Entity | undefined {
    return this.byId.get(id)?.entity;
  }

  entryHash(id: string): string | undefined {
    return this.byId.get(id)?.hash;
  }

  ids(): IterableIterator<string> {
    return this.byId.keys();
  }
}

export interface ListDiff {
  readonly source: string;
  readonly from: string;
  readonly to: string;
  readonly added: readonly Entity[];
  readonly removed: readonly Entity[];
  readonly changed: readonly { readonly before: Entity; readonly after: Entity }[];
  readonly unchanged: number;
}

/**
 * What changed from `older` to `newer` (same source): entries added, removed, and changed (same id, different
 * content hash). A monitor re-screens `added` and every `changed[i].after`: `entriesToRescreen(diff)`.
 */
export function diffVersions(older: ListVersion, newer: ListVersion): ListDiff {
  if (older.source !== newer.source) throw new ScreeningInputError('newer.source', `is ${newer.source}, the older version's is ${older.source}`);
  const added: Entity[] = [];
  const changed: { before: Entity; after: Entity }[] = [];
  let unchanged = 0;
  for (const after of newer.entries) {
    const beforeHash = older.entryHash(after.id);
    if (beforeHash === undefined) added.push(after);
    else if (beforeHash !== newer.entryHash(after.id)) changed.push({ before: older.entry(after.id)!, after });
    else unchanged++;
  }
  const removed = older.entries.filter((e) => newer.entryHash(e.id) === undefined);
  return { source: newer.source, from: older.hash, to: newer.hash, added, removed, changed, unchanged };
}

/** The entries a delta screen must look at after `diff`: the new ones and the new content of changed ones. */
export const entriesToRescreen = (diff: ListDiff): Entity[] => [...diff.added, ...diff.changed.map((c) => c.after)];
