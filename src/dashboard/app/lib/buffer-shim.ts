// The few Node `Buffer` calls the SDK helpers make (hex and base64 of bytes), for the browser bundle only.
// esbuild injects this module where the bundle references `Buffer`; nothing else of Node is shimmed.
class BufferBytes extends Uint8Array {
  override toString(encoding?: string): string {
    if (encoding === 'hex') return Array.from(this, (b) => b.toString(16).padStart(2, '0')).join('');
    if (encoding === 'base64') {
      let bin = '';
      for (let i = 0; i < this.length; i += 0x8000) bin += String.fromCharCode(...this.subarray(i, i + 0x8000));
      return btoa(bin);
    }
    return new TextDecoder().decode(this);
  }
}

export const Buffer = {
  from(v: ArrayLike<number> | ArrayBuffer | string, encoding?: string): BufferBytes {
    if (typeof v !== 'string') return new BufferBytes(v instanceof ArrayBuffer ? new Uint8Array(v) : v);
    if (encoding === 'hex') return new BufferBytes((v.match(/../g) ?? []).map((h) => parseInt(h, 16)));
    if (encoding === 'base64' || encoding === 'base64url') {
      const bin = atob(v.replace(/-/g, '+').replace(/_/g, '/'));
      const out = new BufferBytes(bin.length);
      for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
      return out;
    }
    return new BufferBytes(new TextEncoder().encode(v));
  },
};
