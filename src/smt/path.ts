/**
 * Base-5 digits of a key, least significant first: the digit at level l picks the child at level l + 1.
 * Digits are peeled off in chunks of 22 (5^22 < 2^53) so the inner loop runs on doubles, not BigInt.
 */
const CHUNK = 22;
const CHUNK_MODULUS = 5n ** BigInt(CHUNK);

export const ARITY = 5;
export const MIN_DEPTH = 1;
/** 5^110 > r, so deeper levels would never separate two distinct field elements. */
export const MAX_DEPTH = 110;

export function assertDepth(maxDepth: number): void {
  if (!Number.isInteger(maxDepth) || maxDepth < MIN_DEPTH || maxDepth > MAX_DEPTH) {
    throw new RangeError(`maxDepth must be an integer in [${MIN_DEPTH}, ${MAX_DEPTH}], got ${maxDepth}`);
  }
}

export function keyDigits(key: bigint, depth: number): Uint8Array {
  const digits = new Uint8Array(depth);
  let rest = key;
  for (let base = 0; base < depth; base += CHUNK) {
    let chunk = Number(rest % CHUNK_MODULUS);
    rest /= CHUNK_MODULUS;
    const end = Math.min(depth, base + CHUNK);
    for (let l = base; l < end; l++) {
      const q = Math.floor(chunk / 5);
      digits[l] = chunk - q * 5;
      chunk = q;
    }
  }
  return digits;
}
