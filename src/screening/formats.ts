/**
 * Reading list files handed in as strings or bytes: UTF-8 decoding, CSV (csv-parse) and XML (saxes) into small
 * trees that keep line numbers, so every importer's errors can say where a file is wrong.
 */
import { SaxesParser } from 'saxes';
import { ListFormatError } from './errors.js';

export type FileData = string | Uint8Array;

/** Decodes UTF-8 (a BOM is dropped); invalid bytes are an error naming the line they are on. */
export function decodeText(file: string, data: FileData): string {
  if (typeof data === 'string') return data.charCodeAt(0) === 0xfeff ? data.slice(1) : data;
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(data);
  } catch {
    const lossy = new TextDecoder('utf-8').decode(data);
    const at = lossy.indexOf('\ufffd');
    throw new ListFormatError(file, 'not valid UTF-8', { line: lineAt(lossy, at) });
  }
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export interface CsvRow {
  readonly line: number;
  readonly fields: readonly string[];
}

export interface CsvOptions {
  /** Rows must have exactly this many fields (the OFAC files); otherwise any count is accepted. */
  readonly columns?: number;
  /** Accept quotes inside unquoted fields and rows of differing lengths (user-made files). */
  readonly lenient?: boolean;
}

/**
 * RFC 4180 CSV (quotes doubled inside quoted fields, CRLF or LF, quoted newlines) into rows with the line each
 * starts on. A leading BOM, a trailing DOS end-of-file byte (0x1A) and blank lines are dropped.
 *
 * Hand-written: csv-parse (kept as a dev dependency for the comparison in bench/screening.ts) took about 10 times
 * as long on the OFAC files, which made it most of the whole ingestion time.
 */
export function parseCsv(file: string, text: string, options: CsvOptions = {}): CsvRow[] {
  let end = text.length;
  while (end > 0 && [0x1a, 10, 13].includes(text.charCodeAt(end - 1))) end--;
  const rows: CsvRow[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let line = 1;
  while (i < end) {
    const rowLine = line;
    const fields: string[] = [];
    for (;;) {
      let field: string;
      if (text.charCodeAt(i) === 34 /* " */) {
        let parts = '';
        let from = i + 1;
        for (;;) {
          const q = text.indexOf('"', from);
          if (q < 0 || q >= end) {
            if (!options.lenient) throw new ListFormatError(file, 'CSV syntax: a quoted field is not closed', { line: rowLine });
            parts += text.slice(from, end);
            i = end;
            break;
          }
          parts += text.slice(from, q);
          if (text.charCodeAt(q + 1) === 34) {
            parts += '"';
            from = q + 2;
            continue;
          }
          i = q + 1;
          break;
        }
        for (let k = parts.indexOf('\n'); k >= 0; k = parts.indexOf('\n', k + 1)) line++;
        // Text between the closing quote and the separator: an error unless lenient (then kept).
        let j = i;
        while (j < end && text.charCodeAt(j) !== 44 && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
        if (j > i) {
          const extra = text.slice(i, j);
          if (extra.trim() && !options.lenient) throw new ListFormatError(file, `CSV syntax: text after a closing quote (${JSON.stringify(extra.slice(0, 20))})`, { line });
          parts += extra.trim() ? extra : '';
        }
        field = parts;
        i = j;
      } else {
        let j = i;
        while (j < end) {
          const c = text.charCodeAt(j);
          if (c === 44 || c === 10 || c === 13) break;
          if (c === 34 && !options.lenient) throw new ListFormatError(file, 'CSV syntax: a quote inside an unquoted field', { line });
          j++;
        }
        field = text.slice(i, j);
        i = j;
      }
      fields.push(field);
      if (i < end && text.charCodeAt(i) === 44) {
        i++;
        continue;
      }
      break;
    }
    // end of record: CRLF, LF or CR
    if (text.charCodeAt(i) === 13) i++;
    if (text.charCodeAt(i) === 10) i++;
    line++;
    if (fields.length === 1 && fields[0] === '') continue; // blank line
    if (options.columns !== undefined && fields.length !== options.columns) {
      throw new ListFormatError(file, `expected ${options.columns} fields, found ${fields.length}`, { line: rowLine });
    }
    rows.push({ line: rowLine, fields });
  }
  return rows;
}

/** An XML element: its name, attributes, direct text (trimmed) and child elements, with the line it starts on. */
export interface XmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlNode[];
  text: string;
  readonly line: number;
}

/** Parses a whole XML document into a tree (namespaces are kept as written: `xsi:...`). */
export function parseXml(file: string, text: string): XmlNode {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: XmlNode[] = [];
  let root: XmlNode | undefined;
  parser.on('opentag', (tag) => {
    const node: XmlNode = { name: tag.name, attributes: tag.attributes as Record<string, string>, children: [], text: '', line: parser.line };
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(node);
    else root = node;
    stack.push(node);
  });
  const onText = (t: string) => {
    const node = stack[stack.length - 1];
    if (node) node.text += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const node = stack.pop()!;
    node.text = node.text.trim();
  });
  parser.on('error', (e) => {
    throw new ListFormatError(file, `XML syntax: ${e.message.replace(/^\d+:\d+: /, '')}`, { line: parser.line });
  });
  parser.write(text).close();
  if (!root) throw new ListFormatError(file, 'no XML element');
  return root;
}

/** The first child named `name`, if any. */
export const child = (node: XmlNode, name: string): XmlNode | undefined => node.children.find((c) => c.name === name);
/** All children named `name`. */
export const children = (node: XmlNode, name: string): XmlNode[] => node.children.filter((c) => c.name === name);
/** The trimmed text of the first child named `name`; undefined when missing or empty (UN's `<COUNTRY/>` placeholders). */
export function childText(node: XmlNode, name: string): string | undefined {
  const c = child(node, name);
  return c && c.text ? c.text : undefined;
}

/** Collapses runs of white space (line breaks inside a value included) into one space and trims. */
export const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
