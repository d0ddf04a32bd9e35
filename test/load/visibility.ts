/**
 * @module visibility
 * "Time until visible": polls a read until it shows a change and reports when the first response
 * showing it arrived. The figure includes the poll granularity: a change can become visible up to
 * one poll cycle (the pause plus one request) before the response that shows it.
 */

/** Pause between two polls. Short enough for a fine figure, long enough not to flood the emulator. */
export const POLL_PAUSE_MS = 20;

export interface Visible<T> {
  value: T;
  /** Milliseconds from `startedAt` to the arrival of the first accepted response. */
  visibleMs: number;
  polls: number;
}

/** Polls `probe` until `done` accepts its value; times from `startedAt` (a `performance.now()`). */
export async function timeUntilVisible<T>(startedAt: number, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<Visible<T>> {
  for (let polls = 1; ; polls++) {
    const value = await probe();
    const at = performance.now();
    if (done(value)) return { value, visibleMs: at - startedAt, polls };
    if (at - startedAt > timeoutMs) throw new Error(`not visible after ${Math.round(timeoutMs / 1000)} s; last value: ${JSON.stringify(value).slice(0, 300)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_PAUSE_MS));
  }
}
