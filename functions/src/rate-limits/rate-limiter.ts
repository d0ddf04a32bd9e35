/**
 * @module rate-limiter
 * Per-key rate limits that hold across function instances without a Firestore round trip on any
 * request's path. Each instance decides from what it knows: the global count of the key's current
 * window as of its last sync, plus the requests it has allowed since. Once a second (and only for
 * keys that saw traffic) it adds its unsynced count to a shared per-window counter document and reads
 * the total back, which also brings in the other instances' traffic.
 *
 * Accuracy: one instance is exact. With N instances serving one key, each learns of the others' traffic
 * at its next sync, so a key can exceed its limit by at most what the other N−1 instances allow in one
 * sync interval (about rate × (N−1) / 60 requests at a steady rate). It can under-serve only after
 * an add that failed had in fact reached the store: its count is added again at the retry.
 */
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

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RateCounterStore,
    private readonly onSyncError: (error: unknown) => void = () => undefined,
    private readonly syncIntervalMs = SYNC_INTERVAL_MS,
  ) {}

  /** Counts one request of `keyId` against `limit` per minute, if it fits. */
  take(keyId: string, limit: number, nowMs: number): RateDecision {
    const state = this.roll(keyId, nowMs);
    const decision = decide(limit, { previous: state.previous, current: countOf(state) }, nowMs);
    if (decision.allowed) {
      state.pending += 1;
      this.scheduleSync();
    }
    return decision;
  }

  /** Whether one more request of `keyId` would fit under `limit`, counting nothing. */
  check(keyId: string, limit: number, nowMs: number): RateDecision {
    const state = this.roll(keyId, nowMs);
    return decide(limit, { previous: state.previous, current: countOf(state) }, nowMs);
  }

  /** Counts one event of `keyId` whether or not it fits (a failure already paid for). */
  count(keyId: string, nowMs: number): void {
    this.roll(keyId, nowMs).pending += 1;
    this.scheduleSync();
  }

  /**
   * Pushes every unsynced count now; resolves when the shared counters have them. A key whose last
   * sync is still on its way (a slow or unreachable store) waits for the next one: one add per key
   * at a time, so a total read back never races an earlier add of the same instance.
   */
  async sync(): Promise<void> {
    const work = [...this.keys].filter(([, state]) => state.pending > 0 && state.inFlight === 0);
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
          if (state.pending > 0) this.scheduleSync();
        }
      }),
    );
  }

  private roll(keyId: string, nowMs: number): KeyState {
    const start = windowStart(nowMs);
    const state = this.keys.get(keyId);
    if (!state) {
      const fresh = { windowStartMs: start, previous: 0, synced: 0, inFlight: 0, pending: 0 };
      this.keys.set(keyId, fresh);
      return fresh;
    }
    if (state.windowStartMs !== start) {
      state.previous = start - state.windowStartMs === WINDOW_MS ? countOf(state) : 0;
      state.windowStartMs = start;
      state.synced = 0;
      state.inFlight = 0;
      state.pending = 0;
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
