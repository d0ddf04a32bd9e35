/**
 * @module rate-limiter
 * Per-key rate limits that hold across function instances without a Firestore round trip on any
 * request's path. Each instance decides from what it knows: the global count of the key's current
 * window as of its last sync, plus the requests it has allowed since. Once a second (and only for
 * keys that saw traffic) it adds its unsynced count to a shared per-window counter document and reads
 * the total back, which also brings in the other instances' traffic.
 *
 * Memory and cost stay bounded whoever sends the keys (a client address is a key too, for
 * `POST /v1/session`): keys live in an LRU of at most `MAX_KEYS` entries that forgets a key idle for
 * two windows (by then its counts no longer weigh on any decision), and a key is written to the shared
 * counter only once its count in the window reaches `SYNC_FROM_COUNT` (2) on this instance, so a key
 * seen once costs no write and no aggregation.
 *
 * Accuracy: one instance is exact. With N instances serving one key, each learns of the others' traffic
 * at its next sync, so a key can exceed its limit by at most what the other N−1 instances allow in one
 * sync interval (about rate × (N−1) / 60 requests at a steady rate), plus one request per instance per
 * window that a key seen only once there never reports (N−1 at most). A key pushed out of a full LRU
 * by `MAX_KEYS` busier keys within two windows starts again from what the shared counter holds at its
 * next sync (counts not yet synced are still synced). It can under-serve only after
 * an add that failed had in fact reached the store: its count is added again at the retry.
 */
import { LRUCache } from "lru-cache";
import { decide, windowStart, WINDOW_MS, type RateDecision } from "./rate-limit";

/** The shared counters, one document per key and window. */
export interface RateCounterStore {
  /** Adds `delta` to the key's count for the window starting at `windowStartMs`; returns the new total. */
  add(keyId: string, windowStartMs: number, delta: number): Promise<number>;
}

interface KeyState {
  windowStartMs: number;
  previous: number;
  /** The shared count as of the last sync (this instance's synced requests included). */
  synced: number;
  /** Allowed here and being added to the shared counter now: still counted, or a slow store would let them be allowed again. */
  inFlight: number;
  /** Allowed here since the last sync began. */
  pending: number;
}

const SYNC_INTERVAL_MS = 1_000;
/** Keys one instance remembers at most (about 200 bytes each: docs/PERFORMANCE.md "Rate limiter memory"). */
export const MAX_KEYS = 50_000;
/** A key is forgotten once idle this long: after two windows its counts weigh nothing. */
const IDLE_MS = 2 * WINDOW_MS;
/** A key's count on this instance, in its window, from which it is written to the shared counter. */
export const SYNC_FROM_COUNT = 2;

export class RateLimiter {
  private readonly keys: LRUCache<string, KeyState>;
  /** Keys with counts to add to the shared counter (a Map, so sync never walks every key held). */
  private readonly unsynced = new Map<string, KeyState>();
  /** The latest time a caller passed in: the LRU's clock, so idleness is judged on the callers' time. */
  private clockMs = 0;
  private lastPurgeMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RateCounterStore,
    private readonly onSyncError: (error: unknown) => void = () => undefined,
    private readonly syncIntervalMs = SYNC_INTERVAL_MS,
    maxKeys = MAX_KEYS,
  ) {
    this.keys = new LRUCache<string, KeyState>({
      max: maxKeys,
      ttl: IDLE_MS,
      updateAgeOnGet: true,
      ttlResolution: 0,
      perf: { now: () => this.clockMs },
    });
  }

  /** How many keys this instance holds now. */
  get size(): number {
    return this.keys.size;
  }

  /** Counts `cost` requests (one by default) of `keyId` against `limit` per minute, if they fit. */
  take(keyId: string, limit: number, nowMs: number, cost = 1): RateDecision {
    const state = this.roll(keyId, nowMs);
    const decision = decide(limit, { previous: state.previous, current: countOf(state) }, nowMs, cost);
    if (decision.allowed) this.add(keyId, state, cost);
    return decision;
  }

  /** Whether one more request of `keyId` would fit under `limit`, counting nothing. */
  check(keyId: string, limit: number, nowMs: number): RateDecision {
    const state = this.roll(keyId, nowMs);
    return decide(limit, { previous: state.previous, current: countOf(state) }, nowMs);
  }

  /** Counts `n` events of `keyId` whether or not they fit (a failure already paid for); a negative `n` gives back what was taken. */
  count(keyId: string, nowMs: number, n = 1): void {
    this.add(keyId, this.roll(keyId, nowMs), n);
  }

  /**
   * Pushes every unsynced count now; resolves when the shared counters have them. A key whose last
   * sync is still on its way (a slow or unreachable store) waits for the next one: one add per key
   * at a time, so a total read back never races an earlier add of the same instance.
   */
  async sync(): Promise<void> {
    const work = [...this.unsynced].filter(([, state]) => state.inFlight === 0 && state.pending !== 0);
    for (const [keyId] of work) this.unsynced.delete(keyId);
    await Promise.all(
      work.map(async ([keyId, state]) => {
        const { windowStartMs } = state;
        const delta = state.pending;
        state.pending = 0;
        state.inFlight = delta;
        try {
          const total = await this.store.add(keyId, windowStartMs, delta);
          if (state.windowStartMs !== windowStartMs) return;
          state.inFlight = 0;
          state.synced = Math.max(state.synced + delta, total);
        } catch (error) {
          this.onSyncError(error);
          if (state.windowStartMs !== windowStartMs) return;
          state.inFlight = 0;
          state.pending += delta; // retried at the next sync
        } finally {
          if (state.pending > 0 && this.keys.peek(keyId) === state) {
            this.unsynced.set(keyId, state);
            this.scheduleSync();
          }
        }
      }),
    );
  }

  private add(keyId: string, state: KeyState, n = 1): void {
    state.pending += n;
    if (state.pending === 0 || countOf(state) < SYNC_FROM_COUNT) return; // nothing to add, or seen once here: no write until it comes back
    this.unsynced.set(keyId, state);
    this.scheduleSync();
  }

  private roll(keyId: string, nowMs: number): KeyState {
    this.clockMs = Math.max(this.clockMs, nowMs);
    if (this.clockMs - this.lastPurgeMs >= WINDOW_MS) {
      this.lastPurgeMs = this.clockMs;
      this.keys.purgeStale();
    }
    const start = windowStart(nowMs);
    // A key pushed out of the LRU with counts still to sync comes back with them.
    const state = this.keys.get(keyId) ?? this.unsynced.get(keyId);
    if (!state) {
      const fresh = { windowStartMs: start, previous: 0, synced: 0, inFlight: 0, pending: 0 };
      this.keys.set(keyId, fresh);
      return fresh;
    }
    if (!this.keys.has(keyId)) this.keys.set(keyId, state);
    if (state.windowStartMs !== start) {
      state.previous = start - state.windowStartMs === WINDOW_MS ? countOf(state) : 0;
      state.windowStartMs = start;
      state.synced = 0;
      state.inFlight = 0;
      state.pending = 0;
      this.unsynced.delete(keyId);
    }
    return state;
  }

  private scheduleSync(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sync();
    }, this.syncIntervalMs);
    this.timer.unref();
  }
}

/** What this instance knows the key has used of its current window. */
const countOf = (state: KeyState) => state.synced + state.inFlight + state.pending;
