/**
 * @module batch-loader
 * Coalesces single-key loads asked for in the same turn of the event loop into one `loadMany` call,
 * so a batch read that misses on 100 ids costs one Firestore `getAll`, while code that reads one id
 * at a time stays simple. Keys asked for twice in one turn are loaded once.
 */

/** Loads many keys at once; a key absent from the result is treated as missing (null). */
export type LoadMany<V> = (keys: string[]) => Promise<Map<string, V | null>>;

interface Waiter<V> {
  resolve: (value: V | null) => void;
  reject: (error: unknown) => void;
}

/**
 * A `load(key)` function backed by `loadMany`.
 * @example const load = batchLoader((ids) => readAll(ids)); await Promise.all([load("a"), load("b")]); // one readAll
 */
export function batchLoader<V>(loadMany: LoadMany<V>): (key: string) => Promise<V | null> {
  let pending: Map<string, Waiter<V>[]> | null = null;

  async function flush(batch: Map<string, Waiter<V>[]>) {
    try {
      const found = await loadMany([...batch.keys()]);
      for (const [key, waiters] of batch) for (const w of waiters) w.resolve(found.get(key) ?? null);
    } catch (error) {
      for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
    }
  }

  return (key) =>
    new Promise<V | null>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<string, Waiter<V>[]>();
        pending = batch;
        setImmediate(() => {
          pending = null;
          void flush(batch);
        });
      }
      const waiters = pending.get(key) ?? [];
      waiters.push({ resolve, reject });
      pending.set(key, waiters);
    });
}
