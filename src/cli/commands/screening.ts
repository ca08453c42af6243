// `masque screening ...` (a string answer is printed as is): list imports into a local directory, searches, diffs, and batch scoring of name pairs.
// Runs without a node: the lists live in a directory of immutable versions (default ~/.masque/screening).
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Command } from '../command.js';
import type { CliContext } from '../context.js';
import {
  DEFAULT_THRESHOLD, INDEX_FLOOR, ListVersion, MATCHER_VERSION, SOURCES, ScreeningIndex, ScreeningInputError, countryCode, cslImporter,
  decodeText, diffVersions, importList, importerFor, ofacSdnImporter, parseCsv, parseSchema, scoreNames, unConsolidatedImporter,
  type ListFile, type ListVersionJson, type Query, type Schema,
} from '../../screening/index.js';

const USAGE = `screening score-pairs <file.csv|-> [--schema S] [--threshold T]
                                          score name pairs (CSV header name1,name2[,schema]); CSV with score,match on stdout
screening import <source> <file>... [--published YYYY-MM-DD] [--as-of YYYY-MM-DD]
                                          import official list files as a new version (sources: ${SOURCES.join(', ')})
screening lists                           the current version of each imported list
screening diff <source>                   what the current version of <source> changed from the previous one
screening search --name N [--dob YYYY-MM-DD] [--country XX] [--nationality XX] [--schema S] [--id VALUE]
                 [--threshold T] [--limit N] [--lists DIR]
                                          the best matches with explanations (--lists: official files read directly)
  (lists directory: --dir D | $MASQUE_SCREENING_DIR | ~/.masque/screening)`;

const OPTIONS = {
  schema: { type: 'string' }, threshold: { type: 'string' }, published: { type: 'string' }, 'as-of': { type: 'string' }, name: { type: 'string' },
  dob: { type: 'string' }, country: { type: 'string' }, nationality: { type: 'string' }, id: { type: 'string' }, limit: { type: 'string' },
  lists: { type: 'string' }, dir: { type: 'string' },
} as const;

export const screening: Command = {
  name: 'screening',
  usage: USAGE,
  options: OPTIONS,
  run: (ctx) => runScreening(ctx),
};

async function runScreening(ctx: CliContext, stdin: () => Promise<Uint8Array> = readStdin): Promise<unknown> {
  const [sub, ...args] = ctx.args;
  const o = Object.fromEntries(Object.keys(OPTIONS).map((k) => [k, ctx.opt(k)])) as Record<keyof typeof OPTIONS, string | undefined>;
  const env = ctx.env;
  const store = new ListDirectory(o.dir ?? env.MASQUE_SCREENING_DIR ?? join(homedir(), '.masque', 'screening'));
  const threshold = o.threshold === undefined ? DEFAULT_THRESHOLD : number(o.threshold, 'threshold', 0, 1);
  const schema = o.schema === undefined ? undefined : (parseSchema(o.schema) ?? fail('schema', `"${o.schema}" is not one of Person, Organization, Company, LegalEntity, Vessel, Aircraft`));
  if (!sub) return USAGE;
  switch (sub) {
    case 'score-pairs': {
      const path = args[0] ?? fail('file', 'the CSV file (or - for standard input) is required');
      const data = path === '-' ? await stdin() : readFileSync(path);
      return scorePairsCsv(decodeText(path === '-' ? 'stdin' : basename(path), data), { schema, threshold, file: path });
    }
    case 'import': {
      const source = args[0] ?? fail('source', `one of ${SOURCES.join(', ')}`);
      const importer = importerFor(source, o['as-of'] ? { asOf: date(o['as-of'], 'as-of') } : {});
      if (args.length < 2) fail('file', 'at least one list file is required');
      const files: ListFile[] = args.slice(1).map((p) => ({ name: basename(p), data: readFileSync(p) }));
      // The publication date: the file's own when it states one, else --published, else the newest file's date.
      const newest = new Date(Math.max(...args.slice(1).map((p) => statSync(p).mtimeMs))).toISOString().slice(0, 10);
      return store.save(importList(importer, files, { fallbackPublishedAt: newest, ...(o.published ? { publishedAt: date(o.published, 'published') } : {}) }));
    }
    case 'lists':
      return store.current().map((v) => v.summary);
    case 'diff': {
      const source = args[0] ?? fail('source', 'which list');
      const [previous, current] = store.lastTwo(source);
      const d = diffVersions(previous, current);
      const brief = (e: { id: string; names: readonly { full: string }[] }) => ({ id: e.id, name: e.names[0]?.full });
      return { source, from: d.from, to: d.to, unchanged: d.unchanged, added: d.added.map(brief), removed: d.removed.map(brief), changed: d.changed.map((c) => brief(c.after)) };
    }
    case 'search': {
      if (!o.name?.trim()) fail('name', '--name is required');
      const versions = o.lists ? loadOfficialDirectory(o.lists) : store.current();
      if (!versions.length) fail('lists', `no list imported in ${store.dir} (masque screening import ..., or --lists DIR)`);
      const query: Query = {
        names: [o.name!],
        ...(schema ? { schema } : {}),
        ...(o.dob ? { birthDates: [date(o.dob, 'dob')] } : {}),
        ...(o.country ? { countries: [countryCode(o.country) ?? fail('country', `unknown country "${o.country}"`)] } : {}),
        ...(o.nationality ? { nationalities: [countryCode(o.nationality) ?? fail('nationality', `unknown country "${o.nationality}"`)] } : {}),
        ...(o.id ? { identifiers: [{ type: 'other' as const, value: o.id }] } : {}),
      };
      const index = ScreeningIndex.build(versions);
      const hits = index.search(query, { threshold: Math.max(threshold, INDEX_FLOOR), limit: o.limit ? number(o.limit, 'limit', 1, 1000) : 10 });
      return {
        matcher: MATCHER_VERSION, threshold, lists: versions.map((v) => v.summary),
        matches: hits.map((h) => ({
          score: h.score, entity: h.entityId, schema: h.entity.schema, name: h.entity.names[0].full, matchedName: h.listName, matchedNameKind: h.listNameKind,
          matchedNameQuality: h.listNameQuality, queryName: h.queryName, nameScore: h.nameScore, pairs: h.name.pairs,
          unmatched: { query: h.name.unmatchedQuery, list: h.name.unmatchedCandidate }, notes: h.name.notes, qualifiers: h.qualifiers,
          ...(h.identifier ? { identifier: h.identifier } : {}), programs: h.entity.programs, birthDates: h.entity.birthDates, nationalities: h.entity.nationalities,
        })),
      };
    }
  }
  return fail('command', `unknown screening command "${sub}"\n\n${USAGE}`);
}

function fail(field: string, reason: string): never {
  throw new ScreeningInputError(field, reason);
}

function number(v: string, field: string, min: number, max: number): number {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) fail(field, `must be a number between ${min} and ${max}`);
  return n;
}

function date(v: string, field: string): string {
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v)) fail(field, 'must be YYYY, YYYY-MM or YYYY-MM-DD');
  return v;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** RFC 4180 field: quoted when it holds a comma, a quote, CR or LF (and quotes doubled). */
const csvField = (f: string) => (/[",\r\n]/.test(f) ? `"${f.replace(/"/g, '""')}"` : f);

/**
 * The score-pairs batch: the same rows in the same order with `score` and `match` appended. Rows whose names are
 * empty score 0; a row's own schema column wins over `--schema`; an unknown schema value counts as none.
 */
export function scorePairsCsv(text: string, options: { schema?: Schema; threshold: number; file?: string }): string {
  const rows = parseCsv(options.file ?? 'pairs.csv', text, { lenient: true });
  const header = rows[0] ?? fail('file', 'empty: a header row name1,name2[,schema] is required');
  const names = header.fields.map((h) => h.trim().toLowerCase());
  const i1 = names.indexOf('name1');
  const i2 = names.indexOf('name2');
  const is = names.indexOf('schema');
  if (i1 < 0 || i2 < 0) fail('header', `needs name1 and name2 columns (found: ${header.fields.join(', ')})`);
  const out = [[...header.fields, 'score', 'match'].map(csvField).join(',')];
  for (const row of rows.slice(1)) {
    const fields = [...row.fields];
    while (fields.length < header.fields.length) fields.push('');
    const schema = (is >= 0 ? parseSchema(fields[is]) : undefined) ?? options.schema;
    const score = scoreNames(fields[i1] ?? '', fields[i2] ?? '', schema).score;
    out.push([...fields, score.toFixed(4), String(score >= options.threshold)].map(csvField).join(','));
  }
  return out.join('\n');
}

/** Official files read directly from a directory laid out like the shared snapshot (sdn.csv, alt.csv, ...). */
export function loadOfficialDirectory(dir: string): ListVersion[] {
  const file = (n: string): ListFile | undefined => {
    const hit = readdirSync(dir).find((f) => f.toLowerCase() === n.toLowerCase());
    return hit ? { name: hit, data: readFileSync(join(dir, hit)) } : undefined;
  };
  const out: ListVersion[] = [];
  const sdn = file('sdn.csv');
  if (sdn) out.push(importList(ofacSdnImporter, [sdn, file('alt.csv'), file('add.csv'), file('sdn_comments.csv')].filter((f): f is ListFile => !!f)));
  const un = readdirSync(dir).find((f) => /^un.*\.xml$/i.test(f) || /consolidated.*\.xml$/i.test(f));
  if (un) out.push(importList(unConsolidatedImporter, [{ name: un, data: readFileSync(join(dir, un)) }]));
  const csl = file('csl.csv') ?? file('consolidated.csv');
  if (csl) out.push(importList(cslImporter, [csl]));
  if (!out.length) fail('lists', `${dir} holds no sdn.csv, UN XML nor csl.csv`);
  return out;
}

/**
 * The local list store: `versions/<source>/<hash>.json` (immutable, written once, then renamed into place) and
 * `current.json` (each source's current and previous version hashes, replaced atomically). A failed import writes
 * nothing, so the current version stays current; a version file that no longer hashes right does not load.
 */
export class ListDirectory {
  constructor(readonly dir: string) {}

  private pointerPath = () => join(this.dir, 'current.json');
  private versionPath = (source: string, hash: string) => join(this.dir, 'versions', source, `${hash.replace(/^sha256:/, '')}.json`);

  private pointers(): Record<string, { current: string; previous?: string }> {
    return existsSync(this.pointerPath()) ? JSON.parse(readFileSync(this.pointerPath(), 'utf8')) : {};
  }

  private atomicWrite(path: string, data: string): void {
    mkdirSync(join(path, '..'), { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  }

  save(version: ListVersion): { source: string; hash: string; entryCount: number; publishedAt: string | null; status: 'new' | 'unchanged'; previous?: string } {
    const pointers = this.pointers();
    const before = pointers[version.source];
    const path = this.versionPath(version.source, version.hash);
    if (!existsSync(path)) this.atomicWrite(path, JSON.stringify(version));
    const unchanged = before?.current === version.hash;
    if (!unchanged) {
      pointers[version.source] = { current: version.hash, ...(before ? { previous: before.current } : {}) };
      this.atomicWrite(this.pointerPath(), JSON.stringify(pointers, null, 2));
    }
    return { source: version.source, hash: version.hash, entryCount: version.entryCount, publishedAt: version.publishedAt, status: unchanged ? 'unchanged' : 'new', ...(before ? { previous: before.current } : {}) };
  }

  load(source: string, hash: string): ListVersion {
    return ListVersion.fromJSON(JSON.parse(readFileSync(this.versionPath(source, hash), 'utf8')) as ListVersionJson);
  }

  current(): ListVersion[] {
    return Object.entries(this.pointers()).map(([source, p]) => this.load(source, p.current));
  }

  lastTwo(source: string): [ListVersion, ListVersion] {
    const p = this.pointers()[source];
    if (!p) fail('source', `no version of ${source} imported in ${this.dir}`);
    if (!p.previous) fail('source', `${source} has only one version in ${this.dir}`);
    return [this.load(source, p.previous), this.load(source, p.current)];
  }
}
