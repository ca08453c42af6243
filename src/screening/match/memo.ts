/**
 * Memoises a function of one word. Words repeat across names and queries, so the matcher's per-word work (folds,
 * sound codes, relation keys) is done once; the table is emptied past `limit` entries, so a stream of distinct
 * queries cannot grow it without bound.
 */
export function memo<V>(limit: number, compute: (word: string) => V): (word: string) => V {
  const cache = new Map<string, V>();
  return (word) => {
    const hit = cache.get(word);
    if (hit !== undefined || cache.has(word)) return hit as V;
    const value = compute(word);
    if (cache.size >= limit) cache.clear();
    cache.set(word, value);
    return value;
  };
}
