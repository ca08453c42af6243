// Token amounts on the command line: what people type (`1.5` tokens) to what the contracts count (base units, the
// token's smallest unit: 1.5 with 2 decimals is 150). One convention for every `masque token` amount: a decimal
// number of tokens, scaled by the token's decimals; `--base-units` passes whole numbers of base units unchanged.
// Nothing is ever rounded: more decimals than the token has is an error naming the field.

/** An amount of tokens as typed, in base units: `field` names it in the error (`amount`, `--amount`, `recipients.1`). */
export function toBaseUnits(text: string, decimals: number, field: string): string {
  const v = text.trim();
  if (v.startsWith('-')) throw new Error(`${field}: must not be negative (${v})`);
  const m = /^(\d*)(?:\.(\d*))?$/.exec(v);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) throw new Error(`${field}: "${v}" is not a number of tokens (e.g. 1.5)`);
  const fraction = (m[2] ?? '').replace(/0+$/, '');
  if (fraction.length > decimals) {
    throw new Error(`${field}: ${v} has ${fraction.length} decimal${fraction.length === 1 ? '' : 's'}; the token has ${decimals}`
      + (decimals === 0 ? ' (whole tokens only)' : ''));
  }
  const units = BigInt(`${m[1] || '0'}${fraction.padEnd(decimals, '0')}`);
  if (units >= 2n ** 256n) throw new Error(`${field}: ${v} is too large`);
  return units.toString();
}

/** With `--base-units`: a whole number of base units, checked (no sign, no point) and passed on unchanged. */
export function baseUnits(text: string, field: string): string {
  const v = text.trim();
  if (v.startsWith('-')) throw new Error(`${field}: must not be negative (${v})`);
  if (!/^\d{1,78}$/.test(v)) throw new Error(`${field}: "${v}" is not a whole number of base units (--base-units)`);
  if (BigInt(v) >= 2n ** 256n) throw new Error(`${field}: ${v} is too large`);
  return BigInt(v).toString();
}

/** Base units back to tokens, for messages: 150 with 2 decimals is "1.5". */
export function fromBaseUnits(units: string | bigint, decimals: number): string {
  const s = BigInt(units).toString().padStart(decimals + 1, '0');
  if (decimals === 0) return s;
  const whole = s.slice(0, -decimals);
  const fraction = s.slice(-decimals).replace(/0+$/, '');
  return fraction ? `${whole}.${fraction}` : whole;
}
