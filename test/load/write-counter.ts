/**
 * @module write-counter
 * Document writes, MEASURED from the database's side: listeners on the documents a write path could
 * make hot (the agent's view, its user's and org's rollups, and every rate-limit and usage-tally
 * document) count each committed change by its update time. The writers run in the Functions
 * emulator's processes, out of reach of an in-process patch such as the read counter's; a listener
 * sees what any writer committed.
 *
 * A listener may fold changes that land in the same instant into one snapshot, so each count is a
 * lower bound; at the rates that matter here (a few writes a second per document) the emulator
 * delivers each change on its own.
 */
import type { DocumentSnapshot, Firestore, QuerySnapshot } from "firebase-admin/firestore";

export interface HotDocument {
  path: string;
  writes: number;
  /** Writes per second over the whole counting window. */
  perSecond: number;
  /** The most writes seen in any one second of the window. */
  peakInOneSecond: number;
}

export interface WriteCounter {
  /** Stops counting and returns the documents written, the hottest first. */
  stop(): HotDocument[];
}

/** Starts counting writes to `docPaths` and to every document of `collections` (changes after the start only). */
export async function countWrites(db: Firestore, docPaths: readonly string[], collections: readonly string[]): Promise<WriteCounter> {
  const startedAt = Date.now();
  const seen = new Map<string, Set<number>>();
  const record = (path: string, updateTime: { toMillis(): number } | undefined) => {
    if (!updateTime) return;
    const at = updateTime.toMillis();
    if (at < startedAt) return;
    const times = seen.get(path) ?? new Set<number>();
    times.add(at);
    seen.set(path, times);
  };
  const ready: Array<Promise<void>> = [];
  const unsubscribes: Array<() => void> = [];
  for (const path of docPaths) {
    ready.push(
      new Promise((resolve, reject) => {
        unsubscribes.push(db.doc(path).onSnapshot((snap: DocumentSnapshot) => (record(path, snap.updateTime), resolve()), reject));
      }),
    );
  }
  for (const name of collections) {
    ready.push(
      new Promise((resolve, reject) => {
        unsubscribes.push(
          db.collection(name).onSnapshot((snap: QuerySnapshot) => {
            for (const change of snap.docChanges()) if (change.type !== "removed") record(change.doc.ref.path, change.doc.updateTime);
            resolve();
          }, reject),
        );
      }),
    );
  }
  await Promise.all(ready);
  return {
    stop() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      const seconds = Math.max(1, (Date.now() - startedAt) / 1000);
      return [...seen]
        .map(([path, times]) => {
          const perSecondBucket = new Map<number, number>();
          for (const at of times) perSecondBucket.set(Math.floor(at / 1000), (perSecondBucket.get(Math.floor(at / 1000)) ?? 0) + 1);
          return { path, writes: times.size, perSecond: times.size / seconds, peakInOneSecond: Math.max(...perSecondBucket.values()) };
        })
        .sort((a, b) => b.writes - a.writes);
    },
  };
}
