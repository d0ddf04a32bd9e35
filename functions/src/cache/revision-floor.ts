/**
 * @module revision-floor
 * The highest revision of each view this instance has served or written, so that a stored copy older
 * than one it has already seen is not served as current. A signature binds a revision's content, its
 * scope and id, not the order of revisions: a wholesale copy of an earlier document (signature and
 * all, pasted with the Admin SDK or restored from a backup) verifies. Firestore reads are strongly
 * consistent and every write of a view raises its version, so the only way a load returns a lower
 * version than this instance saw is a document that went back; the caches then rebuild the view from
 * source (which also overwrites the stale copy) instead of serving it.
 *
 * Per instance and bounded: an instance that never saw the newer revision cannot tell, and a key
 * evicted from here (least recently seen first) is forgotten. The reconcile's audit catches what is
 * left (docs/SECURITY.md, "Tampered cache document").
 */
import { LRUCache } from "lru-cache";
import type { Scope } from "../metrics/metrics-view";

/** Keys of views remembered; at 50,000 the map takes a few megabytes. */
const DEFAULT_MAX_KEYS = 50_000;

export class RevisionFloor {
  private readonly seen: LRUCache<string, number>;

  constructor(maxKeys = DEFAULT_MAX_KEYS) {
    this.seen = new LRUCache<string, number>({ max: maxKeys });
  }

  /** True unless this instance has already seen a later revision of the view. */
  admits(scope: Scope, id: string, version: number): boolean {
    const floor = this.seen.get(keyOf(scope, id));
    return floor === undefined || version >= floor;
  }

  /** The highest revision seen so far, if any. */
  highest(scope: Scope, id: string): number | undefined {
    return this.seen.peek(keyOf(scope, id));
  }

  /** Records a revision this instance served or wrote: the floor only rises. */
  saw(scope: Scope, id: string, version: number): void {
    const key = keyOf(scope, id);
    const floor = this.seen.get(key);
    if (floor === undefined || version > floor) this.seen.set(key, version);
  }

  /**
   * Records a view just rebuilt from source, or (null) an agent that no longer exists. Source is the
   * truth, so its revision becomes the floor even when lower: a view rebuilt over a copy that went back
   * continues that copy's numbering, and an agent deleted and created again starts from 1.
   */
  rebuilt(scope: Scope, id: string, version: number | null): void {
    if (version === null) this.seen.delete(keyOf(scope, id));
    else this.seen.set(keyOf(scope, id), version);
  }
}

const keyOf = (scope: Scope, id: string) => `${scope}:${id}`;
