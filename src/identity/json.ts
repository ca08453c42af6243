/**
 * JSON that round-trips bigints, for records kept on disk. A bigint becomes {"$bigint": "<decimal>"},
 * a tag no ordinary value of ours uses, so parsing cannot mistake a string for a number.
 */
export function stringifyWithBigints(value: unknown, space?: number): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v), space);
}

export function parseWithBigints<T>(text: string): T {
  return JSON.parse(text, (_k, v) =>
    v !== null && typeof v === 'object' && typeof v.$bigint === 'string' && Object.keys(v).length === 1 ? BigInt(v.$bigint) : v,
  ) as T;
}
