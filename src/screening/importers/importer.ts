/**
 * The importer interface every list format implements, and `importList`, which turns files into a ListVersion.
 * An importer is a pure parser: it gets the files' contents (strings or bytes, never paths) and returns all of the
 * list's entities or throws a ListFormatError. Nothing is ever half-imported: the version exists only once every
 * file parsed.
 */
import { ListFormatError } from '../errors.js';
import type { FileData } from '../formats.js';
import type { Entity } from '../model.js';
import { ListVersion, sha256Hex, type ListFileInfo } from '../version.js';

export interface ListFile {
  /** The name errors and the version's provenance show (a path's last part, a URL). */
  readonly name: string;
  readonly data: FileData;
}

export interface FileRole {
  readonly role: string;
  readonly required: boolean;
  /** Recognises the file by its published name (`SDN.CSV`, `sdn.csv`, `ALT.CSV`...) when roles are not given. */
  readonly pattern: RegExp;
  readonly description: string;
}

export interface ParsedList {
  readonly entities: Entity[];
  /** The publication date the files state (UN `dateGenerated`); importers of formats without one leave it out. */
  readonly publishedAt?: string;
  /** Things the import skipped on purpose (a remark continuation without a parent entry, ...). */
  readonly warnings: string[];
}

export interface ListImporter {
  /** The `source` of every entity and version it makes, e.g. `ofac-sdn`. */
  readonly source: string;
  readonly title: string;
  readonly files: readonly FileRole[];
  parse(files: Readonly<Record<string, ListFile>>): ParsedList;
}

export interface ImportOptions {
  /** Overrides the publication date the files state. */
  readonly publishedAt?: string;
  /** The publication date when the files state none (OFAC's legacy CSV carries no date). */
  readonly fallbackPublishedAt?: string;
  readonly importedAt?: string;
}

/**
 * Assigns files to the importer's roles (by the keys of a record, or by file name for an array), parses them all,
 * and returns the new immutable version. Throws ListFormatError naming the file for a missing, unknown or bad file.
 */
export function importList(importer: ListImporter, files: Readonly<Record<string, ListFile>> | readonly ListFile[], options: ImportOptions = {}): ListVersion {
  const byRole: Record<string, ListFile> = {};
  if (Array.isArray(files)) {
    for (const f of files) {
      const base = f.name.split(/[\\/]/).pop()!;
      const role = importer.files.find((r) => r.pattern.test(base))?.role;
      if (!role) throw new ListFormatError(f.name, `not a file of ${importer.title} (expected ${importer.files.map((r) => r.description).join('; ')})`);
      if (byRole[role]) throw new ListFormatError(f.name, `a second ${role} file (first: ${byRole[role].name})`);
      byRole[role] = f;
    }
  } else {
    for (const [role, f] of Object.entries(files as Record<string, ListFile>)) {
      if (!importer.files.some((r) => r.role === role)) throw new ListFormatError(f.name, `unknown role "${role}" for ${importer.title}`);
      byRole[role] = f;
    }
  }
  for (const r of importer.files) {
    if (r.required && !byRole[r.role]) throw new ListFormatError(r.role, `missing: ${r.description}`);
  }
  const parsed = importer.parse(byRole);
  const fileInfos: ListFileInfo[] = Object.entries(byRole).map(([role, f]) => {
    const bytes = typeof f.data === 'string' ? new TextEncoder().encode(f.data) : f.data;
    return { role, name: f.name, bytes: bytes.length, sha256: sha256Hex(bytes) };
  });
  return ListVersion.create({
    source: importer.source,
    publishedAt: options.publishedAt ?? parsed.publishedAt ?? options.fallbackPublishedAt ?? null,
    importedAt: options.importedAt,
    files: fileInfos,
    warnings: parsed.warnings,
    entries: parsed.entities,
  });
}

/** Removes empty members and empty arrays so that entities (and their hashes) do not depend on how absence is written. */
export function compact<T extends object>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined || v === '' || (Array.isArray(v) && v.length === 0 && !REQUIRED_ARRAYS.has(k))) continue;
    if (v && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out as T;
}
const REQUIRED_ARRAYS = new Set(['names', 'birthDates', 'nationalities', 'countries', 'identifiers', 'programs']);

/** Adds `value` to `list` unless present or empty. */
export function pushUnique<T>(list: T[], value: T | undefined): void {
  if (value !== undefined && value !== '' && !list.includes(value)) list.push(value);
}
