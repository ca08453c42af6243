/**
 * 32-byte big-endian encoding of field elements, the on-disk form of keys, values and hashes.
 * Big-endian so that byte order equals numeric order (readable dumps, range scans in SQL).
 * DataView words avoid the BigInt -> hex string -> bytes round trip.
 */
const MASK64 = (1n << 64n) - 1n;

export function writeField(target: Uint8Array, offset: number, x: bigint): void {
  const view = new DataView(target.buffer, target.byteOffset + offset, 32);
  view.setBigUint64(0, x >> 192n);
  view.setBigUint64(8, (x >> 128n) & MASK64);
  view.setBigUint64(16, (x >> 64n) & MASK64);
  view.setBigUint64(24, x & MASK64);
}

export function readField(source: Uint8Array, offset: number): bigint {
  const view = new DataView(source.buffer, source.byteOffset + offset, 32);
  return (
    (view.getBigUint64(0) << 192n) |
    (view.getBigUint64(8) << 128n) |
    (view.getBigUint64(16) << 64n) |
    view.getBigUint64(24)
  );
}

export function fieldToBytes(x: bigint): Buffer {
  const out = Buffer.allocUnsafe(32);
  writeField(out, 0, x);
  return out;
}

export function bytesToField(bytes: Uint8Array): bigint {
  if (bytes.length !== 32) throw new RangeError(`expected 32 bytes, got ${bytes.length}`);
  return readField(bytes, 0);
}
