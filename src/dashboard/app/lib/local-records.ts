// Public records a page keeps for its user in this browser (IndexedDB `kv`), one list per key: the delegations an
// investor made, the delegation links an administrator received, the grants it made. Never a secret: tokens here
// grant nothing without the holder's signature and the grants on chain, which the screens read for the state.
import { kv } from '../keys/db.js';

export function localRecords<T>(key: string, same: (a: T, b: T) => boolean) {
  const list = async () => (await kv.get<T[]>(key)) ?? [];
  return {
    list,
    /** Adds `r`, replacing the record it is the same as. */
    put: async (r: T) => kv.set(key, [...(await list()).filter((x) => !same(x, r)), r]),
  };
}
