// Reading a request body under limits checked while it streams in: its size, the number of requests in a batch and
// the nesting depth. An over-limit body is refused as soon as the limit is crossed, before the rest is read, buffered
// or parsed (a 16 MiB batch of 100,000 requests used to be read and parsed whole before the batch limit said no).
import type { IncomingMessage } from 'node:http';
import { RpcCode, RpcError } from './errors.js';

export interface BodyLimits {
  /** Bytes. */
  readonly maxBytes: number;
  /** Requests in one batch (a top-level array). */
  readonly maxBatch: number;
  /** Nested arrays and objects, the top level counting 1. */
  readonly maxDepth: number;
}

/** Refusal of a body over one of the limits; `status` is the HTTP status it is answered with. */
export class BodyRefusal extends RpcError {
  constructor(readonly status: number, code: number, message: string) {
    super(code, message);
  }
}

const tooLarge = (limit: number) => new BodyRefusal(413, RpcCode.TOO_LARGE, `request body larger than ${limit} bytes`);

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const OPEN_ARRAY = 0x5b, CLOSE_ARRAY = 0x5d, OPEN_OBJECT = 0x7b, CLOSE_OBJECT = 0x7d;
const isSpace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * An incremental scan of JSON's structure, byte by byte (UTF-8 continuation bytes are all >= 0x80, so they never look
 * like a bracket or a quote): the depth, and at depth 1 of a top-level array the number of elements begun. It does
 * not validate: malformed JSON within the limits is JSON.parse's to refuse (-32700) once the body is whole.
 */
export class JsonShapeScanner {
  #depth = 0;
  #inString = false;
  #escaped = false;
  #topIsArray: boolean | undefined;
  #elementOpen = false;
  #elements = 0;

  constructor(private readonly limits: Pick<BodyLimits, 'maxBatch' | 'maxDepth'>) {}

  /** The refusal the bytes so far already earn, or undefined. */
  feed(chunk: Uint8Array): BodyRefusal | undefined {
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (b === BACKSLASH) this.#escaped = true;
        else if (b === QUOTE) this.#inString = false;
        continue;
      }
      if (isSpace(b)) continue;
      if (this.#depth === 1 && this.#topIsArray) {
        if (b === COMMA) {
          this.#elementOpen = false;
          continue;
        }
        if (b !== CLOSE_ARRAY && !this.#elementOpen) {
          this.#elementOpen = true;
          if (++this.#elements > this.limits.maxBatch) {
            return new BodyRefusal(200, RpcCode.INVALID_REQUEST, `batch larger than ${this.limits.maxBatch}`);
          }
        }
      }
      if (b === QUOTE) this.#inString = true;
      else if (b === OPEN_ARRAY || b === OPEN_OBJECT) {
        if (this.#depth === 0 && this.#topIsArray === undefined) this.#topIsArray = b === OPEN_ARRAY;
        if (++this.#depth > this.limits.maxDepth) {
          return new BodyRefusal(200, RpcCode.INVALID_REQUEST, `JSON nested deeper than ${this.limits.maxDepth} levels`);
        }
      } else if (b === CLOSE_ARRAY || b === CLOSE_OBJECT) {
        if (this.#depth > 0) this.#depth--;
      }
    }
    return undefined;
  }
}

/**
 * Reads `req`'s body within `limits`. On a refusal the bytes read so far are dropped, the rest is left unread (the
 * caller answers, with `connection: close`, and the socket goes once the answer is out) and the promise rejects with
 * the BodyRefusal.
 */
export function readBody(req: IncomingMessage, limits: BodyLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limits.maxBytes) return reject(tooLarge(limits.maxBytes));
    const scanner = new JsonShapeScanner(limits);
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer) => {
      size += c.length;
      const refusal = size > limits.maxBytes ? tooLarge(limits.maxBytes) : scanner.feed(c);
      if (refusal) {
        chunks.length = 0;
        req.off('data', onData).off('end', onEnd);
        // Unread bytes would stall the socket's half-close: keep draining, to nowhere, until the answer closes it.
        req.resume();
        reject(refusal);
        return;
      }
      chunks.push(c);
    };
    const onEnd = () => resolve(Buffer.concat(chunks, size));
    req.on('data', onData).on('end', onEnd).on('error', reject);
  });
}
